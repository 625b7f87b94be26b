"""Pages for a contract's meetings: the calendar, meeting types, agendas, papers, attendance, minutes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors, options
from monitoring.core.periods import FinancialYear
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import operations, queries
from monitoring.meetings.forms import (
    AttendeeForm,
    GenerateForm,
    MeetingTypeForm,
    NewMeetingForm,
    StandingItemForm,
)
from monitoring.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingType,
    Paper,
    StandingAttendee,
    StandingItem,
)
from monitoring.meetings.rules import CadenceRule, Frequency
from monitoring.navigation import contract_sections
from monitoring.permissions import Permission, register_scope, requires

bp = Blueprint("meetings", __name__, url_prefix="/contracts/<int:contract_id>")

register_scope("meeting_type_id", MeetingType)
register_scope("standing_item_id", StandingItem)
register_scope("standing_attendee_id", StandingAttendee)
register_scope("meeting_id", Meeting)
register_scope("agenda_item_id", AgendaItem)
register_scope("paper_id", Paper)

VIEW = Permission.VIEW_CONTRACT
MANAGE = Permission.MANAGE_CONTRACT


def render(template: str, contract: Contract, status: int = 200, **context: Any) -> Any:
    return render_template(template, contract=contract, sections=contract_sections(contract.id), **context), status


def form_page(contract: Contract, form: Any, title: str, back: str, **context: Any) -> Any:
    """The shared page for a single form: heading, back link, the form's fields in order."""
    failed = form.errors or form.form_errors
    return render("meetings/form.html", contract, 400 if failed else 200, form=form, title=title, back=back, **context)


def run_form(
    contract: Contract,
    form: Any,
    *,
    title: str,
    back: str,
    run: Callable[[], Any],
    message: str | Callable[[Any], str],
    done: str | Callable[[Any], str] | None = None,
    **context: Any,
) -> Any:
    """Show a one-form page; on a valid post run the operation, say what happened and go to `done`
    (the back link by default). The operation's InvalidInput is shown on the form, answered 400."""
    if form.validate_on_submit():
        try:
            result = run()
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(message(result) if callable(message) else message, "success")
            return redirect(done(result) if callable(done) else done or back)
    return form_page(contract, form, title, back, **context)


def party_choices(contract: Contract) -> list[Any]:
    return options([("", "Select")] + [(o.id, o.name) for o in (contract.council, contract.trust)])


def meeting_choices(meetings: list[Meeting]) -> list[Any]:
    return options([("", "Select")] + [(m.id, m.title) for m in meetings])


def organisation(contract: Contract, organisation_id: int | None) -> Organisation | None:
    return db.session.get(Organisation, organisation_id) if organisation_id else None


def load_meeting(meeting_id: int, agenda_item_id: int | None = None) -> tuple[Meeting, AgendaItem | None]:
    meeting = db.get_or_404(Meeting, meeting_id)
    item = None
    if agenda_item_id is not None:
        item = db.get_or_404(AgendaItem, agenda_item_id)
        if item.meeting_id != meeting.id:
            abort(404)
    return meeting, item


def meeting_url(meeting: Meeting) -> str:
    return url_for("meetings.meeting", contract_id=meeting.contract_id, meeting_id=meeting.id)


def year_from(text: str | None) -> FinancialYear:
    try:
        return FinancialYear.parse(text or "")
    except ValueError:
        return FinancialYear.containing(london_today())


# --- The calendar ------------------------------------------------------------------------------


@bp.get("/meetings")
@requires(VIEW)
def index(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    year = year_from(request.args.get("year"))
    type_id = request.args.get("type", type=int)
    return render(
        "meetings/index.html",
        contract,
        year=year,
        years=[FinancialYear(year.start_year + n) for n in (-1, 1)],
        meetings=queries.meetings_in_year(contract.id, year, type_id),
        types=queries.meeting_types(contract.id),
        type_id=type_id,
        today=london_today(),
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_meeting(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = NewMeetingForm()
    types = {t.id: t for t in queries.meeting_types(contract.id)}
    form.meeting_type_id.choices = options([("", "Select")] + [(t.id, t.name) for t in types.values()])

    def run() -> Meeting:
        meeting_type = types.get(form.meeting_type_id.data)
        if meeting_type is None:
            raise InvalidInput({"meeting_type_id": "Select which meeting this is"})
        return operations.schedule_meeting(
            meeting_type,
            day=form.day.data,
            start_time=form.start_time.data,
            duration_minutes=form.duration_minutes.data,
            location=form.location.data or meeting_type.location,
        )

    return run_form(
        contract,
        form,
        title="Add a meeting",
        back=url_for("meetings.index", contract_id=contract.id),
        run=run,
        message=lambda meeting: f"{meeting.title} added",
        done=meeting_url,
    )


# --- Meeting types -----------------------------------------------------------------------------


@bp.get("/meeting-types")
@requires(VIEW)
def types(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return render("meetings/types.html", contract, types=queries.meeting_types(contract.id))


def _type_fields(form: MeetingTypeForm) -> dict[str, Any]:
    return {
        "kind": MeetingKind(form.kind.data),
        "name": form.name.data,
        "frequency": Frequency(form.frequency.data),
        "rule": CadenceRule(form.rule.data),
        "ordinal": form.ordinal.data,
        "weekday": form.weekday.data,
        "month_of_period": form.month_of_period.data or 1,
        "offset_days": form.offset_days.data,
        "start_time": form.start_time.data,
        "duration_minutes": form.duration_minutes.data,
        "location": form.location.data,
    }


@bp.route("/meeting-types/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_type(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = MeetingTypeForm()
    return run_form(
        contract,
        form,
        title="Add a meeting type",
        back=url_for("meetings.types", contract_id=contract.id),
        run=lambda: operations.create_meeting_type(contract, **_type_fields(form)),
        message=lambda meeting_type: f"{meeting_type.name} added: {meeting_type.cadence_words}",
        done=lambda t: url_for("meetings.meeting_type", contract_id=contract.id, meeting_type_id=t.id),
    )


def _type_page(contract: Contract, meeting_type: MeetingType, status: int = 200, **forms: Any) -> Any:
    item_form = forms.get("item_form") or StandingItemForm(prefix="item")
    attendee_form = forms.get("attendee_form") or AttendeeForm(prefix="attendee")
    attendee_form.organisation_id.choices = party_choices(contract)
    generate_form = forms.get("generate_form") or GenerateForm(
        prefix="generate", data={"financial_year": FinancialYear.containing(london_today()).label}
    )
    type_form = forms.get("type_form") or MeetingTypeForm(
        prefix="type",
        obj=meeting_type,
        data={
            "kind": meeting_type.kind.value,
            "frequency": meeting_type.frequency.value,
            "rule": meeting_type.rule.value,
        },
    )
    all_forms = (type_form, item_form, attendee_form, generate_form)
    return render(
        "meetings/type.html",
        contract,
        status,
        meeting_type=meeting_type,
        type_form=type_form,
        item_form=item_form,
        attendee_form=attendee_form,
        generate_form=generate_form,
        confirm_form=ConfirmForm(),
        page_has_errors=any(f.errors or f.form_errors for f in all_forms),
        all_forms=all_forms,
    )


@bp.get("/meeting-types/<int:meeting_type_id>")
@requires(VIEW)
def meeting_type(contract_id: int, meeting_type_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return _type_page(contract, db.get_or_404(MeetingType, meeting_type_id))


@bp.post("/meeting-types/<int:meeting_type_id>")
@requires(MANAGE)
def edit_type(contract_id: int, meeting_type_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting_type = db.get_or_404(MeetingType, meeting_type_id)
    form = MeetingTypeForm(prefix="type")
    if form.validate_on_submit():
        try:
            operations.update_meeting_type(meeting_type, **_type_fields(form))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{meeting_type.name} saved: {meeting_type.cadence_words}", "success")
            return redirect(url_for("meetings.meeting_type", contract_id=contract.id, meeting_type_id=meeting_type.id))
    return _type_page(contract, meeting_type, 400, type_form=form)


@bp.post("/meeting-types/<int:meeting_type_id>/standing-items")
@requires(MANAGE)
def add_standing_item(contract_id: int, meeting_type_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting_type = db.get_or_404(MeetingType, meeting_type_id)
    form = StandingItemForm(prefix="item")
    if form.validate_on_submit():
        try:
            item = operations.add_standing_item(meeting_type, form.title.data, form.presenter.data or "")
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{item.title} will be on every {meeting_type.name} agenda", "success")
            return redirect(url_for("meetings.meeting_type", contract_id=contract.id, meeting_type_id=meeting_type.id))
    return _type_page(contract, meeting_type, 400, item_form=form)


@bp.post("/meeting-types/<int:meeting_type_id>/standing-items/<int:standing_item_id>/remove")
@requires(MANAGE)
def remove_standing_item(contract_id: int, meeting_type_id: int, standing_item_id: int) -> Any:
    item = db.get_or_404(StandingItem, standing_item_id)
    if item.meeting_type_id != meeting_type_id or not ConfirmForm().validate_on_submit():
        abort(404 if item.meeting_type_id != meeting_type_id else 400)
    operations.remove_standing_item(item)
    flash(f"{item.title} is no longer a standing item", "success")
    return redirect(url_for("meetings.meeting_type", contract_id=contract_id, meeting_type_id=meeting_type_id))


@bp.post("/meeting-types/<int:meeting_type_id>/attendees")
@requires(MANAGE)
def add_standing_attendee(contract_id: int, meeting_type_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting_type = db.get_or_404(MeetingType, meeting_type_id)
    form = AttendeeForm(prefix="attendee")
    form.organisation_id.choices = party_choices(contract)
    if form.validate_on_submit():
        try:
            attendee = operations.add_standing_attendee(
                meeting_type,
                form.name.data,
                form.job_title.data or "",
                organisation(contract, form.organisation_id.data),
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{attendee.name} will be expected at new {meeting_type.name} meetings", "success")
            return redirect(url_for("meetings.meeting_type", contract_id=contract.id, meeting_type_id=meeting_type.id))
    return _type_page(contract, meeting_type, 400, attendee_form=form)


@bp.post("/meeting-types/<int:meeting_type_id>/attendees/<int:standing_attendee_id>/remove")
@requires(MANAGE)
def remove_standing_attendee(contract_id: int, meeting_type_id: int, standing_attendee_id: int) -> Any:
    attendee = db.get_or_404(StandingAttendee, standing_attendee_id)
    if attendee.meeting_type_id != meeting_type_id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.remove_standing_attendee(attendee)
    flash(f"{attendee.name} removed from the standing attendees", "success")
    return redirect(url_for("meetings.meeting_type", contract_id=contract_id, meeting_type_id=meeting_type_id))


@bp.post("/meeting-types/<int:meeting_type_id>/generate")
@requires(MANAGE)
def generate(contract_id: int, meeting_type_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting_type = db.get_or_404(MeetingType, meeting_type_id)
    form = GenerateForm(prefix="generate")
    if form.validate_on_submit():
        try:
            year = FinancialYear.parse(form.financial_year.data)
        except ValueError:
            form.financial_year.errors = ["Enter the financial year in the form 2017/18"]
        else:
            created = operations.generate_calendar(meeting_type, year)
            flash(f"{len(created)} {meeting_type.name} meetings added for {year.label}", "success")
            return redirect(url_for("meetings.index", contract_id=contract.id, year=year.label, type=meeting_type.id))
    return _type_page(contract, meeting_type, 400, generate_form=form)


# --- Home page panels (templates/meetings/_home_panel.html) -----------------------------------


@bp.app_template_global("governance_upcoming")
def governance_upcoming(user: Any) -> list[Meeting]:
    return queries.upcoming_for(user)


@bp.app_template_global("governance_actions")
def governance_actions(user: Any, *, assigned_only: bool, overdue_only: bool) -> list[Any]:
    return queries.outstanding_actions_for(user, assigned_only=assigned_only, overdue_only=overdue_only)


bp.add_app_template_global(london_today, "london_today")
