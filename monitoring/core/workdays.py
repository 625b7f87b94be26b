"""Working days in England and Wales: weekdays that are not bank holidays (rule 6 in DOMAIN.md)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays in a calendar year, including substitute days."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (count ≥ 0; 0 returns `day` itself)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    while count:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def next_working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _weekdays_after(start: date, end: date) -> int:
    """Monday-to-Friday days after `start` up to and including `end`, by arithmetic: whole weeks hold
    five each, and at most six days are left over to look at."""
    days = (end - start).days
    weeks, rest = divmod(days, 7)
    extra = sum(1 for n in range(1, rest + 1) if (start + timedelta(days=weeks * 7 + n)).weekday() < 5)
    return weeks * 5 + extra


def working_days_after(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end ≤ start).

    Counted without walking day by day, since overdue actions and returns are counted on every page
    that lists them: weekdays, less the bank holidays that fall on weekdays in between.
    """
    if end <= start:
        return 0
    holidays = sum(
        1
        for year in range(start.year, end.year + 1)
        for day in bank_holidays(year)
        if start < day <= end and day.weekday() < 5
    )
    return _weekdays_after(start, end) - holidays


def working_days_late(due: date, done: date) -> int:
    """Working days by which `done` missed `due`; 0 when on time.

    Something done on a weekend or bank holiday after the deadline counts as done on the next
    working day, so it is never late by zero days.
    """
    if done <= due:
        return 0
    return working_days_after(due, next_working_day_on_or_after(done))
