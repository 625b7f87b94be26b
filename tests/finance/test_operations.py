"""Saving a finance return (one operation for the form, the upload and the API): all or nothing, every
problem named by its line; variances over the threshold explained before submitting; accepted figures
locked; corrections as new revisions; a new month carried forward from the last figures in force."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.extensions import db
from monitoring.finance import operations, queries
from monitoring.finance.models import DEFAULT_CATEGORIES, CareLadderLine, RevenueLine
from monitoring.finance.operations import CareLadderInput, RevenueInput, save_return
from monitoring.returns import operations as workflow
from monitoring.returns.guard import LockedReturnError
from monitoring.returns.models import ReturnKind
from monitoring.returns.rules import ReturnStatus


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)
    return {
        "contract": contract,
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
    }


def lines(revision) -> dict[str, RevenueLine]:
    rows = db.session.scalars(select(RevenueLine).where(RevenueLine.revision_id == revision.id))
    return {r.service_area: r for r in rows}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def seed(f, **changes):
    """The seed's figures, with one part changed: changes maps a part to a function of its lines."""
    figures = f.finance_figures()
    for part, change in changes.items():
        setattr(figures, part, change(getattr(figures, part)))
    return figures


def with_revenue(index, **fields):
    return lambda rows: [replace(r, **fields) if n == index else r for n, r in enumerate(rows)]


def with_ladder(index, **fields):
    return lambda rows: [replace(r, **fields) if n == index else r for n, r in enumerate(rows)]


BAD = [
    (
        {"revenue": lambda rows: [*rows, RevenueInput(net_budget=D(1), gross_budget=D(1), forecast_outturn=D(1))]},
        "revenue-7-service_area",
        "Row 7 of the revenue lines: enter the service area",
    ),
    ({"revenue": with_revenue(4, net_budget=None)}, "revenue-5-net_budget", "Youth offending: enter the net budget"),
    (
        {"revenue": with_revenue(4, gross_budget=D("-1"))},
        "revenue-5-gross_budget",
        "Youth offending: the gross budget cannot be negative",
    ),
    (
        {"revenue": with_revenue(4, forecast_outturn=D("-0.01"))},
        "revenue-5-forecast_outturn",
        "Youth offending: the forecast outturn cannot be negative",
    ),
    (
        {"revenue": with_revenue(4, net_budget=D("1900000.005"))},
        "revenue-5-net_budget",
        "Youth offending: the net budget must be in pounds and pence, like 1,630,000.10",
    ),
    (
        {"revenue": with_revenue(4, net_budget=D("10000000000"))},
        "revenue-5-net_budget",
        "Youth offending: the net budget must be less than £10,000,000,000",
    ),
    (
        {"revenue": with_revenue(4, service_area="children IN CARE placements")},
        "revenue-5-service_area",
        "children IN CARE placements: appears twice in the revenue lines; give it once",
    ),
    (
        {"revenue": with_revenue(4, service_area="Y" * 201)},
        "revenue-5-service_area",
        "the name must be 200 characters or fewer",
    ),
    (
        {"revenue": with_revenue(4, explanation="x" * 5001)},
        "revenue-5-explanation",
        "Youth offending: the explanation must be 5,000 characters or fewer",
    ),
    (
        {"care_ladder": with_ladder(0, category="Residential school")},
        "care_ladder-1-category",
        "Residential school is not a placement category of this contract; a commissioner can add it on the "
        "placement categories page",
    ),
    (
        {"care_ladder": with_ladder(1, category="out of authority residential")},
        "care_ladder-2-category",
        "Out of authority residential: appears twice in the care ladder; give it once",
    ),
    (
        {"care_ladder": with_ladder(0, forecast_activity=D("30.55555"))},
        "care_ladder-1-forecast_activity",
        "Out of authority residential: the forecast average activity can have at most four decimal places, like 30.5",
    ),
    (
        {"care_ladder": with_ladder(0, actual_activity=D("-1"))},
        "care_ladder-1-actual_activity",
        "Out of authority residential: the actual activity cannot be negative",
    ),
    (
        {"care_ladder": with_ladder(0, unit_contract_value=None)},
        "care_ladder-1-unit_contract_value",
        "Out of authority residential: enter the unit contract value",
    ),
    (
        {"funding": lambda rows: [replace(rows[0], amount=D("-1100000"))]},
        "funding-1-amount",
        "Additional care ladder funding agreed at the annual review: the amount cannot be negative",
    ),
    (
        {"savings": lambda rows: [replace(rows[0], target=None)]},
        "savings-1-target",
        "Reduce agency social workers: enter the target",
    ),
    (
        {"capital": lambda rows: [replace(rows[0], forecast=None)]},
        "capital-1-forecast",
        "Carr House Centre improvements: enter the forecast",
    ),
    (
        {"position": lambda p: replace(p, trust_reserves=D("-70000"))},
        "position-1-trust_reserves",
        "The trust's position: the trust's available reserves cannot be negative",
    ),
    (
        {"position": lambda p: replace(p, agency_staff=D("-3"))},
        "position-1-agency_staff",
        "The trust's position: the number of agency staff cannot be negative",
    ),
]


@pytest.mark.parametrize(("changes", "key", "message"), BAD)
def test_every_bad_input_is_named_and_nothing_is_saved(f, setting, changes, key, message):
    monthly = f.create_finance_return(setting["contract"], "2017-08", f.finance_figures(revenue=[]), status="draft")
    revision = monthly.latest
    with pytest.raises(InvalidInput) as raised:
        save_return(revision, seed(f, **changes))
    assert raised.value.errors[key].endswith(message), raised.value.errors
    assert lines(revision) == {}
    assert count(CareLadderLine) == 3  # the draft's own figures, untouched


def test_every_problem_is_reported_at_once(f, setting):
    monthly = f.create_finance_return(setting["contract"], "2017-08", status="draft")
    figures = seed(
        f,
        revenue=with_revenue(0, net_budget=None),
        care_ladder=with_ladder(2, forecast_unit_cost=D("-1")),
        capital=lambda rows: [replace(rows[0], scheme="")],
    )
    with pytest.raises(InvalidInput) as raised:
        save_return(monthly.latest, figures)
    assert set(raised.value.errors) == {
        "revenue-1-net_budget",
        "care_ladder-3-forecast_unit_cost",
        "capital-1-scheme",
    }
    assert lines(monthly.latest)["Children in care placements"].net_budget == D("23800000.00")


def test_an_underspend_and_a_zero_variance_are_fine_and_blank_rows_are_ignored(f, setting):
    figures = f.finance_figures(
        revenue=[("Youth offending", "2600000", "1900000", "1850000", "Fewer remands"), ("Management", "1", "1", "1")]
    )
    figures.revenue.append(RevenueInput())
    figures.care_ladder.append(CareLadderInput(category="Independent fostering agency"))  # named but empty
    monthly = f.create_finance_return(setting["contract"], "2017-08", figures, status="submitted")
    position = queries.position_of_revision(setting["contract"], monthly.latest)
    assert [r.variance for r in position.revenue] == [D("-50000.00"), D("0.00")]
    assert position.risk.is_underspend and position.risk.gain_to_trust == D("50000.00")


def test_saving_again_changes_lines_in_place(f, setting):
    monthly = f.create_finance_return(setting["contract"], "2017-08", status="draft")
    before = lines(monthly.latest)["Youth offending"].id
    figures = seed(f, revenue=with_revenue(4, forecast_outturn=D("1950000")))
    figures.revenue = figures.revenue[:5]  # "Management and support" is removed
    save_return(monthly.latest, figures)
    after = lines(monthly.latest)
    assert after["Youth offending"].id == before and after["Youth offending"].forecast_outturn == D("1950000.00")
    assert "Management and support" not in after


# --- Explanations over the threshold -------------------------------------------------------------


def test_a_variance_over_the_threshold_must_be_explained_before_submitting(f, setting):
    contract, trust = setting["contract"], setting["trust"]
    figures = seed(f, revenue=with_revenue(0, explanation=" "), care_ladder=with_ladder(1, explanation=""))
    monthly = f.create_finance_return(contract, "2017-08", figures, status="draft", user=trust)
    with pytest.raises(InvalidInput) as raised:
        workflow.submit(monthly.latest, trust, today=date(2017, 9, 4))
    fostering = next(c for c in queries.categories(contract.id) if c.name == "Independent fostering agency")
    assert raised.value.errors == {
        "r-1-explanation": "Children in care placements: the variance of £1.48m is over the £50k threshold; explain it",
        f"c-{fostering.id}-explanation": (
            "Independent fostering agency: the variance of −£89k is over the £50k threshold; explain it"
        ),
    }
    assert monthly.latest.status is ReturnStatus.DRAFT
    contract.finance_explanation_threshold = D("1500000")
    workflow.submit(monthly.latest, trust, today=date(2017, 9, 4))
    assert monthly.latest.status is ReturnStatus.SUBMITTED


def test_a_return_needs_a_revenue_line_before_submitting(f, setting):
    monthly = f.create_finance_return(setting["contract"], "2017-08", f.finance_figures(revenue=[]), status="draft")
    with pytest.raises(InvalidInput, match="Enter at least one revenue line"):
        workflow.submit(monthly.latest, setting["trust"], today=date(2017, 9, 4))


# --- Locked once accepted; corrections --------------------------------------------------------------


def test_accepted_figures_are_locked_and_a_correction_is_a_new_revision(f, setting):
    contract, trust, council = setting["contract"], setting["trust"], setting["commissioner"]
    monthly = f.create_finance_return(contract, "2017-09", user=trust, reviewer=council)
    accepted = monthly.latest
    with pytest.raises(InvalidInput, match="accepted and is locked"):
        save_return(accepted, f.finance_figures())
    # Even code that forgets to ask is stopped at the database's door.
    with pytest.raises(LockedReturnError), db.session.begin_nested():
        lines(accepted)["Youth offending"].forecast_outturn = D("1")
        db.session.flush()
    db.session.expire_all()
    assert lines(accepted)["Youth offending"].forecast_outturn == D("1870000.00")

    correction = workflow.start_correction(monthly, reason="Late legal invoices", user=trust)
    assert lines(correction).keys() == lines(monthly.revisions[0]).keys()
    assert queries.position_of_revision(contract, correction).trust.trust_reserves == D("70000.00")
    save_return(correction, seed(f, revenue=with_revenue(1, forecast_outturn=D("12205000"))))
    year = queries.year_positions(contract, Period(2017, 9).financial_year)
    assert year.at(Period(2017, 9)).source.number == 1  # the accepted figures stay in force meanwhile
    workflow.submit(correction, trust, today=date(2017, 10, 20))
    workflow.accept(correction, council)
    year = queries.year_positions(contract, Period(2017, 9).financial_year)
    assert year.at(Period(2017, 9)).source.number == 2
    assert year.at(Period(2017, 9)).net_variance == D("1675000.00")
    first, second = monthly.revisions
    assert first.status is ReturnStatus.SUPERSEDED
    assert lines(first)["Safeguarding and social work"].forecast_outturn == D("12160000.00")  # still readable
    assert lines(second)["Safeguarding and social work"].forecast_outturn == D("12205000.00")


# --- A new month's return -----------------------------------------------------------------------------


def test_the_first_return_starts_empty_with_the_default_categories(f, setting):
    contract = setting["contract"]
    monthly = workflow.open_return(contract, ReturnKind.FINANCE, Period(2017, 4), setting["trust"])
    assert lines(monthly.latest) == {}
    assert [c.name for c in queries.categories(contract.id)] == DEFAULT_CATEGORIES


def test_a_new_month_starts_from_the_latest_figures_in_force(f, setting):
    contract = setting["contract"]
    f.create_finance_return(contract, "2017-06", status="accepted")
    f.create_finance_return(contract, "2017-07", seed(f, revenue=with_revenue(0, forecast_outturn=D("25000000.01"))))
    f.create_finance_return(
        contract, "2017-08", seed(f, revenue=with_revenue(0, forecast_outturn=D("25111111"))), status="draft"
    )
    september = workflow.open_return(contract, ReturnKind.FINANCE, Period(2017, 9), setting["trust"])
    carried = queries.position_of_revision(contract, september.latest)
    # August is only a draft, so September starts from July's figures in force, every part of them.
    assert carried.revenue_line("Children in care placements").forecast_outturn == D("25000000.01")
    assert len(carried.revenue) == 6 and len(carried.care_ladder) == 3 and carried.funding and carried.capital
    assert carried.trust.trust_reserves == D("70000.00")
    assert september.latest.status is ReturnStatus.DRAFT


# --- Placement categories -----------------------------------------------------------------------------


def test_commissioners_add_placement_categories(f, setting):
    contract = setting["contract"]
    added = operations.add_category(contract, "  Parent and child   assessments ")
    assert added.name == "Parent and child assessments" and added.position == len(DEFAULT_CATEGORIES) + 1
    with pytest.raises(InvalidInput, match="already on the care ladder"):
        operations.add_category(contract, "parent and child assessments")
    with pytest.raises(InvalidInput, match="Enter the name"):
        operations.add_category(contract, " ")
    figures = f.finance_figures(care_ladder=[("Parent and child assessments", "4", "60000", "5", "5", "58000", "")])
    monthly = f.create_finance_return(contract, "2017-08", figures, status="draft")
    assert queries.position_of_revision(contract, monthly.latest).care_ladder[0].variance == D("50000.00")
