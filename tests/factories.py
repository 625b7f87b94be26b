"""Factory helpers with sensible defaults: `create_contract()`, `create_user(Role.DIRECTOR, contract)`…

They write through the test's session and flush, so each test's data is rolled back with it.
"""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
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


# --- Governance cycle (meetings, actions, deep dives, reviews) ---------------------------------


def create_meeting_type(
    contract: Contract,
    kind: str = "joint_performance_finance",
    *,
    name: str | None = None,
    frequency: str = "monthly",
    ordinal: int = -1,
    weekday: int = 2,
    month_of_period: int = 1,
    start: time = time(10, 0),
):
    """A meeting type meeting on the `ordinal` `weekday` of the month (default: last Wednesday, 10am)."""
    from monitoring.meetings.models import MeetingKind, MeetingType
    from monitoring.meetings.rules import CadenceRule, Frequency

    meeting_type = MeetingType(
        contract_id=contract.id,
        kind=MeetingKind(kind),
        name=name or f"{MeetingKind(kind).label} {next(_sequence)}",
        frequency=Frequency(frequency),
        rule=CadenceRule.WEEKDAY_OF_MONTH,
        ordinal=ordinal,
        weekday=weekday,
        month_of_period=month_of_period,
        start_time=start,
        duration_minutes=120,
        location="Civic Office",
    )
    db.session.add(meeting_type)
    db.session.flush()
    return meeting_type


def create_meeting(meeting_type, day: date, at: time = time(10, 0), *, slot: str | None = None):
    from monitoring.core.timeutil import london_moment
    from monitoring.meetings.models import Meeting

    starts = london_moment(day, at)
    meeting = Meeting(
        contract_id=meeting_type.contract_id,
        meeting_type=meeting_type,
        slot=slot,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        location="Civic Office",
    )
    db.session.add(meeting)
    db.session.flush()
    return meeting


def create_item(meeting, title: str = "Performance report", **fields):
    from monitoring.meetings.models import AgendaItem

    item = AgendaItem(
        contract_id=meeting.contract_id,
        meeting_id=meeting.id,
        position=len(meeting.items) + 1,
        title=title,
        **fields,
    )
    db.session.add(item)
    db.session.flush()
    db.session.refresh(meeting)
    return item


def create_action(item, *, owner=None, due: date | None = None, title: str = "Report re-referral rates by team"):
    """An action recorded as the item's outcome, owned by the contract's trust unless `owner` says."""
    from monitoring.meetings.outcomes import create_action as record

    contract = db.session.get(Contract, item.contract_id)
    return record(
        contract,
        title=title,
        owner_organisation=owner or contract.trust,
        due_date=due or item.meeting.day + timedelta(days=28),
        item=item,
    )


def create_paper(item, filename: str = "finance-report.pdf", data: bytes = b"%PDF-1.4\n% a test paper\n"):
    """A paper stored the way uploads are: under a random name in the papers folder."""
    from monitoring.meetings import papers
    from monitoring.meetings.models import Paper

    stored = f"{next(_sequence):08d}test.pdf"
    (papers.papers_dir() / stored).write_bytes(data)
    paper = Paper(
        contract_id=item.contract_id,
        agenda_item_id=item.id,
        filename=filename,
        stored_name=stored,
        content_type="application/pdf",
        size_bytes=len(data),
    )
    db.session.add(paper)
    db.session.flush()
    return paper


def governance_samples(contract: Contract, users: dict, visitor: str) -> dict:
    """URL argument values for the governance routes, all in `contract` (for the route walk)."""
    from monitoring.core.timeutil import london_today
    from monitoring.meetings import feeds, operations, outcomes
    from monitoring.reviews import operations as reviews

    today = london_today()
    joint = create_meeting_type(contract)
    high = create_meeting_type(contract, "high_level", frequency="quarterly")
    standing = operations.add_standing_item(joint, "Finance report")
    attendee = operations.add_standing_attendee(joint, "Jo Ellis", "Head of Service", contract.council)
    meeting = create_meeting(joint, today + timedelta(days=30))
    high_meeting = create_meeting(high, today + timedelta(days=60))
    item = create_item(meeting, "Re-referrals")
    action = create_action(item)
    dive = outcomes.refer_deep_dive(
        item,
        title="Re-referrals",
        terms_of_reference="Why re-referrals rose",
        owner="Early Help Strategy group",
        owner_organisation=contract.trust,
        due_date=today + timedelta(days=45),
        report_meeting=high_meeting,
    )
    escalation = outcomes.escalate(item, title="Re-referrals", reason="Higher than every comparator")
    annual = reviews.create_annual_review(
        contract, financial_year=f"{today.year}/{(today.year + 1) % 100:02d}", deadline=date(today.year + 1, 1, 31)
    )
    service_review = reviews.create_service_review(
        contract, title="Short breaks unit annual review", service=None, lead="Commissioning manager", review_date=today
    )
    inspection = reviews.save_inspection(
        contract, None, title="Children in need of help and protection", notified_on=today
    )
    own_feed, _ = feeds.create_feed(users.get(visitor, users["commissioner"]), "Outlook")
    _, secret = feeds.create_feed(users["commissioner"], "Phone")
    return {
        "meeting_type_id": joint.id,
        "standing_item_id": standing.id,
        "standing_attendee_id": attendee.id,
        "meeting_id": meeting.id,
        "agenda_item_id": item.id,
        "paper_id": create_paper(item).id,
        "action_id": action.id,
        "deep_dive_id": dive.id,
        "escalation_id": escalation.id,
        "annual_review_id": annual.id,
        "milestone_id": annual.milestones[0].id,
        "service_review_id": service_review.id,
        "strand_id": service_review.strands[0].id,
        "inspection_id": inspection.id,
        "feed_id": own_feed.id,
        "token": secret,
    }


# --- Reports ------------------------------------------------------------------------------------


def create_summary(
    contract: Contract, *, year: int = 2017, quarter: int = 2, author: User | None = None, narrative=None
):
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


# --- Performance (indicators, baskets, KPI returns) ----------------------------------------------


def create_objective(name: str | None = None, *, position: int = 0):
    from monitoring.performance.models import Objective

    objective = Objective(name=name or f"Objective {next(_sequence)}", position=position)
    db.session.add(objective)
    db.session.flush()
    return objective


def create_indicator(
    code: str | None = None,
    *,
    title: str | None = None,
    unit: str = "percentage",
    polarity: str = "higher_is_better",
    frequency: str = "monthly",
    accumulation: str = "snapshot",
    is_ratio: bool = False,
    year: int = 2017,
    target: Decimal | None = None,
    tolerance: Decimal | None = None,
    national: Decimal | None = None,
    neighbours: Decimal | None = None,
    objective=None,
    **fields,
):
    """A measure with one year's target and comparators (2017/18 unless told otherwise)."""
    from monitoring.performance.models import Indicator, IndicatorYear
    from monitoring.performance.rules import Accumulation, Frequency, Polarity, Unit

    n = next(_sequence)
    indicator = Indicator(
        code=code or f"T{n:03d}",
        title=title or f"Test measure {n}",
        unit=Unit(unit),
        polarity=Polarity(polarity),
        frequency=Frequency(frequency),
        accumulation=Accumulation(accumulation),
        is_ratio=is_ratio,
        numerator_label="Children counted" if is_ratio else "",
        denominator_label="All children" if is_ratio else "",
        objective=objective,
        **fields,
    )
    if any(v is not None for v in (target, tolerance, national, neighbours)):
        indicator.years.append(
            IndicatorYear(
                financial_year=year, target=target, tolerance=tolerance, national=national, neighbours=neighbours
            )
        )
    db.session.add(indicator)
    db.session.flush()
    return indicator


def create_basket(contract: Contract, indicators: list, *, starts: str = "2017-04", reason: str = "Annual review"):
    from monitoring.core.periods import Period
    from monitoring.performance.operations import new_basket

    return new_basket(contract, effective_from=Period.parse(starts), indicators=indicators, reason=reason)


def create_kpi_return(
    contract: Contract,
    period: str = "2017-08",
    values: dict | None = None,
    *,
    status: str = "accepted",
    user: User | None = None,
    reviewer: User | None = None,
    submitted_on: date | None = None,
):
    """A KPI return for `period` through the real workflow. `values` maps a code to a figure, or to a
    (numerator, denominator) pair, or to a dict of ValueInput fields. `status` is draft, submitted or
    accepted."""
    from datetime import time

    from monitoring.core.periods import Period
    from monitoring.core.timeutil import london_moment
    from monitoring.performance.operations import ValueInput, save_values
    from monitoring.returns import operations
    from monitoring.returns.models import ReturnKind

    month = Period.parse(period)
    monthly = operations.open_return(contract, ReturnKind.KPI, month, user, today=month.end)
    inputs = []
    for code, given in (values or {}).items():
        if isinstance(given, dict):
            inputs.append(ValueInput(code=code, **given))
        elif isinstance(given, tuple):
            inputs.append(ValueInput(code=code, numerator=Decimal(given[0]), denominator=Decimal(given[1])))
        else:
            inputs.append(ValueInput(code=code, value=None if given is None else Decimal(given)))
    save_values(monthly.latest, inputs)
    if status in ("submitted", "accepted"):
        operations.submit(monthly.latest, user, today=month.end + timedelta(days=1))
        if submitted_on is not None:
            monthly.first_submitted_at = london_moment(submitted_on, time(12))
            monthly.latest.submitted_at = monthly.first_submitted_at
    if status == "accepted":
        operations.accept(monthly.latest, reviewer)
    db.session.flush()
    return monthly


def performance_samples(contract: Contract, users: dict) -> dict:
    """URL argument values for the returns and performance routes, all in `contract` (for the route walk)."""
    from monitoring.core.periods import Period
    from monitoring.returns import operations

    indicator = create_indicator(target=Decimal(80), tolerance=Decimal(5))
    create_basket(contract, [indicator])
    monthly = create_kpi_return(contract, "2017-08", {indicator.code: Decimal(82)}, status="submitted")
    query = operations.raise_query(
        monthly.latest, subject_key=indicator.code, question="Why?", user=users["commissioner"]
    )
    from monitoring.performance import audits
    from monitoring.performance.models import AuditKind
    from monitoring.reviews.models import Grade

    audit = audits.record_audit(
        contract, period=Period(2017, 9), kind=AuditKind.MONTHLY_SAMPLE, theme="", completed_on=date(2017, 9, 20)
    )
    case = audits.add_case(audit, reference="C-1", grade=Grade.INADEQUATE, head_of_service="Jo Ellis")
    return {
        "return_id": monthly.id,
        "query_id": query.id,
        "indicator_id": indicator.id,
        "kind": "xlsx",
        "audit_id": audit.id,
        "case_id": case.id,
        "return_kind": "kpi",
        "period": "2017-08",
    }


# --- Finance (finance returns, the care ladder, the risk share) ---------------------------------

# The seed's Q2 2017/18 position: a forecast overspend of £1.63m, mostly placements.
SEED_REVENUE = [
    ("Children in care placements", "24500000", "23800000", "25280000", "More out-of-authority placements"),
    ("Safeguarding and social work", "12400000", "11900000", "12160000", "Agency social workers"),
    ("Early help and family support", "6200000", "5300000", "5210000", "Vacancies held"),
    ("Children with disabilities", "4100000", "3700000", "3740000", ""),
    ("Youth offending", "2600000", "1900000", "1870000", ""),
    ("Management and support", "3900000", "3600000", "3570000", ""),
]
# Out of authority: 31 placements forecast against 21 contracted, each cheaper than the contract's rate.
SEED_CARE_LADDER = [
    ("Out of authority residential", "21", "180000", "31", "31", "170000", "Ten more placements than contracted"),
    ("Independent fostering agency", "95", "42000", "93", "94", "41500", "Fewer, cheaper placements"),
    ("18+ (staying put and supported lodgings)", "40", "14000", "46", "47", "14200", "Longer stays"),
]


def finance_figures(
    revenue: list | None = None,
    care_ladder: list | None = None,
    *,
    funding: list | None = None,
    savings: list | None = None,
    capital: list | None = None,
    reserves: str | None = "70000",
    agency: tuple | None = ("87", "3400000"),
    commentary: str = "",
):
    """A whole finance return's figures from tuples of text (exact, as typed); the seed's unless told."""
    from datetime import date as day

    from monitoring.finance.operations import (
        CapitalInput,
        CareLadderInput,
        FinanceFigures,
        FundingInput,
        PositionInput,
        RevenueInput,
        SavingsInput,
    )

    def money(text):
        return None if text is None else Decimal(text)

    revenue = SEED_REVENUE if revenue is None else revenue
    care_ladder = SEED_CARE_LADDER if care_ladder is None else care_ladder
    funding = (
        [("Additional care ladder funding agreed at the annual review", "1100000", day(2017, 4, 1), "Care ladder")]
        if funding is None
        else funding
    )
    savings = [("Reduce agency social workers", "600000", "420000", "")] if savings is None else savings
    capital = [("Carr House Centre improvements", "1400000", "1250000", "300000")] if capital is None else capital
    return FinanceFigures(
        revenue=[
            RevenueInput(
                service_area=r[0],
                gross_budget=money(r[1]),
                net_budget=money(r[2]),
                forecast_outturn=money(r[3]),
                explanation=r[4] if len(r) > 4 else "",
            )
            for r in revenue
        ],
        care_ladder=[
            CareLadderInput(
                category=c[0],
                contracted_volume=money(c[1]),
                unit_contract_value=money(c[2]),
                actual_activity=money(c[3]),
                forecast_activity=money(c[4]),
                forecast_unit_cost=money(c[5]),
                explanation=c[6] if len(c) > 6 else "",
            )
            for c in care_ladder
        ],
        funding=[FundingInput(description=d, amount=money(a), agreed_on=on, purpose=why) for d, a, on, why in funding],
        savings=[
            SavingsInput(description=d, target=money(t), forecast_delivery=money(fd), explanation=e)
            for d, t, fd, e in savings
        ],
        capital=[
            CapitalInput(scheme=s, revised_budget=money(b), forecast=money(fc), actual_to_date=money(a))
            for s, b, fc, a in capital
        ],
        position=PositionInput(
            trust_reserves=money(reserves),
            agency_staff=money(agency[0]) if agency else None,
            agency_cost=money(agency[1]) if agency else None,
            commentary=commentary,
        ),
    )


def create_finance_return(
    contract: Contract,
    period: str = "2017-09",
    figures=None,
    *,
    status: str = "accepted",
    user: User | None = None,
    reviewer: User | None = None,
):
    """A finance return for `period` through the real workflow, with `figures` (the seed's by default).
    `status` is draft, submitted or accepted."""
    from monitoring.core.periods import Period
    from monitoring.finance.operations import save_return
    from monitoring.returns import operations
    from monitoring.returns.models import ReturnKind

    month = Period.parse(period)
    monthly = operations.open_return(contract, ReturnKind.FINANCE, month, user, today=month.end)
    save_return(monthly.latest, figures if figures is not None else finance_figures())
    if status in ("submitted", "accepted"):
        operations.submit(monthly.latest, user, today=month.end + timedelta(days=1))
    if status == "accepted":
        operations.accept(monthly.latest, reviewer)
    db.session.flush()
    return monthly


def finance_samples(contract: Contract, users: dict) -> dict:
    """URL argument values for the finance routes, all in `contract` (for the route walk)."""
    from monitoring.finance.queries import categories

    create_finance_return(contract, "2017-08", status="submitted", user=users["trust_officer"])
    return {"category_id": categories(contract.id)[0].id, "part": "revenue", "period": "2017-08"}


def create_seed_measures(objective=None) -> dict:
    """The seed reports' measures: NI66 reviews of looked-after children (a ratio, target 80%, tolerance
    5), NI43 custodial sentences (lower is better, target 6.8%) and a looked-after rate per 10,000."""
    return {
        "NI66": create_indicator(
            "NI66",
            title="Looked-after reviews within timescale",
            is_ratio=True,
            target=Decimal(80),
            tolerance=Decimal(5),
            national=Decimal("90.5"),
            neighbours=Decimal(88),
            objective=objective,
        ),
        "NI43": create_indicator(
            "NI43",
            title="Custodial sentences",
            polarity="lower_is_better",
            target=Decimal("6.8"),
            tolerance=Decimal(1),
            national=Decimal(6),
            neighbours=Decimal(7),
            objective=objective,
        ),
        "LAC1": create_indicator(
            "LAC1",
            title="Looked-after children per 10,000",
            unit="rate_per_10k",
            polarity="none",
            national=Decimal(60),
            neighbours=Decimal(76),
            objective=objective,
        ),
    }
