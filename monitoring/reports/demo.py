"""Demo data for reports: a published summary, a draft for the quarter after, and email schedules."""

from __future__ import annotations

from datetime import time, timedelta
from typing import Any

from monitoring.core.timeutil import london_today
from monitoring.reports import operations, schedules
from monitoring.reports.models import ScheduleKind
from monitoring.reports.periods import PeriodKind, latest_complete, previous_quarter


def add_reports(ctx: Any) -> None:
    contract, users = ctx.contract, ctx.users
    latest = latest_complete(PeriodKind.QUARTER, london_today())
    earlier = previous_quarter(latest)
    published = operations.create_summary(
        contract,
        kind=PeriodKind.QUARTER,
        financial_year=earlier.year.label,
        number=earlier.number,
        user=users["commissioner"],
    )
    operations.update_narrative(
        published,
        {
            "going_well": "- Case file audits rated good or better\n- Placement stability for children in care\n"
            "- Care leavers in suitable accommodation",
            "needs_improvement": "Re-referrals to social care are rising and are higher than comparator averages. "
            "A deep dive into the step-up / step-down process has been commissioned.",
        },
        lock_version=None,
    )
    operations.submit_for_approval(published, users["commissioner"])
    operations.approve(published, users["director"])
    operations.create_summary(
        contract,
        kind=PeriodKind.QUARTER,
        financial_year=latest.year.label,
        number=latest.number,
        user=users["commissioner"],
    )
    starts = london_today() - timedelta(days=1)
    for kind, audience, working_days, weekday in [
        (ScheduleKind.QUARTERLY_SUMMARY, ["director"], 5, None),
        (ScheduleKind.RETURN_REMINDER, ["trust_officer"], 2, None),
        (ScheduleKind.WEEKLY_DIGEST, ["commissioner"], 0, 0),
    ]:
        schedules.create_schedule(
            contract,
            kind,
            schedules.ScheduleTerms(working_days, weekday, time(7, 0), audience, starts, active=True),
            users["commissioner"],
        )
