"""The finance return in Chromium: the trust starts the month's return (carried forward from the month
before), types one bad figure and is told which line it is, fixes it, changes the care ladder and
submits; the commissioner opens the finance dashboard and sees the risk share with the shortfall the
council must meet and the care-ladder pressure. Every page passes axe-core's WCAG 2.2 checks."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.core.timeutil import london_today
from monitoring.demo import load_demo
from monitoring.extensions import db
from monitoring.finance.demo import demo_months
from monitoring.returns.models import ReturnKind
from monitoring.returns.operations import find_return

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo() -> dict:
    with acting_as(SYSTEM):
        ctx = load_demo(PASSWORD)
        # The latest month's finance return has not been started yet: the trust starts it in the test.
        month = demo_months(london_today())[0][-1]
        db.session.delete(find_return(ctx.contract.id, ReturnKind.FINANCE, month))
        db.session.flush()
    db.session.commit()
    facts = {"contract_id": ctx.contract.id, "month": month}
    db.session.rollback()  # hold no read lock while the server writes (SQLite)
    return facts


def assert_accessible(page: Page) -> None:
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)


def test_the_trust_submits_a_finance_return_and_the_commissioner_sees_the_risk_share(demo, new_page) -> None:
    contract_id, month = demo["contract_id"], demo["month"]
    trust = new_page()
    sign_in(trust, "trust@demo.test", PASSWORD)
    trust.goto(f"/contracts/{contract_id}/returns?year={month.financial_year.label}")
    trust.get_by_role("button", name=f"Start Finance return for {month.name}").click()
    expect(trust.get_by_role("heading", level=1)).to_have_text(f"Finance return for {month.name}")
    # Carried forward from the month before: the lines and budgets are there already.
    placements = trust.get_by_label("Forecast outturn (£) for Children in care placements")
    expect(placements).not_to_have_value("")
    assert_accessible(trust)

    placements.fill("25.4m")
    trust.get_by_label("Forecast average activity for Out of authority residential").fill("32")
    trust.get_by_label("Actual activity at month end for Out of authority residential").fill("32")
    trust.get_by_role("button", name="Save the return").click()
    summary = trust.get_by_role("alert")
    expect(summary).to_contain_text("Children in care placements: the forecast outturn must be a number")
    assert_accessible(trust)
    summary.get_by_role("link", name="Children in care placements: the forecast outturn must be a number").click()
    expect(placements).to_be_focused()

    placements.fill("25,400,000")
    trust.get_by_role("button", name="Save the return").click()
    expect(trust.get_by_text("Finance return saved")).to_be_visible()
    expect(trust.locator("#care-ladder")).to_contain_text("Out of authority residential")
    assert_accessible(trust)
    trust.get_by_role("button", name="Submit the return").click()
    expect(trust.get_by_text(f"Finance return for {month.name} submitted to the council")).to_be_visible()

    commissioner = new_page()
    sign_in(commissioner, "commissioner@demo.test", PASSWORD)
    commissioner.goto(f"/contracts/{contract_id}")
    commissioner.get_by_role("navigation", name="Contract sections").get_by_role("link", name="Finance").click()
    expect(commissioner.get_by_role("heading", level=1)).to_have_text(f"Finance: {month.name}")
    expect(
        commissioner.get_by_text("These figures come from a return the council has not accepted yet")
    ).to_be_visible()
    share = commissioner.locator("#risk-share")
    expect(share).to_contain_text("Council share (70%)")
    expect(share).to_contain_text("Trust share (30%)")
    expect(share).to_contain_text("Shortfall falling to the council")
    expect(commissioner.locator("#shortfall")).to_contain_text("the council also meets the shortfall of")
    pressures = commissioner.locator("#care-ladder")
    expect(pressures.locator("tbody tr").first).to_contain_text("Out of authority residential")
    expect(pressures.locator("tbody tr").first).to_contain_text("11 placements over contract")
    assert_accessible(commissioner)

    commissioner.get_by_role("link", name=f"The year {month.financial_year.label}").click()
    expect(commissioner.locator("#quarters")).to_contain_text("Quarter 1")
    assert_accessible(commissioner)
    commissioner.goto(f"/contracts/{contract_id}/finance")
    commissioner.locator("#care-ladder").get_by_role("link", name="Out of authority residential").click()
    expect(commissioner.get_by_role("img")).to_have_count(1)
    assert_accessible(commissioner)
