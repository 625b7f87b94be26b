"""The migrations build, on an empty database, exactly the schema the models describe."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from monitoring.extensions import db

from .conftest import make_test_app

pytestmark = pytest.mark.migrations


@pytest.fixture
def scratch_url(app: Flask, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same kind as the suite's: a new SQLite file, or a new PostgreSQL database."""
    suite_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if suite_url.get_backend_name() != "postgresql":
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    admin = create_engine(suite_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield suite_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _differences(scratch: Flask) -> list:
    with scratch.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def test_migrating_an_empty_database_gives_the_models_schema(scratch_url: str) -> None:
    scratch = make_test_app(scratch_url)
    with scratch.app_context():
        upgrade()
    assert _differences(scratch) == []
    with scratch.app_context():
        db.engine.dispose()


def test_migrations_go_down_and_up_again(scratch_url: str) -> None:
    scratch = make_test_app(scratch_url)
    with scratch.app_context():
        upgrade()
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
    assert _differences(scratch) == []
    with scratch.app_context():
        db.engine.dispose()


def test_foreign_keys_are_enforced(app: Flask, f) -> None:
    """SQLite ignores foreign keys unless told on every connection; PostgreSQL always enforces them."""
    from sqlalchemy.exc import IntegrityError

    from monitoring.contracts.models import ChildPopulation

    db.session.add(ChildPopulation(contract_id=999_999, financial_year=2017, children=1))
    with pytest.raises(IntegrityError):
        db.session.flush()
