"""The figures of a finance return, one table per part of the return, and each contract's placement
categories (the rows of its care ladder).

Every figure table inherits RevisionValue: its rows belong to one revision of a monthly finance
return, and the guard in returns/guard.py refuses any change to them once that revision is locked.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.core.db import Measure
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.finance import rules
from monitoring.returns.guard import RevisionValue
from monitoring.returns.models import ReturnRevision

# The care ladder's rows when a contract has not set its own (the seeds' categories).
DEFAULT_CATEGORIES = [
    "Out of authority residential",
    "Independent fostering agency",
    "In-house fostering",
    "18+ (staying put and supported lodgings)",
    "Care leavers' transition accommodation",
    "Adoption and special guardianship allowances",
]


class PlacementCategory(db.Model):
    """A type of placement on the contract's care ladder (e.g. out-of-authority residential)."""

    __tablename__ = "placement_category"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int]  # the order of the care ladder
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __str__(self) -> str:
        return self.name


class RevenueLine(RevisionValue, db.Model):
    """A service area's revenue budget and forecast outturn in one revision (rule 7)."""

    __tablename__ = "finance_revenue_line"
    __table_args__ = (UniqueConstraint("revision_id", "service_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    service_area: Mapped[str] = mapped_column(String(200))
    gross_budget: Mapped[Decimal]
    net_budget: Mapped[Decimal]  # gross budget less income: the budget the variance is measured against
    forecast_outturn: Mapped[Decimal]
    explanation: Mapped[str] = mapped_column(Text, default="")  # required above the contract's threshold

    revision: Mapped[ReturnRevision] = relationship()

    @property
    def variance(self) -> Decimal:
        return rules.variance(self.net_budget, self.forecast_outturn)

    def __str__(self) -> str:
        return f"{self.service_area} in {self.revision}"


class CareLadderLine(RevisionValue, db.Model):
    """One placement category's contracted and forecast activity and cost in one revision (rule 9)."""

    __tablename__ = "finance_care_ladder_line"
    __table_args__ = (UniqueConstraint("revision_id", "category_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("placement_category.id", ondelete="RESTRICT"), index=True)
    # Placements the contract pays for, and what it pays for each over the year.
    contracted_volume: Mapped[Decimal] = mapped_column(Measure())
    unit_contract_value: Mapped[Decimal]
    # Placements at the month's end, and the year's forecast average (a part-year average, so 30.5).
    actual_activity: Mapped[Decimal] = mapped_column(Measure())
    forecast_activity: Mapped[Decimal] = mapped_column(Measure())
    forecast_unit_cost: Mapped[Decimal]
    explanation: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[ReturnRevision] = relationship()
    category: Mapped[PlacementCategory] = relationship()

    @property
    def variance(self) -> Decimal:
        return rules.care_ladder_variance(
            self.contracted_volume, self.unit_contract_value, self.forecast_activity, self.forecast_unit_cost
        )

    def __str__(self) -> str:
        name = self.category.name if self.category is not None else f"Placement category {self.category_id}"
        return f"{name} in {self.revision}"


class FundingLine(RevisionValue, db.Model):
    """Funding agreed in the year on top of the contract price (e.g. additional care-ladder funding)."""

    __tablename__ = "finance_funding_line"
    __table_args__ = (UniqueConstraint("revision_id", "description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal]
    agreed_on: Mapped[date | None]
    purpose: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[ReturnRevision] = relationship()

    def __str__(self) -> str:
        return f"{self.description} in {self.revision}"


class SavingsLine(RevisionValue, db.Model):
    """A savings target for the year and how much of it the trust forecasts to deliver."""

    __tablename__ = "finance_savings_line"
    __table_args__ = (UniqueConstraint("revision_id", "description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    description: Mapped[str] = mapped_column(String(200))
    target: Mapped[Decimal]
    forecast_delivery: Mapped[Decimal]
    explanation: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[ReturnRevision] = relationship()

    @property
    def shortfall(self) -> Decimal:
        return self.target - self.forecast_delivery

    def __str__(self) -> str:
        return f"{self.description} in {self.revision}"


class CapitalLine(RevisionValue, db.Model):
    """A capital scheme's revised base budget, the month's forecast for the year and spend to date.
    A quarter's forecast is the forecast returned in its end month."""

    __tablename__ = "finance_capital_line"
    __table_args__ = (UniqueConstraint("revision_id", "scheme"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    scheme: Mapped[str] = mapped_column(String(200))
    revised_budget: Mapped[Decimal]
    forecast: Mapped[Decimal]
    actual_to_date: Mapped[Decimal]

    revision: Mapped[ReturnRevision] = relationship()

    def __str__(self) -> str:
        return f"{self.scheme} in {self.revision}"


class TrustPosition(RevisionValue, db.Model):
    """What one revision says about the trust as a whole: the reserves it could put towards its share of
    an overspend (rule 8), its agency staff, and the finance commentary."""

    __tablename__ = "finance_trust_position"
    __table_args__ = (UniqueConstraint("revision_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("return_revision.id", ondelete="CASCADE"), index=True)
    # None: not recorded, so no shortfall can be worked out; 0: the trust has no reserves at all.
    trust_reserves: Mapped[Decimal | None]
    agency_staff: Mapped[Decimal | None] = mapped_column(Measure())  # at the month's end, full-time equivalent
    agency_cost: Mapped[Decimal | None]  # forecast cost of agency staff for the year
    commentary: Mapped[str] = mapped_column(Text, default="")

    revision: Mapped[ReturnRevision] = relationship()

    def __str__(self) -> str:
        return f"Trust position in {self.revision}"


# Every table holding a revision's figures, for copying and loading them together.
FIGURE_TABLES: tuple[type, ...] = (RevenueLine, CareLadderLine, FundingLine, SavingsLine, CapitalLine, TrustPosition)
