"""`make bench` volume for the performance area — a 60-measure basket with five financial years of
monthly KPI returns per contract — and the timing of a 60-measure spreadsheet return's import."""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from monitoring.core.periods import Period
from monitoring.core.timeutil import utcnow
from monitoring.extensions import db
from monitoring.performance.models import Basket, BasketEntry, Indicator, IndicatorYear, KpiValue
from monitoring.performance.rules import Accumulation, Polarity, Unit
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnRevision
from monitoring.returns.rules import ReturnStatus, due_date

MEASURES = 60
FIRST, LAST = Period(2021, 4), Period(2026, 3)  # five financial years, 2021/22 to 2025/26


def _indicators(rng: random.Random) -> list[Indicator]:
    """Sixty measures shared by every bench contract: percentages (half as numerator and denominator), counts, rates."""
    existing = list(db.session.scalars(select(Indicator).where(Indicator.code.like("B%")).order_by(Indicator.code)))
    if existing:
        return existing
    made = []
    for n in range(MEASURES):
        unit = [Unit.PERCENTAGE, Unit.PERCENTAGE, Unit.COUNT, Unit.RATE_PER_10K][n % 4]
        indicator = Indicator(
            code=f"B{n + 1:02d}",
            title=f"Bench measure {n + 1}",
            unit=unit,
            polarity=[Polarity.HIGHER, Polarity.LOWER, Polarity.NONE][n % 3],
            accumulation=Accumulation.SNAPSHOT,
            is_ratio=unit is Unit.PERCENTAGE and n % 8 == 0,
            numerator_label="Counted",
            denominator_label="All",
        )
        for year in range(FIRST.financial_year.start_year, LAST.financial_year.start_year + 1):
            target = Decimal(rng.randint(40, 90))
            indicator.years.append(
                IndicatorYear(
                    financial_year=year, target=target, tolerance=Decimal(5), national=target + 2, neighbours=target - 1
                )
            )
        db.session.add(indicator)
        made.append(indicator)
    db.session.flush()
    return made


def bench_performance(contract: Any, rng: random.Random) -> None:
    indicators = _indicators(rng)
    basket = Basket(contract_id=contract.id, effective_from=date(2014, 4, 1), reason="Bench basket")
    basket.entries = [
        BasketEntry(contract_id=contract.id, indicator=i, position=n, required=True) for n, i in enumerate(indicators)
    ]
    db.session.add(basket)
    month = FIRST
    while month <= LAST:
        monthly = MonthlyReturn(
            contract_id=contract.id,
            kind=ReturnKind.KPI,
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
        for indicator in indicators:
            if rng.random() < 0.03:
                continue  # an honest gap now and then
            figure = Decimal(rng.randint(300, 950)) / 10
            value = KpiValue(contract_id=contract.id, revision=revision, indicator=indicator)
            if indicator.is_ratio:
                value.numerator, value.denominator = Decimal(rng.randint(50, 95)), Decimal(100)
            elif indicator.unit is Unit.COUNT or indicator.unit is Unit.RATE_PER_10K:
                value.value = Decimal(rng.randint(100, 900))
            else:
                value.value = figure
            db.session.add(value)
        month = month.shift(1)
    db.session.flush()


def time_import(runs: int = 5) -> dict:
    """Import a filled-in 60-measure spreadsheet return into a draft, `runs` times (rolled back each time)."""
    from monitoring.contracts.models import Contract
    from monitoring.core.spreadsheets import write_xlsx
    from monitoring.performance import spreadsheet
    from monitoring.performance.operations import save_values
    from monitoring.returns import operations

    contract_id = db.session.scalar(select(Basket.contract_id).order_by(Basket.contract_id).limit(1))
    contract = db.session.get(Contract, contract_id)
    durations = []
    for _ in range(runs):
        monthly = operations.open_return(contract, ReturnKind.KPI, LAST.shift(1), None)
        sheet = spreadsheet.template(monthly, contract)
        rows = [list(r) for r in sheet.rows]
        header = rows[0]
        for row in rows[1:]:
            code = row[0]
            indicator = db.session.scalar(select(Indicator).where(Indicator.code == code))
            if indicator.is_ratio:
                row[header.index("Numerator")], row[header.index("Denominator")] = Decimal(80), Decimal(100)
            else:
                row[header.index("Value")] = Decimal("61.5") if indicator.unit is Unit.PERCENTAGE else Decimal(420)
            row[header.index("Commentary")] = "Explained in the monthly report"
        data = write_xlsx([type(sheet)(name=sheet.name, rows=rows, notes=sheet.notes)])
        started = time.perf_counter()
        inputs = spreadsheet.read_upload(monthly.latest, "return.xlsx", data)
        saved = save_values(monthly.latest, inputs)
        durations.append(time.perf_counter() - started)
        db.session.rollback()
    return {"median_s": statistics.median(durations), "measures": saved, "runs": runs}


def main() -> int:
    from monitoring import create_app

    app = create_app()
    with app.app_context():
        print(json.dumps(time_import()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
