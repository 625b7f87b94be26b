"""Writes an audit event for every row a flush inserts, updates or deletes.

Recording happens in the session's after_flush hook, so no write can forget it: operations only
name the action when it means more than create/update/delete (`mark(obj, "submit")`).
"""

from __future__ import annotations

import contextvars
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from flask import g, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from monitoring.audit.models import AuditEvent
from monitoring.core.timeutil import utcnow

REDACTED = "(hidden)"


@dataclass(frozen=True)
class Actor:
    """Who is writing: captured as plain values so recording never has to load anything."""

    user_id: int | None
    organisation_id: int | None

    @classmethod
    def of(cls, user: Any) -> Actor:
        return cls(user.id, user.organisation_id)


SYSTEM = Actor(None, None)
_explicit_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(actor: Actor) -> Iterator[None]:
    """Attribute writes outside a web request (commands, jobs) to `actor`."""
    token = _explicit_actor.set(actor)
    try:
        yield
    finally:
        _explicit_actor.reset(token)


def set_request_actor(user: Any) -> None:
    g.audit_actor = Actor.of(user)


def current_actor() -> Actor:
    explicit = _explicit_actor.get()
    if explicit is not None:
        return explicit
    if has_app_context():
        return g.get("audit_actor", SYSTEM)
    return SYSTEM


def mark(obj: Any, action: str) -> None:
    """Name the action the next flush records for `obj` (e.g. "submit", "deactivate")."""
    obj.__dict__["_audit_action"] = action


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"({len(value)} bytes)"
    return value


def _columns(obj: Any) -> list[Any]:
    return [a for a in inspect(obj).mapper.column_attrs if a.columns[0].info.get("audit") != "skip"]


def _value(attr: Any, value: Any) -> Any:
    column = attr.columns[0]
    if column.info.get("audit") == "redact":
        return REDACTED if value is not None else None
    if value is not None and isinstance(column.type, TypeDecorator):
        # Record what the database will hold: Decimal("65") is stored, and read back, as 65.00.
        value = column.type.process_result_value(column.type.process_bind_param(value, None), None)
    return _plain(value)


def _snapshot(obj: Any) -> dict[str, Any]:
    return {a.key: _value(a, getattr(obj, a.key)) for a in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in _columns(obj):
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if old == new:
            continue
        before[attr.key] = _value(attr, old)
        after[attr.key] = _value(attr, new)
    return before, after


def _contract_id(obj: Any) -> int | None:
    if hasattr(obj, "audit_contract_id"):
        return obj.audit_contract_id
    if type(obj).__name__ == "Contract":
        return obj.id
    return getattr(obj, "contract_id", None)


def _is_audited(obj: Any) -> bool:
    return getattr(type(obj), "__audit__", True)


def object_id(obj: Any) -> str:
    """The object's primary key as text (also for rows inserted in the flush being recorded)."""
    return ",".join(str(part) for part in inspect(obj).mapper.primary_key_from_instance(obj))


def _row(obj: Any, action: str, before: dict | None, after: dict | None, actor: Actor) -> dict[str, Any]:
    return {
        "at": utcnow(),
        "user_id": actor.user_id,
        "organisation_id": actor.organisation_id,
        "contract_id": _contract_id(obj),
        "action": obj.__dict__.pop("_audit_action", action),
        "object_type": type(obj).__name__,
        "object_id": object_id(obj),
        "object_label": str(obj)[:200],
        "before": before,
        "after": after,
    }


def _after_flush(session: Session, flush_context: Any) -> None:
    actor = current_actor()
    rows = []
    for obj in session.new:
        if _is_audited(obj):
            rows.append(_row(obj, "create", None, _snapshot(obj), actor))
    for obj in session.dirty:
        if _is_audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                rows.append(_row(obj, "update", before, after, actor))
    for obj in session.deleted:
        if _is_audited(obj):
            rows.append(_row(obj, "delete", _snapshot(obj), None, actor))
    if rows:
        session.connection().execute(AuditEvent.__table__.insert(), rows)


def install() -> None:
    """Listen on every ORM session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)


def record_refusal(
    *,
    actor: Actor,
    contract_id: int | None,
    record_type: str,
    record_id: str,
    label: str,
    details: dict[str, Any],
    session: Session,
) -> None:
    """Write a refused change (a locked record, a lost race, no permission) to the audit trail.

    Nothing the refused request did is kept, so this is its own small transaction, after the
    request's has rolled back: the trail shows who tried what, when, and why it was refused."""
    session.execute(
        AuditEvent.__table__.insert(),
        [
            {
                "at": utcnow(),
                "user_id": actor.user_id,
                "organisation_id": actor.organisation_id,
                "contract_id": contract_id,
                "action": "refused",
                "object_type": record_type,
                "object_id": record_id[:60],
                "object_label": label[:200],
                "before": None,
                "after": details,
            }
        ],
    )
    session.commit()
