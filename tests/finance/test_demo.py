"""The demo's finance story, as the app itself computes it: two financial years of returns through the
workflow, and a second quarter like the seed's Q2 2017/18 (an overspend of £1.63m, £0.23m lower than
quarter 1, 31 out-of-authority placements against 21, £70k of reserves and a £419k shortfall)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.core.periods import Period
from monitoring.core.timeutil import london_today
from monitoring.demo import DEMO_STEPS, DemoContext, _finance, _organisations_and_contract, _people, _reports
from monitoring.extensions import db
from monitoring.finance import analysis, queries
from monitoring.finance.demo import CARE_LADDER_FUNDING, demo_months, load_finance
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.returns.rules import ReturnStatus


def demo(today: date) -> DemoContext:
    ctx = DemoContext(password="demo-password-for-tests")
    with acting_as(SYSTEM):
        _organisations_and_contract(ctx)
        _people(ctx)
        load_finance(ctx, today)
    return ctx


@pytest.mark.parametrize("today", [london_today(), date(2026, 10, 5), date(2027, 4, 2), date(2026, 6, 30)])
def test_the_demo_second_quarter_is_the_seeds(f, today) -> None:
    ctx = demo(today)
    contract = ctx.contract
    months, seed_year = demo_months(today)
    june, september = Period(seed_year.start_year, 6), Period(seed_year.start_year, 9)
    year = queries.year_positions(contract, seed_year)
    q1, q2 = year.at(june), year.at(september)
    assert q1.net_variance == D("1860000.00")
    assert q2.net_variance == D("1630000.00")

    dashboard = analysis.dashboard(contract, september)
    assert dashboard.since_quarter.change == D("-230000.00")
    assert dashboard.since_quarter.words == "a reduction of £0.23m since quarter 1"

    out_of_area = next(r for r in q2.care_ladder if r.category == "Out of authority residential")
    assert (out_of_area.forecast_activity, out_of_area.contracted_volume, out_of_area.actual_activity) == (31, 21, 31)
    assert D("1400000") <= out_of_area.variance <= D("1600000")
    assert out_of_area.cheaper_than_contract
    assert q2.pressures[0].category == "Out of authority residential"

    share = q2.risk
    assert (share.council_share, share.trust_share) == (D("1141000.00"), D("489000.00"))
    assert (share.trust_reserves, share.shortfall, share.council_exposure) == (
        D("70000.00"),
        D("419000.00"),
        D("1560000.00"),
    )
    funding = {r.description: r.amount for r in q2.funding}
    assert funding[CARE_LADDER_FUNDING] == D("1100000.00")
    assert q2.revenue_line("Children in care placements").variance == D("1480000.00")


@pytest.mark.parametrize("today", [london_today(), date(2027, 4, 2), date(2026, 6, 30)])
def test_two_years_of_returns_most_accepted_the_latest_submitted_one_queried_one_corrected(f, today) -> None:
    ctx = demo(today)
    months, _ = demo_months(today)
    assert months[0] == Period(months[0].year, 4) and len({m.financial_year for m in months}) in (1, 2)
    returns = db.session.scalars(
        select(MonthlyReturn)
        .where(MonthlyReturn.contract_id == ctx.contract.id, MonthlyReturn.kind == ReturnKind.FINANCE)
        .order_by(MonthlyReturn.year, MonthlyReturn.month)
    ).all()
    assert [r.period for r in returns] == months
    statuses = [r.latest.status for r in returns]
    assert statuses[-1] is ReturnStatus.SUBMITTED
    assert statuses[-2] is ReturnStatus.QUERIED
    assert statuses.count(ReturnStatus.ACCEPTED) == len(months) - 2
    corrected = [r for r in returns if len(r.revisions) > 1]
    assert len(corrected) == 1
    first, second = corrected[0].revisions
    assert (first.status, second.status) == (ReturnStatus.SUPERSEDED, ReturnStatus.ACCEPTED)
    history = analysis.line_history(
        ctx.contract, corrected[0].period.financial_year, lambda p: p.revenue_line("Safeguarding and social work")
    )
    entry = next(e for e in history if e.period == corrected[0].period)
    assert entry.corrected and entry.in_force.source.number == 2
    assert entry.versions[1].row.forecast_outturn - entry.versions[0].row.forecast_outturn == D("45000.00")
    # Every accepted return was accepted after it was submitted, on or before the day the demo was built.
    for monthly in returns:
        revision = monthly.accepted
        if revision is not None:
            assert revision.submitted_at <= revision.accepted_at


def test_the_demo_step_runs_before_the_summaries_are_built(f) -> None:
    assert DEMO_STEPS.index(_finance) < DEMO_STEPS.index(_reports)
