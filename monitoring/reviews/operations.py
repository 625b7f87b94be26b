"""Writes about the Annual Contract Review, service reviews and inspections."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract, ContractService, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import format_date, london_today
from monitoring.extensions import db
from monitoring.meetings.models import Meeting, MeetingKind, MeetingStatus, MeetingType
from monitoring.meetings.operations import add_agenda_item_from_source
from monitoring.reviews.models import (
    AnnualReview,
    ExtensionStatus,
    Grade,
    Inspection,
    InspectionJudgement,
    MilestoneStatus,
    ReviewMilestone,
    ReviewStrand,
    ServiceReview,
    ServiceReviewStatus,
    StrandKind,
)
from monitoring.reviews.rules import MilestoneKind, build_timetable, dates_in_order

# Who usually owns each milestone: the council leads, the trust serves the counter notice.
MILESTONE_OWNERS = {
    MilestoneKind.METHODOLOGY: ("Commissioning manager", "council"),
    MilestoneKind.COLLATION: ("Quality and service improvement manager", "council"),
    MilestoneKind.FINAL_DRAFT: ("Director of People", "council"),
    MilestoneKind.COUNTER_NOTICE: ("Trust Chief Executive", "trust"),
    MilestoneKind.SUBMISSION: ("Director of People", "council"),
}


def _meeting_days(contract_id: int, kind: MeetingKind) -> list[tuple[date, Meeting]]:
    meetings = db.session.scalars(
        select(Meeting)
        .join(MeetingType)
        .where(Meeting.contract_id == contract_id, MeetingType.kind == kind, Meeting.status == MeetingStatus.SCHEDULED)
    )
    return [(m.day, m) for m in meetings]


def _plan(contract_id: int, deadline: date) -> list[tuple[Any, Meeting | None]]:
    quarterly = _meeting_days(contract_id, MeetingKind.JOINT_QUARTERLY)
    joint = _meeting_days(contract_id, MeetingKind.JOINT_PERFORMANCE_FINANCE)
    planned = build_timetable(
        deadline, quarterly_meetings=[d for d, _ in quarterly], joint_meetings=[d for d, _ in joint]
    )
    at = {MilestoneKind.FINAL_DRAFT: dict(quarterly), MilestoneKind.METHODOLOGY: dict(joint)}
    return [(p, at.get(p.kind, {}).get(p.due)) for p in planned]


def create_annual_review(contract: Contract, *, financial_year: str, deadline: date | None) -> AnnualReview:
    """A review with its timetable built backwards from the deadline, placed on the quarterly and
    joint meetings already in the calendar."""
    try:
        year = FinancialYear.parse(financial_year or "")
    except ValueError as error:
        raise InvalidInput({"financial_year": "Enter the financial year in the form 2017/18"}) from error
    if deadline is None:
        raise InvalidInput({"deadline": "Enter the Secretary of State's submission deadline"})
    if not year.start <= deadline <= date(year.end.year + 1, 3, 31):
        raise InvalidInput({"deadline": f"The deadline must fall in {year.label} or the year after"})
    exists = db.session.scalar(
        select(AnnualReview.id).where(
            AnnualReview.contract_id == contract.id, AnnualReview.financial_year == year.start_year
        )
    )
    if exists:
        raise InvalidInput({"financial_year": f"There is already an Annual Contract Review for {year.label}"})
    review = AnnualReview(contract_id=contract.id, financial_year=year.start_year, deadline=deadline)
    db.session.add(review)
    for position, (planned, meeting) in enumerate(_plan(contract.id, deadline), start=1):
        owner, side = MILESTONE_OWNERS[planned.kind]
        review.milestones.append(
            ReviewMilestone(
                contract_id=contract.id,
                kind=planned.kind,
                position=position,
                starts_on=planned.starts,
                due_date=planned.due,
                owner_name=owner,
                owner_organisation_id=contract.council_id if side == "council" else contract.trust_id,
                meeting=meeting,
            )
        )
    db.session.flush()
    for milestone in review.milestones:
        meeting = milestone.meeting
        if milestone.kind is MilestoneKind.FINAL_DRAFT and meeting is not None and not meeting.is_locked:
            add_agenda_item_from_source(
                meeting,
                title=f"Annual Contract Review {year.label}: final draft",
                source_kind="annual_review",
                source_id=review.id,
            )
    return review


def update_milestone(
    milestone: ReviewMilestone,
    *,
    due_date: date | None,
    owner_name: str,
    owner_organisation: Organisation | None,
    status: MilestoneStatus,
    completed_on: date | None,
) -> ReviewMilestone:
    contract = db.session.get(Contract, milestone.contract_id)
    if due_date is None:
        raise InvalidInput({"due_date": "Enter the date the milestone is due"})
    if milestone.starts_on and due_date < milestone.starts_on:
        raise InvalidInput({"due_date": f"The window cannot close before it opens, {format_date(milestone.starts_on)}"})
    if owner_organisation is None or owner_organisation.id not in (contract.council_id, contract.trust_id):
        raise InvalidInput({"owner_organisation_id": f"Choose {contract.council.name} or {contract.trust.name}"})
    if status is MilestoneStatus.DONE and completed_on is None:
        completed_on = london_today()
    if completed_on and completed_on > london_today():
        raise InvalidInput({"completed_on": "The completion date cannot be in the future"})
    milestone.due_date = due_date
    milestone.owner_name = owner_name.strip()
    milestone.owner_organisation = owner_organisation
    milestone.status = status
    milestone.completed_on = completed_on if status is MilestoneStatus.DONE else None
    db.session.flush()
    return milestone


def request_extension(
    review: AnnualReview, *, reason: str, new_deadline: date | None, requested_on: date | None
) -> AnnualReview:
    """Ask the Secretary of State for a later deadline (e.g. when an inspection collides)."""
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why an extension is needed"
    if new_deadline is None:
        errors["new_deadline"] = "Enter the new deadline asked for"
    elif new_deadline <= review.deadline:
        errors["new_deadline"] = f"The new deadline must be after the current one, {format_date(review.deadline)}"
    if errors:
        raise InvalidInput(errors)
    review.extension_reason = reason.strip()
    review.extended_deadline = new_deadline
    review.extension_requested_on = requested_on or london_today()
    review.extension_status = ExtensionStatus.REQUESTED
    mark(review, "request_extension")
    db.session.flush()
    return review


def decide_extension(review: AnnualReview, granted: bool) -> AnnualReview:
    """Record the Secretary of State's answer. A granted extension moves the submission and
    rebuilds the milestones not yet done from the new deadline."""
    if review.extension_status is not ExtensionStatus.REQUESTED:
        raise InvalidInput({"granted": "There is no extension request waiting for an answer"})
    review.extension_status = ExtensionStatus.GRANTED if granted else ExtensionStatus.REFUSED
    mark(review, "grant_extension" if granted else "refuse_extension")
    if granted:
        planned = {p.kind: (p, meeting) for p, meeting in _plan(review.contract_id, review.deadline_in_force)}
        for milestone in review.milestones:
            if milestone.status is not MilestoneStatus.DONE:
                plan, meeting = planned[milestone.kind]
                milestone.due_date = plan.due
                milestone.starts_on = plan.starts
                milestone.meeting = meeting or milestone.meeting
    db.session.flush()
    return review


# --- Service reviews ---------------------------------------------------------------------------


def create_service_review(
    contract: Contract, *, title: str, service: ContractService | None, lead: str, review_date: date | None
) -> ServiceReview:
    if not title.strip():
        raise InvalidInput({"title": "Enter what is being reviewed, for example the short-breaks unit's annual review"})
    if review_date is None:
        raise InvalidInput({"review_date": "Enter the date of the review"})
    if service is not None and service.contract_id != contract.id:
        raise InvalidInput({"service_id": "Choose a service in this contract's scope"})
    review = ServiceReview(
        contract_id=contract.id, title=title.strip(), service=service, lead=lead.strip(), review_date=review_date
    )
    for kind in StrandKind:
        review.strands.append(ReviewStrand(contract_id=contract.id, kind=kind))
    db.session.add(review)
    db.session.flush()
    return review


def update_strand(strand: ReviewStrand, *, status: MilestoneStatus, findings: str) -> ReviewStrand:
    if status is MilestoneStatus.DONE and not findings.strip():
        raise InvalidInput({"findings": f"Enter what the {strand.kind.label.lower()} found"})
    strand.status = status
    strand.findings = findings.strip()
    if status is not MilestoneStatus.NOT_STARTED and strand.review.status is ServiceReviewStatus.PLANNED:
        strand.review.status = ServiceReviewStatus.IN_PROGRESS
    db.session.flush()
    return strand


def record_draft_report(review: ServiceReview, *, written_on: date | None, summary: str) -> ServiceReview:
    if written_on is None:
        raise InvalidInput({"written_on": "Enter the date of the draft report"})
    if written_on < review.review_date:
        raise InvalidInput(
            {"written_on": f"The draft report cannot come before the review, {format_date(review.review_date)}"}
        )
    if not summary.strip():
        raise InvalidInput({"summary": "Enter the draft report's main findings"})
    review.draft_report_on = written_on
    review.draft_summary = summary.strip()
    review.status = ServiceReviewStatus.DRAFT_REPORT
    db.session.flush()
    return review


def report_to_meeting(review: ServiceReview, meeting: Meeting | None) -> ServiceReview:
    """Put the review's report on a meeting's agenda."""
    if meeting is None or meeting.contract_id != review.contract_id or meeting.is_cancelled:
        raise InvalidInput({"meeting_id": "Select the meeting that will receive the report"})
    add_agenda_item_from_source(
        meeting, title=review.title, source_kind="service_review", source_id=review.id, presenter=review.lead
    )
    review.report_meeting = meeting
    review.status = ServiceReviewStatus.REPORTED
    db.session.flush()
    return review


# --- Inspections -------------------------------------------------------------------------------

INSPECTION_DATES = ("notified_on", "on_site_from", "on_site_to", "draft_report_on", "published_on")


def save_inspection(
    contract: Contract, inspection: Inspection | None, *, title: str, **dates: date | None
) -> Inspection:
    """Create or update an inspection; its dates must run in order."""
    if not title.strip():
        raise InvalidInput({"title": "Enter the inspection's name"})
    if dates.get("notified_on") is None:
        raise InvalidInput({"notified_on": "Enter the date the inspection was notified"})
    out_of_order = dates_in_order((name, dates.get(name)) for name in INSPECTION_DATES)
    if out_of_order:
        raise InvalidInput({out_of_order: "This date must not be before the stages above it"})
    if inspection is None:
        inspection = Inspection(contract_id=contract.id)
        db.session.add(inspection)
    inspection.title = title.strip()
    for name in INSPECTION_DATES:
        setattr(inspection, name, dates.get(name))
    db.session.flush()
    return inspection


def set_judgement(inspection: Inspection, *, area: str, grade: Grade) -> InspectionJudgement:
    if not area.strip():
        raise InvalidInput({"area": "Enter the area judged, for example Overall effectiveness"})
    existing = next((j for j in inspection.judgements if j.area.lower() == area.strip().lower()), None)
    if existing is None:
        existing = InspectionJudgement(contract_id=inspection.contract_id, area=area.strip(), grade=grade)
        inspection.judgements.append(existing)
    existing.grade = grade
    db.session.flush()
    return existing
