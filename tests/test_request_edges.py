"""What the app answers at the edges of a request: ids that cannot exist, methods a route does not
take, a database too busy to wait for — clear answers, never a server error."""

from __future__ import annotations

import sqlite3

import pytest

from monitoring.accounts.models import Role
from monitoring.core import db as core_db
from monitoring.extensions import db


@pytest.mark.parametrize("number", [2**31, 2**63, 10**30])
@pytest.mark.parametrize(
    "path",
    [
        "/contracts/{n}",
        "/contracts/{n}/actions",
        "/contracts/1/actions/{n}",
        "/api/v1/contracts/{n}/actions",
        "/api/v1/contracts/1/actions/{n}",
    ],
)
def test_ids_beyond_any_record_are_not_found(client, f, login, path, number):
    contract = f.create_contract()
    person = f.create_user(Role.COMMISSIONER, contract)
    _, secret = f.create_token(person)
    login(person)
    url = path.format(n=number).replace("/contracts/1/", f"/contracts/{contract.id}/")
    response = client.get(url, headers={"Authorization": f"Bearer {secret}"} if "/api/" in url else {})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/sign-out", "/api/v1/contracts/1/actions"])
def test_a_method_a_route_does_not_take_says_which_it_does(client, path):
    response = client.delete(path)
    assert response.status_code == 405
    assert response.headers["Allow"]


@pytest.mark.committed
def test_a_database_too_busy_to_wait_for_answers_503_and_keeps_nothing(app, client, f, login, monkeypatch):
    """SQLite only: another process holds the write lock for longer than the busy timeout."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks rows, not the database")
    contract = f.create_contract()
    person = f.create_user(Role.COMMISSIONER, contract)
    login(person)
    path = f"/contracts/{contract.id}/meeting-types/new"
    db.session.commit()  # the test holds no transaction of its own
    monkeypatch.setattr(core_db, "BUSY_TIMEOUT_MS", 200)
    db.engine.dispose()  # new connections take the short timeout
    holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = client.post(path, data={"name": "Monthly"})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        db.engine.dispose()
    assert response.status_code == 503
    assert response.headers["Retry-After"] and "Nothing has been saved" in response.text
