"""Pages for outcomes and what follows them: the action log, deep dives and escalations."""

from __future__ import annotations

from typing import Any

from flask import abort, request, url_for
from flask_login import current_user

from monitoring.accounts.models import User
from monitoring.audit.queries import history_of
from monitoring.contracts.models import Contract
from monitoring.core.forms import options
from monitoring.core.timeutil import format_date, london_today
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
from monitoring.meetings.models import AgendaItem, Meeting, OutcomeKind
from monitoring.meetings.views import (
    MANAGE,
    VIEW,
    bp,
    load_meeting,
    meeting_choices,
    organisation,
    party_choices,
    render,
    run_form,
)
from monitoring.permissions import Permission, register_scope, requires

register_scope("action_id", Action)
register_scope("deep_dive_id", DeepDive)
register_scope("escalation_id", Escalation)


def _item_url(contract_id: int, item: AgendaItem) -> str:
    return url_for("meetings.item", contract_id=contract_id, meeting_id=item.meeting_id, agenda_item_id=item.id)


def person_by_id(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _meeting(meeting_id: int | None) -> Meeting | None:
    return db.session.get(Meeting, meeting_id) if meeting_id else None


def fill_action_form(form: ActionForm, contract: Contract) -> None:
    form.owner_organisation_id.choices = party_choices(contract)
    form.owner_user_id.choices = options(
        [("", "No one in particular")]
        + [(u.id, f"{u.name}, {u.organisation.name}") for u in queries.contract_people(contract.id)]
    )


def action_fields(form: ActionForm, contract: Contract) -> dict[str, Any]:
    """The action form's answers as the arguments of create_action and update_action."""
    return {
        "title": form.title.data,
        "detail": form.detail.data or "",
        "owner_organisation": organisation(contract, form.owner_organisation_id.data),
        "owner_user": person_by_id(form.owner_user_id.data),
        "due_date": form.due_date.data,
    }


# --- Outcomes ----------------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/outcome", methods=["GET", "POST"])
@requires(MANAGE)
def record_outcome(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    _, item = load_meeting(meeting_id, agenda_item_id)
    form = OutcomeForm()

    def run() -> str:
        if form.kind.data == "carried_over":
            carried = outcomes.carry_over(item, form.text.data or "", current_user)
            return f"Carried over to {carried.meeting.title}"
        outcomes.record_outcome(item, OutcomeKind(form.kind.data), form.text.data or "", current_user)
        return "Outcome recorded"

    back = _item_url(contract.id, item)
    return run_form(contract, form, title="Record an outcome", back=back, run=run, message=str, caption=item.title)


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/action", methods=["GET", "POST"])
@requires(MANAGE)
def new_action(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    _, item = load_meeting(meeting_id, agenda_item_id)
    form = ActionForm()
    fill_action_form(form, contract)
    return run_form(
        contract,
        form,
        title="Add an action",
        back=_item_url(contract.id, item),
        run=lambda: outcomes.create_action(contract, **action_fields(form, contract), item=item, user=current_user),
        message=lambda action: f"Action for {action.owner_label} recorded, due {format_date(action.due_date)}",
        caption=item.title,
    )


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/deep-dive", methods=["GET", "POST"])
@requires(MANAGE)
def refer_deep_dive(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = DeepDiveForm()
    form.owner_organisation_id.choices = party_choices(contract)
    form.report_meeting_id.choices = meeting_choices(queries.later_meetings(meeting))

    def run() -> DeepDive:
        return outcomes.refer_deep_dive(
            item,
            title=form.title.data,
            terms_of_reference=form.terms_of_reference.data,
            owner=form.owner.data,
            owner_organisation=organisation(contract, form.owner_organisation_id.data),
            due_date=form.due_date.data,
            report_meeting=_meeting(form.report_meeting_id.data),
            closure_criteria=form.closure_criteria.data or "",
            indicators=form.indicators.data or "",
            user=current_user,
        )

    return run_form(
        contract,
        form,
        title="Refer for a deep dive",
        back=_item_url(contract.id, item),
        run=run,
        message=lambda dive: f"Deep dive referred. Its findings are on the agenda of {dive.report_meeting.title}.",
        caption=item.title,
    )


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/escalate", methods=["GET", "POST"])
@requires(MANAGE)
def escalate(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    _, item = load_meeting(meeting_id, agenda_item_id)
    form = EscalationForm(data={"title": item.title} if request.method == "GET" else None)
    return run_form(
        contract,
        form,
        title="Escalate to the high-level meeting",
        back=_item_url(contract.id, item),
        run=lambda: outcomes.escalate(item, title=form.title.data, reason=form.reason.data, user=current_user),
        message=lambda escalation: f"Escalated to {escalation.to_meeting.title}",
        caption=item.title,
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
    form = ActionStatusForm(
        data={"status": action.status.value, "note": action.status_note, "lock_version": action.lock_version}
    )
    return run_form(
        contract,
        form,
        title="Update the action",
        back=url_for("meetings.action", contract_id=contract.id, action_id=action.id),
        run=lambda: outcomes.set_action_status(
            action, ActionStatus(form.status.data), form.note.data or "", lock_version=form.lock_version.seen
        ),
        message=lambda action: f"Action marked {action.status.label.lower()}",
        caption=action.title,
    )


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_action(contract_id: int, action_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    action = db.get_or_404(Action, action_id)
    form = ActionForm(obj=action)
    fill_action_form(form, contract)
    return run_form(
        contract,
        form,
        title="Change the action",
        back=url_for("meetings.action", contract_id=contract.id, action_id=action.id),
        run=lambda: outcomes.update_action(
            action, **action_fields(form, contract), lock_version=form.lock_version.seen
        ),
        message="Action saved",
        caption=action.title,
    )


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
    return render("meetings/deep_dive.html", contract, dive=dive, history=history_of(dive), today=london_today())


@bp.route("/deep-dives/<int:deep_dive_id>/progress", methods=["GET", "POST"])
@requires(MANAGE)
def progress_deep_dive(contract_id: int, deep_dive_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    dive = db.get_or_404(DeepDive, deep_dive_id)
    form = DeepDiveProgressForm(
        data={"status": dive.status.value, "findings": dive.findings, "closure_note": dive.closure_note}
    )
    return run_form(
        contract,
        form,
        title="Record the deep dive's progress",
        back=url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id),
        run=lambda: outcomes.progress_deep_dive(
            dive,
            DeepDiveStatus(form.status.data),
            findings=form.findings.data or "",
            closure_note=form.closure_note.data or "",
        ),
        message=lambda dive: f"Deep dive is now {dive.status.label.lower()}",
        caption=dive.title,
        intro=f"Closure criteria: {dive.closure_criteria}" if dive.closure_criteria else "",
    )


@bp.route("/deep-dives/<int:deep_dive_id>/report-meeting", methods=["GET", "POST"])
@requires(MANAGE)
def change_report_meeting(contract_id: int, deep_dive_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    dive = db.get_or_404(DeepDive, deep_dive_id)
    form = ReportMeetingForm(data={"report_meeting_id": dive.report_meeting_id})
    referred = dive.referred_at_meeting
    form.report_meeting_id.choices = meeting_choices(
        queries.later_meetings(referred) if referred else [dive.report_meeting]
    )
    return run_form(
        contract,
        form,
        title="Change the meeting that hears the findings",
        back=url_for("meetings.deep_dive", contract_id=contract.id, deep_dive_id=dive.id),
        run=lambda: outcomes.change_report_meeting(dive, _meeting(form.report_meeting_id.data)),
        message=lambda dive: f"The findings will be heard at {dive.report_meeting.title}",
        caption=dive.title,
    )


# --- Escalations -------------------------------------------------------------------------------


@bp.get("/escalations/<int:escalation_id>")
@requires(VIEW)
def escalation(contract_id: int, escalation_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    escalation = db.get_or_404(Escalation, escalation_id)
    return render("meetings/escalation.html", contract, escalation=escalation, history=history_of(escalation))


@bp.route("/escalations/<int:escalation_id>/response", methods=["GET", "POST"])
@requires(MANAGE)
def respond(contract_id: int, escalation_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    escalation = db.get_or_404(Escalation, escalation_id)
    form = EscalationResponseForm(data={"response": escalation.response})
    return run_form(
        contract,
        form,
        title="Record the high-level meeting's response",
        back=url_for("meetings.escalation", contract_id=contract.id, escalation_id=escalation.id),
        run=lambda: outcomes.respond_to_escalation(
            escalation, response=form.response.data, resolved=form.resolved.data == "yes"
        ),
        message="Response recorded",
        caption=escalation.title,
    )
