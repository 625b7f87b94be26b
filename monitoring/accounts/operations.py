"""Writes about accounts. Each flushes; the request or command commits once at its edge."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import OperationalError
from werkzeug.security import check_password_hash, generate_password_hash

from monitoring.accounts.models import ApiToken, LoginAttempt, Role, User, hash_token, new_session_token
from monitoring.accounts.rules import SignInThrottle, password_problem, sign_in_throttle
from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract, Membership, Organisation
from monitoring.core.db import lock_keys
from monitoring.core.errors import InvalidInput
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db

log = logging.getLogger(__name__)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_role_and_organisation(role: Role, organisation: Organisation) -> None:
    if organisation.kind not in role.organisation_kinds:
        kinds = " or ".join(sorted(k.label.lower() for k in role.organisation_kinds))
        raise InvalidInput(
            {"organisation_id": f"A {role.label.lower()} must belong to a {kinds}, not {organisation.name}"}
        )


def _check_contracts(organisation: Organisation, contracts: Iterable[Contract]) -> None:
    for contract in contracts:
        if organisation.id not in (contract.council_id, contract.trust_id):
            raise InvalidInput({"contract_ids": f"{organisation.name} is not a party to the contract {contract.name}"})


def _set_memberships(user: User, contracts: Iterable[Contract]) -> None:
    wanted = {c.id: c for c in contracts}
    for membership in list(user.memberships):
        if membership.contract_id not in wanted:
            user.memberships.remove(membership)
    for contract_id, contract in wanted.items():
        if contract_id not in user.contract_ids:
            user.memberships.append(Membership(contract=contract, contract_id=contract_id))


def create_user(
    *,
    email: str,
    name: str,
    role: Role,
    organisation: Organisation,
    password: str,
    contracts: Iterable[Contract] = (),
) -> User:
    email = normalise_email(email)
    if find_user_by_email(email) is not None:
        raise InvalidInput({"email": f"There is already an account for {email}"})
    problem = password_problem(password, email, name)
    if problem:
        raise InvalidInput({"password": problem})
    contracts = list(contracts)
    _check_role_and_organisation(role, organisation)
    _check_contracts(organisation, contracts)
    user = User(email=email, name=name.strip(), role=role, organisation=organisation, active=True)
    user.set_password(password)
    db.session.add(user)
    _set_memberships(user, contracts)
    db.session.flush()
    return user


def update_user(
    user: User,
    *,
    name: str,
    role: Role,
    organisation: Organisation,
    contracts: Iterable[Contract],
) -> User:
    contracts = list(contracts)
    _check_role_and_organisation(role, organisation)
    _check_contracts(organisation, contracts)
    changed_access = user.role != role or user.organisation_id != organisation.id
    user.name = name.strip()
    user.role = role
    user.organisation = organisation
    _set_memberships(user, contracts)
    if changed_access:
        # A new role or organisation takes effect at once: existing sessions end.
        user.session_token = new_session_token()
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every session the person has, on every device: their session cookies carry the old token.
    (Signing out does this: a copied cookie must not outlive the sign-out. API tokens are separate.)"""
    user.session_token = new_session_token()
    mark(user, "sign_out")
    db.session.flush()


def set_active(user: User, active: bool, acting_user: User | None = None) -> None:
    """Deactivating ends every session and revokes every API token; reactivating restores neither."""
    if user.active == active:
        return
    if not active and acting_user is not None and acting_user.id == user.id:
        raise InvalidInput({"active": "You cannot deactivate your own account"})
    user.active = active
    if not active:
        user.session_token = new_session_token()
        for token in db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        ):
            token.revoked_at = utcnow()
            mark(token, "revoke")
    mark(user, "reactivate" if active else "deactivate")
    db.session.flush()


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise InvalidInput({"current_password": "Your current password is not correct"})
    if current == new:
        raise InvalidInput({"new_password": "Your new password must be different from your current one"})
    set_password(user, new)


def set_password(user: User, new: str) -> None:
    """Set a password and end every session the person has (the cookie carries the old token)."""
    problem = password_problem(new, user.email, user.name)
    if problem:
        raise InvalidInput({"new_password": problem})
    user.set_password(new)
    mark(user, "change_password")
    db.session.flush()


@dataclass(frozen=True)
class SignInOutcome:
    """What a sign-in attempt came to: the person, or None (wrong details, or refused: `throttle`)."""

    user: User | None
    throttle: SignInThrottle


_DUMMY_HASH: list[str] = []


def _password_matches(user: User | None, password: str) -> bool:
    """Check the password, taking as long for an unknown address as for a known one, so the time an
    answer takes does not tell which addresses have accounts."""
    if user is None:
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(generate_password_hash(secrets.token_urlsafe(16)))
        check_password_hash(_DUMMY_HASH[0], password)
        return False
    return user.check_password(password)


def _reserve_attempt(email: str, address: str, now: datetime) -> tuple[SignInThrottle, int | None]:
    """Decide whether this attempt may go ahead and, if so, record it as a failure straight away.

    Counting and recording happen under a lock on the account and the address, and are committed
    before the (slow) password check: parallel guesses each see the ones before them, so no more
    than the limit are ever checked, whatever the number of web workers."""
    lock_keys(f"sign-in:account:{email}", f"sign-in:address:{address}")
    cfg = current_app.config
    window = timedelta(minutes=cfg["LOGIN_WINDOW_MINUTES"])
    rows = db.session.execute(
        select(LoginAttempt.email, LoginAttempt.address, LoginAttempt.at, LoginAttempt.succeeded).where(
            LoginAttempt.at > now - window,
            or_(LoginAttempt.email == email, LoginAttempt.address == address),
        )
    ).all()
    throttle = sign_in_throttle(
        [(r.at, r.succeeded) for r in rows if r.email == email],
        [(r.at, r.succeeded) for r in rows if r.address == address],
        now,
        window,
        cfg["LOGIN_MAX_FAILURES_PER_ACCOUNT"],
        cfg["LOGIN_MAX_FAILURES_PER_ADDRESS"],
    )
    attempt_id = None
    if throttle.allowed:
        attempt = LoginAttempt(email=email[:254], address=address[:64], succeeded=False, at=now)
        db.session.add(attempt)
        db.session.flush()
        attempt_id = attempt.id
    db.session.commit()
    return throttle, attempt_id


def sign_in(email: str, password: str, address: str, now: datetime | None = None) -> SignInOutcome:
    """Check a password and record the attempt; refused (429) while the account or the address has
    had too many failures. This operation commits the attempt itself (see `_reserve_attempt`)."""
    email = normalise_email(email)
    throttle, attempt_id = _reserve_attempt(email, address, now or utcnow())
    if attempt_id is None:
        return SignInOutcome(None, throttle)
    user = find_user_by_email(email)
    hash_ok = _password_matches(user, password)
    if user is None or not hash_ok or not user.active:
        log.warning("failed sign-in for %r from %s", email, address)
        return SignInOutcome(None, throttle)
    db.session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.id == attempt_id)
        .values(succeeded=True)
        .execution_options(synchronize_session=False)
    )
    user.last_signed_in_at = utcnow()
    db.session.flush()
    return SignInOutcome(user, throttle)


def recent_failed_sign_ins(limit: int = 100) -> list[LoginAttempt]:
    return list(
        db.session.scalars(
            select(LoginAttempt).where(LoginAttempt.succeeded.is_(False)).order_by(LoginAttempt.at.desc()).limit(limit)
        )
    )


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new API token; the secret is returned once and never stored."""
    name = name.strip()
    if not name:
        raise InvalidInput({"name": "Enter a name for the token, such as the system that will use it"})
    taken = db.session.scalar(
        select(func.count())
        .select_from(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.name == name, ApiToken.revoked_at.is_(None))
    )
    if taken:
        raise InvalidInput({"name": f"You already have a token called {name!r}"})
    token, secret = ApiToken.generate(user, name)
    db.session.add(token)
    db.session.flush()
    return token, secret


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        mark(token, "revoke")
        db.session.flush()


def user_for_token(secret: str) -> tuple[User, ApiToken] | None:
    """The active owner of an unrevoked token (and the token), or None."""
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or token.is_revoked or not token.user.active:
        return None
    return token.user, token


TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def token_needs_touch(token: ApiToken, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL


def touch_token(token_id: int) -> None:
    """Record when a token was last used, in its own small transaction after the request's.

    It is best effort: under write contention (SQLite) losing one "last used" update is harmless,
    so it never fails a request. The condition keeps concurrent requests from all writing.
    """
    now = utcnow()
    try:
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id)
            .where(or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - TOKEN_TOUCH_INTERVAL))
            .values(last_used_at=now)
        )
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        log.info("could not record the use of API token %s; will try again later", token_id)
