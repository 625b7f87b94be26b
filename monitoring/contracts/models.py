"""Organisations and the contracts between a council and a children's services trust."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.core.db import Percent, enum_type
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db


class OrganisationKind(enum.StrEnum):
    COUNCIL = "council"
    TRUST = "trust"

    @property
    def label(self) -> str:
        return {"council": "Council", "trust": "Trust"}[self.value]


class GainShare(enum.StrEnum):
    """What happens to an underspend (rule 8 in DOMAIN.md); the default is retained by the trust."""

    RETAINED_BY_TRUST = "retained_by_trust"
    RETURNED_TO_COUNCIL = "returned_to_council"
    SHARED_AS_RISK_SHARE = "shared_as_risk_share"

    @property
    def label(self) -> str:
        return {
            "retained_by_trust": "Retained by the trust",
            "returned_to_council": "Returned to the council",
            "shared_as_risk_share": "Shared in the same proportions as an overspend",
        }[self.value]


class Organisation(db.Model):
    """A council (the commissioner) or a trust (the provider)."""

    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[OrganisationKind] = mapped_column(enum_type(OrganisationKind, "organisation_kind"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_council(self) -> bool:
        return self.kind == OrganisationKind.COUNCIL

    @property
    def is_trust(self) -> bool:
        return self.kind == OrganisationKind.TRUST

    def __str__(self) -> str:
        return self.name


class Contract(db.Model):
    """The service delivery contract between one council and one trust."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("council_share >= 0 AND council_share <= 10000", name="council_share_range"),
        CheckConstraint(
            "return_deadline_working_days >= 0 AND return_deadline_working_days <= 60",
            name="deadline_range",
        ),
        CheckConstraint("council_id <> trust_id", name="two_parties"),
        CheckConstraint("finance_explanation_threshold >= 0", name="explanation_threshold_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    trust_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    start_date: Mapped[date]
    # The council's share of a net overspend, in percent (rule 8; 70.00 by default).
    council_share: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("70.00"))
    gain_share: Mapped[GainShare] = mapped_column(
        enum_type(GainShare, "gain_share"), default=GainShare.RETAINED_BY_TRUST
    )
    # A monthly return is due this many working days after its period ends (rule 6).
    return_deadline_working_days: Mapped[int] = mapped_column(default=10)
    # A finance return's revenue line or care-ladder category whose variance, either way, is larger than
    # this must be explained before the return is submitted.
    finance_explanation_threshold: Mapped[Decimal] = mapped_column(default=Decimal("50000.00"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    council: Mapped[Organisation] = relationship(foreign_keys=[council_id])
    trust: Mapped[Organisation] = relationship(foreign_keys=[trust_id])
    services: Mapped[list[ContractService]] = relationship(
        back_populates="contract", order_by="ContractService.transferred_on", cascade="all, delete-orphan"
    )
    populations: Mapped[list[ChildPopulation]] = relationship(
        back_populates="contract", order_by="ChildPopulation.financial_year", cascade="all, delete-orphan"
    )

    @property
    def trust_share(self) -> Decimal:
        return Decimal(100) - self.council_share

    def population_for(self, year: FinancialYear) -> int | None:
        """The child population (0–17) in force for a financial year: that year's, else the latest before it."""
        known = [p for p in self.populations if p.financial_year <= year.start_year]
        return max(known, key=lambda p: p.financial_year).children if known else None

    def __str__(self) -> str:
        return self.name


class ContractService(db.Model):
    """A service in the contract's scope, with the date it transferred to the trust."""

    __tablename__ = "contract_service"
    __table_args__ = (UniqueConstraint("contract_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    transferred_on: Mapped[date]
    description: Mapped[str] = mapped_column(Text, default="")

    contract: Mapped[Contract] = relationship(back_populates="services")

    def __str__(self) -> str:
        return self.name


class ChildPopulation(db.Model):
    """Resident children aged 0–17 for a financial year: the denominator of rates per 10,000."""

    __tablename__ = "child_population"
    __table_args__ = (
        UniqueConstraint("contract_id", "financial_year"),
        CheckConstraint("children > 0", name="children_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    # The calendar year the financial year starts in: 2017 means 2017/18.
    financial_year: Mapped[int]
    children: Mapped[int]
    source: Mapped[str] = mapped_column(String(200), default="")

    contract: Mapped[Contract] = relationship(back_populates="populations")

    @property
    def year(self) -> FinancialYear:
        return FinancialYear(self.financial_year)

    def __str__(self) -> str:
        return f"{self.year.label}: {self.children:,} children"


class Membership(db.Model):
    """A user's access to one contract; nobody reads a contract they are not a member of."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "contract_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    contract: Mapped[Contract] = relationship()

    def __str__(self) -> str:
        return f"user {self.user_id} on contract {self.contract_id}"
