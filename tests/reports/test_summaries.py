"""A commissioner drafts a summary from the records, edits the narrative and sends it for approval;
a director approves it; from then on it is a fixed, published document scrutiny members can read."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.reports import operations
from monitoring.reports.models import Summary, SummaryStatus, SummaryVersion, VersionState


@pytest.fixture
def people(f):
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    return {
        "contract": contract,
        "commissioner": f.create_user(Role.COMMISSIONER, contract, name="Angela Harrington"),
        "director": f.create_user(Role.DIRECTOR, contract, name="Damian Allen"),
        "scrutiny": f.create_user(Role.SCRUTINY, contract, name="Cllr Nuala Fennelly"),
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
    }


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_commissioner_creates_a_draft_drafted_from_the_records(people, login) -> None:
    client = login(people["commissioner"])
    contract = people["contract"]
    response = client.post(
        f"/contracts/{contract.id}/summaries/new", data={"period": "quarter:2", "financial_year": "2017/18"}
    )
    assert response.status_code == 302
    summary = db.session.scalar(select(Summary))
    assert summary.title == "Quarter 2 2017/18 summary"
    assert summary.status is SummaryStatus.DRAFT
    assert "Quarter 2 2017/18 (July to September 2017)" in summary.narrative["executive_summary"]

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "DRAFT" in page
    assert "performance summary for Quarter 2 2017/18" in page
    assert "65,492 children aged 0 to 17 for 2017/18" in page
    assert "Children&#39;s social care" in page or "Children's social care" in page
    assert "council pays 70% of a net overspend and the trust 30%" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"financial_year": "2017/18"}, "period", "Select the quarter or half-year the summary covers"),
        ({"period": "quarter:2", "financial_year": "2017-18"}, "financial_year", "in the form 2017/18"),
        ({"period": "quarter:2", "financial_year": ""}, "financial_year", "Enter the financial year"),
        ({"period": "quarter:9", "financial_year": "2017/18"}, "period", "Select the quarter or half-year"),
        ({"period": "quarter:1", "financial_year": "2099/00"}, "financial_year", "has not started yet"),
        ({"period": "quarter:1", "financial_year": "2013/14"}, "financial_year", "ended before the contract started"),
    ],
)
def test_bad_period_is_explained_and_nothing_is_saved(people, login, data, field, message) -> None:
    client = login(people["commissioner"])
    response = client.post(f"/contracts/{people['contract'].id}/summaries/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field}' in page  # the error summary links to the field it names
    assert count(Summary) == 0


def test_a_second_summary_for_the_same_period_is_refused(people, login, f) -> None:
    f.create_summary(people["contract"])
    client = login(people["commissioner"])
    response = client.post(
        f"/contracts/{people['contract'].id}/summaries/new", data={"period": "quarter:2", "financial_year": "2017/18"}
    )
    assert response.status_code == 400
    assert "There is already a summary for Quarter 2 2017/18" in response.get_data(as_text=True)
    assert count(Summary) == 1


def test_narrative_is_saved_escaped_and_too_long_text_is_refused(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    client = login(people["commissioner"])
    url = f"/summaries/{summary.id}/narrative"
    response = client.post(
        url,
        data={
            "lock_version": summary.lock_version,
            "executive_summary": "Steady quarter.",
            "going_well": "- Case file audits\n- <script>alert(1)</script>",
            "needs_improvement": "Re-referrals",
            "recommendations": "Note the report.",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "<li>Case file audits</li>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page

    too_long = client.post(url, data={"lock_version": summary.lock_version + 1, "going_well": "x" * 10_001})
    assert too_long.status_code == 400
    assert "What is going well must be 10,000 characters or fewer" in too_long.get_data(as_text=True)
    db.session.refresh(summary)
    assert summary.narrative["going_well"].startswith("- Case file audits")


def test_saving_over_someone_elses_edit_is_refused(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    stale = summary.lock_version
    operations.update_narrative(summary, {"executive_summary": "Edited by a colleague."}, lock_version=stale)
    db.session.flush()
    client = login(people["commissioner"])
    response = client.post(
        f"/summaries/{summary.id}/narrative", data={"lock_version": stale, "executive_summary": "Mine"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "was changed by" in page and "Your changes have not been saved" in page
    assert ">Mine</textarea>" in page  # what they wrote is kept for them to copy
    db.session.refresh(summary)
    assert summary.narrative["executive_summary"] == "Edited by a colleague."


def test_sending_for_approval_needs_an_executive_summary(people, login, f) -> None:
    summary = f.create_summary(people["contract"], narrative={"executive_summary": "  "})
    client = login(people["commissioner"])
    response = client.post(f"/summaries/{summary.id}/submit", follow_redirects=True)
    assert "Write the executive summary before sending it for approval" in response.get_data(as_text=True)
    assert count(SummaryVersion) == 0
    db.session.refresh(summary)
    assert summary.is_draft


def test_director_approves_exactly_what_was_sent_and_later_changes_leave_it_unchanged(people, login, f) -> None:
    contract = people["contract"]
    summary = f.create_summary(contract)
    commissioner = login(people["commissioner"])
    assert commissioner.post(f"/summaries/{summary.id}/submit").status_code == 302
    db.session.refresh(summary)
    assert summary.status is SummaryStatus.AWAITING_APPROVAL

    # The records change after the figures were frozen: the director still sees the frozen ones.
    contract.populations[0].children = 70_000
    db.session.flush()
    director = login(people["director"])
    pending = director.get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "65,492" in pending and "70,000" not in pending
    assert director.post(f"/summaries/{summary.id}/approve").status_code == 302

    db.session.refresh(summary)
    version = summary.published_version
    assert summary.status is SummaryStatus.PUBLISHED
    assert version.decided_by_label == "Damian Allen, Director"

    # A year later: new services and population; the published summary still shows what it showed.
    contract.populations[0].children = 71_234
    from monitoring.contracts.models import ContractService

    contract.services.append(ContractService(name="Early Help", transferred_on=date(2017, 8, 1)))
    db.session.flush()
    reader = login(people["scrutiny"])
    page = reader.get(f"/summaries/{summary.id}/versions/{version.number}").get_data(as_text=True)
    assert "65,492" in page and "71,234" not in page
    assert "Early Help" not in page
    assert "Approved for publication by Damian Allen, Director" in page


def test_director_returns_a_summary_with_a_reason(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    operations.submit_for_approval(summary, people["commissioner"])
    director = login(people["director"])
    empty = director.post(f"/summaries/{summary.id}/return", data={"note": "  "})
    assert empty.status_code == 400
    assert "Say what needs to change" in empty.get_data(as_text=True)
    db.session.refresh(summary)
    assert summary.is_awaiting_approval

    assert (
        director.post(f"/summaries/{summary.id}/return", data={"note": "Add the inspection dates"}).status_code == 302
    )
    db.session.refresh(summary)
    assert summary.is_draft
    assert summary.versions[-1].state is VersionState.RETURNED
    page = login(people["commissioner"]).get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "Add the inspection dates" in page


def test_a_revision_keeps_the_published_version_in_force_until_approved(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    first = f.publish_summary(summary, people["commissioner"], people["director"])
    operations.revise(summary, people["commissioner"])
    operations.update_narrative(summary, {"executive_summary": "Corrected text."}, lock_version=None)
    db.session.flush()
    reader = login(people["scrutiny"])
    assert "A quarter of steady progress." in reader.get(f"/summaries/{summary.id}/versions/1").get_data(as_text=True)
    second = f.publish_summary(summary, people["commissioner"], people["director"])
    assert (first.number, second.number) == (1, 2)
    assert first.state is VersionState.SUPERSEDED
    old = reader.get(f"/summaries/{summary.id}/versions/1").get_data(as_text=True)
    assert "A later version replaced this one" in old and "A quarter of steady progress." in old


def test_scrutiny_members_read_published_summaries_and_nothing_else(people, login, f) -> None:
    published = f.create_summary(people["contract"], quarter=1)
    f.publish_summary(published, people["commissioner"], people["director"])
    draft = f.create_summary(people["contract"], quarter=2)
    reader = login(people["scrutiny"])

    home = reader.get("/home").get_data(as_text=True)
    assert "Quarter 1 2017/18 summary" in home and "Quarter 2 2017/18 summary" not in home
    listing = reader.get(f"/contracts/{people['contract'].id}/summaries").get_data(as_text=True)
    assert "Quarter 1 2017/18 summary" in listing and "Quarter 2" not in listing
    assert reader.get(f"/summaries/{published.id}/versions/1").status_code == 200
    assert reader.get(f"/summaries/{draft.id}").status_code == 403
    assert reader.get(f"/contracts/{people['contract'].id}").status_code == 403


def test_a_version_awaiting_approval_is_not_shown_to_readers(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    operations.submit_for_approval(summary, people["commissioner"])
    assert login(people["scrutiny"]).get(f"/summaries/{summary.id}/versions/1").status_code == 404
    assert login(people["trust"]).get(f"/summaries/{summary.id}/versions/1").status_code == 404
    assert login(people["director"]).get(f"/summaries/{summary.id}/versions/1").status_code == 200


def test_another_contracts_members_cannot_see_its_summaries(people, login, f) -> None:
    summary = f.create_summary(people["contract"])
    f.publish_summary(summary, people["commissioner"], people["director"])
    elsewhere = f.create_contract()
    outsider = login(f.create_user(Role.SCRUTINY, elsewhere))
    assert outsider.get(f"/summaries/{summary.id}/versions/1").status_code == 404
    assert "Quarter 2 2017/18" not in outsider.get("/home").get_data(as_text=True)


def test_a_failing_section_is_reported_in_the_draft_and_blocks_approval(people, login, f, monkeypatch) -> None:
    from monitoring.reports import sections

    def broken(contract, period):
        raise RuntimeError("no such table")

    monkeypatch.setitem(
        sections.SUMMARY_SECTIONS, "broken", sections.SummarySection("broken", "Broken area", 99, "x", broken)
    )
    summary = f.create_summary(people["contract"])
    client = login(people["commissioner"])
    page = client.get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "The “Broken area” section could not be built from the records." in page
    response = client.post(f"/summaries/{summary.id}/submit", follow_redirects=True)
    assert "could not be built" in response.get_data(as_text=True)
    assert count(SummaryVersion) == 0
