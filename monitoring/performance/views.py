"""Pages of the performance area: the trust's KPI return form, the contract dashboard, an
indicator's five-year trend, measures flagged for challenge."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.core.spreadsheets import SheetSpec, write_csv, write_xlsx
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings.models import MeetingKind
from monitoring.meetings.operations import next_meeting
from monitoring.meetings.views import render
from monitoring.performance import dashboard as dashboard_content
from monitoring.performance import display, queries, spreadsheet
from monitoring.performance import returns as kpi_returns
from monitoring.performance.analytics import Analysis
from monitoring.performance.challenge import CHALLENGE, suggest_for_challenge
from monitoring.performance.forms import read_form, typed_values
from monitoring.performance.models import Indicator
from monitoring.performance.operations import FIELDS, field_key, save_values
from monitoring.performance.trends import indicator_trend
from monitoring.permissions import Permission, can, requires
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.returns.queries import month_asked
from monitoring.returns.uploads import CSV, XLSX, attachment, run_upload
from monitoring.returns.views import return_url

bp = Blueprint("performance", __name__, url_prefix="/contracts/<int:contract_id>")
display.install(bp)

VIEW = Permission.VIEW_CONTRACT
SUBMIT = Permission.SUBMIT_RETURNS


def load_kpi_return(return_id: int) -> MonthlyReturn:
    monthly = db.get_or_404(MonthlyReturn, return_id)
    if monthly.kind is not ReturnKind.KPI:
        abort(404)
    return monthly


def _form_page(
    contract: Contract,
    monthly: MonthlyReturn,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
) -> Any:
    revision = monthly.latest
    rows = kpi_returns.rows(revision)
    return render(
        "performance/return_form.html",
        contract,
        status,
        monthly=monthly,
        revision=revision,
        rows=rows,
        errors=errors or {},
        shown=typed if typed is not None else stored_inputs(rows),
        page_has_errors=bool(errors),
        back=return_url(monthly),
    )


def stored_inputs(rows: list[dict[str, Any]]) -> dict[str, str]:
    """The form's inputs filled from the figures saved so far."""
    shown = {}
    for row in rows:
        value = row["value"]
        if value is None:
            continue
        for name in FIELDS:
            stored = getattr(value, name)
            shown[field_key(name, row["indicator"].code)] = stored if isinstance(stored, str) else display.plain(stored)
    return shown


@bp.route("/kpi-returns/<int:return_id>/edit", methods=["GET", "POST"])
@requires(SUBMIT)
def edit_return(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = load_kpi_return(return_id)
    revision = monthly.latest
    if not revision.is_editable:
        flash("This return cannot be changed now: " + revision.status.label.lower(), "info")
        return redirect(return_url(monthly))
    if request.method == "GET":
        return _form_page(contract, monthly)
    indicators = [row["indicator"] for row in kpi_returns.rows(revision)]
    inputs, errors = read_form(request.form, indicators)
    if not errors:
        try:
            saved = save_values(revision, inputs, lock_version=request.form.get("lock_version", type=int))
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"Return saved: {saved} measure{'s' if saved != 1 else ''} with figures", "success")
            return redirect(return_url(monthly))
    return _form_page(contract, monthly, 400, errors=errors, typed=typed_values(request.form))


@bp.app_template_global("link_indicators")
def link_indicators(contract_id: int, text: str) -> Markup:
    """Text naming measures ("NI66, re-referrals"), with each known indicator code linked to its page."""
    codes = {c.upper() for c in re.findall(r"[A-Za-z][A-Za-z0-9_-]{1,29}", text or "")}
    known = queries.indicators_by_code(codes) if codes else {}

    def link(match: re.Match) -> str:
        indicator = known.get(match[0].upper())
        if indicator is None:
            return str(escape(match[0]))
        href = url_for("performance.indicator", contract_id=contract_id, indicator_id=indicator.id)
        return f'<a class="govuk-link" href="{escape(href)}">{escape(match[0])}</a>'

    parts, last = [], 0
    for match in re.finditer(r"[A-Za-z][A-Za-z0-9_-]{1,29}", text or ""):
        parts += [str(escape(text[last : match.start()])), link(match)]
        last = match.end()
    parts.append(str(escape((text or "")[last:])))
    return Markup("".join(parts))  # noqa: S704 - every piece above went through escape()


# --- The dashboard ------------------------------------------------------------------------------


def period_from(text: str | None, contract: Contract) -> Period:
    """The month asked for, else the latest month the trust has reported, else last month."""
    return month_asked(text, contract.id, ReturnKind.KPI, london_today())


@bp.get("/performance")
@requires(VIEW)
def dashboard(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    objective_id = request.args.get("objective", type=int)
    status = request.args.get("status", "")
    data = dashboard_content.content(contract, period)
    groups = dashboard_content.shown(data, objective_id, status)
    return render(
        "performance/dashboard.html",
        contract,
        period=period,
        months=[period.shift(-1), period.shift(1)],
        data=data,
        groups=groups,
        shown=sum(len(g["rows"]) for g in groups),
        filters={"objective": objective_id, "status": status},
        statuses=STATUS_FILTERS,
    )


STATUS_FILTERS = [
    ("", "Any status"),
    ("red", "Red"),
    ("amber", "Amber"),
    ("green", "Green"),
    ("grey", "No data"),
    ("not_judged", "Not judged (context)"),
    ("flagged", "Flagged for challenge"),
]


# --- Measures flagged for challenge -------------------------------------------------------------


@bp.get("/performance/flags")
@requires(VIEW)
def flags(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    flagged = [r for r in Analysis.for_period(contract, period).results(period) if r.is_flagged]
    joint = next_meeting(contract.id, kind=MeetingKind.JOINT_PERFORMANCE_FINANCE)
    on_agenda = {i.source_id: i for i in joint.items if i.source_kind == CHALLENGE} if joint else {}
    return render(
        "performance/flags.html",
        contract,
        period=period,
        flagged=flagged,
        joint=joint,
        on_agenda=on_agenda,
        confirm_form=ConfirmForm(),
    )


@bp.post("/performance/indicators/<int:indicator_id>/challenge")
@requires(Permission.MANAGE_CONTRACT)
def challenge(contract_id: int, indicator_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    indicator = db.get_or_404(Indicator, indicator_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    period = period_from(request.form.get("period"), contract)
    try:
        item = suggest_for_challenge(contract, indicator, period)
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash(f"{indicator.code} is on the agenda of {item.meeting.title}", "success")
    return redirect(url_for("performance.flags", contract_id=contract.id, period=period.label))


# --- One indicator ------------------------------------------------------------------------------


@bp.get("/performance/indicators/<int:indicator_id>")
@requires(VIEW)
def indicator(contract_id: int, indicator_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    measure = db.get_or_404(Indicator, indicator_id)
    period = period_from(request.args.get("period"), contract)
    trend = indicator_trend(contract, measure, period)
    return render("performance/indicator.html", contract, indicator=measure, period=period, trend=trend)


# --- Spreadsheets -------------------------------------------------------------------------------


def _export(sheet: SheetSpec, filename: str, kind: str) -> Response:
    if kind == "csv":
        return attachment(write_csv(sheet.rows), f"{filename}.csv", CSV)
    return attachment(write_xlsx([sheet]), f"{filename}.xlsx", XLSX)


@bp.get("/kpi-returns/<int:return_id>/spreadsheet.<any(xlsx, csv):kind>")
@requires(VIEW)
def return_spreadsheet(contract_id: int, return_id: int, kind: str) -> Any:
    """The return's template filled with its latest figures the reader may see (the trust: its draft)."""
    contract = db.get_or_404(Contract, contract_id)
    monthly = load_kpi_return(return_id)
    if not (monthly.latest.status.was_submitted or can(current_user, SUBMIT, contract.id)):
        abort(404)
    return _export(spreadsheet.template(monthly, contract), f"kpi-return-{monthly.period.label}", kind)


@bp.route("/kpi-returns/<int:return_id>/upload", methods=["GET", "POST"])
@requires(SUBMIT)
def upload(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = load_kpi_return(return_id)

    def save(filename: str, data: bytes) -> int:
        return save_values(monthly.latest, spreadsheet.read_upload(monthly.latest, filename, data))

    return run_upload(
        "performance/upload.html",
        contract,
        monthly,
        save=save,
        saved_words=lambda n: f"{n} measure{'s' if n != 1 else ''} with figures",
    )


@bp.get("/performance/export.<any(xlsx, csv):kind>")
@requires(VIEW)
def export(contract_id: int, kind: str) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    results = Analysis.for_period(contract, period).results(period)
    sheet = SheetSpec(
        name="Performance",
        rows=spreadsheet.dashboard_rows(results),
        notes=[f"Contract: {contract.name}", f"Month: {period.label} ({period.name})"],
    )
    return _export(sheet, f"performance-{period.label}", kind)
