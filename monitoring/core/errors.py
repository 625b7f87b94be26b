"""Errors that operations raise for bad input or a refused change; views and the API turn them
into messages (and the status code each carries)."""

from __future__ import annotations

from datetime import datetime

from flask import g, has_request_context


class InvalidInput(Exception):
    """Input that breaks a business rule. `errors` maps a field name to a message naming the problem."""

    status = 400  # the API answers 422 for bad input (see api.blueprint)

    def __init__(self, errors: dict[str, str] | str, field: str = "__all__") -> None:
        self.errors = errors if isinstance(errors, dict) else {field: errors}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))


class Conflict(InvalidInput):
    """A change refused because of the record's state, not the input: someone else changed it since
    it was opened, it was saved by someone else at the same moment, or it is locked (an accepted
    return, approved minutes). Answered 409, and written to the audit trail as a refused change.

    `record_type`/`record_id` name the record (as the audit trail does), `changed_by`/`changed_at`
    who last changed it, when known."""

    status = 409

    def __init__(
        self,
        message: str,
        *,
        field: str = "__all__",
        record_type: str = "",
        record_id: str = "",
        record_label: str = "",
        changed_by: str = "",
        changed_at: datetime | None = None,
    ) -> None:
        super().__init__({field: message})
        self.message = message
        self.record_type = record_type
        self.record_id = record_id
        self.record_label = record_label
        self.changed_by = changed_by
        self.changed_at = changed_at
        if has_request_context():
            # The request's edge writes the refusal to the audit trail once it has rolled back.
            g.refused_change = self

    def as_json(self) -> dict[str, object]:
        return {
            "record": {"type": self.record_type, "id": self.record_id, "label": self.record_label}
            if self.record_type
            else None,
            "changed_by": self.changed_by or None,
            "changed_at": self.changed_at.isoformat() if self.changed_at else None,
        }
