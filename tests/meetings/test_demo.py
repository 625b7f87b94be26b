"""The demo tells the governance story: a year of meetings, outcomes, open and overdue actions,
two deep dives (one closed), an escalation, and an annual review with a slipped milestone."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.core.timeutil import london_today
from monitoring.demo import DemoContext, _organisations_and_contract, _people
from monitoring.extensions import db
from monitoring.meetings.demo import load_governance
from monitoring.meetings.followups import Action, DeepDive, Escalation
from monitoring.meetings.models import Meeting, MeetingStatus
from monitoring.reviews.models import AnnualReview


@pytest.mark.parametrize("today", [london_today(), date(2025, 11, 23), date(2026, 2, 10), date(2025, 6, 30)])
def test_the_demo_governance_cycle(f, today) -> None:
    ctx = DemoContext(password="demo-password-for-tests")
    with acting_as(SYSTEM):
        _organisations_and_contract(ctx)
        _people(ctx)
        load_governance(ctx, today)
    meetings = db.session.scalars(select(Meeting)).all()
    assert len([m for m in meetings if m.meeting_type.name == "Joint Performance & Finance"]) == 12
    assert any(m.status is MeetingStatus.CANCELLED or m.moved_from for m in meetings)
    actions = db.session.scalars(select(Action)).all()
    assert any(a.is_overdue(today) for a in actions)
    assert any(not a.is_finished and not a.is_overdue(today) for a in actions)
    dives = db.session.scalars(select(DeepDive)).all()
    assert len(dives) == 2 and sum(d.is_closed for d in dives) == 1
    assert db.session.scalar(select(Escalation)) is not None
    review = db.session.scalar(select(AnnualReview))
    assert review.slipped(today)
    assert any(m.is_locked for m in meetings)
