"""The performance sections of a scrutiny summary — the KPI table (50), trend charts (55) and case-file
audits (58) — and first drafts of "what is going well" and "what needs to improve".

Each provider reads the month the period ends on (or the latest month in it the trust has reported)
and returns plain JSON with every figure already worded, so a published summary never changes.
"""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.performance import dashboard
from monitoring.performance.analytics import Analysis, MeasureResult, by_objective
from monitoring.performance.display import compact, figure
from monitoring.performance.models import CaseAudit
from monitoring.performance.queries import basket_in_force, due_entries
from monitoring.performance.rules import Rag, percentage
from monitoring.performance.trends import trend_points
from monitoring.reports.sections import SummarySection, add_drafter, register_section
from monitoring.reviews.models import Grade

MAX_CHARTS = 12
MAX_DRAFT_LINES = 8


def reported_month(analysis: Analysis, period: Any) -> Period | None:
    """The last month of the period with figures in force; None when the trust reported none."""
    reported = {p for by_period in analysis.values.values() for p in by_period}
    for month in reversed(period.months):
        if month in reported or month in analysis.audits:
            return month
    return None


def _analysis(contract: Any, period: Any, years: int = 1) -> tuple[Analysis, Period] | None:
    last = period.months[-1]
    analysis = Analysis.for_period(contract, last, years)
    month = reported_month(analysis, period)
    if month is None or basket_in_force(analysis.baskets, month) is None:
        return None
    return analysis, month


def _row(result: MeasureResult) -> dict:
    """The dashboard's wording of a result, with figures narrow enough for a printed column."""
    return asdict(dashboard.row(result, compact))


def kpi_table(contract: Any, period: Any) -> dict | None:
    """Every measure of the basket due in the period's last reported month, grouped by objective."""
    found = _analysis(contract, period)
    if found is None:
        return None
    analysis, month = found
    results = analysis.results(month)
    if not results:
        return None
    groups = by_objective(results)
    return {
        "month": month.name,
        "provisional": any(r.point.provisional for r in results),
        # Lists, not dicts, wherever order matters: frozen JSON is stored with its keys sorted.
        "counts": [
            {"label": rag.label, "count": sum(1 for r in results if r.rag is rag)}
            for rag in (Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREY)
        ],
        "objectives": [
            {
                "name": g.name,
                "status": g.rollup.status.label,
                "counts": [{"label": rag.label, "count": count} for rag, count in g.rollup.counts.items()],
                "rows": [_row(r) for r in g.results],
            }
            for g in groups
        ],
    }


def _matters(result: MeasureResult) -> tuple[int, int]:
    """Order for charts: flagged first, then Red, Amber, Green; basket order within."""
    rank = {Rag.RED: 1, Rag.AMBER: 2, Rag.GREEN: 3}.get(result.rag, 9)
    return (0 if result.is_flagged else 1, rank)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def trend_charts(contract: Any, period: Any) -> dict | None:
    """Five-year trends of the measures that matter most this period (flagged, then Red, then Amber)."""
    found = _analysis(contract, period, years=5)
    if found is None:
        return None
    analysis, month = found
    judged = [r for r in analysis.results(month) if r.indicator.is_judged and r.rag.is_judged]
    chosen = sorted(judged, key=_matters)[:MAX_CHARTS]
    charts = []
    for result in chosen:
        indicator = result.indicator
        points = trend_points(analysis, indicator, month)
        series = [{"name": indicator.code, "kind": "line", "values": [_text(p.value) for p in points]}]
        for attribute, name, kind in (
            ("target", "Target", "target"),
            ("national", "National", "comparator"),
            ("neighbours", "Statistical neighbours", "comparator"),
        ):
            values = [_text(getattr(indicator.year(p.period.financial_year), attribute, None)) for p in points]
            if any(v is not None for v in values):
                series.append({"name": name, "kind": kind, "values": values})
        charts.append(
            {
                "code": indicator.code,
                "title": indicator.title,
                "rag": result.rag.label,
                "unit_suffix": indicator.unit.suffix,
                "labels": [p.period.label for p in points],
                "series": series,
                "missing": sum(1 for p in points if p.value is None),
            }
        )
    return {"month": month.name, "charts": charts} if charts else None


def case_audits(contract: Any, period: Any) -> dict | None:
    """The period's case-file audits: grades, the proportion good or better, Inadequate cases' re-audits."""
    first, last = period.months[0], period.months[-1]
    audits = db.session.scalars(
        select(CaseAudit)
        .where(
            CaseAudit.contract_id == contract.id,
            (CaseAudit.year * 12 + CaseAudit.month).between(first.year * 12 + first.month, last.year * 12 + last.month),
        )
        .order_by(CaseAudit.year, CaseAudit.month, CaseAudit.id)
    ).all()
    cases = [c for a in audits for c in a.cases]
    if not cases:
        return None

    def good(of: list) -> str:
        share = percentage(sum(1 for c in of if c.is_good_or_better), len(of))
        return figure(share, "percentage") if share is not None else ""

    return {
        "cases": len(cases),
        "good_or_better": good(cases),
        "audits": [
            {
                "title": a.title,
                "cases": len(a.cases),
                "grades": [{"label": g.label, "count": sum(1 for c in a.cases if c.grade is g)} for g in Grade],
                "good_or_better": good(a.cases) if a.cases else "",
            }
            for a in audits
        ],
        "inadequate": [
            {
                "reference": c.case_reference,
                "head_of_service": c.head_of_service,
                "reaudit_due": c.reaudit_due,
                "reaudited_on": c.reaudited_on,
                "reaudit_grade": c.reaudit_grade.label if c.reaudit_grade else "",
            }
            for c in cases
            if c.grade is Grade.INADEQUATE
        ],
    }


# --- First drafts of the narrative --------------------------------------------------------------


def _results(contract: Any, period: Any) -> list[MeasureResult]:
    found = _analysis(contract, period)
    if found is None:
        return []
    analysis, month = found
    return analysis.results(month) if due_entries(basket_in_force(analysis.baskets, month), month) else []


def draft_going_well(contract: Any, period: Any) -> str | None:
    """Measures at Green, those improving first."""
    green = [r for r in _results(contract, period) if r.rag is Rag.GREEN]
    green.sort(key=lambda r: 0 if r.direction and r.direction.value == "improved" else 1)
    lines = []
    for r in green[:MAX_DRAFT_LINES]:
        movement = f", {r.direction.label.lower()}" if r.direction else ""
        lines.append(f"- {r.indicator.title}: Green at {figure(r.value, r.indicator.unit)}{movement}")
    return "\n".join(lines) or None


def draft_needs_improvement(contract: Any, period: Any) -> str | None:
    """Measures at Red or flagged for challenge, with the reason."""
    concerns = [r for r in _results(contract, period) if r.rag is Rag.RED or r.is_flagged]
    lines = []
    for r in concerns[:MAX_DRAFT_LINES]:
        unit = r.indicator.unit
        target = f" against a target of {figure(r.target, unit)}" if r.target is not None else ""
        flagged = f"; {r.flags[0].reason.lower()}" if r.flags else ""
        lines.append(f"- {r.indicator.title}: {r.rag.label} at {figure(r.value, unit)}{target}{flagged}")
    return "\n".join(lines) or None


register_section(
    SummarySection("kpi_table", "Key performance indicators", 50, "reports/sections/kpi_table.html", kpi_table)
)
register_section(
    SummarySection(
        "trend_charts",
        "Five-year trends of the measures that matter",
        55,
        "reports/sections/trend_charts.html",
        trend_charts,
    )
)
register_section(
    SummarySection("case_audits", "Case-file audits", 58, "reports/sections/case_audits.html", case_audits)
)
add_drafter("going_well", draft_going_well)
add_drafter("needs_improvement", draft_needs_improvement)
