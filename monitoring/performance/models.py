"""Indicator definitions, each contract's versioned KPI basket, the values of KPI returns, and
case-file audits."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.core.db import Measure, enum_type
from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.performance.rules import Accumulation, Frequency, Polarity, Unit
from monitoring.returns.guard import RevisionValue
from monitoring.returns.models import ReturnRevision
from monitoring.reviews.models import Grade


class Objective(db.Model):
    """A priority or objective that groups measures (e.g. "Keeping children safe"); reports roll up by it."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    def __str__(self) -> str:
        return self.name


class Indicator(db.Model):
    """A performance measure's definition: how it is counted, judged and forecast (DOMAIN.md rules 2–5)."""

    __tablename__ = "indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    definition: Mapped[str] = mapped_column(Text, default="")
    unit: Mapped[Unit] = mapped_column(enum_type(Unit, "indicator_unit"))
    polarity: Mapped[Polarity] = mapped_column(enum_type(Polarity, "indicator_polarity"))
    frequency: Mapped[Frequency] = mapped_column(enum_type(Frequency, "indicator_frequency"), default=Frequency.MONTHLY)
    accumulation: Mapped[Accumulation] = mapped_column(
        enum_type(Accumulation, "indicator_accumulation"), default=Accumulation.SNAPSHOT
    )
    # A numerator/denominator measure: the trust returns both and the percentage is computed.
    is_ratio: Mapped[bool] = mapped_column(default=False)
    numerator_label: Mapped[str] = mapped_column(Text, default="")
    denominator_label: Mapped[str] = mapped_column(Text, default="")
    # A movement no bigger than this is "sustained" (rule 4).
    no_change_band: Mapped[Decimal] = mapped_column(Measure(), default=Decimal(0))
    # Compare with the same month last year instead of the month before (seasonal measures).
    compare_with_last_year: Mapped[bool] = mapped_column(default=False)
    minimum: Mapped[Decimal | None] = mapped_column(Measure())
    maximum: Mapped[Decimal | None] = mapped_column(Measure())
    # The value comes from the case-file audits recorded for the month, not from the return.
    from_case_audits: Mapped[bool] = mapped_column(default=False)
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id", ondelete="SET NULL"), index=True)
    source: Mapped[str] = mapped_column(Text, default="")  # where the definition comes from
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    objective: Mapped[Objective | None] = relationship()
    years: Mapped[list[IndicatorYear]] = relationship(
        back_populates="indicator", order_by="IndicatorYear.financial_year", cascade="all, delete-orphan"
    )

    @property
    def is_judged(self) -> bool:
        return self.polarity is not Polarity.NONE

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}"

    def year(self, year: FinancialYear) -> IndicatorYear | None:
        return next((y for y in self.years if y.financial_year == year.start_year), None)

    def due_in(self, period: Period) -> bool:
        return self.frequency.due_in(period.month_of_year)

    def __str__(self) -> str:
        return self.label


class IndicatorYear(db.Model):
    """A measure's target, amber tolerance and comparators (national, statistical neighbours) for one year."""

    __tablename__ = "indicator_year"
    __table_args__ = (UniqueConstraint("indicator_id", "financial_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[int]  # 2017 means 2017/18
    target: Mapped[Decimal | None] = mapped_column(Measure())
    tolerance: Mapped[Decimal | None] = mapped_column(Measure())
    national: Mapped[Decimal | None] = mapped_column(Measure())
    neighbours: Mapped[Decimal | None] = mapped_column(Measure())

    indicator: Mapped[Indicator] = relationship(back_populates="years")

    @property
    def label(self) -> str:
        return FinancialYear(self.financial_year).label

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.label}"


class Basket(db.Model):
    """The contract's KPI basket from a month on: revised at an annual review, never edited in place,
    so what was in force for any month stays readable."""

    __tablename__ = "kpi_basket"
    __table_args__ = (UniqueConstraint("contract_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    effective_from: Mapped[date]  # the first day of the first month it applies to
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    entries: Mapped[list[BasketEntry]] = relationship(
        back_populates="basket", order_by="BasketEntry.position", cascade="all, delete-orphan"
    )
    created_by = relationship("User")

    @property
    def first_period(self) -> Period:
        return Period.containing(self.effective_from)

    def __str__(self) -> str:
        return f"KPI basket from {self.first_period.name}"


class BasketEntry(db.Model):
    """One measure in a basket, in the order reports list it."""

    __tablename__ = "kpi_basket_entry"
    __table_args__ = (UniqueConstraint("basket_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    basket_id: Mapped[int] = mapped_column(ForeignKey("kpi_basket.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="RESTRICT"), index=True)
    position: Mapped[int]
    # A required measure must have a value before the return can be submitted.
    required: Mapped[bool] = mapped_column(default=True)

    basket: Mapped[Basket] = relationship(back_populates="entries")
    indicator: Mapped[Indicator] = relationship()

    def __str__(self) -> str:
        return f"{self.indicator.code} in basket {self.basket_id}"


class KpiValue(RevisionValue, db.Model):
    """A measure's figures in one revision of a KPI return, as the trust returned them."""

    __tablename__ = "kpi_value"
    __table_args__ = (UniqueConstraint("revision_id", "indicator_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="RESTRICT"), index=True)
    # The value itself, or (for a ratio) the numerator and denominator; a rate's count goes in `value`.
    value: Mapped[Decimal | None] = mapped_column(Measure())
    numerator: Mapped[Decimal | None] = mapped_column(Measure())
    denominator: Mapped[Decimal | None] = mapped_column(Measure())
    commentary: Mapped[str] = mapped_column(Text, default="")  # required when the value is Red
    # The trust's own year-end forecast, overriding the rule's (rule 5), with its reasoning.
    forecast: Mapped[Decimal | None] = mapped_column(Measure())
    forecast_rationale: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[ReturnRevision] = relationship()
    indicator: Mapped[Indicator] = relationship()

    @property
    def is_empty(self) -> bool:
        return self.value is None and self.numerator is None and self.denominator is None

    def __str__(self) -> str:
        return f"{self.indicator.code} in {self.revision}"


class AuditKind(enum.StrEnum):
    MONTHLY_SAMPLE = "monthly_sample"
    THEMATIC = "thematic"

    @property
    def label(self) -> str:
        return {"monthly_sample": "Monthly sample", "thematic": "Thematic audit"}[self.value]


class CaseAudit(db.Model):
    """A month's case-file audit (the monthly sample, or a thematic audit) and its graded cases."""

    __tablename__ = "case_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]
    month: Mapped[int]
    kind: Mapped[AuditKind] = mapped_column(enum_type(AuditKind, "case_audit_kind"), default=AuditKind.MONTHLY_SAMPLE)
    theme: Mapped[str] = mapped_column(String(200), default="")
    completed_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))

    cases: Mapped[list[AuditedCase]] = relationship(
        back_populates="audit", order_by="AuditedCase.id", cascade="all, delete-orphan"
    )

    @property
    def period(self) -> Period:
        return Period(self.year, self.month)

    @property
    def title(self) -> str:
        what = f"{self.kind.label}: {self.theme}" if self.theme else self.kind.label
        return f"{what}, {self.period.name}"

    def __str__(self) -> str:
        return f"Case-file audit ({self.title})"


class AuditedCase(db.Model):
    """One audited case and its grade. An Inadequate case opens an action plan (an action owned by the
    trust) with an independent re-audit due six months later."""

    __tablename__ = "audited_case"
    __table_args__ = (UniqueConstraint("audit_id", "case_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("case_audit.id", ondelete="CASCADE"), index=True)
    case_reference: Mapped[str] = mapped_column(String(50))
    grade: Mapped[Grade] = mapped_column(enum_type(Grade, "audited_case_grade"))
    # For an Inadequate case: who monitors the action plan, the action, and the independent re-audit.
    head_of_service: Mapped[str] = mapped_column(String(200), default="")
    action_id: Mapped[int | None] = mapped_column(ForeignKey("action.id", ondelete="SET NULL"))
    reaudit_due: Mapped[date | None]
    reaudited_on: Mapped[date | None]
    reaudit_grade: Mapped[Grade | None] = mapped_column(enum_type(Grade, "audited_case_reaudit_grade"))

    audit: Mapped[CaseAudit] = relationship(back_populates="cases")
    action = relationship("Action")

    @property
    def is_good_or_better(self) -> bool:
        return self.grade in (Grade.OUTSTANDING, Grade.GOOD)

    def __str__(self) -> str:
        return f"Case {self.case_reference} ({self.grade.label})"
