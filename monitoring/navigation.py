"""Navigation that fits each role: the primary menu, and the sections of a contract's pages.

Areas add their own entries here (e.g. meetings, performance, finance); an entry shows only
to people whose role allows its permission, so menus never offer a page that would refuse them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from monitoring.permissions import Permission, can


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    permission: Permission
    # Endpoint prefix that marks the item as the current section.
    active_prefix: str = ""


PRIMARY: list[NavItem] = [
    NavItem("Home", "home.index", Permission.USE_ACCOUNT, "home."),
    NavItem("Contracts", "contracts.index", Permission.VIEW_CONTRACT, "contracts."),
    NavItem("Users", "accounts_admin.users", Permission.ADMINISTER, "accounts_admin."),
    NavItem("Organisations", "contracts_admin.organisations", Permission.ADMINISTER, "contracts_admin.organisation"),
    NavItem("Contract set-up", "contracts_admin.contracts", Permission.ADMINISTER, "contracts_admin.contract"),
    NavItem("Indicators", "performance_admin.indicators", Permission.ADMINISTER, "performance_admin."),
    NavItem("Audit log", "audit.log", Permission.ADMINISTER, "audit."),
    NavItem("Your emails", "deliveries.subscriptions", Permission.RECEIVE_REPORTS, "deliveries.subscriptions"),
    NavItem("Your account", "accounts.account", Permission.USE_ACCOUNT, "accounts."),
]

# Sections of one contract's pages, each taking the contract_id URL argument.
CONTRACT_SECTIONS: list[NavItem] = [
    NavItem("Overview", "contracts.show", Permission.VIEW_CONTRACT, "contracts.show"),
    NavItem("Performance", "performance.dashboard", Permission.VIEW_CONTRACT, "performance."),
    NavItem("Returns", "returns.index", Permission.VIEW_CONTRACT, "returns."),
    NavItem("Case audits", "performance.case_audits", Permission.VIEW_CONTRACT, "performance.case_audit"),
    NavItem("KPI basket", "performance.basket", Permission.VIEW_CONTRACT, "performance.basket"),
    NavItem("Finance", "finance.dashboard", Permission.VIEW_CONTRACT, "finance."),
    NavItem("Meetings", "meetings.index", Permission.VIEW_CONTRACT, "meetings.meeting"),
    NavItem("Actions", "meetings.actions", Permission.VIEW_CONTRACT, "meetings.action"),
    NavItem("Deep dives", "meetings.deep_dives", Permission.VIEW_CONTRACT, "meetings.deep_dive"),
    NavItem("Reviews and inspections", "reviews.index", Permission.VIEW_CONTRACT, "reviews."),
    NavItem("Summaries", "reports.index", Permission.READ_PUBLISHED_REPORTS, "reports."),
    NavItem("Email schedules", "deliveries.schedules_index", Permission.EDIT_REPORTS, "deliveries.schedule"),
    NavItem("Delivery log", "deliveries.deliveries", Permission.EDIT_REPORTS, "deliveries.deliveries"),
    NavItem("History", "contracts.history", Permission.VIEW_HISTORY, "contracts.history"),
]


def primary_items() -> list[dict]:
    """Items for the GOV.UK service navigation component."""
    if not current_user.is_authenticated:
        return []
    endpoint = request.endpoint or ""
    # Every page about one contract (meetings, returns, finance…) sits under "Contracts".
    in_contract = "contract_id" in (request.view_args or {}) and not endpoint.startswith("contracts_admin.")
    return [
        {
            "href": url_for(item.endpoint),
            "text": item.label,
            "active": (item.endpoint == "contracts.index" and in_contract)
            or (bool(item.active_prefix) and endpoint.startswith(item.active_prefix)),
        }
        for item in PRIMARY
        if can(current_user, item.permission)
    ]


def contract_sections(contract_id: int) -> list[dict]:
    endpoint = request.endpoint or ""
    shown = [item for item in CONTRACT_SECTIONS if can(current_user, item.permission, contract_id)]
    # Case audits and the KPI basket sit inside "performance.": only the most specific match is current.
    matches = [item for item in shown if endpoint.startswith(item.active_prefix)]
    current = max(matches, key=lambda item: len(item.active_prefix), default=None)
    return [
        {
            "href": url_for(item.endpoint, contract_id=contract_id),
            "text": item.label,
            "active": item is current,
        }
        for item in shown
    ]
