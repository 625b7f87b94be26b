"""Pages for one meeting: its agenda, papers, attendance and minutes."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, send_file, url_for
from flask_login import current_user

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.timeutil import format_datetime, london_today
from monitoring.extensions import db
from monitoring.meetings import operations, papers, queries
from monitoring.meetings.forms import (
    ATTENDANCE_CHOICES,
    AgendaItemForm,
    ApproveMinutesForm,
    AttendeeForm,
    CancelForm,
    MeetingWhenForm,
    MinutesForm,
    PaperForm,
)
from monitoring.meetings.models import (
    AgendaItem,
    Attendance,
    Meeting,
    Paper,
)
from monitoring.meetings.views import (
    MANAGE,
    VIEW,
    bp,
    load_meeting,
    meeting_choices,
    meeting_url,
    organisation,
    party_choices,
    render,
    run_form,
)
from monitoring.permissions import requires

# --- One meeting -------------------------------------------------------------------------------


@bp.get("/meetings/<int:meeting_id>")
@requires(VIEW)
def meeting(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting = queries.meeting_for_page(meeting_id) or abort(404)
    return render(
        "meetings/meeting.html",
        contract,
        meeting=meeting,
        confirm_form=ConfirmForm(),
        source_kinds=operations.SOURCE_KINDS,
    )


@bp.route("/meetings/<int:meeting_id>/move", methods=["GET", "POST"])
@requires(MANAGE)
def move(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    local = meeting.local_start
    form = MeetingWhenForm(
        data={
            "day": local.date(),
            "start_time": local.time(),
            "duration_minutes": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
            "location": meeting.location,
        }
    )
    return run_form(
        contract,
        form,
        title="Move the meeting",
        back=meeting_url(meeting),
        run=lambda: operations.move_meeting(
            meeting,
            day=form.day.data,
            start_time=form.start_time.data,
            duration_minutes=form.duration_minutes.data,
            location=form.location.data or "",
        ),
        message=lambda moved: f"Meeting moved to {format_datetime(moved.starts_at)}. Other meetings are unchanged.",
        caption=meeting.title,
    )


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["GET", "POST"])
@requires(MANAGE)
def cancel(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    form = CancelForm()
    return run_form(
        contract,
        form,
        title="Cancel the meeting",
        back=meeting_url(meeting),
        run=lambda: operations.cancel_meeting(meeting, form.reason.data),
        message=f"{meeting.title} cancelled. Other meetings are unchanged.",
        caption=meeting.title,
        intro="A cancelled meeting stays in the calendar as cancelled, and its date is not offered again.",
    )


@bp.post("/meetings/<int:meeting_id>/prepare")
@requires(MANAGE)
def prepare(contract_id: int, meeting_id: int) -> Any:
    meeting, _ = load_meeting(meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        added = operations.prepare_agenda(meeting)
    except InvalidInput as error:
        flash(error.errors.get("__all__", "The agenda cannot change"), "error")
        return redirect(url_for("meetings.meeting", contract_id=contract_id, meeting_id=meeting.id))
    flash(f"Agenda brought up to date: {len(added)} item{'s' if len(added) != 1 else ''} added", "success")
    return redirect(url_for("meetings.meeting", contract_id=contract_id, meeting_id=meeting.id))


# --- Agenda items and papers -------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/items/new", methods=["GET", "POST"])
@requires(MANAGE)
def new_item(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    form = AgendaItemForm()
    return run_form(
        contract,
        form,
        title="Add an agenda item",
        back=meeting_url(meeting),
        run=lambda: operations.add_agenda_item(
            meeting, title=form.title.data, description=form.description.data or "", presenter=form.presenter.data or ""
        ),
        message=lambda item: f"{item.title} added to the agenda",
        caption=meeting.title,
    )


@bp.get("/meetings/<int:meeting_id>/items/<int:agenda_item_id>")
@requires(VIEW)
def item(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    return item_page(contract, meeting, item)


def item_page(contract: Contract, meeting: Meeting, item: AgendaItem, paper_form: PaperForm | None = None) -> Any:
    from monitoring.meetings.followups import Action, DeepDive

    source = None
    if item.source_kind == "action" and item.source_id:
        source = db.session.get(Action, item.source_id)
    elif item.source_kind == "deep_dive" and item.source_id:
        source = db.session.get(DeepDive, item.source_id)
    paper_form = paper_form or PaperForm()
    return render(
        "meetings/item.html",
        contract,
        400 if paper_form.errors else 200,
        meeting=meeting,
        item=item,
        source=source,
        escalations=queries.escalations_touching(item),
        paper_form=paper_form,
        form=paper_form,
        confirm_form=ConfirmForm(),
        source_kinds=operations.SOURCE_KINDS,
        today=london_today(),
    )


@bp.route("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/edit", methods=["GET", "POST"])
@requires(MANAGE)
def edit_item(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = AgendaItemForm(obj=item)
    return run_form(
        contract,
        form,
        title="Change the agenda item",
        back=url_for("meetings.item", contract_id=contract.id, meeting_id=meeting.id, agenda_item_id=item.id),
        run=lambda: operations.update_agenda_item(
            item, title=form.title.data, description=form.description.data or "", presenter=form.presenter.data or ""
        ),
        message=lambda item: f"{item.title} saved",
        caption=meeting.title,
    )


@bp.post("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/move")
@requires(MANAGE)
def move_item(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.move_agenda_item(item, request.form.get("direction", ""))
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
    return redirect(url_for("meetings.meeting", contract_id=contract_id, meeting_id=meeting.id) + f"#item-{item.id}")


@bp.post("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/remove")
@requires(MANAGE)
def remove_item(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.remove_agenda_item(item)
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
        return redirect(
            url_for("meetings.item", contract_id=contract_id, meeting_id=meeting.id, agenda_item_id=item.id)
        )
    flash(f"{item.title} removed from the agenda", "success")
    return redirect(url_for("meetings.meeting", contract_id=contract_id, meeting_id=meeting.id))


@bp.post("/meetings/<int:meeting_id>/items/<int:agenda_item_id>/papers")
@requires(MANAGE)
def upload_paper(contract_id: int, meeting_id: int, agenda_item_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, item = load_meeting(meeting_id, agenda_item_id)
    form = PaperForm()
    if form.validate_on_submit():
        try:
            paper = papers.store_paper(item, form.paper.data, current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{paper.filename} uploaded", "success")
            return redirect(
                url_for("meetings.item", contract_id=contract.id, meeting_id=meeting.id, agenda_item_id=item.id)
            )
    return item_page(contract, meeting, item, form)


@bp.get("/papers/<int:paper_id>")
@requires(VIEW)
def paper(contract_id: int, paper_id: int) -> Any:
    """Papers are only ever sent as downloads, to people who may read the contract."""
    paper = db.get_or_404(Paper, paper_id)
    path = papers.path_of(paper)
    if path is None:
        abort(404)
    return send_file(path, mimetype=paper.content_type, as_attachment=True, download_name=paper.filename, max_age=0)


@bp.post("/papers/<int:paper_id>/remove")
@requires(MANAGE)
def remove_paper(contract_id: int, paper_id: int) -> Any:
    paper = db.get_or_404(Paper, paper_id)
    item = paper.item
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        papers.remove_paper(paper)
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash(f"{paper.filename} removed", "success")
    return redirect(
        url_for("meetings.item", contract_id=contract_id, meeting_id=item.meeting_id, agenda_item_id=item.id)
    )


# --- Attendance and minutes --------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@requires(MANAGE)
def attendance(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    form = AttendeeForm(prefix="attendee")
    form.organisation_id.choices = party_choices(contract)
    errors: dict[str, str] = {}
    if request.method == "POST" and request.form.get("save") == "attendance":
        choices = {a.id: request.form.get(f"attendance-{a.id}", a.attendance.value) for a in meeting.attendees}
        try:
            operations.record_attendance(meeting, choices)
        except InvalidInput as error:
            errors = error.errors
        else:
            flash("Attendance saved", "success")
            return redirect(url_for("meetings.meeting", contract_id=contract.id, meeting_id=meeting.id))
    elif request.method == "POST" and form.validate_on_submit():
        try:
            person = operations.add_attendee(
                meeting,
                name=form.name.data,
                job_title=form.job_title.data or "",
                organisation=organisation(contract, form.organisation_id.data),
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{person.name} added", "success")
            return redirect(url_for("meetings.attendance", contract_id=contract.id, meeting_id=meeting.id))
    failed = bool(errors or form.errors or form.form_errors)
    return render(
        "meetings/attendance.html",
        contract,
        400 if failed else 200,
        meeting=meeting,
        attendee_form=form,
        attendance_errors=errors,
        attendance_error_list=[{"text": message, "href": f"#{name}"} for name, message in errors.items()],
        choices=ATTENDANCE_CHOICES,
        Attendance=Attendance,
        page_has_errors=failed,
    )


@bp.route("/meetings/<int:meeting_id>/minutes", methods=["GET", "POST"])
@requires(MANAGE)
def minutes(contract_id: int, meeting_id: int) -> Any:
    """Commissioners write the minutes; nobody else sees this form."""
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    draft = meeting.draft_minutes
    latest = meeting.minutes[-1] if meeting.minutes else None
    form = MinutesForm(
        data={
            "text": latest.text if latest else "",
            "reason": draft.reason if draft else "",
            "lock_version": draft.lock_version if draft else "",
        }
    )
    if form.validate_on_submit():
        try:
            revision = operations.save_minutes(
                meeting,
                text=form.text.data,
                reason=form.reason.data or "",
                user=current_user,
                lock_version=form.lock_version.seen,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Minutes saved as draft revision {revision.number}", "success")
            return redirect(url_for("meetings.meeting", contract_id=contract.id, meeting_id=meeting.id) + "#minutes")
    approve_form = ApproveMinutesForm(prefix="approve")
    approve_form.at_meeting_id.choices = meeting_choices(queries.held_later_meetings(meeting))
    return render(
        "meetings/minutes.html",
        contract,
        400 if form.errors or form.form_errors else 200,
        meeting=meeting,
        form=form,
        approve_form=approve_form,
    )


@bp.post("/meetings/<int:meeting_id>/minutes/approve")
@requires(MANAGE)
def approve_minutes(contract_id: int, meeting_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    meeting, _ = load_meeting(meeting_id)
    form = ApproveMinutesForm(prefix="approve")
    later = queries.held_later_meetings(meeting)
    form.at_meeting_id.choices = meeting_choices(later)
    if form.validate_on_submit():
        at = db.session.get(Meeting, form.at_meeting_id.data) if form.at_meeting_id.data else None
        try:
            operations.approve_minutes(meeting, at, current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Minutes approved and locked. A later change will be a new revision.", "success")
            return redirect(url_for("meetings.meeting", contract_id=contract.id, meeting_id=meeting.id) + "#minutes")
    return render(
        "meetings/minutes.html",
        contract,
        400,
        meeting=meeting,
        form=MinutesForm(data={"text": meeting.minutes[-1].text if meeting.minutes else ""}),
        approve_form=form,
        page_has_errors=True,
    )
