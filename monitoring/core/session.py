"""The app's database session: a lost update or a clash of two inserts becomes a `Conflict`.

Records that two people edit carry a version (`version_id_col`): an UPDATE that finds the version
moved on matches no row, and SQLAlchemy raises StaleDataError. Two transactions inserting the same
key at the same moment end with a unique violation (PostgreSQL) for the later one. Neither is a
fault of the service: both mean "someone else got there first". The session rolls back and raises
a Conflict naming the record and who changed it last, which views show on the form (the person's
input kept) and the API answers with 409.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from monitoring.core.db import is_unique_violation
from monitoring.core.errors import Conflict
from monitoring.core.timeutil import format_datetime


def _versioned_key(obj: Any) -> tuple[str, str, str] | None:
    state = inspect(obj)
    if state.mapper.version_id_col is None or state.identity is None:
        return None
    return record_key(obj)


def lost_update(records: list[tuple[str, str, str]]) -> Conflict:
    """The Conflict for a change that lost to someone else's: who made the winning change, and when."""
    from monitoring.audit.queries import last_change  # the audit trail knows who changed what

    record_type, record_id, label = records[0] if records else ("", "", "")
    change = last_change(record_type, record_id) if record_type else None
    what = label or "This record"
    if change is None:
        message = f"{what} was changed by someone else while you were working on it."
    else:
        message = f"{what} was changed by {change.by} on {format_datetime(change.at)} while you were working on it."
    return Conflict(
        message + " Your changes have not been saved: check what it says now and make them again.",
        record_type=record_type,
        record_id=record_id,
        record_label=label,
        changed_by=change.by if change else "",
        changed_at=change.at if change else None,
    )


def simultaneous_insert() -> Conflict:
    return Conflict(
        "Someone else saved the same thing at the same moment. Your changes have not been saved: "
        "check what is there now and try again if it is still needed."
    )


class Session(FlaskSession):
    """Flask-SQLAlchemy's session, whose flush turns a lost race into a Conflict."""

    def flush(self, objects: Any = None) -> None:
        try:
            super().flush(objects)
        except StaleDataError as error:
            records = [key for obj in self.dirty if (key := _versioned_key(obj)) is not None]
            self.rollback()
            raise lost_update(records) from error
        except IntegrityError as error:
            if not is_unique_violation(error):
                raise
            self.rollback()
            raise simultaneous_insert() from error


def record_key(obj: Any) -> tuple[str, str, str]:
    """How the audit trail names a record: its class, its id and its own words."""
    state = inspect(obj)
    return type(obj).__name__, ",".join(str(part) for part in state.identity or ()), str(obj)


def version_of(obj: Any) -> int:
    """The record's version (its `version_id_col`): it moves on with every change."""
    mapper = inspect(obj).mapper
    return int(getattr(obj, mapper.get_property_by_column(mapper.version_id_col).key))


def check_version(obj: Any, seen: int | None) -> None:
    """Refuse a change made from a copy of `obj` older than what is stored now (optimistic locking
    across requests: the form or the API client sends back the version it read)."""
    if seen is not None and seen != version_of(obj):
        raise lost_update([record_key(obj)])


def refuse(obj: Any, message: str, field: str = "__all__") -> Conflict:
    """A Conflict for a change that `obj`'s state does not allow (locked, approved, published)."""
    record_type, record_id, label = record_key(obj)
    return Conflict(message, field=field, record_type=record_type, record_id=record_id, record_label=label)
