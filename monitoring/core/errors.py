"""Errors that operations raise for bad input; views and the API turn them into messages."""

from __future__ import annotations


class InvalidInput(Exception):
    """Input that breaks a business rule. `errors` maps a field name to a message naming the problem."""

    def __init__(self, errors: dict[str, str] | str, field: str = "__all__") -> None:
        self.errors = errors if isinstance(errors, dict) else {field: errors}
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.errors.items()))
