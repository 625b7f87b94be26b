"""The JSON API of the performance area: indicator definitions, the basket, a KPI return's figures
(the path a case-management system's export takes), and the computed performance for a month.

Figures go in and come out as exact decimals: send them as JSON numbers or strings ("82.3"); they
are returned as strings so no client has to trust a float.
"""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from marshmallow import Schema, fields, validate

from monitoring.api.blueprint import IF_MATCH_DOC, ApiBlueprint, invalid, send_version, version_from_request
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.performance import queries
from monitoring.performance.analytics import Analysis, MeasureResult, by_objective
from monitoring.performance.models import Indicator
from monitoring.performance.operations import ValueInput, save_values
from monitoring.permissions import Permission, requires
from monitoring.returns import operations
from monitoring.returns.api import ReturnSchema, parse_period
from monitoring.returns.models import ReturnKind

blp = ApiBlueprint("performance_api", __name__, description="Indicators, KPI returns and computed performance")


class IndicatorYearSchema(Schema):
    financial_year = fields.String(attribute="label", metadata={"example": "2017/18"})
    target = fields.Decimal(as_string=True, allow_none=True)
    tolerance = fields.Decimal(as_string=True, allow_none=True)
    national = fields.Decimal(as_string=True, allow_none=True)
    neighbours = fields.Decimal(as_string=True, allow_none=True, metadata={"description": "Statistical neighbours"})


class IndicatorSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    title = fields.String()
    unit = fields.Function(lambda i: i.unit.value)
    polarity = fields.Function(lambda i: i.polarity.value)
    frequency = fields.Function(lambda i: i.frequency.value)
    accumulation = fields.Function(lambda i: i.accumulation.value)
    is_ratio = fields.Boolean()
    numerator_label = fields.String()
    denominator_label = fields.String()
    no_change_band = fields.Decimal(as_string=True)
    objective = fields.Function(lambda i: i.objective.name if i.objective else None)
    from_case_audits = fields.Boolean()
    years = fields.List(fields.Nested(IndicatorYearSchema))


class BasketEntrySchema(Schema):
    code = fields.Function(lambda e: e["indicator"].code)
    title = fields.Function(lambda e: e["indicator"].title)
    required = fields.Boolean()
    due = fields.Boolean(metadata={"description": "Due in the month asked about"})


class BasketSchema(Schema):
    effective_from = fields.Date()
    reason = fields.String()
    entries = fields.List(fields.Nested(BasketEntrySchema))


class ValueArgs(Schema):
    code = fields.String(required=True)
    value = fields.Decimal(allow_none=True, load_default=None)
    numerator = fields.Decimal(allow_none=True, load_default=None)
    denominator = fields.Decimal(allow_none=True, load_default=None)
    commentary = fields.String(load_default="")
    forecast = fields.Decimal(allow_none=True, load_default=None)
    forecast_rationale = fields.String(load_default="")


class ValuesArgs(Schema):
    values = fields.List(fields.Nested(ValueArgs), required=True, validate=validate.Length(min=1, max=500))
    replace = fields.Boolean(
        load_default=False,
        metadata={"description": "true: measures left out are cleared; false (default): only those sent change"},
    )
    lock_version = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "The draft's version you read: if it changed since, nothing is saved (409)"},
    )


class GapSchema(Schema):
    comparator = fields.Decimal(as_string=True)
    difference = fields.Decimal(as_string=True)
    better = fields.Boolean(allow_none=True)


class ResultSchema(Schema):
    code = fields.Function(lambda r: r.indicator.code)
    title = fields.Function(lambda r: r.indicator.title)
    objective = fields.Function(lambda r: r.indicator.objective.name if r.indicator.objective else None)
    unit = fields.Function(lambda r: r.indicator.unit.value)
    value = fields.Decimal(as_string=True, allow_none=True)
    annualised = fields.Decimal(
        as_string=True,
        allow_none=True,
        metadata={"description": "A year-to-date count or rate at its annual run rate: what RAG and comparators use"},
    )
    provisional = fields.Function(lambda r: r.point.provisional)
    target = fields.Decimal(as_string=True, allow_none=True)
    rag = fields.Function(lambda r: r.rag.value, metadata={"enum": ["green", "amber", "red", "grey", "not_judged"]})
    previous = fields.Function(lambda r: str(r.previous.value) if r.previous else None)
    direction = fields.Function(lambda r: r.direction.value if r.direction else None)
    arrow = fields.String()
    forecast = fields.Decimal(as_string=True, allow_none=True)
    forecast_is_manual = fields.Boolean()
    face = fields.Function(lambda r: r.face.value if r.face else None, metadata={"enum": ["likely", "may", "unlikely"]})
    national = fields.Nested(GapSchema, allow_none=True)
    neighbours = fields.Nested(GapSchema, allow_none=True)
    flags = fields.Function(lambda r: [f.reason for f in r.flags])
    commentary = fields.String()


class ObjectiveSchema(Schema):
    name = fields.String()
    status = fields.Function(lambda o: o.rollup.status.value)
    counts = fields.Function(lambda o: {rag.value: count for rag, count in o.rollup.counts.items()})


class PerformanceSchema(Schema):
    period = fields.String()
    measures = fields.List(fields.Nested(ResultSchema))
    objectives = fields.List(fields.Nested(ObjectiveSchema))


@blp.route("/indicators")
@blp.response(200, IndicatorSchema(many=True))
@requires(Permission.VIEW_CONTRACT, Permission.ADMINISTER)
def indicators() -> Any:
    """Every indicator definition with its yearly targets and comparators."""
    return db.session.scalars(db.select(Indicator).order_by(Indicator.code)).all()


@blp.route("/contracts/<int:contract_id>/kpi-basket/<period>")
@blp.response(200, BasketSchema)
@requires(Permission.VIEW_CONTRACT)
def basket(contract_id: int, period: str) -> Any:
    """The basket in force for a month, and which measures are due in it."""
    month = parse_period(period)
    found = queries.basket_for(contract_id, month)
    if found is None:
        abort(404, description="The contract has no KPI basket for that month")
    due = {e.id for e in queries.due_entries(found, month)}
    return {
        "effective_from": found.effective_from,
        "reason": found.reason,
        "entries": [{"indicator": e.indicator, "required": e.required, "due": e.id in due} for e in found.entries],
    }


@blp.route("/contracts/<int:contract_id>/returns/kpi/<period>/values", methods=["PUT"])
@blp.arguments(ValuesArgs)
@blp.response(200, ReturnSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
@requires(Permission.SUBMIT_RETURNS)
def put_values(args: dict, contract_id: int, period: str) -> Any:
    """Put a month's figures into the draft (opened if need be); all are checked, and if any is wrong
    nothing is saved and every problem comes back, keyed like v-NI66 or n-NI66."""
    contract = db.get_or_404(Contract, contract_id)
    try:
        monthly = operations.open_return(contract, ReturnKind.KPI, parse_period(period), current_user)
        inputs = [ValueInput(**given) for given in args["values"]]
        seen = version_from_request(args["lock_version"])
        save_values(monthly.latest, inputs, replace=args["replace"], lock_version=seen)
    except InvalidInput as error:
        return invalid(error)
    db.session.flush()
    send_version(monthly.latest.lock_version)
    return monthly


@blp.route("/contracts/<int:contract_id>/performance/<period>")
@blp.response(200, PerformanceSchema)
@requires(Permission.VIEW_CONTRACT)
def performance(contract_id: int, period: str) -> Any:
    """The computed performance for a month: value, RAG, direction of travel, forecast and face,
    comparators and challenge flags of every measure due, and each objective's roll-up."""
    contract = db.get_or_404(Contract, contract_id)
    month = parse_period(period)
    results: list[MeasureResult] = Analysis.for_period(contract, month).results(month)
    return {"period": month.label, "measures": results, "objectives": by_objective(results)}
