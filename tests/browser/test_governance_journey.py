"""The governance cycle in Chromium: the commissioner records an action for the trust and a deep-dive
referral at the next Joint Performance & Finance meeting; the trust marks the action done; the
report-back meeting shows the deep dive; the trust is refused the minutes form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.demo import load_demo
from monitoring.extensions import db
from monitoring.meetings.models import MeetingKind, MeetingType
from monitoring.meetings.operations import next_meeting

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo() -> dict:
    with acting_as(SYSTEM):
        ctx = load_demo(PASSWORD)
    db.session.commit()
    joint = next_meeting(ctx.contract.id, kind=MeetingKind.JOINT_PERFORMANCE_FINANCE)
    report = next_meeting(ctx.contract.id, kind=MeetingKind.JOINT_QUARTERLY, after=joint.starts_at + timedelta(days=7))
    type_id = db.session.scalar(select(MeetingType.id).where(MeetingType.contract_id == ctx.contract.id))
    facts = {
        "contract_id": ctx.contract.id,
        "joint_id": joint.id,
        "joint_day": joint.day,
        "report_id": report.id,
        "report_day": report.day,
        "type_id": type_id,
    }
    db.session.rollback()  # hold no read lock while the server writes (SQLite)
    return facts


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def assert_accessible(page: Page) -> None:
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)


def test_an_outcome_flows_to_the_trust_and_the_report_back_meeting(demo, new_page) -> None:
    contract_id = demo["contract_id"]
    commissioner = new_page()
    sign_in(commissioner, "commissioner@demo.test", PASSWORD)
    # The home page lists the next meetings; open the next Joint Performance & Finance meeting.
    commissioner.get_by_role("link", name="Joint Performance & Finance").first.click()
    expect(commissioner.get_by_role("heading", level=1)).to_have_text("Joint Performance & Finance")
    expect(commissioner).to_have_url(
        f"{commissioner.url.split('/contracts')[0]}/contracts/{contract_id}/meetings/{demo['joint_id']}"
    )
    assert_accessible(commissioner)

    commissioner.get_by_role("link", name="Monthly KPI return").click()
    commissioner.get_by_role("link", name="Add an action").click()
    commissioner.get_by_label("Action").fill("Report re-referrals by source of referral")
    commissioner.get_by_label("Owning organisation").select_option(label="Demo Children's Services Trust")
    joint_day = demo["joint_day"]
    fill_date(commissioner, "Due date", joint_day - timedelta(days=1))
    commissioner.get_by_role("button", name="Save action").click()
    expect(commissioner.get_by_role("alert")).to_contain_text("The due date must be on or after the meeting")
    assert_accessible(commissioner)
    fill_date(commissioner, "Due date", joint_day + timedelta(days=14))
    commissioner.get_by_role("button", name="Save action").click()
    expect(commissioner.get_by_text("Action for Demo Children's Services Trust recorded")).to_be_visible()

    # A paper for the item: a renamed file is refused, a real PDF is kept and offered as a download.
    upload = commissioner.get_by_label("Upload a paper")
    upload.set_input_files({"name": "kpi-return.pdf", "mimeType": "application/pdf", "buffer": b"MZ not a pdf"})
    commissioner.get_by_role("button", name="Upload paper").click()
    expect(commissioner.get_by_role("alert")).to_contain_text("The file is not really a PDF file")
    assert_accessible(commissioner)
    upload = commissioner.get_by_label("Upload a paper")
    upload.set_input_files({"name": "kpi-return.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"})
    commissioner.get_by_role("button", name="Upload paper").click()
    with commissioner.expect_download() as download:
        commissioner.get_by_role("link", name="kpi-return.pdf").click()
    assert download.value.suggested_filename == "kpi-return.pdf"

    commissioner.get_by_role("link", name="Refer for a deep dive").click()
    commissioner.get_by_label("Issue to investigate").fill("Contacts that do not proceed to assessment")
    commissioner.get_by_label("Terms of reference").fill("Why so few contacts proceed to a social care assessment.")
    commissioner.get_by_label("Carried out by").fill("Front door review group")
    commissioner.get_by_label("Organisation", exact=True).select_option(label="Demo Children's Services Trust")
    fill_date(commissioner, "Findings due", demo["report_day"] - timedelta(days=7))
    commissioner.get_by_label("Meeting that will hear the findings").select_option(value=str(demo["report_id"]))
    commissioner.get_by_role("button", name="Refer for a deep dive").click()
    expect(commissioner.get_by_text("Deep dive referred.")).to_be_visible()
    outcomes = commissioner.locator("li.app-card")
    expect(outcomes.filter(has_text="Action: Report re-referrals by source of referral")).to_have_count(1)
    expect(
        outcomes.filter(has_text="Referred for a deep dive: Contacts that do not proceed to assessment")
    ).to_have_count(1)
    assert_accessible(commissioner)

    # The trust officer finds the action among those assigned to the trust and marks it done.
    trust = new_page()
    sign_in(trust, "trust@demo.test", PASSWORD)
    trust.get_by_role("link", name="Report re-referrals by source of referral").click()
    trust.get_by_role("link", name="Update the status").click()
    trust.get_by_label("Done").check()
    trust.get_by_label("Progress note").fill("Breakdown sent to the commissioning manager")
    trust.get_by_role("button", name="Update status").click()
    expect(trust.get_by_text("Action marked done")).to_be_visible()
    status_row = trust.locator("dl.govuk-summary-list > .govuk-summary-list__row").filter(has_text="Status")
    expect(status_row.first).to_contain_text("Done")
    assert_accessible(trust)

    # The meeting that hears the findings has the deep dive on its agenda.
    trust.goto(f"/contracts/{contract_id}/meetings/{demo['report_id']}")
    expect(
        trust.get_by_role("link", name="Deep dive findings: Contacts that do not proceed to assessment")
    ).to_be_visible()
    assert_accessible(trust)

    # The trust can read the meeting but is refused the minutes form.
    expect(trust.get_by_role("link", name="Write the minutes")).to_have_count(0)
    trust.goto(f"/contracts/{contract_id}/meetings/{demo['joint_id']}/minutes")
    expect(trust.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")


def test_the_governance_pages_pass_the_accessibility_check(demo, new_page) -> None:
    page = new_page()
    sign_in(page, "commissioner@demo.test", PASSWORD)
    contract_id = demo["contract_id"]
    type_id = demo["type_id"]
    for path in [
        "/home",
        f"/contracts/{contract_id}/meetings",
        f"/contracts/{contract_id}/meeting-types/{type_id}",
        f"/contracts/{contract_id}/actions",
        f"/contracts/{contract_id}/deep-dives",
        f"/contracts/{contract_id}/reviews",
        f"/contracts/{contract_id}/meetings/{demo['joint_id']}/attendance",
        "/account/calendar",
    ]:
        page.goto(path)
        assert_accessible(page)
    page.goto(f"/contracts/{contract_id}/meetings")
    page.get_by_role("navigation", name="Contract sections").get_by_role("link", name="Reviews and inspections").click()
    page.get_by_role("link", name="Annual Contract Review").first.click()
    expect(page.get_by_role("heading", name="The timetable has slipped")).to_be_visible()
    assert_accessible(page)
