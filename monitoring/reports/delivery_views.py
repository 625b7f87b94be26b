"""Delivery schedules (commissioners), the delivery log, and each person's own subscriptions."""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.navigation import contract_sections
from monitoring.permissions import Permission, register_scope, requires
from monitoring.reports import clock, delivery, queries, schedules
from monitoring.reports.forms import AUDIENCE_ROLES, ScheduleForm, SubscriptionForm
from monitoring.reports.models import Delivery, DeliverySchedule, ScheduleKind

bp = Blueprint("deliveries", __name__)

register_scope("schedule_id", DeliverySchedule)
register_scope("delivery_id", Delivery)

P = Permission


def _page(template: str, contract: Contract, status: int = 200, **context: Any) -> Any:
    return render_template(template, contract=contract, sections=contract_sections(contract.id), **context), status


@bp.get("/contracts/<int:contract_id>/schedules")
@requires(P.EDIT_REPORTS)
def schedules_index(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    rows = queries.schedules_of(contract.id)
    now = clock.now()
    upcoming = {s.id: delivery.next_occasion(s, now) for s in rows}
    recipients = {s.id: delivery.recipients_of(s) for s in rows}
    return _page("reports/schedules.html", contract, schedules=rows, upcoming=upcoming, recipients=recipients)


def _terms(form: ScheduleForm) -> schedules.ScheduleTerms:
    return schedules.ScheduleTerms(
        working_days=form.working_days.data,
        weekday=int(form.weekday.data) if (form.weekday.data or "").isdigit() else None,
        send_time=form.send_time.data,
        audience=form.audience_roles,
        starts_on=form.starts_on.data,
        active=form.active.data == "yes",
    )


@bp.route("/contracts/<int:contract_id>/schedules/new", methods=["GET", "POST"])
@requires(P.EDIT_REPORTS)
def new_schedule(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = ScheduleForm(data={"send_time": time(7, 0), "audience": [0], "starts_on": london_today()})
    if form.validate_on_submit():
        try:
            schedule = schedules.create_schedule(contract, ScheduleKind(form.kind.data), _terms(form), current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{schedule.kind.label} schedule added. You will be told if an email cannot be sent.", "success")
            return redirect(url_for("deliveries.schedules_index", contract_id=contract.id))
    return _page(
        "reports/schedule_form.html",
        contract,
        400 if form.errors or form.form_errors else 200,
        form=form,
        schedule=None,
    )


@bp.route("/schedules/<int:schedule_id>", methods=["GET", "POST"])
@requires(P.EDIT_REPORTS)
def edit_schedule(schedule_id: int) -> Any:
    schedule = db.get_or_404(DeliverySchedule, schedule_id)
    form = ScheduleForm(
        data={
            "kind": schedule.kind.value,
            "working_days": schedule.working_days,
            "weekday": str(schedule.weekday or 0),
            "send_time": schedule.send_time,
            "audience": [n for n, role in enumerate(AUDIENCE_ROLES) if role.value in schedule.audience],
            "starts_on": schedule.starts_on,
            "active": "yes" if schedule.active else "no",
        }
    )
    if form.validate_on_submit():
        try:
            schedules.update_schedule(schedule, ScheduleKind(form.kind.data), _terms(form))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Schedule saved", "success")
            return redirect(url_for("deliveries.schedules_index", contract_id=schedule.contract_id))
    return _page(
        "reports/schedule_form.html",
        schedule.contract,
        400 if form.errors or form.form_errors else 200,
        form=form,
        schedule=schedule,
    )


@bp.get("/contracts/<int:contract_id>/deliveries")
@requires(P.EDIT_REPORTS, P.APPROVE_REPORTS)
def deliveries(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    problems_only = request.args.get("show") == "problems"
    page = db.paginate(queries.deliveries_of(contract.id, problems_only=problems_only), per_page=50, max_per_page=50)
    return _page(
        "reports/deliveries.html", contract, page=page, problems_only=problems_only, confirm_form=ConfirmForm()
    )


@bp.post("/deliveries/<int:delivery_id>/send-again")
@requires(P.EDIT_REPORTS)
def send_again(delivery_id: int) -> Any:
    row = db.get_or_404(Delivery, delivery_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        delivery.send_again(row)
    except InvalidInput as error:
        flash(" ".join(error.errors.values()), "error")
    else:
        flash(f"The email to {row.recipient.name} will be sent again within a minute", "success")
    return redirect(url_for("deliveries.deliveries", contract_id=row.contract_id))


def _subscription_page(forms: dict[int, SubscriptionForm], status: int = 200) -> Any:
    rows = queries.schedules_receivable_by(current_user)
    for schedule in rows:
        if schedule.id not in forms:
            receives, attach = schedules.receives(schedule, current_user)
            forms[schedule.id] = SubscriptionForm(
                formdata=None,
                data={
                    "schedule_id": schedule.id,
                    "receives": "yes" if receives else "no",
                    "attach": "attach" if attach else "link",
                },
                prefix=f"s{schedule.id}",
            )
    page_has_errors = any(f.errors or f.form_errors for f in forms.values())
    return render_template(
        "reports/subscriptions.html", schedules=rows, forms=forms, page_has_errors=page_has_errors
    ), status


@bp.get("/subscriptions")
@requires(P.RECEIVE_REPORTS, P.SUBMIT_RETURNS)
def subscriptions() -> Any:
    return _subscription_page({})


@bp.post("/subscriptions/<int:schedule_id>")
@requires(P.RECEIVE_REPORTS, P.SUBMIT_RETURNS)
def subscribe(schedule_id: int) -> Any:
    schedule = db.get_or_404(DeliverySchedule, schedule_id)
    form = SubscriptionForm(prefix=f"s{schedule.id}")
    if form.validate_on_submit():
        try:
            schedules.set_subscription(
                schedule, current_user, receives=form.receives.data == "yes", attach_pdf=form.attach.data == "attach"
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            what = "will receive" if form.receives.data == "yes" else "will not receive"
            flash(f"Saved: you {what} the {schedule.kind.label.lower()} for {schedule.contract.name}", "success")
            return redirect(url_for("deliveries.subscriptions"))
    return _subscription_page({schedule.id: form}, 400)
