"""The JSON API of the finance area: a month's finance return (every line, the care ladder, funding,
savings, capital and the trust's position), putting its figures, the care ladder, and the computed
risk share.

Money comes back as strings of pounds ("1630000.00") and placements as strings ("30.5"), so no client
has to trust a float; send them as strings or JSON numbers (read exactly). The workflow steps
(submit, query, accept…) are the returns API's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import abort, jsonify
from flask_login import current_user
from marshmallow import Schema, ValidationError, fields, validate

from monitoring.api.blueprint import IF_MATCH_DOC, ApiBlueprint, invalid, send_version, version_from_request
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.numbers import parse_number
from monitoring.extensions import db
from monitoring.finance import operations, queries
from monitoring.finance import returns as finance_returns  # noqa: F401  (registers the finance kind of return)
from monitoring.finance.forms import EXAMPLES, parse_day
from monitoring.finance.operations import (
    CAPITAL,
    CARE_LADDER,
    FUNDING,
    POSITION,
    REVENUE,
    SAVINGS,
    CapitalInput,
    CareLadderInput,
    FinanceFigures,
    FundingInput,
    Part,
    PositionInput,
    RevenueInput,
    SavingsInput,
)
from monitoring.finance.positions import MonthPosition
from monitoring.finance.rules import risk_share_words
from monitoring.permissions import Permission, requires
from monitoring.returns import operations as workflow
from monitoring.returns.api import parse_period, visible_revisions
from monitoring.returns.models import ReturnKind

blp = ApiBlueprint("finance_api", __name__, description="Finance returns, the care ladder and the risk share")

FIGURES_PATH = "/contracts/<int:contract_id>/returns/finance/<period>/figures"


def Amount(**kwargs: Any) -> fields.Decimal:  # noqa: N802  (used like the field classes beside it)
    """Money or placements, dumped as an exact string ("1630000.00", "30.5")."""
    return fields.Decimal(as_string=True, **kwargs)


class SourceSchema(Schema):
    return_id = fields.Integer()
    revision_id = fields.Integer()
    revision = fields.Integer(attribute="number")
    status = fields.Function(lambda s: s.status.value)
    provisional = fields.Boolean()
    submitted_at = fields.DateTime(allow_none=True)
    submitted_by = fields.String()
    accepted_at = fields.DateTime(allow_none=True)
    accepted_by = fields.String()
    description = fields.String(metadata={"description": "Where the figures come from, in words"})


class RevenueLineSchema(Schema):
    service_area = fields.String(attribute="name")
    gross_budget = Amount()
    net_budget = Amount()
    forecast_outturn = Amount()
    variance = Amount(metadata={"description": "Forecast outturn less net budget; positive is an overspend"})
    explanation = fields.String()
    needs_explanation = fields.Boolean(metadata={"description": "The variance is over the contract's threshold"})


class CareLadderLineSchema(Schema):
    category = fields.String()
    category_id = fields.Integer()
    contracted_volume = Amount()
    unit_contract_value = Amount()
    actual_activity = Amount(metadata={"description": "Placements at the month's end"})
    forecast_activity = Amount(metadata={"description": "The year's forecast average placements"})
    forecast_unit_cost = Amount()
    contract_cost = Amount()
    forecast_cost = Amount()
    variance = Amount(metadata={"description": "Forecast cost less contract cost (rule 9)"})
    explanation = fields.String()
    needs_explanation = fields.Boolean()


class FundingLineSchema(Schema):
    description = fields.String()
    amount = Amount()
    agreed_on = fields.Date(allow_none=True)
    purpose = fields.String()


class SavingsLineSchema(Schema):
    description = fields.String()
    target = Amount()
    forecast_delivery = Amount()
    shortfall = Amount()
    explanation = fields.String()


class CapitalLineSchema(Schema):
    scheme = fields.String()
    revised_budget = Amount()
    forecast = Amount()
    actual_to_date = Amount()
    variance = Amount()


class TrustSchema(Schema):
    trust_reserves = Amount(allow_none=True)
    agency_staff = Amount(allow_none=True)
    agency_cost = Amount(allow_none=True)
    commentary = fields.String()


class RiskShareSchema(Schema):
    net_variance = Amount(metadata={"description": "Total forecast outturn less total net budget"})
    council_percent = Amount()
    council_share = Amount()
    trust_share = Amount()
    trust_reserves = Amount(allow_none=True, metadata={"description": "null: the trust has not recorded them"})
    trust_covered = Amount(
        allow_none=True,
        metadata={"description": "The part of the trust's share its reserves cover; null: not known (no reserves)"},
    )
    shortfall = Amount(
        allow_none=True,
        metadata={
            "description": "The trust's share its reserves cannot cover, which the council meets. null: not known, "
            "because the trust has not recorded its reserves (0 means they cover its share)"
        },
    )
    council_exposure = Amount(
        allow_none=True,
        metadata={"description": "The council's share plus the shortfall; null when the shortfall is not known"},
    )
    gain_share = fields.Function(lambda s: s.gain_share.value)
    gain_to_council = Amount()
    gain_to_trust = Amount()


class CareLadderSchema(Schema):
    period = fields.Function(lambda p: p.period.label)
    source = fields.Nested(SourceSchema)
    provisional = fields.Boolean()
    care_ladder = fields.List(fields.Nested(CareLadderLineSchema))
    contract_cost = Amount()
    forecast_cost = Amount()
    variance = Amount(attribute="care_ladder_variance")


class FiguresSchema(CareLadderSchema):
    revenue = fields.List(fields.Nested(RevenueLineSchema))
    funding = fields.List(fields.Nested(FundingLineSchema))
    savings = fields.List(fields.Nested(SavingsLineSchema))
    capital = fields.List(fields.Nested(CapitalLineSchema))
    trust = fields.Nested(TrustSchema)
    totals = fields.Function(
        lambda p: {
            name: format(getattr(p, name), "f")
            for name in (
                "gross_budget",
                "net_budget",
                "forecast_outturn",
                "net_variance",
                "funding_total",
                "savings_target",
                "savings_forecast",
                "capital_budget",
                "capital_forecast",
                "capital_actual",
            )
        }
    )
    risk_share = fields.Nested(RiskShareSchema, attribute="risk")
    lock_version = fields.Integer(metadata={"description": "Send it back with a PUT to refuse overwriting a change"})


class PositionRiskShareSchema(RiskShareSchema):
    period = fields.String()
    source = fields.Nested(SourceSchema)
    revision_id = fields.Integer()
    status = fields.String()
    provisional = fields.Boolean()
    words = fields.List(fields.String(), metadata={"description": "The risk share in plain sentences"})


# --- Reading a PUT -------------------------------------------------------------------------------


class Figure(fields.Field):
    """A figure as sent: a JSON number (read exactly) or a string such as "1,630,000.10"; checked later,
    so its message can name the line."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not (value is None or isinstance(value, str | int | Decimal)):
            raise ValidationError('Give figures as numbers or strings of pounds, like "1630000.10"')
        return value


def _figure(**kwargs: Any) -> Figure:
    return Figure(load_default=None, allow_none=True, **kwargs)


def _text(**kwargs: Any) -> fields.String:
    return fields.String(load_default="", validate=validate.Length(max=5000), **kwargs)


class RevenueArgs(Schema):
    service_area = _text()
    gross_budget = _figure()
    net_budget = _figure()
    forecast_outturn = _figure()
    explanation = _text()


class CareLadderArgs(Schema):
    category = _text(metadata={"description": "The placement category's name, as on the care ladder"})
    contracted_volume = _figure()
    unit_contract_value = _figure()
    actual_activity = _figure()
    forecast_activity = _figure()
    forecast_unit_cost = _figure()
    explanation = _text()


class FundingArgs(Schema):
    description = _text()
    amount = _figure()
    agreed_on = fields.String(load_default="", metadata={"example": "2017-04-01"})
    purpose = _text()


class SavingsArgs(Schema):
    description = _text()
    target = _figure()
    forecast_delivery = _figure()
    explanation = _text()


class CapitalArgs(Schema):
    scheme = _text()
    revised_budget = _figure()
    forecast = _figure()
    actual_to_date = _figure()


class PositionArgs(Schema):
    trust_reserves = _figure(metadata={"description": "null when not known; 0 when the trust has none"})
    agency_staff = _figure()
    agency_cost = _figure()
    commentary = _text()


def _lines(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema), load_default=list, validate=validate.Length(max=300))


class FiguresArgs(Schema):
    revenue = _lines(RevenueArgs)
    care_ladder = _lines(CareLadderArgs)
    funding = _lines(FundingArgs)
    savings = _lines(SavingsArgs)
    capital = _lines(CapitalArgs)
    position = fields.Nested(PositionArgs, load_default=None, allow_none=True)
    lock_version = fields.Integer(load_default=None, allow_none=True)


def _read(part: Part, make: type, given: dict, row: int, errors: dict[str, str]) -> Any:
    line = make(key=f"{part.key}-{row}")
    name = (given.get(part.name_field) or "").strip() if part.name_field else ""
    label = name or (f"Row {row} of {part.words}" if part.name_field else "The trust's position")
    for key, value in given.items():
        figure = next((f for f in part.figures if f.name == key), None)
        if figure is None:
            if key != "agreed_on":
                setattr(line, key, value)
            continue
        try:
            setattr(line, key, parse_number(value) if isinstance(value, str) else _exact(value))
        except ValueError:
            errors[f"{line.key}-{key}"] = f"{label}: {figure.words} must be a number, {EXAMPLES[figure.kind]}"
    if make is FundingInput:
        try:
            line.agreed_on = parse_day(given.get("agreed_on"))
        except ValueError:
            errors[f"{line.key}-agreed_on"] = f"{label}: the date agreed must be a real date, like 2017-04-01"
    return line


def _exact(value: int | Decimal | None) -> Decimal | None:
    if value is None:
        return None
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError("not a number")
    return number


def _figures_from(args: dict) -> FinanceFigures:
    errors: dict[str, str] = {}
    figures = FinanceFigures()
    for part, make in (
        (REVENUE, RevenueInput),
        (FUNDING, FundingInput),
        (SAVINGS, SavingsInput),
        (CAPITAL, CapitalInput),
    ):
        setattr(figures, part.key, [_read(part, make, g, n, errors) for n, g in enumerate(args[part.key], start=1)])
    figures.care_ladder = [
        _read(CARE_LADDER, CareLadderInput, g, n, errors) for n, g in enumerate(args["care_ladder"], start=1)
    ]
    if args["position"] is not None:
        figures.position = _read(POSITION, PositionInput, args["position"], 1, errors)
    if errors:
        raise InvalidInput(errors)
    return figures


# --- Routes --------------------------------------------------------------------------------------


def _contract(contract_id: int) -> Contract:
    return db.get_or_404(Contract, contract_id)


def _visible_revision(contract: Contract, period: str) -> Any:
    """The revision of the month's return the reader may see: the trust its latest, others the latest submitted."""
    monthly = workflow.find_return(contract.id, ReturnKind.FINANCE, parse_period(period))
    visible = visible_revisions(monthly) if monthly else []
    if not visible:
        abort(404, description="There is no finance return for that month yet")
    return visible[-1]


def _dumped(position: MonthPosition, revision: Any) -> Any:
    data = FiguresSchema().dump(position)
    data["lock_version"] = revision.lock_version
    send_version(revision.lock_version)
    return jsonify(data)


@blp.route(FIGURES_PATH)
@blp.response(200, FiguresSchema)
@requires(Permission.VIEW_CONTRACT)
def get_figures(contract_id: int, period: str) -> Any:
    """A month's finance return: every line with its variance, the totals and the risk share. The trust
    reads its latest revision (a draft included); others the latest submitted one."""
    contract = _contract(contract_id)
    revision = _visible_revision(contract, period)
    return _dumped(queries.position_of_revision(contract, revision), revision)


@blp.route(FIGURES_PATH, methods=["PUT"])
@blp.arguments(FiguresArgs)
@blp.response(200, FiguresSchema)
@blp.doc(parameters=[IF_MATCH_DOC])
@requires(Permission.SUBMIT_RETURNS)
def put_figures(args: dict, contract_id: int, period: str) -> Any:
    """Put the whole return's figures into the draft (opened, from last month's figures, if need be).
    Everything is checked; if anything is wrong nothing is saved and every problem comes back (422),
    keyed like revenue-2-net_budget and worded to name the line."""
    contract = _contract(contract_id)
    try:
        monthly = workflow.open_return(contract, ReturnKind.FINANCE, parse_period(period), current_user)
        seen = version_from_request(args["lock_version"])
        operations.save_return(monthly.latest, _figures_from(args), lock_version=seen)
    except InvalidInput as error:
        return invalid(error)
    db.session.flush()
    return _dumped(queries.position_of_revision(contract, monthly.latest), monthly.latest)


def _in_force(contract: Contract, period: str) -> MonthPosition:
    month = parse_period(period)
    position = queries.year_positions(contract, month.financial_year).at(month)
    if position is None:
        abort(404, description="No finance return for that month has been submitted yet")
    return position


@blp.route("/contracts/<int:contract_id>/finance/<period>/care-ladder")
@blp.response(200, CareLadderSchema)
@requires(Permission.VIEW_CONTRACT)
def care_ladder(contract_id: int, period: str) -> Any:
    """The care ladder in force for a month (accepted, else submitted and provisional)."""
    return _in_force(_contract(contract_id), period)


@blp.route("/contracts/<int:contract_id>/finance/<period>/risk-share")
@blp.response(200, PositionRiskShareSchema)
@requires(Permission.VIEW_CONTRACT)
def risk_share(contract_id: int, period: str) -> Any:
    """How the month's net position falls between council and trust (rule 8), with the shortfall the
    trust's reserves cannot cover, and the revision the figures come from."""
    contract = _contract(contract_id)
    position = _in_force(contract, period)
    data = RiskShareSchema().dump(position.risk)
    data.update(
        period=position.period.label,
        source=SourceSchema().dump(position.source),
        revision_id=position.source.revision_id,
        status=position.source.status.value,
        provisional=position.provisional,
        words=risk_share_words(position.risk, contract.gain_share.label),
    )
    return jsonify(data)
