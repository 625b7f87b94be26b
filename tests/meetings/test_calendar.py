"""Meeting types, the year's calendar, moving and cancelling one meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.audit.models import AuditEvent
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.meetings import operations
from monitoring.meetings.models import Meeting, MeetingStatus, MeetingType


def meetings_of(meeting_type) -> list[Meeting]:
    return list(
        db.session.scalars(
            select(Meeting).where(Meeting.meeting_type_id == meeting_type.id).order_by(Meeting.starts_at)
        )
    )


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def contract(f):
    return f.create_contract(with_scope=True)


def test_a_commissioner_adds_a_meeting_type_with_a_rhythm_in_words(f, login, contract) -> None:
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/meeting-types/new",
        data={
            "name": "Joint Performance & Finance",
            "kind": "joint_performance_finance",
            "frequency": "monthly",
            "rule": "weekday_of_month",
            "ordinal": "-1",
            "weekday": "2",
            "month_of_period": "1",
            "start_time": "10am",
            "duration_minutes": "120",
            "location": "Civic Office",
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Last Wednesday of each month, 10am" in response.text
    meeting_type = db.session.scalar(select(MeetingType).where(MeetingType.contract_id == contract.id))
    assert (meeting_type.ordinal, meeting_type.weekday, meeting_type.start_time) == (-1, 2, time(10))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"name": ""}, "name", "Enter the meeting&#39;s name"),
        ({"ordinal": ""}, "ordinal", "Select which week of the month"),
        ({"start_time": "25:00"}, "start_time", "Start time must be a time, like 10:00 or 2:30pm"),
        ({"duration_minutes": "5"}, "duration_minutes", "Length in minutes must be between 15 and 480 minutes"),
        ({"rule": "after_period_end", "offset_days": ""}, "offset_days", "Enter how many days after the period ends"),
        ({"frequency": "weekly"}, "frequency", "Not a valid choice"),
    ],
)
def test_a_meeting_type_with_bad_input_names_the_field_and_saves_nothing(
    f, login, contract, change, field, message
) -> None:
    client = login(f.create_user(Role.COMMISSIONER, contract))
    data = {
        "name": "Joint Performance & Finance",
        "kind": "joint_performance_finance",
        "frequency": "monthly",
        "rule": "weekday_of_month",
        "ordinal": "-1",
        "weekday": "2",
        "start_time": "10:00",
        "duration_minutes": "120",
    }
    response = client.post(f"/contracts/{contract.id}/meeting-types/new", data={**data, **change})
    assert response.status_code == 400
    assert message in response.text
    assert f'href="#{field}"' in response.text or field == "frequency"
    assert count(MeetingType) == 0


def test_generating_a_year_makes_the_rhythms_meetings_with_standing_items_and_attendees(f, contract) -> None:
    joint = f.create_meeting_type(contract)
    operations.add_standing_item(joint, "Family Support performance", "Head of Family Support")
    operations.add_standing_item(joint, "Finance and the care ladder")
    operations.add_standing_attendee(joint, "Priya Shah", "Commissioning manager", contract.council)
    created = operations.generate_calendar(joint, FinancialYear(2017))
    assert [m.day for m in created][:3] == [date(2017, 4, 26), date(2017, 5, 31), date(2017, 6, 28)]
    assert len(created) == 12
    assert [i.title for i in created[0].items] == ["Family Support performance", "Finance and the care ladder"]
    assert [a.name for a in created[0].attendees] == ["Priya Shah"]
    # 10am in October (British Summer Time) is 09:00 UTC; in November it is 10:00 UTC.
    assert created[6].starts_at == datetime(2017, 10, 25, 9, 0, tzinfo=UTC)
    assert created[7].starts_at == datetime(2017, 11, 29, 10, 0, tzinfo=UTC)


def test_generating_again_adds_nothing_and_leaves_moved_and_cancelled_meetings_alone(f, contract) -> None:
    joint = f.create_meeting_type(contract)
    august, september, october = operations.generate_calendar(joint, FinancialYear(2017))[4:7]
    operations.move_meeting(august, day=date(2017, 8, 23), start_time=time(14), duration_minutes=90)
    operations.cancel_meeting(september, "Clashes with the inspection")
    assert operations.generate_calendar(joint, FinancialYear(2017)) == []
    meetings = meetings_of(joint)
    assert len(meetings) == 12
    moved = next(m for m in meetings if m.id == august.id)
    assert moved.starts_at == datetime(2017, 8, 23, 13, 0, tzinfo=UTC)
    assert moved.moved_from == datetime(2017, 8, 30, 9, 0, tzinfo=UTC)
    assert next(m for m in meetings if m.id == september.id).status is MeetingStatus.CANCELLED
    # Every other meeting is where the rhythm put it.
    assert next(m for m in meetings if m.id == october.id).day == date(2017, 10, 25)
    assert sum(1 for m in meetings if m.moved_from) == 1


def test_a_cancelled_slot_cannot_be_reused(f, login, contract) -> None:
    joint = f.create_meeting_type(contract)
    august, september = operations.generate_calendar(joint, FinancialYear(2017))[4:6]
    operations.cancel_meeting(august, "No quorum")
    with pytest.raises(InvalidInput) as refused:
        operations.move_meeting(september, day=date(2017, 8, 30), start_time=time(10), duration_minutes=120)
    assert "was cancelled" in refused.value.errors["day"]

    client = login(f.create_user(Role.COMMISSIONER, contract))
    before = count(Meeting)
    response = client.post(
        f"/contracts/{contract.id}/meetings/new",
        data={
            "meeting_type_id": joint.id,
            "day": ["30", "8", "2017"],
            "start_time": "10:00",
            "duration_minutes": "120",
        },
    )
    assert response.status_code == 400
    assert "meeting at 30 August 2017, 10am was cancelled. Choose another date or time." in response.text
    assert count(Meeting) == before
    assert meetings_of(joint)[5].day == date(2017, 9, 27)  # September stayed put


def test_an_extra_meeting_and_a_move_through_the_pages(f, login, contract) -> None:
    joint = f.create_meeting_type(contract)
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(
        f"/contracts/{contract.id}/meetings/new",
        data={"meeting_type_id": joint.id, "day": ["6", "12", "2017"], "start_time": "2pm", "duration_minutes": "60"},
    )
    assert response.status_code == 302
    extra = meetings_of(joint)[0]
    assert extra.slot is None and extra.starts_at == datetime(2017, 12, 6, 14, 0, tzinfo=UTC)

    response = client.post(
        f"/contracts/{contract.id}/meetings/{extra.id}/move",
        data={"day": ["31", "2", "2018"], "start_time": "10:00", "duration_minutes": "60"},
    )
    assert response.status_code == 400
    assert "Date must be a real date" in response.text
    db.session.refresh(extra)
    assert extra.moved_from is None

    response = client.post(f"/contracts/{contract.id}/meetings/{extra.id}/cancel", data={"reason": ""})
    assert response.status_code == 400
    assert "Enter why the meeting is cancelled" in response.text
    db.session.refresh(extra)
    assert extra.status is MeetingStatus.SCHEDULED


def test_the_year_page_lists_meetings_and_the_trust_can_read_it(f, login, contract) -> None:
    joint = f.create_meeting_type(contract, name="Joint Performance & Finance")
    operations.generate_calendar(joint, FinancialYear(2017))
    client = login(f.create_user(Role.TRUST_OFFICER, contract))
    page = client.get(f"/contracts/{contract.id}/meetings?year=2017/18")
    assert page.status_code == 200
    assert page.text.count("Joint Performance &amp; Finance<span") == 12
    assert "Add a meeting" not in page.text


@pytest.mark.parametrize("role", [Role.SCRUTINY, Role.ADMIN])
def test_scrutiny_members_and_administrators_see_no_meetings(f, login, contract, role) -> None:
    joint = f.create_meeting_type(contract)
    meeting = operations.generate_calendar(joint, FinancialYear(2017))[0]
    client = login(f.create_user(role, contract))
    assert client.get(f"/contracts/{contract.id}/meetings").status_code == 403
    assert client.get(f"/contracts/{contract.id}/meetings/{meeting.id}").status_code == 403


def test_generating_is_audited(f, login, contract) -> None:
    joint = f.create_meeting_type(contract)
    user = f.create_user(Role.COMMISSIONER, contract)
    response = login(user).post(
        f"/contracts/{contract.id}/meeting-types/{joint.id}/generate", data={"generate-financial_year": "2017/18"}
    )
    assert response.status_code == 302
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "Meeting")).all()
    assert len(events) == 12 and {e.user_id for e in events} == {user.id}
    bad = login(user).post(
        f"/contracts/{contract.id}/meeting-types/{joint.id}/generate", data={"generate-financial_year": "2017-18"}
    )
    assert bad.status_code == 400 and "Enter the financial year in the form 2017/18" in bad.text
