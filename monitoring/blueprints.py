"""The one list of the app's blueprints, one or more per business area."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from monitoring.accounts import admin_views as accounts_admin
    from monitoring.accounts import views as accounts
    from monitoring.api import views as api_views
    from monitoring.audit import views as audit
    from monitoring.contracts import admin_views as contracts_admin
    from monitoring.contracts import views as contracts
    from monitoring.extensions import api, csrf
    from monitoring.finance import views as finance
    from monitoring.finance.api import blp as finance_api
    from monitoring.home import views as home
    from monitoring.meetings import (
        agenda_views,  # noqa: F401  (adds its routes to meetings.bp)
        followup_views,  # noqa: F401  (adds its routes to meetings.bp)
    )
    from monitoring.meetings import feed_views as calendar_feeds
    from monitoring.meetings import views as meetings
    from monitoring.meetings.api import blp as meetings_api
    from monitoring.performance import admin_views as performance_admin
    from monitoring.performance import (
        audit_views,  # noqa: F401  (adds its routes to performance.bp)
        basket_views,  # noqa: F401  (adds its routes to performance.bp)
    )
    from monitoring.performance import views as performance
    from monitoring.performance.api import blp as performance_api
    from monitoring.reports import delivery_views as report_deliveries
    from monitoring.reports import views as reports
    from monitoring.returns import views as returns
    from monitoring.returns.api import blp as returns_api
    from monitoring.reviews import views as reviews

    for blueprint in (
        home.bp,
        accounts.bp,
        accounts_admin.bp,
        contracts.bp,
        contracts_admin.bp,
        audit.bp,
        meetings.bp,
        calendar_feeds.bp,
        reviews.bp,
        returns.bp,
        performance.bp,
        performance_admin.bp,
        finance.bp,
        reports.bp,
        report_deliveries.bp,
    ):
        app.register_blueprint(blueprint)

    # The JSON API authenticates with bearer tokens, never cookies, so CSRF does not apply.
    for blueprint in (api_views.blp, meetings_api, returns_api, performance_api, finance_api):
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint, url_prefix="/api/v1")

    if app.config["BENCHMARK_ROUTES"]:
        from monitoring.bench import views as bench

        app.register_blueprint(bench.bp)
