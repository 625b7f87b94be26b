"""Scrutiny summaries: list, draft, narrative, approval, publication, PDFs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, url_for
from flask_login import current_user

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.navigation import contract_sections
from monitoring.permissions import Permission, can, register_scope, requires
from monitoring.reports import operations, queries, rendering, template_helpers
from monitoring.reports.compose import compose, document_context
from monitoring.reports.forms import NewSummaryForm, ReturnForm, narrative_form_class
from monitoring.reports.models import PdfRender, Summary, SummaryStatus, SummaryVersion
from monitoring.reports.periods import PeriodKind, latest_complete

bp = Blueprint("reports", __name__)
template_helpers.install(bp)

register_scope("summary_id", Summary)

P = Permission
WORKERS = (P.EDIT_REPORTS, P.APPROVE_REPORTS)  # who sees drafts and versions awaiting approval
READERS = (P.EDIT_REPORTS, P.APPROVE_REPORTS, P.READ_PUBLISHED_REPORTS)


def _page(template: str, contract: Contract, status: int = 200, **context: Any) -> Any:
    return render_template(template, contract=contract, sections=contract_sections(contract.id), **context), status


def _sees_drafts(contract_id: int) -> bool:
    return any(can(current_user, p, contract_id) for p in WORKERS)


def _summary(summary_id: int) -> Summary:
    return db.get_or_404(Summary, summary_id)


@bp.get("/contracts/<int:contract_id>/summaries")
@requires(*READERS)
def index(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    sees_drafts = _sees_drafts(contract.id)
    summaries = queries.summaries_of(contract.id, published_only=not sees_drafts)
    return _page("reports/index.html", contract, summaries=summaries, sees_drafts=sees_drafts)


@bp.route("/contracts/<int:contract_id>/summaries/new", methods=["GET", "POST"])
@requires(P.EDIT_REPORTS)
def new(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    suggested = latest_complete(PeriodKind.QUARTER, london_today())
    form = NewSummaryForm(data={"period": f"quarter:{suggested.number}", "financial_year": suggested.year.label})
    if form.validate_on_submit():
        kind, number = form.kind_and_number
        try:
            summary = operations.create_summary(
                contract, kind=kind, financial_year=form.financial_year.data, number=number, user=current_user
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(
                f"Draft {summary.title.lower()} created. Edit its narrative, then send it for approval.",
                "success",
            )
            return redirect(url_for("reports.show", summary_id=summary.id))
    return _page("reports/new.html", contract, 400 if form.errors or form.form_errors else 200, form=form)


@bp.get("/summaries/<int:summary_id>")
@requires(*WORKERS)
def show(summary_id: int) -> Any:
    summary = _summary(summary_id)
    if summary.status is SummaryStatus.PUBLISHED:
        return redirect(url_for("reports.version", summary_id=summary.id, number=summary.published_version.number))
    if summary.is_draft:
        content = compose(summary, built_by=current_user)
        document = document_context(content, draft=True)
        version = None
    else:
        version = summary.pending_version
        content = version.content
        document = document_context(content, draft=True)
    render = rendering.latest_render(summary, version)
    return _page(
        "reports/summary.html",
        summary.contract,
        summary=summary,
        version=version,
        render=render,
        problems=content.get("problems", []),
        confirm_form=ConfirmForm(),
        **document,
    )


@bp.route("/summaries/<int:summary_id>/narrative", methods=["GET", "POST"])
@requires(P.EDIT_REPORTS)
def narrative(summary_id: int) -> Any:
    summary = _summary(summary_id)
    if not summary.is_draft:
        flash("Only a draft can be edited.", "info")
        return redirect(url_for("reports.show", summary_id=summary.id))
    form_class = narrative_form_class()
    form = form_class(data={**(summary.narrative or {}), "lock_version": summary.lock_version})
    keys = [name for name in form._fields if name not in ("csrf_token", "lock_version", "submit")]
    if form.validate_on_submit():
        try:
            operations.update_narrative(
                summary,
                {key: form[key].data or "" for key in keys},
                lock_version=int(form.lock_version.data) if (form.lock_version.data or "").isdigit() else None,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Narrative saved", "success")
            return redirect(url_for("reports.show", summary_id=summary.id))
    return _page(
        "reports/narrative.html",
        summary.contract,
        400 if form.errors or form.form_errors else 200,
        summary=summary,
        form=form,
        keys=keys,
    )


def _decision(summary_id: int, action: Any, done: str) -> Any:
    summary = _summary(summary_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        action(summary, current_user)
    except InvalidInput as error:
        flash(" ".join(error.errors.values()), "error")
        return redirect(url_for("reports.show", summary_id=summary.id)), 303
    flash(done, "success")
    return redirect(url_for("reports.show", summary_id=summary.id))


@bp.post("/summaries/<int:summary_id>/submit")
@requires(P.EDIT_REPORTS)
def submit(summary_id: int) -> Any:
    return _decision(
        summary_id,
        operations.submit_for_approval,
        "Sent for approval. The figures are now fixed as they were at this moment.",
    )


@bp.post("/summaries/<int:summary_id>/withdraw")
@requires(P.EDIT_REPORTS)
def withdraw(summary_id: int) -> Any:
    return _decision(summary_id, operations.withdraw, "Withdrawn from approval: it is a draft again")


@bp.post("/summaries/<int:summary_id>/approve")
@requires(P.APPROVE_REPORTS)
def approve(summary_id: int) -> Any:
    return _decision(summary_id, operations.approve, "Approved and published")


@bp.post("/summaries/<int:summary_id>/revise")
@requires(P.EDIT_REPORTS)
def revise(summary_id: int) -> Any:
    return _decision(
        summary_id,
        operations.revise,
        "Revision started. The published version stays in force until a director approves the new one.",
    )


@bp.route("/summaries/<int:summary_id>/return", methods=["GET", "POST"])
@requires(P.APPROVE_REPORTS)
def return_to_draft(summary_id: int) -> Any:
    summary = _summary(summary_id)
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            operations.return_to_draft(summary, current_user, form.note.data)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Returned to draft with your comments", "success")
            return redirect(url_for("reports.show", summary_id=summary.id))
    return _page(
        "reports/return.html",
        summary.contract,
        400 if form.errors or form.form_errors else 200,
        summary=summary,
        form=form,
    )


def _version(summary: Summary, number: int) -> SummaryVersion:
    version = next((v for v in summary.versions if v.number == number), None)
    if version is None or (not version.is_published and not _sees_drafts(summary.contract_id)):
        abort(404)
    return version


@bp.get("/summaries/<int:summary_id>/versions/<int:number>")
@requires(*READERS)
def version(summary_id: int, number: int) -> Any:
    summary = _summary(summary_id)
    version = _version(summary, number)
    document = document_context(
        version.content, draft=not version.is_published, approval=rendering.approval_of(version)
    )
    return _page(
        "reports/version.html",
        summary.contract,
        summary=summary,
        version=version,
        render=rendering.latest_render(summary, version),
        confirm_form=ConfirmForm(),
        **document,
    )


@bp.post("/summaries/<int:summary_id>/pdf")
@requires(*WORKERS)
def request_pdf(summary_id: int) -> Any:
    summary = _summary(summary_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not summary.is_draft:
        flash("Only a draft's PDF is made on request; a version's PDF is made when it is sent or approved.", "info")
        return redirect(url_for("reports.show", summary_id=summary.id))
    rendering.request_pdf(summary, None, current_user)
    flash("The PDF is being prepared. It will be offered on this page when it is ready.", "info")
    return redirect(url_for("reports.show", summary_id=summary.id, _anchor="pdf"))


def _render(summary: Summary, render_id: int) -> PdfRender:
    render = db.session.get(PdfRender, render_id)
    if render is None or render.summary_id != summary.id:
        abort(404)
    if render.version_id is None or not render.version.is_published:
        if not _sees_drafts(summary.contract_id):
            abort(404)
    return render


def _download(pdf: bytes, filename: str) -> Any:
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "private, no-store"},
    )


@bp.get("/summaries/<int:summary_id>/pdf/<int:render_id>")
@requires(*READERS)
def pdf(summary_id: int, render_id: int) -> Any:
    summary = _summary(summary_id)
    render = _render(summary, render_id)
    if not render.is_ready:
        return redirect(url_for("reports.show", summary_id=summary.id, _anchor="pdf"))
    return _download(render.pdf, template_helpers.pdf_name(summary, render.version))


@bp.get("/summaries/<int:summary_id>/pdf/<int:render_id>/status")
@requires(*READERS)
def pdf_status(summary_id: int, render_id: int) -> Any:
    summary = _summary(summary_id)
    render = _render(summary, render_id)
    return jsonify(
        status=render.status.value,
        ready=render.is_ready,
        url=url_for("reports.pdf", summary_id=summary.id, render_id=render.id) if render.is_ready else None,
        pages=render.pages,
        message=template_helpers.render_message(render),
    )


@bp.get("/summaries/<int:summary_id>/versions/<int:number>/pdf")
@requires(*READERS)
def version_pdf(summary_id: int, number: int) -> Any:
    """The published PDF; while it is still being made, the version's page says so."""
    summary = _summary(summary_id)
    version = _version(summary, number)
    render = rendering.latest_render(summary, version)
    if render is None or not render.is_ready:
        flash("The PDF is still being prepared. This page offers it as soon as it is ready.", "info")
        return redirect(url_for("reports.version", summary_id=summary.id, number=version.number, _anchor="pdf"))
    return _download(render.pdf, template_helpers.pdf_name(summary, version))
