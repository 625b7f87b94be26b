"""Reading the governance cycle: a year's meetings, the action log, panels for home pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from monitoring.accounts.models import User
from monitoring.contracts.models import Membership
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_moment, london_today, utcnow
from monitoring.extensions import db
from monitoring.meetings.followups import Action, ActionStatus, DeepDive, Escalation
from monitoring.meetings.models import AgendaItem, Attendee, Meeting, MeetingStatus, MeetingType

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _action_rows() -> tuple:
    """What a list of actions shows: owner, organisation, and where the action came from."""
    return (
        selectinload(Action.owner_organisation),
        selectinload(Action.owner_user),
        selectinload(Action.meeting).selectinload(Meeting.meeting_type),
        selectinload(Action.service_review),
    )


def meeting_for_page(meeting_id: int) -> Meeting | None:
    """A meeting with everything its page shows, loaded in a few queries rather than one per item."""
    return db.session.scalar(
        select(Meeting)
        .where(Meeting.id == meeting_id)
        .options(
            selectinload(Meeting.meeting_type),
            selectinload(Meeting.items).selectinload(AgendaItem.papers),
            selectinload(Meeting.items).selectinload(AgendaItem.outcomes),
            selectinload(Meeting.attendees).selectinload(Attendee.organisation),
            selectinload(Meeting.minutes),
        )
    )


def meeting_types(contract_id: int) -> list[MeetingType]:
    return list(
        db.session.scalars(select(MeetingType).where(MeetingType.contract_id == contract_id).order_by(MeetingType.id))
    )


def meetings_in_year(contract_id: int, year: FinancialYear, meeting_type_id: int | None = None) -> list[Meeting]:
    start = london_moment(year.start, time(0))
    end = london_moment(year.end + timedelta(days=1), time(0))
    query = select(Meeting).where(
        Meeting.contract_id == contract_id, Meeting.starts_at >= start, Meeting.starts_at < end
    )
    if meeting_type_id:
        query = query.where(Meeting.meeting_type_id == meeting_type_id)
    query = query.options(selectinload(Meeting.meeting_type), selectinload(Meeting.minutes))
    return list(db.session.scalars(query.order_by(Meeting.starts_at)))


def later_meetings(meeting: Meeting) -> list[Meeting]:
    """Scheduled meetings of the contract after this one (where findings can be heard)."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.contract_id == meeting.contract_id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > meeting.starts_at,
            )
            .order_by(Meeting.starts_at)
            .limit(40)
        )
    )


def held_later_meetings(meeting: Meeting) -> list[Meeting]:
    """Later meetings that have taken place, where this meeting's minutes can be approved."""
    return [m for m in later_meetings(meeting) if m.starts_at <= utcnow()]


@dataclass
class ActionFilters:
    owner_user_id: int | None = None
    owner_organisation_id: int | None = None
    status: str = ""  # an ActionStatus value, "outstanding" (open or in progress) or "overdue"
    meeting_id: int | None = None


def action_log(contract_id: int, filters: ActionFilters, today: date | None = None) -> list[Action]:
    today = today or london_today()
    query: Select = select(Action).where(Action.contract_id == contract_id)
    if filters.owner_user_id:
        query = query.where(Action.owner_user_id == filters.owner_user_id)
    if filters.owner_organisation_id:
        query = query.where(Action.owner_organisation_id == filters.owner_organisation_id)
    if filters.meeting_id:
        query = query.where(Action.meeting_id == filters.meeting_id)
    if filters.status in {s.value for s in ActionStatus}:
        query = query.where(Action.status == ActionStatus(filters.status))
    elif filters.status in ("outstanding", "overdue"):
        query = query.where(Action.status.in_(OPEN_STATUSES))
    query = query.options(*_action_rows()).order_by(Action.due_date, Action.id)
    actions = list(db.session.scalars(query))
    if filters.status == "overdue":
        actions = [a for a in actions if a.is_overdue(today)]
    return actions


def contract_people(contract_id: int) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(Membership.contract_id == contract_id, User.active.is_(True))
            .order_by(User.name)
        )
    )


def deep_dives(contract_id: int) -> list[DeepDive]:
    return list(
        db.session.scalars(select(DeepDive).where(DeepDive.contract_id == contract_id).order_by(DeepDive.due_date))
    )


def escalations_touching(item: AgendaItem) -> list[Escalation]:
    return list(
        db.session.scalars(
            select(Escalation).where((Escalation.from_item_id == item.id) | (Escalation.to_item_id == item.id))
        )
    )


# --- Home page panels --------------------------------------------------------------------------


def upcoming_for(user: User, limit: int = 5) -> list[Meeting]:
    ids = list(user.contract_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.contract_id.in_(ids), Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > utcnow()
            )
            .options(selectinload(Meeting.meeting_type))
            .order_by(Meeting.starts_at)
            .limit(limit)
        )
    )


def outstanding_actions_for(user: User, *, assigned_only: bool, overdue_only: bool) -> list[Action]:
    """Open actions of the user's contracts: all of them, or those owned by the user or their organisation."""
    ids = list(user.contract_ids)
    if not ids:
        return []
    query = select(Action).where(Action.contract_id.in_(ids), Action.status.in_(OPEN_STATUSES))
    if assigned_only:
        query = query.where((Action.owner_user_id == user.id) | (Action.owner_organisation_id == user.organisation_id))
    actions = list(db.session.scalars(query.options(*_action_rows()).order_by(Action.due_date, Action.id).limit(200)))
    today = london_today()
    return [a for a in actions if a.is_overdue(today)] if overdue_only else actions


def meetings_with_actions(contract_id: int) -> list[Meeting]:
    """Meetings that raised actions, for the action log's filter."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.contract_id == contract_id, Meeting.id.in_(select(Action.meeting_id)))
            .order_by(Meeting.starts_at.desc())
        )
    )


def open_meetings(contract_id: int, limit: int = 40) -> list[Meeting]:
    """Scheduled meetings from the start of this financial year on, whose agendas can still change."""
    since = london_moment(FinancialYear.containing(london_today()).start, time(0))
    meetings = db.session.scalars(
        select(Meeting)
        .where(
            Meeting.contract_id == contract_id, Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at >= since
        )
        .order_by(Meeting.starts_at)
        .limit(limit)
    )
    return [m for m in meetings if not m.is_locked]
