"""Pages for outcomes and what follows them: the action log, deep dives and escalations."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from monitoring.accounts.models import User
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import outcomes, queries
from monitoring.meetings.followups import Action, ActionStatus, DeepDive, DeepDiveStatus, Escalation
from monitoring.meetings.forms import (
    ActionForm,
    ActionStatusForm,
    DeepDiveForm,
    DeepDiveProgressForm,
    EscalationForm,
    EscalationResponseForm,
    OutcomeForm,
    ReportMeetingForm,
)
from monitoring.meetings.models import Meeting, OutcomeKind
from monitoring.meetings.views import MANAGE, VIEW, bp, form_page, load_meeting, organisation, party_choices, render
from monitoring.permissions import Permission, register_scope, requires

register_scope("action_id", Action)
register_scope("deep_dive_id", DeepDive)
register_scope("escalation_id", Escalation)


def _item_url(contract_id: int, item: Any) -> str:
    return url_for("meetings.item", contract_id=contract_id, meeting_id=item.meeting_id, agenda_item_id=item.id)


def person_by_id(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _meeting_choices(meetings: list[Meeting]) -> list[tuple[Any, str]]:
    return [("", "Select")] + [(m.id, m.title) for m in meetings]


# --- Outcomes ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/outcome", methods=["GET", "POST"])
@requires(MANAGE)
def record_outcome(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            if form.kind.data == "carried_over":
                carried = outcomes.carry_over(item, form.text.data or "", current_user)
                message = f"Carried over to {carried.meeting.title}"
            else:
                outcomes.record_outcome(item, OutcomeKind(form.kind.data), form.text.data or "", current_user)
                message = "Outcome recorded"
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(message, "success")
            return redirect(_item_url(contract.id, item))
    return form_page(contract, form, "Record an outcome", _item_url(contract.id, item), caption=item.title)


def fill_action_form(form: ActionForm, contract: Contract) -> None:
    form.owner_organisation_id.choices = party_choices(contract)
    form.owner_user_id.choices = [("", "No one in particular")] + [
        (u.id, f"{u.name}, {u.organisation.name}") for u in queries.contract_people(contract.id)
    ]


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/action", methods=["GET", "POST"])
@requires(MANAGE)
def new_action(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = ActionForm()
    fill_action_form(form, contract)
    if form.validate_on_submit():
        try:
            action = outcomes.create_action(
                contract,
                title=form.title.data,
                detail=form.detail.data or "",
                owner_organisation=organisation(contract, form.owner_organisation_id.data),
                owner_user=person_by_id(form.owner_user_id.data),
                due_date=form.due_date.data,
                item=item,
                user=current_user,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(
                f"Action for {action.owner_label} recorded, due {action.due_date.day} {action.due_date:%B %Y}",
                "success",
            )
            return redirect(_item_url(contract.id, item))
    return form_page(contract, form, "Add an action", _item_url(contract.id, item), caption=item.title)


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/deep-dive", methods=["GET", "POST"])
@requires(MANAGE)
def refer_deep_dive(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = DeepDiveForm()
    form.owner_organisation_id.choices = party_choices(contract)
    form.report_meeting_id.choices = _meeting_choices(queries.later_meetings(meeting))
    if form.validate_on_submit():
        try:
            dive = outcomes.refer_deep_dive(
                item,
                title=form.title.data,
                terms_of_reference=form.terms_of_reference.data,
                owner=form.owner.data,
                owner_organisation=organisation(contract, form.owner_organisation_id.data),
                due_date=form.due_date.data,
                report_meeting=db.session.get(Meeting, form.report_meeting_id.data)
                if form.report_meeting_id.data
                else None,
                closure_criteria=form.closure_criteria.data or "",
                indicators=form.indicators.data or "",
                user=current_user,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Deep dive referred. Its findings are on the agenda of {dive.report_meeting.title}.", "success")
            return redirect(_item_url(contract.id, item))
    return form_page(contract, form, "Refer for a deep dive", _item_url(contract.id, item), caption=item.title)


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/escalate", methods=["GET", "POST"])
@requires(MANAGE)
def escalate(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = EscalationForm(data={"title": item.title} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            escalation = outcomes.escalate(item, title=form.title.data, reason=form.reason.data, user=current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Escalated to {escalation.to_meeting.title}", "success")
            return redirect(_item_url(contract.id, item))
    return form_page(
        contract, form, "Escalate to the high-level meeting", _item_url(contract.id, item), caption=item.title
    )


# --- The action log ----------------------------------------------------------------------------


@bp.get("/actions")
@requires(VIEW)
def actions(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    filters = queries.ActionFilters(
        owner_user_id=request.args.get("owner", type=int),
        owner_organisation_id=request.args.get("organisation", type=int),
        status=request.args.get("status", "outstanding"),
        meeting_id=request.args.get("meeting", type=int),
    )
    return render(
        "meetings/actions.html",
        contract,
        actions=queries.action_log(contract.id, filters),
        filters=filters,
        people=queries.contract_people(contract.id),
        meetings=queries.meetings_with_actions(contract.id),
        statuses=[("outstanding", "Open or in progress"), ("overdue", "Overdue")]
        + [(s.value, s.label) for s in ActionStatus]
        + [("all", "All")],
        today=london_today(),
    )


@bp.get("/actions/<int:action_id>")
@requires(VIEW)
def action(contract_id: int, action_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    action = db.get_or_404(Action, action_id)
    from monitoring.audit.queries import history_of

    return render(
        "meetings/action.html",
        contract,
        action=action,
        may_update=outcomes.may_update_action(current_user, action),
        history=history_of(action),
        today=london_today(),
    )


@bp.route("/actions/<int:action_id>/status", methods=["GET", "POST"])
@requires(MANAGE, Permission.UPDATE_ASSIGNED_ACTIONS)
def action_status(contract_id: int, action_id: int) -> Any:
    """The owner (a trust officer for the trust's actions) or a commissioner updates the status."""
    contract = db.get_or_404(Contract, contract_id)
    action = db.get_or_404(Action, action_id)
    if not outcomes.may_update_action(current_user, action):
        abort(403)
    form = ActionStatusForm(data={"status": action.status.value, "note": action.status_note})
    if form.validate_on_submit():
        try:
            outcomes.set_action_status(action, ActionStatus(form.status.data), form.note.data or "")
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Action marked {action.status.label.lower()}", "success")
            return redirect(url_for("meetings.action", contract_id=contract.id, action_id=action.id))
    back = url_for("meetings.action", contract_id=contract.id, action_id=action.id)
    return form_page(contract, form, "Update the action", back, caption=action.title)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_action(contract_id: int, action_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    action = db.get_or_404(Action, action_id)
    form = ActionForm(obj=action)
    fill_action_form(form, contract)
    if form.validate_on_submit():
        try:
            outcomes.update_action(
                action,
                title=form.title.data,
                detail=form.detail.data or "",
                owner_organisation=organisation(contract, form.owner_organisation_id.data),
                owner_user=person_by_id(form.owner_user_id.data),
                due_date=form.due_date.data,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Action saved", "success")
            return redirect(url_for("meetings.action", contract_id=contract.id, action_id=action.id))
    back = url_for("meetings.action", contract_id=contract.id, action_id=action.id)
    return form_page(contract, form, "Change the action", back, caption=action.title)


# --- Deep dives --------------------------------------------------------------------------------


@bp.get("/deep-dives")
@requires(VIEW)
def deep_dives(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return render("meetings/deep_dives.html", contract, dives=queries.deep_dives(contract.id), today=london_today())


@bp.get("/deep-dives/<int:deep_dive_id>")
@requires(VIEW)
def deep_dive(contract_id: int, deep_dive_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    dive = db.get_or_404(DeepDive, deep_dive_id)
    from monitoring.audit.queries import history_of

    return render("meetings/deep_dive.html", contract, dive=dive, history=history_of(dive), today=london_today())


@bp.route("/deep-dives/<int:deep_dive_id>/progress", methods=["GET", "POST"])
@requires(MANAGE)
def progress_deep_dive(contract_id: int, deep_dive_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    dive = db.get_or_404(DeepDive, deep_dive_id)
    form = DeepDiveProgressForm(
        data={"status": dive.status.value, "findings": dive.findings, "closure_note": dive.closure_note}
    )
    if form.validate_on_submit():
        try:
            outcomes.progress_deep_dive(
                dive,
                DeepDiveStatus(form.status.data),
                findings=form.findings.data or "",
                closure_note=form.closure_note.data or "",
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Deep dive is now {dive.status.label.lower()}", "success")
            return redirect(url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id))
    back = url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id)
    intro = f"Closure criteria: {dive.closure_criteria}" if dive.closure_criteria else ""
    return form_page(contract, form, "Record the deep dive's progress", back, caption=dive.title, intro=intro)


@bp.route("/deep-dives/<int:deep_dive_id>/report-meeting", methods=["GET", "POST"])
@requires(MANAGE)
def change_report_meeting(contract_id: int, deep_dive_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    dive = db.get_or_404(DeepDive, deep_dive_id)
    form = ReportMeetingForm(data={"report_meeting_id": dive.report_meeting_id})
    after = dive.referred_at_meeting or dive.report_meeting
    form.report_meeting_id.choices = _meeting_choices(
        queries.later_meetings(after) if dive.referred_at_meeting else [after]
    )
    if form.validate_on_submit():
        try:
            outcomes.change_report_meeting(
                dive, db.session.get(Meeting, form.report_meeting_id.data) if form.report_meeting_id.data else None
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"The findings will be heard at {dive.report_meeting.title}", "success")
            return redirect(url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id))
    back = url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id)
    return form_page(contract, form, "Change the meeting that hears the findings", back, caption=dive.title)


# --- Escalations -------------------------------------------------------------------------------


@bp.get("/escalations/<int:escalation_id>")
@requires(VIEW)
def escalation(contract_id: int, escalation_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    escalation = db.get_or_404(Escalation, escalation_id)
    from monitoring.audit.queries import history_of

    return render("meetings/escalation.html", contract, escalation=escalation, history=history_of(escalation))


@bp.route("/escalations/<int:escalation_id>/response", methods=["GET", "POST"])
@requires(MANAGE)
def respond(contract_id: int, escalation_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    escalation = db.get_or_404(Escalation, escalation_id)
    form = EscalationResponseForm(data={"response": escalation.response})
    if form.validate_on_submit():
        try:
            outcomes.respond_to_escalation(
                escalation, response=form.response.data, resolved=form.resolved.data == "yes"
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Response recorded", "success")
            return redirect(url_for("meetings.escalation", contract_id=contract.id, escalation_id=escalation.id))
    back = url_for("meetings.escalation", contract_id=contract.id, escalation_id=escalation.id)
    return form_page(contract, form, "Record the high-level meeting's response", back, caption=escalation.title)
