"""The contract dashboard's content for a month, worked out once and kept until any record changes.

Sixty measures' analytics cost tens of milliseconds and the dashboard is the page people open most, so
its content is built as plain, fully worded data and kept (audit/cache.py) until the next write.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitoring.audit.cache import until_changed
from monitoring.contracts.models import Contract
from monitoring.core.periods import Period
from monitoring.performance.analytics import Analysis, MeasureResult, by_objective
from monitoring.performance.display import figure, signed
from monitoring.performance.rules import ComparatorGap, rollup

RAG_COLOURS = {"green": "green", "amber": "yellow", "red": "red", "grey": "grey", "not_judged": "grey"}


@dataclass(frozen=True, slots=True)
class Gap:
    value: str
    difference: str
    word: str


@dataclass(frozen=True, slots=True)
class Row:
    """A measure's line on the dashboard, every figure already worded. (Slotted: a template reads
    thousands of these attributes a request, and plain attributes are the quickest for Jinja.)"""

    indicator_id: int
    objective_id: int | None
    code: str
    title: str
    value: str
    annualised: str
    provisional: bool
    target: str
    rag: str
    rag_label: str
    rag_symbol: str
    rag_colour: str
    direction: str
    arrow: str
    previous: str
    forecast: str
    forecast_is_manual: bool
    face: str
    face_label: str
    face_word: str  # "Likely", "May", "Unlikely": the face's words for a narrow column
    face_symbol: str
    national: Gap | None
    neighbours: Gap | None
    flags: tuple[str, ...]


Words = Callable[[Any, Any], str]


def _gap(gap: ComparatorGap | None, unit: Any, words: Words) -> Gap | None:
    if gap is None:
        return None
    word = {True: "better", False: "worse"}.get(gap.better, "")
    return Gap(words(gap.comparator, unit), signed(gap.difference, unit), word)


def row(r: MeasureResult, words: Words = figure) -> Row:
    """A measure's result in words: the dashboard's line, and (with narrower `words`) the summary's."""
    unit = r.indicator.unit
    return Row(
        indicator_id=r.indicator.id,
        objective_id=r.indicator.objective_id,
        code=r.indicator.code,
        title=r.indicator.title,
        value=words(r.value, unit),
        annualised=words(r.annualised, unit) if r.annualised is not None else "",
        provisional=r.point.provisional,
        target=words(r.target, unit) if r.target is not None else "",
        rag=r.rag.value,
        rag_label=r.rag.label,
        rag_symbol=r.rag.symbol,
        rag_colour=RAG_COLOURS[r.rag.value],
        direction=r.direction.label if r.direction else "",
        arrow=r.arrow,
        previous=words(r.previous.value, unit) if r.previous else "",
        forecast=words(r.forecast, unit) if r.forecast is not None else "",
        forecast_is_manual=r.forecast_is_manual,
        face=r.face.value if r.face else "",
        face_label=r.face.label if r.face else "",
        face_word=r.face.label.split()[0] if r.face else "",
        face_symbol=r.face.symbol if r.face else "",
        national=_gap(r.national, unit, words),
        neighbours=_gap(r.neighbours, unit, words),
        flags=tuple(flag.reason for flag in r.flags),
    )


def build(contract: Contract, period: Period) -> dict:
    results = Analysis.for_period(contract, period).results(period)
    overall = rollup(r.rag for r in results)
    return {
        "total": len(results),
        "provisional": any(r.point.provisional for r in results),
        "overall": {
            "status": overall.status.label,
            "counts": [(rag.label, count) for rag, count in overall.counts.items()],
        },
        "objectives": [
            {
                "id": g.objective.id if g.objective else None,
                "name": g.name,
                "status": g.rollup.status.label,
                "counts": list(g.rollup.counts.values()),
                "rows": [row(r) for r in g.results],
            }
            for g in by_objective(results)
        ],
    }


def content(contract: Contract, period: Period) -> dict:
    """The month's dashboard content, kept until any record changes."""
    return until_changed("performance dashboard", (contract.id, period), lambda: build(contract, period))


def shown(data: dict, objective_id: int | None, status: str) -> list[dict]:
    """The objectives' groups with only the rows the filters ask for (and no empty group)."""
    groups = []
    for group in data["objectives"]:
        if objective_id and group["id"] != objective_id:
            continue
        rows = group["rows"]
        if status == "flagged":
            rows = [r for r in rows if r.flags]
        elif status:
            rows = [r for r in rows if r.rag == status]
        if rows:
            groups.append({**group, "rows": rows})
    return groups
