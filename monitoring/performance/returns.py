"""The KPI return as a kind of return: what the shared workflow needs to know about its figures."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from monitoring.contracts.models import Contract
from monitoring.extensions import db
from monitoring.performance import queries
from monitoring.performance.analytics import Point, comparable
from monitoring.performance.models import BasketEntry, KpiValue
from monitoring.performance.rules import Rag, computed_value, rag
from monitoring.returns.kinds import KindSpec, register_kind
from monitoring.returns.models import ReturnKind, ReturnRevision


def due_entries(revision: ReturnRevision) -> list[BasketEntry]:
    """The measures the return for this revision's month must cover."""
    period = revision.monthly_return.period
    return queries.due_entries(queries.basket_for(revision.contract_id, period), period)


def values_of(revision: ReturnRevision) -> dict[int, KpiValue]:
    rows = db.session.scalars(select(KpiValue).where(KpiValue.revision_id == revision.id))
    return {v.indicator_id: v for v in rows}


def copy_values(source: ReturnRevision, target: ReturnRevision) -> None:
    for value in values_of(source).values():
        db.session.add(
            KpiValue(
                contract_id=target.contract_id,
                revision=target,
                indicator=value.indicator,
                value=value.value,
                numerator=value.numerator,
                denominator=value.denominator,
                commentary=value.commentary,
                forecast=value.forecast,
                forecast_rationale=value.forecast_rationale,
            )
        )


def row_for(entry: BasketEntry, value: KpiValue | None, contract: Contract, revision: ReturnRevision) -> dict[str, Any]:
    """A measure's line in a return: what was returned, the figure it gives, and its RAG for the month."""
    indicator = entry.indicator
    period = revision.monthly_return.period
    year = indicator.year(period.financial_year)
    figure = None
    if value is not None:
        figure = computed_value(
            indicator.unit,
            value=value.value,
            numerator=value.numerator,
            denominator=value.denominator,
            is_ratio=indicator.is_ratio,
            population=contract.population_for(period.financial_year),
        )
    judged_figure = comparable(indicator, Point(period, figure))
    judged = rag(judged_figure, year.target if year else None, year.tolerance if year else None, indicator.polarity)
    return {"entry": entry, "indicator": indicator, "value": value, "figure": figure, "rag": judged, "year": year}


def _in_objective_order(entry: BasketEntry) -> tuple:
    objective = entry.indicator.objective
    return (objective is None, objective.position if objective else 0, objective.id if objective else 0, entry.position)


def rows(revision: ReturnRevision) -> list[dict[str, Any]]:
    """The return's measures grouped by objective (in the objectives' order), basket order within."""
    contract = db.session.get(Contract, revision.contract_id)
    found = values_of(revision)
    entries = sorted(due_entries(revision), key=_in_objective_order)
    return [row_for(e, found.get(e.indicator_id), contract, revision) for e in entries]


def problems_before_submit(revision: ReturnRevision) -> dict[str, str]:
    """Every required measure has a value, and every Red value is explained."""
    problems = {}
    for row in rows(revision):
        indicator, value = row["indicator"], row["value"]
        if indicator.from_case_audits:
            continue  # filled from the month's case-file audits
        if row["entry"].required and (value is None or value.is_empty):
            problems[f"v-{indicator.code}"] = f"{indicator.label}: enter a value (it is a required measure)"
        elif row["rag"] is Rag.RED and not (value.commentary or "").strip():
            problems[f"c-{indicator.code}"] = (
                f"{indicator.label} is Red: add commentary on why, and what is being done about it"
            )
    return problems


def query_subjects(revision: ReturnRevision) -> list[tuple[str, str]]:
    return [(r["indicator"].code, r["indicator"].label) for r in rows(revision) if not r["indicator"].from_case_audits]


def values_context(revision: ReturnRevision) -> dict[str, Any]:
    return {"rows": rows(revision)}


register_kind(
    KindSpec(
        kind=ReturnKind.KPI,
        copy_values=copy_values,
        problems_before_submit=problems_before_submit,
        query_subjects=query_subjects,
        edit_endpoint="performance.edit_return",
        values_template="performance/_return_values.html",
        values_context=values_context,
    )
)
