"""Flask commands: demo data, accounts, benchmark data."""

from __future__ import annotations

import os

import click
from flask import Flask
from sqlalchemy import select

from monitoring.accounts import operations as accounts
from monitoring.accounts.models import Role
from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.contracts.models import Contract, Organisation, OrganisationKind
from monitoring.core.errors import InvalidInput
from monitoring.extensions import db


def _fail(error: InvalidInput) -> None:
    """Stop with the problem; nothing is committed, so nothing half-done is kept."""
    raise click.ClickException("; ".join(error.errors.values()))


@click.command("create-user")
@click.option("--email", required=True, help="Their email address; they sign in with it.")
@click.option("--name", required=True, help="Their full name.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="What they do.")
@click.option("--organisation", required=True, help="Name of their council or trust (must exist).")
@click.option("--contract", "contract_names", multiple=True, help="A contract they work on; repeat for several.")
@click.password_option(help="Their initial password (asked for if not given).")
def create_user_command(
    email: str, name: str, role: str, organisation: str, contract_names: tuple[str, ...], password: str
) -> None:
    """Create an account."""
    org = db.session.scalar(select(Organisation).where(Organisation.name == organisation))
    if org is None:
        raise click.ClickException(f"No organisation called {organisation!r}")
    contracts = []
    for contract_name in contract_names:
        contract = db.session.scalar(select(Contract).where(Contract.name == contract_name))
        if contract is None:
            raise click.ClickException(f"No contract called {contract_name!r}")
        contracts.append(contract)
    with acting_as(SYSTEM):
        try:
            user = accounts.create_user(
                email=email, name=name, role=Role(role), organisation=org, password=password, contracts=contracts
            )
        except InvalidInput as error:
            _fail(error)
        db.session.commit()
    click.echo(f"Created {user.email} ({user.role.label})")


@click.command("create-organisation")
@click.argument("name")
@click.option("--kind", required=True, type=click.Choice([k.value for k in OrganisationKind]), help="council or trust")
def create_organisation_command(name: str, kind: str) -> None:
    """Add a council or a trust."""
    from monitoring.contracts import operations as contracts

    with acting_as(SYSTEM):
        try:
            organisation = contracts.create_organisation(name, OrganisationKind(kind))
        except InvalidInput as error:
            _fail(error)
        db.session.commit()
    click.echo(f"Created {organisation.name} ({organisation.kind.label.lower()})")


@click.command("set-password")
@click.argument("email")
@click.password_option(help="The new password (asked for if not given).")
def set_password_command(email: str, password: str) -> None:
    """Set someone's password (ends their sessions)."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}")
    with acting_as(SYSTEM):
        try:
            accounts.set_password(user, password)
        except InvalidInput as error:
            _fail(error)
        db.session.commit()
    click.echo(f"Password changed for {user.email}")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing if the database already has organisations.")
def demo_command(if_empty: bool) -> None:
    """Load the demo council, trust, contract and one user per role."""
    from monitoring.demo import database_is_empty, load_demo, new_demo_password

    if not database_is_empty():
        if if_empty:
            click.echo("The database already has data; demo not loaded.")
            return
        raise click.ClickException("The database already has data; the demo loads into an empty database only.")
    password = os.environ.get("DEMO_PASSWORD") or new_demo_password()
    with acting_as(SYSTEM):
        try:
            ctx = load_demo(password)
        except InvalidInput as error:
            _fail(error)
        db.session.commit()
    click.echo("Demo data loaded. Sign in as any of:")
    for user in ctx.users.values():
        click.echo(f"  {user.email:<26} {user.role.label}")
    if os.environ.get("DEMO_PASSWORD"):
        click.echo("with the password in DEMO_PASSWORD.")
    else:
        click.echo(f"with the password: {password}")
        click.echo("(shown once; set DEMO_PASSWORD to choose it, or use `flask set-password EMAIL`)")


def register(app: Flask) -> None:
    for command in (create_user_command, create_organisation_command, set_password_command, demo_command):
        app.cli.add_command(command)
    from monitoring.bench.data import bench_data_command

    app.cli.add_command(bench_data_command)
    from monitoring.performance.cli import indicators_group
    from monitoring.reports.cli import reports_group
    from monitoring.scheduler import scheduler_command

    app.cli.add_command(scheduler_command)
    app.cli.add_command(reports_group)
    app.cli.add_command(indicators_group)
