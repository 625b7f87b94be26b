"""iCalendar feeds of meetings, fetched by Outlook or Google Calendar from a secret address.

Calendar programs send no cookies, so a feed is found by a random token in its address; only the
token's hash is stored, the address is shown once, and its owner can revoke it. The feed is read
with the owner's current access: a person who leaves a contract stops seeing its meetings.
Times are written in UTC (the "Z" form), which every calendar program shows in local time.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from icalendar import Calendar, Event
from sqlalchemy import func, select

from monitoring.accounts.models import hash_token
from monitoring.audit.recorder import mark
from monitoring.core.errors import InvalidInput
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.meetings.models import CalendarFeed, Meeting
from monitoring.permissions import Permission, can


def create_feed(user: Any, name: str) -> tuple[CalendarFeed, str]:
    """A new secret feed address for `user`; the token is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput({"name": "Enter a name for the calendar link, such as Outlook at work"})
    if len(name) > 100:
        raise InvalidInput({"name": "The name must be 100 characters or fewer"})
    taken = db.session.scalar(
        select(func.count())
        .select_from(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.name == name, CalendarFeed.revoked_at.is_(None))
    )
    if taken:
        raise InvalidInput({"name": f"You already have a calendar link called {name!r}"})
    secret = CalendarFeed.PREFIX + secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, name=name, token_hash=hash_token(secret), hint=secret[:10])
    db.session.add(feed)
    db.session.flush()
    return feed, secret


def revoke_feed(feed: CalendarFeed) -> None:
    if feed.revoked_at is None:
        feed.revoked_at = utcnow()
        mark(feed, "revoke")
        db.session.flush()


def owner_of(secret: str) -> Any | None:
    """The active owner of an unrevoked feed token who may read meetings, or None."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(secret)))
    if feed is None or feed.is_revoked or not can(feed.user, Permission.VIEW_CONTRACT):
        return None
    now = utcnow()
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(minutes=5):
        feed.last_used_at = now  # not audited
    return feed.user


def calendar_bytes(meetings: Iterable[Meeting], name: str, link_for: Any) -> bytes:
    """An iCalendar document with one event per meeting; cancelled meetings say so."""
    calendar = Calendar()
    calendar.add("prodid", "-//Contract monitoring//Meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.id}@contract-monitoring")
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at)
        event.add("summary", meeting.meeting_type.name)
        if meeting.location:
            event.add("location", meeting.location)
        event.add("url", link_for(meeting))
        event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
        if meeting.is_cancelled and meeting.cancelled_reason:
            event.add("description", f"Cancelled: {meeting.cancelled_reason}")
        calendar.add_component(event)
    return calendar.to_ical()


def meetings_for(contract_ids: Iterable[int]) -> list[Meeting]:
    """Meetings of these contracts from a year ago onwards, for a feed."""
    ids = list(contract_ids)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.contract_id.in_(ids), Meeting.starts_at >= utcnow() - timedelta(days=366))
            .order_by(Meeting.starts_at)
        )
    )
