"""Fixtures: one app per run on a real database, one rolled-back transaction per test.

The database is SQLite (a file in a temporary folder) unless DATABASE_URL names another, such as
the PostgreSQL that `.ci/run` uses. The schema is built by running the migrations, so every run
also proves they work.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from monitoring import create_app
from monitoring.accounts.models import User
from monitoring.core.session import Session as AppSession
from monitoring.extensions import db

from . import factories


class BoundSession(AppSession):
    """Flask-SQLAlchemy's session picks an engine per model and ignores `bind`; honour it, so
    every session in a test uses the one connection whose transaction is rolled back."""

    def get_bind(self, *args: object, **kwargs: object):  # type: ignore[override]
        return self.bind if self.bind is not None else super().get_bind(*args, **kwargs)


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


def reset_schema(app: Flask) -> None:
    """Start from an empty database, then migrate it to head."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade()


class RequestClient(FlaskClient):
    """A test client whose every request gets its own app context, as in production.

    Without this, requests would share the test's app context: `g` (and the signed-in user
    cached in it) and the database session would leak from one request to the next. After each
    request the test's own session is expired, so it reads what the request committed.
    """

    def open(self, *args: object, **kwargs: object):  # type: ignore[override]
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()
        return response


def make_test_app(url: str, **overrides: object) -> Flask:
    config = {
        "ENVIRONMENT": "testing",
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,  # tests/accounts/test_csrf.py turns it on to prove it works
        "SERVER_NAME": None,
    }
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = RequestClient
    return application


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    application = make_test_app(
        database_url(tmp_path_factory.mktemp("db")), PAPERS_DIR=str(tmp_path_factory.mktemp("papers"))
    )
    reset_schema(application)
    return application


def _empty_every_table() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest, app: Flask) -> Iterator[None]:
    """Each test runs inside a transaction that is rolled back; commits become savepoints.

    Browser tests cannot share one connection with the server's threads, so they commit for
    real and every table is emptied afterwards; so do tests marked `committed`, whose data other
    processes (a scheduler started by the test) must read.
    """
    if request.node.get_closest_marker("separate_app"):
        yield  # the test builds its own app on its own database
        return
    with app.app_context():
        if request.node.get_closest_marker("browser") or request.node.get_closest_marker("committed"):
            try:
                yield
            finally:
                db.session.remove()
                _empty_every_table()
                db.session.remove()
            return
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": BoundSession}
        )
        try:
            yield
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def sign_in_as(client: FlaskClient, user: User) -> FlaskClient:
    """Put `user` in the client's session, as signing in would (without slow password hashing)."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


@pytest.fixture
def login(client: FlaskClient):
    def _login(user: User) -> FlaskClient:
        return sign_in_as(client, user)

    return _login


@pytest.fixture
def f():
    """The factory helpers, as a fixture so tests read `f.create_contract()`."""
    return factories
