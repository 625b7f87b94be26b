"""The finance pages run a fixed number of SQL statements however long the history: a contract with the
bench's three years of returns (12 revenue lines, a care ladder of 8) costs what two small months do.
This also proves the bench data generator runs."""

from __future__ import annotations

import random
from datetime import date

import pytest

from monitoring.accounts.models import Membership, Role
from monitoring.extensions import db
from monitoring.finance.bench import BENCH_PERIOD, bench_finance
from tests.performance.test_query_count import counted


def statements_for(client, url: str) -> int:
    with counted() as statements:
        response = client.get(url)
    assert response.status_code == 200, response.text[:500]
    return len(statements)


@pytest.mark.parametrize(
    "page",
    [
        "/contracts/{id}/finance?period={period}",
        "/contracts/{id}/finance/year?year={year}",
        "/contracts/{id}/finance/revenue-lines?line=Children in care placements&year={year}",
    ],
)
def test_finance_pages_cost_the_same_with_two_months_or_three_years(f, login, page):
    small = f.create_contract(with_scope=True, start_date=date(2013, 4, 1))
    for month in ("2025-04", "2026-03"):
        f.create_finance_return(small, month)
    large = f.create_contract(with_scope=True, start_date=date(2013, 4, 1))
    bench_finance(large, random.Random(1))
    viewer = f.create_user(Role.COMMISSIONER, small)
    viewer.memberships.append(Membership(contract=large))
    db.session.flush()
    client = login(viewer)
    values = {"period": BENCH_PERIOD.label, "year": BENCH_PERIOD.financial_year.label}
    few = statements_for(client, page.format(id=small.id, **values))
    many = statements_for(client, page.format(id=large.id, **values))
    assert many == few
    assert many < 25


def test_the_bench_dashboard_shows_the_generated_year(f, login):
    contract = f.create_contract(with_scope=True, start_date=date(2013, 4, 1))
    bench_finance(contract, random.Random(2))
    client = login(f.create_user(Role.COMMISSIONER, contract))
    page = client.get(f"/contracts/{contract.id}/finance?period={BENCH_PERIOD.label}").text
    assert "Finance: March 2026" in page and "Care-ladder pressures" in page and "Secure accommodation" in page
