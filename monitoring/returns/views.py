"""Pages of the shared return workflow: the year's returns and their timeliness, one return with its
revisions and queries, and the steps (submit, query, answer, resubmit, accept, correct)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from monitoring.accounts.forms import ConfirmForm
from monitoring.audit.queries import history_of
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors, options
from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings.views import form_page, render, year_from
from monitoring.permissions import Permission, can, register_scope, requires
from monitoring.returns import operations, queries, reminders  # noqa: F401  (reminders registers with the digest)
from monitoring.returns.forms import AnswerForm, CorrectionForm, QueryForm, StartReturnForm
from monitoring.returns.kinds import spec_for
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnQuery, ReturnRevision
from monitoring.returns.rules import can_submit_for

bp = Blueprint("returns", __name__, url_prefix="/contracts/<int:contract_id>")

register_scope("return_id", MonthlyReturn)
register_scope("query_id", ReturnQuery)

VIEW = Permission.VIEW_CONTRACT
SUBMIT = Permission.SUBMIT_RETURNS
REVIEW = Permission.REVIEW_RETURNS


def return_url(monthly: MonthlyReturn, **anchor: Any) -> str:
    return url_for("returns.show", contract_id=monthly.contract_id, return_id=monthly.id, **anchor)


def edit_url(monthly: MonthlyReturn) -> str:
    return url_for(spec_for(monthly.kind).edit_endpoint, contract_id=monthly.contract_id, return_id=monthly.id)


def may_see_drafts(contract_id: int) -> bool:
    """A draft is the trust's working copy: the council sees a return once it is submitted."""
    return can(current_user, SUBMIT, contract_id)


def visible_revision(monthly: MonthlyReturn) -> ReturnRevision | None:
    if may_see_drafts(monthly.contract_id):
        return monthly.latest
    return next((r for r in reversed(monthly.revisions) if r.status.was_submitted), None)


@bp.app_template_global("returns_needing_attention")
def returns_needing_attention() -> list[queries.Attention]:
    """For the home page: the trust's returns to finish or answer, the council's to review."""
    contracts = current_user.contracts if current_user.is_authenticated else []
    if can(current_user, SUBMIT):
        return queries.for_the_trust(contracts, london_today())
    if can(current_user, REVIEW):
        return queries.for_the_council(contracts, london_today())
    return []


@bp.get("/returns")
@requires(VIEW)
def index(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    year = year_from(request.args.get("year"))
    today = london_today()
    tables = [(kind, queries.year_rows(contract, kind, year, today)) for kind in ReturnKind]
    return render(
        "returns/index.html",
        contract,
        year=year,
        years=[FinancialYear(year.start_year + n) for n in (-1, 1)],
        tables=tables,
        today=today,
        start_form=StartReturnForm(),
    )


@bp.post("/returns/start")
@requires(SUBMIT)
def start(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = StartReturnForm()
    try:
        kind, period = ReturnKind(form.kind.data or ""), Period.parse(form.period.data or "")
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        abort(400)
    try:
        monthly = operations.open_return(contract, kind, period, current_user)
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
        return redirect(url_for("returns.index", contract_id=contract.id, year=period.financial_year.label))
    return redirect(edit_url(monthly))


def _page(
    contract: Contract,
    monthly: MonthlyReturn,
    revision: ReturnRevision | None,
    status: int = 200,
    *,
    query_form: QueryForm | None = None,
    answer_forms: dict[int, AnswerForm] | None = None,
    problems: dict[str, str] | None = None,
) -> Any:
    spec = spec_for(monthly.kind)
    subjects = spec.query_subjects(revision) if revision is not None and revision.status.was_submitted else []
    if query_form is None:
        query_form = QueryForm(data={"subject": request.args.get("subject", "")})
    query_form.subject.choices = options([("", "Select a value")] + subjects)
    forms = {q.id: AnswerForm(prefix=f"q{q.id}") for q in (revision.open_queries if revision is not None else [])}
    forms.update(answer_forms or {})
    return render(
        "returns/return.html",
        contract,
        status,
        monthly=monthly,
        revision=revision,
        values_template=spec.values_template,
        values=spec.values_context(revision) if revision is not None else {},
        edit_href=edit_url(monthly),
        query_form=query_form,
        answer_forms=forms,
        confirm_form=ConfirmForm(),
        problems=problems or {},
        page_has_errors=bool(problems) or bool(query_form.errors) or any(f.errors for f in forms.values()),
        can_submit_now=can_submit_for(monthly.period, london_today()),
        history=history_of(revision) if revision is not None else [],
        today=london_today(),
    )


@bp.get("/returns/<int:return_id>")
@requires(VIEW)
def show(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    return _page(contract, monthly, visible_revision(monthly))


@bp.get("/returns/<int:return_id>/revisions/<int:number>")
@requires(VIEW)
def revision(contract_id: int, return_id: int, number: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    chosen = next((r for r in monthly.revisions if r.number == number), None)
    if chosen is None or not (chosen.status.was_submitted or may_see_drafts(contract_id)):
        abort(404)
    return _page(contract, monthly, chosen)


def _step(contract_id: int, return_id: int, run: Any, message: str) -> Any:
    """Take one workflow step on the latest revision; problems re-show the return page (400)."""
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run(monthly.latest)
    except InvalidInput as error:
        return _page(contract, monthly, visible_revision(monthly), 400, problems=error.errors)
    flash(message.format(title=monthly.title), "success")
    return redirect(return_url(monthly))


@bp.post("/returns/<int:return_id>/submit")
@requires(SUBMIT)
def submit(contract_id: int, return_id: int) -> Any:
    return _step(
        contract_id, return_id, lambda r: operations.submit(r, current_user), "{title} submitted to the council"
    )


@bp.post("/returns/<int:return_id>/resubmit")
@requires(SUBMIT)
def resubmit(contract_id: int, return_id: int) -> Any:
    return _step(
        contract_id, return_id, lambda r: operations.resubmit(r, current_user), "{title} resubmitted with your answers"
    )


@bp.post("/returns/<int:return_id>/accept")
@requires(REVIEW)
def accept(contract_id: int, return_id: int) -> Any:
    return _step(
        contract_id,
        return_id,
        lambda r: operations.accept(r, current_user),
        "{title} accepted. Its figures are now locked",
    )


@bp.post("/returns/<int:return_id>/queries")
@requires(REVIEW)
def raise_query(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    form = QueryForm()
    if form.validate_on_submit():
        try:
            query = operations.raise_query(
                monthly.latest, subject_key=form.subject.data, question=form.question.data, user=current_user
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Query on {query.subject_label} sent to the trust", "success")
            return redirect(return_url(monthly, _anchor="queries"))
    return _page(contract, monthly, visible_revision(monthly), 400, query_form=form)


@bp.post("/returns/<int:return_id>/queries/<int:query_id>/answer")
@requires(SUBMIT)
def answer(contract_id: int, return_id: int, query_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    query = db.get_or_404(ReturnQuery, query_id)
    if query.revision.return_id != monthly.id:
        abort(404)
    form = AnswerForm(prefix=f"q{query.id}")
    if form.validate_on_submit():
        try:
            operations.answer_query(query, answer=form.answer.data, user=current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(
                f"Answer about {query.subject_label} saved. Resubmit the return when every query is answered", "success"
            )
            return redirect(return_url(monthly, _anchor="queries"))
    return _page(contract, monthly, visible_revision(monthly), 400, answer_forms={query.id: form})


@bp.route("/returns/<int:return_id>/correction", methods=["GET", "POST"])
@requires(SUBMIT)
def correction(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = db.get_or_404(MonthlyReturn, return_id)
    form = CorrectionForm()
    if form.validate_on_submit():
        try:
            operations.start_correction(monthly, reason=form.reason.data, user=current_user)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Correction started. The accepted figures stay in force until the council accepts it", "success")
            return redirect(edit_url(monthly))
    return form_page(contract, form, "Correct an accepted return", return_url(monthly), caption=monthly.title)


@bp.post("/returns/<int:return_id>/discard")
@requires(SUBMIT)
def discard(contract_id: int, return_id: int) -> Any:
    return _step(
        contract_id,
        return_id,
        lambda r: operations.discard_correction(r),
        "Correction discarded; the accepted figures stand",
    )
