"""`flask indicators …`: load the catalogue of measures, and list the indicators defined."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.performance.catalogue import CATALOGUE, load_catalogue
from monitoring.performance.queries import indicators_by_objective


@click.group("indicators")
def indicators_group() -> None:
    """Indicator definitions: the catalogue of measures."""


@indicators_group.command("load")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path), default=CATALOGUE)
@with_appcontext
def load_command(path: Path) -> None:
    """Create or update indicators from a catalogue CSV (by default the one packaged with the app)."""
    with acting_as(SYSTEM):
        try:
            created, updated = load_catalogue(path)
        except InvalidInput as error:
            # Nothing is committed, so nothing half-loaded is kept.
            raise click.ClickException("\n".join(error.errors.values())) from error
        db.session.commit()
    click.echo(f"Loaded {path.name}: {created} indicators created, {updated} updated.")


@indicators_group.command("list")
@with_appcontext
def list_command() -> None:
    """List the indicators by objective: code, unit, polarity, frequency and title."""
    groups = indicators_by_objective()
    if not groups:
        click.echo("No indicators yet. Load the catalogue with `flask indicators load`.")
        return
    for objective, members in groups:
        click.echo(objective.name if objective else "No objective")
        for i in members:
            click.echo(f"  {i.code:<10} {i.unit.value:<13} {i.polarity.value:<17} {i.frequency.value:<10} {i.title}")
    click.echo(f"{sum(len(members) for _, members in groups)} indicators.")
