"""What the weekly digest and the return reminders say about returns, for every kind of return:
returns past their deadline and not yet submitted (rule 6), and the ones still to come for a month."""

from __future__ import annotations

from datetime import date
from typing import Any

from monitoring.reports.digest import REMINDER_CHECKS, DigestItem, DigestSection, app_path, register_digest_section
from monitoring.returns import operations, queries
from monitoring.returns.models import ReturnKind


def overdue_returns(contract: Any, today: date) -> list[DigestItem]:
    items = []
    for kind in ReturnKind:
        for row in queries.overdue(contract, kind, today):
            where = (
                app_path("returns.show", contract_id=contract.id, return_id=row.monthly_return.id)
                if row.monthly_return
                else app_path("returns.index", contract_id=contract.id, year=row.period.financial_year.label)
            )
            items.append(
                DigestItem(
                    f"{kind.label} for {row.period.name}: due {row.timeliness.due.day} "
                    f"{row.timeliness.due:%B %Y}, {row.timeliness.label.lower()}",
                    where,
                )
            )
    return items


def outstanding(contract: Any, period: Any) -> list[str]:
    """The returns for a month that the trust has not submitted yet: of the kinds it has started
    sending, or of every kind when it has sent none yet."""
    missing = []
    started = {kind for kind, first in queries.first_months(contract.id).items() if first < period}
    kinds = started or set(ReturnKind)
    for kind in [k for k in ReturnKind if k in kinds]:
        monthly = operations.find_return(contract.id, kind, period)
        if monthly is None or monthly.first_submitted_at is None:
            missing.append(kind.label)
    return missing


register_digest_section(DigestSection("overdue_returns", "Overdue returns", 10, overdue_returns))
REMINDER_CHECKS.append(outstanding)
