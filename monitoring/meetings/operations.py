"""Writes about meeting types, the calendar, agendas, attendance and minutes.

Each operation validates, raises InvalidInput naming the field, changes objects and flushes; the
request commits once at its edge. The audit trail records every write on flush.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.core.session import check_version, refuse
from monitoring.core.timeutil import format_date, format_datetime, london_moment, utcnow
from monitoring.extensions import db
from monitoring.meetings.models import (
    AgendaItem,
    Attendance,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MeetingType,
    MinutesRevision,
    StandingAttendee,
    StandingItem,
)
from monitoring.meetings.rules import Cadence, CadenceRule, calendar_for

MAX_DURATION = 8 * 60

# --- Meeting types -----------------------------------------------------------------------------


def _party(contract: Contract, organisation: Organisation | None, field: str) -> Organisation:
    if organisation is None or organisation.id not in (contract.council_id, contract.trust_id):
        raise InvalidInput({field: f"Choose {contract.council.name} or {contract.trust.name}"})
    return organisation


def _check_type(contract: Contract, name: str, cadence: Cadence, duration: int, exclude: int | None) -> None:
    errors = cadence.problems()
    if not name.strip():
        errors["name"] = "Enter the meeting's name"
    taken = db.session.scalar(
        select(func.count())
        .select_from(MeetingType)
        .where(
            MeetingType.contract_id == contract.id,
            func.lower(MeetingType.name) == name.strip().lower(),
            MeetingType.id != (exclude or -1),
        )
    )
    if taken:
        errors["name"] = f"This contract already has a meeting called {name.strip()}"
    if not 15 <= duration <= MAX_DURATION:
        errors["duration_minutes"] = "The length must be between 15 and 480 minutes"
    if errors:
        raise InvalidInput(errors)


def _apply_type(meeting_type: MeetingType, fields: dict[str, Any]) -> None:
    cadence = Cadence(
        frequency=fields["frequency"],
        rule=fields["rule"],
        start_time=fields["start_time"],
        ordinal=fields.get("ordinal"),
        weekday=fields.get("weekday"),
        month_of_period=fields.get("month_of_period") or 1,
        offset_days=fields.get("offset_days"),
    )
    _check_type(meeting_type.contract, fields["name"], cadence, fields["duration_minutes"], meeting_type.id)
    weekday_rule = cadence.rule is CadenceRule.WEEKDAY_OF_MONTH
    meeting_type.kind = fields["kind"]
    meeting_type.name = fields["name"].strip()
    meeting_type.frequency = cadence.frequency
    meeting_type.rule = cadence.rule
    meeting_type.ordinal = cadence.ordinal if weekday_rule else None
    meeting_type.weekday = cadence.weekday if weekday_rule else None
    meeting_type.month_of_period = cadence.month_of_period if weekday_rule else 1
    meeting_type.offset_days = None if weekday_rule else cadence.offset_days
    meeting_type.start_time = cadence.start_time
    meeting_type.duration_minutes = fields["duration_minutes"]
    meeting_type.location = (fields.get("location") or "").strip()


def create_meeting_type(contract: Contract, **fields: Any) -> MeetingType:
    """A forum with its rhythm: kind, name, frequency, rule and its settings, start time, length, place."""
    meeting_type = MeetingType(contract=contract, contract_id=contract.id)
    _apply_type(meeting_type, fields)
    db.session.add(meeting_type)
    db.session.flush()
    return meeting_type


def update_meeting_type(meeting_type: MeetingType, **fields: Any) -> MeetingType:
    """Change the rhythm; meetings already in the calendar keep their dates."""
    _apply_type(meeting_type, fields)
    db.session.flush()
    return meeting_type


def add_standing_item(meeting_type: MeetingType, title: str, presenter: str = "") -> StandingItem:
    """A standing item joins the type's future agendas as well as those generated later."""
    if not title.strip():
        raise InvalidInput({"title": "Enter the standing item's title"})
    item = StandingItem(
        contract_id=meeting_type.contract_id,
        title=title.strip(),
        presenter=presenter.strip(),
        position=len(meeting_type.standing_items) + 1,
    )
    meeting_type.standing_items.append(item)
    db.session.flush()
    for meeting in upcoming_meetings_of_type(meeting_type):
        _add_standing(meeting, item)
    db.session.flush()
    return item


def remove_standing_item(item: StandingItem) -> None:
    """Future agendas keep the item if it was already there; new agendas no longer get it."""
    db.session.delete(item)
    db.session.flush()


def add_standing_attendee(
    meeting_type: MeetingType, name: str, job_title: str, organisation: Organisation | None
) -> StandingAttendee:
    if not name.strip():
        raise InvalidInput({"name": "Enter the attendee's name"})
    _party(meeting_type.contract, organisation, "organisation_id")
    attendee = StandingAttendee(
        contract_id=meeting_type.contract_id, name=name.strip(), job_title=job_title.strip(), organisation=organisation
    )
    meeting_type.standing_attendees.append(attendee)
    db.session.flush()
    return attendee


def remove_standing_attendee(attendee: StandingAttendee) -> None:
    db.session.delete(attendee)
    db.session.flush()


# --- The calendar ------------------------------------------------------------------------------


def upcoming_meetings_of_type(meeting_type: MeetingType, after: datetime | None = None) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting)
            .where(
                Meeting.meeting_type_id == meeting_type.id,
                Meeting.status == MeetingStatus.SCHEDULED,
                Meeting.starts_at > (after or utcnow()),
            )
            .order_by(Meeting.starts_at)
        )
    )


def next_meeting(
    contract_id: int,
    *,
    kind: MeetingKind | None = None,
    meeting_type: MeetingType | None = None,
    after: datetime | None = None,
) -> Meeting | None:
    """The next scheduled meeting of a kind (or of one type) for a contract, after a moment (now).

    Other areas use this to find, say, the next Joint Quarterly Performance Monitoring meeting to put
    an item on.
    """
    query = select(Meeting).where(
        Meeting.contract_id == contract_id,
        Meeting.status == MeetingStatus.SCHEDULED,
        Meeting.starts_at > (after or utcnow()),
    )
    if meeting_type is not None:
        query = query.where(Meeting.meeting_type_id == meeting_type.id)
    elif kind is not None:
        query = query.join(MeetingType).where(MeetingType.kind == kind)
    return db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id).limit(1)).first()


def _new_meeting(
    meeting_type: MeetingType, day: date, at: time, duration: int, location: str, slot: str | None
) -> Meeting:
    starts = london_moment(day, at)
    meeting = Meeting(
        contract_id=meeting_type.contract_id,
        meeting_type=meeting_type,
        slot=slot,
        starts_at=starts,
        ends_at=starts + timedelta(minutes=duration),
        location=location,
    )
    db.session.add(meeting)
    for attendee in meeting_type.standing_attendees:
        meeting.attendees.append(
            Attendee(
                contract_id=meeting.contract_id,
                name=attendee.name,
                job_title=attendee.job_title,
                organisation_id=attendee.organisation_id,
            )
        )
    db.session.flush()
    for standing in meeting_type.standing_items:
        _add_standing(meeting, standing)
    return meeting


def generate_calendar(meeting_type: MeetingType, year: FinancialYear) -> list[Meeting]:
    """Add the year's meetings the rhythm asks for. Slots already used — by a meeting that was moved
    or cancelled too — are left alone, so generating again never doubles or revives a meeting."""
    used = set(
        db.session.scalars(
            select(Meeting.slot).where(Meeting.meeting_type_id == meeting_type.id, Meeting.slot.is_not(None))
        )
    )
    created = []
    for slot in calendar_for(meeting_type.cadence, year):
        if slot.period.key in used:
            continue
        created.append(
            _new_meeting(
                meeting_type,
                slot.day,
                meeting_type.start_time,
                meeting_type.duration_minutes,
                meeting_type.location,
                slot.period.key,
            )
        )
    db.session.flush()
    return created


def _check_when(meeting_type: MeetingType, starts: datetime, duration: int, exclude: int | None) -> None:
    if not 15 <= duration <= MAX_DURATION:
        raise InvalidInput({"duration_minutes": "The length must be between 15 and 480 minutes"})
    clash = db.session.scalars(
        select(Meeting).where(
            Meeting.meeting_type_id == meeting_type.id, Meeting.starts_at == starts, Meeting.id != (exclude or -1)
        )
    ).first()
    if clash is not None and clash.is_cancelled:
        raise InvalidInput(
            {
                "day": f"The {meeting_type.name} meeting at {format_datetime(starts)} was cancelled. "
                "Choose another date or time."
            }
        )
    if clash is not None:
        raise InvalidInput({"day": f"There is already a {meeting_type.name} meeting at {format_datetime(starts)}"})


def schedule_meeting(
    meeting_type: MeetingType, *, day: date, start_time: time, duration_minutes: int, location: str = ""
) -> Meeting:
    """An extra meeting outside the rhythm (it has no slot)."""
    _check_when(meeting_type, london_moment(day, start_time), duration_minutes, None)
    return _new_meeting(meeting_type, day, start_time, duration_minutes, location.strip(), None)


def ensure_open(meeting: Meeting, doing: str) -> None:
    if meeting.is_cancelled:
        raise InvalidInput(f"This meeting was cancelled, so you cannot {doing}")
    if meeting.is_locked:
        raise refuse(meeting, f"The minutes of this meeting are approved, so you cannot {doing}")


def move_meeting(
    meeting: Meeting, *, day: date, start_time: time, duration_minutes: int, location: str = ""
) -> Meeting:
    """Move one meeting; the rest of the calendar is untouched and the original time is kept."""
    ensure_open(meeting, "move it")
    starts = london_moment(day, start_time)
    _check_when(meeting.meeting_type, starts, duration_minutes, meeting.id)
    if meeting.moved_from is None and starts != meeting.starts_at:
        meeting.moved_from = meeting.starts_at
    meeting.starts_at = starts
    meeting.ends_at = starts + timedelta(minutes=duration_minutes)
    meeting.location = location.strip()
    mark(meeting, "move")
    db.session.flush()
    return meeting


def cancel_meeting(meeting: Meeting, reason: str) -> Meeting:
    """Cancel one meeting. Its slot stays used: regenerating the calendar will not bring it back."""
    ensure_open(meeting, "cancel it")
    if not reason.strip():
        raise InvalidInput({"reason": "Enter why the meeting is cancelled"})
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    mark(meeting, "cancel")
    db.session.flush()
    return meeting


# --- Agendas -----------------------------------------------------------------------------------

# Where agenda items come from. Other areas add theirs with `register_source_kind`.
SOURCE_KINDS: dict[str, str] = {
    "manual": "Added by hand",
    "standing": "Standing item",
    "carried_over": "Carried over",
    "action": "Matters arising",
    "deep_dive": "Deep dive report-back",
    "escalation": "Escalation",
    "service_review": "Service review",
    "annual_review": "Annual Contract Review",
}


def register_source_kind(kind: str, label: str) -> None:
    """Let another area put its items on agendas (e.g. "indicator_flag": "Flagged for challenge")."""
    if len(kind) > 40:
        raise ValueError("a source kind is at most 40 characters")
    SOURCE_KINDS[kind] = label


def _append(meeting: Meeting, **fields: Any) -> AgendaItem:
    position = max((i.position for i in meeting.items), default=0) + 1
    item = AgendaItem(contract_id=meeting.contract_id, position=position, **fields)
    meeting.items.append(item)
    db.session.flush()
    return item


def _existing(meeting: Meeting, source_kind: str, source_id: int | None) -> AgendaItem | None:
    if source_id is None:
        return None
    return next((i for i in meeting.items if i.source_kind == source_kind and i.source_id == source_id), None)


def _add_standing(meeting: Meeting, standing: StandingItem) -> AgendaItem:
    return _existing(meeting, "standing", standing.id) or _append(
        meeting, title=standing.title, presenter=standing.presenter, source_kind="standing", source_id=standing.id
    )


def add_agenda_item(meeting: Meeting, *, title: str, description: str = "", presenter: str = "") -> AgendaItem:
    ensure_open(meeting, "change its agenda")
    if not title.strip():
        raise InvalidInput({"title": "Enter the item's title"})
    return _append(meeting, title=title.strip(), description=description.strip(), presenter=presenter.strip())


def add_agenda_item_from_source(
    target: Meeting | MeetingType | MeetingKind,
    *,
    contract_id: int | None = None,
    title: str,
    source_kind: str,
    source_id: int,
    presenter: str = "",
    description: str = "",
) -> AgendaItem:
    """Put an item that another part of the system raised on an agenda; the one way areas do it.

    `target` is a meeting, or a meeting type or kind (with `contract_id`), meaning the next
    scheduled meeting of it. The same source appears once per agenda: calling again returns the
    existing item. Raises InvalidInput when there is no such meeting or it is locked.
    """
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"unknown agenda source {source_kind!r}: call register_source_kind first")
    if isinstance(target, Meeting):
        meeting = target
    elif isinstance(target, MeetingType):
        meeting = next_meeting(target.contract_id, meeting_type=target)
    else:
        if contract_id is None:
            raise ValueError("a meeting kind needs the contract_id")
        meeting = next_meeting(contract_id, kind=target)
    if meeting is None:
        name = target.name if isinstance(target, MeetingType) else MeetingKind(target).label
        raise InvalidInput({"meeting_id": f"There is no {name} meeting scheduled. Add one to the calendar first."})
    existing = _existing(meeting, source_kind, source_id)
    if existing is not None:
        return existing
    ensure_open(meeting, "change its agenda")
    return _append(
        meeting,
        title=title.strip()[:300],
        description=description.strip(),
        presenter=presenter.strip()[:200],
        source_kind=source_kind,
        source_id=source_id,
    )


def prepare_agenda(meeting: Meeting) -> list[AgendaItem]:
    """Bring the agenda up to date: any missing standing item, and every action still open from
    earlier meetings of the same type as matters arising. Returns the items it added."""
    from monitoring.meetings.followups import Action, ActionStatus

    ensure_open(meeting, "change its agenda")
    before = {i.id for i in meeting.items}
    for standing in meeting.meeting_type.standing_items:
        _add_standing(meeting, standing)
    open_actions = db.session.scalars(
        select(Action)
        .join(Meeting, Action.meeting_id == Meeting.id)
        .where(
            Meeting.meeting_type_id == meeting.meeting_type_id,
            Meeting.starts_at < meeting.starts_at,
            Action.status.in_([ActionStatus.OPEN, ActionStatus.IN_PROGRESS]),
        )
        .order_by(Action.due_date, Action.id)
    )
    for action in open_actions:
        if _existing(meeting, "action", action.id) is None:
            _append(meeting, title=f"Matters arising: {action.title}"[:300], source_kind="action", source_id=action.id)
    return [i for i in meeting.items if i.id not in before]


def update_agenda_item(item: AgendaItem, *, title: str, description: str = "", presenter: str = "") -> AgendaItem:
    ensure_open(item.meeting, "change its agenda")
    if not title.strip():
        raise InvalidInput({"title": "Enter the item's title"})
    item.title = title.strip()
    item.description = description.strip()
    item.presenter = presenter.strip()
    db.session.flush()
    return item


def move_agenda_item(item: AgendaItem, direction: str) -> None:
    """Swap an item with its neighbour ("up" or "down"), then number the agenda 1, 2, 3…"""
    meeting = item.meeting
    ensure_open(meeting, "change its agenda")
    items = list(meeting.items)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(items):
        raise InvalidInput({"direction": "That item cannot move further"})
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    db.session.flush()


def remove_agenda_item(item: AgendaItem) -> None:
    ensure_open(item.meeting, "change its agenda")
    if item.outcomes:
        raise InvalidInput({"item": f"{item.title} has recorded outcomes, so it stays on the agenda"})
    from monitoring.meetings import papers

    files = [p.stored_name for p in item.papers]
    item.meeting.items.remove(item)
    db.session.flush()
    for name in files:
        papers.delete_file(name)


# --- Attendance --------------------------------------------------------------------------------


def add_attendee(meeting: Meeting, *, name: str, job_title: str, organisation: Organisation | None) -> Attendee:
    ensure_open(meeting, "change its attendance")
    if not name.strip():
        raise InvalidInput({"name": "Enter the person's name"})
    _party(meeting.meeting_type.contract, organisation, "organisation_id")
    attendee = Attendee(
        contract_id=meeting.contract_id, name=name.strip(), job_title=job_title.strip(), organisation=organisation
    )
    meeting.attendees.append(attendee)
    db.session.flush()
    return attendee


def record_attendance(meeting: Meeting, choices: dict[int, str]) -> None:
    """Present, apologies or absent for each attendee (by id); a bad value names the person."""
    ensure_open(meeting, "change its attendance")
    by_id = {a.id: a for a in meeting.attendees}
    errors = {}
    for attendee_id, value in choices.items():
        attendee = by_id.get(attendee_id)
        if attendee is None:
            continue
        try:
            attendee.attendance = Attendance(value)
        except ValueError:
            errors[f"attendance-{attendee_id}"] = (
                f"Select whether {attendee.name} was present, sent apologies or was absent"
            )
    if errors:
        raise InvalidInput(errors)
    db.session.flush()


# --- Minutes -----------------------------------------------------------------------------------


def save_minutes(
    meeting: Meeting, *, text: str, reason: str = "", user: Any = None, lock_version: int | None = None
) -> MinutesRevision:
    """Write the draft minutes; once approved, a change is a new revision that must say why.
    `lock_version` is the draft's version when the person opened it (someone else's save since is refused)."""
    if meeting.is_cancelled:
        raise InvalidInput("This meeting was cancelled, so it has no minutes")
    if not text.strip():
        raise InvalidInput({"text": "Enter the minutes"})
    draft = meeting.draft_minutes
    if draft is not None:
        check_version(draft, lock_version)
        if draft.number > 1 and not reason.strip():
            raise InvalidInput({"reason": "Enter why the approved minutes are being corrected"})
        draft.text = text.strip()
        draft.reason = reason.strip()
        db.session.flush()
        return draft
    correcting = meeting.approved_minutes is not None
    if correcting and not reason.strip():
        raise InvalidInput({"reason": "Enter why the approved minutes are being corrected"})
    revision = MinutesRevision(
        contract_id=meeting.contract_id,
        number=len(meeting.minutes) + 1,
        text=text.strip(),
        reason=reason.strip() if correcting else "",
        created_by_id=getattr(user, "id", None),
    )
    meeting.minutes.append(revision)
    if correcting:
        mark(revision, "correct")
    db.session.flush()
    return revision


def approve_minutes(meeting: Meeting, at_meeting: Meeting | None, user: Any = None) -> MinutesRevision:
    """Approve the draft minutes at a later meeting that has taken place; they are then locked."""
    draft = meeting.draft_minutes
    if draft is None:
        raise InvalidInput({"at_meeting_id": "There are no draft minutes to approve"})
    if at_meeting is None or at_meeting.contract_id != meeting.contract_id:
        raise InvalidInput({"at_meeting_id": "Select the meeting that approved the minutes"})
    if at_meeting.is_cancelled or at_meeting.starts_at <= meeting.starts_at:
        raise InvalidInput({"at_meeting_id": "Minutes are approved at a later meeting that was not cancelled"})
    if at_meeting.starts_at > utcnow():
        raise InvalidInput({"at_meeting_id": f"The meeting on {format_date(at_meeting.day)} has not taken place yet"})
    draft.approved_at = utcnow()
    draft.approved_at_meeting = at_meeting
    draft.approved_by_id = getattr(user, "id", None)
    mark(draft, "approve")
    db.session.flush()
    return draft
