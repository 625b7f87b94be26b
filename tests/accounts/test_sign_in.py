"""Signing in and out, sessions that end when they must, and refusing password guessing."""

from datetime import timedelta

from sqlalchemy import func, select

from monitoring.accounts.models import LoginAttempt, Role, User
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from tests.factories import PASSWORD


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/sign-in" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_a_user_signs_in_and_lands_on_their_home(client, f):
    user = f.create_user(Role.DIRECTOR, f.create_contract())
    response = sign_in(client, user.email.upper())  # email is matched without regard to case
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    assert db.session.get(User, user.id).last_signed_in_at is not None


def test_sign_in_follows_next_only_within_the_site(client, f):
    user = f.create_user(Role.COMMISSIONER, f.create_contract())
    assert sign_in(client, user.email, next_url="/account").headers["Location"] == "/account"
    client.post("/sign-out")
    assert sign_in(client, user.email, next_url="//evil.example/").headers["Location"] == "/home"


def test_empty_fields_are_named_and_nothing_is_recorded(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert response.status_code == 400
    assert b"Enter your email address" in response.data
    assert b"Enter your password" in response.data
    assert b"There is a problem" in response.data
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_a_wrong_password_is_refused_and_recorded(client, f, caplog):
    user = f.create_user(Role.COMMISSIONER)
    response = sign_in(client, user.email, "not the password at all")
    assert response.status_code == 200
    assert b"The email address or password is not correct" in response.data
    assert client.get("/home").status_code == 302
    attempt = db.session.scalar(select(LoginAttempt))
    assert (attempt.email, attempt.succeeded) == (user.email, False)
    assert "failed sign-in" in caplog.text


def test_a_deactivated_account_cannot_sign_in(client, f):
    user = f.create_user(Role.COMMISSIONER, active=False)
    response = sign_in(client, user.email)
    assert b"The email address or password is not correct" in response.data
    assert client.get("/home").status_code == 302


def test_repeated_failures_are_refused_with_429_even_with_the_right_password(client, f):
    user = f.create_user(Role.COMMISSIONER)
    for _ in range(5):
        sign_in(client, user.email, "wrong password guess")
    response = sign_in(client, user.email)
    assert response.status_code == 429
    assert b"Too many failed attempts to sign in" in response.data
    assert int(response.headers["Retry-After"]) > 0
    assert client.get("/home").status_code == 302


def test_the_refusal_lifts_when_the_window_passes(client, f):
    user = f.create_user(Role.COMMISSIONER)
    long_ago = utcnow() - timedelta(minutes=20)
    for _ in range(6):
        db.session.add(LoginAttempt(email=user.email, address="127.0.0.1", succeeded=False, at=long_ago))
    db.session.flush()
    assert sign_in(client, user.email).status_code == 302


def test_sign_out_ends_the_session(client, f, login):
    login(f.create_user(Role.DIRECTOR))
    assert client.get("/home").status_code == 200
    response = client.post("/sign-out")
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/home").status_code == 302


def test_sign_out_needs_a_post(client, f, login):
    login(f.create_user(Role.DIRECTOR))
    assert client.get("/sign-out").status_code == 405
    assert client.get("/home").status_code == 200


def test_deactivating_an_account_ends_its_sessions(client, app, f, login):
    admin = f.create_user(Role.ADMIN)
    person = f.create_user(Role.COMMISSIONER, f.create_contract())
    theirs = app.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(theirs, person)
    assert theirs.get("/home").status_code == 200
    login(admin)
    assert client.post(f"/admin/users/{person.id}/active", data={"active": "0"}).status_code == 302
    assert theirs.get("/home").status_code == 302


def test_changing_a_password_ends_other_sessions_but_keeps_this_one(client, app, f, login):
    person = f.create_user(Role.COMMISSIONER, f.create_contract())
    elsewhere = app.test_client()
    from tests.conftest import sign_in_as

    sign_in_as(elsewhere, person)
    login(person)
    response = client.post(
        "/account/password",
        data={
            "password-current_password": PASSWORD,
            "password-new_password": "a quite different passphrase",
            "password-confirm_password": "a quite different passphrase",
        },
    )
    assert response.status_code == 302
    assert client.get("/home").status_code == 200
    assert elsewhere.get("/home").status_code == 302
    assert db.session.get(User, person.id).check_password("a quite different passphrase")


def test_session_cookie_settings(app, client, f):
    user = f.create_user(Role.COMMISSIONER)
    response = sign_in(client, user.email)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_pages_carry_security_headers(client):
    response = client.get("/sign-in")
    assert "script-src 'self' 'nonce-" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_forged_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, f):
    user = f.create_user(Role.COMMISSIONER)
    client.post(
        "/sign-in", data={"email": user.email, "password": "wrong guess"}, headers={"X-Forwarded-For": "203.0.113.9"}
    )
    assert db.session.scalar(select(LoginAttempt.address)) == "127.0.0.1"
