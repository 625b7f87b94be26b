"""Scheduled emails through a real SMTP server (aiosmtpd on loopback): on time, once per person,
with the PDF; retried with back-off when the server fails; flagged, never resent, when unsure."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.reports import delivery, digest, operations
from monitoring.reports.models import Delivery, DeliveryPurpose, DeliveryStatus, ScheduleKind
from monitoring.reports.schedules import set_subscription

from .conftest import attachments, flat, pdf_text

DUE = datetime(2017, 10, 6, 6, 0, tzinfo=UTC)  # 07:00 London on the 5th working day after Q2 2017/18


@pytest.fixture
def scene(f, app, monkeypatch):
    monkeypatch.setitem(app.config, "REPORTS_RETRY_DELAYS", [60, 120])
    monkeypatch.setitem(app.config, "BASE_URL", "https://monitoring.example.test")
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    people = {
        "commissioner": f.create_user(
            Role.COMMISSIONER, contract, name="Angela Harrington", email="angela@council.test"
        ),
        "director": f.create_user(Role.DIRECTOR, contract, name="Damian Allen", email="damian@council.test"),
        "trust_director": f.create_user(
            Role.DIRECTOR, contract, name="Trust Chief Executive", email="ceo@trust.test", organisation=contract.trust
        ),
        "scrutiny": f.create_user(Role.SCRUTINY, contract, name="Cllr Fennelly", email="fennelly@council.test"),
        "trust": f.create_user(Role.TRUST_OFFICER, contract, name="Tom Barker", email="tom@trust.test"),
    }
    summary = f.create_summary(contract, narrative={"executive_summary": "Overspend down by £0.23m since Q1."})
    version = f.publish_summary(summary, people["commissioner"], people["director"])
    schedule = f.create_schedule(
        contract, ScheduleKind.QUARTERLY_SUMMARY, owner=people["commissioner"], starts_on=date(2017, 9, 1)
    )
    # The councillor opts in, and would rather sign in than receive attachments.
    set_subscription(schedule, people["scrutiny"], receives=True, attach_pdf=False)
    return {"contract": contract, "schedule": schedule, "summary": summary, "version": version, **people}


def subject(message) -> str:
    return " ".join(str(message["Subject"]).split())


def rows(**filters) -> list[Delivery]:
    return db.session.query(Delivery).filter_by(**filters).order_by(Delivery.id).all()


def test_at_the_due_time_each_recipient_gets_exactly_one_email_with_the_pdf(scene, smtp_server, clock, tmp_path):
    clock.set(DUE - timedelta(seconds=2))
    delivery.dispatch()
    assert smtp_server.messages == [] and rows() == []

    clock.set(DUE + timedelta(seconds=1))
    counts = delivery.dispatch()
    assert counts["sent"] == 3
    for address in ("damian@council.test", "ceo@trust.test"):
        [message] = smtp_server.to(address)
        assert subject(message) == "Doncaster service delivery contract: Quarter 2 2017/18 summary for scrutiny"
        [(filename, pdf)] = attachments(message)
        assert filename == "doncaster-service-delivery-contract-q2-2017-18-summary-v1.pdf"
        text = flat(pdf_text(pdf, tmp_path))
        assert "performance summary for Quarter 2 2017/18" in text
        assert "65,492 children aged 0 to 17" in text
        assert "council pays 70% of a net overspend" in text
        assert "Overspend down by £0.23m since Q1." in text
        assert "DRAFT" not in text
    [linked] = smtp_server.to("fennelly@council.test")
    assert attachments(linked) == []
    body = linked.get_body(("plain",)).get_content()
    assert f"https://monitoring.example.test/summaries/{scene['summary'].id}/versions/1/pdf" in body
    # Nobody else: the commissioner did not opt in, the trust officer cannot receive summaries.
    assert smtp_server.to("angela@council.test") == [] and smtp_server.to("tom@trust.test") == []

    # Another tick, and a restart's catch-up, send nothing more.
    delivery.dispatch()
    clock.set(DUE + timedelta(days=3))
    delivery.dispatch()
    assert len(smtp_server.messages) == 3
    assert [r.status for r in rows()] == [DeliveryStatus.SENT] * 3


def test_a_summary_not_yet_published_waits_and_its_owner_is_told_once(f, scene, smtp_server, clock):
    contract = scene["contract"]
    later = f.create_summary(contract, quarter=3)
    clock.set(datetime(2018, 1, 8, 7, 0, 5, tzinfo=UTC))  # Q3's due time (GMT)
    delivery.dispatch()
    delivery.dispatch()
    [notice] = smtp_server.messages
    assert notice["To"] == "Angela Harrington <angela@council.test>"
    assert "the Quarter 3 2017/18 summary is due to go out but is not published" in subject(notice)

    f.publish_summary(later, scene["commissioner"], scene["director"])
    delivery.dispatch()
    assert len(smtp_server.to("damian@council.test")) == 1
    assert len(smtp_server.messages) == 4


def test_a_failing_mail_server_is_retried_with_back_off(scene, smtp_server, clock):
    smtp_server.refuse_next = 2
    clock.set(DUE + timedelta(seconds=1))
    delivery.dispatch()
    failing = rows(status=DeliveryStatus.PENDING)
    assert len(failing) == 2
    assert "451" in failing[0].last_error and failing[0].attempts == 1

    clock.set(DUE + timedelta(seconds=30))  # not yet: the first retry waits a minute
    delivery.dispatch()
    assert db.session.query(Delivery).filter(Delivery.attempts == 2).count() == 0

    clock.set(DUE + timedelta(seconds=90))
    delivery.dispatch()
    assert [(r.status, r.attempts) for r in rows()] == [(DeliveryStatus.SENT, 2)] * 2 + [(DeliveryStatus.SENT, 1)]
    assert len(smtp_server.messages) == 3  # each person once, in the end


def test_a_mail_server_that_keeps_refusing_gives_a_visible_failure(scene, smtp_server, clock, login):
    smtp_server.refuse_all = "554 5.7.1 Message rejected by policy"
    for seconds in (1, 90, 250):  # first attempt, then the retries 60 and 120 seconds after each failure
        clock.set(DUE + timedelta(seconds=seconds))
        delivery.dispatch()
    failed = rows(status=DeliveryStatus.FAILED, purpose=DeliveryPurpose.SCHEDULED)
    assert len(failed) == 3 and all(r.attempts == 3 for r in failed)
    assert "554" in failed[0].last_error
    notices = rows(purpose=DeliveryPurpose.OWNER_NOTICE)
    assert {n.recipient_id for n in notices} == {scene["commissioner"].id}
    assert len(notices) == 3  # one per failed email, to the schedule's owner

    commissioner = login(scene["commissioner"])
    log = commissioner.get(f"/contracts/{scene['contract'].id}/deliveries?show=problems").get_data(as_text=True)
    assert "Failed" in log and "answered 554: 5.7.1 Message rejected by policy" in log and "Damian Allen" in log
    home = commissioner.get("/home").get_data(as_text=True)
    assert "Damian Allen" in home and "failed" in home

    # The server is fixed; the commissioner sends one again by hand.
    smtp_server.refuse_all = None
    target = failed[0]
    assert commissioner.post(f"/deliveries/{target.id}/send-again").status_code == 302
    delivery.send_due(datetime.now(UTC) + timedelta(days=3650))
    db.session.refresh(target)
    assert target.status is DeliveryStatus.SENT
    assert len(smtp_server.to(target.recipient.email)) == 1


def test_a_process_that_died_while_handing_over_leaves_it_unconfirmed_not_resent(scene, smtp_server, clock, app):
    clock.set(DUE + timedelta(seconds=1))
    delivery.plan_deliveries(DUE + timedelta(seconds=1))
    first, second, *_ = rows()
    # One process claimed both, handed the first to the mail server, then died.
    token_1 = delivery.claim(first.id, DUE + timedelta(seconds=2))
    delivery._set(first.id, token_1, handed_over_at=DUE + timedelta(seconds=2))
    delivery.claim(second.id, DUE + timedelta(seconds=2))

    clock.set(DUE + timedelta(seconds=30))  # within the lease: nobody touches the claims
    delivery.dispatch()
    db.session.refresh(first)
    assert first.status is DeliveryStatus.SENDING

    clock.set(DUE + timedelta(minutes=11))  # the lease (10 minutes) is over
    delivery.dispatch()
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status is DeliveryStatus.UNCONFIRMED  # maybe delivered: never resent unasked
    assert second.status is DeliveryStatus.SENT  # never reached the mail server: sent now
    assert smtp_server.to(first.recipient.email) == []
    assert len(smtp_server.to(second.recipient.email)) == 1
    [notice] = [m for m in smtp_server.to("angela@council.test")]
    assert "not confirmed" in subject(notice)


def test_people_who_opt_out_or_leave_get_nothing(scene, smtp_server, clock):
    set_subscription(scene["schedule"], scene["director"], receives=False, attach_pdf=True)
    scene["trust_director"].active = False
    db.session.flush()
    clock.set(DUE + timedelta(seconds=1))
    delivery.dispatch()
    assert [m["To"] for m in smtp_server.messages] == ["Cllr Fennelly <fennelly@council.test>"]


def test_return_reminders_go_before_the_deadline_and_say_what_is_outstanding(f, scene, smtp_server, clock, monkeypatch):
    reminder = f.create_schedule(
        scene["contract"],
        ScheduleKind.RETURN_REMINDER,
        owner=scene["commissioner"],
        audience=["trust_officer"],
        working_days=2,
        send_time=time(9, 0),
    )
    # August 2017's return is due Thursday 14 September; two working days before is Tuesday 12th, 09:00 BST.
    clock.set(datetime(2017, 9, 12, 8, 0, 1, tzinfo=UTC))
    delivery.dispatch()
    [message] = smtp_server.to("tom@trust.test")
    assert subject(message) == "Doncaster service delivery contract: August 2017 return, due 14 September 2017"
    assert "due on 14 September 2017" in message.get_body(("plain",)).get_content()

    # With an area able to tell, a reminder goes only when something is outstanding, and says what.
    monkeypatch.setattr(digest, "REMINDER_CHECKS", [lambda contract, period: ["KPI return for " + period.name]])
    clock.set(datetime(2017, 10, 11, 8, 0, 1, tzinfo=UTC))  # September's return is due 13 October
    delivery.dispatch()
    assert "KPI return for September 2017" in smtp_server.to("tom@trust.test")[-1].get_body(("plain",)).get_content()
    monkeypatch.setattr(digest, "REMINDER_CHECKS", [lambda contract, period: []])
    clock.set(datetime(2017, 11, 10, 9, 0, 1, tzinfo=UTC))  # October's is due 14 November: all in already
    delivery.dispatch()
    assert len(smtp_server.to("tom@trust.test")) == 2
    skipped = rows(schedule_id=reminder.id, period_key="2017-10")
    assert [r.status for r in skipped] == [DeliveryStatus.SKIPPED]


def test_the_weekly_digest_lists_what_waits_and_is_not_sent_when_nothing_does(f, scene, smtp_server, clock):
    f.create_schedule(
        scene["contract"],
        ScheduleKind.WEEKLY_DIGEST,
        owner=scene["commissioner"],
        audience=["commissioner"],
        weekday=0,
        send_time=time(8, 0),
    )
    clock.set(datetime(2017, 10, 9, 7, 0, 1, tzinfo=UTC))  # Monday 08:00 BST
    delivery.dispatch()
    assert smtp_server.to("angela@council.test") == []  # nothing waiting: no email

    waiting = f.create_summary(scene["contract"], quarter=3)
    operations.submit_for_approval(waiting, scene["commissioner"])
    joint = f.create_meeting_type(scene["contract"], name="Joint Performance and Finance")
    item = f.create_item(f.create_meeting(joint, date(2017, 10, 4)), "Re-referrals")
    f.create_action(item, title="Report re-referral rates by team", due=date(2017, 10, 20))
    clock.set(datetime(2017, 10, 30, 8, 0, 1, tzinfo=UTC))  # Monday after the clocks went back: 08:00 GMT
    delivery.dispatch()
    [message] = smtp_server.to("angela@council.test")
    assert (
        subject(message) == "Doncaster service delivery contract: weekly digest for the week beginning 30 October 2017"
    )
    body = message.get_body(("plain",)).get_content()
    assert "Summaries waiting for approval" in body and "Quarter 3 2017/18 summary" in body
    assert "Overdue actions" in body and "Report re-referral rates by team" in body and "working days overdue" in body


def test_a_summary_published_late_is_still_sent_once_after_a_long_outage(scene, smtp_server, clock):
    # The scheduler was down from before the due time until a week later: it catches up, once.
    clock.set(DUE + timedelta(days=7))
    delivery.dispatch()
    delivery.dispatch()
    assert len(smtp_server.messages) == 3
    assert {r.due_at for r in rows()} == {DUE}


def test_a_mail_server_that_confirms_too_late_gets_each_message_once(scene, smtp_server, clock, app, monkeypatch):
    """The server keeps the message but answers after MAIL_TIMEOUT: the message may well have been
    delivered, so it is "not confirmed" and never sent again by the scheduler, however often it runs."""
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
    smtp_server.delay_after_accepting = 2
    for seconds in (1, 90, 250, 4000):  # the due time, then well past every retry delay
        clock.set(DUE + timedelta(seconds=seconds))
        delivery.dispatch()
    scheduled = rows(purpose=DeliveryPurpose.SCHEDULED)
    assert {r.status for r in scheduled} == {DeliveryStatus.UNCONFIRMED}
    for row in scheduled:
        assert len(smtp_server.to(row.recipient.email)) == 1, row.recipient.email
        assert "did not confirm it" in row.last_error and "Check with the recipient" in row.last_error
    # The owner is told about each (the notices, slow too, are themselves not resent).
    notices = [m for m in smtp_server.to("angela@council.test") if "not confirmed" in subject(m)]
    assert len(notices) == len(scheduled)


def test_a_message_sent_again_by_hand_keeps_its_message_id(scene, smtp_server, clock, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
    smtp_server.delay_after_accepting = 2
    clock.set(DUE + timedelta(seconds=1))
    delivery.dispatch()
    unsure = rows(purpose=DeliveryPurpose.SCHEDULED)[0]
    [first] = smtp_server.to(unsure.recipient.email)

    smtp_server.delay_after_accepting = 0
    delivery.send_again(unsure)
    db.session.commit()
    clock.set(DUE + timedelta(seconds=30))
    delivery.dispatch()
    db.session.refresh(unsure)
    assert unsure.status is DeliveryStatus.SENT
    first_copy, second_copy = smtp_server.to(unsure.recipient.email)
    assert first is first_copy
    # Built from the ledger key alone: a receiving system can drop the duplicate.
    expected = f"<cm-{unsure.schedule_id}-2017-18-Q2-{unsure.recipient_id}@localhost>"
    assert first_copy["Message-ID"] == second_copy["Message-ID"] == expected


def test_a_refusal_before_the_message_went_is_retried_not_left_unsure(scene, smtp_server, clock):
    """A server that refuses the envelope took nothing: trying again is safe and happens."""
    smtp_server.refuse_next = 1
    clock.set(DUE + timedelta(seconds=1))
    delivery.dispatch()
    assert DeliveryStatus.UNCONFIRMED not in {r.status for r in rows()}
    clock.set(DUE + timedelta(seconds=90))
    delivery.dispatch()
    assert {r.status for r in rows(purpose=DeliveryPurpose.SCHEDULED)} == {DeliveryStatus.SENT}
