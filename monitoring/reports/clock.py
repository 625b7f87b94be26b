"""The scheduler's clock: real time, or (outside production) real time shifted to a pretended start.

`SCHEDULER_PRETEND_NOW=2017-10-06T06:59:50+01:00 flask scheduler` runs the scheduler as if it had
been started at that moment, with time passing normally from there: how the tests (and a
developer trying a schedule) reach a due time without waiting for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from monitoring.core.timeutil import utcnow


def _offset() -> timedelta:
    state = current_app.extensions.setdefault("reports_clock", {})
    if "offset" not in state:
        pretend = current_app.config.get("SCHEDULER_PRETEND_NOW")
        if pretend and current_app.config.get("ENVIRONMENT") == "production":
            raise RuntimeError("SCHEDULER_PRETEND_NOW is for development and tests only")
        state["offset"] = datetime.fromisoformat(pretend) - utcnow() if pretend else timedelta(0)
    return state["offset"]


def now() -> datetime:
    return utcnow() + _offset()
