"""`flask reports …`: run the reports' background work by hand."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.extensions import db


@click.group("reports")
def reports_group() -> None:
    """Scrutiny summaries: background PDFs and scheduled emails."""


@reports_group.command("render")
@with_appcontext
def render_command() -> None:
    """Render every queued PDF now (the scheduler does this every few seconds)."""
    from monitoring.reports.rendering import process_render_queue

    total = 0
    with acting_as(SYSTEM):
        while rendered := process_render_queue():
            total += rendered
        db.session.commit()
    click.echo(f"Rendered {total} PDFs.")


@reports_group.command("dispatch")
@with_appcontext
def dispatch_command() -> None:
    """Plan and send the scheduled emails that are due now (the scheduler does this every minute)."""
    from monitoring.reports.delivery import dispatch

    with acting_as(SYSTEM):
        counts = dispatch()
        db.session.commit()
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
