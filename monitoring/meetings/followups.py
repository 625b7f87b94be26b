"""What meetings set in motion: actions, deep dives and escalations (tables)."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.contracts.models import Organisation
from monitoring.core.db import enum_type
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.meetings.models import AgendaItem, Meeting, Outcome
from monitoring.meetings.rules import is_overdue, working_days_overdue


class ActionStatus(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return {"open": "Open", "in_progress": "In progress", "done": "Done", "dropped": "Dropped"}[self.value]

    @property
    def is_finished(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.DROPPED)


class Action(db.Model):
    """Something a named owner (person and organisation) must do by a date: from a meeting's
    outcome or a service review's action plan. It stays on the contract's action log."""

    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str] = mapped_column(Text, default="")
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    # The person, when they use the system; otherwise the organisation owns it.
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date]
    status: Mapped[ActionStatus] = mapped_column(enum_type(ActionStatus, "action_status"), default=ActionStatus.OPEN)
    status_note: Mapped[str] = mapped_column(Text, default="")  # progress, or why it was dropped
    completed_on: Mapped[date | None]
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"), index=True)
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"))
    service_review_id: Mapped[int | None] = mapped_column(ForeignKey("service_review.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moves on with every change: a form or API client sends back the one it read (409 if stale).
    lock_version: Mapped[int] = mapped_column(default=1, server_default="1")

    owner_organisation: Mapped[Organisation] = relationship()
    owner_user = relationship("User")
    meeting: Mapped[Meeting | None] = relationship()
    outcome: Mapped[Outcome | None] = relationship()
    service_review = relationship("ServiceReview", back_populates="actions")

    @property
    def is_finished(self) -> bool:
        return self.status.is_finished

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.due_date, today, self.is_finished)

    def days_overdue(self, today: date) -> int:
        return 0 if self.is_finished else working_days_overdue(self.due_date, today)

    @property
    def owner_label(self) -> str:
        if self.owner_user is not None:
            return f"{self.owner_user.name}, {self.owner_organisation.name}"
        return self.owner_organisation.name

    __mapper_args__ = {"version_id_col": lock_version}

    def __str__(self) -> str:
        return self.title


class DeepDiveStatus(enum.StrEnum):
    REFERRED = "referred"
    SCOPING = "scoping"
    IN_PROGRESS = "in_progress"
    FINDINGS_REPORTED = "findings_reported"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {
            "referred": "Referred",
            "scoping": "Scoping",
            "in_progress": "In progress",
            "findings_reported": "Findings reported",
            "closed": "Closed",
        }[self.value]

    @property
    def next(self) -> DeepDiveStatus | None:
        order = list(DeepDiveStatus)
        index = order.index(self)
        return order[index + 1] if index + 1 < len(order) else None


class DeepDive(db.Model):
    """An investigation a meeting referred on a named issue (e.g. re-referrals), reported back to a
    named later meeting, then closed against its closure criteria."""

    __tablename__ = "deep_dive"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    terms_of_reference: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))  # a person or a group, e.g. the Early Help Strategy group
    owner_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"))
    due_date: Mapped[date]
    status: Mapped[DeepDiveStatus] = mapped_column(
        enum_type(DeepDiveStatus, "deep_dive_status"), default=DeepDiveStatus.REFERRED
    )
    closure_criteria: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    closure_note: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None]
    # Until performance indicators can be linked: the codes or titles of the measures concerned.
    indicators: Mapped[str] = mapped_column(String(500), default="")
    referred_at_meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="SET NULL"))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"))
    report_meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"), index=True)
    report_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner_organisation: Mapped[Organisation] = relationship()
    referred_at_meeting: Mapped[Meeting | None] = relationship(foreign_keys=[referred_at_meeting_id])
    report_meeting: Mapped[Meeting] = relationship(foreign_keys=[report_meeting_id])
    report_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[report_item_id])
    outcome: Mapped[Outcome | None] = relationship()

    @property
    def is_closed(self) -> bool:
        return self.status is DeepDiveStatus.CLOSED

    def is_overdue(self, today: date) -> bool:
        finished = self.status in (DeepDiveStatus.FINDINGS_REPORTED, DeepDiveStatus.CLOSED)
        return is_overdue(self.due_date, today, finished)

    def __str__(self) -> str:
        return self.title


class EscalationStatus(enum.StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return {"open": "Awaiting the high-level meeting", "resolved": "Resolved"}[self.value]


class Escalation(db.Model):
    """A concern a joint meeting raised to the high-level meeting: both agenda items point here."""

    __tablename__ = "escalation"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    reason: Mapped[str] = mapped_column(Text)
    from_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="RESTRICT"))
    outcome_id: Mapped[int | None] = mapped_column(ForeignKey("outcome.id", ondelete="SET NULL"))
    to_meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="RESTRICT"), index=True)
    to_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"))
    status: Mapped[EscalationStatus] = mapped_column(
        enum_type(EscalationStatus, "escalation_status"), default=EscalationStatus.OPEN
    )
    response: Mapped[str] = mapped_column(Text, default="")  # what the high-level meeting decided
    resolved_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    from_item: Mapped[AgendaItem] = relationship(foreign_keys=[from_item_id])
    to_meeting: Mapped[Meeting] = relationship(foreign_keys=[to_meeting_id])
    to_item: Mapped[AgendaItem | None] = relationship(foreign_keys=[to_item_id])
    outcome: Mapped[Outcome | None] = relationship()

    def __str__(self) -> str:
        return self.title
