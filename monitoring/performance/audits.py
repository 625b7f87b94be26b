"""Writes about case-file audits: the month's audits and graded cases. Every Inadequate case opens an
action plan (an action owned by the trust) with an independent re-audit due six months later."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from sqlalchemy import select

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.core.timeutil import format_date, london_today
from monitoring.extensions import db
from monitoring.meetings import outcomes
from monitoring.meetings.followups import ActionStatus
from monitoring.performance.models import AuditedCase, AuditKind, CaseAudit
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.reviews.models import Grade

REAUDIT_MONTHS = 6


def months_later(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 August → 28 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def is_locked(contract_id: int, period: Period) -> bool:
    """A month's audits are locked once its KPI return is accepted: the figure they feed is agreed."""
    monthly = db.session.scalar(
        select(MonthlyReturn).where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == ReturnKind.KPI,
            MonthlyReturn.year == period.year,
            MonthlyReturn.month == period.month,
        )
    )
    return monthly is not None and monthly.accepted is not None


def _ensure_open(contract_id: int, period: Period) -> None:
    if is_locked(contract_id, period):
        raise InvalidInput(
            {"__all__": f"The KPI return for {period.name} has been accepted, so its case-file audits are locked"}
        )


def record_audit(
    contract: Contract,
    *,
    period: Period | None,
    kind: AuditKind,
    theme: str,
    completed_on: date | None,
    user: Any = None,
    today: date | None = None,
) -> CaseAudit:
    if period is None:
        raise InvalidInput({"period": "Enter the month the audit covers, like 2017-08"})
    if completed_on is None:
        raise InvalidInput({"completed_on": "Enter the date the audit was completed"})
    if completed_on < period.start:
        raise InvalidInput({"completed_on": f"The audit cannot be completed before {period.name} began"})
    if completed_on > (today or london_today()):
        raise InvalidInput({"completed_on": "The date the audit was completed must be today or in the past"})
    theme = (theme or "").strip()
    if kind is AuditKind.THEMATIC and not theme:
        raise InvalidInput({"theme": "Enter the theme of the thematic audit"})
    _ensure_open(contract.id, period)
    audit = CaseAudit(
        contract_id=contract.id,
        year=period.year,
        month=period.month,
        kind=kind,
        theme=theme[:200],
        completed_on=completed_on,
        created_by_id=getattr(user, "id", None),
    )
    db.session.add(audit)
    db.session.flush()
    return audit


def add_case(
    audit: CaseAudit, *, reference: str, grade: Grade | None, head_of_service: str = "", user: Any = None
) -> AuditedCase:
    """A graded case; an Inadequate one gets its action plan and re-audit date at once."""
    _ensure_open(audit.contract_id, audit.period)
    reference = (reference or "").strip()
    if not reference:
        raise InvalidInput({"reference": "Enter the case reference"})
    if len(reference) > 50:
        raise InvalidInput({"reference": "The case reference must be 50 characters or fewer"})
    if grade is None:
        raise InvalidInput({"grade": "Choose the grade the case was given"})
    if any(c.case_reference.lower() == reference.lower() for c in audit.cases):
        raise InvalidInput({"reference": f"Case {reference} is already in this audit"})
    head_of_service = (head_of_service or "").strip()
    case = AuditedCase(
        contract_id=audit.contract_id, case_reference=reference, grade=grade, head_of_service=head_of_service[:200]
    )
    if grade is Grade.INADEQUATE:
        if not head_of_service:
            raise InvalidInput({"head_of_service": "Enter the Head of Service who will monitor the action plan"})
        contract = db.session.get(Contract, audit.contract_id)
        case.reaudit_due = months_later(audit.completed_on, REAUDIT_MONTHS)
        case.action = outcomes.create_action(
            contract,
            title=f"Action plan for case {reference} (audit graded Inadequate)",
            detail=(
                f"Case {reference} was graded Inadequate in the {audit.title.lower()} audit completed on "
                f"{format_date(audit.completed_on)}. {head_of_service} monitors the action plan to completion; "
                f"an independent re-audit is due by {format_date(case.reaudit_due)}."
            ),
            owner_organisation=contract.trust,
            due_date=case.reaudit_due,
            user=user,
        )
    audit.cases.append(case)
    db.session.flush()
    return case


def record_reaudit(
    case: AuditedCase, *, reaudited_on: date | None, grade: Grade | None, today: date | None = None
) -> AuditedCase:
    """The independent re-audit of an Inadequate case; it completes the case's action plan."""
    if case.grade is not Grade.INADEQUATE:
        raise InvalidInput({"grade": "Only a case graded Inadequate is re-audited"})
    if reaudited_on is None:
        raise InvalidInput({"reaudited_on": "Enter the date of the re-audit"})
    if reaudited_on < case.audit.completed_on:
        raise InvalidInput({"reaudited_on": "The re-audit must come after the audit it follows up"})
    if reaudited_on > (today or london_today()):
        raise InvalidInput({"reaudited_on": "The date of the re-audit must be today or in the past"})
    if grade is None:
        raise InvalidInput({"grade": "Choose the grade the re-audit gave"})
    case.reaudited_on, case.reaudit_grade = reaudited_on, grade
    if case.action is not None and not case.action.status.is_finished:
        outcomes.set_action_status(
            case.action,
            ActionStatus.DONE,
            f"Independently re-audited on {format_date(reaudited_on)}: {grade.label}",
            today=reaudited_on,
        )
    db.session.flush()
    return case


def remove_case(case: AuditedCase) -> CaseAudit:
    audit = case.audit
    _ensure_open(audit.contract_id, audit.period)
    if case.action is not None and not case.action.status.is_finished:
        outcomes.set_action_status(case.action, ActionStatus.DROPPED, "The case was removed from the audit")
    audit.cases.remove(case)
    db.session.delete(case)
    db.session.flush()
    return audit
