"""Time helpers: store UTC, show Europe/London."""

from __future__ import annotations

from datetime import UTC, date, datetime
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


def format_datetime(moment: datetime | None) -> str:
    """'23 November 2026, 5:04pm' in London time, as GOV.UK style writes times."""
    if moment is None:
        return ""
    local = to_london(moment)
    hour = local.hour % 12 or 12
    suffix = "am" if local.hour < 12 else "pm"
    return f"{local.day} {local:%B %Y}, {hour}:{local:%M}{suffix}"


def format_date(day: date | None) -> str:
    if day is None:
        return ""
    return f"{day.day} {day:%B %Y}"
