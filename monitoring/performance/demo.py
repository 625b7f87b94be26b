"""Demo data for performance: the 60-measure catalogue, local targets and comparators, the demo
contract's KPI basket (revised at an annual review), and five years of monthly returns up to last
month — with a case-management system change that left honest gaps, some late returns, a queried
value, a corrected return, last month's return awaiting an answer and this month's draft — plus the
case-file audits of the last year.

Figures are generated from a fixed seed around England's published figures (the catalogue's), so
every demo tells the same story; the seed report's measures land where the report put them:
custody rates Red, reviews of looked-after children Amber, re-referrals above every comparator.
Dates are relative to today, like the governance cycle's.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import london_moment, london_today
from monitoring.core.workdays import add_working_days, is_working_day
from monitoring.extensions import db
from monitoring.performance import audits
from monitoring.performance.catalogue import CATALOGUE, load_catalogue
from monitoring.performance.models import AuditKind, Indicator, IndicatorYear
from monitoring.performance.operations import ValueInput, new_basket, save_values
from monitoring.performance.rules import Polarity, Rag, Unit, accumulates, rag
from monitoring.returns import operations
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.reviews.models import Grade

YEARS = 5
# A case-management system change: these measures could not be reported for three months.
SYSTEM_CHANGE = {"FD02", "FD06", "AS02", "CP09", "CLA08", "CLA11", "CL05", "WF07", "EH01", "EH02"}
# Measures added to the basket at the annual review two years ago.
ADDED_AT_REVIEW = {"CP09", "CLA06", "CLA11", "EH01", "EH02"}
# The seed report's measures: (level this year, target, tolerance, national, statistical neighbours).
SEED = {
    "YJ03": (Decimal("11.3"), Decimal("6.8"), Decimal(1), Decimal("6.2"), Decimal("7.4")),
    "CLA07": (Decimal("77.4"), Decimal(80), Decimal(5), Decimal("90.1"), Decimal("88.0")),
    "FD05": (Decimal("27.1"), Decimal(22), Decimal(2), Decimal("22.4"), Decimal("24.0")),
    "CLA01": (Decimal("82.3"), None, None, Decimal(60), Decimal(76)),
    "CP03": (Decimal("66.0"), None, None, Decimal(38), Decimal(48)),
    "QA01": (Decimal(80), Decimal(80), Decimal(5), None, None),  # from the case-file audits
}
DEFAULT_LEVEL = {Unit.PERCENTAGE: 75, Unit.RATE_PER_10K: 60, Unit.COUNT: 400, Unit.DAYS: 120, Unit.MONEY: 1200}
# A borough's own counts (a year's worth for year-to-date counts): England's totals say nothing about them.
LOCAL_COUNTS = {
    "FD01": 14_000,
    "FD03": 4_200,
    "CIN02": 2_200,
    "CLA02": 545,
    "CLA03": 260,
    "ADP02": 45,
    "ADP05": 35,
    "EH01": 3_000,
    "WF04": 17,
}
# Other figures with no England figure to start from.
LOCAL_LEVELS = {"WF06": 9, "ADP03": 480, "ADP04": 190}
COMMENTARY = [
    "Below target: the service manager is reviewing every case with the team managers weekly.",
    "Demand at the front door stayed high; additional social work capacity is in place from next month.",
    "Figure reflects a small cohort; each case has been checked and the plan is in the improvement board's log.",
]


def _quantize(value: Decimal, unit: Unit) -> Decimal:
    step = Decimal("0.01") if unit is Unit.MONEY else Decimal(1) if unit is Unit.COUNT else Decimal("0.1")
    return value.quantize(step, rounding=ROUND_HALF_UP)


class Story:
    """The fixed-seed figures of each measure, month by month."""

    def __init__(self, indicators: list[Indicator], first: Period, rng: random.Random, gap: Period) -> None:
        self.rng = rng
        self.first = first
        self.gap_months = {gap.shift(n) for n in range(3)}
        self.level: dict[str, Decimal] = {}
        for indicator in indicators:
            latest = next((y.national for y in reversed(indicator.years) if y.national is not None), None)
            base = Decimal(latest) if latest is not None else Decimal(DEFAULT_LEVEL[indicator.unit])
            if indicator.unit is Unit.COUNT:
                base = Decimal(LOCAL_COUNTS.get(indicator.code, DEFAULT_LEVEL[Unit.COUNT]))
            elif latest is None and indicator.code in LOCAL_LEVELS:
                base = Decimal(LOCAL_LEVELS[indicator.code])
            if indicator.code in SEED:
                base = SEED[indicator.code][0]
            self.level[indicator.code] = base

    def figure(self, indicator: Indicator, period: Period, population: int) -> ValueInput:
        """A month's figures for a measure, wandering a little around its level."""
        level = self.level[indicator.code]
        wobble = Decimal(self.rng.randint(-40, 40)) / 1000  # up to 4% either way
        drift = Decimal((period.year * 12 + period.month) - (self.first.year * 12 + self.first.month)) / 2000
        value = level * (1 + wobble - (drift if indicator.code not in SEED else 0))
        if indicator.unit is Unit.PERCENTAGE:
            value = min(max(value, Decimal(1)), Decimal(99))
        if accumulates(indicator.accumulation, indicator.unit):
            value = value / 12 * period.month_of_year  # a year-to-date figure grows through the year
        given = ValueInput(code=indicator.code)
        if indicator.is_ratio:
            denominator = Decimal(self.rng.randint(60, 400))
            given.denominator = denominator
            given.numerator = (value * denominator / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        elif indicator.unit is Unit.RATE_PER_10K:
            given.value = (value * population / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        else:
            given.value = _quantize(value, indicator.unit)
        return given


def _targets(indicators: list[Indicator], years: list[FinancialYear]) -> None:
    """Local targets and tolerances, and illustrative comparators, for the demo's years."""
    for indicator in indicators:
        known = {y.financial_year: y for y in indicator.years}
        latest = next((y.national for y in reversed(indicator.years) if y.national is not None), None)
        for year in years:
            row = known.get(year.start_year)
            if row is None:
                row = IndicatorYear(financial_year=year.start_year)
                indicator.years.append(row)
            if indicator.code in SEED:
                _, target, tolerance, national, neighbours = SEED[indicator.code]
            else:
                national = Decimal(latest) if latest is not None else None
                neighbours = _quantize(national * Decimal("1.03"), indicator.unit) if national is not None else None
                target, tolerance = None, None
                if indicator.polarity is not Polarity.NONE and national is not None:
                    better = Decimal("1.02") if indicator.polarity is Polarity.HIGHER else Decimal("0.98")
                    target = _quantize(national * better, indicator.unit)
                    if indicator.unit is Unit.PERCENTAGE:
                        target = min(target, Decimal(100))
                        tolerance = Decimal(5)
                    else:
                        tolerance = _quantize(target / 10, indicator.unit)
            row.target, row.tolerance = target, tolerance
            if row.national is None:
                row.national = national
            row.neighbours = neighbours
    db.session.flush()


def _submitted_on(monthly: MonthlyReturn, rng: random.Random, late: bool) -> datetime:
    due = monthly.due_on
    if late:
        day = add_working_days(due, rng.randint(1, 5))
    else:
        day = due - timedelta(days=rng.randint(0, 4))
        while not is_working_day(day):
            day -= timedelta(days=1)
    return london_moment(day, time(16, 30))


def _month(
    ctx: Any, story: Story, period: Period, entries: list, today: date, *, late: bool, status: str
) -> MonthlyReturn:
    contract, trust, council = ctx.contract, ctx.users.get("trust"), ctx.users.get("commissioner")
    monthly = operations.open_return(contract, ReturnKind.KPI, period, trust, today=today)
    population = contract.population_for(period.financial_year)
    inputs = []
    for entry in entries:
        indicator = entry.indicator
        if indicator.from_case_audits or not indicator.due_in(period):
            continue
        if indicator.code in SYSTEM_CHANGE and period in story.gap_months:
            continue
        given = story.figure(indicator, period, population)
        year = indicator.year(period.financial_year)
        figure = given.value
        if indicator.is_ratio:
            figure = given.numerator * 100 / given.denominator
        elif indicator.unit is Unit.RATE_PER_10K:
            figure = given.value * 10_000 / population
        if year and rag(figure, year.target, year.tolerance, indicator.polarity) is Rag.RED:
            given.commentary = story.rng.choice(COMMENTARY)
        inputs.append(given)
    save_values(monthly.latest, inputs)
    if status == "draft":
        return monthly
    submitted = _submitted_on(monthly, story.rng, late)
    operations.submit(monthly.latest, trust, today=submitted.date())
    monthly.first_submitted_at = monthly.latest.submitted_at = submitted
    if status == "accepted":
        operations.accept(monthly.latest, council)
        monthly.latest.accepted_at = submitted + timedelta(days=story.rng.randint(2, 6))
    return monthly


def _audit(ctx: Any, period: Period, rng: random.Random, inadequate: int, good: int, today: date) -> None:
    """A monthly sample of 50 cases: `good` graded Good or better, `inadequate` Inadequate."""
    completed = min(period.end - timedelta(days=rng.randint(1, 6)), today)
    audit = audits.record_audit(
        ctx.contract,
        period=period,
        kind=AuditKind.MONTHLY_SAMPLE,
        theme="",
        completed_on=completed,
        user=ctx.users.get("trust"),
        today=today,
    )
    grades = [Grade.OUTSTANDING] * 4 + [Grade.GOOD] * (good - 4)
    grades += [Grade.REQUIRES_IMPROVEMENT] * (50 - good - inadequate)
    grades += [Grade.INADEQUATE] * inadequate
    rng.shuffle(grades)
    for n, grade in enumerate(grades, start=1):
        case = audits.add_case(
            audit,
            reference=f"{period.label}-{n:02d}",
            grade=grade,
            head_of_service="Head of Service, Children in Care" if grade is Grade.INADEQUATE else "",
            user=ctx.users.get("trust"),
        )
        if case.reaudit_due and case.reaudit_due < today - timedelta(days=20):
            audits.record_reaudit(
                case, reaudited_on=case.reaudit_due - timedelta(days=10), grade=Grade.GOOD, today=today
            )


def load_performance(ctx: Any, today: date | None = None) -> None:
    today = today or london_today()
    rng = random.Random(2017)  # noqa: S311  (demo figures, not secrets)
    load_catalogue(CATALOGUE)
    indicators = list(db.session.scalars(db.select(Indicator).order_by(Indicator.code)))
    current = FinancialYear.containing(today)
    years = [FinancialYear(current.start_year - n) for n in range(YEARS, -1, -1)]
    _targets(indicators, years)
    first = years[1].months[0]  # five whole years before this one
    last = Period.containing(today).shift(-1)
    review = years[-3].months[0]
    kept = [i for i in indicators if i.code not in ADDED_AT_REVIEW]
    # The measures the new case-management system could not report for a while are optional.
    required = {i.id for i in indicators if i.code not in SYSTEM_CHANGE}
    original = new_basket(
        ctx.contract,
        effective_from=first,
        indicators=kept,
        required=required,
        reason="The KPI basket agreed when the contract was varied",
        user=ctx.users.get("commissioner"),
    )
    revised = new_basket(
        ctx.contract,
        effective_from=review,
        indicators=indicators,
        required=required,
        reason=f"Revised at the Annual Contract Review {years[-4].label}: measures added for early "
        "help and placements far from home",
        user=ctx.users.get("commissioner"),
    )
    # January, three years ago: the new case-management system went live.
    story = Story(indicators, first, rng, gap=years[2].months[9])
    late = set(rng.sample(range(60), 7))
    audited_from = last.shift(-11)
    month, index = first, 0
    while month <= last:
        entries = (revised if month >= review else original).entries
        if month >= audited_from:
            # "Improving signs": more cases good or better, and fewer Inadequate, as the year goes on.
            months_in = (month.year - audited_from.year) * 12 + month.month - audited_from.month
            _audit(ctx, month, rng, inadequate=3 if months_in < 6 else 1, good=36 + months_in // 2, today=today)
        status = "draft" if month == last else "submitted" if month >= last.shift(-2) else "accepted"
        _month(ctx, story, month, entries, today, late=index in late, status=status)
        month, index = month.shift(1), index + 1
    _questions(ctx, last, today)


def _questions(ctx: Any, last: Period, today: date) -> None:
    """A value queried, answered and then accepted two months ago; another query on last month's return
    still waiting for the trust's answer; and a correction to an accepted return from earlier in the year."""
    trust, council = ctx.users.get("trust"), ctx.users.get("commissioner")
    answered = operations.find_return(ctx.contract.id, ReturnKind.KPI, last.shift(-2))
    query = operations.raise_query(
        answered.latest,
        subject_key="FD05",
        user=council,
        question="Re-referrals are above every comparator. How many came back within three months of closure?",
    )
    operations.answer_query(
        query,
        user=trust,
        answer="Forty-one of the re-referrals came within three months, most after early help closed. The Early "
        "Help Strategy group's deep dive into step-up and step-down is looking at these cases.",
    )
    operations.resubmit(answered.latest, trust)
    operations.accept(answered.latest, council)
    waiting = operations.find_return(ctx.contract.id, ReturnKind.KPI, last.shift(-1))
    operations.raise_query(
        waiting.latest,
        subject_key="CLA07",
        user=council,
        question="Reviews within timescale fell again. How many were late because no reviewing officer was "
        "available, and what cover is in place?",
    )
    corrected = operations.find_return(ctx.contract.id, ReturnKind.KPI, last.shift(-5))
    correction = operations.start_correction(
        corrected,
        user=trust,
        reason="FD05 counted twice the re-referrals from records merged after the case-management system change",
    )
    _reduce_re_referrals(correction)
    operations.submit(correction, trust, today=today)
    operations.accept(correction, council)


def _reduce_re_referrals(correction: Any) -> None:
    from monitoring.performance.returns import values_of

    for value in values_of(correction).values():
        if value.indicator.code == "FD05" and value.numerator:
            value.numerator = max(value.numerator - 3, Decimal(0))
    db.session.flush()


def performance_step(ctx: Any) -> None:
    """The DEMO_STEPS entry."""
    load_performance(ctx)
