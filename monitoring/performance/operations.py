"""Writes of the performance area: a KPI return's figures (from the form, a spreadsheet or the API)
and new versions of a contract's basket.

Figures are checked all together first; if any is wrong nothing is saved, and every message names
the measure and, for an upload, the sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.performance.models import Basket, BasketEntry, Indicator, KpiValue
from monitoring.performance.returns import due_entries, values_of
from monitoring.performance.rules import value_problem
from monitoring.returns.models import ReturnRevision
from monitoring.returns.operations import ensure_editable, touch

TEXT_LIMIT = 5000
FIELDS = ("value", "numerator", "denominator", "commentary", "forecast", "forecast_rationale")
# How each input is named in the form (and in error keys): v-NI66, n-NI66 …
FIELD_PREFIX = {
    "value": "v",
    "numerator": "n",
    "denominator": "d",
    "commentary": "c",
    "forecast": "f",
    "forecast_rationale": "r",
}


@dataclass
class ValueInput:
    """One measure's figures as entered. `where` says where each came from, for messages
    (e.g. {"value": "sheet ‘KPI return’, cell D7"}); a form leaves it empty."""

    code: str
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    commentary: str = ""
    forecast: Decimal | None = None
    forecast_rationale: str = ""
    where: dict[str, str] = field(default_factory=dict)
    row_where: str = ""  # the row as a whole (an upload's row), for problems not tied to one cell

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, name) in (None, "") for name in FIELDS)


def field_key(name: str, code: str) -> str:
    return f"{FIELD_PREFIX[name]}-{code}"


def _message(given: ValueInput, name: str, indicator_label: str, problem: str) -> str:
    place = given.where.get(name) or given.row_where
    if not place:
        return f"{indicator_label}: {problem}"
    return f"{place[:1].upper()}{place[1:]} ({indicator_label}): {problem}"


def _check(given: ValueInput, indicator: Indicator) -> dict[str, str]:
    errors: dict[str, str] = {}

    def problem(name: str, text: str) -> None:
        errors.setdefault(field_key(name, indicator.code), _message(given, name, indicator.label, text))

    if indicator.from_case_audits:
        if any(getattr(given, n) is not None for n in ("value", "numerator", "denominator")):
            problem("value", "this measure comes from the case-file audits; leave it blank here")
        return errors
    found = value_problem(
        indicator.unit,
        value=given.value,
        numerator=given.numerator,
        denominator=given.denominator,
        is_ratio=indicator.is_ratio,
        minimum=indicator.minimum,
        maximum=indicator.maximum,
    )
    if found:
        problem("numerator" if indicator.is_ratio else "value", found)
    if given.forecast is not None:
        forecast_problem = value_problem(
            indicator.unit, value=given.forecast, minimum=indicator.minimum, maximum=indicator.maximum
        )
        if forecast_problem:
            problem("forecast", f"the forecast: {forecast_problem}")
        elif not given.forecast_rationale.strip():
            problem("forecast_rationale", "give the reason for your own year-end forecast")
    for name in ("commentary", "forecast_rationale"):
        if len(getattr(given, name)) > TEXT_LIMIT:
            problem(name, f"{name.replace('_', ' ')} must be {TEXT_LIMIT:,} characters or fewer")
    return errors


def save_values(
    revision: ReturnRevision, inputs: list[ValueInput], *, lock_version: int | None = None, replace: bool = True
) -> int:
    """Save the figures of a draft (or queried) revision, all or nothing. With `replace`, a measure left
    out or blank is cleared (the form and a spreadsheet send every measure); without it (the API's
    partial update) only the measures given change. Returns how many measures hold figures."""
    ensure_editable(revision, lock_version)
    period = revision.monthly_return.period
    entries = {e.indicator.code.upper(): e for e in due_entries(revision)}
    errors: dict[str, str] = {}
    seen: dict[str, ValueInput] = {}
    for given in inputs:
        code = given.code.strip().upper()
        entry = entries.get(code)
        if entry is None:
            place = given.where.get("code") or given.row_where
            errors[f"v-{code}"] = (f"{place[:1].upper()}{place[1:]}: " if place else "") + (
                f"{given.code} is not a measure due in the KPI basket for {period.name}"
            )
            continue
        if code in seen:
            errors[f"v-{code}"] = _message(given, "code", entry.indicator.label, "this measure appears twice")
            continue
        seen[code] = given
        errors.update(_check(given, entry.indicator))
    if errors:
        raise InvalidInput(errors)
    existing = values_of(revision)
    for code, entry in entries.items():
        given = seen.get(code)
        if given is None and not replace:
            continue
        stored = existing.get(entry.indicator_id)
        if given is None or given.is_empty or entry.indicator.from_case_audits:
            if stored is not None:
                db.session.delete(stored)
            continue
        if stored is None:
            stored = KpiValue(contract_id=revision.contract_id, revision=revision, indicator=entry.indicator)
            db.session.add(stored)
        for name in FIELDS:
            new = getattr(given, name)
            setattr(stored, name, new.strip() if isinstance(new, str) else new)
    touch(revision)
    db.session.flush()
    return sum(1 for v in values_of(revision).values() if not v.is_empty)


# --- The basket ---------------------------------------------------------------------------------


def _accepted_from(contract_id: int, period: Period) -> bool:
    from monitoring.returns.models import MonthlyReturn, ReturnKind
    from monitoring.returns.rules import ReturnStatus

    return bool(
        db.session.scalar(
            select(MonthlyReturn.id)
            .join(ReturnRevision, ReturnRevision.return_id == MonthlyReturn.id)
            .where(
                MonthlyReturn.contract_id == contract_id,
                MonthlyReturn.kind == ReturnKind.KPI,
                MonthlyReturn.year * 12 + MonthlyReturn.month >= period.year * 12 + period.month,
                ReturnRevision.status.in_([ReturnStatus.ACCEPTED, ReturnStatus.SUPERSEDED]),
            )
            .limit(1)
        )
    )


def new_basket(
    contract: Contract,
    *,
    effective_from: Period,
    indicators: list[Indicator],
    reason: str,
    required: set[int] | None = None,
    user: Any = None,
) -> Basket:
    """A new version of the contract's basket from a month on; earlier versions stay as they were."""
    if not indicators:
        raise InvalidInput({"indicators": "Choose at least one measure for the basket"})
    if effective_from.end < contract.start_date:
        raise InvalidInput({"effective_from": "The basket cannot start before the contract did"})
    start: date = effective_from.start
    clash = db.session.scalar(
        select(Basket.id).where(Basket.contract_id == contract.id, Basket.effective_from == start)
    )
    if clash:
        raise InvalidInput({"effective_from": f"There is already a basket starting in {effective_from.name}"})
    if _accepted_from(contract.id, effective_from):
        raise InvalidInput(
            {
                "effective_from": f"KPI returns from {effective_from.name} on have been accepted against the basket "
                "then in force; start the new basket from a later month"
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Enter why the basket is changing (for example, the annual contract review)"})
    basket = Basket(
        contract_id=contract.id, effective_from=start, reason=reason, created_by_id=getattr(user, "id", None)
    )
    for position, indicator in enumerate(indicators, start=1):
        basket.entries.append(
            BasketEntry(
                contract_id=contract.id,
                indicator=indicator,
                position=position,
                required=required is None or indicator.id in required,
            )
        )
    db.session.add(basket)
    db.session.flush()
    return basket
