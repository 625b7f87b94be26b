"""Factory helpers with sensible defaults: `create_contract()`, `create_user(Role.DIRECTOR, contract)`…

They write through the test's session and flush, so each test's data is rolled back with it.
"""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from functools import lru_cache

from werkzeug.security import generate_password_hash

from monitoring.accounts.models import ApiToken, Membership, Role, User
from monitoring.contracts.models import ChildPopulation, Contract, ContractService, Organisation, OrganisationKind
from monitoring.extensions import db

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


@lru_cache(maxsize=1)
def password_hash() -> str:
    """Hashing is deliberately slow; hash the shared test password once."""
    return generate_password_hash(PASSWORD)


def create_organisation(kind: OrganisationKind = OrganisationKind.COUNCIL, name: str | None = None) -> Organisation:
    n = next(_sequence)
    organisation = Organisation(name=name or f"{kind.label} {n}", kind=kind)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def create_contract(
    council: Organisation | None = None,
    trust: Organisation | None = None,
    *,
    name: str | None = None,
    start_date: date = date(2014, 10, 1),
    council_share: Decimal = Decimal("70"),
    with_scope: bool = False,
) -> Contract:
    council = council or create_organisation(OrganisationKind.COUNCIL)
    trust = trust or create_organisation(OrganisationKind.TRUST)
    contract = Contract(
        name=name or f"Contract {next(_sequence)}",
        council=council,
        trust=trust,
        start_date=start_date,
        council_share=council_share,
    )
    db.session.add(contract)
    if with_scope:
        contract.services.append(ContractService(name="Children's social care", transferred_on=start_date))
        contract.populations.append(ChildPopulation(financial_year=2017, children=65_492))
    db.session.flush()
    return contract


def create_user(
    role: Role = Role.COMMISSIONER,
    contract: Contract | None = None,
    *,
    organisation: Organisation | None = None,
    email: str | None = None,
    name: str | None = None,
    active: bool = True,
) -> User:
    """A user of `role`, in the contract's council or trust as the role needs, and a member of it."""
    if organisation is None:
        if contract is not None:
            organisation = contract.trust if role is Role.TRUST_OFFICER else contract.council
        else:
            kind = OrganisationKind.TRUST if role is Role.TRUST_OFFICER else OrganisationKind.COUNCIL
            organisation = create_organisation(kind)
    n = next(_sequence)
    user = User(
        email=email or f"{role.value}{n}@example.test",
        name=name or f"{role.label} {n}",
        role=role,
        organisation=organisation,
        password_hash=password_hash(),
        active=active,
    )
    if contract is not None and role is not Role.ADMIN:
        user.memberships.append(Membership(contract=contract))
    db.session.add(user)
    db.session.flush()
    return user


def create_token(user: User, name: str = "export") -> tuple[ApiToken, str]:
    token, secret = ApiToken.generate(user, name)
    db.session.add(token)
    db.session.flush()
    return token, secret


# --- Reports ------------------------------------------------------------------------------------


def create_summary(contract: Contract, *, year: int = 2017, quarter: int = 2, author: User | None = None,
                   narrative=None):
    """A draft quarterly summary of `contract` (Q2 2017/18 unless told otherwise)."""
    from monitoring.reports.models import Summary
    from monitoring.reports.periods import PeriodKind

    summary = Summary(
        contract=contract,
        period_kind=PeriodKind.QUARTER,
        financial_year=year,
        period_number=quarter,
        created_by_id=author.id if author else None,
        narrative=narrative if narrative is not None else {"executive_summary": "A quarter of steady progress."},
    )
    db.session.add(summary)
    db.session.flush()
    return summary


def publish_summary(summary, commissioner: User, director: User):
    """Send `summary` for approval and approve it, as the commissioner and director would."""
    from monitoring.reports import operations

    operations.submit_for_approval(summary, commissioner)
    return operations.approve(summary, director)


def create_schedule(contract: Contract, kind=None, *, owner: User | None = None, audience=None, **values):
    from datetime import time

    from monitoring.reports.models import DeliverySchedule, ScheduleKind

    kind = kind or ScheduleKind.QUARTERLY_SUMMARY
    schedule = DeliverySchedule(
        contract=contract,
        kind=kind,
        owner_id=owner.id if owner else None,
        audience=audience if audience is not None else ["director"],
        working_days=values.pop("working_days", 5),
        weekday=values.pop("weekday", 0 if kind is ScheduleKind.WEEKLY_DIGEST else None),
        send_time=values.pop("send_time", time(7, 0)),
        starts_on=values.pop("starts_on", date(2017, 4, 1)),
        active=values.pop("active", True),
    )
    db.session.add(schedule)
    db.session.flush()
    return schedule


def create_delivery(schedule, recipient: User, *, period_key: str = "2017/18 Q2", **values):
    from datetime import UTC, datetime

    from monitoring.reports.models import Delivery, DeliveryPurpose, DeliveryStatus

    due = values.pop("due_at", datetime(2017, 10, 6, 6, 0, tzinfo=UTC))
    delivery = Delivery(
        schedule=schedule,
        contract_id=schedule.contract_id,
        period_key=period_key,
        recipient=recipient,
        purpose=values.pop("purpose", DeliveryPurpose.SCHEDULED),
        status=values.pop("status", DeliveryStatus.FAILED),
        subject=values.pop("subject", "Quarter 2 2017/18 summary"),
        due_at=due,
        next_attempt_at=due,
        **values,
    )
    db.session.add(delivery)
    db.session.flush()
    return delivery
