"""Reads about returns: a year's returns with their timeliness, overdue returns, the figures in force."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from monitoring.contracts.models import Contract
from monitoring.core.periods import FinancialYear, Period
from monitoring.extensions import db
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnRevision
from monitoring.returns.rules import Timeliness, due_date, timeliness

# How far back the digest looks for returns that never arrived.
OVERDUE_LOOKBACK_MONTHS = 12


def returns_between(contract_id: int, kind: ReturnKind | None, first: Period, last: Period) -> list[MonthlyReturn]:
    """The contract's returns from `first` to `last` inclusive, oldest first, revisions loaded."""
    query = (
        select(MonthlyReturn)
        .where(
            MonthlyReturn.contract_id == contract_id,
            (MonthlyReturn.year * 12 + MonthlyReturn.month).between(
                first.year * 12 + first.month, last.year * 12 + last.month
            ),
        )
        .options(selectinload(MonthlyReturn.revisions).selectinload(ReturnRevision.queries))
        .order_by(MonthlyReturn.year, MonthlyReturn.month, MonthlyReturn.kind)
    )
    if kind is not None:
        query = query.where(MonthlyReturn.kind == kind)
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class ReturnRow:
    """One month in a timeliness table: the return if it exists, and how timely it was."""

    kind: ReturnKind
    period: Period
    monthly_return: MonthlyReturn | None
    timeliness: Timeliness


def _months_to_report(contract: Contract, months: list[Period], today: date) -> list[Period]:
    first = Period.containing(contract.start_date)
    return [m for m in months if first <= m and m.start <= today]


def year_rows(contract: Contract, kind: ReturnKind, year: FinancialYear, today: date) -> list[ReturnRow]:
    """Every month of the year so far: its return (or none yet), when it was due and how late."""
    months = _months_to_report(contract, year.months, today)
    if not months:
        return []
    found = {(r.year, r.month): r for r in returns_between(contract.id, kind, months[0], months[-1])}
    first = first_months(contract.id).get(kind)
    rows = []
    for month in months:
        monthly = found.get((month.year, month.month))
        if monthly is not None:
            rows.append(ReturnRow(kind, month, monthly, monthly.timeliness(today)))
        else:
            due = due_date(month, contract.return_deadline_working_days)
            # Before the trust sent its first return of this kind, a missing one is not chased as overdue.
            chased = first is not None and month >= first
            rows.append(ReturnRow(kind, month, None, timeliness(due, None, today if chased else due)))
    return rows


def first_months(contract_id: int) -> dict[ReturnKind, Period]:
    """For each kind of return the contract has started sending, the first month it sent."""
    rows = db.session.execute(
        select(MonthlyReturn.kind, func.min(MonthlyReturn.year * 12 + MonthlyReturn.month - 1))
        .where(MonthlyReturn.contract_id == contract_id)
        .group_by(MonthlyReturn.kind)
    ).all()
    return {kind: Period(index // 12, index % 12 + 1) for kind, index in rows}


def overdue(contract: Contract, kind: ReturnKind, today: date) -> list[ReturnRow]:
    """Returns past their deadline that have not been submitted, over the last twelve months, for a
    kind of return the contract has started sending (a contract that never sent one is not chased)."""
    first = first_months(contract.id).get(kind)
    if first is None:
        return []
    last = Period.containing(today)
    months = [m for m in (last.shift(-n) for n in range(OVERDUE_LOOKBACK_MONTHS, -1, -1)) if m >= first]
    months = _months_to_report(contract, months, today)
    if not months:
        return []
    found = {(r.year, r.month): r for r in returns_between(contract.id, kind, months[0], months[-1])}
    rows = []
    for month in months:
        monthly = found.get((month.year, month.month))
        due = monthly.due_on if monthly else due_date(month, contract.return_deadline_working_days)
        submitted = monthly.submitted_on if monthly else None
        status = timeliness(due, submitted, today)
        if status.is_overdue:
            rows.append(ReturnRow(kind, month, monthly, status))
    return rows


@dataclass(frozen=True)
class Attention:
    """A return that needs someone's attention now, for a home page."""

    monthly_return: MonthlyReturn | None
    kind: ReturnKind
    period: Period
    contract_id: int
    what: str


def _questions(count: int) -> str:
    return f"{count} question{'s' if count != 1 else ''}"


def for_the_trust(contracts: list[Contract], today: date) -> list[Attention]:
    """What the trust has to do: queries to answer, drafts to finish, returns overdue."""
    found = []
    last = Period.containing(today)
    for contract in contracts:
        for monthly in returns_between(contract.id, None, last.shift(-OVERDUE_LOOKBACK_MONTHS), last):
            latest = monthly.latest
            if latest.status.value == "queried":
                found.append(
                    Attention(
                        monthly,
                        monthly.kind,
                        monthly.period,
                        contract.id,
                        f"{_questions(len(latest.open_queries))} from the council to answer",
                    )
                )
            elif latest.status.value == "draft" and monthly.period.end < today:
                found.append(
                    Attention(
                        monthly,
                        monthly.kind,
                        monthly.period,
                        contract.id,
                        f"Draft: due {monthly.due_on.day} {monthly.due_on:%B %Y}",
                    )
                )
        for kind in ReturnKind:
            for row in overdue(contract, kind, today):
                if row.monthly_return is None:
                    found.append(Attention(None, kind, row.period, contract.id, row.timeliness.label))
    return found


def for_the_council(contracts: list[Contract], today: date) -> list[Attention]:
    """What the council has to do: returns submitted or resubmitted and waiting for review."""
    found = []
    last = Period.containing(today)
    for contract in contracts:
        for monthly in returns_between(contract.id, None, last.shift(-OVERDUE_LOOKBACK_MONTHS), last):
            if monthly.latest.status.awaits_review:
                found.append(
                    Attention(
                        monthly,
                        monthly.kind,
                        monthly.period,
                        contract.id,
                        f"{monthly.latest.status.label}: waiting for your review",
                    )
                )
    return found


def latest_reported(contract_id: int, kind: ReturnKind) -> Period | None:
    """The latest month for which the trust has submitted a return of this kind."""
    row = db.session.execute(
        select(MonthlyReturn.year, MonthlyReturn.month)
        .where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == kind,
            MonthlyReturn.first_submitted_at.is_not(None),
        )
        .order_by(MonthlyReturn.year.desc(), MonthlyReturn.month.desc())
        .limit(1)
    ).first()
    return Period(row.year, row.month) if row else None


def month_asked(text: str | None, contract_id: int, kind: ReturnKind, today: date) -> Period:
    """The month a page was asked for (like 2017-08), else the latest the trust has reported, else last month."""
    try:
        return Period.parse(text or "")
    except ValueError:
        return latest_reported(contract_id, kind) or Period.containing(today).shift(-1)
