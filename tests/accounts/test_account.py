"""A person's own account: password changes and personal API tokens."""

from sqlalchemy import func, select

from monitoring.accounts.models import ApiToken, Role, User, hash_token
from monitoring.extensions import db
from tests.factories import PASSWORD


def change(client, current, new, confirm=None):
    return client.post(
        "/account/password",
        data={
            "password-current_password": current,
            "password-new_password": new,
            "password-confirm_password": new if confirm is None else confirm,
        },
    )


def test_bad_password_changes_are_explained_and_change_nothing(client, f, login):
    person = f.create_user(Role.TRUST_OFFICER)
    login(person)
    before = person.password_hash
    cases = [
        (("wrong current password", "a brand new passphrase"), "Your current password is not correct"),
        ((PASSWORD, "short"), "Password must be 12 characters or more"),
        ((PASSWORD, "a brand new passphrase", "does not match at all"), "The passwords do not match"),
        ((PASSWORD, PASSWORD), "must be different from your current one"),
        (("", ""), "Enter your current password"),
    ]
    for args, message in cases:
        response = change(client, *args)
        assert response.status_code == 400, message
        assert message.encode() in response.data
        assert db.session.get(User, person.id).password_hash == before
    assert client.get("/home").status_code == 200  # still signed in


def test_a_token_is_shown_once_and_stored_only_as_a_hash(client, f, login):
    person = f.create_user(Role.TRUST_OFFICER, f.create_contract())
    login(person)
    response = client.post("/account/tokens", data={"token-name": "Case-management export"})
    assert response.status_code == 200
    assert b"It will not be shown again" in response.data
    page = response.get_data(as_text=True)
    secret = page.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith("cmt_")
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == person.id))
    assert token.token_hash == hash_token(secret)
    assert secret not in token.token_hash
    assert secret not in client.get("/account").get_data(as_text=True)


def test_a_token_needs_a_unique_name(client, f, login):
    person = f.create_user(Role.TRUST_OFFICER)
    login(person)
    response = client.post("/account/tokens", data={"token-name": "   "})
    assert response.status_code == 400
    assert b"Enter a name for the token" in response.data
    f.create_token(person, "export")
    response = client.post("/account/tokens", data={"token-name": "export"})
    assert response.status_code == 400
    assert b"You already have a token called" in response.data
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 1


def test_a_revoked_token_no_longer_opens_the_api(client, app, f, login):
    person = f.create_user(Role.TRUST_OFFICER, f.create_contract())
    token, secret = f.create_token(person)
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    login(person)
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 302
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_nobody_can_revoke_someone_elses_token(client, f, login):
    owner = f.create_user(Role.TRUST_OFFICER)
    token, _ = f.create_token(owner)
    login(f.create_user(Role.TRUST_OFFICER))
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token.id).revoked_at is None
