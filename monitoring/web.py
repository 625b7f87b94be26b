"""The request lifecycle shared by every page and API call.

Access is decided before the view (permissions.authorise_request); the database session is
committed once after a successful response and rolled back otherwise; every response carries
security headers; errors render as pages, or as JSON under /api/.
"""

from __future__ import annotations

import logging
import secrets
from decimal import Decimal
from typing import Any

from flask import Flask, Response, flash, g, jsonify, redirect, render_template, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from monitoring import navigation
from monitoring.core.db import SAFE_METHODS, is_database_busy, write_intent
from monitoring.core.errors import Conflict, InvalidInput
from monitoring.core.timeutil import format_date, format_datetime
from monitoring.extensions import db, login_manager
from monitoring.permissions import Permission, authorise_request, can

log = logging.getLogger(__name__)

API_PREFIX = "/api/"


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


# --- Who is signed in ---------------------------------------------------------------------------


@login_manager.user_loader
def load_user_from_session(session_id: str) -> Any:
    """Session cookies carry "<user id>:<session token>"; a rotated token ends the session."""
    if is_api_request():
        return None  # the API only trusts bearer tokens
    from monitoring.accounts.models import User

    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or not secrets.compare_digest(user.session_token, token):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req: Any) -> Any:
    if not is_api_request():
        return None
    scheme, _, secret = req.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    from monitoring.accounts.operations import token_needs_touch, user_for_token

    found = user_for_token(secret.strip())
    if found is None:
        return None
    user, token = found
    if token_needs_touch(token):
        g.touch_api_token = token.id
    return user


@login_manager.unauthorized_handler
def unauthorized() -> Any:
    if is_api_request():
        response = jsonify(
            code=401, status="Unauthorized", message="Send a valid API token: Authorization: Bearer <token>"
        )
        response.status_code = 401
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    flash("Sign in to continue", "info")
    return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))


# --- Request lifecycle -------------------------------------------------------------------------


def _commit_or_rollback(response: Any) -> Any:
    """One commit per request, at its edge; nothing from a failed or refused request is kept.

    A commit can still lose a race (a version moved on, the same key inserted at the same moment:
    a Conflict) or, on SQLite, wait too long for the write lock: both become answers, never a 500.
    A refused change (403 or 409 to a request that writes) is then written to the audit trail."""
    if response.status_code < 400:
        try:
            db.session.commit()
        except Conflict as conflict:
            response = conflict_response(conflict)
        except OperationalError as error:
            if not is_database_busy(error):
                raise
            db.session.rollback()
            response = busy_response()
    else:
        db.session.rollback()
        if response.status_code in (400, 422) and g.get("refused_change") is not None:
            # A form page re-shown with the refusal in its error summary (the person's input kept):
            # the answer is still a conflict.
            response.status_code = 409
    if request.method not in SAFE_METHODS and response.status_code in (403, 409):
        _record_refusal(response)
    if "touch_api_token" in g:
        from monitoring.accounts.operations import touch_token

        touch_token(g.pop("touch_api_token"))
    return response


def _record_refusal(response: Any) -> None:
    from monitoring.audit.recorder import current_actor, record_refusal

    conflict: Conflict | None = g.pop("refused_change", None)
    view_args = request.view_args or {}
    details: dict[str, Any] = {"method": request.method, "path": request.path, "status": response.status_code}
    if conflict is not None:
        details["reason"] = conflict.message
    elif response.status_code == 403:
        details["reason"] = "No permission for this change"
    try:
        record_refusal(
            actor=current_actor(),
            contract_id=g.get("contract_id") or view_args.get("contract_id"),
            record_type=(conflict.record_type if conflict and conflict.record_type else "Request"),
            record_id=(conflict.record_id if conflict and conflict.record_id else request.endpoint or "-"),
            label=(conflict.record_label if conflict and conflict.record_label else f"{request.method} {request.path}"),
            details=details,
            session=db.session,
        )
    except OperationalError as error:  # a busy SQLite must not turn a clear refusal into a 500
        db.session.rollback()
        log.warning("could not record a refused change to %s: %s", request.path, error)


def conflict_response(conflict: Conflict) -> Any:
    """409 for a change refused because of the record's state, as JSON under /api/ or as a page."""
    db.session.rollback()
    g.refused_change = conflict
    if is_api_request():
        from monitoring.api.blueprint import invalid

        return invalid(conflict)
    title = "This change could not be made"
    with write_intent(False):  # the page only reads
        page = render_template("errors/error.html", code=409, title=title, error=None, message=conflict.message)
    return Response(page, status=409)


def busy_response() -> Any:
    """SQLite waited its whole busy timeout for the write lock: ask to try again, keep nothing."""
    message = "The service is busy. Nothing has been saved: try again in a moment."
    if is_api_request():
        response = jsonify(code=503, status="Service Unavailable", message=message)
    else:
        with write_intent(False):  # reading for the page never waits for the write lock (WAL)
            page = render_template("errors/error.html", code=503, title=ERROR_TITLES[503], error=None, message=message)
        response = Response(page)
    response.status_code = 503
    response.headers["Retry-After"] = "5"
    return response


def _security_headers(response: Any) -> Any:
    nonce = g.get("csp_nonce", "")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static" and not is_api_request():
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _new_nonce() -> None:
    g.csp_nonce = secrets.token_urlsafe(16)


ERROR_TITLES = {
    400: "There is a problem with the request",
    401: "Sign in to continue",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "That cannot be done here",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}


def _handle_http_error(error: HTTPException) -> Any:
    code = error.code or 500
    # Keep what the error says in its headers: Allow on a 405, WWW-Authenticate on a 401…
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
    if is_api_request():
        body = {"code": code, "status": error.name}
        if error.description and code not in (404, 500):
            body["message"] = error.description
        # flask-smorest's abort() and webargs' validation keep field messages in `data`.
        data = getattr(error, "data", None) or {}
        if data.get("message"):
            body["message"] = data["message"]
        if data.get("errors") or data.get("messages"):
            body["errors"] = data.get("errors") or data.get("messages")
        response = jsonify(body)
        response.status_code = code
        response.headers.extend(headers)
        return response
    page = render_template("errors/error.html", code=code, title=ERROR_TITLES.get(code, error.name), error=error)
    return page, code, headers


def _handle_refused_input(error: InvalidInput) -> Any:
    """An operation's refusal that no view caught: 409 for a conflict, else 422 (API) or 400."""
    if isinstance(error, Conflict):
        return conflict_response(error)
    db.session.rollback()
    if is_api_request():
        from monitoring.api.blueprint import invalid

        return invalid(error)
    message = "; ".join(error.errors.values())
    return render_template("errors/error.html", code=400, title=ERROR_TITLES[400], error=None, message=message), 400


def _handle_database_error(error: OperationalError) -> Any:
    if is_database_busy(error):
        return busy_response()
    raise error


def _handle_unexpected(error: Exception) -> Any:
    log.exception("unhandled error on %s", request.path)
    db.session.rollback()
    if is_api_request():
        return jsonify(code=500, status="Internal Server Error"), 500
    return render_template("errors/error.html", code=500, title=ERROR_TITLES[500], error=None), 500


class DatabaseIdConverter(IntegerConverter):
    """An id in a path: a whole number that fits the database's integer columns (PostgreSQL's are
    32-bit), so /contracts/2147483648 is simply not found rather than an error."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


# --- Templates ---------------------------------------------------------------------------------


def _configure_jinja(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(app.template_folder),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    # The GOV.UK macros read nested params that may be absent (params.label.text …).
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.add_extension("jinja2.ext.do")
    WTFormsHelpers(app)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["date"] = format_date

    @app.context_processor
    def _globals() -> dict[str, Any]:
        return {
            "can": lambda permission, contract_id=None: can(current_user, permission, contract_id),
            "Permission": Permission,
            "navigation": navigation.primary_items,
            "cspNonce": g.get("csp_nonce"),
        }


class ExactJSONProvider(DefaultJSONProvider):
    """JSON whose numbers with a fraction are read as Decimal, so figures sent to the API never pass
    through a float (0.1 stays 0.1; 1630000.10 × 70% is exact)."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("parse_float", Decimal)
        return super().loads(s, **kwargs)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: path ids are bounded, so this must come first."""
    app.json = ExactJSONProvider(app)
    app.url_map.converters["int"] = DatabaseIdConverter
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    login_manager.session_protection = "basic"
    app.before_request(_new_nonce)
    app.before_request(authorise_request)
    app.after_request(_commit_or_rollback)
    app.after_request(_security_headers)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(InvalidInput, _handle_refused_input)
    app.register_error_handler(OperationalError, _handle_database_error)
    if not app.testing:  # in tests, let unexpected errors surface with their traceback
        app.register_error_handler(Exception, _handle_unexpected)
    _configure_jinja(app)
    from monitoring.audit import recorder
    from monitoring.returns import guard

    recorder.install()
    guard.install()
