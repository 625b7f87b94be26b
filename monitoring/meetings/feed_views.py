"""Calendar links: one's own secret feed addresses, and the feeds calendar programs fetch."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.extensions import db
from monitoring.meetings import feeds
from monitoring.meetings.forms import FeedForm
from monitoring.meetings.models import CalendarFeed
from monitoring.permissions import Permission, public, requires

bp = Blueprint("calendar", __name__)


def _page(form: FeedForm | None = None, feed_url: str | None = None, status: int = 200) -> Any:
    rows = db.session.scalars(
        select(CalendarFeed).where(CalendarFeed.user_id == current_user.id).order_by(CalendarFeed.created_at.desc())
    )
    return render_template(
        "meetings/feeds.html",
        form=form or FeedForm(),
        feeds=list(rows),
        feed_url=feed_url,
        confirm_form=ConfirmForm(),
        contracts=current_user.contracts,
    ), status


@bp.get("/account/calendar")
@requires(Permission.VIEW_CONTRACT)
def feeds_page() -> Any:
    return _page()


@bp.post("/account/calendar")
@requires(Permission.VIEW_CONTRACT)
def create_feed() -> Any:
    form = FeedForm()
    if form.validate_on_submit():
        try:
            _feed, secret = feeds.create_feed(current_user, form.name.data)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            # Shown once, in this response only.
            return _page(feed_url=url_for("calendar.user_feed", token=secret, _external=True))
    return _page(form, status=400)


@bp.post("/account/calendar/<int:feed_id>/revoke")
@requires(Permission.VIEW_CONTRACT)
def revoke_feed(feed_id: int) -> Any:
    feed = db.session.get(CalendarFeed, feed_id)
    if feed is None or feed.user_id != current_user.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    feeds.revoke_feed(feed)
    flash(f"The calendar link {feed.name!r} has stopped working", "success")
    return redirect(url_for("calendar.feeds_page"))


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _link(meeting: Any) -> str:
    return url_for("meetings.meeting", contract_id=meeting.contract_id, meeting_id=meeting.id, _external=True)


@bp.get("/calendar/<token>.ics")
@public
def user_feed(token: str) -> Any:
    """Every meeting of the feed owner's contracts.

    Declared public because calendar programs send no cookies; the secret token in the address is
    the credential, checked here: an unknown or revoked token, or an owner who may no longer read
    contracts, gets 404.
    """
    owner = feeds.owner_of(token)
    if owner is None:
        abort(404)
    body = feeds.calendar_bytes(feeds.meetings_for(owner.contract_ids), "Contract monitoring meetings", _link)
    return _ics(body, "meetings.ics")


@bp.get("/calendar/<token>/contracts/<int:contract_id>.ics")
@public
def contract_feed(token: str, contract_id: int) -> Any:
    """One contract's meetings, for a feed owner who still works on it (public: see user_feed)."""
    owner = feeds.owner_of(token)
    if owner is None or contract_id not in owner.contract_ids:
        abort(404)
    contract = db.get_or_404(Contract, contract_id)
    body = feeds.calendar_bytes(feeds.meetings_for([contract.id]), f"{contract.name} meetings", _link)
    return _ics(body, f"contract-{contract.id}-meetings.ics")
