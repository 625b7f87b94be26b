"""The finance return as a kind of return: what the shared workflow needs to know about its figures."""

from __future__ import annotations

import hashlib
from typing import Any

from monitoring.contracts.models import Contract
from monitoring.extensions import db
from monitoring.finance import operations, queries, rules
from monitoring.finance.positions import MonthPosition
from monitoring.returns.kinds import KindSpec, register_kind
from monitoring.returns.models import ReturnKind, ReturnRevision


def position(revision: ReturnRevision) -> MonthPosition:
    contract = db.session.get(Contract, revision.contract_id)
    return queries.position_of_revision(contract, revision)


def problems_before_submit(revision: ReturnRevision) -> dict[str, str]:
    """At least one revenue line, and every variance over the contract's threshold explained."""
    found = position(revision)
    threshold = db.session.get(Contract, revision.contract_id).finance_explanation_threshold
    problems: dict[str, str] = {}
    if not found.revenue:
        problems["revenue"] = (
            "Enter at least one revenue line (service area, budgets and forecast outturn) before submitting"
        )
    for number, row in enumerate(found.revenue, start=1):
        problem = rules.explanation_problem(row.name, row.variance, threshold, row.explanation)
        if problem:
            problems[f"r-{number}-explanation"] = problem
    for row in found.care_ladder:
        problem = rules.explanation_problem(row.category, row.variance, threshold, row.explanation)
        if problem:
            problems[f"c-{row.category_id}-explanation"] = problem
    return problems


def subject_key(part: str, name: str) -> str:
    """A query's subject: short and stable for a line, whatever the length of its name."""
    return f"{part}:{hashlib.sha256(name.casefold().encode()).hexdigest()[:16]}"


def query_subjects(revision: ReturnRevision) -> list[tuple[str, str]]:
    found = position(revision)
    subjects = [(subject_key("revenue", r.name), f"Revenue: {r.name}") for r in found.revenue]
    subjects += [(f"care-ladder:{r.category_id}", f"Care ladder: {r.category}") for r in found.care_ladder]
    subjects += [(subject_key("funding", r.description), f"Funding: {r.description}") for r in found.funding]
    subjects += [(subject_key("savings", r.description), f"Savings: {r.description}") for r in found.savings]
    subjects += [(subject_key("capital", r.scheme), f"Capital: {r.scheme}") for r in found.capital]
    subjects += [
        ("position:reserves", "The trust's available reserves"),
        ("position:agency", "Agency staff"),
        ("position:net", "The net position and risk share"),
    ]
    return subjects


def values_context(revision: ReturnRevision) -> dict[str, Any]:
    return {"position": position(revision), "subject_key": subject_key}


register_kind(
    KindSpec(
        kind=ReturnKind.FINANCE,
        copy_values=operations.copy_values,
        problems_before_submit=problems_before_submit,
        query_subjects=query_subjects,
        edit_endpoint="finance.edit_return",
        values_template="finance/_return_values.html",
        values_context=values_context,
        start_values=operations.start_from_last_month,
    )
)
