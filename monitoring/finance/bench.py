"""`make bench` volume for the finance area: three financial years of accepted monthly finance returns per
contract, each with a dozen revenue lines, an eight-category care ladder, funding, savings, capital
schemes and the trust's position."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

from monitoring.core.periods import Period
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.finance.models import (
    DEFAULT_CATEGORIES,
    CapitalLine,
    CareLadderLine,
    FundingLine,
    PlacementCategory,
    RevenueLine,
    SavingsLine,
    TrustPosition,
)
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnRevision
from monitoring.returns.rules import ReturnStatus, due_date

FIRST, LAST = Period(2023, 4), Period(2026, 3)  # three financial years, 2023/24 to 2025/26
BENCH_PERIOD = LAST
SERVICE_AREAS = [
    "Children in care placements",
    "Safeguarding and social work",
    "Front door and assessment",
    "Early help and family support",
    "Children with disabilities",
    "Short breaks",
    "Youth offending",
    "Care leavers",
    "Fostering and adoption service",
    "Quality and performance",
    "Workforce development",
    "Management and support",
]
EXTRA_CATEGORIES = ["Parent and child assessments", "Secure accommodation"]


def _pounds(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low, high) * 100) / 100


def bench_finance(contract: Any, rng: random.Random) -> None:
    categories = [
        PlacementCategory(contract_id=contract.id, name=name, position=n)
        for n, name in enumerate(DEFAULT_CATEGORIES + EXTRA_CATEGORIES, start=1)
    ]
    db.session.add_all(categories)
    month = FIRST
    while month <= LAST:
        revision = _accepted_return(contract, month)
        for n, name in enumerate(SERVICE_AREAS, start=1):
            net = _pounds(rng, 100_000_000, 2_000_000_000)
            db.session.add(
                RevenueLine(
                    contract_id=contract.id,
                    revision=revision,
                    position=n,
                    service_area=name,
                    gross_budget=net + _pounds(rng, 0, 50_000_000),
                    net_budget=net,
                    forecast_outturn=net + _pounds(rng, -5_000_000, 15_000_000),
                    explanation="Bench explanation",
                )
            )
        for category in categories:
            volume = Decimal(rng.randint(5, 200))
            db.session.add(
                CareLadderLine(
                    contract_id=contract.id,
                    revision=revision,
                    category=category,
                    contracted_volume=volume,
                    unit_contract_value=_pounds(rng, 500_000, 20_000_000),
                    actual_activity=volume + rng.randint(-5, 10),
                    forecast_activity=volume + Decimal(rng.randint(-10, 20)) / 2,
                    forecast_unit_cost=_pounds(rng, 500_000, 20_000_000),
                    explanation="Bench explanation",
                )
            )
        for n in range(1, 4):
            db.session.add(
                FundingLine(
                    contract_id=contract.id,
                    revision=revision,
                    position=n,
                    description=f"Funding {n}",
                    amount=_pounds(rng, 10_000_000, 150_000_000),
                    agreed_on=month.financial_year.start,
                )
            )
        for n in range(1, 6):
            target = _pounds(rng, 5_000_000, 60_000_000)
            db.session.add(
                SavingsLine(
                    contract_id=contract.id,
                    revision=revision,
                    position=n,
                    description=f"Saving {n}",
                    target=target,
                    forecast_delivery=target - _pounds(rng, 0, 5_000_000),
                )
            )
        for n in range(1, 9):
            budget = _pounds(rng, 10_000_000, 200_000_000)
            db.session.add(
                CapitalLine(
                    contract_id=contract.id,
                    revision=revision,
                    position=n,
                    scheme=f"Capital scheme {n}",
                    revised_budget=budget,
                    forecast=budget - _pounds(rng, 0, 10_000_000),
                    actual_to_date=budget / 2,
                )
            )
        db.session.add(
            TrustPosition(
                contract_id=contract.id,
                revision=revision,
                trust_reserves=_pounds(rng, 0, 30_000_000),
                agency_staff=Decimal(rng.randint(40, 90)),
                agency_cost=_pounds(rng, 100_000_000, 400_000_000),
            )
        )
        month = month.shift(1)
    db.session.flush()


def _accepted_return(contract: Any, month: Period) -> ReturnRevision:
    monthly = MonthlyReturn(
        contract_id=contract.id,
        kind=ReturnKind.FINANCE,
        year=month.year,
        month=month.month,
        due_on=due_date(month, 10),
        first_submitted_at=utcnow(),
    )
    revision = ReturnRevision(
        contract_id=contract.id, number=1, status=ReturnStatus.ACCEPTED, submitted_at=utcnow(), accepted_at=utcnow()
    )
    monthly.revisions.append(revision)
    db.session.add(monthly)
    return revision
