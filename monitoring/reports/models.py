"""Scrutiny summaries, their frozen versions and PDFs, delivery schedules, subscriptions and the delivery ledger."""

from __future__ import annotations

import enum
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from monitoring.accounts.models import Role, User
from monitoring.contracts.models import Contract
from monitoring.core.db import enum_type
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.reports.periods import PeriodKind, ReportPeriod, period_title, report_period


class SummaryStatus(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return {"draft": "Draft", "awaiting_approval": "Awaiting approval", "published": "Published"}[self.value]


class Summary(db.Model):
    """A scrutiny summary of one contract for a quarter or half-year: drafted, approved, then published.

    The draft is built from live records each time it is shown; sending it for approval freezes
    the figures into a `SummaryVersion`, which the director approves exactly as frozen.
    """

    __tablename__ = "summary"
    __table_args__ = (UniqueConstraint("contract_id", "period_kind", "financial_year", "period_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    period_kind: Mapped[PeriodKind] = mapped_column(enum_type(PeriodKind, "summary_period_kind"))
    # The calendar year the financial year starts in (2017 for 2017/18) and the quarter or half number.
    financial_year: Mapped[int]
    period_number: Mapped[int]
    status: Mapped[SummaryStatus] = mapped_column(
        enum_type(SummaryStatus, "summary_status"), default=SummaryStatus.DRAFT
    )
    # The editable narrative sections, by section key (executive_summary, recommendations …).
    narrative: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Optimistic lock: two people editing the narrative at once cannot overwrite each other unseen.
    lock_version: Mapped[int] = mapped_column(default=1)

    contract: Mapped[Contract] = relationship()
    created_by: Mapped[User | None] = relationship()
    versions: Mapped[list[SummaryVersion]] = relationship(
        back_populates="summary", order_by="SummaryVersion.number", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def period(self) -> ReportPeriod:
        return report_period(self.period_kind, self.financial_year, self.period_number)

    @property
    def title(self) -> str:
        return f"{period_title(self.period)} summary"

    @property
    def is_draft(self) -> bool:
        return self.status is SummaryStatus.DRAFT

    @property
    def is_awaiting_approval(self) -> bool:
        return self.status is SummaryStatus.AWAITING_APPROVAL

    @property
    def published_version(self) -> SummaryVersion | None:
        """The version in force: the latest one a director approved."""
        published = [v for v in self.versions if v.is_published]
        return published[-1] if published else None

    @property
    def pending_version(self) -> SummaryVersion | None:
        return next((v for v in self.versions if v.state is VersionState.AWAITING_APPROVAL), None)

    def __str__(self) -> str:
        return f"{self.title} ({self.status.label.lower()})"


class VersionState(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"
    PUBLISHED = "published"
    RETURNED = "returned"  # sent back to draft by the director or withdrawn by the commissioner
    SUPERSEDED = "superseded"  # a later version was published

    @property
    def label(self) -> str:
        return {
            "awaiting_approval": "Awaiting approval",
            "published": "Published",
            "returned": "Returned to draft",
            "superseded": "Replaced by a later version",
        }[self.value]


class SummaryVersion(db.Model):
    """The figures and narrative of a summary, frozen as JSON when sent for approval; never changed after."""

    __tablename__ = "summary_version"
    __table_args__ = (UniqueConstraint("summary_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summary.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    state: Mapped[VersionState] = mapped_column(enum_type(VersionState, "summary_version_state"))
    # Everything the document shows: sections (with their data), narrative and metadata.
    content: Mapped[dict[str, Any]] = deferred(mapped_column(JSON, info={"audit": "skip"}))
    # SHA-256 of the canonical JSON of `content`: the audit trail records this instead of the content.
    content_sha256: Mapped[str] = mapped_column(String(64))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    # The decider's name and role as they were then, so a re-rendered PDF never changes.
    decided_by_label: Mapped[str] = mapped_column(String(300), default="")
    # Why the director returned it, if they did.
    decision_note: Mapped[str] = mapped_column(Text, default="")

    summary: Mapped[Summary] = relationship(back_populates="versions")
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_published(self) -> bool:
        return self.state in (VersionState.PUBLISHED, VersionState.SUPERSEDED)

    @property
    def audit_contract_id(self) -> int:
        return self.summary.contract_id

    def __str__(self) -> str:
        return f"{self.summary.title}, version {self.number}"


class RenderStatus(enum.StrEnum):
    QUEUED = "queued"
    RENDERING = "rendering"
    READY = "ready"
    FAILED = "failed"


class PdfRender(db.Model):
    """A request for a summary's PDF, rendered in the background; the web page offers it when ready.

    A draft's PDF is built from the live records at rendering time; a version's from its frozen content.
    """

    __tablename__ = "pdf_render"
    __audit__ = False  # a work queue with its own timestamps, not a business record
    __table_args__ = (Index("ix_pdf_render_status_requested", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    summary_id: Mapped[int] = mapped_column(ForeignKey("summary.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int | None] = mapped_column(ForeignKey("summary_version.id", ondelete="CASCADE"), index=True)
    status: Mapped[RenderStatus] = mapped_column(enum_type(RenderStatus, "render_status"), default=RenderStatus.QUEUED)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Which worker took it and when: a claim older than the lease is taken again.
    claim_token: Mapped[str | None] = mapped_column(String(32))
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pages: Mapped[int | None]
    error: Mapped[str] = mapped_column(Text, default="")

    summary: Mapped[Summary] = relationship()
    version: Mapped[SummaryVersion | None] = relationship()

    @property
    def is_ready(self) -> bool:
        return self.status is RenderStatus.READY

    @property
    def is_pending(self) -> bool:
        return self.status in (RenderStatus.QUEUED, RenderStatus.RENDERING)


class ScheduleKind(enum.StrEnum):
    QUARTERLY_SUMMARY = "quarterly_summary"
    RETURN_REMINDER = "return_reminder"
    WEEKLY_DIGEST = "weekly_digest"

    @property
    def label(self) -> str:
        return {
            "quarterly_summary": "Quarterly summary",
            "return_reminder": "Return reminder",
            "weekly_digest": "Weekly digest of overdue returns and actions",
        }[self.value]


# Who may receive each kind: a summary or digest goes to people who receive reports; a reminder
# also to the trust's officers, who submit the returns it is about.
RECEIVING_ROLES: dict[ScheduleKind, frozenset[Role]] = {
    ScheduleKind.QUARTERLY_SUMMARY: frozenset({Role.COMMISSIONER, Role.DIRECTOR, Role.SCRUTINY}),
    ScheduleKind.RETURN_REMINDER: frozenset({Role.COMMISSIONER, Role.DIRECTOR, Role.TRUST_OFFICER}),
    ScheduleKind.WEEKLY_DIGEST: frozenset({Role.COMMISSIONER, Role.DIRECTOR}),
}


class DeliverySchedule(db.Model):
    """A contract's standing order for a message: what, when (London time) and to whom by default."""

    __tablename__ = "delivery_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ScheduleKind] = mapped_column(enum_type(ScheduleKind, "schedule_kind"))
    # Told about failures; the commissioner who set it up unless changed.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    # Roles whose members of the contract receive it unless they opt out (others may opt in).
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Summary: working days after the quarter ends. Reminder: working days before the return deadline.
    working_days: Mapped[int] = mapped_column(default=5)
    # Digest only: 0 = Monday … 4 = Friday.
    weekday: Mapped[int | None]
    send_time: Mapped[time] = mapped_column(default=time(7, 0))  # London wall-clock time
    active: Mapped[bool] = mapped_column(default=True)
    # Nothing falling due before this day is sent: a new schedule does not mail out the past.
    starts_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship()
    owner: Mapped[User | None] = relationship()
    subscriptions: Mapped[list[Subscription]] = relationship(back_populates="schedule", cascade="all, delete-orphan")

    @property
    def audience_roles(self) -> frozenset[Role]:
        return frozenset(Role(r) for r in self.audience)

    @property
    def description(self) -> str:
        at = f"{self.send_time:%H:%M}"
        if self.kind is ScheduleKind.QUARTERLY_SUMMARY:
            return f"On the {_ordinal(self.working_days)} working day after each quarter ends, at {at}"
        if self.kind is ScheduleKind.RETURN_REMINDER:
            days = "working day" if self.working_days == 1 else "working days"
            return f"{self.working_days} {days} before each monthly return is due, at {at}"
        return f"Every {WEEKDAYS[self.weekday or 0]} at {at} (the next working day after a bank holiday)"

    def __str__(self) -> str:
        return f"{self.kind.label}: {self.description}"


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


class Subscription(db.Model):
    """One person's choice about one schedule: receive it or not, and the PDF attached or linked."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("schedule_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("delivery_schedule.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    receives: Mapped[bool] = mapped_column(default=True)
    # True: the PDF travels with the email; False: the email links to it (sign-in needed to open).
    attach_pdf: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    schedule: Mapped[DeliverySchedule] = relationship(back_populates="subscriptions")
    user: Mapped[User] = relationship()

    @property
    def audit_contract_id(self) -> int:
        return self.schedule.contract_id

    def __str__(self) -> str:
        return f"{self.user.name}: {'receives' if self.receives else 'does not receive'} {self.schedule.kind.label}"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its first or next attempt
    SENDING = "sending"  # claimed by a scheduler process
    SENT = "sent"  # the mail server accepted it
    FAILED = "failed"  # every attempt failed; the owner has been told
    UNCONFIRMED = "unconfirmed"  # a process stopped while handing it to the mail server: never resent unasked
    SKIPPED = "skipped"  # nothing to send (no longer eligible, or nothing overdue)

    @property
    def label(self) -> str:
        return {
            "pending": "Waiting to send",
            "sending": "Sending",
            "sent": "Sent",
            "failed": "Failed",
            "unconfirmed": "Not confirmed",
            "skipped": "Not sent",
        }[self.value]

    @property
    def is_problem(self) -> bool:
        return self in (DeliveryStatus.FAILED, DeliveryStatus.UNCONFIRMED)


class DeliveryPurpose(enum.StrEnum):
    SCHEDULED = "scheduled"  # what the schedule sends
    OWNER_NOTICE = "owner_notice"  # tells the schedule's owner about a failure or a missing summary


class Delivery(db.Model):
    """The delivery ledger: one row per schedule, period and recipient, so nothing is ever sent twice.

    The unique key is the guarantee; the status records how far the sending got, so that a
    process that stops half-way leaves a row a restarted one can finish or flag.
    """

    __tablename__ = "delivery"
    __audit__ = False  # the ledger is itself the record of what was sent
    __table_args__ = (
        UniqueConstraint("schedule_id", "period_key", "recipient_id"),
        Index("ix_delivery_status_next_attempt", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("delivery_schedule.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    # What occasion this is: "2017/18 Q2", "2017-08" (a return's month), "2017-W41", "notice:…".
    period_key: Mapped[str] = mapped_column(String(80))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[DeliveryPurpose] = mapped_column(enum_type(DeliveryPurpose, "delivery_purpose"))
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_type(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    subject: Mapped[str] = mapped_column(String(300), default="")
    # When the schedule said it was due, and when the next attempt may start.
    due_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    claim_token: Mapped[str | None] = mapped_column(String(32))
    claimed_at: Mapped[datetime | None]
    # Set just before the message goes to the mail server: a stale claim with this set is unconfirmed.
    handed_over_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The summary version a summary delivery carried, and the delivery an owner notice is about.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("summary_version.id", ondelete="SET NULL"))
    about_id: Mapped[int | None] = mapped_column(ForeignKey("delivery.id", ondelete="SET NULL"))
    owner_told_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schedule: Mapped[DeliverySchedule] = relationship()
    recipient: Mapped[User] = relationship()
    version: Mapped[SummaryVersion | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)

    def __str__(self) -> str:
        return f"{self.schedule.kind.label} {self.period_key} to {self.recipient.name}: {self.status.label}"
