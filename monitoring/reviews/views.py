"""Pages for the Annual Contract Review, service reviews and inspections."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from monitoring.contracts.models import Contract, ContractService
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors, options
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import outcomes, queries
from monitoring.meetings.followup_views import action_fields, fill_action_form
from monitoring.meetings.forms import ActionForm
from monitoring.meetings.models import Meeting
from monitoring.meetings.views import organisation, party_choices, render, run_form
from monitoring.permissions import Permission, register_scope, requires
from monitoring.reviews import operations
from monitoring.reviews.forms import (
    AnnualReviewForm,
    DraftReportForm,
    ExtensionDecisionForm,
    ExtensionForm,
    InspectionForm,
    JudgementForm,
    MilestoneForm,
    ReportToMeetingForm,
    ServiceReviewForm,
    StrandForm,
)
from monitoring.reviews.models import (
    AnnualReview,
    Grade,
    Inspection,
    MilestoneStatus,
    ReviewMilestone,
    ReviewStrand,
    ServiceReview,
)

bp = Blueprint("reviews", __name__, url_prefix="/contracts/<int:contract_id>")

register_scope("annual_review_id", AnnualReview)
register_scope("milestone_id", ReviewMilestone)
register_scope("service_review_id", ServiceReview)
register_scope("strand_id", ReviewStrand)
register_scope("inspection_id", Inspection)

VIEW = Permission.VIEW_CONTRACT
MANAGE = Permission.MANAGE_CONTRACT


def _all(model: Any, contract_id: int, order: Any) -> list[Any]:
    return list(db.session.scalars(select(model).where(model.contract_id == contract_id).order_by(order)))


@bp.get("/reviews")
@requires(VIEW)
def index(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return render(
        "reviews/index.html",
        contract,
        annual_reviews=_all(AnnualReview, contract.id, AnnualReview.financial_year.desc()),
        service_reviews=_all(ServiceReview, contract.id, ServiceReview.review_date.desc()),
        inspections=_all(Inspection, contract.id, Inspection.notified_on.desc()),
        today=london_today(),
    )


# --- Annual Contract Review --------------------------------------------------------------------


def _review_url(review: AnnualReview) -> str:
    return url_for("reviews.annual_review", contract_id=review.contract_id, annual_review_id=review.id)


@bp.route("/reviews/annual/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_annual_review(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = AnnualReviewForm(data={"financial_year": FinancialYear.containing(london_today()).label})
    return run_form(
        contract,
        form,
        title="Start an Annual Contract Review",
        back=url_for("reviews.index", contract_id=contract.id),
        run=lambda: operations.create_annual_review(
            contract, financial_year=form.financial_year.data, deadline=form.deadline.data
        ),
        message=lambda review: f"Timetable for the {review} built from the deadline",
        done=_review_url,
        intro=(
            "The milestones are worked out backwards from the deadline in working days, and placed on the "
            "quarterly and joint meetings already in the calendar. You can change each one afterwards."
        ),
    )


def _review(annual_review_id: int, milestone_id: int | None = None) -> tuple[AnnualReview, ReviewMilestone | None]:
    review = db.get_or_404(AnnualReview, annual_review_id)
    milestone = None
    if milestone_id is not None:
        milestone = db.get_or_404(ReviewMilestone, milestone_id)
        if milestone.annual_review_id != review.id:
            abort(404)
    return review, milestone


def _inspections_during(review: AnnualReview) -> list[Inspection]:
    if not review.milestones:
        return []
    start, end = review.milestones[0].due_date, review.deadline_in_force
    return [
        i
        for i in _all(Inspection, review.contract_id, Inspection.notified_on)
        if i.on_site_from and i.on_site_from <= end and (i.on_site_to or i.on_site_from) >= start
    ]


def _review_page(contract: Contract, review: AnnualReview, decision_form: ExtensionDecisionForm, status: int) -> Any:
    return render(
        "reviews/annual_review.html",
        contract,
        status,
        review=review,
        today=london_today(),
        clashes=_inspections_during(review),
        decision_form=decision_form,
        form=decision_form,
    )


@bp.get("/reviews/annual/<int:annual_review_id>")
@requires(VIEW)
def annual_review(contract_id: int, annual_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review, _ = _review(annual_review_id)
    return _review_page(contract, review, ExtensionDecisionForm(), 200)


@bp.route("/reviews/annual/<int:annual_review_id>/milestones/<int:milestone_id>", methods=["GET", "POST"])
@requires(MANAGE)
def milestone(contract_id: int, annual_review_id: int, milestone_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review, milestone = _review(annual_review_id, milestone_id)
    form = MilestoneForm(obj=milestone, data={"status": milestone.status.value})
    form.owner_organisation_id.choices = party_choices(contract)
    return run_form(
        contract,
        form,
        title=milestone.name,
        back=_review_url(review),
        run=lambda: operations.update_milestone(
            milestone,
            due_date=form.due_date.data,
            owner_name=form.owner_name.data or "",
            owner_organisation=organisation(contract, form.owner_organisation_id.data),
            status=MilestoneStatus(form.status.data),
            completed_on=form.completed_on.data,
        ),
        message=f"{milestone.name} saved",
        caption=str(review),
    )


@bp.route("/reviews/annual/<int:annual_review_id>/extension", methods=["GET", "POST"])
@requires(MANAGE)
def extension(contract_id: int, annual_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review, _ = _review(annual_review_id)
    form = ExtensionForm()
    return run_form(
        contract,
        form,
        title="Request an extension",
        back=_review_url(review),
        run=lambda: operations.request_extension(
            review, reason=form.reason.data, new_deadline=form.new_deadline.data, requested_on=form.requested_on.data
        ),
        message="Extension request recorded",
        caption=str(review),
    )


@bp.post("/reviews/annual/<int:annual_review_id>/extension/decision")
@requires(MANAGE)
def extension_decision(contract_id: int, annual_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review, _ = _review(annual_review_id)
    form = ExtensionDecisionForm()
    if form.validate_on_submit():
        try:
            operations.decide_extension(review, form.decision.data == "granted")
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Extension {review.extension_status.label.lower()}", "success")
            return redirect(_review_url(review))
    return _review_page(contract, review, form, 400)


# --- Service reviews ---------------------------------------------------------------------------


def _service_review_url(review: ServiceReview) -> str:
    return url_for("reviews.service_review", contract_id=review.contract_id, service_review_id=review.id)


@bp.route("/reviews/services/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_service_review(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = ServiceReviewForm()
    form.service_id.choices = options([("", "Not one service")] + [(s.id, s.name) for s in contract.services])
    return run_form(
        contract,
        form,
        title="Add a service review",
        back=url_for("reviews.index", contract_id=contract.id),
        run=lambda: operations.create_service_review(
            contract,
            title=form.title.data,
            service=db.session.get(ContractService, form.service_id.data) if form.service_id.data else None,
            lead=form.lead.data or "",
            review_date=form.review_date.data,
        ),
        message=lambda review: f"{review.title} added with its three strands",
        done=_service_review_url,
    )


@bp.get("/reviews/services/<int:service_review_id>")
@requires(VIEW)
def service_review(contract_id: int, service_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review = db.get_or_404(ServiceReview, service_review_id)
    return render("reviews/service_review.html", contract, review=review, today=london_today())


@bp.route("/reviews/services/<int:service_review_id>/strands/<int:strand_id>", methods=["GET", "POST"])
@requires(MANAGE)
def strand(contract_id: int, service_review_id: int, strand_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    strand = db.get_or_404(ReviewStrand, strand_id)
    if strand.service_review_id != service_review_id:
        abort(404)
    form = StrandForm(obj=strand, data={"status": strand.status.value})
    return run_form(
        contract,
        form,
        title=strand.kind.label,
        back=_service_review_url(strand.review),
        run=lambda: operations.update_strand(
            strand, status=MilestoneStatus(form.status.data), findings=form.findings.data or ""
        ),
        message=f"{strand.kind.label} saved",
        caption=strand.review.title,
    )


@bp.route("/reviews/services/<int:service_review_id>/draft-report", methods=["GET", "POST"])
@requires(MANAGE)
def draft_report(contract_id: int, service_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review = db.get_or_404(ServiceReview, service_review_id)
    form = DraftReportForm(data={"written_on": review.draft_report_on, "summary": review.draft_summary})
    return run_form(
        contract,
        form,
        title="Draft report",
        back=_service_review_url(review),
        run=lambda: operations.record_draft_report(review, written_on=form.written_on.data, summary=form.summary.data),
        message="Draft report recorded",
        caption=review.title,
    )


@bp.route("/reviews/services/<int:service_review_id>/actions/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_plan_action(contract_id: int, service_review_id: int) -> Any:
    """An action of the review's action plan: it joins the contract's action log."""
    contract = db.get_or_404(Contract, contract_id)
    review = db.get_or_404(ServiceReview, service_review_id)
    form = ActionForm()
    fill_action_form(form, contract)
    return run_form(
        contract,
        form,
        title="Add an action to the action plan",
        back=_service_review_url(review),
        run=lambda: outcomes.create_action(
            contract, **action_fields(form, contract), service_review=review, user=current_user
        ),
        message="Action added to the action plan and the action log",
        caption=review.title,
    )


@bp.route("/reviews/services/<int:service_review_id>/report", methods=["GET", "POST"])
@requires(MANAGE)
def report_service_review(contract_id: int, service_review_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    review = db.get_or_404(ServiceReview, service_review_id)
    form = ReportToMeetingForm()
    form.meeting_id.choices = options([("", "Select")] + [(m.id, m.title) for m in queries.open_meetings(contract.id)])
    return run_form(
        contract,
        form,
        title="Report to a meeting",
        back=_service_review_url(review),
        run=lambda: operations.report_to_meeting(
            review, db.session.get(Meeting, form.meeting_id.data) if form.meeting_id.data else None
        ),
        message=lambda review: f"{review.title} is on the agenda of {review.report_meeting.title}",
        caption=review.title,
    )


# --- Inspections -------------------------------------------------------------------------------


def _inspection_url(inspection: Inspection) -> str:
    return url_for("reviews.inspection", contract_id=inspection.contract_id, inspection_id=inspection.id)


def _inspection_dates(form: InspectionForm) -> dict[str, Any]:
    return {name: getattr(form, name).data for name in operations.INSPECTION_DATES}


@bp.route("/inspections/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_inspection(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = InspectionForm()
    return run_form(
        contract,
        form,
        title="Add an inspection",
        back=url_for("reviews.index", contract_id=contract.id),
        run=lambda: operations.save_inspection(contract, None, title=form.title.data, **_inspection_dates(form)),
        message=lambda inspection: f"{inspection.title} added",
        done=_inspection_url,
    )


@bp.get("/inspections/<int:inspection_id>")
@requires(VIEW)
def inspection(contract_id: int, inspection_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return render("reviews/inspection.html", contract, inspection=db.get_or_404(Inspection, inspection_id), Grade=Grade)


@bp.route("/inspections/<int:inspection_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_inspection(contract_id: int, inspection_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    inspection = db.get_or_404(Inspection, inspection_id)
    form = InspectionForm(obj=inspection)
    return run_form(
        contract,
        form,
        title="Change the inspection",
        back=_inspection_url(inspection),
        run=lambda: operations.save_inspection(contract, inspection, title=form.title.data, **_inspection_dates(form)),
        message=lambda inspection: f"{inspection.title} saved",
        caption=inspection.title,
    )


@bp.route("/inspections/<int:inspection_id>/judgements", methods=["GET", "POST"])
@requires(MANAGE)
def judgement(contract_id: int, inspection_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    inspection = db.get_or_404(Inspection, inspection_id)
    form = JudgementForm()
    return run_form(
        contract,
        form,
        title="Record a judgement",
        back=_inspection_url(inspection),
        run=lambda: operations.set_judgement(inspection, area=form.area.data, grade=Grade(form.grade.data)),
        message="Judgement saved",
        caption=inspection.title,
    )
