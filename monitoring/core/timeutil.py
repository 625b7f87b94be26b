"""Time helpers: store UTC, show Europe/London."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    return datetime.now(UTC)


def london_now() -> datetime:
    return datetime.now(LONDON)


def london_today() -> date:
    return london_now().date()


def to_london(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no known time zone")
    return moment.astimezone(LONDON)


def describe_time(moment: time) -> str:
    """10:00 → "10am"; 14:30 → "2:30pm"; 12:00 → "midday"; 00:00 → "midnight" (GOV.UK style)."""
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midnight" if moment.hour == 0 else "midday"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}{suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d}{suffix}"


def format_datetime(moment: datetime | None) -> str:
    """'23 November 2026, 5:04pm' in London time, as GOV.UK style writes times."""
    if moment is None:
        return ""
    local = to_london(moment)
    return f"{local.day} {local:%B %Y}, {describe_time(local.time())}"


def london_moment(day: date, at: time) -> datetime:
    """A local (Europe/London) day and time as an aware UTC moment: 10am in July is 09:00 UTC.

    At the clock changes (1am on a Sunday) a time that does not exist or happens twice takes
    zoneinfo's reading (the earlier offset); meetings and deliveries are set on working days.
    """
    return datetime.combine(day, at, tzinfo=LONDON).astimezone(UTC)


_TIME = re.compile(r"^\s*(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """Read "10:00", "14:30", "10am", "2.30pm" or "midday"; raise ValueError for anything else."""
    cleaned = (text or "").strip().lower()
    if cleaned in {"midday", "noon", "12 noon"}:
        return time(12, 0)
    if cleaned == "midnight":
        return time(0, 0)
    match = _TIME.match(cleaned)
    if not match:
        raise ValueError(f"{text!r} is not a time")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"{text!r} is not a time")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise ValueError(f"{text!r} needs minutes or am/pm, like 10:00 or 10am")
    if hour > 23 or minute > 59:
        raise ValueError(f"{text!r} is not a time")
    return time(hour, minute)


def format_date(day: date | None) -> str:
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"
