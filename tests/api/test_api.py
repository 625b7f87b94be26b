"""The JSON API: bearer tokens only, its OpenAPI document, and the health check."""

import pytest

from monitoring.accounts.models import Role


def bearer(secret: str) -> dict:
    return {"Authorization": f"Bearer {secret}"}


def test_the_api_answers_for_the_token_owner_only(client, f):
    contract = f.create_contract(with_scope=True)
    person = f.create_user(Role.DIRECTOR, contract)
    _, secret = f.create_token(person)
    me = client.get("/api/v1/me", headers=bearer(secret)).get_json()
    assert me["email"] == person.email
    assert me["role"] == "director"
    assert me["contract_ids"] == [contract.id]
    contracts = client.get("/api/v1/contracts", headers=bearer(secret)).get_json()
    assert [c["id"] for c in contracts] == [contract.id]
    one = client.get(f"/api/v1/contracts/{contract.id}", headers=bearer(secret)).get_json()
    assert one["council_share"] == "70.00"
    assert one["trust_share"] == "30.00"
    assert one["populations"] == [{"financial_year": "2017/18", "children": 65492, "source": ""}]


def test_another_contracts_data_is_not_found(client, f):
    mine, theirs = f.create_contract(), f.create_contract()
    _, secret = f.create_token(f.create_user(Role.COMMISSIONER, mine))
    response = client.get(f"/api/v1/contracts/{theirs.id}", headers=bearer(secret))
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_no_token_a_bad_token_or_a_session_cookie_alone_gets_401(client, f, login):
    person = f.create_user(Role.DIRECTOR, f.create_contract())
    assert client.get("/api/v1/me").status_code == 401
    assert client.get("/api/v1/me", headers=bearer("cmt_not-a-real-token")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    login(person)
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_deactivated_owners_token_stops_working(client, f):
    person = f.create_user(Role.DIRECTOR, f.create_contract(), active=False)
    _, secret = f.create_token(person)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_roles_without_the_permission_are_refused(client, f):
    _, secret = f.create_token(f.create_user(Role.SCRUTINY, f.create_contract()))
    assert client.get("/api/v1/contracts", headers=bearer(secret)).status_code == 403


def test_the_openapi_document_is_generated_from_the_code(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/me", "/api/v1/contracts", "/api/v1/contracts/{contract_id}"} <= set(spec["paths"])
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    contract = spec["components"]["schemas"]["Contract"]["properties"]
    assert {"council_share", "services", "populations"} <= set(contract)


def test_health_check_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


@pytest.mark.separate_app
def test_health_check_answers_503_when_the_database_does_not(tmp_path):
    from tests.conftest import make_test_app

    unreachable = make_test_app(f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = unreachable.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"


def test_a_tokens_last_use_is_recorded(client, f):
    from monitoring.accounts.models import ApiToken
    from monitoring.extensions import db

    token, secret = f.create_token(f.create_user(Role.DIRECTOR, f.create_contract()))
    assert token.last_used_at is None
    client.get("/api/v1/me", headers=bearer(secret))
    assert db.session.get(ApiToken, token.id).last_used_at is not None
