"""The dashboard and an indicator's trend run a fixed number of SQL statements, however much history
there is: a 60-measure basket with five years of returns costs what one measure and two months do."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import event

from monitoring.accounts.models import Role
from monitoring.core.periods import Period
from monitoring.extensions import db


@contextmanager
def counted() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def contract_with_history(f, measures: int, months: int, prefix: str):
    contract = f.create_contract(with_scope=True, start_date=date(2013, 4, 1))
    indicators = [
        f.create_indicator(
            f"{prefix}{n:02d}", target=D(80), tolerance=D(5), national=D(85), neighbours=D(82), is_ratio=n % 2 == 0
        )
        for n in range(measures)
    ]
    f.create_basket(contract, indicators, starts="2013-04")
    first = Period(2013, 4)
    for offset in range(months):
        month = first.shift(offset)
        values = {i.code: ((81, 100) if i.is_ratio else D(81)) for i in indicators}
        f.create_kpi_return(contract, month.label, values, status="accepted" if offset % 3 else "submitted")
    return contract, first.shift(months - 1), indicators[-1]


def statements_for(client, url: str) -> int:
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("page", ["dashboard", "indicator", "export"])
def test_pages_cost_the_same_with_one_measure_or_sixty_and_five_years(f, login, page):
    small, small_period, small_indicator = contract_with_history(f, measures=1, months=2, prefix="S")
    large, large_period, large_indicator = contract_with_history(f, measures=60, months=60, prefix="L")
    viewer = f.create_user(Role.COMMISSIONER, small)
    viewer.memberships.append(type(viewer.memberships[0])(contract=large))
    db.session.flush()
    client = login(viewer)

    def url(contract, period, indicator) -> str:
        return {
            "dashboard": f"/contracts/{contract.id}/performance?period={period.label}",
            "indicator": f"/contracts/{contract.id}/performance/indicators/{indicator.id}?period={period.label}",
            "export": f"/contracts/{contract.id}/performance/export.csv?period={period.label}",
        }[page]

    few = statements_for(client, url(small, small_period, small_indicator))
    many = statements_for(client, url(large, large_period, large_indicator))
    assert many == few
    assert many < 25
