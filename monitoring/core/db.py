"""The declarative base, column types and SQLite connection settings shared by all models."""

from __future__ import annotations

import enum
import sqlite3
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import BigInteger, DateTime, Engine, Enum, Integer, MetaData, event
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
        cursor.execute("PRAGMA busy_timeout=5000")
        # Write-ahead logging lets readers carry on while one process writes (web + scheduler).
        if cursor.execute("PRAGMA database_list").fetchone()[2]:  # a file, not :memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN")


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
