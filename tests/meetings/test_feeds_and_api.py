"""Calendar feeds for Outlook and Google, and the JSON API of the governance cycle."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from monitoring.accounts.models import Role, hash_token
from monitoring.audit.models import AuditEvent
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import feeds, operations
from monitoring.meetings.followups import Action, ActionStatus
from monitoring.meetings.models import AgendaItem, CalendarFeed, Meeting, Outcome


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- Calendar feeds ----------------------------------------------------------------------------


def test_a_calendar_link_is_shown_once_and_stored_hashed(f, login) -> None:
    contract = f.create_contract(with_scope=True)
    client = login(f.create_user(Role.DIRECTOR, contract))
    response = client.post("/account/calendar", data={"name": "Outlook at work"})
    assert response.status_code == 200
    url = re.search(r'id="feed-url">([^<]+)<', response.text)[1]
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.scalar(select(CalendarFeed))
    assert feed.token_hash == hash_token(token) and token not in feed.token_hash
    assert token not in client.get("/account/calendar").text
    empty = client.post("/account/calendar", data={"name": ""})
    assert empty.status_code == 400 and "Enter a name for the calendar link" in empty.text
    assert count(CalendarFeed) == 1


def test_a_feed_is_fetched_without_cookies_and_a_summer_meeting_is_at_the_right_local_time(f, app) -> None:
    contract = f.create_contract(with_scope=True)
    user = f.create_user(Role.TRUST_OFFICER, contract)
    joint = f.create_meeting_type(contract, name="Joint Performance & Finance")
    today = london_today()
    summer = f.create_meeting(joint, date(today.year + 1, 7, 15))  # British Summer Time
    winter = f.create_meeting(joint, date(today.year + 1, 12, 2))
    operations.cancel_meeting(winter, "Moved into the quarterly meeting")
    _, secret = feeds.create_feed(user, "Google")

    anonymous = app.test_client()  # no session cookie, as Outlook or Google fetch it
    response = anonymous.get(f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/calendar")
    events = {e["uid"]: e for e in Calendar.from_ical(response.data).walk("VEVENT")}
    summer_event = events[f"meeting-{summer.id}@contract-monitoring"]
    assert summer_event.decoded("dtstart") == datetime(today.year + 1, 7, 15, 9, 0, tzinfo=UTC)  # 10am London
    assert str(summer_event["summary"]) == "Joint Performance & Finance"
    assert str(events[f"meeting-{winter.id}@contract-monitoring"]["status"]) == "CANCELLED"
    assert b"DTSTART:" in response.data and b"0900" in response.data and b"Z\r\n" in response.data

    per_contract = anonymous.get(f"/calendar/{secret}/contracts/{contract.id}.ics")
    assert per_contract.status_code == 200 and f"meeting-{summer.id}@".encode() in per_contract.data


def test_a_revoked_or_wrong_feed_or_another_contract_is_not_found(f, login, app) -> None:
    contract = f.create_contract(with_scope=True)
    user = f.create_user(Role.COMMISSIONER, contract)
    feed, secret = feeds.create_feed(user, "Outlook")
    other = f.create_contract()
    anonymous = app.test_client()
    assert anonymous.get(f"/calendar/{secret}/contracts/{other.id}.ics").status_code == 404
    assert anonymous.get("/calendar/cal_not-a-real-token.ics").status_code == 404
    response = login(user).post(f"/account/calendar/{feed.id}/revoke")
    assert response.status_code == 302
    assert anonymous.get(f"/calendar/{secret}.ics").status_code == 404
    # Someone else cannot revoke my link.
    _, other_secret = feeds.create_feed(user, "Phone")
    mine = db.session.scalar(select(CalendarFeed).where(CalendarFeed.name == "Phone"))
    assert (
        login(f.create_user(Role.COMMISSIONER, contract)).post(f"/account/calendar/{mine.id}/revoke").status_code == 404
    )
    assert anonymous.get(f"/calendar/{other_secret}.ics").status_code == 200


def test_a_feed_stops_when_its_owner_is_deactivated(f, app) -> None:
    contract = f.create_contract(with_scope=True)
    user = f.create_user(Role.COMMISSIONER, contract)
    _, secret = feeds.create_feed(user, "Outlook")
    user.active = False
    db.session.flush()
    assert app.test_client().get(f"/calendar/{secret}.ics").status_code == 404


# --- The JSON API ------------------------------------------------------------------------------


@pytest.fixture
def api(f, client):
    contract = f.create_contract(with_scope=True)
    joint = f.create_meeting_type(contract, name="Joint Performance & Finance")
    meeting = f.create_meeting(joint, london_today() + timedelta(days=10))
    item = f.create_item(meeting, "Re-referrals")
    people = {role: f.create_user(role, contract) for role in (Role.COMMISSIONER, Role.TRUST_OFFICER, Role.DIRECTOR)}

    def call(role, method, path, **kwargs):
        _, secret = f.create_token(people[role], name=f"t{method}{path}{len(kwargs)}")
        return client.open(
            f"/api/v1/contracts/{contract.id}{path}",
            method=method,
            headers={"Authorization": f"Bearer {secret}"},
            **kwargs,
        )

    return {"contract": contract, "joint": joint, "meeting": meeting, "item": item, "people": people, "call": call}


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.TRUST_OFFICER, Role.DIRECTOR])
def test_every_permitted_role_reads_meetings_items_and_actions(f, api, role) -> None:
    f.create_action(api["item"])
    meeting = api["meeting"]
    year = f"{meeting.day.year if meeting.day.month >= 4 else meeting.day.year - 1}"
    label = f"{year}/{(int(year) + 1) % 100:02d}"
    listed = api["call"](role, "GET", f"/meetings?year={label}")
    assert listed.status_code == 200 and [m["id"] for m in listed.json] == [meeting.id]
    detail = api["call"](role, "GET", f"/meetings/{meeting.id}").json
    assert [i["title"] for i in detail["items"]] == ["Re-referrals"]
    assert detail["items"][0]["outcomes"][0]["kind"] == "action"
    actions = api["call"](role, "GET", "/actions").json
    assert actions[0]["owner_organisation_id"] == api["contract"].trust_id and actions[0]["overdue"] is False


def test_a_commissioner_writes_through_the_api_and_every_write_is_audited(api) -> None:
    call, meeting, item = api["call"], api["meeting"], api["item"]
    created = call(
        Role.COMMISSIONER,
        "POST",
        f"/meetings/{meeting.id}/agenda-items",
        json={"title": "Finance", "presenter": "Trust finance lead"},
    )
    assert created.status_code == 201 and created.json["position"] == 2
    due = (meeting.day + timedelta(days=14)).isoformat()
    outcome = call(
        Role.COMMISSIONER,
        "POST",
        f"/meetings/{meeting.id}/agenda-items/{item.id}/outcomes",
        json={
            "kind": "action",
            "title": "Audit 20 re-referred cases",
            "owner_organisation_id": api["contract"].trust_id,
            "due_date": due,
        },
    )
    assert outcome.status_code == 201 and outcome.json["kind"] == "action"
    user_id = api["people"][Role.COMMISSIONER].id
    written = {e.object_type for e in db.session.scalars(select(AuditEvent).where(AuditEvent.user_id == user_id))}
    assert {"AgendaItem", "Outcome", "Action"} <= written


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"kind": "action", "title": "x", "owner_organisation_id": None, "due_date": "2099-01-01"},
            "owner_organisation_id",
            "as the owner",
        ),
        ({"kind": "action", "title": "x", "due_date": "2000-01-01"}, "due_date", "on or after the meeting"),
        ({"kind": "action", "title": "", "due_date": "2099-01-01"}, "title", "Enter what needs to be done"),
        ({"kind": "decision", "text": ""}, "text", "Enter what was decided"),
        ({"kind": "shrug"}, "kind", "Must be one of"),
        ({"kind": "action", "due_date": "next week"}, "due_date", "Not a valid date"),
    ],
)
def test_bad_api_input_names_the_field_and_saves_nothing(api, body, field, message) -> None:
    meeting, item = api["meeting"], api["item"]
    if body.get("kind") == "action" and "owner_organisation_id" not in body:
        body = {**body, "owner_organisation_id": api["contract"].trust_id}
    response = api["call"](
        Role.COMMISSIONER, "POST", f"/meetings/{meeting.id}/agenda-items/{item.id}/outcomes", json=body
    )
    assert response.status_code == 422
    assert field in str(response.json["errors"]) and message in str(response.json)
    assert count(Outcome) == 0 and count(Action) == 0


def test_a_new_meeting_by_api_and_its_bad_input(api) -> None:
    call = api["call"]
    ok = call(
        Role.COMMISSIONER,
        "POST",
        "/meetings",
        json={"meeting_type_id": api["joint"].id, "date": "2099-06-10", "start_time": "10:00"},
    )
    assert ok.status_code == 201 and ok.json["starts_at"].startswith("2099-06-10T09:00")
    bad_time = call(
        Role.COMMISSIONER,
        "POST",
        "/meetings",
        json={"meeting_type_id": api["joint"].id, "date": "2099-06-11", "start_time": "noonish"},
    )
    assert bad_time.status_code == 422 and "start_time" in bad_time.json["errors"]
    wrong_type = call(
        Role.COMMISSIONER,
        "POST",
        "/meetings",
        json={"meeting_type_id": 999999, "date": "2099-06-11", "start_time": "10:00"},
    )
    assert wrong_type.status_code == 422 and "meeting_type_id" in wrong_type.json["errors"]
    assert count(Meeting) == 2


def test_the_trust_and_directors_cannot_write_but_the_owner_updates_status(f, api) -> None:
    call, meeting = api["call"], api["meeting"]
    assert (
        call(Role.TRUST_OFFICER, "POST", f"/meetings/{meeting.id}/agenda-items", json={"title": "Ours"}).status_code
        == 403
    )
    assert (
        call(Role.DIRECTOR, "POST", f"/meetings/{meeting.id}/agenda-items", json={"title": "Mine"}).status_code == 403
    )
    assert count(AgendaItem) == 1
    trust_action = f.create_action(api["item"])
    council_action = f.create_action(api["item"], owner=api["contract"].council, title="Council's")
    done = call(Role.TRUST_OFFICER, "PATCH", f"/actions/{trust_action.id}", json={"status": "done"})
    assert done.status_code == 200 and done.json["status"] == "done"
    assert (
        call(Role.TRUST_OFFICER, "PATCH", f"/actions/{council_action.id}", json={"status": "done"}).status_code == 403
    )
    assert call(Role.DIRECTOR, "PATCH", f"/actions/{trust_action.id}", json={"status": "open"}).status_code == 403
    dropped = call(Role.COMMISSIONER, "PATCH", f"/actions/{council_action.id}", json={"status": "dropped"})
    assert dropped.status_code == 422 and "note" in dropped.json["errors"]
    db.session.refresh(council_action)
    assert council_action.status is ActionStatus.OPEN


def test_deep_dives_by_api(f, api) -> None:
    from monitoring.meetings import outcomes

    later = f.create_meeting(api["joint"], api["meeting"].day + timedelta(days=30))
    dive = outcomes.refer_deep_dive(
        api["item"],
        title="Re-referrals",
        terms_of_reference="Why?",
        owner="Early Help Strategy group",
        owner_organisation=api["contract"].trust,
        due_date=later.day,
        report_meeting=later,
    )
    call = api["call"]
    assert call(Role.DIRECTOR, "GET", "/deep-dives").json[0]["report_meeting_id"] == later.id
    refused = call(Role.COMMISSIONER, "PATCH", f"/deep-dives/{dive.id}", json={"status": "findings_reported"})
    assert refused.status_code == 422 and "findings" in refused.json["errors"]
    ok = call(
        Role.COMMISSIONER,
        "PATCH",
        f"/deep-dives/{dive.id}",
        json={"status": "findings_reported", "findings": "Thresholds"},
    )
    assert ok.status_code == 200 and ok.json["status"] == "findings_reported"
    assert call(Role.TRUST_OFFICER, "PATCH", f"/deep-dives/{dive.id}", json={"status": "closed"}).status_code == 403


def test_another_contracts_meeting_is_not_found_through_the_api(f, api, client) -> None:
    outsider = f.create_user(Role.COMMISSIONER, f.create_contract())
    _, secret = f.create_token(outsider)
    response = client.get(
        f"/api/v1/contracts/{api['contract'].id}/meetings/{api['meeting'].id}",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 404
