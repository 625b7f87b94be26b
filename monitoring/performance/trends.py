"""A measure's five-year trend: its monthly figures with honest gaps, and each year's target and
comparators, as a chart (the same SVG on the page and in printed summaries) and as tables."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from markupsafe import Markup

from monitoring.charts import Series, trend_chart
from monitoring.contracts.models import Contract
from monitoring.core.periods import FinancialYear, Period
from monitoring.performance.analytics import Analysis, Point
from monitoring.performance.models import Indicator
from monitoring.performance.queries import window

YEARS = 5


@dataclass(frozen=True)
class YearRow:
    year: FinancialYear
    latest: Point | None  # the year's last figure (for a year in progress, the latest so far)
    target: Decimal | None
    national: Decimal | None
    neighbours: Decimal | None


@dataclass(frozen=True)
class Trend:
    points: list[Point]
    years: list[YearRow]
    chart: Markup

    @property
    def missing(self) -> int:
        return sum(1 for p in self.points if p.value is None)


def chart_for(indicator: Indicator, points: list[Point], title: str | None = None) -> Markup:
    """The trend chart of a measure's points, with the target and comparators of each point's year."""

    def per_point(attribute: str) -> list[Decimal | None]:
        values = []
        for point in points:
            year = indicator.year(point.period.financial_year)
            values.append(getattr(year, attribute) if year else None)
        return values

    series = [Series(indicator.code, [p.value for p in points], "line")]
    for attribute, name, kind in (
        ("target", "Target", "target"),
        ("national", "National", "comparator"),
        ("neighbours", "Statistical neighbours", "comparator"),
    ):
        values = per_point(attribute)
        if any(v is not None for v in values):
            series.append(Series(name, values, kind))
    return trend_chart(
        [p.period.label for p in points],
        series,
        title=title or f"{indicator.label}: five-year trend",
        unit_suffix=indicator.unit.suffix,
    )


def trend_points(analysis: Analysis, indicator: Indicator, period: Period, years: int = YEARS) -> list[Point]:
    first, last = window(period, years)
    return analysis.series(indicator, first, last)


def indicator_trend(contract: Contract, indicator: Indicator, period: Period) -> Trend:
    first, last = window(period, YEARS)
    analysis = Analysis(contract, first, last)
    points = analysis.series(indicator, first, last)
    rows = []
    for offset in range(YEARS):
        year = FinancialYear(first.financial_year.start_year + offset)
        in_year = [p for p in points if p.period.financial_year == year and p.value is not None]
        figures = indicator.year(year)
        rows.append(
            YearRow(
                year=year,
                latest=in_year[-1] if in_year else None,
                target=figures.target if figures else None,
                national=figures.national if figures else None,
                neighbours=figures.neighbours if figures else None,
            )
        )
    return Trend(points=points, years=rows, chart=chart_for(indicator, points))
