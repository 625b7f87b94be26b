"""Every form is protected against cross-site request forgery."""

import pytest

from monitoring.accounts.models import Role
from tests.factories import PASSWORD


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_a_form_posted_without_its_token_is_refused(csrf_on, client, f, login):
    user = f.create_user(Role.COMMISSIONER, f.create_contract())
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert b"The form had expired or was sent from somewhere else" in response.data
    login(user)
    assert client.post("/sign-out").status_code == 400
    assert client.get("/home").status_code == 200


def test_a_form_with_its_token_is_accepted(csrf_on, client, f):
    user = f.create_user(Role.COMMISSIONER, f.create_contract())
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_the_api_uses_tokens_not_cookies_so_needs_no_csrf(csrf_on, client, f):
    user = f.create_user(Role.COMMISSIONER, f.create_contract())
    _, secret = f.create_token(user)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
