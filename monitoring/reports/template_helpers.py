"""Jinja filters and globals for summaries: they format the JSON a frozen summary holds."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint
from flask_login import current_user
from markupsafe import Markup

from monitoring.charts import Series, bar_chart
from monitoring.core.timeutil import format_date, format_datetime
from monitoring.reports import queries
from monitoring.reports.narrative import narrative_blocks


def iso_date(value: str | date | None) -> str:
    if not value:
        return ""
    day = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    return format_date(day)


def iso_datetime(value: str | datetime | None) -> str:
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return format_datetime(moment)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def percent(value: Any) -> str:
    """70.00 → 70%; 33.50 → 33.5%."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{number.normalize():f}"
    return f"{text}%"


def thousands(value: Any) -> str:
    number = _decimal(value)
    return "" if number is None else f"{number:,}"


def money_m(value: Any) -> str:
    """£1,630,000.00 → £1.63m, as the seeds print money."""
    number = _decimal(value)
    if number is None:
        return ""
    sign = "-" if number < 0 else ""
    return f"{sign}£{abs(number) / 1_000_000:,.2f}m"


# Words that open a sentence and read lower-case after "because"; any other first word (a name such as
# Ofsted, an acronym) is left as written.
SENTENCE_OPENERS = frozenset(
    "the a an this that these those it its there their our we they he she his her of in on at due with "
    "following after before during as".split()
)


def sentence_part(text: Any) -> str:
    """Text to follow "because …": a sentence's ordinary first word lower-cased ("The inspection…")."""
    text = str(text or "").strip()
    first = text.split(" ", 1)[0]
    if first.lower() in SENTENCE_OPENERS and first[:1].isupper():
        return first[0].lower() + text[1:]
    return text


def population_chart(history: list[dict]) -> Markup:
    """Bars of the child population by year, from a frozen summary (counts may come back as text)."""
    children = [None if h["children"] is None else _decimal(h["children"]) for h in history]
    return bar_chart(
        [h["year"] for h in history],
        [Series("Children aged 0 to 17", children)],
        title="Children aged 0 to 17 by financial year",
    )


def pdf_name(summary: Any, version: Any = None) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", f"{summary.contract.name} {summary.period.label}".lower()).strip("-")
    return f"{slug}-summary-v{version.number}.pdf" if version else f"{slug}-summary-draft.pdf"


def render_message(render: Any) -> str:
    if render.is_ready:
        pages = f", {render.pages} pages" if render.pages else ""
        return f"The PDF is ready (prepared {format_datetime(render.finished_at)}{pages})."
    if render.is_pending:
        return "The PDF is being prepared. This usually takes a few seconds; the page offers it when ready."
    return "The PDF could not be prepared. Try again; if it fails again, tell your administrator."


def _signed_in(query: Any) -> Any:
    """A home-page panel's data for the signed-in person (nothing for anyone else)."""

    def panel() -> list:
        return query(current_user) if current_user.is_authenticated else []

    return panel


FILTERS = {
    "iso_date": iso_date,
    "iso_datetime": iso_datetime,
    "percent": percent,
    "thousands": thousands,
    "money_m": money_m,
    "sentence_part": sentence_part,
    "narrative_blocks": narrative_blocks,
}
GLOBALS = {
    "population_chart": population_chart,
    "render_message": render_message,
    "published_summaries_for_user": _signed_in(queries.published_versions_for),
    "summaries_awaiting_approval": _signed_in(queries.awaiting_approval_for),
    "delivery_problems_for_owner": _signed_in(queries.problems_for_owner),
}


def install(bp: Blueprint) -> None:
    """Make the filters and globals available to every template once the blueprint is registered."""

    @bp.record_once
    def _register(state: Any) -> None:
        state.app.jinja_env.filters.update(FILTERS)
        state.app.jinja_env.globals.update(GLOBALS)
