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
