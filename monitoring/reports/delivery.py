"""Scheduled delivery, exactly once: plan ledger rows for what is due, then send each row once.

Planning inserts one `Delivery` row per (schedule, occasion, recipient) and ignores rows that
already exist, so any number of scheduler processes may plan at once. Sending claims a row with
one conditional UPDATE (only one process can win it), records the moment it hands the message to
the mail server, then records the outcome. A process that dies holding a claim leaves a row that
a later run takes back after the lease: resent if the message never reached the mail server,
marked "not confirmed" (and never resent unasked) if it might have.
"""

from __future__ import annotations

import logging
import secrets
import time as clock_time
from datetime import datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from monitoring.accounts.models import User
from monitoring.contracts.models import Contract, Membership
from monitoring.core.timeutil import LONDON
from monitoring.extensions import db
from monitoring.reports import clock, mailer, messages, rules
from monitoring.reports.digest import digest_for, outstanding_returns
from monitoring.reports.models import (
    RECEIVING_ROLES,
    Delivery,
    DeliveryPurpose,
    DeliverySchedule,
    DeliveryStatus,
    ScheduleKind,
    Summary,
    SummaryVersion,
)
from monitoring.reports.periods import PeriodKind

log = logging.getLogger(__name__)

DEFAULT_RETRY_DELAYS = (300, 900, 3600, 4 * 3600, 12 * 3600)  # seconds: 5 min, 15 min, 1 h, 4 h, 12 h
DEFAULT_LEASE_SECONDS = 600


# --- When and to whom ---------------------------------------------------------------------------


def candidates(schedule: DeliverySchedule, now: datetime) -> list[rules.Occasion]:
    at = schedule.send_time
    if schedule.kind is ScheduleKind.QUARTERLY_SUMMARY:
        return rules.summary_candidates(now, schedule.working_days, at)
    if schedule.kind is ScheduleKind.RETURN_REMINDER:
        return rules.reminder_candidates(now, schedule.contract.return_deadline_working_days, schedule.working_days, at)
    return rules.digest_candidates(now, schedule.weekday or 0, at)


def due_occasions(schedule: DeliverySchedule, now: datetime) -> list[rules.Occasion]:
    since = rules.london_moment(schedule.starts_on, time(0, 0))
    return rules.due_occasions(candidates(schedule, now), since, now)


def next_occasion(schedule: DeliverySchedule, now: datetime) -> rules.Occasion | None:
    upcoming = candidates(schedule, now) + candidates(schedule, now + timedelta(days=100))
    return rules.next_due(upcoming, max(now, rules.london_moment(schedule.starts_on, time(0, 0))))


def recipients_of(schedule: DeliverySchedule) -> list[User]:
    members = db.session.scalars(
        select(User).join(Membership).where(Membership.contract_id == schedule.contract_id).order_by(User.id)
    ).all()
    choices = {s.user_id: s.receives for s in schedule.subscriptions}
    chosen = set(
        rules.recipients(
            [rules.Member(u.id, u.role.value, u.active) for u in members],
            schedule.audience,
            [r.value for r in RECEIVING_ROLES[schedule.kind]],
            choices,
        )
    )
    return [u for u in members if u.id in chosen]


def still_receives(delivery: Delivery) -> bool:
    if delivery.purpose is DeliveryPurpose.OWNER_NOTICE:
        return delivery.recipient.active
    return delivery.recipient in recipients_of(delivery.schedule)


def published_version_for(contract_id: int, occasion: rules.Occasion) -> SummaryVersion | None:
    quarter = occasion.period
    summary = db.session.scalar(
        select(Summary).where(
            Summary.contract_id == contract_id,
            Summary.period_kind == PeriodKind.QUARTER,
            Summary.financial_year == quarter.year.start_year,
            Summary.period_number == quarter.number,
        )
    )
    return summary.published_version if summary else None


# --- Planning -------------------------------------------------------------------------------------


def _insert_ignoring_duplicates(rows: list[dict]) -> int:
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Delivery.__table__).values(rows)
    statement = statement.on_conflict_do_nothing(index_elements=["schedule_id", "period_key", "recipient_id"])
    return db.session.execute(statement).rowcount or 0


def _row(schedule: DeliverySchedule, key: str, recipient_id: int, due: datetime, **values: Any) -> dict:
    return {
        "schedule_id": schedule.id,
        "contract_id": schedule.contract_id,
        "period_key": key,
        "recipient_id": recipient_id,
        "purpose": values.pop("purpose", DeliveryPurpose.SCHEDULED),
        "status": values.pop("status", DeliveryStatus.PENDING),
        "due_at": due,
        "next_attempt_at": due,
        "attempts": 0,
        "last_error": values.pop("last_error", ""),
        "created_at": values.pop("now"),
        **values,
    }


def owner_notice(
    schedule: DeliverySchedule, key: str, subject: str, now: datetime, about: Delivery | None = None
) -> list[dict]:
    """The ledger row of a notice to the schedule's owner (once per key) about a failure or a missing summary."""
    owner = schedule.owner
    if owner is None or not owner.active:
        log.warning("schedule %s has no active owner to tell: %s", schedule.id, subject)
        return []
    return [
        _row(
            schedule,
            f"notice:{key}",
            owner.id,
            now,
            now=now,
            purpose=DeliveryPurpose.OWNER_NOTICE,
            subject=subject[:300],
            about_id=about.id if about else None,
        )
    ]


def plan_occasion(schedule: DeliverySchedule, occasion: rules.Occasion, now: datetime) -> list[dict]:
    """The ledger rows one occasion calls for (inserting ignores those that exist already)."""
    contract = schedule.contract
    status, version_id, note = DeliveryStatus.PENDING, None, ""
    if schedule.kind is ScheduleKind.QUARTERLY_SUMMARY:
        version = published_version_for(contract.id, occasion)
        if version is None:
            return owner_notice(
                schedule,
                f"unpublished:{occasion.key}",
                f"{contract.name}: the {occasion.label} summary is due to go out but is not published",
                now,
            )
        version_id = version.id
    elif schedule.kind is ScheduleKind.RETURN_REMINDER:
        if outstanding_returns(contract, occasion.period) == []:
            status, note = DeliveryStatus.SKIPPED, "Nothing outstanding: every return for the month was in"
    elif not digest_for(contract, now.astimezone(LONDON).date()):
        status, note = DeliveryStatus.SKIPPED, "Nothing overdue or waiting that week"
    subject = messages.subject(schedule, occasion)
    rows = [
        _row(
            schedule,
            occasion.key,
            user.id,
            occasion.due_at,
            now=now,
            status=status,
            last_error=note,
            subject=subject,
            version_id=version_id,
        )
        for user in recipients_of(schedule)
    ]
    return rows


def plan_deliveries(now: datetime) -> int:
    schedules = db.session.scalars(
        select(DeliverySchedule).join(Contract).where(DeliverySchedule.active.is_(True)).order_by(DeliverySchedule.id)
    ).all()
    rows = [
        row
        for schedule in schedules
        for occasion in due_occasions(schedule, now)
        for row in plan_occasion(schedule, occasion, now)
    ]
    db.session.commit()  # reading done: with SQLite, a write after reads in one transaction can deadlock
    planned = _insert_ignoring_duplicates(rows)
    db.session.commit()
    return planned


# --- Sending --------------------------------------------------------------------------------------


def _retry_delays() -> tuple[int, ...]:
    return tuple(current_app.config.get("REPORTS_RETRY_DELAYS") or DEFAULT_RETRY_DELAYS)


def _lease() -> timedelta:
    return timedelta(seconds=current_app.config.get("REPORTS_CLAIM_LEASE_SECONDS") or DEFAULT_LEASE_SECONDS)


def _set(delivery_id: int, token: str, **values: Any) -> bool:
    """Change a row this process holds the claim on; False if the claim was lost.

    Recording an outcome must not be lost to a busy database (SQLite locks the whole file while
    another process writes), so it is tried a few times; each try is a write-only transaction.
    """
    for attempt in range(5):
        db.session.commit()  # end any reading transaction first
        try:
            changed = db.session.execute(
                update(Delivery)
                .where(Delivery.id == delivery_id, Delivery.claim_token == token)
                .values(**values)
                .execution_options(synchronize_session=False)
            ).rowcount
            db.session.commit()
            return changed == 1
        except OperationalError:
            db.session.rollback()
            if attempt == 4:
                raise
            clock_time.sleep(0.2 * (attempt + 1))
    return False


def claim(delivery_id: int, now: datetime) -> str | None:
    token = secrets.token_hex(8)
    claimed = db.session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery_id,
            Delivery.status == DeliveryStatus.PENDING,
            Delivery.next_attempt_at <= now,
        )
        .values(status=DeliveryStatus.SENDING, claim_token=token, claimed_at=now, attempts=Delivery.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return token if claimed == 1 else None


def _failed(delivery: Delivery, token: str, error: str) -> None:
    now = clock.now()
    delay = rules.next_attempt_delay(delivery.attempts, _retry_delays())
    if delay is not None:
        _set(
            delivery.id,
            token,
            status=DeliveryStatus.PENDING,
            claim_token=None,
            handed_over_at=None,
            next_attempt_at=now + delay,
            last_error=error[:2000],
        )
        return
    if _set(delivery.id, token, status=DeliveryStatus.FAILED, claim_token=None, last_error=error[:2000]):
        tell_owner_about(db.session.get(Delivery, delivery.id), now)


def _unconfirmed(delivery_id: int, token: str, why: str) -> bool:
    """The hand-over started and was never confirmed: mark it so (never resent unasked) and tell the
    schedule's owner, who can check with the recipient and send it again on purpose."""
    if not _set(delivery_id, token, status=DeliveryStatus.UNCONFIRMED, claim_token=None, last_error=why[:2000]):
        return False
    tell_owner_about(db.session.get(Delivery, delivery_id), clock.now())
    return True


def tell_owner_about(delivery: Delivery, now: datetime) -> None:
    if delivery.purpose is DeliveryPurpose.OWNER_NOTICE:
        return  # a notice about a notice would never end
    subject = (
        f"{delivery.schedule.contract.name}: an email to {delivery.recipient.name} {delivery.status.label.lower()}"
    )
    rows = owner_notice(delivery.schedule, f"delivery:{delivery.id}:{delivery.attempts}", subject, now, delivery)
    db.session.commit()  # reading done; the writes below are their own transaction
    _insert_ignoring_duplicates(rows)
    db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery.id)
        .values(owner_told_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(delivery_id: int) -> DeliveryStatus | None:
    """Send one ledger row if this process can claim it; returns the status it ended in."""
    token = claim(delivery_id, clock.now())
    if token is None:
        return None
    delivery = db.session.get(Delivery, delivery_id)
    if not still_receives(delivery):
        _set(
            delivery_id,
            token,
            status=DeliveryStatus.SKIPPED,
            claim_token=None,
            last_error="No longer receives this (left the contract, opted out or deactivated)",
        )
        return DeliveryStatus.SKIPPED
    try:
        with db.session.begin_nested():  # a failure here undoes only what building did
            message = messages.build(delivery)
    except Exception as error:  # e.g. the PDF could not be rendered: retried like a mail failure
        log.exception("could not build delivery %s", delivery_id)
        _failed(db.session.get(Delivery, delivery_id), token, f"could not prepare the email: {error}")
        return DeliveryStatus.PENDING
    if not _set(delivery_id, token, handed_over_at=clock.now()):
        return None
    try:
        mailer.send(message)
    except mailer.MailUnconfirmed as error:
        _unconfirmed(delivery_id, token, f"{error}. Check with the recipient before sending it again.")
        return DeliveryStatus.UNCONFIRMED
    except mailer.MailError as error:
        _failed(db.session.get(Delivery, delivery_id), token, str(error))
        return db.session.get(Delivery, delivery_id).status
    _set(delivery_id, token, status=DeliveryStatus.SENT, sent_at=clock.now(), claim_token=None, last_error="")
    return DeliveryStatus.SENT


def send_due(now: datetime, limit: int = 100) -> int:
    ids = db.session.scalars(
        select(Delivery.id)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.due_at, Delivery.id)
        .limit(limit)
    ).all()
    db.session.commit()  # end the reading transaction before the slow part
    return sum(1 for delivery_id in ids if deliver(delivery_id) is DeliveryStatus.SENT)


def recover_stale_claims(now: datetime) -> int:
    """Rows claimed by a process that stopped: retry those never handed over, flag the others."""
    stale = db.session.execute(
        select(Delivery.id, Delivery.claim_token, Delivery.handed_over_at).where(
            Delivery.status == DeliveryStatus.SENDING, Delivery.claimed_at < now - _lease()
        )
    ).all()
    recovered = 0
    for delivery in stale:
        token = delivery.claim_token
        if delivery.handed_over_at is None:
            recovered += _set(delivery.id, token, status=DeliveryStatus.PENDING, claim_token=None, next_attempt_at=now)
        elif _unconfirmed(
            delivery.id,
            token,
            "The sending process stopped while handing this to the mail server: it may or may "
            "not have been delivered. Check with the recipient before sending it again.",
        ):
            recovered += 1
    db.session.commit()
    return recovered


def dispatch() -> dict[str, int]:
    """The scheduler's job: take back stale claims, plan what is due (catching up), send it."""
    now = clock.now()
    recovered = recover_stale_claims(now)
    planned = plan_deliveries(now)
    sent = send_due(clock.now())
    return {"recovered": recovered, "planned": planned, "sent": sent}


def send_again(delivery: Delivery) -> Delivery:
    """A person's decision to retry a failed or unconfirmed email (the only way either is resent)."""
    from monitoring.core.errors import InvalidInput

    if not delivery.status.is_problem:
        raise InvalidInput({"__all__": "Only a failed or unconfirmed email can be sent again"})
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.claim_token = None
    delivery.handed_over_at = None
    delivery.next_attempt_at = clock.now()
    delivery.last_error = "Sent again by hand after: " + delivery.last_error[:1900]
    db.session.flush()
    return delivery
