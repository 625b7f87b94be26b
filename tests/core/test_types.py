"""Money is exact: Decimal pounds in Python, integer pence in the database; percentages likewise."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from monitoring.contracts.models import Contract, Organisation
from monitoring.extensions import db


def test_percent_round_trips_exactly(f) -> None:
    contract = f.create_contract(council_share=Decimal("66.67"))
    db.session.expire_all()
    stored = db.session.get(Contract, contract.id)
    assert stored.council_share == Decimal("66.67")
    assert stored.trust_share == Decimal("33.33")
    raw = db.session.execute(text("SELECT council_share FROM contract WHERE id = :id"), {"id": contract.id}).scalar()
    assert raw == 6667


def test_floats_are_refused_for_percentages(f) -> None:
    contract = f.create_contract()
    contract.council_share = 66.5
    with pytest.raises(StatementError, match="never float"):
        db.session.flush()


def test_money_type_stores_pence() -> None:
    from monitoring.core.db import Money

    money = Money()
    assert money.process_bind_param(Decimal("1630000.00"), None) == 163_000_000
    assert money.process_bind_param(Decimal("0.01"), None) == 1
    assert money.process_result_value(163_000_000, None) == Decimal("1630000.00")
    assert money.process_result_value(-23_000_000, None) == Decimal("-230000.00")
    with pytest.raises(ValueError, match="fractions of a penny"):
        money.process_bind_param(Decimal("0.005"), None)
    with pytest.raises(TypeError, match="never float"):
        money.process_bind_param(0.1, None)


def test_times_are_stored_in_utc_and_read_back_aware(f) -> None:
    summer = datetime(2017, 7, 1, 10, 0, tzinfo=timezone(timedelta(hours=1)))  # 10:00 BST
    organisation = f.create_organisation()
    organisation.created_at = summer
    db.session.flush()
    db.session.expire_all()
    stored = db.session.get(Organisation, organisation.id).created_at
    assert stored == datetime(2017, 7, 1, 9, 0, tzinfo=UTC)
    assert stored.tzinfo is UTC


def test_naive_times_are_refused(f) -> None:
    organisation = f.create_organisation()
    organisation.created_at = datetime(2017, 7, 1, 9, 0)
    with pytest.raises(StatementError, match="timezone-aware"):
        db.session.flush()
