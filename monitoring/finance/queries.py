"""Reads of the finance area, each a fixed number of statements whatever the length of the history:
the revisions in force over some months (one statement), their lines (one per table), the categories.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import aliased

from monitoring.accounts.models import User
from monitoring.contracts.models import Contract
from monitoring.core.periods import FinancialYear, Period
from monitoring.extensions import db
from monitoring.finance import positions, rules
from monitoring.finance.models import (
    CapitalLine,
    CareLadderLine,
    FundingLine,
    PlacementCategory,
    RevenueLine,
    SavingsLine,
    TrustPosition,
)
from monitoring.finance.positions import MonthPosition, Source, YearPositions
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnRevision
from monitoring.returns.rules import ReturnStatus


def categories(contract_id: int) -> list[PlacementCategory]:
    return list(
        db.session.scalars(
            select(PlacementCategory)
            .where(PlacementCategory.contract_id == contract_id)
            .order_by(PlacementCategory.position, PlacementCategory.id)
        )
    )


@dataclass(frozen=True)
class Submitted:
    """A submitted (or later) revision of a month's finance return."""

    revision_id: int
    source: Source

    @property
    def period(self) -> Period:
        return self.source.period


def _month_index(period: Period) -> int:
    return period.year * 12 + period.month


@cache
def _people_aliases() -> tuple[Any, Any]:
    """Made once, on first use: building an alias is not free, and these serve every dashboard. (Not at
    import: aliasing a mapped class configures every mapper, which needs every model imported first.)"""
    return aliased(User), aliased(User)


def submitted_revisions(contract_id: int, first: Period, last: Period) -> list[Submitted]:
    """Every revision past draft of the finance returns from `first` to `last`, in one statement."""
    accepted_by, submitted_by = _people_aliases()
    rows = db.session.execute(
        select(
            ReturnRevision.id,
            ReturnRevision.number,
            ReturnRevision.status,
            ReturnRevision.submitted_at,
            submitted_by.name,
            ReturnRevision.accepted_at,
            accepted_by.name,
            MonthlyReturn.id,
            MonthlyReturn.year,
            MonthlyReturn.month,
        )
        .join(MonthlyReturn, ReturnRevision.return_id == MonthlyReturn.id)
        .outerjoin(submitted_by, submitted_by.id == ReturnRevision.submitted_by_id)
        .outerjoin(accepted_by, accepted_by.id == ReturnRevision.accepted_by_id)
        .where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == ReturnKind.FINANCE,
            (MonthlyReturn.year * 12 + MonthlyReturn.month).between(_month_index(first), _month_index(last)),
            ReturnRevision.status != ReturnStatus.DRAFT,
        )
        .order_by(MonthlyReturn.year, MonthlyReturn.month, ReturnRevision.number)
    ).all()
    return [
        Submitted(
            revision_id,
            Source(
                period=Period(year, month),
                return_id=return_id,
                number=number,
                status=status,
                revision_id=revision_id,
                submitted_at=submitted_at,
                submitted_by=submitter or "",
                accepted_at=accepted_at,
                accepted_by=accepter or "",
            ),
        )
        for (
            revision_id,
            number,
            status,
            submitted_at,
            submitter,
            accepted_at,
            accepter,
            return_id,
            year,
            month,
        ) in rows
    ]


def in_force(revisions: list[Submitted]) -> dict[Period, Submitted]:
    """For each month, the revision in force: the accepted one, else the latest submitted."""
    chosen: dict[Period, Submitted] = {}
    for revision in revisions:
        status = revision.source.status
        if status is ReturnStatus.SUPERSEDED:
            continue
        current = chosen.get(revision.period)
        if current is None or _rank(revision) > _rank(current):
            chosen[revision.period] = revision
    return chosen


def _rank(revision: Submitted) -> tuple[int, int]:
    return (1 if revision.source.status is ReturnStatus.ACCEPTED else 0, revision.source.number)


def positions_of(contract: Contract, revisions: list[Submitted]) -> dict[int, MonthPosition]:
    """revision id → its position, loading each figure table once for all the revisions."""
    if not revisions:
        return {}
    ids = [r.revision_id for r in revisions]
    rows = _rows(dict.fromkeys(ALL_TABLES, ids), contract.finance_explanation_threshold)
    return {r.revision_id: _position(contract, r.period, r.source, rows, r.revision_id) for r in revisions}


def position_of_revision(contract: Contract, revision: ReturnRevision) -> MonthPosition:
    """One revision's position, whatever its status (the return page, the form, the API)."""
    monthly = revision.monthly_return
    source = Source(
        period=monthly.period,
        return_id=monthly.id,
        number=revision.number,
        status=revision.status,
        revision_id=revision.id,
        submitted_at=revision.submitted_at,
        submitted_by=revision.submitted_by.name if revision.submitted_by else "",
        accepted_at=revision.accepted_at,
        accepted_by=revision.accepted_by.name if revision.accepted_by else "",
    )
    rows = _rows(dict.fromkeys(ALL_TABLES, [revision.id]), contract.finance_explanation_threshold)
    return _position(contract, monthly.period, source, rows, revision.id)


def year_positions(contract: Contract, year: FinancialYear) -> YearPositions:
    """The figures in force for each month of a financial year (a fixed number of statements)."""
    chosen = in_force(submitted_revisions(contract.id, year.months[0], year.months[-1]))
    found = positions_of(contract, list(chosen.values()))
    return YearPositions(year, {period: found[r.revision_id] for period, r in sorted(chosen.items())})


# Each figure table's columns, in the order its row class (positions.RevenueRow …) takes them. The
# statements are built once and read plain columns, not ORM objects: a year's dashboard stays cheap.
ROW_COLUMNS: dict[type, tuple[type, tuple[str, ...]]] = {
    RevenueLine: (
        positions.RevenueRow,
        ("service_area", "gross_budget", "net_budget", "forecast_outturn", "explanation"),
    ),
    FundingLine: (positions.FundingRow, ("description", "amount", "agreed_on", "purpose")),
    SavingsLine: (positions.SavingsRow, ("description", "target", "forecast_delivery", "explanation")),
    CapitalLine: (positions.CapitalRow, ("scheme", "revised_budget", "forecast", "actual_to_date")),
    TrustPosition: (positions.TrustFigures, ("trust_reserves", "agency_staff", "agency_cost", "commentary")),
}
ALL_TABLES = (*ROW_COLUMNS, CareLadderLine)
IDS = bindparam("ids", expanding=True)


def _statement(model: type, names: tuple[str, ...]) -> Select:
    table = model.__table__
    order = [table.c.revision_id, table.c.position, table.c.id] if "position" in table.c else [table.c.id]
    return (
        select(table.c.revision_id, *(table.c[n] for n in names)).where(table.c.revision_id.in_(IDS)).order_by(*order)
    )


def _ladder_statement() -> Select:
    line, category = CareLadderLine.__table__, PlacementCategory.__table__
    figures = [line.c[n] for n in ("contracted_volume", "unit_contract_value", "actual_activity")]
    figures += [line.c[n] for n in ("forecast_activity", "forecast_unit_cost", "explanation")]
    return (
        select(line.c.revision_id, category.c.id, category.c.name, *figures)
        .join(category, line.c.category_id == category.c.id)
        .where(line.c.revision_id.in_(IDS))
        .order_by(line.c.revision_id, category.c.position, category.c.id)
    )


STATEMENTS = {model: _statement(model, names) for model, (_, names) in ROW_COLUMNS.items()}
LADDER_STATEMENT = _ladder_statement()
CATEGORY_STATEMENT = _ladder_statement().where(CareLadderLine.__table__.c.category_id == bindparam("category"))


def _rows(ids_for: dict[type, list[int]], threshold: Decimal | None) -> dict[type, dict[int, list]]:
    """For each figure table, the rows of the revisions `ids_for` names for it (a table with none costs no
    statement)."""
    db.session.flush()  # plain Core statements below do not flush for themselves
    connection = db.session.connection()
    found: dict[type, dict[int, list]] = {}
    for model, (row_class, _) in ROW_COLUMNS.items():
        grouped: dict[int, list] = defaultdict(list)
        if ids_for.get(model):
            for revision_id, *values in connection.execute(STATEMENTS[model], {"ids": ids_for[model]}).all():
                if model is RevenueLine and threshold is not None:
                    over = rules.needs_explanation(rules.variance(values[2], values[3]), threshold)
                    grouped[revision_id].append(row_class(*values, needs_explanation=over))
                else:
                    grouped[revision_id].append(row_class(*values))
        found[model] = grouped
    ladder: dict[int, list] = defaultdict(list)
    if ids_for.get(CareLadderLine):
        for revision_id, *values in connection.execute(LADDER_STATEMENT, {"ids": ids_for[CareLadderLine]}).all():
            ladder[revision_id].append(_ladder_row(values, threshold))
    found[CareLadderLine] = ladder
    return found


def _ladder_row(values: list, threshold: Decimal | None) -> positions.CareLadderRow:
    over = False
    if threshold is not None:
        volume, value, _, activity, cost = values[2:7]
        over = rules.needs_explanation(rules.care_ladder_variance(volume, value, activity, cost), threshold)
    return positions.CareLadderRow(*values, needs_explanation=over)


def category_rows(revision_ids: list[int], category_id: int) -> dict[int, positions.CareLadderRow]:
    """revision id → one category's care-ladder row, in one statement (a chart of the category over a year)."""
    if not revision_ids:
        return {}
    rows = db.session.connection().execute(CATEGORY_STATEMENT, {"ids": revision_ids, "category": category_id})
    return {revision_id: _ladder_row(values, None) for revision_id, *values in rows.all()}


@dataclass(frozen=True)
class MonthFigures:
    """What the dashboard for a month needs, in a fixed number of statements: the month's position in full,
    the revenue of the months it is compared with (and of the year's latest month), and its biggest
    care-ladder pressure's activity over the year so far."""

    in_force: dict[Period, Submitted]
    position: MonthPosition | None
    earlier: dict[Period, MonthPosition]  # revenue lines only
    chart: dict[Period, positions.CareLadderRow]


def month_figures(contract: Contract, period: Period, compared_with: Collection[Period]) -> MonthFigures:
    year = period.financial_year
    chosen = in_force(submitted_revisions(contract.id, year.months[0], year.months[-1]))
    current = chosen.get(period)
    others = [chosen[m] for m in {*compared_with, max(chosen, default=period)} if m != period and m in chosen]
    full = [current.revision_id] if current else []
    threshold = contract.finance_explanation_threshold
    rows = _rows(dict.fromkeys(ALL_TABLES, full) | {RevenueLine: full + [r.revision_id for r in others]}, threshold)
    earlier = {r.period: _position(contract, r.period, r.source, rows, r.revision_id) for r in others}
    position = _position(contract, period, current.source, rows, current.revision_id) if current else None
    chart: dict[Period, positions.CareLadderRow] = {}
    if position is not None and position.care_ladder:
        so_far = {r.revision_id: m for m, r in chosen.items() if m <= period}
        found = category_rows(list(so_far), position.pressures[0].category_id)
        chart = {so_far[revision_id]: row for revision_id, row in found.items()}
    return MonthFigures(chosen, position, earlier, chart)


def _position(
    contract: Contract, period: Period, source: Source, rows: dict[type, dict[int, list]], revision_id: int
) -> MonthPosition:
    trust = rows[TrustPosition].get(revision_id)
    return positions.build(
        period,
        source,
        threshold=contract.finance_explanation_threshold,
        council_share=contract.council_share,
        gain_share=contract.gain_share,
        revenue=rows[RevenueLine].get(revision_id, ()),
        care_ladder=rows[CareLadderLine].get(revision_id, ()),
        funding=rows[FundingLine].get(revision_id, ()),
        savings=rows[SavingsLine].get(revision_id, ()),
        capital=rows[CapitalLine].get(revision_id, ()),
        trust=trust[0] if trust else None,
        flagged=True,
    )


def latest_in_force_before(contract_id: int, period: Period) -> ReturnRevision | None:
    """The figures in force for the latest month before `period` that has any (where a new return starts)."""
    newest = db.session.scalar(
        select(MonthlyReturn)
        .join(ReturnRevision, ReturnRevision.return_id == MonthlyReturn.id)
        .where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == ReturnKind.FINANCE,
            MonthlyReturn.year * 12 + MonthlyReturn.month < _month_index(period),
            ReturnRevision.status != ReturnStatus.DRAFT,
        )
        .order_by(MonthlyReturn.year.desc(), MonthlyReturn.month.desc())
        .limit(1)
    )
    return newest.in_force if newest is not None else None
