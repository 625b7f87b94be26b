"""Rule 6: working days skip weekends and England & Wales bank holidays."""

from datetime import date

import pytest

from monitoring.core.workdays import add_working_days, is_working_day, working_days_after, working_days_late


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2017, 8, 28), False),  # late summer bank holiday
        (date(2017, 8, 29), True),
        (date(2017, 9, 2), False),  # Saturday
        (date(2022, 9, 19), False),  # state funeral
        (date(2023, 5, 8), False),  # coronation
        (date(2026, 12, 28), False),  # Boxing Day substitute (26th is a Saturday)
        (date(2026, 12, 29), True),
        (date(2017, 3, 17), True),  # St Patrick's Day is a holiday in Northern Ireland, not England
    ],
)
def test_is_working_day(day: date, working: bool) -> None:
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("period_end", "days", "due"),
    [
        (date(2017, 8, 31), 10, date(2017, 9, 14)),  # a plain month
        (date(2017, 7, 31), 10, date(2017, 8, 14)),
        (date(2017, 3, 31), 10, date(2017, 4, 18)),  # Good Friday 14th and Easter Monday 17th skipped
        (date(2026, 11, 30), 10, date(2026, 12, 14)),
        (date(2026, 12, 31), 10, date(2027, 1, 15)),  # New Year's Day skipped
        (date(2026, 12, 18), 8, date(2027, 1, 4)),  # Christmas, Boxing Day (observed 28th), New Year
        (date(2017, 8, 31), 0, date(2017, 8, 31)),
    ],
)
def test_deadline_is_n_working_days_after_period_end(period_end: date, days: int, due: date) -> None:
    assert add_working_days(period_end, days) == due


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(date(2017, 8, 31), -1)


@pytest.mark.parametrize(
    ("due", "submitted", "late"),
    [
        (date(2017, 9, 14), date(2017, 9, 14), 0),  # on the day
        (date(2017, 9, 14), date(2017, 9, 1), 0),  # early
        (date(2017, 9, 14), date(2017, 9, 15), 1),
        (date(2017, 9, 14), date(2017, 9, 18), 2),  # over a weekend
        (date(2017, 9, 15), date(2017, 9, 16), 1),  # on the Saturday after a Friday deadline
        (date(2017, 4, 13), date(2017, 4, 18), 1),  # Easter: Friday and Monday do not count
        (date(2017, 4, 13), date(2017, 4, 14), 1),  # Good Friday counts as the next working day
    ],
)
def test_days_late_are_counted_in_working_days(due: date, submitted: date, late: int) -> None:
    assert working_days_late(due, submitted) == late


def test_working_days_after() -> None:
    assert working_days_after(date(2017, 12, 22), date(2018, 1, 2)) == 4  # 27, 28, 29 Dec; 2 Jan
    assert working_days_after(date(2017, 12, 22), date(2017, 12, 1)) == 0


def test_counting_working_days_agrees_with_walking_them_day_by_day() -> None:
    """The arithmetic count equals the plain walk for every pair of days over three years, bank holidays,
    Easter and Christmas included."""
    from datetime import date, timedelta

    from monitoring.core.workdays import is_working_day, working_days_after

    first = date(2019, 12, 20)
    for offset in range(0, 40, 3):
        start = first + timedelta(days=offset)
        for length in range(0, 1100, 17):
            end = start + timedelta(days=length)
            walked = sum(1 for n in range(1, length + 1) if is_working_day(start + timedelta(days=n)))
            assert working_days_after(start, end) == walked, (start, end)
