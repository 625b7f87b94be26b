"""Alembic environment, run through Flask-Migrate (`flask db upgrade`, `make migration`)."""

from __future__ import annotations

import logging
from logging.config import fileConfig
from typing import Any

import sqlalchemy as sa
from alembic import context
from flask import current_app
from sqlalchemy.types import TypeDecorator

config = context.config
if config.config_file_name and not current_app.testing:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
log = logging.getLogger("alembic.env")

migrate_ext = current_app.extensions["migrate"]
engine = migrate_ext.db.engine
target_metadata = migrate_ext.db.metadata


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our column types (UTC datetimes, money in pence…) as the plain types they store,
    so migration files never import application code that may change later."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl_instance!r}"
    return False


def skip_empty_autogenerate(ctx: Any, revision: Any, directives: list) -> None:
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("No changes in the models; no migration written.")


def run_migrations_offline() -> None:
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = dict(migrate_ext.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode rebuilds tables by copy-and-rename; with foreign keys enforced that would
            # cascade or fail. The pragma only takes effect outside a transaction, so it is sent
            # on the raw connection before Alembic begins one, and checked again afterwards.
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=target_metadata, render_item=render_item, **options)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            connection.rollback()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if problems:
                raise RuntimeError(f"foreign key check failed after migrating: {problems[:5]}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
