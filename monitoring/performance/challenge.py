"""Measures flagged for challenge go on the next Joint Performance & Finance meeting's agenda, where
the meeting can refer them for a deep dive."""

from __future__ import annotations

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.meetings.models import AgendaItem, MeetingKind
from monitoring.meetings.operations import add_agenda_item_from_source, register_source_kind
from monitoring.performance.analytics import Analysis
from monitoring.performance.models import Indicator
from monitoring.performance.queries import basket_for, due_entries

CHALLENGE = "indicator"
register_source_kind(CHALLENGE, "Measure flagged for challenge")


def suggest_for_challenge(contract: Contract, indicator: Indicator, period: Period) -> AgendaItem:
    """Put a flagged measure on the next Joint Performance & Finance agenda, with why it was flagged."""
    entry = next(
        (e for e in due_entries(basket_for(contract.id, period), period) if e.indicator_id == indicator.id), None
    )
    if entry is None:
        raise InvalidInput({"__all__": f"{indicator.code} is not in the KPI basket for {period.name}"})
    result = Analysis.for_period(contract, period).result(entry, period)
    if not result.is_flagged:
        raise InvalidInput({"__all__": f"{indicator.code} is not flagged for challenge in {period.name}"})
    reasons = "; ".join(flag.reason for flag in result.flags)
    return add_agenda_item_from_source(
        MeetingKind.JOINT_PERFORMANCE_FINANCE,
        contract_id=contract.id,
        title=f"Challenge: {indicator.label}",
        source_kind=CHALLENGE,
        source_id=indicator.id,
        description=f"Flagged in {period.name}: {reasons}. Consider referring it for a deep dive.",
    )
