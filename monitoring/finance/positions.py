"""A finance return's figures worked out: each line's variance, the totals, the care ladder's costs,
the risk share, and which revision they came from. Built from rows already loaded: no queries here.

Totals are exact sums of the lines as shown, so every column adds up to the penny. The net position
for the risk share is the revenue lines' total forecast outturn less their total net budget: the care
ladder explains the placements line, it is not a second overspend.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

from monitoring.core.periods import FinancialYear, Period, Quarter
from monitoring.core.timeutil import format_date, to_london
from monitoring.finance import rules
from monitoring.finance.rules import RiskShare
from monitoring.returns.rules import ReturnStatus

RowT = TypeVar("RowT", "RevenueRow", "CareLadderRow")


@dataclass(frozen=True)
class Source:
    """The revision a month's figures come from, so every figure can be traced to it."""

    period: Period
    return_id: int
    number: int
    status: ReturnStatus
    revision_id: int = 0
    submitted_at: datetime | None = None
    submitted_by: str = ""
    accepted_at: datetime | None = None
    accepted_by: str = ""

    @property
    def provisional(self) -> bool:
        return self.status is not ReturnStatus.ACCEPTED

    @property
    def description(self) -> str:
        """ "From the finance return for September 2026, revision 1, accepted 12 October 2026 by Priya Shah"."""
        text = f"From the finance return for {self.period.name}, revision {self.number}"
        if self.status is ReturnStatus.ACCEPTED and self.accepted_at:
            return text + _when_and_who("accepted", self.accepted_at, self.accepted_by)
        if self.submitted_at:
            return text + _when_and_who(self.status.label.lower(), self.submitted_at, self.submitted_by)
        return f"{text} (a draft)"


def _when_and_who(done: str, moment: datetime, person: str) -> str:
    day = format_date(to_london(moment).date())
    return f", {done} {day}" + (f" by {person}" if person else "")


@dataclass(frozen=True)
class RevenueRow:
    name: str
    gross_budget: Decimal
    net_budget: Decimal
    forecast_outturn: Decimal
    explanation: str = ""
    needs_explanation: bool = False

    @property
    def variance(self) -> Decimal:
        return rules.variance(self.net_budget, self.forecast_outturn)


@dataclass(frozen=True)
class CareLadderRow:
    category_id: int
    category: str
    contracted_volume: Decimal
    unit_contract_value: Decimal
    actual_activity: Decimal
    forecast_activity: Decimal
    forecast_unit_cost: Decimal
    explanation: str = ""
    needs_explanation: bool = False

    @property
    def contract_cost(self) -> Decimal:
        return rules.cost(self.contracted_volume, self.unit_contract_value)

    @property
    def forecast_cost(self) -> Decimal:
        return rules.cost(self.forecast_activity, self.forecast_unit_cost)

    @property
    def variance(self) -> Decimal:
        """Rule 9; exactly forecast cost − contract cost."""
        return rules.care_ladder_variance(
            self.contracted_volume, self.unit_contract_value, self.forecast_activity, self.forecast_unit_cost
        )

    @property
    def activity_over_contract(self) -> Decimal:
        """Forecast average placements above (or, negative, below) the contracted volume."""
        return self.forecast_activity - self.contracted_volume

    @property
    def cheaper_than_contract(self) -> bool:
        return self.forecast_unit_cost < self.unit_contract_value


@dataclass(frozen=True)
class FundingRow:
    description: str
    amount: Decimal
    agreed_on: date | None = None
    purpose: str = ""


@dataclass(frozen=True)
class SavingsRow:
    description: str
    target: Decimal
    forecast_delivery: Decimal
    explanation: str = ""

    @property
    def shortfall(self) -> Decimal:
        return self.target - self.forecast_delivery


@dataclass(frozen=True)
class CapitalRow:
    scheme: str
    revised_budget: Decimal
    forecast: Decimal
    actual_to_date: Decimal

    @property
    def variance(self) -> Decimal:
        return rules.variance(self.revised_budget, self.forecast)


@dataclass(frozen=True)
class TrustFigures:
    trust_reserves: Decimal | None = None
    agency_staff: Decimal | None = None
    agency_cost: Decimal | None = None
    commentary: str = ""


@dataclass(frozen=True)
class MonthPosition:
    """One month's finance position, from one revision."""

    period: Period
    source: Source | None
    revenue: tuple[RevenueRow, ...] = ()
    care_ladder: tuple[CareLadderRow, ...] = ()
    funding: tuple[FundingRow, ...] = ()
    savings: tuple[SavingsRow, ...] = ()
    capital: tuple[CapitalRow, ...] = ()
    trust: TrustFigures = field(default_factory=TrustFigures)
    risk: RiskShare = field(default_factory=lambda: rules.risk_share(rules.ZERO))

    @property
    def provisional(self) -> bool:
        return self.source is None or self.source.provisional

    @property
    def is_empty(self) -> bool:
        return not (self.revenue or self.care_ladder or self.funding or self.savings or self.capital)

    # Revenue totals: each is the exact sum of its column.
    @property
    def gross_budget(self) -> Decimal:
        return rules.total(r.gross_budget for r in self.revenue)

    @property
    def net_budget(self) -> Decimal:
        return rules.total(r.net_budget for r in self.revenue)

    @property
    def forecast_outturn(self) -> Decimal:
        return rules.total(r.forecast_outturn for r in self.revenue)

    @property
    def net_variance(self) -> Decimal:
        """The net position the risk share splits (rule 8): total forecast outturn − total net budget."""
        return rules.variance(self.net_budget, self.forecast_outturn)

    # Care ladder totals.
    @property
    def contract_cost(self) -> Decimal:
        return rules.total(r.contract_cost for r in self.care_ladder)

    @property
    def forecast_cost(self) -> Decimal:
        return rules.total(r.forecast_cost for r in self.care_ladder)

    @property
    def care_ladder_variance(self) -> Decimal:
        return rules.total(r.variance for r in self.care_ladder)

    @property
    def pressures(self) -> list[CareLadderRow]:
        """The care ladder with the biggest overspend first."""
        return sorted(self.care_ladder, key=lambda r: (-r.variance, r.category))

    @property
    def funding_total(self) -> Decimal:
        return rules.total(r.amount for r in self.funding)

    @property
    def savings_target(self) -> Decimal:
        return rules.total(r.target for r in self.savings)

    @property
    def savings_forecast(self) -> Decimal:
        return rules.total(r.forecast_delivery for r in self.savings)

    @property
    def capital_budget(self) -> Decimal:
        return rules.total(r.revised_budget for r in self.capital)

    @property
    def capital_forecast(self) -> Decimal:
        return rules.total(r.forecast for r in self.capital)

    @property
    def capital_actual(self) -> Decimal:
        return rules.total(r.actual_to_date for r in self.capital)

    def revenue_line(self, name: str) -> RevenueRow | None:
        key = name.strip().casefold()
        return next((r for r in self.revenue if r.name.casefold() == key), None)

    def category(self, category_id: int) -> CareLadderRow | None:
        return next((r for r in self.care_ladder if r.category_id == category_id), None)

    def capital_scheme(self, name: str) -> CapitalRow | None:
        key = name.strip().casefold()
        return next((r for r in self.capital if r.scheme.casefold() == key), None)


def build(
    period: Period,
    source: Source | None,
    *,
    threshold: Decimal,
    council_share: Decimal,
    gain_share: rules.GainShare,
    revenue: Iterable[RevenueRow] = (),
    care_ladder: Iterable[CareLadderRow] = (),
    funding: Iterable[FundingRow] = (),
    savings: Iterable[SavingsRow] = (),
    capital: Iterable[CapitalRow] = (),
    trust: TrustFigures | None = None,
    flagged: bool = False,
) -> MonthPosition:
    """A month's position: rows marked where their variance needs explaining (unless the caller has
    `flagged` them already), and the risk share."""
    revenue_rows = tuple(revenue) if flagged else tuple(_flagged(r, threshold) for r in revenue)
    trust = trust or TrustFigures()
    net = rules.variance(
        rules.total(r.net_budget for r in revenue_rows), rules.total(r.forecast_outturn for r in revenue_rows)
    )
    return MonthPosition(
        period=period,
        source=source,
        revenue=revenue_rows,
        care_ladder=tuple(care_ladder) if flagged else tuple(_flagged(r, threshold) for r in care_ladder),
        funding=tuple(funding),
        savings=tuple(savings),
        capital=tuple(capital),
        trust=trust,
        risk=rules.risk_share(net, council_share, trust.trust_reserves, gain_share),
    )


def _flagged(row: RowT, threshold: Decimal) -> RowT:
    return replace(row, needs_explanation=rules.needs_explanation(row.variance, threshold))


@dataclass(frozen=True)
class YearPositions:
    """The months of one financial year that have figures in force, and the movements between them."""

    year: FinancialYear
    months: dict[Period, MonthPosition]

    def at(self, period: Period) -> MonthPosition | None:
        return self.months.get(period)

    @property
    def latest(self) -> MonthPosition | None:
        found = rules.latest(self.months)
        return found[1] if found else None

    @property
    def quarters(self) -> list[tuple[Quarter, MonthPosition | None]]:
        return rules.quarter_end_values(self.year, self.months)

    def previous_month(self, period: Period) -> MonthPosition | None:
        earlier = rules.previous_month_in_year(period)
        return self.months.get(earlier) if earlier else None

    def previous_quarter(self, period: Period) -> tuple[Quarter, MonthPosition | None] | None:
        """The last quarter end before this month in the year, and its position (None if not reported)."""
        earlier = rules.previous_quarter_end(period)
        if earlier is None:
            return None
        return earlier.quarter, self.months.get(earlier)
