"""Summary sections built from the contract itself: parties and services, child population, risk-share terms."""

from __future__ import annotations

from typing import Any

from monitoring.core.periods import FinancialYear
from monitoring.reports.sections import SummarySection, register_section

POPULATION_YEARS = 5


def contract_section(contract: Any, period: Any) -> dict:
    """The contract and the services in its scope at the period's end, with when each transferred."""
    in_force = [s for s in contract.services if s.transferred_on <= period.end]
    return {
        "name": contract.name,
        "council": contract.council.name,
        "trust": contract.trust.name,
        "start_date": contract.start_date,
        "return_deadline_working_days": contract.return_deadline_working_days,
        "services": [
            {
                "name": s.name,
                "transferred_on": s.transferred_on,
                "description": s.description,
                "transferred_in_period": period.start <= s.transferred_on <= period.end,
            }
            for s in in_force
        ],
    }


def population_section(contract: Any, period: Any) -> dict | None:
    """The child population in force for the period's year (rule 2's denominator) and the years before."""
    year = period.year
    children = contract.population_for(year)
    if children is None:
        return None
    in_force = max(
        (p for p in contract.populations if p.financial_year <= year.start_year), key=lambda p: p.financial_year
    )
    history = [
        {"year": FinancialYear(y).label, "children": contract.population_for(FinancialYear(y))}
        for y in range(year.start_year - POPULATION_YEARS + 1, year.start_year + 1)
    ]
    return {
        "year": year.label,
        "children": children,
        "recorded_for": in_force.year.label,
        "source": in_force.source,
        "history": [h for h in history if h["children"] is not None],
    }


def risk_share_section(contract: Any, period: Any) -> dict:
    """The risk-share terms (rule 8). The finance area replaces this with the figures for the period."""
    return {
        "council_share": contract.council_share,
        "trust_share": contract.trust_share,
        "gain_share": contract.gain_share.label,
    }


register_section(
    SummarySection(
        "contract", "The contract and the services it covers", 30, "reports/sections/contract.html", contract_section
    )
)
register_section(
    SummarySection("population", "Children in the area", 35, "reports/sections/population.html", population_section)
)
register_section(SummarySection("risk_share", "Risk share", 65, "reports/sections/risk_share.html", risk_share_section))
