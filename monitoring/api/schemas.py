"""Marshmallow schemas shared across the API; the OpenAPI document is generated from them."""

from __future__ import annotations

from marshmallow import Schema, fields


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String()
    kind = fields.Function(lambda o: o.kind.value, metadata={"enum": ["council", "trust"]})


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.Email()
    name = fields.String()
    role = fields.Function(
        lambda u: u.role.value, metadata={"description": "commissioner, trust_officer, director, scrutiny or admin"}
    )
    organisation = fields.Nested(OrganisationSchema)
    contract_ids = fields.Function(lambda u: sorted(u.contract_ids))


class ServiceSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    transferred_on = fields.Date()
    description = fields.String()


class PopulationSchema(Schema):
    financial_year = fields.Function(lambda p: p.year.label, metadata={"example": "2017/18"})
    children = fields.Integer()
    source = fields.String()


class ContractSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    council = fields.Nested(OrganisationSchema)
    trust = fields.Nested(OrganisationSchema)
    start_date = fields.Date()
    council_share = fields.Decimal(
        as_string=True, metadata={"description": "Percent of a net overspend the council pays"}
    )
    trust_share = fields.Decimal(as_string=True)
    gain_share = fields.Function(lambda c: c.gain_share.value)
    return_deadline_working_days = fields.Integer()
    services = fields.List(fields.Nested(ServiceSchema))
    populations = fields.List(fields.Nested(PopulationSchema))


class ErrorSchema(Schema):
    code = fields.Integer()
    status = fields.String()
    message = fields.String()
    errors = fields.Dict()
