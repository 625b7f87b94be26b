"""Writes about what meetings decide: outcomes, actions, deep dives and escalations.

An outcome is logged once and flows to where it belongs: an action to its owner (and the next
meeting of the type as matters arising), a deep dive to the meeting that hears its findings, an
escalation to the next high-level meeting.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from monitoring.accounts.models import User
from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract, Membership, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.session import check_version
from monitoring.core.timeutil import format_date, london_today
from monitoring.extensions import db
from monitoring.meetings.followups import (
    Action,
    ActionStatus,
    DeepDive,
    DeepDiveStatus,
    Escalation,
    EscalationStatus,
)
from monitoring.meetings.models import AgendaItem, Meeting, Outcome, OutcomeKind
from monitoring.meetings.operations import add_agenda_item_from_source, ensure_open, next_meeting
from monitoring.permissions import Permission, can


def _outcome(item: AgendaItem, kind: OutcomeKind, text: str, user: Any) -> Outcome:
    outcome = Outcome(
        contract_id=item.contract_id, kind=kind, text=text.strip(), recorded_by_id=getattr(user, "id", None)
    )
    item.outcomes.append(outcome)
    db.session.flush()
    return outcome


def record_outcome(item: AgendaItem, kind: OutcomeKind, text: str, user: Any = None) -> Outcome:
    """Noted, or a decision, in the words of the minutes."""
    ensure_open(item.meeting, "record outcomes")
    if kind not in (OutcomeKind.NOTED, OutcomeKind.DECISION):
        raise InvalidInput({"kind": "Select noted or decision"})
    if kind is OutcomeKind.DECISION and not text.strip():
        raise InvalidInput({"text": "Enter what was decided"})
    return _outcome(item, kind, text, user)


def carry_over(item: AgendaItem, text: str = "", user: Any = None) -> AgendaItem:
    """Defer the item to the next meeting of the same type."""
    meeting = item.meeting
    ensure_open(meeting, "record outcomes")
    target = next_meeting(meeting.contract_id, meeting_type=meeting.meeting_type, after=meeting.starts_at)
    if target is None:
        raise InvalidInput({"text": f"There is no later {meeting.meeting_type.name} meeting to carry the item to"})
    carried = add_agenda_item_from_source(
        target,
        title=item.title,
        source_kind="carried_over",
        source_id=item.id,
        presenter=item.presenter,
        description=item.description,
    )
    _outcome(item, OutcomeKind.CARRIED_OVER, text or f"Carried over to {target.title}", user)
    return carried


# --- Actions -----------------------------------------------------------------------------------


def _owner(
    contract: Contract, organisation: Organisation | None, person: User | None
) -> tuple[Organisation, User | None]:
    """The owner must be the contract's council or trust, and a person must work on the contract."""
    if organisation is None or organisation.id not in (contract.council_id, contract.trust_id):
        raise InvalidInput(
            {"owner_organisation_id": f"Choose {contract.council.name} or {contract.trust.name} as the owner"}
        )
    if person is not None:
        member = db.session.scalar(
            select(Membership.id).where(Membership.contract_id == contract.id, Membership.user_id == person.id)
        )
        if member is None or not person.active:
            raise InvalidInput(
                {"owner_user_id": f"{person.name} does not work on this contract: choose someone who does"}
            )
        if person.organisation_id != organisation.id:
            raise InvalidInput(
                {"owner_user_id": f"{person.name} works for {person.organisation.name}, not {organisation.name}"}
            )
    return organisation, person


def _check_action_fields(title: str, due_date: date | None, not_before: date | None) -> None:
    if not title.strip():
        raise InvalidInput({"title": "Enter what needs to be done"})
    if due_date is None:
        raise InvalidInput({"due_date": "Enter the date the action is due"})
    if not_before is not None and due_date < not_before:
        raise InvalidInput({"due_date": f"The due date must be on or after the meeting, {format_date(not_before)}"})


def create_action(
    contract: Contract,
    *,
    title: str,
    detail: str = "",
    owner_organisation: Organisation | None,
    owner_user: User | None = None,
    due_date: date | None,
    item: AgendaItem | None = None,
    service_review: Any = None,
    user: Any = None,
) -> Action:
    """An action from a meeting's item (logged as its outcome, and carried to the next meeting of the
    type as matters arising) or from a service review's action plan."""
    meeting = item.meeting if item is not None else None
    if meeting is not None:
        ensure_open(meeting, "record outcomes")
    _check_action_fields(title, due_date, meeting.day if meeting is not None else None)
    organisation, person = _owner(contract, owner_organisation, owner_user)
    action = Action(
        contract_id=contract.id,
        title=title.strip(),
        detail=detail.strip(),
        owner_organisation=organisation,
        owner_user=person,
        due_date=due_date,
        meeting=meeting,
        service_review=service_review,
    )
    db.session.add(action)
    if item is not None:
        action.outcome = _outcome(item, OutcomeKind.ACTION, title, user)
        following = next_meeting(contract.id, meeting_type=meeting.meeting_type, after=meeting.starts_at)
        db.session.flush()
        if following is not None and not following.is_locked:
            add_agenda_item_from_source(
                following, title=f"Matters arising: {action.title}", source_kind="action", source_id=action.id
            )
    db.session.flush()
    return action


def update_action(
    action: Action,
    *,
    title: str,
    detail: str = "",
    owner_organisation: Organisation | None,
    owner_user: User | None = None,
    due_date: date | None,
    lock_version: int | None = None,
) -> Action:
    check_version(action, lock_version)
    contract = db.session.get(Contract, action.contract_id)
    _check_action_fields(title, due_date, action.meeting.day if action.meeting is not None else None)
    organisation, person = _owner(contract, owner_organisation, owner_user)
    action.title = title.strip()
    action.detail = detail.strip()
    action.owner_organisation = organisation
    action.owner_user = person
    action.due_date = due_date
    db.session.flush()
    return action


def may_update_action(user: Any, action: Action) -> bool:
    """Commissioners update any action of their contract; others only the actions they own —
    their own, or their organisation's (a trust officer updates the actions assigned to the trust)."""
    if can(user, Permission.MANAGE_CONTRACT, action.contract_id):
        return True
    return can(user, Permission.UPDATE_ASSIGNED_ACTIONS, action.contract_id) and (
        action.owner_user_id == user.id or action.owner_organisation_id == user.organisation_id
    )


def set_action_status(
    action: Action,
    status: ActionStatus,
    note: str = "",
    today: date | None = None,
    *,
    lock_version: int | None = None,
) -> Action:
    """Open, in progress, done (dated today) or dropped (with a reason); `lock_version` is the version
    the person saw (a change made since by someone else is refused, not overwritten)."""
    check_version(action, lock_version)
    if status is ActionStatus.DROPPED and not note.strip():
        raise InvalidInput({"note": "Enter why the action is being dropped"})
    action.status = status
    action.status_note = note.strip()
    action.completed_on = (today or london_today()) if status is ActionStatus.DONE else None
    mark(action, f"status:{status.value}")
    db.session.flush()
    return action


# --- Deep dives --------------------------------------------------------------------------------


def _check_report_meeting(
    contract_id: int, after: Meeting | None, report: Meeting | None, due_date: date | None
) -> Meeting:
    if report is None or report.contract_id != contract_id or report.is_cancelled:
        raise InvalidInput({"report_meeting_id": "Select the meeting that will hear the findings"})
    if report.is_locked:
        raise InvalidInput({"report_meeting_id": "That meeting's minutes are approved: choose a later meeting"})
    if after is not None and report.starts_at <= after.starts_at:
        raise InvalidInput({"report_meeting_id": "The findings must be heard at a later meeting than the referral"})
    if due_date is not None and due_date > report.day:
        raise InvalidInput(
            {
                "due_date": "The findings must be due on or before the meeting that hears them, "
                f"{format_date(report.day)}"
            }
        )
    return report


def _report_back_item(dive: DeepDive) -> None:
    dive.report_item = add_agenda_item_from_source(
        dive.report_meeting,
        title=f"Deep dive findings: {dive.title}",
        source_kind="deep_dive",
        source_id=dive.id,
        presenter=dive.owner,
    )


def refer_deep_dive(
    item: AgendaItem,
    *,
    title: str,
    terms_of_reference: str,
    owner: str,
    owner_organisation: Organisation | None,
    due_date: date | None,
    report_meeting: Meeting | None,
    closure_criteria: str = "",
    indicators: str = "",
    user: Any = None,
) -> DeepDive:
    """Refer an issue for a deep dive; the meeting that will hear the findings gets the item."""
    meeting = item.meeting
    ensure_open(meeting, "record outcomes")
    errors = {}
    if not title.strip():
        errors["title"] = "Enter the issue the deep dive will investigate"
    if not terms_of_reference.strip():
        errors["terms_of_reference"] = "Enter the terms of reference"
    if not owner.strip():
        errors["owner"] = "Enter the person or group who will carry out the deep dive"
    if errors:
        raise InvalidInput(errors)
    contract = db.session.get(Contract, meeting.contract_id)
    organisation, _ = _owner(contract, owner_organisation, None)
    _check_action_fields(title, due_date, meeting.day)
    report = _check_report_meeting(meeting.contract_id, meeting, report_meeting, due_date)
    dive = DeepDive(
        contract_id=meeting.contract_id,
        title=title.strip(),
        terms_of_reference=terms_of_reference.strip(),
        owner=owner.strip(),
        owner_organisation=organisation,
        due_date=due_date,
        closure_criteria=closure_criteria.strip(),
        indicators=indicators.strip(),
        referred_at_meeting=meeting,
        report_meeting=report,
    )
    db.session.add(dive)
    dive.outcome = _outcome(item, OutcomeKind.DEEP_DIVE, title, user)
    db.session.flush()
    _report_back_item(dive)
    db.session.flush()
    return dive


def change_report_meeting(dive: DeepDive, report_meeting: Meeting | None) -> DeepDive:
    """Hear the findings at another meeting: the item moves with it (unless already discussed)."""
    report = _check_report_meeting(dive.contract_id, dive.referred_at_meeting, report_meeting, dive.due_date)
    if report.id == dive.report_meeting_id:
        return dive
    old = dive.report_item
    dive.report_meeting = report
    dive.report_item = None
    db.session.flush()
    if old is not None and not old.outcomes and not old.meeting.is_locked:
        old.meeting.items.remove(old)
    _report_back_item(dive)
    db.session.flush()
    return dive


def progress_deep_dive(
    dive: DeepDive, status: DeepDiveStatus, *, findings: str = "", closure_note: str = "", today: date | None = None
) -> DeepDive:
    """Move a deep dive along referred → scoping → in progress → findings reported → closed."""
    if dive.is_closed:
        raise InvalidInput({"status": "This deep dive is closed"})
    order = list(DeepDiveStatus)
    if order.index(status) < order.index(dive.status):
        raise InvalidInput({"status": f"A deep dive cannot go back from {dive.status.label.lower()}"})
    if status in (DeepDiveStatus.FINDINGS_REPORTED, DeepDiveStatus.CLOSED) and not (findings or dive.findings).strip():
        raise InvalidInput({"findings": "Enter the findings before they are reported"})
    if status is DeepDiveStatus.CLOSED and not closure_note.strip():
        raise InvalidInput({"closure_note": "Enter how the closure criteria were met"})
    dive.status = status
    if findings.strip():
        dive.findings = findings.strip()
    if status is DeepDiveStatus.CLOSED:
        dive.closure_note = closure_note.strip()
        dive.closed_on = today or london_today()
    mark(dive, f"status:{status.value}")
    db.session.flush()
    return dive


# --- Escalations -------------------------------------------------------------------------------


def escalate(item: AgendaItem, *, title: str, reason: str, user: Any = None) -> Escalation:
    """Raise an item from a joint meeting to the next high-level meeting, whose agenda gets it."""
    meeting = item.meeting
    ensure_open(meeting, "record outcomes")
    to_kind = meeting.meeting_type.kind.escalates_to
    if to_kind is None:
        raise InvalidInput({"title": "Only the joint meetings escalate items to the high-level meeting"})
    errors = {}
    if not title.strip():
        errors["title"] = "Enter what is being escalated"
    if not reason.strip():
        errors["reason"] = "Enter why it is being escalated"
    if errors:
        raise InvalidInput(errors)
    target = next_meeting(meeting.contract_id, kind=to_kind, after=meeting.starts_at)
    if target is None:
        raise InvalidInput(
            {
                "title": f"There is no {to_kind.label} meeting after {format_date(meeting.day)}. "
                "Add one to the calendar first."
            }
        )
    escalation = Escalation(
        contract_id=meeting.contract_id, title=title.strip(), reason=reason.strip(), from_item=item, to_meeting=target
    )
    db.session.add(escalation)
    escalation.outcome = _outcome(item, OutcomeKind.ESCALATION, title, user)
    db.session.flush()
    escalation.to_item = add_agenda_item_from_source(
        target,
        title=f"Escalated from {meeting.meeting_type.name}: {escalation.title}",
        source_kind="escalation",
        source_id=escalation.id,
        description=escalation.reason,
    )
    db.session.flush()
    return escalation


def respond_to_escalation(
    escalation: Escalation, *, response: str, resolved: bool, today: date | None = None
) -> Escalation:
    """Record what the high-level meeting said, and whether that resolves the concern."""
    if not response.strip():
        raise InvalidInput({"response": "Enter what the high-level meeting decided"})
    escalation.response = response.strip()
    escalation.status = EscalationStatus.RESOLVED if resolved else EscalationStatus.OPEN
    escalation.resolved_on = (today or london_today()) if resolved else None
    db.session.flush()
    return escalation
