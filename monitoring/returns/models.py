"""A monthly return (one per contract, kind and month), its revisions, and the council's queries."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.contracts.models import Contract
from monitoring.core.db import enum_type
from monitoring.core.periods import Period
from monitoring.core.timeutil import to_london, utcnow
from monitoring.extensions import db
from monitoring.returns.rules import ReturnStatus, Timeliness, timeliness


class ReturnKind(enum.StrEnum):
    KPI = "kpi"
    FINANCE = "finance"

    @property
    def label(self) -> str:
        return {"kpi": "KPI return", "finance": "Finance return"}[self.value]


class MonthlyReturn(db.Model):
    """The trust's return of one kind for one month. Its figures live in revisions: the first, and
    a new one for each correction after acceptance, so every version stays readable."""

    __tablename__ = "monthly_return"
    __table_args__ = (UniqueConstraint("contract_id", "kind", "year", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReturnKind] = mapped_column(enum_type(ReturnKind, "return_kind"))
    year: Mapped[int]
    month: Mapped[int]
    # The deadline in force when the return was opened (rule 6), kept so a later change to the
    # contract's terms does not rewrite the lateness of past returns.
    due_on: Mapped[date]
    first_submitted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship()
    revisions: Mapped[list[ReturnRevision]] = relationship(
        back_populates="monthly_return", order_by="ReturnRevision.number", cascade="all, delete-orphan"
    )

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def title(self) -> str:
        return f"{self.kind.label} for {self.period.name}"

    @property
    def latest(self) -> ReturnRevision:
        return self.revisions[-1]

    @property
    def accepted(self) -> ReturnRevision | None:
        """The latest accepted revision: the figures the council has agreed."""
        return next((r for r in reversed(self.revisions) if r.status is ReturnStatus.ACCEPTED), None)

    @property
    def in_force(self) -> ReturnRevision | None:
        """The figures to report: the accepted revision, else the latest submitted one (provisional).
        A draft is the trust's working copy and is never reported."""
        return self.accepted or next((r for r in reversed(self.revisions) if r.status.was_submitted), None)

    @property
    def submitted_on(self) -> date | None:
        return to_london(self.first_submitted_at).date() if self.first_submitted_at else None

    def timeliness(self, today: date) -> Timeliness:
        return timeliness(self.due_on, self.submitted_on, today)

    def __str__(self) -> str:
        return self.title


class ReturnRevision(db.Model):
    """One version of a return's figures, with who drafted, submitted and accepted it and when.

    Values can change only while it is a draft or queried; accepted revisions are locked (the
    guard in returns/guard.py refuses any write to their values)."""

    __tablename__ = "return_revision"
    __table_args__ = (UniqueConstraint("return_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("monthly_return.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    status: Mapped[ReturnStatus] = mapped_column(enum_type(ReturnStatus, "return_status"), default=ReturnStatus.DRAFT)
    # Why a correction was made (empty for the first revision).
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    accepted_at: Mapped[datetime | None]
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    # Optimistic lock: a form carries the version it was opened at, so nobody overwrites a change unseen.
    lock_version: Mapped[int] = mapped_column(default=1)

    monthly_return: Mapped[MonthlyReturn] = relationship(back_populates="revisions")
    created_by = relationship("User", foreign_keys=[created_by_id])
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    accepted_by = relationship("User", foreign_keys=[accepted_by_id])
    queries: Mapped[list[ReturnQuery]] = relationship(
        back_populates="revision", order_by="ReturnQuery.raised_at", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_editable(self) -> bool:
        return self.status.is_editable

    @property
    def is_provisional(self) -> bool:
        """Figures the council has not accepted."""
        return self.status is not ReturnStatus.ACCEPTED

    @property
    def open_queries(self) -> list[ReturnQuery]:
        return [q for q in self.queries if not q.is_answered]

    def __str__(self) -> str:
        return f"{self.monthly_return.title}, revision {self.number}"


class ReturnQuery(db.Model):
    """A question from the council about one value of a submitted return, and the trust's answer."""

    __tablename__ = "return_query"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    # Which value is queried: an indicator code or a finance line, as the return's kind names them.
    subject_key: Mapped[str] = mapped_column(String(100))
    subject_label: Mapped[str] = mapped_column(String(300))
    question: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    raised_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    revision: Mapped[ReturnRevision] = relationship(back_populates="queries")
    raised_by = relationship("User", foreign_keys=[raised_by_id])
    answered_by = relationship("User", foreign_keys=[answered_by_id])

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None

    def __str__(self) -> str:
        return f"Query on {self.subject_label}"
