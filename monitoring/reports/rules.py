"""Pure decisions about deliveries: when each occasion falls due (London time), who receives it, retries.

No database and no Flask: the scheduler's job and the schedule pages both call these.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from monitoring.core.periods import Period, Quarter
from monitoring.core.timeutil import (
    LONDON,
    london_moment,  # 07:00 London: 06:00 UTC in summer, 07:00 in winter
)
from monitoring.core.workdays import add_working_days, is_working_day, next_working_day_on_or_after
from monitoring.reports.periods import next_quarter, period_title


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (count ≥ 0; 0 gives `day` itself)."""
    if count < 0:
        raise ValueError("count must not be negative")
    current = day
    while count:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


@dataclass(frozen=True)
class Occasion:
    """One thing a schedule sends: its ledger key, when it falls due and when it is no longer worth sending."""

    key: str
    label: str
    due_at: datetime
    stale_at: datetime
    # The quarter, month or week (its Monday) the occasion is about.
    period: object = field(default=None, compare=False)


def summary_due_at(quarter: Quarter, working_days: int, at: time) -> datetime:
    """The quarterly summary goes out `working_days` working days after the quarter ends."""
    return london_moment(add_working_days(quarter.end, working_days), at)


def summary_occasion(quarter: Quarter, working_days: int, at: time) -> Occasion:
    return Occasion(
        key=f"{quarter.year.label} Q{quarter.number}",
        label=period_title(quarter),
        due_at=summary_due_at(quarter, working_days, at),
        # Once the next quarter's summary is due, this one is history.
        stale_at=summary_due_at(next_quarter(quarter), working_days, at),
        period=quarter,
    )


def return_deadline(period: Period, deadline_working_days: int) -> date:
    """Rule 6: a monthly return is due N working days after its month ends."""
    return add_working_days(period.end, deadline_working_days)


def reminder_occasion(period: Period, deadline_working_days: int, before: int, at: time) -> Occasion:
    deadline = return_deadline(period, deadline_working_days)
    return Occasion(
        key=period.label,
        label=f"{period.name} return, due {deadline.day} {deadline:%B %Y}",
        due_at=london_moment(working_days_before(deadline, before), at),
        stale_at=london_moment(deadline + timedelta(days=1), time(0, 0)),  # a reminder after the deadline is noise
        period=period,
    )


def digest_day(week_monday: date, weekday: int) -> date:
    """The digest's day in a week; a bank holiday moves it to the next working day."""
    return next_working_day_on_or_after(week_monday + timedelta(days=weekday))


def digest_occasion(week_monday: date, weekday: int, at: time) -> Occasion:
    year, week, _ = week_monday.isocalendar()
    return Occasion(
        key=f"{year}-W{week:02d}",
        label=f"week beginning {week_monday.day} {week_monday:%B %Y}",
        due_at=london_moment(digest_day(week_monday, weekday), at),
        stale_at=london_moment(digest_day(week_monday + timedelta(days=7), weekday), at),
        period=week_monday,
    )


def _recent_quarters(today: date) -> Iterator[Quarter]:
    quarter = Quarter.containing(today - timedelta(days=400))
    while quarter.start <= today:
        yield quarter
        quarter = next_quarter(quarter)


def _recent_months(today: date) -> Iterator[Period]:
    month = Period.containing(today).shift(-3)
    for _ in range(5):
        yield month
        month = month.shift(1)


def _recent_weeks(today: date) -> Iterator[date]:
    monday = today - timedelta(days=today.weekday())
    for back in (2, 1, 0):
        yield monday - timedelta(weeks=back)


def due_occasions(candidates: Iterable[Occasion], since: datetime, now: datetime) -> list[Occasion]:
    """Occasions due by `now`, not before `since` (the schedule's start) and still worth sending.

    This is also the start-up catch-up: an occasion missed while no scheduler ran is still due
    until it goes stale, and the ledger makes sure it is only ever sent once.
    """
    return sorted(
        (o for o in candidates if since <= o.due_at <= now < o.stale_at),
        key=lambda o: o.due_at,
    )


def summary_candidates(now: datetime, working_days: int, at: time) -> list[Occasion]:
    today = now.astimezone(LONDON).date()
    return [summary_occasion(q, working_days, at) for q in _recent_quarters(today)]


def reminder_candidates(now: datetime, deadline_working_days: int, before: int, at: time) -> list[Occasion]:
    today = now.astimezone(LONDON).date()
    return [reminder_occasion(p, deadline_working_days, before, at) for p in _recent_months(today)]


def digest_candidates(now: datetime, weekday: int, at: time) -> list[Occasion]:
    today = now.astimezone(LONDON).date()
    return [digest_occasion(monday, weekday, at) for monday in _recent_weeks(today)]


def next_due(candidates: Iterable[Occasion], now: datetime) -> Occasion | None:
    """The next occasion after `now`, to show on the schedule page."""
    upcoming = [o for o in candidates if o.due_at > now]
    return min(upcoming, key=lambda o: o.due_at) if upcoming else None


# --- Recipients ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of the contract as the recipient rule sees them."""

    user_id: int
    role: str
    active: bool


def recipients(
    members: Iterable[Member],
    audience: Iterable[str],
    eligible_roles: Iterable[str],
    choices: Mapping[int, bool],
) -> list[int]:
    """Who gets a schedule's message: eligible, active members in the audience who did not opt out,
    plus eligible members who opted in. `choices` maps a user to their own receive/not choice."""
    audience, eligible = set(audience), set(eligible_roles)
    chosen = []
    for member in members:
        if not member.active or member.role not in eligible:
            continue
        default = member.role in audience
        if choices.get(member.user_id, default):
            chosen.append(member.user_id)
    return sorted(chosen)


# --- Retries ------------------------------------------------------------------------------------


def next_attempt_delay(attempts_made: int, delays: Sequence[int]) -> timedelta | None:
    """After `attempts_made` failed attempts, how long to wait before the next (None: give up).

    `delays` are seconds between attempts, growing (back-off): five minutes, fifteen, an hour…
    """
    if attempts_made < 1:
        raise ValueError("attempts_made counts the attempts already made, at least 1")
    if attempts_made > len(delays):
        return None
    return timedelta(seconds=delays[attempts_made - 1])
