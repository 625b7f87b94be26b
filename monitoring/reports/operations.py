"""Writes for summaries: create, edit the narrative, send for approval, approve, return, revise.

Each flushes and lets the request (or job) commit; bad input raises InvalidInput naming the field.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.core.session import check_version, refuse
from monitoring.core.timeutil import london_today, utcnow
from monitoring.extensions import db
from monitoring.reports import rendering
from monitoring.reports.compose import compose, content_sha256, without_empty_narrative
from monitoring.reports.models import Summary, SummaryStatus, SummaryVersion, VersionState
from monitoring.reports.periods import PeriodKind, period_title, report_period
from monitoring.reports.sections import narrative_fields

MAX_NARRATIVE = 10_000


def _parse_year(label: str) -> FinancialYear:
    try:
        return FinancialYear.parse(label or "")
    except ValueError as error:
        raise InvalidInput({"financial_year": "Enter the financial year in the form 2017/18"}) from error


def drafted_narrative(contract: Contract, period: Any) -> dict[str, str]:
    """First texts for each narrative field, from the drafters the areas registered."""
    texts = {}
    for narrative_field in narrative_fields():
        drafts = [d(contract, period) for d in narrative_field.drafters]
        texts[narrative_field.key] = "\n\n".join(d for d in drafts if d)
    return texts


def create_summary(
    contract: Contract, *, kind: PeriodKind, financial_year: str, number: int | None, user: Any
) -> Summary:
    year = _parse_year(financial_year)
    if number is None or not 1 <= number <= kind.count:
        raise InvalidInput({"period_number": f"Select which {kind.label.lower()} of the year the summary covers"})
    period = report_period(kind, year.start_year, number)
    if period.start > london_today():
        raise InvalidInput({"financial_year": f"{period_title(period)} has not started yet; choose a period that has"})
    if period.end < contract.start_date:
        raise InvalidInput({"financial_year": f"{period_title(period)} ended before the contract started"})
    taken = db.session.scalar(
        select(func.count())
        .select_from(Summary)
        .where(
            Summary.contract_id == contract.id,
            Summary.period_kind == kind,
            Summary.financial_year == year.start_year,
            Summary.period_number == number,
        )
    )
    if taken:
        raise InvalidInput({"financial_year": f"There is already a summary for {period_title(period)}"})
    summary = Summary(
        contract=contract,
        period_kind=kind,
        financial_year=year.start_year,
        period_number=number,
        created_by_id=user.id if user else None,
        narrative=drafted_narrative(contract, period),
    )
    db.session.add(summary)
    db.session.flush()
    return summary


def update_narrative(summary: Summary, texts: dict[str, str], *, lock_version: int | None) -> Summary:
    if not summary.is_draft:
        raise refuse(summary, "Only a draft can be edited. Withdraw it from approval, or start a revision.")
    check_version(summary, lock_version)
    known = {f.key: f for f in narrative_fields()}
    for key, text in texts.items():
        if key not in known:
            continue
        if len(text or "") > MAX_NARRATIVE:
            raise InvalidInput({key: f"{known[key].label} must be {MAX_NARRATIVE:,} characters or fewer"})
    summary.narrative = {**(summary.narrative or {}), **{k: (v or "").strip() for k, v in texts.items() if k in known}}
    db.session.flush()
    return summary


def submit_for_approval(summary: Summary, user: Any) -> SummaryVersion:
    """Freeze the figures and narrative as they are now; the director approves exactly this."""
    if not summary.is_draft:
        raise InvalidInput({"__all__": "This summary is not a draft, so it cannot be sent for approval"})
    content = compose(summary, built_by=user)
    if content["problems"]:
        raise InvalidInput({"__all__": " ".join(content["problems"]) + " Try again, or ask for help."})
    if not (summary.narrative or {}).get("executive_summary", "").strip():
        raise InvalidInput({"executive_summary": "Write the executive summary before sending it for approval"})
    content = without_empty_narrative(content)
    version = SummaryVersion(
        summary=summary,
        number=len(summary.versions) + 1,
        state=VersionState.AWAITING_APPROVAL,
        content=content,
        content_sha256=content_sha256(content),
        submitted_by_id=user.id,
        submitted_at=utcnow(),
    )
    db.session.add(version)
    summary.status = SummaryStatus.AWAITING_APPROVAL
    mark(summary, "send for approval")
    db.session.flush()
    rendering.request_pdf(summary, version, user)
    return version


def _pending(summary: Summary) -> SummaryVersion:
    version = summary.pending_version
    if not summary.is_awaiting_approval or version is None:
        raise InvalidInput({"__all__": "This summary is not awaiting approval"})
    return version


def withdraw(summary: Summary, user: Any) -> Summary:
    version = _pending(summary)
    version.state = VersionState.RETURNED
    version.decided_by_id, version.decided_at = user.id, utcnow()
    version.decision_note = "Withdrawn by the commissioning manager"
    summary.status = SummaryStatus.DRAFT
    mark(summary, "withdraw from approval")
    db.session.flush()
    return summary


def return_to_draft(summary: Summary, user: Any, note: str) -> Summary:
    if not (note or "").strip():
        raise InvalidInput({"note": "Say what needs to change before the summary can be approved"})
    if len(note) > 2000:
        raise InvalidInput({"note": "What needs to change must be 2,000 characters or fewer"})
    version = _pending(summary)
    version.state = VersionState.RETURNED
    version.decided_by_id, version.decided_at = user.id, utcnow()
    version.decision_note = note.strip()
    summary.status = SummaryStatus.DRAFT
    mark(summary, "return to draft")
    db.session.flush()
    return summary


def approve(summary: Summary, user: Any) -> SummaryVersion:
    """Publish the version awaiting approval; an earlier published version is replaced, not changed."""
    version = _pending(summary)
    for earlier in summary.versions:
        if earlier.state is VersionState.PUBLISHED:
            earlier.state = VersionState.SUPERSEDED
    version.state = VersionState.PUBLISHED
    version.decided_by_id, version.decided_at = user.id, utcnow().replace(microsecond=0)
    version.decided_by_label = f"{user.name}, {user.role.label}"
    mark(version, "approve")
    summary.status = SummaryStatus.PUBLISHED
    mark(summary, "publish")
    db.session.flush()
    rendering.request_pdf(summary, version, user)
    return version


def revise(summary: Summary, user: Any) -> Summary:
    """Start a new draft of a published summary; the published version stays in force until replaced."""
    if summary.status is not SummaryStatus.PUBLISHED:
        raise InvalidInput({"__all__": "Only a published summary can be revised"})
    summary.status = SummaryStatus.DRAFT
    mark(summary, "start revision")
    db.session.flush()
    return summary
