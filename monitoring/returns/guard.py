"""The last line of defence for locked returns: no flush may change the values of a revision that
is not editable (accepted, superseded, or waiting for the council's review).

Operations check first and say why in words (`operations.ensure_editable`); this guard catches any
code path that forgets, so accepted figures are never changed in place, whatever the route.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


class LockedReturnError(RuntimeError):
    """A write reached the database for the values of a revision that is locked."""


class RevisionValue:
    """Mixin for rows that hold a revision's figures: they need a `revision` relationship."""

    revision: Any


def _revision_of(obj: RevisionValue, session: Session) -> Any:
    from monitoring.returns.models import ReturnRevision

    if obj.revision is not None:
        return obj.revision
    revision_id = getattr(obj, "revision_id", None)
    return session.get(ReturnRevision, revision_id) if revision_id is not None else None


def _before_flush(session: Session, flush_context: Any, instances: Any) -> None:
    touched = [o for o in session.new if isinstance(o, RevisionValue)]
    touched += [o for o in session.dirty if isinstance(o, RevisionValue) and session.is_modified(o)]
    touched += [o for o in session.deleted if isinstance(o, RevisionValue)]
    if not touched:
        return
    with session.no_autoflush:
        for obj in touched:
            revision = _revision_of(obj, session)
            if revision is not None and not revision.status.is_editable and revision not in session.new:
                raise LockedReturnError(
                    f"refusing to change {type(obj).__name__} of {revision} ({revision.status.label.lower()})"
                )


def install() -> None:
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
