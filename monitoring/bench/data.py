"""`flask bench-data`: a large generated data set for `make bench`."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import click
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from monitoring.accounts.models import ApiToken, Role, User, hash_token
from monitoring.audit.models import AuditEvent
from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.contracts import operations as contracts
from monitoring.contracts.models import Membership, OrganisationKind
from monitoring.extensions import db

BENCH_PASSWORD = "bench-password-not-secret"
BENCH_TOKEN = "cmt_bench-token-for-loopback-only"
BENCH_USERS = {
    "commissioner": Role.COMMISSIONER,
    "trust": Role.TRUST_OFFICER,
    "director": Role.DIRECTOR,
    "scrutiny": Role.SCRUTINY,
    "admin": Role.ADMIN,
}

# Later areas append functions (contract, rng) that add their own volume to each contract.
BENCH_STEPS: list = []


def _governance(contract: object, rng: random.Random) -> None:
    from monitoring.meetings.bench import bench_governance

    bench_governance(contract, rng)


def _performance(contract: object, rng: random.Random) -> None:
    from monitoring.performance.bench import bench_performance

    bench_performance(contract, rng)


def _finance(contract: object, rng: random.Random) -> None:
    from monitoring.finance.bench import bench_finance

    bench_finance(contract, rng)


BENCH_STEPS.append(_governance)
BENCH_STEPS.append(_performance)
BENCH_STEPS.append(_finance)


@click.command("bench-data")
@click.option("--contracts", "contract_count", default=20, show_default=True)
@click.option("--people-per-contract", default=15, show_default=True)
@click.option("--audit-events", default=100_000, show_default=True)
def bench_data_command(contract_count: int, people_per_contract: int, audit_events: int) -> None:
    """Fill an empty database with a large data set; bench users are <role>@bench.test."""
    rng = random.Random(20171)  # fixed seed: every run measures the same data
    password_hash = generate_password_hash(BENCH_PASSWORD)
    with acting_as(SYSTEM):
        all_contracts = []
        for n in range(1, contract_count + 1):
            council = contracts.create_organisation(f"Council {n:03d}", OrganisationKind.COUNCIL)
            trust = contracts.create_organisation(f"Trust {n:03d}", OrganisationKind.TRUST)
            contract = contracts.create_contract(
                name=f"Contract {n:03d}", council=council, trust=trust, start_date=date(2014, 4, 1)
            )
            for year in range(2014, 2027):
                contracts.set_population(
                    contract, financial_year=f"{year}/{(year + 1) % 100:02d}", children=rng.randint(20_000, 120_000)
                )
            for p in range(people_per_contract):
                role = rng.choice([Role.COMMISSIONER, Role.TRUST_OFFICER, Role.DIRECTOR, Role.SCRUTINY])
                org = trust if role is Role.TRUST_OFFICER else council
                db.session.add(
                    User(
                        email=f"person{n:03d}-{p:03d}@bench.test",
                        name=f"Person {n}-{p}",
                        role=role,
                        organisation=org,
                        password_hash=password_hash,
                        memberships=[Membership(contract=contract)],
                    )
                )
            for step in BENCH_STEPS:
                step(contract, rng)
            all_contracts.append(contract)
        first = all_contracts[0]
        for local, role in BENCH_USERS.items():
            org = first.trust if role is Role.TRUST_OFFICER else first.council
            db.session.add(
                User(
                    email=f"{local}@bench.test",
                    name=f"Bench {local}",
                    role=role,
                    organisation=org,
                    password_hash=password_hash,
                    memberships=[] if role is Role.ADMIN else [Membership(contract=first)],
                )
            )
        db.session.flush()
        commissioner = db.session.scalar(select(User).where(User.email == "commissioner@bench.test"))
        token = ApiToken(user=commissioner, name="bench", token_hash=hash_token(BENCH_TOKEN), hint=BENCH_TOKEN[:10])
        db.session.add(token)
        db.session.flush()
    start = datetime(2020, 1, 1, tzinfo=UTC)
    contract_ids = [c.id for c in all_contracts]
    rows = []
    for i in range(audit_events):
        contract_id = rng.choice(contract_ids)
        rows.append(
            {
                "at": start + timedelta(minutes=i),
                "action": rng.choice(["create", "update"]),
                "object_type": "Contract",
                "object_id": str(contract_id),
                "contract_id": contract_id,
                "object_label": f"generated {i}",
                "before": None,
                "after": {"n": i},
            }
        )
    for chunk in range(0, len(rows), 5000):
        db.session.execute(AuditEvent.__table__.insert(), rows[chunk : chunk + 5000])
    db.session.commit()
    click.echo(f"bench data: {contract_count} contracts, {audit_events} extra audit events")
