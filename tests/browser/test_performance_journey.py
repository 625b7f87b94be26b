"""The monthly KPI return in Chromium: the trust uploads a spreadsheet with one bad cell and is told
which; fixes and submits; the commissioner queries a value; the trust answers; the commissioner
accepts; the dashboard shows RAG words, arrows and faces. Every page passes axe-core's WCAG 2.2 checks."""

from __future__ import annotations

from decimal import Decimal as D
from io import BytesIO

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from monitoring.accounts.models import Role
from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.extensions import db
from tests import factories as f

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def scene() -> dict:
    with acting_as(SYSTEM):
        contract = f.create_contract(with_scope=True, name="Children's services contract")
        seeds = f.create_seed_measures()
        f.create_basket(contract, [seeds["NI66"], seeds["NI43"]])
        f.create_kpi_return(contract, "2017-07", {"NI66": (85, 100), "NI43": D(7)})
        f.create_user(Role.TRUST_OFFICER, contract, email="trust@example.test", name="Tom Barker")
        f.create_user(Role.COMMISSIONER, contract, email="commissioner@example.test", name="Priya Shah")
        facts = {"contract_id": contract.id}
    db.session.commit()
    return facts


def assert_accessible(page: Page) -> None:
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)


def workbook(denominator: object) -> dict:
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI return"
    for row in [
        ["Month: 2017-08 (August 2017)"],
        [],
        ["Code", "Measure", "Unit", "Value", "Numerator", "Denominator", "Commentary", "Forecast"],
        ["NI66", "Looked-after reviews within timescale", "Percentage", None, 774, denominator],
        ["NI43", "Custodial sentences", "Percentage", D("11.3"), None, None, "Sentencing in the west area was high"],
    ]:
        sheet.append(row)
    out = BytesIO()
    book.save(out)
    return {"name": "kpi-return-2017-08.xlsx", "mimeType": XLSX, "buffer": out.getvalue()}


def test_a_kpi_return_from_upload_to_the_dashboard(scene, new_page) -> None:
    contract_id = scene["contract_id"]
    trust = new_page()
    sign_in(trust, "trust@example.test", f.PASSWORD)
    trust.get_by_role("link", name="Contracts", exact=True).click()
    trust.get_by_role("navigation", name="Contract sections").get_by_role("link", name="Returns").click()
    trust.goto(f"/contracts/{contract_id}/returns?year=2017/18")
    assert_accessible(trust)
    trust.get_by_role("button", name="Start KPI return for August 2017").click()
    expect(trust.get_by_role("heading", level=1)).to_have_text("KPI return for August 2017")
    assert_accessible(trust)

    trust.get_by_role("link", name="upload the return as a spreadsheet").click()
    trust.get_by_label("Spreadsheet with the return").set_input_files(workbook("one thousand"))
    trust.get_by_role("button", name="Upload the return").click()
    alert = trust.get_by_role("alert")
    expect(alert).to_contain_text("The file was not saved")
    expect(alert).to_contain_text("sheet ‘KPI return’, cell F4: must be a number (NI66)")
    assert_accessible(trust)

    trust.get_by_label("Spreadsheet with the return").set_input_files(workbook(1000))
    trust.get_by_role("button", name="Upload the return").click()
    expect(trust.get_by_text("kpi-return-2017-08.xlsx uploaded: 2 measures with figures")).to_be_visible()
    trust.get_by_role("button", name="Submit the return").click()
    expect(trust.get_by_text("KPI return for August 2017 submitted to the council")).to_be_visible()
    assert_accessible(trust)

    council = new_page()
    sign_in(council, "commissioner@example.test", f.PASSWORD)
    council.goto(f"/contracts/{contract_id}/returns?year=2017/18")
    council.get_by_role("link", name="August 2017").first.click()
    expect(council.locator("#measure-NI43")).to_contain_text("Red")
    council.get_by_role("link", name="Query NI66 Looked-after reviews within timescale").click()
    council.get_by_label("Your question").fill("Reviews fell from 85% in July. Which teams missed their reviews?")
    council.get_by_role("button", name="Send the query").click()
    expect(council.get_by_text("Query on NI66 Looked-after reviews within timescale sent to the trust")).to_be_visible()
    assert_accessible(council)

    trust.reload()
    trust.get_by_label("Your answer about NI66 Looked-after reviews within timescale").fill(
        "Two reviewing officers were off sick; cover is in place from September."
    )
    trust.get_by_role("button", name="Save the answer").click()
    trust.get_by_role("button", name="Resubmit with your answers").click()
    expect(trust.get_by_text("resubmitted with your answers")).to_be_visible()

    council.reload()
    expect(council.get_by_text("Two reviewing officers were off sick")).to_be_visible()
    council.get_by_role("button", name="Accept the return").click()
    expect(council.get_by_text("KPI return for August 2017 accepted. Its figures are now locked")).to_be_visible()
    assert_accessible(council)

    council.goto(f"/contracts/{contract_id}/performance?period=2017-08")
    expect(council.get_by_role("heading", level=1)).to_have_text("Performance: August 2017")
    ni66 = council.locator("tr", has=council.get_by_role("link", name="NI66"))
    expect(ni66).to_contain_text("Amber")
    expect(ni66).to_contain_text("Declined")
    expect(ni66).to_contain_text("May meet target")
    ni43 = council.locator("tr", has=council.get_by_role("link", name="NI43"))
    expect(ni43).to_contain_text("Red")
    expect(ni43).to_contain_text("Unlikely to meet target")
    expect(ni43).to_contain_text("Flagged")
    assert_accessible(council)

    council.get_by_role("link", name="NI43").click()
    expect(council.get_by_role("img", name="NI43 Custodial sentences: five-year trend")).to_be_visible()
    assert_accessible(council)

    # Accepted: the trust is not offered the form, and the form itself refuses.
    trust.goto(f"/contracts/{contract_id}/returns?year=2017/18")
    trust.get_by_role("link", name="August 2017").first.click()
    expect(trust.get_by_role("link", name="Change the figures")).to_have_count(0)
    expect(trust.get_by_role("link", name="Correct the accepted figures")).to_be_visible()
