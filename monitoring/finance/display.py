"""How finance figures are written on pages, in summaries and in spreadsheets: £m to two decimals and
£k as the seeds print them, exact pounds where a figure is checked, placements as counted."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from flask import Blueprint
from markupsafe import Markup

from monitoring.charts import Series, bar_chart
from monitoring.finance import rules


def _decimal(value: Any) -> Decimal | None:
    """Figures arrive as Decimal, or as text from a frozen summary."""
    if isinstance(value, Decimal):
        return value
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _money(convert: Any) -> Any:
    def show(value: Any) -> str:
        number = _decimal(value)
        return "–" if number is None else convert(number)

    return show


def pounds(value: Any) -> str:
    """Exact, with pence: £1,630,000.10."""
    number = _decimal(value)
    if number is None:
        return "–"
    return f"{'−' if number < 0 else ''}£{abs(rules.to_penny(number)):,.2f}"


def signed_m(value: Any) -> str:
    """A movement in £m with its sign: +£0.05m, −£0.23m."""
    number = _decimal(value)
    if number is None:
        return "–"
    return ("+" if number > 0 else "") + rules.in_millions(number)


def count(value: Any) -> str:
    """Placements or staff as counted: 31, 30.5."""
    number = _decimal(value)
    if number is None:
        return "–"
    return f"{number.normalize():,f}"


def plain(value: Any) -> str:
    """A figure as typed in a form or spreadsheet: no separators or £ (1630000.10, 30.5)."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{number:f}" if number.as_tuple().exponent == -2 else f"{number.normalize():f}"


def sentence(text: str) -> str:
    """The first letter a capital, the rest as written (Jinja's capitalize lowers "August")."""
    return text[:1].upper() + text[1:]


FILTERS = {
    "sentence": sentence,
    "pounds_m": _money(rules.in_millions),
    "pounds_k": _money(rules.in_thousands),
    "pounds_brief": _money(rules.brief_money),
    "pounds_whole": _money(rules.exact_pounds),
    "pounds": pounds,
    "signed_m": signed_m,
    "placements": count,
    "finance_plain": plain,
}


def care_ladder_chart(chart: dict) -> Markup:
    """Placements against the contract over the year: actual at each month's end and the forecast
    average as bars, the contracted volume as a dashed step. `chart` is plain data (a frozen summary's)."""
    parts = ("labels", "actual", "forecast", "contracted")
    return _drawn(chart["title"], *(tuple(chart[p]) for p in parts))


@lru_cache(maxsize=256)
def _drawn(title: str, labels: tuple, actual: tuple, forecast: tuple, contracted: tuple) -> Markup:
    # The same figures always draw the same chart, and a dashboard is read far more often than it changes.
    return bar_chart(
        labels,
        [
            Series("Actual at month end", [_decimal(v) for v in actual]),
            Series("Forecast average", [_decimal(v) for v in forecast]),
            Series("Contracted", [_decimal(v) for v in contracted], "target"),
        ],
        title=title,
    )


GLOBALS = {
    "care_ladder_chart": care_ladder_chart,
    "risk_share_words": rules.risk_share_words,
    "variance_words": rules.variance_words,
}


def install(bp: Blueprint) -> None:
    @bp.record_once
    def _register(state: Any) -> None:
        state.app.jinja_env.filters.update(FILTERS)
        state.app.jinja_env.globals.update(GLOBALS)
