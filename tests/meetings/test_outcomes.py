"""Outcomes flow where they belong: actions to owners and matters arising, deep dives to the meeting
that hears them, escalations to the next high-level meeting."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.core.errors import InvalidInput
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import operations, outcomes
from monitoring.meetings.followups import Action, ActionStatus, DeepDive, DeepDiveStatus, Escalation
from monitoring.meetings.models import AgendaItem, Outcome, OutcomeKind


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def cycle(f):
    """A contract with two Joint Performance & Finance meetings and a high-level meeting, in the future."""
    contract = f.create_contract(with_scope=True)
    joint = f.create_meeting_type(contract, name="Joint Performance & Finance")
    high = f.create_meeting_type(contract, "high_level", name="High-level Quarterly Performance", frequency="quarterly")
    today = london_today()
    first = f.create_meeting(joint, today + timedelta(days=7))
    second = f.create_meeting(joint, today + timedelta(days=35))
    high_meeting = f.create_meeting(high, today + timedelta(days=50))
    item = f.create_item(first, "Re-referrals into social care")
    return {"contract": contract, "first": first, "second": second, "high": high_meeting, "item": item, "joint": joint}


def action_form(cycle, **change) -> dict:
    contract = cycle["contract"]
    due = cycle["first"].day + timedelta(days=21)
    data = {
        "title": "Analyse re-referrals by source",
        "detail": "",
        "owner_organisation_id": str(contract.trust_id),
        "owner_user_id": "",
        "due_date": [str(due.day), str(due.month), str(due.year)],
    }
    data.update(change)
    return data


def test_an_action_for_the_trust_is_logged_and_becomes_matters_arising(f, login, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    officer = f.create_user(Role.TRUST_OFFICER, contract)
    client = login(f.create_user(Role.COMMISSIONER, contract))
    url = f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/action"
    response = client.post(url, data=action_form(cycle, owner_user_id=str(officer.id)))
    assert response.status_code == 302
    action = db.session.scalar(select(Action))
    assert action.owner_organisation_id == contract.trust_id and action.owner_user_id == officer.id
    assert action.outcome.kind is OutcomeKind.ACTION and action.meeting_id == item.meeting_id
    arising = [i for i in cycle["second"].items if i.source_kind == "action"]
    assert [(i.title, i.source_id) for i in arising] == [("Matters arising: Analyse re-referrals by source", action.id)]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"title": ""}, "title", "Enter what needs to be done"),
        ({"due_date": ["1", "1", "2000"]}, "due_date", "The due date must be on or after the meeting"),
        ({"due_date": ["30", "2", "2030"]}, "due_date", "Due date must be a real date"),
        ({"owner_organisation_id": ""}, "owner_organisation_id", "Select the organisation that owns the action"),
        ({"owner_organisation_id": "999999"}, "owner_organisation_id", "as the owner"),
    ],
)
def test_a_bad_action_names_the_field_and_saves_nothing(f, login, cycle, change, field, message) -> None:
    contract, item = cycle["contract"], cycle["item"]
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/action", data=action_form(cycle, **change)
    )
    assert response.status_code == 400
    assert message in response.text
    assert f'href="#{field}' in response.text
    assert count(Action) == 0 and count(Outcome) == 0
    assert not [i for i in cycle["second"].items if i.source_kind == "action"]


def test_an_owner_outside_the_contract_is_refused(f, login, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    stranger = f.create_user(Role.TRUST_OFFICER, f.create_contract(trust=contract.trust))
    council_person = f.create_user(Role.COMMISSIONER, contract)
    client = login(council_person)
    url = f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/action"
    response = client.post(url, data=action_form(cycle, owner_user_id=str(stranger.id)))
    assert response.status_code == 400
    assert f"{stranger.name} does not work on this contract" in response.text
    response = client.post(url, data=action_form(cycle, owner_user_id=str(council_person.id)))
    assert response.status_code == 400
    assert f"works for {contract.council.name}, not {contract.trust.name}" in response.text
    assert count(Action) == 0


def test_the_trust_officer_marks_the_trusts_action_done_but_not_the_councils(f, login, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    trust_action = f.create_action(item)
    council_action = f.create_action(item, owner=contract.council, title="Share the threshold guidance")
    client = login(f.create_user(Role.TRUST_OFFICER, contract))
    response = client.post(
        f"/contracts/{contract.id}/actions/{trust_action.id}/status", data={"status": "done", "note": "Report sent"}
    )
    assert response.status_code == 302
    db.session.refresh(trust_action)
    assert trust_action.status is ActionStatus.DONE and trust_action.completed_on == london_today()
    assert client.get(f"/contracts/{contract.id}/actions/{council_action.id}/status").status_code == 403
    assert (
        client.post(f"/contracts/{contract.id}/actions/{council_action.id}/status", data={"status": "done"}).status_code
        == 403
    )
    db.session.refresh(council_action)
    assert council_action.status is ActionStatus.OPEN
    # …and cannot touch the agenda.
    assert (
        client.post(
            f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/new", data={"title": "Mine"}
        ).status_code
        == 403
    )


def test_dropping_an_action_needs_a_reason(f, login, cycle) -> None:
    action = f.create_action(cycle["item"])
    client = login(f.create_user(Role.COMMISSIONER, cycle["contract"]))
    response = client.post(
        f"/contracts/{cycle['contract'].id}/actions/{action.id}/status", data={"status": "dropped", "note": ""}
    )
    assert response.status_code == 400
    assert "Enter why the action is being dropped" in response.text
    db.session.refresh(action)
    assert action.status is ActionStatus.OPEN


def test_the_action_log_filters_by_owner_organisation_status_and_meeting(f, login, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    f.create_action(item, title="Trust action")
    council = f.create_action(item, owner=contract.council, title="Council action")
    outcomes.set_action_status(council, ActionStatus.DONE)
    other_item = f.create_item(cycle["second"], "Finance")
    f.create_action(other_item, title="Later action")
    client = login(f.create_user(Role.DIRECTOR, contract))
    base = f"/contracts/{contract.id}/actions"
    assert {"Trust action", "Later action"} <= set(
        a for a in ("Trust action", "Later action", "Council action") if a in client.get(base).text
    )
    assert "Council action" not in client.get(base).text  # outstanding by default
    assert "Council action" in client.get(base + "?status=done").text
    by_org = client.get(f"{base}?status=all&organisation={contract.council_id}").text
    assert "Council action" in by_org and "Trust action" not in by_org
    by_meeting = client.get(f"{base}?status=all&meeting={cycle['second'].id}").text
    assert "Later action" in by_meeting and "Trust action" not in by_meeting


def test_an_overdue_action_says_so_in_working_days(f, cycle) -> None:
    december = f.create_meeting(cycle["joint"], date(2017, 12, 6))
    action = f.create_action(f.create_item(december), due=date(2017, 12, 22))
    assert action.is_overdue(date(2017, 12, 27)) and action.days_overdue(date(2017, 12, 27)) == 1
    assert not action.is_overdue(date(2017, 12, 24))


def test_a_deep_dive_referral_puts_the_findings_on_the_report_meetings_agenda(f, login, cycle) -> None:
    contract, item, high = cycle["contract"], cycle["item"], cycle["high"]
    client = login(f.create_user(Role.COMMISSIONER, contract))
    due = high.day - timedelta(days=3)
    data = {
        "title": "Step Up / Step Down",
        "terms_of_reference": "Are children stepped down to early help re-referred?",
        "owner": "Early Help Strategy group",
        "owner_organisation_id": str(contract.trust_id),
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "report_meeting_id": str(high.id),
        "closure_criteria": "Re-referrals back within comparator range",
        "indicators": "CS07 re-referrals",
    }
    response = client.post(f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/deep-dive", data=data)
    assert response.status_code == 302
    dive = db.session.scalar(select(DeepDive))
    assert dive.status is DeepDiveStatus.REFERRED and dive.report_item.meeting_id == high.id
    page = client.get(f"/contracts/{contract.id}/meetings/{high.id}")
    assert "Deep dive findings: Step Up / Step Down" in page.text

    # Findings due after the meeting that should hear them: refused, nothing saved.
    late = high.day + timedelta(days=1)
    response = client.post(
        f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/deep-dive",
        data={**data, "title": "Another", "due_date": [str(late.day), str(late.month), str(late.year)]},
    )
    assert response.status_code == 400
    assert "The findings must be due on or before the meeting that hears them" in response.text
    assert count(DeepDive) == 1


def test_a_deep_dive_moves_through_its_stages_and_closes_against_its_criteria(f, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    dive = outcomes.refer_deep_dive(
        item,
        title="Re-referrals",
        terms_of_reference="Why are re-referrals rising?",
        owner="Head of Service",
        owner_organisation=contract.trust,
        due_date=cycle["second"].day,
        report_meeting=cycle["second"],
        closure_criteria="A plan agreed",
    )
    outcomes.progress_deep_dive(dive, DeepDiveStatus.SCOPING)
    with pytest.raises(InvalidInput) as refused:
        outcomes.progress_deep_dive(dive, DeepDiveStatus.FINDINGS_REPORTED)
    assert "Enter the findings" in refused.value.errors["findings"]
    outcomes.progress_deep_dive(dive, DeepDiveStatus.FINDINGS_REPORTED, findings="Thresholds applied unevenly")
    with pytest.raises(InvalidInput):
        outcomes.progress_deep_dive(dive, DeepDiveStatus.CLOSED)
    with pytest.raises(InvalidInput):
        outcomes.progress_deep_dive(dive, DeepDiveStatus.SCOPING)
    outcomes.progress_deep_dive(dive, DeepDiveStatus.CLOSED, closure_note="Plan agreed at the meeting")
    assert dive.is_closed and dive.closed_on == london_today()

    # Moving the hearing moves its agenda item.
    dive2 = outcomes.refer_deep_dive(
        item,
        title="Assessment timeliness",
        terms_of_reference="Why are assessments slower?",
        owner="Performance team",
        owner_organisation=contract.trust,
        due_date=cycle["second"].day,
        report_meeting=cycle["second"],
    )
    outcomes.change_report_meeting(dive2, cycle["high"])
    assert dive2.report_item.meeting_id == cycle["high"].id
    assert not [i for i in cycle["second"].items if i.source_kind == "deep_dive" and i.source_id == dive2.id]


def test_an_escalation_lands_on_the_next_high_level_agenda_with_history_at_both_ends(f, login, cycle) -> None:
    contract, item, high = cycle["contract"], cycle["item"], cycle["high"]
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/escalate",
        data={"title": "Re-referrals above all comparators", "reason": "Rising for three months"},
    )
    assert response.status_code == 302
    escalation = db.session.scalar(select(Escalation))
    assert escalation.to_meeting_id == high.id and escalation.to_item.meeting_id == high.id
    from_page = client.get(f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}").text
    to_page = client.get(f"/contracts/{contract.id}/meetings/{high.id}/items/{escalation.to_item_id}").text
    assert "Escalated to" in from_page and escape(high.title) in from_page
    assert "Escalated from" in to_page and escape(item.meeting.title) in to_page

    response = client.post(
        f"/contracts/{contract.id}/escalations/{escalation.id}/response", data={"response": "", "resolved": "yes"}
    )
    assert response.status_code == 400 and "Enter what the high-level meeting decided" in response.text


def test_escalating_with_no_high_level_meeting_ahead_is_explained(f, cycle) -> None:
    operations.cancel_meeting(cycle["high"], "Moved to the spring")
    with pytest.raises(InvalidInput) as refused:
        outcomes.escalate(cycle["item"], title="Re-referrals", reason="Rising")
    assert "There is no High-level Quarterly Performance meeting after" in refused.value.errors["title"]
    assert count(Escalation) == 0 and count(Outcome) == 0


def test_only_joint_meetings_escalate(f, cycle) -> None:
    item = f.create_item(cycle["high"], "Finance")
    with pytest.raises(InvalidInput):
        outcomes.escalate(item, title="Finance", reason="Overspend")


def test_carry_over_and_noted_outcomes(f, login, cycle) -> None:
    contract, item = cycle["contract"], cycle["item"]
    client = login(f.create_user(Role.COMMISSIONER, contract))
    url = f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/outcome"
    assert client.post(url, data={"kind": "decision", "text": ""}).status_code == 400
    assert client.post(url, data={"kind": "noted", "text": "Report noted"}).status_code == 302
    assert client.post(url, data={"kind": "carried_over", "text": ""}).status_code == 302
    carried = [i for i in cycle["second"].items if i.source_kind == "carried_over"]
    assert [(i.title, i.source_id) for i in carried] == [(item.title, item.id)]
    assert [o.kind for o in db.session.get(AgendaItem, item.id).outcomes] == [
        OutcomeKind.NOTED,
        OutcomeKind.CARRIED_OVER,
    ]


def test_prepare_agenda_brings_in_missing_standing_items_and_open_actions_once(f, cycle) -> None:
    f.create_action(cycle["item"], title="Still open")
    done = f.create_action(cycle["item"], title="Finished")
    outcomes.set_action_status(done, ActionStatus.DONE)
    standing = operations.add_standing_item(cycle["joint"], "Finance")  # joins future agendas at once
    later = f.create_meeting(cycle["joint"], cycle["second"].day + timedelta(days=28))
    added = operations.prepare_agenda(later)
    assert sorted(i.title for i in added) == ["Finance", "Matters arising: Still open"]
    assert operations.prepare_agenda(later) == []
    assert any(i.source_kind == "standing" and i.source_id == standing.id for i in cycle["second"].items)


def test_another_area_adds_an_item_to_the_next_meeting_of_a_kind(f, cycle) -> None:
    from monitoring.meetings.models import MeetingKind

    operations.register_source_kind("indicator_flag", "Flagged for challenge")
    item = operations.add_agenda_item_from_source(
        MeetingKind.JOINT_PERFORMANCE_FINANCE,
        contract_id=cycle["contract"].id,
        title="NI66 reviews within timescale: red",
        source_kind="indicator_flag",
        source_id=66,
    )
    assert item.meeting_id == cycle["first"].id
    again = operations.add_agenda_item_from_source(
        cycle["joint"], title="NI66 again", source_kind="indicator_flag", source_id=66
    )
    assert again.id == item.id
    with pytest.raises(InvalidInput):
        operations.add_agenda_item_from_source(
            MeetingKind.SCRUTINY, contract_id=cycle["contract"].id, title="x", source_kind="indicator_flag", source_id=1
        )
