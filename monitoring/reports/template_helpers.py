"""Jinja filters and globals for summaries: they format the JSON a frozen summary holds."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Blueprint
from flask_login import current_user
from markupsafe import Markup

from monitoring.core.timeutil import format_date, format_datetime
from monitoring.reports.narrative import narrative_blocks
from monitoring.reports.placeholder_charts import bar_chart


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


def population_chart(history: list[dict]) -> Markup:
    points = [(h["year"], h["children"]) for h in history]
    description = "; ".join(f"{h['year']}: {h['children']:,}" for h in history)
    return bar_chart(points, "Children aged 0 to 17 by financial year", description)


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


def published_summaries_for_user() -> list:
    """Published summaries of the signed-in person's contracts, newest first (scrutiny home page)."""
    from sqlalchemy import select

    from monitoring.extensions import db
    from monitoring.reports.models import Summary, SummaryVersion, VersionState

    if not current_user.is_authenticated:
        return []
    rows = db.session.scalars(
        select(SummaryVersion)
        .join(Summary)
        .where(Summary.contract_id.in_(current_user.contract_ids), SummaryVersion.state == VersionState.PUBLISHED)
        .order_by(SummaryVersion.decided_at.desc())
    ).all()
    return list(rows)


def summaries_awaiting_approval() -> list:
    from sqlalchemy import select

    from monitoring.extensions import db
    from monitoring.reports.models import Summary, SummaryStatus

    if not current_user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(Summary)
            .where(
                Summary.contract_id.in_(current_user.contract_ids), Summary.status == SummaryStatus.AWAITING_APPROVAL
            )
            .order_by(Summary.updated_at)
        )
    )


def delivery_problems_for_owner() -> list:
    from sqlalchemy import select

    from monitoring.extensions import db
    from monitoring.reports.models import Delivery, DeliverySchedule, DeliveryStatus

    if not current_user.is_authenticated:
        return []
    return list(
        db.session.scalars(
            select(Delivery)
            .join(DeliverySchedule)
            .where(
                DeliverySchedule.owner_id == current_user.id,
                Delivery.status.in_([DeliveryStatus.FAILED, DeliveryStatus.UNCONFIRMED]),
            )
            .order_by(Delivery.due_at.desc())
            .limit(20)
        )
    )


FILTERS = {
    "iso_date": iso_date,
    "iso_datetime": iso_datetime,
    "percent": percent,
    "thousands": thousands,
    "money_m": money_m,
    "narrative_blocks": narrative_blocks,
}
GLOBALS = {
    "population_chart": population_chart,
    "render_message": render_message,
    "published_summaries_for_user": published_summaries_for_user,
    "summaries_awaiting_approval": summaries_awaiting_approval,
    "delivery_problems_for_owner": delivery_problems_for_owner,
}


def install(bp: Blueprint) -> None:
    """Make the filters and globals available to every template once the blueprint is registered."""

    @bp.record_once
    def _register(state: Any) -> None:
        state.app.jinja_env.filters.update(FILTERS)
        state.app.jinja_env.globals.update(GLOBALS)
