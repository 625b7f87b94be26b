"""Reads of the finance area, each a fixed number of statements whatever the length of the history:
the revisions in force over some months (one statement), their lines (one per table), the categories.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import aliased

from monitoring.accounts.models import User
from monitoring.contracts.models import Contract
from monitoring.core.periods import FinancialYear, Period
from monitoring.extensions import db
from monitoring.finance import positions
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


def submitted_revisions(contract_id: int, first: Period, last: Period) -> list[Submitted]:
    """Every revision past draft of the finance returns from `first` to `last`, in one statement."""
    accepted_by, submitted_by = aliased(User), aliased(User)
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
    """revision id → its position, loading every figure table once for all the revisions."""
    if not revisions:
        return {}
    ids = [r.revision_id for r in revisions]
    rows = _rows_by_revision(ids)
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
    return _position(contract, monthly.period, source, _rows_by_revision([revision.id]), revision.id)


def year_positions(contract: Contract, year: FinancialYear) -> YearPositions:
    """The figures in force for each month of a financial year (a fixed number of statements)."""
    chosen = in_force(submitted_revisions(contract.id, year.months[0], year.months[-1]))
    found = positions_of(contract, list(chosen.values()))
    return YearPositions(year, {period: found[r.revision_id] for period, r in sorted(chosen.items())})


def _rows_by_revision(ids: list[int]) -> dict[type, dict[int, list]]:
    found: dict[type, dict[int, list]] = {}
    for model in (RevenueLine, FundingLine, SavingsLine, CapitalLine):
        grouped: dict[int, list] = defaultdict(list)
        for row in db.session.scalars(
            select(model).where(model.revision_id.in_(ids)).order_by(model.revision_id, model.position, model.id)
        ):
            grouped[row.revision_id].append(row)
        found[model] = grouped
    ladder: dict[int, list] = defaultdict(list)
    for line, category in db.session.execute(
        select(CareLadderLine, PlacementCategory)
        .join(PlacementCategory, CareLadderLine.category_id == PlacementCategory.id)
        .where(CareLadderLine.revision_id.in_(ids))
        .order_by(CareLadderLine.revision_id, PlacementCategory.position, PlacementCategory.id)
    ):
        ladder[line.revision_id].append((line, category))
    found[CareLadderLine] = ladder
    trust: dict[int, list] = defaultdict(list)
    for row in db.session.scalars(select(TrustPosition).where(TrustPosition.revision_id.in_(ids))):
        trust[row.revision_id].append(row)
    found[TrustPosition] = trust
    return found


def _position(
    contract: Contract, period: Period, source: Source, rows: dict[type, dict[int, list]], revision_id: int
) -> MonthPosition:
    trust_rows = rows[TrustPosition].get(revision_id, [])
    trust = trust_rows[0] if trust_rows else None
    return positions.build(
        period,
        source,
        threshold=contract.finance_explanation_threshold,
        council_share=contract.council_share,
        gain_share=contract.gain_share,
        revenue=[
            positions.RevenueRow(r.service_area, r.gross_budget, r.net_budget, r.forecast_outturn, r.explanation)
            for r in rows[RevenueLine].get(revision_id, [])
        ],
        care_ladder=[
            positions.CareLadderRow(
                category.id,
                category.name,
                line.contracted_volume,
                line.unit_contract_value,
                line.actual_activity,
                line.forecast_activity,
                line.forecast_unit_cost,
                line.explanation,
            )
            for line, category in rows[CareLadderLine].get(revision_id, [])
        ],
        funding=[
            positions.FundingRow(r.description, r.amount, r.agreed_on, r.purpose)
            for r in rows[FundingLine].get(revision_id, [])
        ],
        savings=[
            positions.SavingsRow(r.description, r.target, r.forecast_delivery, r.explanation)
            for r in rows[SavingsLine].get(revision_id, [])
        ],
        capital=[
            positions.CapitalRow(r.scheme, r.revised_budget, r.forecast, r.actual_to_date)
            for r in rows[CapitalLine].get(revision_id, [])
        ],
        trust=positions.TrustFigures(trust.trust_reserves, trust.agency_staff, trust.agency_cost, trust.commentary)
        if trust
        else None,
    )


def latest_reported(contract_id: int) -> Period | None:
    """The latest month for which the trust has submitted a finance return."""
    row = db.session.execute(
        select(MonthlyReturn.year, MonthlyReturn.month)
        .where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == ReturnKind.FINANCE,
            MonthlyReturn.first_submitted_at.is_not(None),
        )
        .order_by(MonthlyReturn.year.desc(), MonthlyReturn.month.desc())
        .limit(1)
    ).first()
    return Period(row.year, row.month) if row else None


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
