"""Reads of the performance area that analytics and pages share, each a fixed number of statements
whatever the size of the history (the dashboard's query count is tested)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from monitoring.core.periods import FinancialYear, Period
from monitoring.extensions import db
from monitoring.performance.models import AuditedCase, Basket, BasketEntry, CaseAudit, Indicator, KpiValue, Objective
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnRevision
from monitoring.returns.rules import ReturnStatus


def baskets(contract_id: int) -> list[Basket]:
    """Every version of the contract's basket, oldest first, with its measures and their targets."""
    return list(
        db.session.scalars(
            select(Basket)
            .where(Basket.contract_id == contract_id)
            .order_by(Basket.effective_from)
            .options(
                selectinload(Basket.entries)
                .selectinload(BasketEntry.indicator)
                .options(selectinload(Indicator.years), selectinload(Indicator.objective))
            )
        )
    )


def indicators_by_objective(objective_id: int | None = None) -> list[tuple[Objective | None, list[Indicator]]]:
    """Indicators grouped by objective, in the objectives' order with those that have none last, each
    group by code. `objective_id` keeps one group (0: the indicators without an objective)."""
    query = select(Indicator).options(selectinload(Indicator.objective))
    if objective_id == 0:
        query = query.where(Indicator.objective_id.is_(None))
    elif objective_id is not None:
        query = query.where(Indicator.objective_id == objective_id)
    groups: dict[Objective | None, list[Indicator]] = defaultdict(list)
    for indicator in db.session.scalars(query):
        groups[indicator.objective].append(indicator)

    def order(objective: Objective | None) -> tuple:
        return (1, 0, "") if objective is None else (0, objective.position, objective.name.lower())

    return [(o, sorted(groups[o], key=lambda i: i.code.upper())) for o in sorted(groups, key=order)]


def indicator_counts() -> dict[int | None, int]:
    """How many indicators each objective has (None: those without one)."""
    rows = db.session.execute(select(Indicator.objective_id, func.count()).group_by(Indicator.objective_id))
    return {objective_id: count for objective_id, count in rows}


def objectives() -> list[Objective]:
    return list(db.session.scalars(select(Objective).order_by(Objective.position, Objective.name)))


def basket_in_force(all_baskets: list[Basket], period: Period) -> Basket | None:
    """The basket version that applies to a month: the latest that started on or before it."""
    found = None
    for basket in all_baskets:
        if basket.effective_from <= period.start:
            found = basket
    return found


def basket_for(contract_id: int, period: Period) -> Basket | None:
    return basket_in_force(baskets(contract_id), period)


def due_entries(basket: Basket | None, period: Period) -> list[BasketEntry]:
    """The basket's measures that are due in a month (quarterly ones at quarter ends, annual ones in March)."""
    return [e for e in basket.entries if e.indicator.due_in(period)] if basket else []


@dataclass(frozen=True)
class Figures:
    """A measure's figures in a revision, read as plain values (no ORM object: pages read thousands)."""

    indicator_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    commentary: str
    forecast: Decimal | None
    forecast_rationale: str


@dataclass(frozen=True)
class ReturnedValue:
    """A measure's figures for a month as they stand in the revision in force."""

    period: Period
    value: Figures
    provisional: bool  # from a revision the council has not accepted
    revision_id: int


FIGURE_COLUMNS = [getattr(KpiValue, name) for name in Figures.__dataclass_fields__]


def _month_index(period: Period) -> int:
    return period.year * 12 + period.month


def in_force_values(
    contract_id: int, first: Period, last: Period, only: Collection[Period] | None = None
) -> dict[int, dict[Period, ReturnedValue]]:
    """indicator id → month → the figures in force (accepted, else submitted), in two statements, for
    the months from `first` to `last` (or just the months in `only`)."""
    month = MonthlyReturn.year * 12 + MonthlyReturn.month
    which = (
        month.in_([_month_index(p) for p in only])
        if only is not None
        else month.between(_month_index(first), _month_index(last))
    )
    revisions = db.session.execute(
        select(ReturnRevision.id, ReturnRevision.status, ReturnRevision.number, MonthlyReturn.year, MonthlyReturn.month)
        .join(MonthlyReturn, ReturnRevision.return_id == MonthlyReturn.id)
        .where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == ReturnKind.KPI,
            which,
            ReturnRevision.status.in_(
                [ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, ReturnStatus.RESUBMITTED, ReturnStatus.ACCEPTED]
            ),
        )
    ).all()
    chosen: dict[Period, tuple[int, bool]] = {}
    best: dict[Period, tuple[int, int]] = {}
    for revision_id, status, number, year, month_number in revisions:
        period = Period(year, month_number)
        # Accepted beats submitted; then the later revision.
        rank = (1 if status is ReturnStatus.ACCEPTED else 0, number)
        if period not in best or rank > best[period]:
            best[period] = rank
            chosen[period] = (revision_id, status is not ReturnStatus.ACCEPTED)
    if not chosen:
        return {}
    by_revision = {revision_id: (period, provisional) for period, (revision_id, provisional) in chosen.items()}
    rows = db.session.execute(
        select(KpiValue.revision_id, *FIGURE_COLUMNS).where(KpiValue.revision_id.in_(list(by_revision)))
    )
    found: dict[int, dict[Period, ReturnedValue]] = defaultdict(dict)
    for revision_id, *figures in rows:
        value = Figures(*figures)
        period, provisional = by_revision[revision_id]
        found[value.indicator_id][period] = ReturnedValue(period, value, provisional, revision_id)
    return found


@dataclass(frozen=True)
class AuditTally:
    good_or_better: int
    cases: int


def audit_tallies(contract_id: int, first: Period, last: Period) -> dict[Period, AuditTally]:
    """Cases graded good or better, and all cases audited, by month (monthly samples and thematic audits)."""
    rows = db.session.execute(
        select(CaseAudit.year, CaseAudit.month, AuditedCase.grade)
        .join(AuditedCase, AuditedCase.audit_id == CaseAudit.id)
        .where(
            CaseAudit.contract_id == contract_id,
            (CaseAudit.year * 12 + CaseAudit.month).between(first.year * 12 + first.month, last.year * 12 + last.month),
        )
    ).all()
    good: dict[Period, int] = defaultdict(int)
    total: dict[Period, int] = defaultdict(int)
    for year, month, grade in rows:
        period = Period(year, month)
        total[period] += 1
        good[period] += grade.value in ("outstanding", "good")
    return {p: AuditTally(good[p], total[p]) for p in total}


def window(period: Period, years: int = 5) -> tuple[Period, Period]:
    """From April of the financial year `years − 1` before `period`'s, to `period`: a five-year trend
    and the year to date."""
    first = FinancialYear(period.financial_year.start_year - (years - 1)).months[0]
    return first, period


def indicators_by_code(codes: set[str]) -> dict[str, Indicator]:
    """Indicators whose codes (any case) are among `codes`, keyed by upper-case code."""
    rows = db.session.scalars(select(Indicator).where(func.upper(Indicator.code).in_(codes)))
    return {i.code.upper(): i for i in rows}
