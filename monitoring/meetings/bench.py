"""`make bench` volume for the governance cycle: two years of monthly meetings per contract, each
with a full agenda, and an action log of a few hundred actions."""

from __future__ import annotations

import random
from datetime import time, timedelta
from typing import Any

from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.meetings import operations
from monitoring.meetings.followups import Action, ActionStatus
from monitoring.meetings.models import MeetingKind
from monitoring.meetings.rules import CadenceRule, Frequency

STANDING = ["Monthly KPI return", "Finance and the care ladder", "Family Support performance", "Quality and audit"]


def bench_governance(contract: Any, rng: random.Random) -> None:
    meeting_type = operations.create_meeting_type(
        contract,
        kind=MeetingKind.JOINT_PERFORMANCE_FINANCE,
        name="Joint Performance & Finance",
        frequency=Frequency.MONTHLY,
        rule=CadenceRule.WEEKDAY_OF_MONTH,
        ordinal=2,
        weekday=2,
        start_time=time(10),
        duration_minutes=120,
    )
    for title in STANDING:
        operations.add_standing_item(meeting_type, title)
    meetings = [m for year in (2025, 2026) for m in operations.generate_calendar(meeting_type, FinancialYear(year))]
    statuses = list(ActionStatus)
    for meeting in meetings:
        for n in range(12):
            db.session.add(
                Action(
                    contract_id=contract.id,
                    title=f"Action {n + 1} from {meeting.title}",
                    owner_organisation_id=rng.choice([contract.council_id, contract.trust_id]),
                    due_date=meeting.day + timedelta(days=rng.randint(7, 90)),
                    status=rng.choice(statuses),
                    meeting_id=meeting.id,
                )
            )
    db.session.flush()
