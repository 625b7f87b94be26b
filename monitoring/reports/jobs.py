"""The reports area's scheduled work. Each job is short: find what is due, act, record, commit."""

from __future__ import annotations

import logging

from monitoring.reports import delivery, rendering

log = logging.getLogger(__name__)


def dispatch_deliveries() -> None:
    """Send what schedules have made due (catching up anything missed while no scheduler ran)."""
    counts = delivery.dispatch()
    if any(counts.values()):
        log.info("deliveries: %s", counts)


def render_queued_pdfs() -> None:
    """Render PDFs people asked for (and published versions) in the background."""
    rendered = rendering.process_render_queue()
    if rendered:
        log.info("rendered %d PDFs", rendered)
