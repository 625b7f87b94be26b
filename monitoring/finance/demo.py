"""Demo finance returns: every month of the previous financial year and of this one up to the last
complete month, through the real workflow. Most are accepted, the latest is submitted, the one before
it queried, and one earlier month corrected after acceptance.

Quarter 2 of the latest year whose September is over looks like the seed's Q2 2017/18: a forecast
overspend of £1.63m, £0.23m lower than quarter 1's £1.86m, with out-of-authority residential forecast
at 31 placements against 21 in the contract (31 at the quarter's end) at an average cost below the
unit contract value, and trust reserves of £70k, so a shortfall of £419k falls to the council.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import london_moment, london_today
from monitoring.finance.operations import (
    CapitalInput,
    CareLadderInput,
    FinanceFigures,
    FundingInput,
    PositionInput,
    RevenueInput,
    SavingsInput,
    save_return,
)
from monitoring.returns import operations as workflow
from monitoring.returns.models import MonthlyReturn, ReturnKind

K = Decimal(1000)

# (service area, gross budget, net budget, the variance in £k for months 1–12 of the seed year,
#  and of the other year, or None for the placements line, which takes the rest of the overspend).
OTHER_LINES = [
    (
        "Safeguarding and social work",
        12_400,
        11_900,
        [300, 290, 280, 275, 268, 260, 255, 250, 245, 240, 235, 230],
        [120, 125, 130, 135, 140, 145, 150, 150, 150, 150, 150, 150],
        "Agency social workers covering vacant posts",
    ),
    (
        "Early help and family support",
        6_200,
        5_300,
        [-70, -75, -80, -84, -87, -90, -92, -95, -98, -100, -100, -100],
        [-40, -45, -50, -55, -60, -60, -60, -60, -60, -60, -60, -60],
        "Vacancies held while the service is redesigned",
    ),
    ("Children with disabilities", 4_100, 3_700, [40] * 12, [20] * 12, ""),
    ("Youth offending", 2_600, 1_900, [-30] * 12, [-20] * 12, ""),
    ("Management and support", 3_900, 3_600, [-30] * 12, [-25] * 12, ""),
]
PLACEMENTS = ("Children in care placements", 24_500, 23_800)
# The forecast overspend (£k) in each month of the seed year and of the other year.
SEED_OVERSPEND = [1_520, 1_710, 1_860, 1_800, 1_720, 1_630, 1_580, 1_490, 1_410, 1_300, 1_220, 1_150]
OTHER_OVERSPEND = [550, 620, 700, 740, 800, 850, 880, 920, 950, 970, 930, 900]

# Care ladder: (category, contracted volume, unit contract value, explanation when over the threshold).
LADDER = [
    ("Out of authority residential", 21, 180_000, "More children placed out of authority than the contract allows for"),
    ("Independent fostering agency", 95, 42_000, "Fewer placements than contracted, at a lower average cost"),
    ("In-house fostering", 180, 21_000, "Fewer in-house carers approved than planned"),
    ("18+ (staying put and supported lodgings)", 40, 14_000, "Young people staying put for longer"),
    ("Care leavers' transition accommodation", 18, 26_000, "Care leavers waiting longer for their own tenancies"),
    ("Adoption and special guardianship allowances", 210, 6_500, ""),
]
# Out of authority in the seed year: actual at each month's end, forecast average and average cost.
SEED_OOA_ACTUAL = [27, 29, 30, 31, 31, 31, 30, 30, 29, 29, 28, 28]
SEED_OOA_FORECAST = ["28", "29.5", "30.5", "31", "31", "31", "31", "30.5", "30.5", "30", "30", "29.5"]
SEED_OOA_COST = [
    172_000,
    171_500,
    171_000,
    170_500,
    170_000,
    170_000,
    169_500,
    169_500,
    169_000,
    169_000,
    168_500,
    168_500,
]
# The other categories' (actual, forecast average, average cost) in the seed year; the other year is
# a little under contract everywhere except out of authority.
SEED_LADDER = {
    "Independent fostering agency": (93, "94", 41_500),
    "In-house fostering": (176, "178", 20_800),
    "18+ (staying put and supported lodgings)": (46, "47", 14_200),
    "Care leavers' transition accommodation": (21, "22", 25_500),
    "Adoption and special guardianship allowances": (213, "214", 6_450),
}
SEED_AGENCY = [92, 90, 89, 88, 88, 87, 84, 80, 78, 76, 75, 73]

CARE_LADDER_FUNDING = "Additional care ladder funding agreed at the annual review"


def _pounds(thousands: int | Decimal) -> Decimal:
    return (Decimal(thousands) * K).quantize(Decimal("0.01"))


def _revenue(m: int, seed: bool) -> list[RevenueInput]:
    lines, others = [], Decimal(0)
    for name, gross, net, seed_k, other_k, why in OTHER_LINES:
        change = Decimal((seed_k if seed else other_k)[m - 1])
        others += change
        explanation = why if abs(change) > 50 else ""
        lines.append(
            RevenueInput(
                service_area=name,
                gross_budget=_pounds(gross),
                net_budget=_pounds(net),
                forecast_outturn=_pounds(net + change),
                explanation=explanation,
            )
        )
    total = Decimal((SEED_OVERSPEND if seed else OTHER_OVERSPEND)[m - 1])
    name, gross, net = PLACEMENTS
    placements = RevenueInput(
        service_area=name,
        gross_budget=_pounds(gross),
        net_budget=_pounds(net),
        forecast_outturn=_pounds(net + total - others),
        explanation="More children in care than budgeted, mainly out-of-authority placements, 18+ and transition "
        "accommodation. Actions: supported accommodation for care leavers with St Leger Homes; a satellite home.",
    )
    return [placements, *lines]


def _care_ladder(m: int, seed: bool) -> list[CareLadderInput]:
    lines = []
    for name, volume, value, why in LADDER:
        if name == "Out of authority residential":
            if seed:
                actual, forecast, cost = SEED_OOA_ACTUAL[m - 1], SEED_OOA_FORECAST[m - 1], SEED_OOA_COST[m - 1]
            else:
                actual, forecast, cost = 25, "25", 175_000
        elif seed:
            actual, forecast, cost = SEED_LADDER[name]
        else:
            actual, forecast, cost = volume - 1, str(volume - 1), value
        lines.append(
            CareLadderInput(
                category=name,
                contracted_volume=Decimal(volume),
                unit_contract_value=_pounds(Decimal(value) / K),
                actual_activity=Decimal(actual),
                forecast_activity=Decimal(forecast),
                forecast_unit_cost=_pounds(Decimal(cost) / K),
                explanation=why,
            )
        )
    return lines


def _funding(year: FinancialYear, m: int, seed: bool) -> list[FundingInput]:
    if not seed:
        return [
            FundingInput(
                description="Contingency for placement activity",
                amount=_pounds(500),
                agreed_on=date(year.start_year, 7, 12),
                purpose="Placements over the contracted volume",
            )
        ]
    lines = [
        FundingInput(
            description=CARE_LADDER_FUNDING,
            amount=_pounds(1_100),
            agreed_on=year.start,
            purpose="To fund increased activity on the care ladder, from the modelling submitted at the annual review",
        )
    ]
    if m >= 7:
        lines.append(
            FundingInput(
                description="Getting to good: supplementary resources, year 1 of 3",
                amount=_pounds(800),
                agreed_on=date(year.start_year, 10, 16),
                purpose="Part of £2.39m over three years: Growing Futures, Pause and Mockingbird",
            )
        )
    return lines


def _savings(m: int, seed: bool) -> list[SavingsInput]:
    agency = 480 - 6 * m if seed else 300
    return [
        SavingsInput(
            description="Reduce agency social workers",
            target=_pounds(600),
            forecast_delivery=_pounds(agency),
            explanation="Recruitment of permanent social workers is slower than planned",
        ),
        SavingsInput(
            description="Satellite children's home instead of out-of-authority placements",
            target=_pounds(350),
            forecast_delivery=_pounds(150 if seed else 350),
        ),
        SavingsInput(description="Business support restructure", target=_pounds(250), forecast_delivery=_pounds(250)),
    ]


def _capital(m: int, seed: bool) -> list[CapitalInput]:
    carr = 1_400 if m <= 3 or not seed else 1_250
    lines = [
        CapitalInput(
            scheme="Carr House Centre improvements",
            revised_budget=_pounds(1_400),
            forecast=_pounds(carr),
            actual_to_date=_pounds(60 * m),
        ),
        CapitalInput(
            scheme="Integrated children's information system",
            revised_budget=_pounds(500),
            forecast=_pounds(500),
            actual_to_date=_pounds(30 * m),
        ),
        CapitalInput(
            scheme="One Team Working accommodation",
            revised_budget=_pounds(500),
            forecast=_pounds(480 if m >= 6 else 500),
            actual_to_date=_pounds(25 * m),
        ),
    ]
    if seed and m >= 4:
        lines.append(
            CapitalInput(
                scheme="Satellite children's home",
                revised_budget=_pounds(650),
                forecast=_pounds(650),
                actual_to_date=_pounds(40 * (m - 3)),
            )
        )
    return lines


def figures_for(period: Period, seed: bool) -> FinanceFigures:
    m = period.month_of_year
    agency = SEED_AGENCY[m - 1] if seed else 70
    return FinanceFigures(
        revenue=_revenue(m, seed),
        care_ladder=_care_ladder(m, seed),
        funding=_funding(period.financial_year, m, seed),
        savings=_savings(m, seed),
        capital=_capital(m, seed),
        position=PositionInput(
            trust_reserves=_pounds(70 if seed else 150),
            agency_staff=Decimal(agency),
            agency_cost=_pounds(3_400 + 10 * (88 - agency)) if seed else _pounds(2_900),
            commentary="The main pressure is the number of children looked after, on the care ladder." if seed else "",
        ),
    )


def demo_months(today: date) -> tuple[list[Period], FinancialYear]:
    """The months to return (the previous year and this one up to last month) and the seed-like year."""
    last = Period.containing(today).shift(-1)
    current = FinancialYear.containing(today)
    months = [m for m in FinancialYear(current.start_year - 1).months + current.months if m <= last]
    seed = current if last >= Period(current.start_year, 9) else FinancialYear(current.start_year - 1)
    return months, seed


def _moment(day: date, hour: int = 11) -> datetime:
    return london_moment(day, time(hour))


def _date_it(monthly: MonthlyReturn, submitted: date, accepted: date | None) -> None:
    """Give the workflow's steps the dates they would have had (the demo is built in one go)."""
    revision = monthly.latest
    monthly.first_submitted_at = revision.submitted_at = _moment(submitted)
    if accepted is not None:
        revision.accepted_at = _moment(accepted, 15)


def load_finance(ctx: Any, today: date | None = None) -> None:
    today = today or london_today()
    contract, trust, council = ctx.contract, ctx.users["trust"], ctx.users["commissioner"]
    months, seed_year = demo_months(today)
    corrected = Period(months[0].year, 11)  # November of the earlier year is corrected after acceptance
    for index, month in enumerate(months):
        seed = month.financial_year == seed_year
        monthly = workflow.open_return(contract, ReturnKind.FINANCE, month, trust, today=today)
        save_return(monthly.latest, figures_for(month, seed))
        submitted = min(monthly.due_on - timedelta(days=2), today)
        workflow.submit(monthly.latest, trust, today=today)
        latest = index == len(months) - 1
        queried = index == len(months) - 2
        if latest:
            _date_it(monthly, submitted, None)
        elif queried:
            _date_it(monthly, submitted, None)
            workflow.raise_query(
                monthly.latest,
                subject_key=_subject("revenue", PLACEMENTS[0]),
                question="The placements forecast moved again this month: which placements started or ended?",
                user=council,
            )
        else:
            workflow.accept(monthly.latest, council)
            _date_it(monthly, submitted, min(submitted + timedelta(days=5), today))
        if month == corrected:
            _correct(monthly, seed, trust, council, today)


def _subject(part: str, name: str) -> str:
    from monitoring.finance.returns import subject_key

    return subject_key(part, name)


def _correct(monthly: MonthlyReturn, seed: bool, trust: Any, council: Any, today: date) -> None:
    """Legal costs left out of an accepted return: a correction, resubmitted and accepted in its turn."""
    correction = workflow.start_correction(
        monthly,
        reason="Legal costs for two care proceedings were left out of Safeguarding and social work",
        user=trust,
    )
    figures = figures_for(monthly.period, seed)
    for line in figures.revenue:
        if line.service_area == "Safeguarding and social work":
            line.forecast_outturn += _pounds(45)
            line.explanation = "Agency social workers, and legal costs of two care proceedings"
    save_return(correction, figures)
    workflow.submit(correction, trust, today=today)
    workflow.accept(correction, council)
    correction.submitted_at = _moment(monthly.due_on + timedelta(days=20))
    correction.accepted_at = _moment(monthly.due_on + timedelta(days=23), 15)


def finance_step(ctx: Any) -> None:
    """The DEMO_STEPS entry."""
    load_finance(ctx)
