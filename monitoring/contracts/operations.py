"""Writes about organisations and contracts. Each flushes; the request commits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from monitoring.contracts.models import (
    ChildPopulation,
    Contract,
    ContractService,
    GainShare,
    Organisation,
    OrganisationKind,
)
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import format_date
from monitoring.extensions import db

# A finance variance larger than this, either way, must be explained (the contract can set its own).
DEFAULT_THRESHOLD = Decimal("50000.00")


def _name_taken(model: type, name: str, excluding: int | None = None) -> bool:
    query = select(func.count()).select_from(model).where(func.lower(model.name) == name.strip().lower())
    if excluding is not None:
        query = query.where(model.id != excluding)
    return bool(db.session.scalar(query))


def create_organisation(name: str, kind: OrganisationKind) -> Organisation:
    if _name_taken(Organisation, name):
        raise InvalidInput({"name": f"There is already an organisation called {name.strip()}"})
    organisation = Organisation(name=name.strip(), kind=kind)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def update_organisation(organisation: Organisation, name: str, kind: OrganisationKind) -> Organisation:
    if _name_taken(Organisation, name, excluding=organisation.id):
        raise InvalidInput({"name": f"There is already an organisation called {name.strip()}"})
    if kind != organisation.kind:
        in_use = db.session.scalar(
            select(func.count())
            .select_from(Contract)
            .where((Contract.council_id == organisation.id) | (Contract.trust_id == organisation.id))
        )
        if in_use:
            raise InvalidInput({"kind": f"{organisation.name} is a party to a contract, so its type cannot change"})
    organisation.name = name.strip()
    organisation.kind = kind
    db.session.flush()
    return organisation


def _check_terms(
    name: str, council_share: Decimal, deadline: int, contract: Contract | None, threshold: Decimal = Decimal(0)
) -> None:
    if _name_taken(Contract, name, excluding=contract.id if contract else None):
        raise InvalidInput({"name": f"There is already a contract called {name.strip()}"})
    if not Decimal(0) <= council_share <= Decimal(100):
        raise InvalidInput({"council_share": "The council's share must be between 0 and 100 percent"})
    if not 0 <= deadline <= 60:
        raise InvalidInput(
            {"return_deadline_working_days": "Returns must be due between 0 and 60 working days after the month"}
        )
    if threshold < 0 or threshold != threshold.quantize(Decimal("0.01")):
        raise InvalidInput(
            {"finance_explanation_threshold": "The explanation threshold must be an amount in pounds, 0 or more"}
        )


def create_contract(
    *,
    name: str,
    council: Organisation | None,
    trust: Organisation | None,
    start_date: date,
    council_share: Decimal = Decimal("70"),
    gain_share: GainShare = GainShare.RETAINED_BY_TRUST,
    return_deadline_working_days: int = 10,
    notes: str = "",
    finance_explanation_threshold: Decimal = DEFAULT_THRESHOLD,
) -> Contract:
    if council is None or not council.is_council:
        raise InvalidInput({"council_id": "Select a council: the commissioner must be a council"})
    if trust is None or not trust.is_trust:
        raise InvalidInput({"trust_id": "Select a trust: the provider must be a trust"})
    _check_terms(name, council_share, return_deadline_working_days, None, finance_explanation_threshold)
    contract = Contract(
        name=name.strip(),
        council=council,
        trust=trust,
        start_date=start_date,
        council_share=council_share,
        gain_share=gain_share,
        return_deadline_working_days=return_deadline_working_days,
        notes=notes or "",
        finance_explanation_threshold=finance_explanation_threshold,
    )
    db.session.add(contract)
    db.session.flush()
    return contract


def update_terms(
    contract: Contract,
    *,
    name: str,
    start_date: date,
    council_share: Decimal,
    gain_share: GainShare,
    return_deadline_working_days: int,
    notes: str = "",
    finance_explanation_threshold: Decimal | None = None,
) -> Contract:
    threshold = finance_explanation_threshold
    if threshold is None:
        threshold = contract.finance_explanation_threshold
    _check_terms(name, council_share, return_deadline_working_days, contract, threshold)
    earliest_service = min((s.transferred_on for s in contract.services), default=None)
    if earliest_service is not None and start_date > earliest_service:
        first = format_date(earliest_service)
        raise InvalidInput({"start_date": f"The start date must be on or before the first service transfer, {first}"})
    contract.name = name.strip()
    contract.start_date = start_date
    contract.council_share = council_share
    contract.gain_share = gain_share
    contract.return_deadline_working_days = return_deadline_working_days
    contract.finance_explanation_threshold = threshold
    contract.notes = notes or ""
    db.session.flush()
    return contract


def _check_service(contract: Contract, name: str, transferred_on: date, service: ContractService | None) -> None:
    clash = db.session.scalar(
        select(func.count())
        .select_from(ContractService)
        .where(
            ContractService.contract_id == contract.id,
            func.lower(ContractService.name) == name.strip().lower(),
            ContractService.id != (service.id if service else -1),
        )
    )
    if clash:
        raise InvalidInput({"name": f"{name.strip()} is already in the contract's scope"})
    if transferred_on < contract.start_date:
        start = format_date(contract.start_date)
        raise InvalidInput({"transferred_on": f"The transfer date must be on or after the contract's start, {start}"})


def add_service(contract: Contract, *, name: str, transferred_on: date, description: str = "") -> ContractService:
    _check_service(contract, name, transferred_on, None)
    service = ContractService(name=name.strip(), transferred_on=transferred_on, description=description or "")
    contract.services.append(service)
    db.session.flush()
    return service


def update_service(
    service: ContractService, *, name: str, transferred_on: date, description: str = ""
) -> ContractService:
    _check_service(service.contract, name, transferred_on, service)
    service.name = name.strip()
    service.transferred_on = transferred_on
    service.description = description or ""
    db.session.flush()
    return service


def remove_service(service: ContractService) -> None:
    db.session.delete(service)
    db.session.flush()


def set_population(contract: Contract, *, financial_year: str, children: int, source: str = "") -> ChildPopulation:
    """Record the 0–17 population for a financial year, replacing any earlier figure for that year."""
    try:
        year = FinancialYear.parse(financial_year)
    except ValueError as error:
        raise InvalidInput({"financial_year": "Enter the financial year in the form 2017/18"}) from error
    if children <= 0:
        raise InvalidInput({"children": "The number of children must be more than 0"})
    existing = next((p for p in contract.populations if p.financial_year == year.start_year), None)
    if existing is None:
        existing = ChildPopulation(financial_year=year.start_year, children=children, source=source or "")
        contract.populations.append(existing)
    else:
        existing.children = children
        existing.source = source or ""
    db.session.flush()
    return existing


def remove_population(population: ChildPopulation) -> None:
    db.session.delete(population)
    db.session.flush()
