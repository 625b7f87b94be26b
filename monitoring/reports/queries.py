"""Reading summaries, schedules and the delivery ledger for the pages and home panels."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from monitoring.extensions import db
from monitoring.reports.models import (
    RECEIVING_ROLES,
    Delivery,
    DeliverySchedule,
    DeliveryStatus,
    Summary,
    SummaryStatus,
    SummaryVersion,
    VersionState,
)

PROBLEMS = (DeliveryStatus.FAILED, DeliveryStatus.UNCONFIRMED)


def summaries_of(contract_id: int, *, published_only: bool) -> list[Summary]:
    """A contract's summaries, newest period first; only those with a published version if asked."""
    rows = db.session.scalars(
        select(Summary)
        .where(Summary.contract_id == contract_id)
        .order_by(Summary.financial_year.desc(), Summary.period_kind, Summary.period_number.desc())
    ).all()
    return [s for s in rows if s.published_version is not None] if published_only else list(rows)


def published_versions_for(user: Any) -> list[SummaryVersion]:
    """Published versions of the person's contracts' summaries, most recently approved first."""
    if not user.contract_ids:
        return []
    return list(
        db.session.scalars(
            select(SummaryVersion)
            .join(Summary)
            .where(Summary.contract_id.in_(user.contract_ids), SummaryVersion.state == VersionState.PUBLISHED)
            .order_by(SummaryVersion.decided_at.desc())
        )
    )


def awaiting_approval_for(user: Any) -> list[Summary]:
    if not user.contract_ids:
        return []
    return list(
        db.session.scalars(
            select(Summary)
            .where(Summary.contract_id.in_(user.contract_ids), Summary.status == SummaryStatus.AWAITING_APPROVAL)
            .order_by(Summary.updated_at)
        )
    )


def problems_for_owner(user: Any, limit: int = 20) -> list[Delivery]:
    """Failed or unconfirmed emails of the schedules the person owns, newest first."""
    return list(
        db.session.scalars(
            select(Delivery)
            .join(DeliverySchedule)
            .where(DeliverySchedule.owner_id == user.id, Delivery.status.in_(PROBLEMS))
            .order_by(Delivery.due_at.desc())
            .limit(limit)
        )
    )


def schedules_of(contract_id: int) -> list[DeliverySchedule]:
    return list(
        db.session.scalars(
            select(DeliverySchedule).where(DeliverySchedule.contract_id == contract_id).order_by(DeliverySchedule.id)
        )
    )


def schedules_receivable_by(user: Any) -> list[DeliverySchedule]:
    """Schedules of the person's contracts whose emails their role may receive."""
    if not user.contract_ids:
        return []
    rows = db.session.scalars(
        select(DeliverySchedule)
        .where(DeliverySchedule.contract_id.in_(user.contract_ids))
        .order_by(DeliverySchedule.contract_id, DeliverySchedule.id)
    ).all()
    return [s for s in rows if user.role in RECEIVING_ROLES[s.kind]]


def deliveries_of(contract_id: int, *, problems_only: bool) -> Select:
    """The delivery log's query (paginated by the page), newest occasion first."""
    query = select(Delivery).where(Delivery.contract_id == contract_id)
    if problems_only:
        query = query.where(Delivery.status.in_(PROBLEMS))
    return query.order_by(Delivery.due_at.desc(), Delivery.id.desc())
