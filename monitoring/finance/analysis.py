"""What the finance pages show, worked out from the months' positions: the dashboard for a month with its
movements, the year with its quarters and capital programme, a line's history across months and
revisions, and the care ladder's activity against the contract over the year."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monitoring.contracts.models import Contract
from monitoring.core.periods import FinancialYear, Period, Quarter
from monitoring.finance import queries, rules
from monitoring.finance.positions import CareLadderRow, MonthPosition, RevenueRow, Source, YearPositions


@dataclass(frozen=True)
class Movement:
    """How the forecast variance moved since an earlier month; `change` is None when that month has no figures."""

    since: str
    change: Decimal | None

    @property
    def words(self) -> str:
        return rules.movement_words(self.change, self.since)


def _movement(now: Decimal, earlier: MonthPosition | None, since: str) -> Movement:
    return Movement(since, rules.movement(now, earlier.net_variance) if earlier else None)


def _line_change(now: RevenueRow, earlier: MonthPosition | None) -> Decimal | None:
    before = earlier.revenue_line(now.name) if earlier else None
    return rules.movement(now.variance, before.variance if before else None)


@dataclass(frozen=True)
class Dashboard:
    period: Period
    position: MonthPosition | None
    since_month: Movement | None  # None in April: a new year is not compared with the last
    since_quarter: Movement | None  # None in quarter 1
    line_movements: dict[str, tuple[Decimal | None, Decimal | None]]
    chart: dict | None
    # The year's figure is the latest month's forecast (its revenue lines only).
    year_position: MonthPosition | None


def dashboard(contract: Contract, period: Period) -> Dashboard:
    """A month's position, how it moved since last month and the last quarter end, and its biggest care-ladder
    pressure over the year: a fixed number of statements (queries.month_figures)."""
    earlier_month = rules.previous_month_in_year(period)
    quarter_end = rules.previous_quarter_end(period)
    found = queries.month_figures(contract, period, [m for m in (earlier_month, quarter_end) if m])
    position = found.position
    months = {**found.earlier, **({period: position} if position else {})}
    year_position = months[max(months)] if months else None
    if position is None:
        return Dashboard(period, None, None, None, {}, None, year_position)
    before = found.earlier.get(earlier_month) if earlier_month else None
    at_quarter_end = found.earlier.get(quarter_end) if quarter_end else None
    since_month = _movement(position.net_variance, before, earlier_month.name) if earlier_month else None
    since_quarter = (
        _movement(position.net_variance, at_quarter_end, rules.quarter_name(quarter_end.quarter))
        if quarter_end
        else None
    )
    movements = {row.name: (_line_change(row, before), _line_change(row, at_quarter_end)) for row in position.revenue}
    chart = None
    if position.pressures:
        top = position.pressures[0]
        chart = category_chart(period.financial_year, found.chart, top.category, until=period)
    return Dashboard(period, position, since_month, since_quarter, movements, chart, year_position)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def rows_of(year: YearPositions, category_id: int) -> dict[Period, CareLadderRow]:
    """One category's care-ladder row in each month of the year that has one."""
    return {m: p.category(category_id) for m, p in year.months.items() if p.category(category_id)}


def category_chart(
    year: FinancialYear, rows: dict[Period, CareLadderRow], name: str, until: Period | None = None
) -> dict:
    """One category's placements each month of the year against its contracted volume, as plain data:
    from April to `until` (else the latest month with figures), so months still to come are not drawn."""
    last = until or (max(rows) if rows else year.months[0])
    months = [m for m in year.months if m <= last]
    found = [rows.get(m) for m in months]
    return {
        "title": f"{name}: placements against the contract, {year.label}",
        "labels": [f"{m.start:%b}" for m in months],
        "actual": [_text(r.actual_activity) if r else None for r in found],
        "forecast": [_text(r.forecast_activity) if r else None for r in found],
        "contracted": [_text(r.contracted_volume) if r else None for r in found],
    }


# --- The year ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    period: Period
    position: MonthPosition | None
    movement: Movement | None


@dataclass(frozen=True)
class CapitalScheme:
    """A capital scheme over the year: the latest budget and spend, each quarter end's forecast."""

    scheme: str
    revised_budget: Decimal
    quarter_forecasts: tuple[Decimal | None, ...]
    actual_to_date: Decimal


@dataclass(frozen=True)
class YearView:
    year: YearPositions
    rows: list[YearRow]
    capital: list[CapitalScheme]

    @property
    def quarters(self) -> list[tuple[Quarter, MonthPosition | None]]:
        return self.year.quarters


def year_view(contract: Contract, year: FinancialYear) -> YearView:
    positions = queries.year_positions(contract, year)
    rows = []
    for month in year.months:
        position = positions.at(month)
        earlier = rules.previous_month_in_year(month)
        movement = None
        if position is not None and earlier is not None:
            movement = _movement(position.net_variance, positions.at(earlier), earlier.name)
        rows.append(YearRow(month, position, movement))
    return YearView(positions, rows, capital_schemes(positions))


def capital_schemes(positions: YearPositions) -> list[CapitalScheme]:
    """Every scheme of the year, in the order of the latest month that has it."""
    names: dict[str, str] = {}
    for month in sorted(positions.months, reverse=True):
        for row in positions.months[month].capital:
            names.setdefault(row.scheme.casefold(), row.scheme)
    schemes = []
    for name in names.values():
        latest = next(
            positions.months[m].capital_scheme(name)
            for m in sorted(positions.months, reverse=True)
            if positions.months[m].capital_scheme(name)
        )
        forecasts = tuple(
            (p.capital_scheme(name).forecast if p and p.capital_scheme(name) else None) for _, p in positions.quarters
        )
        schemes.append(CapitalScheme(latest.scheme, latest.revised_budget, forecasts, latest.actual_to_date))
    return schemes


# --- The history of one line ---------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """A line as one revision of a month's return had it."""

    source: Source
    row: Any  # RevenueRow | CareLadderRow | None (the line was not in that revision)
    in_force: bool


@dataclass(frozen=True)
class HistoryEntry:
    period: Period
    in_force: Version | None
    movement: Decimal | None  # of the line's variance since the month before
    versions: list[Version]  # every submitted revision of the month, oldest first

    @property
    def corrected(self) -> bool:
        """A correction changed this line's figures (the revisions disagree)."""
        return len({_figures(v.row) for v in self.versions}) > 1


def _figures(row: Any) -> tuple:
    if row is None:
        return ()
    if isinstance(row, RevenueRow):
        return (row.gross_budget, row.net_budget, row.forecast_outturn)
    return (
        row.contracted_volume,
        row.unit_contract_value,
        row.actual_activity,
        row.forecast_activity,
        row.forecast_unit_cost,
    )


def line_history(
    contract: Contract, year: FinancialYear, pick: Callable[[MonthPosition], RevenueRow | CareLadderRow | None]
) -> list[HistoryEntry]:
    """A line (picked from each month's position) across the months of a year and the revisions of each."""
    submitted = queries.submitted_revisions(contract.id, year.months[0], year.months[-1])
    chosen = {r.revision_id for r in queries.in_force(submitted).values()}
    found = queries.positions_of(contract, submitted)
    by_month: dict[Period, list[Version]] = {}
    for revision in submitted:
        version = Version(revision.source, pick(found[revision.revision_id]), revision.revision_id in chosen)
        by_month.setdefault(revision.period, []).append(version)
    entries, previous = [], None
    for month in year.months:
        versions = by_month.get(month, [])
        current = next((v for v in versions if v.in_force), None)
        movement = None
        if current and current.row is not None and previous is not None and rules.previous_month_in_year(month):
            movement = rules.movement(current.row.variance, previous.variance)
        entries.append(HistoryEntry(month, current, movement, versions))
        previous = current.row if current else None
    return entries


def revenue_names(positions: YearPositions) -> list[str]:
    """The service areas of the year's revenue lines, in the order of the latest month."""
    names: dict[str, str] = {}
    for month in sorted(positions.months, reverse=True):
        for row in positions.months[month].revenue:
            names.setdefault(row.name.casefold(), row.name)
    return list(names.values())
