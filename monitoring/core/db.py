"""The declarative base, column types and SQLite connection settings shared by all models."""

from __future__ import annotations

import contextvars
import enum
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import has_request_context, request
from sqlalchemy import BigInteger, DateTime, Engine, Enum, Integer, MetaData, event, text
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic can alter them (and SQLite batch mode can find them).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A moment in time: stored as naive UTC, always returned timezone-aware (UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("UTCDateTime needs a timezone-aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


PENNY = Decimal("0.01")


class Money(TypeDecorator):
    """Pounds as an exact Decimal in Python, stored as integer pence."""

    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("money must be Decimal or int, never float")
        pounds = Decimal(value)
        if pounds != pounds.quantize(PENNY):
            raise ValueError(f"{value} has fractions of a penny")
        return int(pounds * 100)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(PENNY)


BASIS_POINT = Decimal("0.01")


class Percent(TypeDecorator):
    """A percentage to two decimal places (70.00 means 70%), stored as integer basis points."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("percentages must be Decimal or int, never float")
        return int((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        return None if value is None else (Decimal(value) / 100).quantize(BASIS_POINT)


class Measure(TypeDecorator):
    """A figure of a return (a value, numerator, target…) as an exact Decimal, stored as an integer
    in ten-thousandths so SQLite keeps it exact too. Up to four decimal places."""

    impl = BigInteger
    cache_ok = True
    PLACES = Decimal("0.0001")

    def process_bind_param(self, value: Decimal | int | None, dialect: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, float):
            raise TypeError("figures must be Decimal or int, never float")
        number = Decimal(value)
        if number != number.quantize(self.PLACES):
            raise ValueError(f"{value} has more than four decimal places")
        return int(number * 10_000)

    def process_result_value(self, value: int | None, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        # Drop trailing zeros (82.3000 → 82.3); adding 0 turns 1E+2 back into 100.
        return (Decimal(value) / 10_000).normalize() + 0


class Base(DeclarativeBase):
    """Base of every model: constraint naming convention; datetimes are UTC, Decimals are money."""

    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime(), Decimal: Money()},
    )


# --- SQLite: who takes the write lock, and when -------------------------------------------------
#
# SQLite has one writer at a time. A transaction begun with a plain (deferred) BEGIN that reads and
# then writes cannot wait for the lock: if another process committed after its first read, SQLite
# answers "database is locked" at once, whatever busy_timeout says. So a transaction that may write
# begins with BEGIN IMMEDIATE, which takes the write lock up front and waits for it (busy_timeout).
# Web requests that change things (any method but GET, HEAD and OPTIONS) and commands do; reads,
# and the scheduler's jobs, which begin each write transaction with the write itself, do not.
# PostgreSQL needs none of this: its rows are locked one by one.

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
BUSY_TIMEOUT_MS = 15_000
_write_intent: contextvars.ContextVar[bool | None] = contextvars.ContextVar("sqlite_write_intent", default=None)
_process_default = {"writes": True}


@contextmanager
def write_intent(writes: bool = True) -> Iterator[None]:
    """Transactions begun inside this block take SQLite's write lock at BEGIN (or, with
    `writes=False`, do not): for a job that reads and then writes in one transaction."""
    token = _write_intent.set(writes)
    try:
        yield
    finally:
        _write_intent.reset(token)


def set_process_write_default(writes: bool) -> None:
    """Outside web requests, transactions take the write lock at BEGIN unless the process says
    otherwise (the scheduler does: each of its write transactions starts with the write)."""
    _process_default["writes"] = writes


def takes_write_lock() -> bool:
    intent = _write_intent.get()
    if intent is not None:
        return intent
    if has_request_context():
        return request.method not in SAFE_METHODS
    return _process_default["writes"]


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys on SQLite and let SQLAlchemy, not the driver, manage transactions.

    The driver's own transaction handling breaks SAVEPOINT (which the tests rely on), so it is
    switched off here and BEGIN is emitted by `_begin_sqlite` below.
    """
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        # Write-ahead logging lets readers carry on while one process writes (web + scheduler).
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if takes_write_lock() else "BEGIN")


def lock_keys(*keys: str) -> None:
    """Hold a lock on each named thing until the transaction ends, so check-then-write sequences on
    it (counting sign-in failures, say) happen one at a time across every process.

    PostgreSQL: transaction-level advisory locks, taken in sorted order so two transactions never
    wait on each other. SQLite: a transaction that writes already holds the database's only write
    lock (BEGIN IMMEDIATE), so nothing more is needed."""
    from monitoring.extensions import db

    if db.session.get_bind().dialect.name != "postgresql":
        return
    for key in sorted(set(keys)):
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def is_database_busy(error: BaseException) -> bool:
    """SQLite gave up waiting for the write lock (after busy_timeout)."""
    text = str(getattr(error, "orig", error))
    return "database is locked" in text or "database is busy" in text


def is_unique_violation(error: BaseException) -> bool:
    """A unique constraint refused a row: on PostgreSQL, often a concurrent insert of the same key."""
    orig = getattr(error, "orig", error)
    return getattr(orig, "sqlstate", None) == "23505" or str(orig).startswith("UNIQUE constraint failed")


def enum_type(kind: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value as a plain string with a CHECK constraint, portable to SQLite."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=40,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
