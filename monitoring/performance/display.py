"""How performance figures are written on pages, in reports and spreadsheets."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Blueprint

from monitoring.performance.vocabulary import Unit


def plain(number: Decimal | int | None) -> str:
    """A figure as typed in a form: no separators, no trailing zeros (82.30 → 82.3, 1E+2 → 100)."""
    if number is None:
        return ""
    text = format(Decimal(number).normalize(), "f")
    return text


def figure(number: Decimal | int | None, unit: Unit | str | None = None) -> str:
    """A figure for reading: 82.3%, 82.3 per 10,000, 1,234, 12.5 days, £1,234.56; "no data" when missing."""
    if number is None:
        return "no data"
    value = Decimal(number)
    unit = Unit(unit) if unit else None
    if unit is Unit.MONEY:
        return f"{'-' if value < 0 else ''}£{abs(value):,.2f}"
    text = f"{value.normalize():,f}"
    if unit is Unit.PERCENTAGE:
        return f"{text}%"
    if unit is Unit.RATE_PER_10K:
        return f"{text} per 10,000"
    if unit is Unit.DAYS:
        return f"{text} day{'' if value == 1 else 's'}"
    return text


def compact(number: Decimal | int | None, unit: Unit | str | None = None) -> str:
    """A figure for a narrow table column: as `figure`, but a rate without "per 10,000" (the measure's
    title says so) and money to the pound."""
    if unit is not None and Unit(unit) is Unit.RATE_PER_10K:
        return figure(number, Unit.COUNT)
    if unit is not None and Unit(unit) is Unit.MONEY and number is not None:
        value = Decimal(number).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return f"{'-' if value < 0 else ''}£{abs(value):,}"
    return figure(number, unit)


def signed(number: Decimal | None, unit: Unit | str | None = None) -> str:
    """A difference with its sign: +22.3, −6.3 (percentage points are written "points")."""
    if number is None:
        return ""
    value = Decimal(number)
    magnitude = f"{abs(value).normalize():,f}"
    sign = "+" if value > 0 else "−" if value < 0 else ""
    unit = Unit(unit) if unit else None
    suffix = " points" if unit is Unit.PERCENTAGE else ""
    return f"{sign}{magnitude}{suffix}"


def summary_trend_chart(chart: dict) -> Any:
    """A frozen summary's trend chart (figures kept as text) drawn with the same charts as the pages."""
    from monitoring.charts import Series, trend_chart

    series = [
        Series(s["name"], [None if v is None else Decimal(v) for v in s["values"]], s["kind"]) for s in chart["series"]
    ]
    return trend_chart(
        chart["labels"], series, title=f"{chart['code']} {chart['title']}", unit_suffix=chart["unit_suffix"]
    )


FILTERS = {"plain": plain, "figure": figure, "signed": signed}
GLOBALS = {"summary_trend_chart": summary_trend_chart}


def install(bp: Blueprint) -> None:
    @bp.record_once
    def _register(state: Any) -> None:
        state.app.jinja_env.filters.update(FILTERS)
        state.app.jinja_env.globals.update(GLOBALS)
