"""Pure rules of the governance cycle: cadences and calendars, meeting times, overdue actions.

No database and no Flask: plain values in, plain values out, so both views and jobs can use them
and their tests are tables.
"""

from __future__ import annotations

import calendar
import enum
from dataclasses import dataclass
from datetime import date, time, timedelta

from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import describe_time
from monitoring.core.workdays import next_working_day_on_or_after, working_days_after


class Frequency(enum.StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"

    @property
    def months(self) -> int:
        return {"monthly": 1, "quarterly": 3, "half_yearly": 6}[self.value]

    @property
    def label(self) -> str:
        return {"monthly": "Monthly", "quarterly": "Quarterly", "half_yearly": "Twice a year"}[self.value]

    @property
    def period_word(self) -> str:
        return {"monthly": "month", "quarterly": "quarter", "half_yearly": "half-year"}[self.value]


class CadenceRule(enum.StrEnum):
    """How a person writes a meeting's rhythm: "last Wednesday of the month" or "three weeks after quarter end"."""

    WEEKDAY_OF_MONTH = "weekday_of_month"
    AFTER_PERIOD_END = "after_period_end"

    @property
    def label(self) -> str:
        return {
            "weekday_of_month": "On a weekday of a month, such as the last Wednesday",
            "after_period_end": "A number of days or weeks after the period ends",
        }[self.value]


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}
MONTH_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


@dataclass(frozen=True)
class Cadence:
    """A meeting type's rhythm, stored as fields rather than as free text."""

    frequency: Frequency
    rule: CadenceRule
    start_time: time
    ordinal: int | None = None  # 1–4, or -1 for the last, with WEEKDAY_OF_MONTH
    weekday: int | None = None  # 0 Monday … 4 Friday, with WEEKDAY_OF_MONTH
    month_of_period: int = 1  # which month of the quarter or half-year, with WEEKDAY_OF_MONTH
    offset_days: int | None = None  # calendar days after the period ends, with AFTER_PERIOD_END

    def problems(self) -> dict[str, str]:
        """What is wrong with this cadence, by field; empty when it can generate dates."""
        errors: dict[str, str] = {}
        if self.rule is CadenceRule.WEEKDAY_OF_MONTH:
            if self.ordinal not in ORDINALS:
                errors["ordinal"] = "Select which week of the month: first, second, third, fourth or last"
            if self.weekday not in range(5):
                errors["weekday"] = "Select a weekday, Monday to Friday"
            if not 1 <= self.month_of_period <= self.frequency.months:
                errors["month_of_period"] = (
                    f"The month must be between 1 and {self.frequency.months} "
                    f"for a {self.frequency.label.lower()} meeting"
                )
        elif self.offset_days is None or not 1 <= self.offset_days <= 180:
            errors["offset_days"] = "Enter how many days after the period ends, from 1 to 180"
        return errors


@dataclass(frozen=True)
class CadencePeriod:
    """The month, quarter or half-year a meeting in the rhythm belongs to; its key names the slot."""

    key: str
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Slot:
    """One meeting the rhythm asks for: which period, which day, and the day it was moved from
    when the rule landed on a weekend or bank holiday."""

    period: CadencePeriod
    day: date
    moved_from: date | None = None


def periods_of(frequency: Frequency, year: FinancialYear) -> list[CadencePeriod]:
    if frequency is Frequency.MONTHLY:
        return [CadencePeriod(m.label, m.name, m.start, m.end) for m in year.months]
    if frequency is Frequency.QUARTERLY:
        return [CadencePeriod(f"{year.label} Q{q.number}", q.label, q.start, q.end) for q in year.quarters]
    halves = [year.months[:6], year.months[6:]]
    return [
        CadencePeriod(f"{year.label} H{n}", f"H{n} {year.label}", months[0].start, months[-1].end)
        for n, months in enumerate(halves, start=1)
    ]


def nth_weekday(year: int, month: int, ordinal: int, weekday: int) -> date:
    """The first…fourth (or last, ordinal -1) given weekday of a month."""
    days = [d for d in calendar.Calendar().itermonthdates(year, month) if d.month == month and d.weekday() == weekday]
    return days[-1] if ordinal == -1 else days[ordinal - 1]


def slot_for(cadence: Cadence, period: CadencePeriod) -> Slot:
    """The day the rhythm gives a period; a weekend or bank holiday moves to the next working day."""
    if cadence.rule is CadenceRule.WEEKDAY_OF_MONTH:
        month = Period.containing(period.start).shift(cadence.month_of_period - 1)
        day = nth_weekday(month.year, month.month, cadence.ordinal or 1, cadence.weekday or 0)
    else:
        day = period.end + timedelta(days=cadence.offset_days or 0)
    working = next_working_day_on_or_after(day)
    return Slot(period, working, day if working != day else None)


def calendar_for(cadence: Cadence, year: FinancialYear) -> list[Slot]:
    """The meetings the rhythm asks for whose day falls in the financial year, in date order.

    A meeting "three weeks after quarter end" in April belongs to the previous year's Q4, so the
    periods of the year before are considered too.
    """
    slots = [
        slot_for(cadence, p)
        for y in (FinancialYear(year.start_year - 1), year)
        for p in periods_of(cadence.frequency, y)
    ]
    return sorted((s for s in slots if year.start <= s.day <= year.end), key=lambda s: s.day)


def _duration_words(days: int) -> str:
    if days % 7 == 0:
        weeks = days // 7
        return f"{NUMBER_WORDS.get(weeks, str(weeks))} week{'s' if weeks != 1 else ''}"
    return f"{NUMBER_WORDS.get(days, str(days))} day{'s' if days != 1 else ''}"


def _sentence(words: str) -> str:
    return words[:1].upper() + words[1:]


def describe(cadence: Cadence) -> str:
    """The rhythm in the words a person would use, e.g. "Last Wednesday of each month, 10am"."""
    word = cadence.frequency.period_word
    at = describe_time(cadence.start_time)
    if cadence.rule is CadenceRule.WEEKDAY_OF_MONTH:
        which = _sentence(f"{ORDINALS.get(cadence.ordinal or 1, '?')} {WEEKDAYS[cadence.weekday or 0]}")
        if cadence.frequency is Frequency.MONTHLY:
            return f"{which} of each month, {at}"
        nth = MONTH_ORDINALS.get(cadence.month_of_period, str(cadence.month_of_period))
        return f"{which} of the {nth} month of each {word}, {at}"
    return f"{_sentence(_duration_words(cadence.offset_days or 0))} after the end of each {word}, {at}"


# --- Actions ----------------------------------------------------------------------------------


def working_days_overdue(due: date, today: date) -> int:
    """Working days that have passed since `due` (0 until the first working day after it).

    An action due on a Friday is not overdue over the weekend; on Monday it is one working day
    overdue. Bank holidays (England and Wales) do not count.
    """
    return working_days_after(due, today) if today > due else 0


def is_overdue(due: date | None, today: date, finished: bool) -> bool:
    return due is not None and not finished and working_days_overdue(due, today) > 0
