"""Writes for delivery schedules (commissioners) and subscriptions (each recipient their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from monitoring.accounts.models import Role
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.reports.models import RECEIVING_ROLES, DeliverySchedule, ScheduleKind, Subscription

DEFAULT_AUDIENCE = {
    ScheduleKind.QUARTERLY_SUMMARY: [Role.DIRECTOR.value],
    ScheduleKind.RETURN_REMINDER: [Role.TRUST_OFFICER.value],
    ScheduleKind.WEEKLY_DIGEST: [Role.COMMISSIONER.value],
}


def _check(
    kind: ScheduleKind,
    working_days: int,
    weekday: int | None,
    send_time: time | None,
    audience: list[str],
    starts_on: date | None,
) -> None:
    if send_time is None:
        raise InvalidInput({"send_time": "Enter the time to send as hours and minutes, for example 07:00"})
    if not 0 <= working_days <= 30:
        raise InvalidInput({"working_days": "Working days must be between 0 and 30"})
    if kind is ScheduleKind.RETURN_REMINDER and working_days < 1:
        raise InvalidInput({"working_days": "Send a reminder at least 1 working day before the return is due"})
    if kind is ScheduleKind.WEEKLY_DIGEST and (weekday is None or not 0 <= weekday <= 4):
        raise InvalidInput({"weekday": "Select a weekday, Monday to Friday, for the digest"})
    if starts_on is None:
        raise InvalidInput({"starts_on": "Enter the date the schedule starts sending from"})
    allowed = {r.value for r in RECEIVING_ROLES[kind]}
    wrong = [Role(r).label for r in audience if r not in allowed]
    if wrong:
        raise InvalidInput(
            {"audience": f"A {kind.label.lower()} cannot go to {', '.join(wrong).lower()}s; choose from the others"}
        )


@dataclass(frozen=True)
class ScheduleTerms:
    """What a commissioner sets on a schedule (all but its kind, contract and owner)."""

    working_days: int
    weekday: int | None
    send_time: time | None
    audience: list[str]
    starts_on: date | None
    active: bool


def _apply(schedule: DeliverySchedule, kind: ScheduleKind, terms: ScheduleTerms) -> DeliverySchedule:
    _check(kind, terms.working_days, terms.weekday, terms.send_time, terms.audience, terms.starts_on)
    schedule.working_days = terms.working_days
    schedule.weekday = terms.weekday if kind is ScheduleKind.WEEKLY_DIGEST else None
    schedule.send_time = terms.send_time  # type: ignore[assignment]
    schedule.audience = sorted(terms.audience)
    schedule.starts_on = terms.starts_on  # type: ignore[assignment]
    schedule.active = terms.active
    return schedule


def create_schedule(contract: Contract, kind: ScheduleKind, terms: ScheduleTerms, owner: Any) -> DeliverySchedule:
    schedule = _apply(DeliverySchedule(kind=kind, owner_id=owner.id if owner else None), kind, terms)
    schedule.contract = contract
    db.session.add(schedule)
    db.session.flush()
    return schedule


def update_schedule(schedule: DeliverySchedule, kind: ScheduleKind, terms: ScheduleTerms) -> DeliverySchedule:
    if kind is not schedule.kind:
        raise InvalidInput({"kind": "A schedule cannot change what it sends; pause it and add a new one"})
    _apply(schedule, kind, terms)
    db.session.flush()
    return schedule


def set_subscription(schedule: DeliverySchedule, user: Any, *, receives: bool, attach_pdf: bool) -> Subscription:
    """A person's own choice to receive a schedule's emails (or not), with the PDF attached or linked."""
    if schedule.contract_id not in user.contract_ids:
        raise InvalidInput({"receives": "You can only choose emails about contracts you work on"})
    if user.role not in RECEIVING_ROLES[schedule.kind]:
        raise InvalidInput({"receives": f"Your role cannot receive the {schedule.kind.label.lower()}"})
    subscription = next((s for s in schedule.subscriptions if s.user_id == user.id), None)
    if subscription is None:
        subscription = Subscription(schedule=schedule, user=user)
        db.session.add(subscription)
    subscription.receives = receives
    subscription.attach_pdf = attach_pdf
    db.session.flush()
    return subscription


def receives(schedule: DeliverySchedule, user: Any) -> tuple[bool, bool]:
    """(receives it, PDF attached) for `user`, from their choice or the schedule's audience."""
    choice = next((s for s in schedule.subscriptions if s.user_id == user.id), None)
    if choice is not None:
        return choice.receives, choice.attach_pdf
    return user.role.value in schedule.audience, True
