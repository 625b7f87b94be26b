"""The pure rules of the governance cycle, as tables: cadences, calendars, times, overdue actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_moment, parse_time
from monitoring.meetings.rules import (
    Cadence,
    CadenceRule,
    Frequency,
    calendar_for,
    describe,
    is_overdue,
    nth_weekday,
    working_days_overdue,
)

W, A = CadenceRule.WEEKDAY_OF_MONTH, CadenceRule.AFTER_PERIOD_END
M, Q, H = Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY


@pytest.mark.parametrize(
    ("year", "month", "ordinal", "weekday", "expected"),
    [
        (2017, 11, -1, 2, date(2017, 11, 29)),  # last Wednesday: the seed's quarterly meeting
        (2017, 11, 1, 2, date(2017, 11, 1)),  # first Wednesday: the seed's review pre-meeting
        (2017, 8, 2, 2, date(2017, 8, 9)),  # second Wednesday: the seed's Joint Performance & Finance
        (2018, 2, -1, 2, date(2018, 2, 28)),
        (2018, 5, 4, 4, date(2018, 5, 25)),
    ],
)
def test_nth_weekday_of_a_month(year, month, ordinal, weekday, expected) -> None:
    assert nth_weekday(year, month, ordinal, weekday) == expected


@pytest.mark.parametrize(
    ("cadence", "year", "expected"),
    [
        # Last Wednesday of each month, 2017/18: twelve meetings, April to March.
        (
            Cadence(M, W, time(10), ordinal=-1, weekday=2),
            2017,
            [
                ("2017-04", date(2017, 4, 26), None),
                ("2017-05", date(2017, 5, 31), None),
                ("2017-06", date(2017, 6, 28), None),
                ("2017-07", date(2017, 7, 26), None),
                ("2017-08", date(2017, 8, 30), None),
                ("2017-09", date(2017, 9, 27), None),
                ("2017-10", date(2017, 10, 25), None),
                ("2017-11", date(2017, 11, 29), None),
                ("2017-12", date(2017, 12, 27), None),
                ("2018-01", date(2018, 1, 31), None),
                ("2018-02", date(2018, 2, 28), None),
                ("2018-03", date(2018, 3, 28), None),
            ],
        ),
        # Last Wednesday of the second month of each quarter: 29 November 2017 as in the seed.
        (
            Cadence(Q, W, time(14), ordinal=-1, weekday=2, month_of_period=2),
            2017,
            [
                ("2017/18 Q1", date(2017, 5, 31), None),
                ("2017/18 Q2", date(2017, 8, 30), None),
                ("2017/18 Q3", date(2017, 11, 29), None),
                ("2017/18 Q4", date(2018, 2, 28), None),
            ],
        ),
        # Three weeks after quarter end: April's meeting is about last year's Q4; weekends move on.
        (
            Cadence(Q, A, time(10), offset_days=21),
            2017,
            [
                ("2016/17 Q4", date(2017, 4, 21), None),
                ("2017/18 Q1", date(2017, 7, 21), None),
                ("2017/18 Q2", date(2017, 10, 23), date(2017, 10, 21)),  # Saturday → Monday
                ("2017/18 Q3", date(2018, 1, 22), date(2018, 1, 21)),  # Sunday → Monday
            ],
        ),
        # First Monday of each month lands on bank holidays in May and January (New Year's Day).
        (
            Cadence(M, W, time(10), ordinal=1, weekday=0),
            2017,
            [
                ("2017-04", date(2017, 4, 3), None),
                ("2017-05", date(2017, 5, 2), date(2017, 5, 1)),
                ("2017-06", date(2017, 6, 5), None),
                ("2017-07", date(2017, 7, 3), None),
                ("2017-08", date(2017, 8, 7), None),
                ("2017-09", date(2017, 9, 4), None),
                ("2017-10", date(2017, 10, 2), None),
                ("2017-11", date(2017, 11, 6), None),
                ("2017-12", date(2017, 12, 4), None),
                ("2018-01", date(2018, 1, 2), date(2018, 1, 1)),
                ("2018-02", date(2018, 2, 5), None),
                ("2018-03", date(2018, 3, 5), None),
            ],
        ),
        # Twice a year, six weeks after each half ends: Good Friday 2019 pushes April's to Tuesday
        # (Easter Monday is a bank holiday too).
        (
            Cadence(H, A, time(18), offset_days=19),
            2019,
            [
                ("2018/19 H2", date(2019, 4, 23), date(2019, 4, 19)),
                ("2019/20 H1", date(2019, 10, 21), date(2019, 10, 19)),
            ],
        ),
        # One day after quarter end: 1 January 2020 is a bank holiday.
        (
            Cadence(Q, A, time(9, 30), offset_days=1),
            2019,
            [
                ("2018/19 Q4", date(2019, 4, 1), None),
                ("2019/20 Q1", date(2019, 7, 1), None),
                ("2019/20 Q2", date(2019, 10, 1), None),
                ("2019/20 Q3", date(2020, 1, 2), date(2020, 1, 1)),
            ],
        ),
    ],
)
def test_a_financial_years_calendar(cadence, year, expected) -> None:
    slots = calendar_for(cadence, FinancialYear(year))
    assert [(s.period.key, s.day, s.moved_from) for s in slots] == expected


@pytest.mark.parametrize(
    ("cadence", "words"),
    [
        (Cadence(M, W, time(10), ordinal=-1, weekday=2), "Last Wednesday of each month, 10am"),
        (
            Cadence(Q, W, time(14, 30), ordinal=2, weekday=1, month_of_period=2),
            "Second Tuesday of the second month of each quarter, 2:30pm",
        ),
        (Cadence(Q, A, time(10), offset_days=21), "Three weeks after the end of each quarter, 10am"),
        (Cadence(M, A, time(12), offset_days=10), "10 days after the end of each month, midday"),
        (Cadence(H, A, time(18), offset_days=1), "One day after the end of each half-year, 6pm"),
    ],
)
def test_a_cadence_in_words(cadence, words) -> None:
    assert describe(cadence) == words


@pytest.mark.parametrize(
    ("cadence", "problems"),
    [
        (Cadence(M, W, time(10), ordinal=5, weekday=2), {"ordinal"}),
        (Cadence(M, W, time(10), ordinal=1, weekday=6), {"weekday"}),
        (Cadence(Q, W, time(10), ordinal=1, weekday=1, month_of_period=4), {"month_of_period"}),
        (Cadence(H, W, time(10), ordinal=1, weekday=1, month_of_period=6), set()),
        (Cadence(Q, A, time(10), offset_days=None), {"offset_days"}),
        (Cadence(Q, A, time(10), offset_days=0), {"offset_days"}),
        (Cadence(Q, A, time(10), offset_days=181), {"offset_days"}),
    ],
)
def test_a_cadence_that_cannot_make_dates_names_its_field(cadence, problems) -> None:
    assert set(cadence.problems()) == problems


@pytest.mark.parametrize(
    ("day", "at", "utc"),
    [
        (date(2017, 10, 25), time(10), datetime(2017, 10, 25, 9, 0, tzinfo=UTC)),  # British Summer Time
        (date(2017, 11, 1), time(10), datetime(2017, 11, 1, 10, 0, tzinfo=UTC)),  # after the clocks go back
        (date(2018, 3, 23), time(14, 30), datetime(2018, 3, 23, 14, 30, tzinfo=UTC)),  # Friday before they go forward
        (date(2018, 3, 26), time(14, 30), datetime(2018, 3, 26, 13, 30, tzinfo=UTC)),  # Monday after
    ],
)
def test_london_meeting_times_across_the_clock_changes(day, at, utc) -> None:
    assert london_moment(day, at) == utc


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10:00", time(10)),
        ("9:30", time(9, 30)),
        ("14.30", time(14, 30)),
        ("10am", time(10)),
        ("2:30pm", time(14, 30)),
        ("12pm", time(12)),
        ("12am", time(0)),
        (" Midday ", time(12)),
    ],
)
def test_reading_a_time(text, expected) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["", "10", "25:00", "10:75", "13pm", "ten", "10:00:00"])
def test_a_time_that_is_not_one_is_refused(text) -> None:
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize(
    ("due", "today", "days"),
    [
        (date(2017, 11, 15), date(2017, 11, 15), 0),  # due today
        (date(2017, 11, 15), date(2017, 11, 14), 0),  # not yet due
        (date(2017, 11, 15), date(2017, 11, 16), 1),
        (date(2017, 11, 17), date(2017, 11, 18), 0),  # due Friday: not overdue over the weekend
        (date(2017, 11, 17), date(2017, 11, 19), 0),
        (date(2017, 11, 17), date(2017, 11, 20), 1),  # Monday
        (date(2017, 11, 18), date(2017, 11, 20), 1),  # due on a Saturday
        (date(2017, 12, 22), date(2017, 12, 27), 1),  # Christmas Day and Boxing Day do not count
        (date(2017, 12, 22), date(2018, 1, 2), 4),  # nor does New Year's Day
        (date(2018, 3, 29), date(2018, 4, 3), 1),  # Good Friday and Easter Monday
        (date(2017, 11, 1), date(2017, 11, 29), 20),
    ],
)
def test_working_days_overdue(due, today, days) -> None:
    assert working_days_overdue(due, today) == days
    assert is_overdue(due, today, finished=False) is (days > 0)


def test_a_finished_action_is_never_overdue() -> None:
    assert not is_overdue(date(2017, 1, 2), date(2017, 12, 1), finished=True)
    assert not is_overdue(None, date(2017, 12, 1), finished=False)
