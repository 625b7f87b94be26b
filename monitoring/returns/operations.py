"""Writes of the return workflow: open, submit, query, answer, resubmit, accept, correct.

Each checks the step is allowed (rules.next_status), records who and when, and flushes; the
audit trail records the change. The request commits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from monitoring.audit.recorder import mark
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.core.session import check_version, refuse
from monitoring.core.timeutil import london_today, utcnow
from monitoring.extensions import db
from monitoring.returns.kinds import spec_for
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnQuery, ReturnRevision
from monitoring.returns.rules import ReturnStatus, Step, StepRefused, can_submit_for, due_date, next_status


def find_return(contract_id: int, kind: ReturnKind, period: Period) -> MonthlyReturn | None:
    return db.session.scalar(
        select(MonthlyReturn).where(
            MonthlyReturn.contract_id == contract_id,
            MonthlyReturn.kind == kind,
            MonthlyReturn.year == period.year,
            MonthlyReturn.month == period.month,
        )
    )


def open_return(
    contract: Contract, kind: ReturnKind, period: Period, user: Any, today: date | None = None
) -> MonthlyReturn:
    """The return for a month, started as a draft if there is none yet."""
    today = today or london_today()
    existing = find_return(contract.id, kind, period)
    if existing is not None:
        return existing
    if period.end < contract.start_date:
        raise InvalidInput({"period": f"The contract started on {contract.start_date:%d %B %Y}; choose a later month"})
    if period.start > today:
        raise InvalidInput({"period": f"{period.name} has not started yet"})
    monthly = MonthlyReturn(
        contract_id=contract.id,
        kind=kind,
        year=period.year,
        month=period.month,
        due_on=due_date(period, contract.return_deadline_working_days),
    )
    monthly.revisions.append(ReturnRevision(contract_id=contract.id, number=1, created_by_id=_id(user)))
    db.session.add(monthly)
    db.session.flush()
    start = spec_for(kind).start_values
    if start is not None:
        start(monthly.latest)
        db.session.flush()
    return monthly


def _id(user: Any) -> int | None:
    return getattr(user, "id", None)


def _step(revision: ReturnRevision, step: Step) -> ReturnStatus:
    try:
        return next_status(revision.status, step)
    except StepRefused as refused:
        raise InvalidInput({"status": str(refused)}) from refused


def ensure_editable(revision: ReturnRevision, lock_version: int | None = None) -> None:
    """Refuse, in words, a change to figures that are locked or under review (409), or that changed
    since the form was opened or the API client read them (`lock_version`: a lost update, 409)."""
    if revision.status.is_locked:
        raise refuse(
            revision,
            "This return has been accepted and is locked. Start a correction to change its figures",
            field="status",
        )
    if not revision.is_editable:
        raise refuse(revision, "This return is with the council for review; it cannot be changed now", field="status")
    check_version(revision, lock_version)


def touch(revision: ReturnRevision) -> None:
    """Note a change to the revision's figures (moves its lock version on)."""
    revision.updated_at = utcnow()


def _problems(revision: ReturnRevision) -> None:
    problems = spec_for(revision.monthly_return.kind).problems_before_submit(revision)
    if problems:
        raise InvalidInput(problems)


def submit(revision: ReturnRevision, user: Any, today: date | None = None) -> ReturnRevision:
    monthly = revision.monthly_return
    if not can_submit_for(monthly.period, today or london_today()):
        raise InvalidInput(
            {"status": f"The return for {monthly.period.name} can be submitted once the month has ended"}
        )
    status = _step(revision, Step.SUBMIT)
    _problems(revision)
    now = utcnow()
    revision.status, revision.submitted_at, revision.submitted_by_id = status, now, _id(user)
    if monthly.first_submitted_at is None:
        monthly.first_submitted_at = now
    mark(revision, "submit")
    db.session.flush()
    return revision


def raise_query(revision: ReturnRevision, *, subject_key: str, question: str, user: Any) -> ReturnQuery:
    status = _step(revision, Step.QUERY)
    subjects = dict(spec_for(revision.monthly_return.kind).query_subjects(revision))
    if subject_key not in subjects:
        raise InvalidInput({"subject": "Choose the value you are asking about"})
    question = (question or "").strip()
    if not question:
        raise InvalidInput({"question": "Enter your question about the value"})
    query = ReturnQuery(
        contract_id=revision.contract_id,
        subject_key=subject_key,
        subject_label=subjects[subject_key][:300],
        question=question,
        raised_by_id=_id(user),
    )
    revision.queries.append(query)
    if revision.status is not status:
        revision.status = status
        mark(revision, "query")
    db.session.flush()
    return query


def answer_query(query: ReturnQuery, *, answer: str, user: Any) -> ReturnQuery:
    if query.revision.status is not ReturnStatus.QUERIED:
        raise InvalidInput({"answer": "This query can no longer be answered: the return is not waiting for answers"})
    answer = (answer or "").strip()
    if not answer:
        raise InvalidInput({"answer": f"Enter your answer about {query.subject_label}"})
    query.answer, query.answered_at, query.answered_by_id = answer, utcnow(), _id(user)
    mark(query, "answer")
    db.session.flush()
    return query


def resubmit(revision: ReturnRevision, user: Any) -> ReturnRevision:
    status = _step(revision, Step.RESUBMIT)
    unanswered = revision.open_queries
    if unanswered:
        names = ", ".join(q.subject_label for q in unanswered)
        raise InvalidInput({"status": f"Answer every query before resubmitting (still to answer: {names})"})
    _problems(revision)
    revision.status, revision.submitted_at, revision.submitted_by_id = status, utcnow(), _id(user)
    mark(revision, "resubmit")
    db.session.flush()
    return revision


def accept(revision: ReturnRevision, user: Any) -> ReturnRevision:
    """The council agrees the figures; they are locked from now on. An earlier accepted revision is superseded."""
    status = _step(revision, Step.ACCEPT)
    for earlier in revision.monthly_return.revisions:
        if earlier is not revision and earlier.status is ReturnStatus.ACCEPTED:
            earlier.status = ReturnStatus.SUPERSEDED
            mark(earlier, "supersede")
    revision.status, revision.accepted_at, revision.accepted_by_id = status, utcnow(), _id(user)
    mark(revision, "accept")
    db.session.flush()
    return revision


def start_correction(monthly: MonthlyReturn, *, reason: str, user: Any) -> ReturnRevision:
    """A new draft revision copied from the accepted one; the accepted figures stay in force until
    the correction is accepted in its turn."""
    latest = monthly.latest
    if latest.status is not ReturnStatus.ACCEPTED:
        raise InvalidInput({"reason": "Only an accepted return can be corrected; change this one in place"})
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput({"reason": "Enter why the accepted figures need correcting"})
    correction = ReturnRevision(
        contract_id=monthly.contract_id, number=latest.number + 1, reason=reason, created_by_id=_id(user)
    )
    monthly.revisions.append(correction)
    db.session.flush()
    spec_for(monthly.kind).copy_values(latest, correction)
    mark(correction, "correct")
    db.session.flush()
    return correction


def discard_correction(revision: ReturnRevision) -> MonthlyReturn:
    monthly = revision.monthly_return
    if revision.number == 1 or revision.status is not ReturnStatus.DRAFT:
        raise InvalidInput({"status": "Only a correction that has not been submitted can be discarded"})
    db.session.delete(revision)
    db.session.flush()
    db.session.expire(monthly, ["revisions"])
    return monthly
