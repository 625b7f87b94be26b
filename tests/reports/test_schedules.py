"""Commissioners manage a contract's email schedules; each person chooses what they receive."""

from __future__ import annotations

from datetime import time

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.reports.models import DeliverySchedule, ScheduleKind, Subscription


@pytest.fixture
def scene(f):
    contract = f.create_contract(with_scope=True)
    return {
        "contract": contract,
        "commissioner": f.create_user(Role.COMMISSIONER, contract),
        "director": f.create_user(Role.DIRECTOR, contract),
        "scrutiny": f.create_user(Role.SCRUTINY, contract),
        "trust": f.create_user(Role.TRUST_OFFICER, contract),
    }


GOOD = {
    "kind": "quarterly_summary",
    "working_days": "5",
    "weekday": "0",
    "send_time": "07:00",
    "audience": ["0"],
    "starts_on": ["1", "10", "2017"],  # day, month, year: the GOV.UK date input's three boxes
    "active": "yes",
}


def test_commissioner_adds_a_quarterly_summary_schedule(scene, login) -> None:
    client = login(scene["commissioner"])
    response = client.post(f"/contracts/{scene['contract'].id}/schedules/new", data=GOOD)
    assert response.status_code == 302
    schedule = db.session.query(DeliverySchedule).one()
    assert (schedule.kind, schedule.working_days, schedule.send_time) == (ScheduleKind.QUARTERLY_SUMMARY, 5, time(7, 0))
    assert schedule.audience == ["director"] and schedule.owner_id == scene["commissioner"].id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "On the 5th working day after each quarter ends, at 07:00" in page
    assert scene["director"].name in page  # who receives it now


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": ""}, "kind", "Select what the schedule sends"),
        ({"kind": "fortnightly"}, "kind", "Select what the schedule sends"),
        ({"send_time": ""}, "send_time", "Enter the time to send, for example 07:00"),
        ({"send_time": "seven"}, "send_time", "Time to send (UK time) must be a time, like 10:00 or 2:30pm"),
        ({"send_time": "25:00"}, "send_time", "Time to send (UK time) must be a time"),
        ({"working_days": "forty"}, "working_days", "Working days must be a whole number"),
        ({"working_days": "31"}, "working_days", "Working days must be between 0 and 30"),
        ({"kind": "return_reminder", "working_days": "0"}, "working_days", "at least 1 working day before"),
        ({"weekday": "6", "kind": "weekly_digest"}, "weekday", "Select the day of the week for the digest"),
        ({"starts_on": ["1", "13", "2017"]}, "starts_on", "Send from must be a real date"),
        ({"audience": ["2"], "kind": "weekly_digest"}, "audience", "cannot go to scrutiny members"),
    ],
)
def test_bad_schedule_input_is_explained_and_nothing_is_saved(scene, login, change, field, message) -> None:
    client = login(scene["commissioner"])
    response = client.post(f"/contracts/{scene['contract'].id}/schedules/new", data={**GOOD, **change})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert f'href="#{field}' in page
    assert db.session.query(DeliverySchedule).count() == 0


def test_a_schedule_can_be_paused_but_not_turned_into_another_kind(scene, login, f) -> None:
    schedule = f.create_schedule(scene["contract"], owner=scene["commissioner"])
    client = login(scene["commissioner"])
    paused = client.post(f"/schedules/{schedule.id}", data={**GOOD, "active": "no"})
    assert paused.status_code == 302
    db.session.refresh(schedule)
    assert schedule.active is False
    other = client.post(f"/schedules/{schedule.id}", data={**GOOD, "kind": "weekly_digest"})
    assert other.status_code == 400
    assert "A schedule cannot change what it sends" in other.get_data(as_text=True)
    db.session.refresh(schedule)
    assert schedule.kind is ScheduleKind.QUARTERLY_SUMMARY and schedule.active is False


def test_people_choose_what_they_receive(scene, login, f) -> None:
    summary_schedule = f.create_schedule(scene["contract"], owner=scene["commissioner"])
    reminders = f.create_schedule(scene["contract"], ScheduleKind.RETURN_REMINDER, audience=["trust_officer"])
    councillor = login(scene["scrutiny"])
    page = councillor.get("/subscriptions").get_data(as_text=True)
    assert "Quarterly summary" in page and "Return reminder" not in page  # not for scrutiny
    response = councillor.post(
        f"/subscriptions/{summary_schedule.id}",
        data={f"s{summary_schedule.id}-receives": "yes", f"s{summary_schedule.id}-attach": "link"},
    )
    assert response.status_code == 302
    choice = db.session.query(Subscription).one()
    assert (choice.user_id, choice.receives, choice.attach_pdf) == (scene["scrutiny"].id, True, False)

    # A trust officer may choose reminders (about their own returns), not summaries.
    officer = login(scene["trust"])
    page = officer.get("/subscriptions").get_data(as_text=True)
    assert "Return reminder" in page and "Quarterly summary" not in page
    refused = officer.post(
        f"/subscriptions/{summary_schedule.id}",
        data={f"s{summary_schedule.id}-receives": "yes", f"s{summary_schedule.id}-attach": "attach"},
    )
    assert refused.status_code == 400
    assert "Your role cannot receive the quarterly summary" in refused.get_data(as_text=True)
    assert (
        officer.post(
            f"/subscriptions/{reminders.id}",
            data={f"s{reminders.id}-receives": "no", f"s{reminders.id}-attach": "attach"},
        ).status_code
        == 302
    )
    assert db.session.query(Subscription).count() == 2


def test_a_subscription_answer_must_be_given(scene, login, f) -> None:
    schedule = f.create_schedule(scene["contract"])
    response = login(scene["director"]).post(f"/subscriptions/{schedule.id}", data={})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Select whether you want to receive it" in page and f'href="#s{schedule.id}-receives' in page
    assert db.session.query(Subscription).count() == 0


def test_nobody_subscribes_to_another_contracts_schedule(scene, login, f) -> None:
    elsewhere = f.create_contract()
    schedule = f.create_schedule(elsewhere)
    response = login(scene["director"]).post(
        f"/subscriptions/{schedule.id}", data={f"s{schedule.id}-receives": "yes", f"s{schedule.id}-attach": "attach"}
    )
    assert response.status_code == 404
    assert db.session.query(Subscription).count() == 0


def test_only_failed_or_unconfirmed_emails_can_be_sent_again(scene, login, f) -> None:
    from monitoring.reports.models import DeliveryStatus

    schedule = f.create_schedule(scene["contract"])
    sent = f.create_delivery(schedule, scene["director"], status=DeliveryStatus.SENT)
    response = login(scene["commissioner"]).post(f"/deliveries/{sent.id}/send-again", follow_redirects=True)
    assert "Only a failed or unconfirmed email can be sent again" in response.get_data(as_text=True)
    db.session.refresh(sent)
    assert sent.status is DeliveryStatus.SENT
