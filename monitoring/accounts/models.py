"""People who sign in, their API tokens, and the record of sign-in attempts."""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from monitoring.contracts.models import Membership, Organisation, OrganisationKind
from monitoring.core.db import enum_type
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db


class Role(enum.StrEnum):
    """What a person does in the monitoring cycle; DOMAIN.md "Who may do what"."""

    COMMISSIONER = "commissioner"
    TRUST_OFFICER = "trust_officer"
    DIRECTOR = "director"
    SCRUTINY = "scrutiny"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def organisation_kinds(self) -> frozenset[OrganisationKind]:
        """Which kind of organisation a person with this role works for."""
        if self is Role.TRUST_OFFICER:
            return frozenset({OrganisationKind.TRUST})
        if self is Role.DIRECTOR:
            return frozenset(OrganisationKind)
        return frozenset({OrganisationKind.COUNCIL})


ROLE_LABELS = {
    Role.COMMISSIONER: "Commissioning manager",
    Role.TRUST_OFFICER: "Trust performance officer",
    Role.DIRECTOR: "Director",
    Role.SCRUTINY: "Scrutiny member",
    Role.ADMIN: "Administrator",
}


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class User(UserMixin, db.Model):
    """A person who signs in. `session_token` changes to end every session they hold."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_type(Role, "role"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    password_hash: Mapped[str] = mapped_column(String(255), info={"audit": "redact"})
    # Part of the session cookie; rotating it signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token, info={"audit": "redact"})
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_signed_in_at: Mapped[datetime | None] = mapped_column(info={"audit": "skip"})

    organisation: Mapped[Organisation] = relationship()
    memberships: Mapped[list[Membership]] = relationship(cascade="all, delete-orphan")

    # Flask-Login: an inactive account cannot sign in.
    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def contract_ids(self) -> frozenset[int]:
        return frozenset(m.contract_id for m in self.memberships)

    @property
    def contracts(self) -> list:
        return sorted((m.contract for m in self.memberships), key=lambda c: c.name)

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


def hash_token(secret: str) -> str:
    """API tokens are long random strings, so one SHA-256 is enough; only the hash is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiToken(db.Model):
    """A personal token for the JSON API; shown once, stored hashed, revocable."""

    __tablename__ = "api_token"

    PREFIX = "cmt_"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, info={"audit": "redact"})
    # The first characters of the token, so its owner can recognise it in a list.
    hint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(info={"audit": "skip"})
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @classmethod
    def generate(cls, user: User, name: str) -> tuple[ApiToken, str]:
        secret = cls.PREFIX + secrets.token_urlsafe(32)
        return cls(user=user, name=name, token_hash=hash_token(secret), hint=secret[:10]), secret


class LoginAttempt(db.Model):
    """One sign-in attempt, kept to slow down password guessing and for the security log."""

    __tablename__ = "login_attempt"
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
