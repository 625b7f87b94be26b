"""Reading contracts and who works on them."""

from __future__ import annotations

from sqlalchemy import func, select

from monitoring.accounts.models import User
from monitoring.contracts.models import Contract, Membership, Organisation
from monitoring.extensions import db


def members_of(contract: Contract) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership)
            .where(Membership.contract_id == contract.id, User.active.is_(True))
            .order_by(User.name)
        )
    )


def counts() -> dict[str, int]:
    """Totals for the administrator's home page."""
    return {
        "users": db.session.scalar(select(func.count()).select_from(User)) or 0,
        "active_users": db.session.scalar(select(func.count()).select_from(User).where(User.active.is_(True))) or 0,
        "organisations": db.session.scalar(select(func.count()).select_from(Organisation)) or 0,
        "contracts": db.session.scalar(select(func.count()).select_from(Contract)) or 0,
    }
