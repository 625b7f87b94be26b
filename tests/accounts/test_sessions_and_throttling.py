"""Sessions end on the server when people sign out; throttling cannot be cleared by the guesser's
own successes; and an unknown address costs the same work as a known one."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from monitoring.accounts.models import ApiToken, Role
from monitoring.audit.models import AuditEvent
from monitoring.extensions import db

PASSWORD = "correct horse battery staple"


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_a_copied_session_cookie_stops_working_after_sign_out(app, client, f):
    person = f.create_user(Role.COMMISSIONER, f.create_contract())
    assert sign_in(client, person.email).status_code == 302
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/account").status_code == 200  # the copy works while the session lasts

    assert client.post("/sign-out").status_code == 302
    assert copy.get("/account").status_code == 302  # and not a moment after sign-out
    assert client.get("/account").status_code == 302


def test_api_tokens_outlive_sign_out_and_password_changes_but_not_deactivation(app, client, f, login):
    contract = f.create_contract()
    person = f.create_user(Role.COMMISSIONER, contract)
    admin = f.create_user(Role.ADMIN)
    _, secret = f.create_token(person)
    api = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    path = f"/api/v1/contracts/{contract.id}/actions"

    assert sign_in(client, person.email).status_code == 302
    client.post("/sign-out")
    assert api.get(path, headers=bearer).status_code == 200

    login(person)
    changed = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "an entirely new passphrase",
            "password-confirm_password": "an entirely new passphrase",
        },
    )
    assert changed.status_code == 302
    assert api.get(path, headers=bearer).status_code == 200

    login(admin)
    assert client.post(f"/admin/users/{person.id}/active", data={"active": "0"}).status_code == 302
    assert api.get(path, headers=bearer).status_code == 401
    assert client.post(f"/admin/users/{person.id}/active", data={"active": "1"}).status_code == 302
    assert api.get(path, headers=bearer).status_code == 401  # reactivating does not bring tokens back
    assert db.session.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == person.id)) is not None


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_failures(client, f):
    """32 guesses spread over 8 accounts from one address, signing in to one's own account every 16."""
    own = f.create_user(Role.COMMISSIONER, email="guesser@council.test")
    targets = [f.create_user(Role.COMMISSIONER, email=f"target{n}@council.test") for n in range(8)]
    statuses = []
    for n in range(32):
        if n and n % 16 == 0:
            assert sign_in(client, own.email).status_code == 302
            client.post("/sign-out")
        statuses.append(sign_in(client, targets[n % 8].email, f"guess number {n}").status_code)
    assert statuses[:20] == [200] * 20  # 20 failures from one address are allowed in the window…
    assert set(statuses[20:]) == {429}  # …and then the address is refused, whatever it signed in to


def test_the_right_password_is_refused_too_once_the_address_is_throttled(client, f):
    person = f.create_user(Role.COMMISSIONER)
    others = [f.create_user(Role.COMMISSIONER) for _ in range(5)]
    for n in range(20):
        sign_in(client, others[n % 5].email, "not it")
    refused = sign_in(client, person.email)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


@pytest.fixture
def password_work(monkeypatch):
    """Count the key derivations (the slow, costly part of checking a password)."""
    calls = []
    real = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    return calls


@pytest.mark.parametrize("who", ["unknown", "known, wrong password", "deactivated"])
def test_every_sign_in_does_the_same_password_work(client, f, password_work, who):
    """So the time an answer takes does not tell which addresses have accounts."""
    person = f.create_user(Role.COMMISSIONER, active=(who != "deactivated"))
    email = "nobody-here@council.test" if who == "unknown" else person.email
    sign_in(client, "someone-else@council.test", "warm up")  # the stand-in hash is made on first use
    password_work.clear()
    response = sign_in(client, email, "a wrong password" if who != "deactivated" else PASSWORD)
    assert b"The email address or password is not correct" in response.data
    assert len(password_work) == 1


def test_a_change_refused_for_lack_of_permission_is_in_the_audit_trail(client, f, login):
    contract = f.create_contract()
    trust = f.create_user(Role.TRUST_OFFICER, contract)
    login(trust)
    response = client.post(f"/contracts/{contract.id}/meeting-types/new", data={"name": "Sneaky"})
    assert response.status_code == 403
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "refused")).one()
    assert (event.user_id, event.contract_id, event.after["status"]) == (trust.id, contract.id, 403)
    assert event.after["path"] == f"/contracts/{contract.id}/meeting-types/new"
