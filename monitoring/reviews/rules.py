"""Pure rules of the Annual Contract Review: its timetable, built backwards from the Secretary of
State's deadline, and when a milestone has slipped.

The default gaps reproduce the 2017/18 Doncaster timetable (seed doncaster-trust-q2-2017-18): a
deadline of 31 December 2017 gives the methodology agreed on 1 November, reports collated by
15 November, the final draft at the quarterly meeting on 29 November, a counter-notice window to
20 December and submission on Friday 29 December.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from monitoring.core.workdays import is_working_day
from monitoring.meetings.rules import working_days_overdue


class MilestoneKind(enum.StrEnum):
    METHODOLOGY = "methodology"
    COLLATION = "collation"
    FINAL_DRAFT = "final_draft"
    COUNTER_NOTICE = "counter_notice"
    SUBMISSION = "submission"

    @property
    def label(self) -> str:
        return {
            "methodology": "Methodology and timeline agreed",
            "collation": "Reports collated",
            "final_draft": "Final draft to the quarterly meeting",
            "counter_notice": "Counter-notice window closes",
            "submission": "Submission to the Secretary of State",
        }[self.value]


@dataclass(frozen=True)
class Gaps:
    """Working days between milestones, counted backwards from the submission."""

    counter_notice_closes: int = 5  # before submission
    counter_notice_window: int = 15  # the window's length, after the final draft
    collation: int = 10  # reports collated this long before the final draft
    methodology: int = 10  # methodology agreed this long before collation


@dataclass(frozen=True)
class PlannedMilestone:
    kind: MilestoneKind
    due: date
    starts: date | None = None  # the first day of a window


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def subtract_working_days(day: date, count: int) -> date:
    """The working day `count` working days before `day`."""
    while count:
        day -= timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def _next_working_day_after(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _latest_on_or_before(target: date, days: Iterable[date], within: int) -> date:
    """The latest of `days` on or before `target` and at most `within` working days earlier, or
    `target` itself when no meeting is that close (the milestone then needs a meeting of its own)."""
    earliest = subtract_working_days(target, within)
    earlier = [d for d in days if earliest <= d <= target]
    return max(earlier) if earlier else target


def build_timetable(
    deadline: date,
    gaps: Gaps = Gaps(),
    quarterly_meetings: Iterable[date] = (),
    joint_meetings: Iterable[date] = (),
) -> list[PlannedMilestone]:
    """The review's milestones, built backwards from the Secretary of State's deadline.

    Submission falls on the deadline, or the working day before it. The final draft goes to the
    latest quarterly meeting that leaves time for the counter-notice window (if one falls within
    the window's length before that date); the methodology is agreed at the latest joint meeting
    before collation needs to start (within the methodology gap).
    """
    submission = working_day_on_or_before(deadline)
    window_closes = subtract_working_days(submission, gaps.counter_notice_closes)
    final_draft = _latest_on_or_before(
        subtract_working_days(window_closes, gaps.counter_notice_window), quarterly_meetings, gaps.counter_notice_window
    )
    collation = subtract_working_days(final_draft, gaps.collation)
    methodology = _latest_on_or_before(
        subtract_working_days(collation, gaps.methodology), joint_meetings, gaps.methodology
    )
    return [
        PlannedMilestone(MilestoneKind.METHODOLOGY, methodology),
        PlannedMilestone(MilestoneKind.COLLATION, collation),
        PlannedMilestone(MilestoneKind.FINAL_DRAFT, final_draft),
        PlannedMilestone(MilestoneKind.COUNTER_NOTICE, window_closes, starts=_next_working_day_after(final_draft)),
        PlannedMilestone(MilestoneKind.SUBMISSION, submission),
    ]


def slip_days(due: date, done_on: date | None, today: date) -> int:
    """Working days a milestone has slipped: late completion, or still not done after its date."""
    if done_on is not None:
        return working_days_overdue(due, done_on)
    return working_days_overdue(due, today)


def dates_in_order(dates: Iterable[tuple[str, date | None]]) -> str | None:
    """The first field whose date is before an earlier field's date, or None if all are in order."""
    latest: tuple[str, date] | None = None
    for field, day in dates:
        if day is None:
            continue
        if latest is not None and day < latest[1]:
            return field
        latest = (field, day)
    return None
