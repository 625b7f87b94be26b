"""The Annual Contract Review, service reviews and inspections through their pages and operations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings.followups import Action
from monitoring.reviews import operations
from monitoring.reviews.models import AnnualReview, ExtensionStatus, Inspection, MilestoneStatus, ServiceReview
from monitoring.reviews.rules import MilestoneKind


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def contract(f):
    contract = f.create_contract(with_scope=True)
    joint = f.create_meeting_type(contract, name="Joint Performance & Finance")
    quarterly = f.create_meeting_type(
        contract, "joint_quarterly", name="Quarterly Performance Monitoring", frequency="quarterly"
    )
    f.create_meeting(joint, date(2017, 11, 1))
    f.create_meeting(quarterly, date(2017, 11, 29))
    return contract


def test_a_review_timetable_is_built_on_the_meetings_and_the_final_draft_goes_on_the_agenda(f, login, contract) -> None:
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/reviews/annual/new",
        data={"financial_year": "2017/18", "deadline": ["31", "12", "2017"]},
    )
    assert response.status_code == 302
    review = db.session.scalar(select(AnnualReview))
    by_kind = {m.kind: m for m in review.milestones}
    assert by_kind[MilestoneKind.METHODOLOGY].meeting.day == date(2017, 11, 1)
    final = by_kind[MilestoneKind.FINAL_DRAFT]
    assert final.meeting.day == date(2017, 11, 29)
    assert [i.title for i in final.meeting.items] == ["Annual Contract Review 2017/18: final draft"]
    assert by_kind[MilestoneKind.SUBMISSION].due_date == date(2017, 12, 29)
    assert by_kind[MilestoneKind.COUNTER_NOTICE].owner_organisation_id == contract.trust_id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"financial_year": "2017-18", "deadline": ["31", "12", "2017"]},
            "Enter the financial year in the form 2017/18",
        ),
        (
            {"financial_year": "2017/18", "deadline": ["31", "12", "2030"]},
            "The deadline must fall in 2017/18 or the year after",
        ),
        (
            {"financial_year": "2017/18", "deadline": ["", "", ""]},
            "Enter the Secretary of State&#39;s submission deadline",
        ),
    ],
)
def test_a_bad_review_is_refused_and_nothing_saved(f, login, contract, data, message) -> None:
    response = login(f.create_user(Role.COMMISSIONER, contract)).post(
        f"/contracts/{contract.id}/reviews/annual/new", data=data
    )
    assert response.status_code == 400 and message in response.text
    assert count(AnnualReview) == 0


def test_a_slipped_milestone_is_shown_as_a_warning(f, login, contract) -> None:
    review = operations.create_annual_review(contract, financial_year="2017/18", deadline=date(2017, 12, 31))
    done = review.milestones[0]
    operations.update_milestone(
        done,
        due_date=done.due_date,
        owner_name="Commissioning manager",
        owner_organisation=contract.council,
        status=MilestoneStatus.DONE,
        completed_on=date(2017, 11, 1),
    )
    assert [m.kind for m in review.slipped(date(2017, 11, 22))] == [MilestoneKind.COLLATION]
    page = login(f.create_user(Role.TRUST_OFFICER, contract)).get(
        f"/contracts/{contract.id}/reviews/annual/{review.id}"
    )
    assert page.status_code == 200
    assert "The timetable has slipped" in page.text  # today is long after 2017
    assert "Reports collated: due 15 November 2017" in page.text
    assert "Edit" not in page.text and "Request an extension" not in page.text


def test_an_extension_request_and_its_grant_rebuild_the_remaining_milestones(f, login, contract) -> None:
    review = operations.create_annual_review(contract, financial_year="2017/18", deadline=date(2017, 12, 31))
    client = login(f.create_user(Role.COMMISSIONER, contract))
    url = f"/contracts/{contract.id}/reviews/annual/{review.id}/extension"
    early = client.post(
        url, data={"reason": "Inspection", "new_deadline": ["1", "12", "2017"], "requested_on": ["", "", ""]}
    )
    assert early.status_code == 400 and "The new deadline must be after the current one, 31 December 2017" in early.text
    no_reason = client.post(url, data={"reason": "", "new_deadline": ["31", "1", "2018"], "requested_on": ["", "", ""]})
    assert no_reason.status_code == 400 and "Enter why an extension is needed" in no_reason.text
    db.session.refresh(review)
    assert review.extension_status is ExtensionStatus.NONE
    ok = client.post(
        url,
        data={
            "reason": "The Ofsted re-inspection falls in the review period",
            "new_deadline": ["31", "1", "2018"],
            "requested_on": ["15", "11", "2017"],
        },
    )
    assert ok.status_code == 302
    granted = client.post(f"{url}/decision", data={"decision": "granted"})
    assert granted.status_code == 302
    db.session.refresh(review)
    assert review.deadline_in_force == date(2018, 1, 31)
    assert review.milestones[-1].due_date == date(2018, 1, 31)
    assert review.milestones[-2].due_date == date(2018, 1, 24)


def test_an_inspection_during_the_review_is_pointed_out(f, login, contract) -> None:
    review = operations.create_annual_review(contract, financial_year="2017/18", deadline=date(2017, 12, 31))
    operations.save_inspection(
        contract,
        None,
        title="Children in need of help and protection",
        notified_on=date(2017, 11, 9),
        on_site_from=date(2017, 11, 13),
        on_site_to=date(2017, 11, 24),
    )
    page = login(f.create_user(Role.DIRECTOR, contract)).get(f"/contracts/{contract.id}/reviews/annual/{review.id}")
    assert "is on site during this timetable" in page.text


def test_a_service_review_with_strands_and_an_action_plan_feeding_the_action_log(f, login, contract) -> None:
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/reviews/services/new",
        data={
            "title": "Oaklands short breaks unit: annual review",
            "service_id": "",
            "lead": "Commissioning",
            "review_date": ["13", "7", "2017"],
        },
    )
    assert response.status_code == 302
    review = db.session.scalar(select(ServiceReview))
    assert [s.kind.value for s in review.strands] == ["monitoring_data", "compliance_check", "quality_audit"]
    strand = review.strands[0]
    url = f"/contracts/{contract.id}/reviews/services/{review.id}/strands/{strand.id}"
    assert client.post(url, data={"status": "done", "findings": ""}).status_code == 400
    assert client.post(url, data={"status": "done", "findings": "Occupancy 78%"}).status_code == 302
    draft = f"/contracts/{contract.id}/reviews/services/{review.id}/draft-report"
    assert (
        "cannot come before the review"
        in client.post(draft, data={"written_on": ["1", "7", "2017"], "summary": "x"}).text
    )
    assert (
        client.post(draft, data={"written_on": ["1", "8", "2017"], "summary": "Referral pathways unclear"}).status_code
        == 302
    )
    due = london_today() + timedelta(days=30)
    plan = client.post(
        f"/contracts/{contract.id}/reviews/services/{review.id}/actions/new",
        data={
            "title": "Agree a referral pathway through the SEND panel",
            "owner_organisation_id": str(contract.trust_id),
            "owner_user_id": "",
            "due_date": [str(due.day), str(due.month), str(due.year)],
        },
    )
    assert plan.status_code == 302
    action = db.session.scalar(select(Action))
    assert action.service_review_id == review.id and action.meeting_id is None
    assert "Agree a referral pathway" in client.get(f"/contracts/{contract.id}/actions").text


@pytest.mark.parametrize(
    ("dates", "field"),
    [
        ({"notified_on": ["9", "11", "2017"], "on_site_from": ["8", "11", "2017"]}, "on_site_from"),
        (
            {
                "notified_on": ["9", "11", "2017"],
                "on_site_from": ["13", "11", "2017"],
                "on_site_to": ["24", "11", "2017"],
                "published_on": ["1", "11", "2017"],
            },
            "published_on",
        ),
        ({"notified_on": ["", "", ""]}, "notified_on"),
    ],
)
def test_inspection_dates_must_run_in_order(f, login, contract, dates, field) -> None:
    blank = ["", "", ""]
    data = {
        "title": "Re-inspection",
        "on_site_from": blank,
        "on_site_to": blank,
        "draft_report_on": blank,
        "published_on": blank,
        **dates,
    }
    response = login(f.create_user(Role.COMMISSIONER, contract)).post(
        f"/contracts/{contract.id}/inspections/new", data=data
    )
    assert response.status_code == 400
    assert f'href="#{field}' in response.text
    assert count(Inspection) == 0


def test_judgements_carry_their_word(f, login, contract) -> None:
    inspection = operations.save_inspection(contract, None, title="2015 inspection", notified_on=date(2015, 9, 1))
    client = login(f.create_user(Role.COMMISSIONER, contract))
    url = f"/contracts/{contract.id}/inspections/{inspection.id}/judgements"
    assert client.post(url, data={"area": "Overall effectiveness", "grade": "inadequate"}).status_code == 302
    assert client.post(url, data={"area": "", "grade": "good"}).status_code == 400
    page = client.get(f"/contracts/{contract.id}/inspections/{inspection.id}").text
    assert 'app-rag--red">Inadequate' in page
