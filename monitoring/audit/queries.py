"""Reading the audit trail: an object's own history, and the administrator's log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from monitoring.audit.models import AuditEvent
from monitoring.audit.recorder import object_id
from monitoring.extensions import db


def object_key(obj: Any) -> tuple[str, str]:
    return type(obj).__name__, object_id(obj)


def history_of(obj: Any, limit: int = 200) -> list[AuditEvent]:
    """Every recorded write to `obj`, newest first."""
    object_type, object_id = object_key(obj)
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        )
    )


def log_query(
    *,
    object_type: str = "",
    action: str = "",
    user_id: int | None = None,
    contract_id: int | None = None,
) -> Select:
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if action:
        query = query.where(AuditEvent.action == action)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if contract_id is not None:
        query = query.where(AuditEvent.contract_id == contract_id)
    return query


def object_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)))


def data_version() -> tuple[int, Any] | None:
    """The latest write anywhere (every write is audited): a key that changes whenever any record does,
    so something worked out from the records can be kept until then. The time is part of it, since an id
    alone can come round again after a rolled-back transaction."""
    row = db.session.execute(select(AuditEvent.id, AuditEvent.at).order_by(AuditEvent.id.desc()).limit(1)).first()
    return (row.id, row.at) if row else None


@dataclass(frozen=True)
class LastChange:
    by: str
    at: datetime


def last_change(object_type: str, object_id: str) -> LastChange | None:
    """Who last changed a record and when (for telling someone their change lost to another)."""
    event = db.session.scalar(
        select(AuditEvent)
        .where(AuditEvent.object_type == object_type, AuditEvent.object_id == object_id)
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    if event is None:
        return None
    if event.user is None:
        return LastChange("the system", event.at)
    organisation = f" ({event.organisation.name})" if event.organisation else ""
    return LastChange(event.user.name + organisation, event.at)
