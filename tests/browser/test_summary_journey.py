"""A summary from draft to the scrutiny panel, in Chromium: the commissioner edits and sends it,
the director approves it, the councillor reads it and downloads its PDF. Every page passes axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.demo import load_demo
from monitoring.extensions import db
from monitoring.reports.rendering import process_render_queue

from .conftest import accessibility_violations, describe, sign_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-password-for-tests"


@pytest.fixture
def demo() -> None:
    with acting_as(SYSTEM):
        load_demo(PASSWORD)
    db.session.commit()


def render_queued_pdfs() -> None:
    with acting_as(SYSTEM):
        process_render_queue()
    db.session.commit()


def check_accessibility(page) -> None:
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)


def test_a_summary_goes_from_draft_to_the_scrutiny_panel(demo, new_page) -> None:
    commissioner = new_page()
    sign_in(commissioner, "commissioner@demo.test", PASSWORD)
    commissioner.get_by_role("navigation", name="Menu").get_by_role("link", name="Contracts").click()
    commissioner.get_by_role("navigation", name="Contract sections").get_by_role("link", name="Summaries").click()
    expect(commissioner.get_by_role("heading", level=1)).to_have_text("Summaries for scrutiny")
    check_accessibility(commissioner)

    commissioner.get_by_role("row").filter(has_text="Draft").get_by_role("link").click()
    expect(commissioner.get_by_text("DRAFT: not approved for publication")).to_be_visible()
    check_accessibility(commissioner)

    # A PDF of the draft is made in the background; the page offers it when ready, without a reload.
    commissioner.get_by_role("button", name="Make a PDF of the draft").click()
    expect(commissioner.get_by_role("status")).to_contain_text("The PDF is being prepared")
    render_queued_pdfs()
    expect(commissioner.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=15_000)

    commissioner.get_by_role("link", name="Edit the narrative").click()
    commissioner.get_by_label("What is going well").fill(
        "- Placement stability\n- Care leavers in suitable accommodation"
    )
    commissioner.get_by_label("Executive summary").fill("")
    commissioner.get_by_role("button", name="Save the narrative").click()
    commissioner.get_by_role("button", name="Send for approval").click()
    expect(commissioner.get_by_role("alert")).to_contain_text("Write the executive summary before sending it")
    check_accessibility(commissioner)

    commissioner.get_by_role("link", name="Edit the narrative").click()
    commissioner.get_by_label("Executive summary").fill("Performance held up in a quarter of high demand.")
    commissioner.get_by_role("button", name="Save the narrative").click()
    expect(
        commissioner.get_by_role("listitem").filter(has_text="Care leavers in suitable accommodation")
    ).to_be_visible()
    commissioner.get_by_role("button", name="Send for approval").click()
    expect(commissioner.get_by_text("Sent for approval.")).to_be_visible()
    summary_url = commissioner.url

    director = new_page()
    sign_in(director, "director@demo.test", PASSWORD)
    director.get_by_role("link", name=re.compile(r"Quarter \d \d{4}.\d\d summary")).first.click()
    expect(director.get_by_text("Performance held up in a quarter of high demand.")).to_be_visible()
    check_accessibility(director)
    director.get_by_role("button", name="Approve and publish").click()
    expect(director.get_by_text("Approved and published")).to_be_visible()
    expect(director.get_by_text(re.compile("Approved for publication by Helen Ward, Director"))).to_be_visible()
    render_queued_pdfs()

    councillor = new_page()
    sign_in(councillor, "scrutiny@demo.test", PASSWORD)
    expect(councillor.get_by_role("heading", level=1)).to_have_text("Performance summaries for scrutiny")
    cards = councillor.get_by_role("listitem").filter(has_text="Published")
    expect(cards).to_have_count(2)
    check_accessibility(councillor)
    with councillor.expect_download() as download:
        cards.first.get_by_role("link", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith("-summary-v1.pdf")
    cards.first.get_by_role("heading").get_by_role("link").click()
    expect(councillor.get_by_text("Performance held up in a quarter of high demand.")).to_be_visible()
    check_accessibility(councillor)
    # The draft pages are not for the panel.
    response = councillor.goto(summary_url)
    assert response.status == 403


def test_schedules_and_subscriptions_are_usable_by_keyboard_and_accessible(demo, new_page) -> None:
    commissioner = new_page()
    sign_in(commissioner, "commissioner@demo.test", PASSWORD)
    commissioner.get_by_role("navigation", name="Menu").get_by_role("link", name="Contracts").click()
    commissioner.get_by_role("link", name="Email schedules").click()
    expect(commissioner.get_by_role("heading", name="Quarterly summary")).to_be_visible()
    check_accessibility(commissioner)
    commissioner.get_by_role("link", name="Add a schedule").click()
    commissioner.get_by_label("Weekly digest of overdue returns and actions").check()
    commissioner.get_by_label("Time to send (UK time)").fill("7 o'clock")
    commissioner.get_by_role("button", name="Save schedule").click()
    expect(commissioner.get_by_role("alert")).to_contain_text("Time to send (UK time) must be a time")
    check_accessibility(commissioner)
    commissioner.get_by_role("link", name="Back to email schedules").click()
    commissioner.get_by_role("link", name="Delivery log").click()
    expect(commissioner.get_by_role("heading", level=1)).to_have_text("Delivery log")
    check_accessibility(commissioner)

    director = new_page()
    sign_in(director, "director@demo.test", PASSWORD)
    director.get_by_role("navigation", name="Menu").get_by_role("link", name="Your emails").click()
    form = director.locator("form").filter(has_text="Quarterly summary")
    form.get_by_label("No").check()
    form.get_by_role("button", name=re.compile("Save")).press("Enter")
    expect(director.get_by_text("you will not receive the quarterly summary")).to_be_visible()
    check_accessibility(director)
