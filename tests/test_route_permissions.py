"""Every route has an access decision, and the app enforces it for every role.

Walks `app.url_map`: a route nobody has decided about fails the first test. Then every route is
requested by each role, by a member of another contract and by someone not signed in, and the
answer must match DOMAIN.md "Who may do what" (ROLE_MATRIX below, written out by hand).

When an area adds a route with a new URL argument, add a sample value to `samples()`.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from monitoring.accounts.models import Role
from monitoring.permissions import Permission, access_for, scoped_arguments

from .conftest import sign_in_as

P = Permission
# DOMAIN.md "Who may do what", one row per role: the permissions it holds.
ROLE_MATRIX: dict[Role, set[Permission]] = {
    Role.COMMISSIONER: {
        P.VIEW_CONTRACT,
        P.MANAGE_CONTRACT,
        P.REVIEW_RETURNS,
        P.UPDATE_ASSIGNED_ACTIONS,
        P.EDIT_REPORTS,
        P.READ_PUBLISHED_REPORTS,
        P.RECEIVE_REPORTS,
        P.VIEW_HISTORY,
        P.USE_ACCOUNT,
    },
    Role.TRUST_OFFICER: {
        P.VIEW_CONTRACT,
        P.SUBMIT_RETURNS,
        P.UPDATE_ASSIGNED_ACTIONS,
        P.READ_PUBLISHED_REPORTS,
        P.USE_ACCOUNT,
    },
    Role.DIRECTOR: {
        P.VIEW_CONTRACT,
        P.APPROVE_REPORTS,
        P.READ_PUBLISHED_REPORTS,
        P.RECEIVE_REPORTS,
        P.VIEW_HISTORY,
        P.USE_ACCOUNT,
    },
    Role.SCRUTINY: {P.READ_PUBLISHED_REPORTS, P.RECEIVE_REPORTS, P.USE_ACCOUNT},
    Role.ADMIN: {P.ADMINISTER, P.USE_ACCOUNT},
}

VISITORS = [*(role.value for role in Role), "other_contract", "anonymous"]
METHODS = ("GET", "POST")


def all_routes(app: Flask) -> list[tuple[str, str]]:
    rules: list[Rule] = sorted(app.url_map.iter_rules(), key=lambda r: r.rule)
    return [(rule.endpoint, method) for rule in rules for method in METHODS if method in rule.methods]


def test_every_route_has_an_access_decision(app: Flask) -> None:
    with app.test_request_context():
        undecided = sorted({rule.endpoint for rule in app.url_map.iter_rules() if access_for(rule.endpoint) is None})
    assert undecided == [], (
        f"Routes with no access decision: {undecided}. Decorate each view with @public, @signed_in or "
        "@requires(Permission.X) from monitoring.permissions."
    )


def test_the_roles_hold_exactly_the_permissions_domain_md_gives_them() -> None:
    from monitoring.permissions import ROLE_PERMISSIONS

    assert {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()} == ROLE_MATRIX


def test_a_route_without_a_decision_is_refused(app: Flask) -> None:
    """The safety net behind the test above: at run time an undecided route answers 403."""
    from .conftest import make_test_app

    other = make_test_app(app.config["SQLALCHEMY_DATABASE_URI"])
    other.add_url_rule("/undecided", "undecided", lambda: "secret")
    response = other.test_client().get("/undecided")
    assert response.status_code == 403
    assert b"secret" not in response.data


def samples(f: Any, visitor_contract: Any, users: dict[str, Any], visitor: str) -> dict[str, Any]:
    """A value for each URL argument, all pointing into `visitor_contract` (contract A).

    Objects that belong to a person rather than a contract (API tokens) are the visitor's own;
    tests in their areas prove nobody else can touch them.
    """
    service = visitor_contract.services[0]
    population = visitor_contract.populations[0]
    token, _ = f.create_token(users.get(visitor, users["commissioner"]))
    summary = f.create_summary(visitor_contract)
    version = f.publish_summary(summary, users["commissioner"], users["director"])
    render = _render_of(version)
    schedule = f.create_schedule(visitor_contract, owner=users["commissioner"])
    delivery = f.create_delivery(schedule, users["director"])
    return {
        **f.governance_samples(visitor_contract, users, visitor),
        **f.performance_samples(visitor_contract, users),
        **f.finance_samples(visitor_contract, users),
        "contract_id": visitor_contract.id,
        "service_id": service.id,
        "population_id": population.id,
        "user_id": users["director"].id,
        "organisation_id": visitor_contract.trust_id,
        "token_id": token.id,
        "filename": "build/app.css",
        "summary_id": summary.id,
        "number": version.number,
        "render_id": render.id,
        "schedule_id": schedule.id,
        "delivery_id": delivery.id,
        "objective_id": f.create_objective().id,
    }


def _render_of(version: Any) -> Any:
    from monitoring.reports.rendering import latest_render

    return latest_render(version.summary, version)


def expected(visitor: str, access: Any, url_points_at_contract: bool) -> bool:
    if access.public:
        return True
    if visitor == "anonymous":
        return False
    if not access.permissions:
        return True
    role = Role.COMMISSIONER if visitor == "other_contract" else Role(visitor)
    held = [p for p in access.permissions if p in ROLE_MATRIX[role]]
    if visitor == "other_contract" and url_points_at_contract:
        return any(not p.contract_scoped for p in held)
    return bool(held)


def refused(response: Any) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    # Not signed in: sent to sign in, with the page to come back to.
    return response.status_code == 302 and "/sign-in?next=" in response.headers.get("Location", "")


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_visitor_gets_exactly_what_their_role_allows(app: Flask, f: Any, visitor: str) -> None:
    contract = f.create_contract(with_scope=True)
    elsewhere = f.create_contract(with_scope=True)
    users = {role.value: f.create_user(role, contract) for role in Role}
    users["other_contract"] = f.create_user(Role.COMMISSIONER, elsewhere)
    values = samples(f, contract, users, visitor)

    mismatches = []
    for endpoint, method in all_routes(app):
        with app.test_request_context():
            rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
            missing = [arg for arg in rule.arguments if arg not in values]
            assert not missing, f"add a sample value for {missing} (route {rule.rule}) to samples()"
            access = access_for(endpoint)
            if access is None:
                mismatches.append(f"{method} {rule.rule}: no access decision")
                continue
            url = app.url_for(endpoint, **{arg: values[arg] for arg in rule.arguments})
        client = app.test_client()
        if visitor != "anonymous":
            sign_in_as(client, users[visitor])
        headers = {}
        if url.startswith("/api/") and visitor != "anonymous":
            _, secret = f.create_token(users[visitor], name=f"walk {endpoint} {method}")
            headers["Authorization"] = f"Bearer {secret}"
        response = client.open(url, method=method, headers=headers)
        assert response.status_code < 500, f"{method} {url} as {visitor} failed with {response.status_code}"
        points_at_contract = bool(set(rule.arguments) & scoped_arguments())
        should_allow = expected(visitor, access, points_at_contract)
        if should_allow == refused(response):
            mismatches.append(
                f"{method} {url}: {response.status_code}, expected {'allowed' if should_allow else 'refused'}"
            )
    assert mismatches == [], f"as {visitor}:\n" + "\n".join(mismatches)
