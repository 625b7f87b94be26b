"""Audit events, one per row written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from monitoring.core.timeutil import utcnow
from monitoring.extensions import db


class AuditEvent(db.Model):
    """One write to one object: who (user and organisation), when (UTC), what, before and after."""

    __tablename__ = "audit_event"
    __audit__ = False
    __table_args__ = (Index("ix_audit_event_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Nullable: writes made by the system itself (scheduled jobs, set-up commands) have no user.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="SET NULL"))
    # The contract the object belongs to, so a contract's members can read its history.
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("contract.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(60))
    object_label: Mapped[str] = mapped_column(String(200), default="")
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    user = relationship("User", lazy="joined")
    organisation = relationship("Organisation", lazy="joined")

    @property
    def changes(self) -> list[tuple[str, Any, Any]]:
        """(field, before, after) for each field this event touched, in a stable order."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k) or not before]
