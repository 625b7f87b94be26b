"""Who may do what: the one place where access is decided (DOMAIN.md "Who may do what").

Every route declares its access with `@public`, `@signed_in` or `@requires(permission)`; the app
checks that declaration before the view runs (see `authorise_request`). A route without one is
refused, and tests/test_route_permissions.py fails the suite until somebody decides about it.

Contract-scoped permissions also need membership of the contract a URL points at. Each area
registers how to find the contract from its URL arguments (`register_scope`), so a view never
has to remember to check: another contract's object is simply "not found".
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select

from monitoring.accounts.models import Role
from monitoring.extensions import db

log = logging.getLogger(__name__)


class Permission(enum.StrEnum):
    # Contract-scoped: need the role below and membership of the contract.
    VIEW_CONTRACT = "contract.view"  # dashboards, meetings, returns, finance of the contract
    MANAGE_CONTRACT = "contract.manage"  # contract settings, meetings, minutes, actions, deep dives, reviews
    SUBMIT_RETURNS = "returns.submit"  # draft, submit and correct the trust's returns; answer queries
    REVIEW_RETURNS = "returns.review"  # accept or query returns
    UPDATE_ASSIGNED_ACTIONS = "actions.update_assigned"  # the trust updates actions assigned to it
    EDIT_REPORTS = "reports.edit"  # generate and edit scrutiny summaries, manage schedules
    APPROVE_REPORTS = "reports.approve"  # approve a summary for publication
    READ_PUBLISHED_REPORTS = "reports.read_published"
    RECEIVE_REPORTS = "reports.receive"  # subscribe to scheduled summaries
    VIEW_HISTORY = "contract.history"  # read the audit history of the contract's objects
    # Global.
    ADMINISTER = "admin"  # users, organisations, contracts, indicator definitions, audit log
    USE_ACCOUNT = "account"  # one's own account, password and API tokens

    @property
    def contract_scoped(self) -> bool:
        return self not in GLOBAL_PERMISSIONS


GLOBAL_PERMISSIONS = frozenset({Permission.ADMINISTER, Permission.USE_ACCOUNT})

P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.COMMISSIONER: frozenset(
        {
            P.VIEW_CONTRACT,
            P.MANAGE_CONTRACT,
            P.REVIEW_RETURNS,
            P.UPDATE_ASSIGNED_ACTIONS,
            P.EDIT_REPORTS,
            P.READ_PUBLISHED_REPORTS,
            P.RECEIVE_REPORTS,
            P.VIEW_HISTORY,
            P.USE_ACCOUNT,
        }
    ),
    Role.TRUST_OFFICER: frozenset(
        {
            P.VIEW_CONTRACT,
            P.SUBMIT_RETURNS,
            P.UPDATE_ASSIGNED_ACTIONS,
            P.READ_PUBLISHED_REPORTS,
            P.USE_ACCOUNT,
        }
    ),
    Role.DIRECTOR: frozenset(
        {
            P.VIEW_CONTRACT,
            P.APPROVE_REPORTS,
            P.READ_PUBLISHED_REPORTS,
            P.RECEIVE_REPORTS,
            P.VIEW_HISTORY,
            P.USE_ACCOUNT,
        }
    ),
    Role.SCRUTINY: frozenset({P.READ_PUBLISHED_REPORTS, P.RECEIVE_REPORTS, P.USE_ACCOUNT}),
    Role.ADMIN: frozenset({P.ADMINISTER, P.USE_ACCOUNT}),
}


def role_can(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def can(user: Any, permission: Permission, contract_id: int | None = None) -> bool:
    """May `user` do `permission` (on `contract_id`, when the permission is contract-scoped)?

    With no contract given, a contract-scoped permission asks whether the role allows it at all;
    the caller then shows only the user's own contracts.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if not role_can(user.role, permission):
        return False
    if permission.contract_scoped and contract_id is not None:
        return contract_id in user.contract_ids
    return True


# --- Route declarations ------------------------------------------------------------------------


@dataclass(frozen=True)
class Access:
    """A route's access decision: open to all, to anyone signed in, or to any of some permissions."""

    public: bool = False
    permissions: tuple[Permission, ...] = ()

    @property
    def description(self) -> str:
        if self.public:
            return "public"
        if not self.permissions:
            return "signed in"
        return "requires " + " or ".join(p.value for p in self.permissions)


PUBLIC = Access(public=True)
SIGNED_IN = Access()
F = TypeVar("F", bound=Callable[..., Any])


def _declare(access: Access) -> Callable[[F], F]:
    def decorate(view: F) -> F:
        view.access = access  # type: ignore[attr-defined]
        return view

    return decorate


public = _declare(PUBLIC)
signed_in = _declare(SIGNED_IN)


def requires(*permissions: Permission) -> Callable[[F], F]:
    """Allow a person whose role has any of `permissions` (and, for contract-scoped ones, membership)."""
    if not permissions:
        raise ValueError("requires() needs at least one permission")
    return _declare(Access(permissions=permissions))


# Endpoints that come from libraries rather than our own views.
LIBRARY_ENDPOINTS: dict[str, Access] = {
    "static": PUBLIC,
    "api-docs.openapi_json": PUBLIC,  # describes the API; holds no data
}


def access_for(endpoint: str) -> Access | None:
    if endpoint in LIBRARY_ENDPOINTS:
        return LIBRARY_ENDPOINTS[endpoint]
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "access", None)


# --- Contract scope of URL arguments -----------------------------------------------------------

# URL argument name -> function from its value to the owning contract's id (None if not found).
_SCOPES: dict[str, Callable[[Any], int | None]] = {}


def register_scope(argument: str, model: Any, column: str = "contract_id") -> None:
    """Declare that URL argument `argument` names a `model` row whose `column` is its contract."""

    def resolve(value: Any) -> int | None:
        return db.session.scalar(select(getattr(model, column)).where(model.id == value))

    _SCOPES[argument] = resolve


def scoped_arguments() -> frozenset[str]:
    return frozenset(_SCOPES)


def contract_of_request(view_args: dict[str, Any]) -> int | None:
    """The one contract the URL's arguments point at; 404 if an object is missing or they disagree."""
    found: set[int] = set()
    for name, value in view_args.items():
        if name in _SCOPES:
            contract_id = _SCOPES[name](value)
            if contract_id is None:
                abort(404)
            found.add(contract_id)
    if len(found) > 1:
        abort(404)
    return found.pop() if found else None


def authorise_request() -> Any:
    """Before every request: apply the route's declared access."""
    if request.endpoint is None:  # no route matched: let routing answer 404/405
        return None
    access = access_for(request.endpoint)
    if access is None:
        log.error("refused %s: no access decision for endpoint %s", request.path, request.endpoint)
        abort(403)
    if access.public:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    from monitoring.audit.recorder import set_request_actor

    set_request_actor(current_user)
    if not access.permissions:
        return None
    held = [p for p in access.permissions if role_can(current_user.role, p)]
    if not held:
        abort(403)
    contract_id = None
    if any(p.contract_scoped for p in access.permissions):
        contract_id = contract_of_request(request.view_args or {})
    member = contract_id is None or contract_id in current_user.contract_ids
    if not any(member or not p.contract_scoped for p in held):
        abort(404)  # another contract's data: do not even confirm it exists
    g.contract_id = contract_id
    return None
