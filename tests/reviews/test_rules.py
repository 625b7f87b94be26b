"""The Annual Contract Review timetable, built backwards in working days, and slipped milestones."""

from __future__ import annotations

from datetime import date

import pytest

from monitoring.reviews.rules import (
    Gaps,
    MilestoneKind,
    build_timetable,
    dates_in_order,
    slip_days,
    subtract_working_days,
    working_day_on_or_before,
)

K = MilestoneKind


def plan(milestones):
    return {m.kind: (m.starts, m.due) for m in milestones}


def test_the_seed_timetable_is_rebuilt_from_its_deadline() -> None:
    """doncaster-trust-q2-2017-18: pre-meeting 1 November, final draft at the quarterly meeting on
    29 November, a counter-notice window, submission before the end of December."""
    timetable = build_timetable(
        date(2017, 12, 31),
        quarterly_meetings=[date(2017, 8, 30), date(2017, 11, 29)],
        joint_meetings=[date(2017, 10, 4), date(2017, 11, 1), date(2017, 12, 6)],
    )
    assert plan(timetable) == {
        K.METHODOLOGY: (None, date(2017, 11, 1)),
        K.COLLATION: (None, date(2017, 11, 15)),
        K.FINAL_DRAFT: (None, date(2017, 11, 29)),
        K.COUNTER_NOTICE: (date(2017, 11, 30), date(2017, 12, 20)),  # 25, 26 December skipped
        K.SUBMISSION: (None, date(2017, 12, 29)),  # 31 December is a Sunday
    }
    assert [m.kind for m in timetable] == list(MilestoneKind)


@pytest.mark.parametrize(
    ("deadline", "quarterly", "joint", "expected"),
    [
        # No meetings in the calendar: pure working-day arithmetic.
        (
            date(2018, 1, 31),
            [],
            [],
            {
                K.SUBMISSION: (None, date(2018, 1, 31)),
                K.COUNTER_NOTICE: (date(2018, 1, 4), date(2018, 1, 24)),
                K.FINAL_DRAFT: (None, date(2018, 1, 3)),
                K.COLLATION: (None, date(2017, 12, 15)),  # 10 working days back skips 1 January, 25–26 December
                K.METHODOLOGY: (None, date(2017, 12, 1)),
            },
        ),
        # End of January: the quarterly meeting on 20 December takes the final draft and the joint
        # meeting on 15 November the methodology; 29 November and 1 November are too early to use.
        (
            date(2018, 1, 31),
            [date(2017, 11, 29), date(2017, 12, 20)],
            [date(2017, 11, 1), date(2017, 11, 15)],
            {
                K.SUBMISSION: (None, date(2018, 1, 31)),
                K.COUNTER_NOTICE: (date(2017, 12, 21), date(2018, 1, 24)),
                K.FINAL_DRAFT: (None, date(2017, 12, 20)),
                K.COLLATION: (None, date(2017, 12, 6)),
                K.METHODOLOGY: (None, date(2017, 11, 15)),
            },
        ),
        # A quarterly meeting three months early is not used: the draft needs a meeting of its own.
        (
            date(2018, 1, 31),
            [date(2017, 8, 30)],
            [],
            {
                K.SUBMISSION: (None, date(2018, 1, 31)),
                K.COUNTER_NOTICE: (date(2018, 1, 4), date(2018, 1, 24)),
                K.FINAL_DRAFT: (None, date(2018, 1, 3)),
                K.COLLATION: (None, date(2017, 12, 15)),
                K.METHODOLOGY: (None, date(2017, 12, 1)),
            },
        ),
        # A deadline on Easter Monday: submission moves back to the Thursday before Good Friday.
        (
            date(2019, 4, 22),
            [],
            [],
            {
                K.SUBMISSION: (None, date(2019, 4, 18)),
                K.COUNTER_NOTICE: (date(2019, 3, 22), date(2019, 4, 11)),
                K.FINAL_DRAFT: (None, date(2019, 3, 21)),
                K.COLLATION: (None, date(2019, 3, 7)),
                K.METHODOLOGY: (None, date(2019, 2, 21)),
            },
        ),
    ],
)
def test_timetables_built_backwards(deadline, quarterly, joint, expected) -> None:
    assert plan(build_timetable(deadline, quarterly_meetings=quarterly, joint_meetings=joint)) == expected


def test_the_gaps_can_be_changed() -> None:
    timetable = plan(
        build_timetable(
            date(2017, 12, 29), Gaps(counter_notice_closes=0, counter_notice_window=1, collation=1, methodology=1)
        )
    )
    assert timetable[K.COUNTER_NOTICE] == (date(2017, 12, 29), date(2017, 12, 29))
    assert timetable[K.FINAL_DRAFT] == (None, date(2017, 12, 28))
    assert timetable[K.COLLATION] == (None, date(2017, 12, 27))
    assert timetable[K.METHODOLOGY] == (None, date(2017, 12, 22))


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2017, 12, 29), 5, date(2017, 12, 20)),
        (date(2018, 1, 2), 1, date(2017, 12, 29)),
        (date(2017, 11, 20), 1, date(2017, 11, 17)),
        (date(2017, 11, 20), 0, date(2017, 11, 20)),
    ],
)
def test_subtracting_working_days(day, count, expected) -> None:
    assert subtract_working_days(day, count) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2017, 12, 31), date(2017, 12, 29)),
        (date(2017, 12, 26), date(2017, 12, 22)),
        (date(2017, 12, 27), date(2017, 12, 27)),
    ],
)
def test_working_day_on_or_before(day, expected) -> None:
    assert working_day_on_or_before(day) == expected


@pytest.mark.parametrize(
    ("due", "done_on", "today", "slipped"),
    [
        (date(2017, 11, 15), None, date(2017, 11, 15), 0),  # due today, not done yet: not slipped
        (date(2017, 11, 15), None, date(2017, 11, 22), 5),  # a week later, not done
        (date(2017, 11, 15), date(2017, 11, 14), date(2017, 12, 1), 0),  # done early
        (date(2017, 11, 15), date(2017, 11, 17), date(2017, 12, 1), 2),  # done two working days late
        (date(2017, 12, 22), None, date(2017, 12, 28), 2),  # Christmas and Boxing Day skipped
    ],
)
def test_slipped_milestones(due, done_on, today, slipped) -> None:
    assert slip_days(due, done_on, today) == slipped


@pytest.mark.parametrize(
    ("dates", "first_out_of_order"),
    [
        ([("a", date(2017, 11, 9)), ("b", date(2017, 11, 13)), ("c", None), ("d", date(2017, 12, 22))], None),
        ([("a", date(2017, 11, 9)), ("b", date(2017, 11, 8))], "b"),
        ([("a", date(2017, 11, 9)), ("b", None), ("c", date(2017, 11, 1))], "c"),
    ],
)
def test_dates_in_order(dates, first_out_of_order) -> None:
    assert dates_in_order(dates) == first_out_of_order
