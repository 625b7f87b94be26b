"""The performance of a contract's basket for a month: each measure's value, RAG, direction of
travel, forecast and face, comparators and challenge flags, by the pure rules in rules.py.

`Analysis` loads everything it needs for a window of months in a fixed number of statements, so a
page costs the same with one year of history or ten.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from monitoring.contracts.models import Contract
from monitoring.core.periods import Period
from monitoring.performance import queries
from monitoring.performance.models import BasketEntry, Indicator, IndicatorYear, Objective
from monitoring.performance.queries import Figures
from monitoring.performance.rules import (
    Accumulation,
    ChallengeFlag,
    ComparatorGap,
    Direction,
    Face,
    Rag,
    Rollup,
    accumulates,
    arrow_for,
    comparator_gap,
    computed_value,
    direction,
    face,
    flags_for_challenge,
    forecast,
    percentage,
    rag,
    rollup,
)

STREAK = 3  # Red for this many due periods in a row flags a measure for challenge


@dataclass(frozen=True)
class Point:
    """A measure's figure for one month, and whether the council has accepted it."""

    period: Period
    value: Decimal | None
    provisional: bool = False
    returned: Figures | None = None


@dataclass(frozen=True)
class MeasureResult:
    """Everything a dashboard row, a report's KPI table or the API says about a measure for a month."""

    entry: BasketEntry
    period: Period
    point: Point
    year: IndicatorYear | None
    rag: Rag
    previous: Point | None
    direction: Direction | None
    forecast: Decimal | None
    forecast_is_manual: bool
    face: Face | None
    national: ComparatorGap | None
    neighbours: ComparatorGap | None
    flags: list[ChallengeFlag] = field(default_factory=list)
    # A year-to-date count or rate at its annual run rate: what is judged and compared (None otherwise).
    annualised: Decimal | None = None

    @property
    def indicator(self) -> Indicator:
        return self.entry.indicator

    @property
    def value(self) -> Decimal | None:
        return self.point.value

    @property
    def target(self) -> Decimal | None:
        return self.year.target if self.year else None

    @property
    def arrow(self) -> str:
        return arrow_for(self.direction, self.indicator.polarity) if self.direction else ""

    @property
    def commentary(self) -> str:
        return self.point.returned.commentary if self.point.returned else ""

    @property
    def forecast_rationale(self) -> str:
        return self.point.returned.forecast_rationale if self.point.returned and self.forecast_is_manual else ""

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class ObjectiveSummary:
    objective: Objective | None
    results: list[MeasureResult]
    rollup: Rollup

    @property
    def name(self) -> str:
        return self.objective.name if self.objective else "Other measures"


def comparable(indicator: Indicator, point: Point) -> Decimal | None:
    """The figure to judge and compare: a year-to-date count or rate at its annual run rate (year to date
    × 12 ÷ months gone), since its target and comparators are for a whole year; anything else as it is."""
    if point.value is None or not accumulates(indicator.accumulation, indicator.unit):
        return point.value
    return forecast(point.value, indicator.accumulation, indicator.unit, point.period.month_of_year)


def previous_period(indicator: Indicator, period: Period) -> Period:
    """The period a movement is measured against (rule 4): the last time the measure was due, or the
    same month last year when the measure says so."""
    if indicator.compare_with_last_year:
        return period.same_month_last_year()
    step = {"monthly": 1, "quarterly": 3, "annual": 12}[indicator.frequency.value]
    return period.shift(-step)


class Analysis:
    """The contract's baskets, figures in force, case audits and populations over a window of months."""

    def __init__(self, contract: Contract, first: Period, last: Period, *, months_only: bool = False) -> None:
        """Load the window from `first` to `last`; with `months_only`, just the months a page about `last`
        reads (it, and the periods its measures are compared with), which is all a dashboard needs."""
        self.contract = contract
        self.first, self.last = first, last
        # Directions and streaks look back a year before the window's first month.
        self._from = first.shift(-12)
        self._points: dict[tuple[int, Period], Point] = {}
        self.baskets = queries.baskets(contract.id)
        only = self.months_read(last) if months_only else None
        self.values = queries.in_force_values(contract.id, self._from, last, only)
        self.audits = queries.audit_tallies(contract.id, self._from, last)

    @classmethod
    def for_period(cls, contract: Contract, period: Period, years: int = 1) -> Analysis:
        first, last = queries.window(period, years)
        return cls(contract, first, last, months_only=years == 1)

    def months_read(self, period: Period) -> set[Period]:
        """The months a month's results read: the month, each measure's comparison period and its streak."""
        months = {period}
        for entry in queries.due_entries(queries.basket_in_force(self.baskets, period), period):
            months.add(previous_period(entry.indicator, period))
            months.update(self.due_periods_back(entry.indicator, period, STREAK))
        return months

    # --- One measure's figures --------------------------------------------------------------

    def _audit_point(self, indicator: Indicator, period: Period) -> Point:
        months = [period]
        if indicator.accumulation is Accumulation.RATIO_YTD:
            months = [m for m in period.financial_year.months if m <= period]
        tallies = [self.audits[m] for m in months if m in self.audits]
        if not tallies or period not in self.audits:
            return Point(period, None)
        return Point(period, percentage(sum(t.good_or_better for t in tallies), sum(t.cases for t in tallies)))

    def point(self, indicator: Indicator, period: Period) -> Point:
        key = (indicator.id, period)
        if key not in self._points:
            self._points[key] = self._point(indicator, period)
        return self._points[key]

    def _point(self, indicator: Indicator, period: Period) -> Point:
        if indicator.from_case_audits:
            return self._audit_point(indicator, period)
        found = self.values.get(indicator.id, {}).get(period)
        if found is None:
            return Point(period, None)
        returned = found.value
        population = self.contract.population_for(period.financial_year)
        value = computed_value(
            indicator.unit,
            value=returned.value,
            numerator=returned.numerator,
            denominator=returned.denominator,
            is_ratio=indicator.is_ratio,
            population=population,
        )
        return Point(period, value, found.provisional, returned)

    def rag_at(self, indicator: Indicator, period: Period) -> Rag:
        year = indicator.year(period.financial_year)
        target, tolerance = (year.target, year.tolerance) if year else (None, None)
        return rag(comparable(indicator, self.point(indicator, period)), target, tolerance, indicator.polarity)

    def due_periods_back(self, indicator: Indicator, period: Period, count: int) -> list[Period]:
        """The last `count` periods the measure was due, oldest first, ending with `period`."""
        found, current = [], period
        while len(found) < count and current >= self._from:
            if indicator.due_in(current):
                found.append(current)
            current = current.shift(-1)
        return list(reversed(found))

    # --- A measure's result for a month -----------------------------------------------------

    def result(self, entry: BasketEntry, period: Period) -> MeasureResult:
        indicator = entry.indicator
        year = indicator.year(period.financial_year)
        target = year.target if year else None
        tolerance = year.tolerance if year else None
        point = self.point(indicator, period)
        before = self.point(indicator, previous_period(indicator, period))
        judged, judged_before = comparable(indicator, point), comparable(indicator, before)
        returned = point.returned
        manual = returned.forecast if returned is not None else None
        projected = forecast(point.value, indicator.accumulation, indicator.unit, period.month_of_year, manual=manual)
        national = year.national if year else None
        neighbours = year.neighbours if year else None
        streak = [self.rag_at(indicator, p) for p in self.due_periods_back(indicator, period, STREAK)]
        return MeasureResult(
            entry=entry,
            period=period,
            point=point,
            year=year,
            rag=rag(judged, target, tolerance, indicator.polarity),
            previous=before if before.value is not None else None,
            direction=direction(judged, judged_before, indicator.polarity, indicator.no_change_band),
            forecast=projected,
            forecast_is_manual=manual is not None and point.value is not None,
            face=face(projected, target, tolerance, indicator.polarity),
            national=comparator_gap(judged, national, indicator.polarity),
            neighbours=comparator_gap(judged, neighbours, indicator.polarity),
            flags=flags_for_challenge(streak, judged, national, neighbours, indicator.polarity, streak=STREAK),
            annualised=judged if accumulates(indicator.accumulation, indicator.unit) else None,
        )

    def results(self, period: Period) -> list[MeasureResult]:
        """Every measure of the basket in force that is due in the month, in basket order."""
        basket = queries.basket_in_force(self.baskets, period)
        return [self.result(entry, period) for entry in queries.due_entries(basket, period)]

    def series(self, indicator: Indicator, first: Period, last: Period) -> list[Point]:
        """The measure's figure for every month it was due from `first` to `last` (None where missing)."""
        months, current = [], first
        while current <= last:
            if indicator.due_in(current):
                months.append(self.point(indicator, current))
            current = current.shift(1)
        return months


def by_objective(results: Iterable[MeasureResult]) -> list[ObjectiveSummary]:
    """Results grouped by objective (in the objectives' order), each with its roll-up (counts by RAG, status)."""
    groups: dict[int | None, list[MeasureResult]] = defaultdict(list)
    objectives: dict[int | None, Objective | None] = {}
    for result in results:
        objective = result.indicator.objective
        key = objective.id if objective else None
        groups[key].append(result)
        objectives[key] = objective
    ordered = sorted(groups, key=lambda k: (k is None, objectives[k].position if objectives[k] else 0, k or 0))
    return [ObjectiveSummary(objectives[k], groups[k], rollup(r.rag for r in groups[k])) for k in ordered]
