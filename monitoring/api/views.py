"""Core API resources: who I am, and my contracts."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from monitoring.api.blueprint import ApiBlueprint
from monitoring.api.schemas import ContractSchema, UserSchema
from monitoring.contracts.models import Contract
from monitoring.extensions import db
from monitoring.permissions import Permission, requires

blp = ApiBlueprint("api", __name__, description="The signed-in user and their contracts")


@blp.route("/me")
@blp.response(200, UserSchema)
@requires(Permission.USE_ACCOUNT)
def me() -> Any:
    """The person the token belongs to."""
    return current_user


@blp.route("/contracts")
@blp.response(200, ContractSchema(many=True))
@requires(Permission.VIEW_CONTRACT)
def contracts() -> Any:
    """The contracts the token's owner is a member of."""
    return current_user.contracts


@blp.route("/contracts/<int:contract_id>")
@blp.response(200, ContractSchema)
@requires(Permission.VIEW_CONTRACT)
def contract(contract_id: int) -> Any:
    """One contract's terms, services in scope and child population."""
    return db.get_or_404(Contract, contract_id)
