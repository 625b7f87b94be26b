"""The JSON API of the return workflow, for KPI and finance returns alike: read a month's return
with its revisions and queries, and take its steps (submit, query, answer, resubmit, accept,
correct). The figures themselves are put through each kind's own API."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields, validate

from monitoring.api.blueprint import ApiBlueprint, invalid, send_version
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.permissions import Permission, can, requires
from monitoring.returns import operations
from monitoring.returns.models import MonthlyReturn, ReturnKind, ReturnQuery, ReturnRevision
from monitoring.returns.rules import ReturnStatus

blp = ApiBlueprint("returns_api", __name__, description="Monthly returns: revisions, queries and workflow steps")

RETURN_PATH = "/contracts/<int:contract_id>/returns/<any(kpi, finance):return_kind>/<period>"


class QuerySchema(Schema):
    id = fields.Integer()
    subject = fields.String(attribute="subject_key", metadata={"description": "The value asked about (a code)"})
    subject_label = fields.String()
    question = fields.String()
    raised_at = fields.DateTime()
    answer = fields.String()
    answered_at = fields.DateTime(allow_none=True)


class RevisionSchema(Schema):
    number = fields.Integer()
    lock_version = fields.Integer(
        metadata={"description": "The revision's version: the latest revision's is the return's ETag"}
    )
    status = fields.Function(lambda r: r.status.value, metadata={"enum": [s.value for s in ReturnStatus]})
    reason = fields.String(metadata={"description": "Why a correction was made"})
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    accepted_at = fields.DateTime(allow_none=True)
    queries = fields.List(fields.Nested(QuerySchema))


class TimelinessSchema(Schema):
    label = fields.String()
    due = fields.Date()
    submitted_on = fields.Date(allow_none=True)
    days_late = fields.Integer(metadata={"description": "Working days late on first submission"})
    days_overdue = fields.Integer(metadata={"description": "Working days past the deadline, still not submitted"})


class ReturnSchema(Schema):
    id = fields.Integer()
    kind = fields.Function(lambda r: r.kind.value)
    period = fields.Function(lambda r: r.period.label, metadata={"example": "2017-08"})
    due_on = fields.Date()
    timeliness = fields.Function(lambda r: TimelinessSchema().dump(r.timeliness(london_today())))
    in_force_revision = fields.Function(lambda r: r.in_force.number if r.in_force else None)
    revisions = fields.Function(lambda r: RevisionSchema(many=True).dump(visible_revisions(r)))


class QueryArgs(Schema):
    subject = fields.String(required=True, metadata={"description": "The code of the value asked about"})
    question = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AnswerArgs(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class CorrectionArgs(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))


def visible_revisions(monthly: MonthlyReturn) -> list[ReturnRevision]:
    """Drafts are the trust's working copies: others see revisions once submitted."""
    if can(current_user, Permission.SUBMIT_RETURNS, monthly.contract_id):
        return list(monthly.revisions)
    return [r for r in monthly.revisions if r.status.was_submitted]


def parse_period(period: str) -> Period:
    try:
        return Period.parse(period)
    except ValueError:
        abort(404, description="Give the month like 2017-08")


def find(contract_id: int, return_kind: str, period: str) -> MonthlyReturn:
    monthly = operations.find_return(contract_id, ReturnKind(return_kind), parse_period(period))
    if monthly is None or not visible_revisions(monthly):
        abort(404, description="There is no return for that month yet")
    return monthly


def step(run: Any) -> Any:
    try:
        return run()
    except InvalidInput as error:
        return invalid(error)


@blp.route(RETURN_PATH)
@blp.response(200, ReturnSchema)
@requires(Permission.VIEW_CONTRACT)
def get_return(contract_id: int, return_kind: str, period: str) -> Any:
    """A month's return: its deadline and timeliness, and every revision with its queries. The ETag
    header is the version of the latest revision you can see (send it back in If-Match)."""
    monthly = find(contract_id, return_kind, period)
    send_version(visible_revisions(monthly)[-1].lock_version)
    return monthly


@blp.route(f"{RETURN_PATH}/submit", methods=["POST"])
@blp.response(200, ReturnSchema)
@requires(Permission.SUBMIT_RETURNS)
def submit(contract_id: int, return_kind: str, period: str) -> Any:
    """Submit the draft (trust officers). Problems (a required measure missing…) come back as 422."""
    monthly = find(contract_id, return_kind, period)
    return step(lambda: operations.submit(monthly.latest, current_user) and monthly)


@blp.route(f"{RETURN_PATH}/resubmit", methods=["POST"])
@blp.response(200, ReturnSchema)
@requires(Permission.SUBMIT_RETURNS)
def resubmit(contract_id: int, return_kind: str, period: str) -> Any:
    """Resubmit a queried return once every query is answered (trust officers)."""
    monthly = find(contract_id, return_kind, period)
    return step(lambda: operations.resubmit(monthly.latest, current_user) and monthly)


@blp.route(f"{RETURN_PATH}/accept", methods=["POST"])
@blp.response(200, ReturnSchema)
@requires(Permission.REVIEW_RETURNS)
def accept(contract_id: int, return_kind: str, period: str) -> Any:
    """Accept the figures (commissioning managers); they are locked from then on."""
    monthly = find(contract_id, return_kind, period)
    return step(lambda: operations.accept(monthly.latest, current_user) and monthly)


@blp.route(f"{RETURN_PATH}/queries", methods=["POST"])
@blp.arguments(QueryArgs)
@blp.response(201, QuerySchema)
@requires(Permission.REVIEW_RETURNS)
def raise_query(args: dict, contract_id: int, return_kind: str, period: str) -> Any:
    """Ask the trust about one value of the submitted return (commissioning managers)."""
    monthly = find(contract_id, return_kind, period)
    return step(
        lambda: operations.raise_query(
            monthly.latest, subject_key=args["subject"], question=args["question"], user=current_user
        )
    )


@blp.route(f"{RETURN_PATH}/queries/<int:query_id>/answer", methods=["POST"])
@blp.arguments(AnswerArgs)
@blp.response(200, QuerySchema)
@requires(Permission.SUBMIT_RETURNS)
def answer_query(args: dict, contract_id: int, return_kind: str, period: str, query_id: int) -> Any:
    """Answer a query (trust officers)."""
    monthly = find(contract_id, return_kind, period)
    query = db.get_or_404(ReturnQuery, query_id)
    if query.revision.return_id != monthly.id:
        abort(404)
    return step(lambda: operations.answer_query(query, answer=args["answer"], user=current_user))


@blp.route(f"{RETURN_PATH}/corrections", methods=["POST"])
@blp.arguments(CorrectionArgs)
@blp.response(201, ReturnSchema)
@requires(Permission.SUBMIT_RETURNS)
def correct(args: dict, contract_id: int, return_kind: str, period: str) -> Any:
    """Start a correction of accepted figures: a new draft revision (trust officers)."""
    monthly = find(contract_id, return_kind, period)
    return step(lambda: operations.start_correction(monthly, reason=args["reason"], user=current_user) and monthly)
