"""Demo data: a council, a trust, their contract and one person per role.

Later areas add their own steps to DEMO_STEPS (meetings, returns, finance…); each step takes the
DemoContext and adds to it, so `flask demo` builds one coherent story.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from monitoring.accounts import operations as accounts
from monitoring.accounts.models import Role, User
from monitoring.contracts import operations as contracts
from monitoring.contracts.models import Contract, GainShare, Organisation, OrganisationKind
from monitoring.extensions import db

DEMO_DOMAIN = "demo.test"

DEMO_PEOPLE = [
    ("commissioner", "Priya Shah", Role.COMMISSIONER, "council"),
    ("trust", "Tom Barker", Role.TRUST_OFFICER, "trust"),
    ("director", "Helen Ward", Role.DIRECTOR, "council"),
    ("scrutiny", "Cllr Margaret Hale", Role.SCRUTINY, "council"),
    ("admin", "Sam Okafor", Role.ADMIN, "council"),
]

# Children aged 0–17 by financial year (ONS-style mid-year estimates for a metropolitan borough).
DEMO_POPULATION = {
    2014: 64_710,
    2015: 64_950,
    2016: 65_230,
    2017: 65_492,
    2018: 65_740,
    2019: 65_980,
    2020: 66_120,
    2021: 66_240,
    2022: 66_310,
    2023: 66_400,
    2024: 66_450,
    2025: 66_500,
    2026: 66_540,
}


@dataclass
class DemoContext:
    password: str
    council: Organisation | None = None
    trust: Organisation | None = None
    contract: Contract | None = None
    users: dict[str, User] = field(default_factory=dict)


def _organisations_and_contract(ctx: DemoContext) -> None:
    ctx.council = contracts.create_organisation("Demo Borough Council", OrganisationKind.COUNCIL)
    ctx.trust = contracts.create_organisation("Demo Children's Services Trust", OrganisationKind.TRUST)
    ctx.contract = contracts.create_contract(
        name="Children's social care services contract",
        council=ctx.council,
        trust=ctx.trust,
        start_date=date(2014, 10, 1),
        council_share=Decimal("70"),
        gain_share=GainShare.RETAINED_BY_TRUST,
        return_deadline_working_days=10,
        notes="Service delivery contract for children's social care, amended as services transferred.",
    )
    for name, transferred, description in [
        (
            "Children's social care",
            date(2014, 10, 1),
            "Front door, assessment, child protection, children in care, care leavers",
        ),
        ("Youth Offending Service", date(2014, 10, 1), "Youth offending team and prevention"),
        ("Family Support", date(2016, 4, 1), "Family support workers and family hubs"),
        ("Children with Disabilities", date(2016, 10, 1), "Social work and short breaks for disabled children"),
        ("Early Help", date(2017, 4, 1), "Early help assessment and coordination"),
    ]:
        contracts.add_service(ctx.contract, name=name, transferred_on=transferred, description=description)
    for year, children in DEMO_POPULATION.items():
        contracts.set_population(
            ctx.contract,
            financial_year=f"{year}/{(year + 1) % 100:02d}",
            children=children,
            source=f"ONS mid-{year - 1} estimate",
        )


def _people(ctx: DemoContext) -> None:
    for local, name, role, side in DEMO_PEOPLE:
        organisation = ctx.council if side == "council" else ctx.trust
        ctx.users[local] = accounts.create_user(
            email=f"{local}@{DEMO_DOMAIN}",
            name=name,
            role=role,
            organisation=organisation,
            password=ctx.password,
            contracts=[] if role is Role.ADMIN else [ctx.contract],
        )


def _governance(ctx: DemoContext) -> None:
    from monitoring.meetings.demo import governance_step

    governance_step(ctx)


def _performance(ctx: DemoContext) -> None:
    from monitoring.performance.demo import performance_step

    performance_step(ctx)


def _finance(ctx: DemoContext) -> None:
    from monitoring.finance.demo import finance_step

    finance_step(ctx)


def _reports(ctx: DemoContext) -> None:
    from monitoring.reports.demo import add_reports

    add_reports(ctx)


DEMO_STEPS: list[Callable[[DemoContext], None]] = [
    _organisations_and_contract,
    _people,
    _governance,
    _performance,
    _finance,
    _reports,
]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count()).select_from(Organisation))


def new_demo_password() -> str:
    return "-".join(secrets.token_urlsafe(6) for _ in range(3))


def load_demo(password: str) -> DemoContext:
    """Run every demo step; the caller commits."""
    ctx = DemoContext(password=password)
    for step in DEMO_STEPS:
        step(ctx)
    db.session.flush()
    return ctx
