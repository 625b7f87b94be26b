"""Pages for case-file audits: the year's audits with the proportion graded good or better, one
audit's cases, and the independent re-audits of Inadequate cases."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from monitoring.accounts.forms import ConfirmForm
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.periods import FinancialYear, Period
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings.views import render, run_form, year_from
from monitoring.performance import audits
from monitoring.performance.audit_forms import AuditForm, CaseForm, ReauditForm
from monitoring.performance.models import AuditedCase, AuditKind, CaseAudit
from monitoring.performance.rules import percentage
from monitoring.performance.views import bp
from monitoring.permissions import Permission, register_scope, requires
from monitoring.reviews.models import Grade

register_scope("audit_id", CaseAudit)
register_scope("case_id", AuditedCase)

VIEW = Permission.VIEW_CONTRACT
SUBMIT = Permission.SUBMIT_RETURNS


def audit_url(audit: CaseAudit) -> str:
    return url_for("performance.case_audit", contract_id=audit.contract_id, audit_id=audit.id)


def _load(audit_id: int, case_id: int | None = None) -> tuple[CaseAudit, AuditedCase | None]:
    audit = db.get_or_404(CaseAudit, audit_id)
    case = None
    if case_id is not None:
        case = db.get_or_404(AuditedCase, case_id)
        if case.audit_id != audit.id:
            abort(404)
    return audit, case


def grade_counts(cases: list[AuditedCase]) -> dict[Grade, int]:
    counts = dict.fromkeys(Grade, 0)
    for case in cases:
        counts[case.grade] += 1
    return counts


def good_or_better(cases: list[AuditedCase]) -> Any:
    return percentage(sum(1 for c in cases if c.is_good_or_better), len(cases)) if cases else None


@bp.get("/case-audits")
@requires(VIEW)
def case_audits(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    year = year_from(request.args.get("year"))
    found = db.session.scalars(
        select(CaseAudit)
        .where(
            CaseAudit.contract_id == contract.id,
            (CaseAudit.year * 12 + CaseAudit.month).between(
                year.start.year * 12 + year.start.month, year.end.year * 12 + year.end.month
            ),
        )
        .order_by(CaseAudit.year, CaseAudit.month, CaseAudit.id)
    ).all()
    inadequate = [c for a in found for c in a.cases if c.grade is Grade.INADEQUATE]
    return render(
        "performance/case_audits.html",
        contract,
        year=year,
        years=[FinancialYear(year.start_year + n) for n in (-1, 1)],
        audits=found,
        grade_counts=grade_counts,
        good_or_better=good_or_better,
        inadequate=inadequate,
        today=london_today(),
    )


def _period(text: str | None) -> Period | None:
    try:
        return Period.parse(text or "")
    except ValueError:
        return None


@bp.route("/case-audits/new", methods=["GET", "POST"])
@requires(SUBMIT)
def new_case_audit(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = AuditForm()
    return run_form(
        contract,
        form,
        title="Record a case-file audit",
        back=url_for("performance.case_audits", contract_id=contract.id),
        run=lambda: audits.record_audit(
            contract,
            period=_period(form.period.data),
            kind=AuditKind(form.kind.data),
            theme=form.theme.data or "",
            completed_on=form.completed_on.data,
            user=current_user,
        ),
        message=lambda audit: f"{audit.title} recorded. Add its cases",
        done=audit_url,
    )


def _audit_page(contract: Contract, audit: CaseAudit, form: CaseForm, status: int = 200) -> Any:
    return render(
        "performance/case_audit.html",
        contract,
        status,
        audit=audit,
        form=form,
        counts=grade_counts(audit.cases),
        good=good_or_better(audit.cases),
        locked=audits.is_locked(contract.id, audit.period),
        confirm_form=ConfirmForm(),
        today=london_today(),
    )


@bp.get("/case-audits/<int:audit_id>")
@requires(VIEW)
def case_audit(contract_id: int, audit_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    audit, _ = _load(audit_id)
    return _audit_page(contract, audit, CaseForm())


@bp.post("/case-audits/<int:audit_id>/cases")
@requires(SUBMIT)
def add_case(contract_id: int, audit_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    audit, _ = _load(audit_id)
    form = CaseForm()
    if form.validate_on_submit():
        try:
            case = audits.add_case(
                audit,
                reference=form.reference.data,
                grade=Grade(form.grade.data),
                head_of_service=form.head_of_service.data or "",
                user=current_user,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            extra = ""
            if case.action is not None:
                extra = f". An action plan is open and the independent re-audit is due by {case.reaudit_due:%d %B %Y}"
            flash(f"Case {case.case_reference} added ({case.grade.label}){extra}", "success")
            return redirect(audit_url(audit))
    return _audit_page(contract, audit, form, 400)


@bp.route("/case-audits/<int:audit_id>/cases/<int:case_id>/reaudit", methods=["GET", "POST"])
@requires(SUBMIT, Permission.MANAGE_CONTRACT)
def reaudit(contract_id: int, audit_id: int, case_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    audit, case = _load(audit_id, case_id)
    form = ReauditForm()
    return run_form(
        contract,
        form,
        title=f"Re-audit of case {case.case_reference}",
        back=audit_url(audit),
        run=lambda: audits.record_reaudit(
            case, reaudited_on=form.reaudited_on.data, grade=Grade(form.grade.data) if form.grade.data else None
        ),
        message=f"Re-audit of case {case.case_reference} recorded; its action plan is complete",
        caption=audit.title,
    )


@bp.post("/case-audits/<int:audit_id>/cases/<int:case_id>/remove")
@requires(SUBMIT)
def remove_case(contract_id: int, audit_id: int, case_id: int) -> Any:
    audit, case = _load(audit_id, case_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        audits.remove_case(case)
    except InvalidInput as error:
        flash(next(iter(error.errors.values())), "error")
    else:
        flash(f"Case {case.case_reference} removed from the audit", "success")
    return redirect(audit_url(audit))
