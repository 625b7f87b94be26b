"""What the weekly digest and the return reminders say: registries the other areas fill.

- `DIGEST_SECTIONS`: a titled list of things overdue or waiting, per contract. The performance
  and finance areas add overdue returns, the meetings area overdue actions (docs/reports.md).
- `REMINDER_CHECKS`: functions (contract, period) -> list of returns still outstanding for a
  month. With none registered a reminder is always sent; with some, it is sent only when at
  least one says something is outstanding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select

from monitoring.extensions import db


@dataclass(frozen=True)
class DigestItem:
    text: str
    path: str = ""  # a page of the app, e.g. "/contracts/1/returns/2017-08"


@dataclass(frozen=True)
class DigestSection:
    key: str
    title: str
    order: int
    items: Callable[[Any, date], list[DigestItem]]


DIGEST_SECTIONS: dict[str, DigestSection] = {}
REMINDER_CHECKS: list[Callable[[Any, Any], list[str]]] = []


def register_digest_section(section: DigestSection) -> None:
    if section.key in DIGEST_SECTIONS:
        raise ValueError(f"a digest section called {section.key!r} is already registered")
    DIGEST_SECTIONS[section.key] = section


def digest_for(contract: Any, today: date) -> list[tuple[str, list[DigestItem]]]:
    """The digest's non-empty sections, in order."""
    found = []
    for section in sorted(DIGEST_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        items = section.items(contract, today)
        if items:
            found.append((section.title, items))
    return found


def outstanding_returns(contract: Any, period: Any) -> list[str] | None:
    """What is still outstanding for a month, or None when no area can tell (then remind anyway)."""
    if not REMINDER_CHECKS:
        return None
    return [item for check in REMINDER_CHECKS for item in check(contract, period)]


# --- This area's own digest sections ---------------------------------------------------------------


def _summaries_awaiting_approval(contract: Any, today: date) -> list[DigestItem]:
    from monitoring.reports.models import Summary, SummaryStatus

    rows = db.session.scalars(
        select(Summary).where(Summary.contract_id == contract.id, Summary.status == SummaryStatus.AWAITING_APPROVAL)
    )
    return [
        DigestItem(f"{s.title} is waiting for a director's approval", app_path("reports.show", summary_id=s.id))
        for s in rows
    ]


def _delivery_problems(contract: Any, today: date) -> list[DigestItem]:
    from monitoring.reports.models import Delivery, DeliveryStatus

    rows = db.session.scalars(
        select(Delivery)
        .where(
            Delivery.contract_id == contract.id,
            Delivery.status.in_([DeliveryStatus.FAILED, DeliveryStatus.UNCONFIRMED]),
        )
        .order_by(Delivery.due_at)
    )
    return [
        DigestItem(
            f"{d.subject or d.period_key} to {d.recipient.name}: {d.status.label.lower()}",
            app_path("deliveries.deliveries", contract_id=contract.id),
        )
        for d in rows
    ]


def app_path(endpoint: str, **values: Any) -> str:
    """The path of one of the app's pages, built outside any request (scheduled jobs)."""
    from flask import current_app, url_for

    with current_app.test_request_context("/"):
        return url_for(endpoint, **values)


def _overdue_actions(contract: Any, today: date) -> list[DigestItem]:
    from monitoring.meetings.queries import ActionFilters, action_log

    return [
        DigestItem(
            f"{a.title} ({a.owner_label}): due {a.due_date.day} {a.due_date:%B %Y}, "
            f"{a.days_overdue(today)} working days overdue",
            app_path("meetings.action", contract_id=contract.id, action_id=a.id),
        )
        for a in action_log(contract.id, ActionFilters(status="overdue"), today)
    ]


def _overdue_deep_dives(contract: Any, today: date) -> list[DigestItem]:
    from monitoring.meetings.queries import deep_dives

    return [
        DigestItem(
            f"{d.title} ({d.owner}): findings were due {d.due_date.day} {d.due_date:%B %Y}",
            app_path("meetings.deep_dive", contract_id=contract.id, deep_dive_id=d.id),
        )
        for d in deep_dives(contract.id)
        if d.is_overdue(today)
    ]


register_digest_section(DigestSection("overdue_actions", "Overdue actions", 20, _overdue_actions))
register_digest_section(DigestSection("overdue_deep_dives", "Deep dives past their due date", 30, _overdue_deep_dives))
register_digest_section(
    DigestSection("summaries_awaiting_approval", "Summaries waiting for approval", 50, _summaries_awaiting_approval)
)
register_digest_section(DigestSection("delivery_problems", "Scheduled emails that did not go", 90, _delivery_problems))
