"""The finance sections of a scrutiny summary: the revenue position with its movement, funding, savings,
agency staff and capital (60), the care ladder with its chart (62), and the period's risk share (65,
replacing the reports area's terms-only section).

A period's figures are those of its last month with a finance return in force (the quarter-end month,
else the latest month of the period the trust has reported). Everything goes in as plain JSON, money as
strings of pounds, so a published summary never changes when the returns behind it do.
"""

from __future__ import annotations

from typing import Any

import monitoring.reports.contract_sections  # noqa: F401  (registers the terms-only risk share replaced here)
from monitoring.core.periods import Quarter
from monitoring.finance import analysis, queries, rules
from monitoring.finance.positions import MonthPosition, YearPositions
from monitoring.reports.contract_sections import risk_share_section
from monitoring.reports.sections import SummarySection, register_section


def _text(value: Any) -> str | None:
    return None if value is None else format(value, "f")


def reading(contract: Any, period: Any) -> tuple[YearPositions, MonthPosition] | None:
    """The year's positions and the one the period reports: its last month with figures in force."""
    year = queries.year_positions(contract, period.year)
    month = rules.reporting_month(period.months, year.months)
    return (year, year.months[month]) if month else None


def _earlier_quarter(year: YearPositions, position: MonthPosition) -> tuple[Quarter, MonthPosition | None] | None:
    """The quarter before the one reported, read the same way (its end month, else its latest reported)."""
    quarter = position.period.quarter
    if quarter.number == 1:
        return None
    earlier = Quarter(quarter.year, quarter.number - 1)
    month = rules.reporting_month(earlier.months, year.months)
    return earlier, year.months[month] if month else None


def _source(position: MonthPosition) -> dict:
    source = position.source
    return {
        "month": position.period.name,
        "provisional": position.provisional,
        "description": source.description if source else "",
    }


def finance_section(contract: Any, period: Any) -> dict | None:
    found = reading(contract, period)
    if found is None:
        return None
    year, p = found
    movement = ""
    earlier = _earlier_quarter(year, p)
    if earlier and earlier[1] is not None:
        movement = rules.movement_words(
            rules.movement(p.net_variance, earlier[1].net_variance), f"quarter {earlier[0].number}"
        )
    before = year.previous_month(p.period)
    capital = analysis.capital_schemes(
        YearPositions(year.year, {m: v for m, v in year.months.items() if m <= p.period})
    )
    return {
        **_source(p),
        "year": year.year.label,
        "net_budget": _text(p.net_budget),
        "forecast_outturn": _text(p.forecast_outturn),
        "net_variance": _text(p.net_variance),
        "variance_words": rules.variance_words(p.net_variance),
        "since_quarter": movement,
        "since_month": rules.movement_words(rules.movement(p.net_variance, before.net_variance), before.period.name)
        if before
        else "",
        "revenue": [
            {
                "name": r.name,
                "gross_budget": _text(r.gross_budget),
                "net_budget": _text(r.net_budget),
                "forecast_outturn": _text(r.forecast_outturn),
                "variance": _text(r.variance),
                "explanation": r.explanation,
            }
            for r in p.revenue
        ],
        "gross_budget": _text(p.gross_budget),
        "funding": [
            {"description": r.description, "amount": _text(r.amount), "agreed_on": r.agreed_on, "purpose": r.purpose}
            for r in p.funding
        ],
        "funding_total": _text(p.funding_total),
        "savings": [
            {
                "description": r.description,
                "target": _text(r.target),
                "forecast_delivery": _text(r.forecast_delivery),
                "shortfall": _text(r.shortfall),
            }
            for r in p.savings
        ],
        "savings_target": _text(p.savings_target),
        "savings_forecast": _text(p.savings_forecast),
        "agency_staff": _text(p.trust.agency_staff),
        "agency_cost": _text(p.trust.agency_cost),
        "quarters": [q.number for q, _ in year.quarters if q.months[-1] <= p.period],
        "capital": [
            {
                "scheme": s.scheme,
                "revised_budget": _text(s.revised_budget),
                "quarter_forecasts": [_text(f) for f in s.quarter_forecasts],
                "actual_to_date": _text(s.actual_to_date),
            }
            for s in capital
        ],
        "commentary": p.trust.commentary,
    }


def care_ladder_section(contract: Any, period: Any) -> dict | None:
    found = reading(contract, period)
    if found is None or not found[1].care_ladder:
        return None
    year, p = found
    top = p.pressures[0]
    return {
        **_source(p),
        "rows": [
            {
                "category": r.category,
                "contracted_volume": _text(r.contracted_volume),
                "unit_contract_value": _text(r.unit_contract_value),
                "actual_activity": _text(r.actual_activity),
                "forecast_activity": _text(r.forecast_activity),
                "forecast_unit_cost": _text(r.forecast_unit_cost),
                "variance": _text(r.variance),
                "over_contract": _text(r.activity_over_contract),
                "cheaper_than_contract": r.cheaper_than_contract,
                "explanation": r.explanation,
            }
            for r in p.pressures
        ],
        "contract_cost": _text(p.contract_cost),
        "forecast_cost": _text(p.forecast_cost),
        "variance": _text(p.care_ladder_variance),
        "chart": analysis.category_chart(year.year, analysis.rows_of(year, top.category_id), top.category, p.period),
    }


def risk_share_figures(contract: Any, period: Any) -> dict:
    """The contract's terms, and the period's figures when there are any (rule 8)."""
    data = risk_share_section(contract, period)
    found = reading(contract, period)
    if found is None:
        return data
    p = found[1]
    share = p.risk
    data["figures"] = {
        **_source(p),
        "is_overspend": share.is_overspend,
        "is_underspend": share.is_underspend,
        "net_variance": _text(share.net_variance),
        "council_share": _text(share.council_share),
        "trust_share": _text(share.trust_share),
        "reserves_recorded": share.trust_reserves is not None,
        "trust_reserves": _text(share.trust_reserves),
        "shortfall": _text(share.shortfall),
        "council_exposure": _text(share.council_exposure),
        "gain_to_council": _text(share.gain_to_council),
        "gain_to_trust": _text(share.gain_to_trust),
        "words": rules.risk_share_words(share, contract.gain_share.label),
    }
    return data


register_section(
    SummarySection(
        "finance", "Finance: the revenue position and funding", 60, "reports/sections/finance.html", finance_section
    )
)
register_section(
    SummarySection("care_ladder", "The care ladder", 62, "reports/sections/care_ladder.html", care_ladder_section)
)
register_section(
    SummarySection("risk_share", "Risk share", 65, "reports/sections/risk_share.html", risk_share_figures),
    replace=True,
)
