"""Summary sections from the governance cycle: the meetings' business, the annual contract review,
service reviews and inspections — each as things stood at the end of the period.

The meetings and reviews areas own these records; these providers only read them. Either area may
take its section over with `register_section(..., replace=True)` (docs/reports.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from monitoring.core.timeutil import LONDON
from monitoring.extensions import db
from monitoring.meetings.followups import DeepDive, Escalation
from monitoring.meetings.models import Meeting, MeetingStatus
from monitoring.reports.sections import SummarySection, register_section
from monitoring.reviews.models import AnnualReview, Inspection, MilestoneStatus, ServiceReview
from monitoring.reviews.rules import slip_days


def _day(moment: Any) -> date:
    return moment.astimezone(LONDON).date()


def _referred_on(dive: DeepDive) -> date:
    """The day of the meeting that referred it (the record may have been typed in later)."""
    return dive.referred_at_meeting.day if dive.referred_at_meeting else _day(dive.created_at)


def meetings_section(contract: Any, period: Any) -> dict | None:
    """Meetings held in the period; deep dives and escalations raised in it or still open during it."""
    meetings = db.session.scalars(
        select(Meeting)
        .where(Meeting.contract_id == contract.id, Meeting.status == MeetingStatus.SCHEDULED)
        .order_by(Meeting.starts_at)
    ).all()
    held = [m for m in meetings if period.start <= _day(m.starts_at) <= period.end]
    dives = db.session.scalars(
        select(DeepDive).where(DeepDive.contract_id == contract.id).order_by(DeepDive.due_date)
    ).all()
    dives = [d for d in dives if _referred_on(d) <= period.end and (d.closed_on is None or d.closed_on >= period.start)]
    escalations = db.session.scalars(
        select(Escalation).where(Escalation.contract_id == contract.id).order_by(Escalation.created_at)
    ).all()
    escalations = [
        e
        for e in escalations
        if e.from_item.meeting.day <= period.end and (e.resolved_on is None or e.resolved_on >= period.start)
    ]
    if not (held or dives or escalations):
        return None
    return {
        "meetings": [{"title": m.meeting_type.name, "day": _day(m.starts_at)} for m in held],
        "deep_dives": [
            {
                "title": d.title,
                "owner": d.owner,
                "organisation": d.owner_organisation.name,
                "due": d.due_date,
                "status": d.status.label,
                "report_to": d.report_meeting.title,
                "findings": d.findings if d.status.value in ("findings_reported", "closed") else "",
            }
            for d in dives
        ],
        "escalations": [
            {
                "title": e.title,
                "reason": e.reason,
                "to": e.to_meeting.title,
                "status": e.status.label,
                "response": e.response,
            }
            for e in escalations
        ],
    }


def annual_review_section(contract: Any, period: Any) -> dict | None:
    """The review of the period's financial year: its deadline, any extension, and its milestones."""
    review = db.session.scalar(
        select(AnnualReview).where(
            AnnualReview.contract_id == contract.id, AnnualReview.financial_year == period.year.start_year
        )
    )
    if review is None:
        return None

    def done_by_then(m: Any) -> bool:
        return m.status is MilestoneStatus.DONE and m.completed_on is not None and m.completed_on <= period.end

    return {
        "year": review.year.label,
        "deadline": review.deadline,
        "deadline_in_force": review.deadline_in_force,
        "extension": review.extension_status.label,
        "extension_reason": review.extension_reason,
        "extended_deadline": review.extended_deadline,
        "milestones": [
            {
                "name": m.name,
                "owner": m.owner_name or m.owner_organisation.name,
                "due": m.due_date,
                "status": m.status.label
                if m.status is not MilestoneStatus.DONE or done_by_then(m)
                else MilestoneStatus.IN_PROGRESS.label,
                # As things stood at the period's end: finished later means not finished then.
                "days_late": slip_days(m.due_date, m.completed_on if done_by_then(m) else None, period.end),
            }
            for m in review.milestones
        ],
    }


def service_reviews_section(contract: Any, period: Any) -> dict | None:
    """Specific areas of investigation reviewed in the period, or a year before it, with their strands."""
    rows = db.session.scalars(
        select(ServiceReview)
        .where(
            ServiceReview.contract_id == contract.id,
            ServiceReview.review_date <= period.end,
            ServiceReview.review_date >= period.start - timedelta(days=365),
        )
        .order_by(ServiceReview.review_date)
    ).all()
    if not rows:
        return None
    return {
        "reviews": [
            {
                "title": r.title,
                "service": r.service.name if r.service else "",
                "lead": r.lead,
                "review_date": r.review_date,
                "status": r.status.label,
                "summary": r.draft_summary,
                "strands": [
                    {"name": s.kind.label, "status": s.status.label, "findings": s.findings} for s in r.strands
                ],
            }
            for r in rows
        ]
    }


def _stage(inspection: Inspection, end: date) -> str:
    """The inspection's stage as it stood on `end`."""
    if inspection.published_on and inspection.published_on <= end:
        return "Published"
    if inspection.draft_report_on and inspection.draft_report_on <= end:
        return "Draft report for factual accuracy"
    if inspection.on_site_from and inspection.on_site_from <= end:
        return "On site"
    return "Notified"


def inspections_section(contract: Any, period: Any) -> dict | None:
    """Inspections under way in the period or published in the year before its end, with judgements once published."""
    rows = db.session.scalars(
        select(Inspection)
        .where(
            Inspection.contract_id == contract.id,
            Inspection.notified_on <= period.end,
            or_(Inspection.published_on.is_(None), Inspection.published_on >= period.end - timedelta(days=365)),
        )
        .order_by(Inspection.notified_on)
    ).all()
    if not rows:
        return None
    return {
        "inspections": [
            {
                "title": i.title,
                "stage": _stage(i, period.end),
                "notified_on": i.notified_on,
                "on_site_from": i.on_site_from if i.on_site_from and i.on_site_from <= period.end else None,
                "on_site_to": i.on_site_to if i.on_site_to and i.on_site_to <= period.end else None,
                "published_on": i.published_on if i.published_on and i.published_on <= period.end else None,
                "judgements": [
                    {"area": j.area, "grade": j.grade.label, "colour": j.grade.colour}
                    for j in i.judgements
                    if i.published_on and i.published_on <= period.end
                ],
            }
            for i in rows
        ]
    }


register_section(
    SummarySection(
        "meetings", "The business of the monitoring meetings", 70, "reports/sections/meetings.html", meetings_section
    )
)
register_section(
    SummarySection(
        "annual_review", "Annual Contract Review", 75, "reports/sections/annual_review.html", annual_review_section
    )
)
register_section(
    SummarySection(
        "service_reviews",
        "Specific areas of investigation",
        78,
        "reports/sections/service_reviews.html",
        service_reviews_section,
    )
)
register_section(
    SummarySection("inspections", "Inspections", 80, "reports/sections/inspections.html", inspections_section)
)
