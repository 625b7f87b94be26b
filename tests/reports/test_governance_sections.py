"""The governance cycle in a summary: the period's meetings, deep dives and escalations, the annual
review's timetable, service reviews and inspections, as they stood at the period's end (seed Q2 2017/18)."""

from __future__ import annotations

from datetime import date

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.meetings import outcomes
from monitoring.reports.compose import compose
from monitoring.reviews import operations as reviews
from monitoring.reviews.models import Grade, MilestoneStatus


@pytest.fixture
def cycle(f):
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    people = {
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
        "director": f.create_user(Role.DIRECTOR, contract),
    }
    joint = f.create_meeting_type(contract, name="Joint Performance and Finance")
    high = f.create_meeting_type(contract, "high_level", name="High-level Quarterly Performance", frequency="quarterly")
    august = f.create_meeting(joint, date(2017, 8, 9))
    november = f.create_meeting(high, date(2017, 11, 29))
    item = f.create_item(august, "Re-referrals")
    dive = outcomes.refer_deep_dive(
        item,
        title="Step Up / Step Down process",
        terms_of_reference="Why children reappear as re-referrals",
        owner="Early Help Strategy group",
        owner_organisation=contract.trust,
        due_date=date(2017, 11, 20),
        report_meeting=november,
    )
    outcomes.escalate(item, title="Re-referrals above all comparators", reason="Higher than every comparator average.")
    review = reviews.create_annual_review(contract, financial_year="2017/18", deadline=date(2017, 12, 31))
    reviews.request_extension(
        review,
        reason="the Ofsted inspection collides with it",
        new_deadline=date(2018, 1, 31),
        requested_on=date(2017, 11, 15),
    )
    oaklands = reviews.create_service_review(
        contract,
        title="Oaklands Short Breaks unit annual review",
        service=None,
        lead="Commissioning manager",
        review_date=date(2017, 7, 13),
    )
    reviews.update_strand(oaklands.strands[0], status=MilestoneStatus.DONE, findings="Occupancy data incomplete")
    inspection = reviews.save_inspection(
        contract,
        None,
        title="Children in need of help and protection",
        notified_on=date(2017, 11, 9),
        on_site_from=date(2017, 11, 13),
        on_site_to=date(2017, 11, 24),
        draft_report_on=date(2017, 12, 22),
        published_on=date(2018, 1, 19),
    )
    reviews.set_judgement(inspection, area="Overall effectiveness", grade=Grade.GOOD)
    return {"contract": contract, "dive": dive, **people}


def sections(summary) -> dict:
    return {part["key"]: part["data"] for part in compose(summary)["sections"]}


def test_a_quarter_shows_its_meetings_deep_dives_escalations_and_reviews(cycle, f) -> None:
    q2 = sections(f.create_summary(cycle["contract"], quarter=2))
    assert q2["meetings"]["meetings"] == [{"title": "Joint Performance and Finance", "day": "2017-08-09"}]
    [dive] = q2["meetings"]["deep_dives"]
    assert (dive["title"], dive["owner"], dive["status"]) == (
        "Step Up / Step Down process",
        "Early Help Strategy group",
        "Referred",
    )
    assert q2["meetings"]["escalations"][0]["title"] == "Re-referrals above all comparators"
    assert q2["annual_review"]["year"] == "2017/18" and q2["annual_review"]["extension"] == "Requested"
    assert q2["service_reviews"]["reviews"][0]["strands"][0]["findings"] == "Occupancy data incomplete"
    assert "inspections" not in q2  # notified in November: not yet in Q2


def test_an_inspection_shows_the_stage_it_had_reached_at_the_periods_end(cycle, f) -> None:
    q3 = sections(f.create_summary(cycle["contract"], quarter=3))
    [inspection] = q3["inspections"]["inspections"]
    assert inspection["stage"] == "Draft report for factual accuracy"
    assert inspection["published_on"] is None and inspection["judgements"] == []  # published in January
    q4 = sections(f.create_summary(cycle["contract"], quarter=4))
    [published] = q4["inspections"]["inspections"]
    assert published["stage"] == "Published"
    assert published["judgements"] == [{"area": "Overall effectiveness", "grade": "Good", "colour": "green"}]


def test_governance_sections_print_and_stay_frozen_once_published(cycle, f, login) -> None:
    summary = f.create_summary(cycle["contract"], quarter=2)
    version = f.publish_summary(summary, cycle["commissioner"], cycle["director"])
    cycle["dive"].title = "Renamed afterwards"
    db.session.flush()
    page = login(cycle["director"]).get(f"/summaries/{summary.id}/versions/{version.number}").get_data(as_text=True)
    assert "The business of the monitoring meetings" in page
    assert "Step Up / Step Down process" in page and "Renamed afterwards" not in page
    assert "Annual Contract Review" in page and "Extension: requested to 31 January 2018" in page
    assert "Oaklands Short Breaks unit annual review" in page


def test_a_milestone_finished_after_the_period_is_shown_as_it_stood_then(cycle, f) -> None:
    from datetime import date

    from monitoring.reviews.models import AnnualReview

    review = db.session.query(AnnualReview).one()
    first = review.milestones[0]
    reviews.update_milestone(
        first,
        due_date=date(2017, 10, 2),
        owner_name=first.owner_name,
        owner_organisation=first.owner_organisation,
        status=MilestoneStatus.DONE,
        completed_on=date(2017, 10, 5),  # three working days late, but only after Q2 ended
    )
    q2 = sections(f.create_summary(cycle["contract"], quarter=2))["annual_review"]["milestones"][0]
    assert (q2["status"], q2["days_late"]) == ("In progress", 0)
    q3 = sections(f.create_summary(cycle["contract"], quarter=3))["annual_review"]["milestones"][0]
    assert (q3["status"], q3["days_late"]) == ("Done", 3)
