"""Demo data for the governance cycle: this financial year's meetings for the demo contract, with
the outcomes, actions, deep dives and escalations the seed report describes, an annual review with
a slipped milestone, a service review and an inspection.

Dates are relative to today, so there are always meetings behind and ahead, open and overdue
actions, and a review timetable under way.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_today
from monitoring.core.workdays import add_working_days
from monitoring.extensions import db
from monitoring.meetings import operations, outcomes
from monitoring.meetings.followups import ActionStatus, DeepDiveStatus
from monitoring.meetings.models import Attendance, Meeting, MeetingKind
from monitoring.meetings.rules import CadenceRule, Frequency
from monitoring.reviews import operations as reviews
from monitoring.reviews.models import Grade, MilestoneStatus
from monitoring.reviews.rules import MilestoneKind

TYPES = [
    {
        "kind": MeetingKind.JOINT_PERFORMANCE_FINANCE,
        "name": "Joint Performance & Finance",
        "frequency": Frequency.MONTHLY,
        "rule": CadenceRule.WEEKDAY_OF_MONTH,
        "ordinal": 2,
        "weekday": 2,
        "start_time": time(10, 0),
        "duration_minutes": 120,
        "location": "Civic Office, room 2",
        "standing": ["Monthly KPI return", "Finance and the care ladder", "Family Support performance"],
    },
    {
        "kind": MeetingKind.JOINT_QUARTERLY,
        "name": "Joint Quarterly Performance Monitoring",
        "frequency": Frequency.QUARTERLY,
        "rule": CadenceRule.WEEKDAY_OF_MONTH,
        "ordinal": -1,
        "weekday": 2,
        "month_of_period": 2,
        "start_time": time(14, 0),
        "duration_minutes": 150,
        "location": "Civic Office, council chamber",
        "standing": [
            "Performance report: the KPI basket",
            "Quality and audit report",
            "Finance, including financial sustainability",
            "Family Support performance",
        ],
    },
    {
        "kind": MeetingKind.HIGH_LEVEL,
        "name": "High-level Quarterly Performance",
        "frequency": Frequency.QUARTERLY,
        "rule": CadenceRule.AFTER_PERIOD_END,
        "offset_days": 21,
        "start_time": time(9, 30),
        "duration_minutes": 120,
        "location": "Trust headquarters, boardroom",
        "standing": ["Operational, financial and quality assurance", "Escalations from the joint meetings"],
    },
    {
        "kind": MeetingKind.SCRUTINY,
        "name": "Report to Scrutiny",
        "frequency": Frequency.HALF_YEARLY,
        "rule": CadenceRule.WEEKDAY_OF_MONTH,
        "ordinal": 2,
        "weekday": 1,
        "month_of_period": 3,
        "start_time": time(18, 0),
        "duration_minutes": 120,
        "location": "Civic Office, committee room 1",
        "standing": ["Summary of the quarterly meeting's business"],
    },
]

ATTENDEES = {
    MeetingKind.JOINT_PERFORMANCE_FINANCE: [
        ("Priya Shah", "Commissioning manager", "council"),
        ("Tom Barker", "Performance officer", "trust"),
        ("Alan Reid", "Head of Finance", "trust"),
    ],
    MeetingKind.JOINT_QUARTERLY: [
        ("Helen Ward", "Director of People", "council"),
        ("Priya Shah", "Commissioning manager", "council"),
        ("Rachel Moss", "Chief Executive", "trust"),
    ],
    MeetingKind.HIGH_LEVEL: [
        ("Helen Ward", "Director of People", "council"),
        ("Rachel Moss", "Chief Executive", "trust"),
        ("David Kerr", "Chair, non-executive", "trust"),
    ],
}


def _types(ctx: Any) -> dict[MeetingKind, Any]:
    made = {}
    for spec in TYPES:
        fields = {k: v for k, v in spec.items() if k != "standing"}
        meeting_type = operations.create_meeting_type(ctx.contract, **fields)
        for title in spec["standing"]:
            operations.add_standing_item(meeting_type, title)
        for name, job, side in ATTENDEES.get(spec["kind"], []):
            operations.add_standing_attendee(meeting_type, name, job, ctx.council if side == "council" else ctx.trust)
        made[spec["kind"]] = meeting_type
    return made


def _item(meeting: Meeting, title: str) -> Any:
    return next(i for i in meeting.items if i.title == title)


def _held(meetings: list[Meeting], today: date) -> list[Meeting]:
    return [m for m in meetings if m.day < today and not m.is_cancelled]


def _minutes(meetings: list[Meeting], today: date) -> None:
    """Minutes for every meeting held; approved at the next one when that has been held too."""
    for meeting, following in zip(meetings, meetings[1:] + [None], strict=True):
        for attendee in meeting.attendees:
            attendee.attendance = Attendance.APOLOGIES if attendee.name == "Alan Reid" else Attendance.PRESENT
        operations.save_minutes(
            meeting,
            text=(
                f"{meeting.meeting_type.name} held on {meeting.day:%d %B %Y}.\n\n"
                "The monthly return was received on time and reviewed. Finance: the forecast overspend on the "
                "care ladder was discussed; the trust set out actions to reduce out-of-authority placements."
            ),
        )
        if following is not None and following.day < today:
            operations.approve_minutes(meeting, following)


def load_governance(ctx: Any, today: date | None = None) -> None:
    """The demo contract's monitoring cycle for the financial year containing `today`."""
    today = today or london_today()
    year = FinancialYear.containing(today)
    types = _types(ctx)
    calendar = {kind: operations.generate_calendar(t, year) for kind, t in types.items()}
    joint = calendar[MeetingKind.JOINT_PERFORMANCE_FINANCE]
    quarterly = calendar[MeetingKind.JOINT_QUARTERLY]

    # August's joint meeting is cancelled for the summer; its business goes to September.
    august = next(m for m in joint if m.day.month == 8)
    if august.day > today:
        operations.move_meeting(august, day=august.day + timedelta(days=7), start_time=time(14), duration_minutes=90)
    else:
        operations.cancel_meeting(august, "Summer holidays: the business was taken at the September meeting")

    held = _held(joint, today)
    trust, council = ctx.trust, ctx.council
    officer = ctx.users.get("trust")
    if held:
        first = held[0]
        returns = _item(first, "Monthly KPI return")
        outcomes.record_outcome(
            returns, outcomes.OutcomeKind.NOTED, "Return received on time; contacts and referrals remain high"
        )
        dive_closed = outcomes.refer_deep_dive(
            returns,
            title="Re-referrals into social care",
            terms_of_reference="Why re-referrals are higher than all comparator averages, "
            "and the unusual fluctuations in the 2016/17 outturn.",
            owner="Trust performance team",
            owner_organisation=trust,
            due_date=first.day + timedelta(days=40),
            report_meeting=next((m for m in joint if m.day > first.day + timedelta(days=40)), quarterly[-1]),
            closure_criteria="Causes understood and an action plan agreed by the joint meeting",
            indicators="Re-referrals within 12 months",
        )
        outcomes.progress_deep_dive(dive_closed, DeepDiveStatus.SCOPING)
        outcomes.progress_deep_dive(dive_closed, DeepDiveStatus.IN_PROGRESS)
        outcomes.progress_deep_dive(
            dive_closed,
            DeepDiveStatus.FINDINGS_REPORTED,
            findings="Most re-referrals follow closure without a step-down plan; partner thresholds vary.",
        )
        outcomes.progress_deep_dive(
            dive_closed,
            DeepDiveStatus.CLOSED,
            closure_note="Action plan agreed; the Step Up / Step Down process referred for its own deep dive.",
            today=dive_closed.due_date,
        )
        finance = _item(first, "Finance and the care ladder")
        done = outcomes.create_action(
            ctx.contract,
            title="Explain the out-of-authority placements forecast (31 against 21 in the contract)",
            owner_organisation=trust,
            owner_user=officer,
            due_date=first.day + timedelta(days=14),
            item=finance,
        )
        outcomes.set_action_status(
            done, ActionStatus.DONE, "Breakdown by placement type sent", today=first.day + timedelta(days=12)
        )
        outcomes.create_action(
            ctx.contract,
            title="Draft benefits realisation framework for the additional funding",
            owner_organisation=trust,
            owner_user=officer,
            due_date=max(first.day, today - timedelta(days=12)),
            item=finance,
        )
    for meeting in held[1:]:
        family = _item(meeting, "Family Support performance")
        outcomes.record_outcome(family, outcomes.OutcomeKind.NOTED, "Performance reported from Q1; on track")
    if len(held) >= 2:
        latest = held[-1]
        outcomes.create_action(
            ctx.contract,
            title="Share partner threshold guidance with the Safeguarding Children's Board",
            owner_organisation=council,
            owner_user=ctx.users.get("commissioner"),
            due_date=max(latest.day + timedelta(days=30), today + timedelta(days=10)),
            item=_item(latest, "Monthly KPI return"),
        )
        in_progress = outcomes.create_action(
            ctx.contract,
            title="Report assessment timeliness by team, with caseloads",
            owner_organisation=trust,
            due_date=latest.day + timedelta(days=2) if latest.day + timedelta(days=2) < today else latest.day,
            item=_item(latest, "Monthly KPI return"),
        )
        outcomes.set_action_status(in_progress, ActionStatus.IN_PROGRESS, "Temporary social workers in post")

    upcoming_quarterly = [m for m in quarterly if m.day > today]
    held_quarterly = _held(quarterly, today)
    if held_quarterly:
        q = held_quarterly[-1]
        report = _item(q, "Performance report: the KPI basket")
        outcomes.record_outcome(
            report,
            outcomes.OutcomeKind.DECISION,
            "Performance forensically challenged; good performance on case audits noted",
        )
        if upcoming_quarterly:
            outcomes.refer_deep_dive(
                report,
                title="The Step Up / Step Down process",
                terms_of_reference="Do children stepped down to early help get timely support, "
                "or reappear as social care re-referrals?",
                owner="Early Help Strategy group",
                owner_organisation=trust,
                due_date=upcoming_quarterly[0].day - timedelta(days=7),
                report_meeting=upcoming_quarterly[0],
                closure_criteria="Step-down re-referrals fall below the comparator average for two quarters",
                indicators="Re-referrals; early help assessments",
            )
        finance = _item(q, "Finance, including financial sustainability")
        if operations.next_meeting(ctx.contract.id, kind=MeetingKind.HIGH_LEVEL, after=q.starts_at):
            outcomes.escalate(
                finance,
                title="Care ladder overspend and the trust's reserves",
                reason="Forecast overspend of £1.63m; the trust has no reserves for its 30% share, "
                "so the pressure falls to the council.",
            )
    for meetings in calendar.values():
        _minutes(_held(meetings, today), today)
    _reviews(ctx, today, types)
    db.session.flush()


def _reviews(ctx: Any, today: date, types: dict[MeetingKind, Any]) -> None:
    year = FinancialYear.containing(today)
    deadline = add_working_days(today, 12)
    review = reviews.create_annual_review(ctx.contract, financial_year=year.label, deadline=deadline)
    for milestone in review.milestones:
        owner = ctx.council if milestone.owner_organisation_id == ctx.council.id else ctx.trust
        if milestone.kind is MilestoneKind.METHODOLOGY:
            status, done_on = MilestoneStatus.DONE, milestone.due_date
        elif milestone.kind is MilestoneKind.COLLATION and milestone.due_date + timedelta(days=3) < today:
            status, done_on = MilestoneStatus.DONE, milestone.due_date + timedelta(days=3)  # done late
        else:
            status, done_on = MilestoneStatus.IN_PROGRESS, None
        if done_on is not None and done_on > today:
            status, done_on = MilestoneStatus.IN_PROGRESS, None
        reviews.update_milestone(
            milestone,
            due_date=milestone.due_date,
            owner_name=milestone.owner_name,
            owner_organisation=owner,
            status=status,
            completed_on=done_on,
        )
    inspection = reviews.save_inspection(
        ctx.contract,
        None,
        title="Inspection of local authority children's services",
        notified_on=today - timedelta(days=20),
        on_site_from=today - timedelta(days=16),
        on_site_to=today - timedelta(days=5),
        draft_report_on=None,
        published_on=None,
    )
    earlier = reviews.save_inspection(
        ctx.contract,
        None,
        title="Services for children in need of help and protection (2015)",
        notified_on=date(2015, 8, 24),
        on_site_from=date(2015, 8, 25),
        on_site_to=date(2015, 9, 17),
        draft_report_on=date(2015, 10, 16),
        published_on=date(2015, 11, 9),
    )
    for area, grade in [
        ("Leadership, management and governance", Grade.REQUIRES_IMPROVEMENT),
        ("Children looked after and care leavers", Grade.REQUIRES_IMPROVEMENT),
        ("Children who need help and protection", Grade.INADEQUATE),
        ("Overall effectiveness", Grade.INADEQUATE),
    ]:
        reviews.set_judgement(earlier, area=area, grade=grade)
    reviews.request_extension(
        review,
        reason=f"The {inspection.title.lower()} took place during the review's timetable.",
        new_deadline=deadline + timedelta(days=35),
        requested_on=today - timedelta(days=4),
    )
    short_breaks = next((s for s in ctx.contract.services if s.name == "Children with Disabilities"), None)
    service_review = reviews.create_service_review(
        ctx.contract,
        title="Short breaks unit: annual monitoring, evaluation and quality audit",
        service=short_breaks,
        lead="Quality and service improvement manager",
        review_date=today - timedelta(days=120),
    )
    findings = {
        "monitoring_data": "Occupancy and attendance cannot be analysed from the monthly return as it stands.",
        "compliance_check": "Policies in place; the referral process through the SEND panel is not written down.",
        "quality_audit": "Care plans good; outcome measures not yet set.",
    }
    for strand in service_review.strands:
        reviews.update_strand(strand, status=MilestoneStatus.DONE, findings=findings[strand.kind.value])
    reviews.record_draft_report(
        service_review,
        written_on=today - timedelta(days=90),
        summary="Improve referral pathways through the SEND panel; revise the monthly data return to show occupancy.",
    )
    for title, due in [
        ("Agree the referral pathway with the SEND panel", today - timedelta(days=20)),
        ("Revise the monthly data return to include occupancy and attendance", today + timedelta(days=40)),
    ]:
        outcomes.create_action(
            ctx.contract, title=title, owner_organisation=ctx.trust, due_date=due, service_review=service_review
        )
    next_quarterly = operations.next_meeting(ctx.contract.id, meeting_type=types[MeetingKind.JOINT_QUARTERLY])
    if next_quarterly is not None:
        reviews.report_to_meeting(service_review, next_quarterly)


def governance_step(ctx: Any) -> None:
    """The DEMO_STEPS entry."""
    load_governance(ctx)
