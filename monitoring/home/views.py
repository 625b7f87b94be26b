"""Home pages that fit each role, the health check and the accessibility statement."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from monitoring.accounts.models import Role
from monitoring.contracts.queries import counts
from monitoring.extensions import db
from monitoring.permissions import public, signed_in

bp = Blueprint("home", __name__)

HOME_TEMPLATES = {
    Role.COMMISSIONER: "home/commissioner.html",
    Role.TRUST_OFFICER: "home/trust_officer.html",
    Role.DIRECTOR: "home/director.html",
    Role.SCRUTINY: "home/scrutiny.html",
    Role.ADMIN: "home/admin.html",
}


@bp.get("/")
@public
def root() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.sign_in"))


@bp.get("/home")
@signed_in
def index() -> Any:
    context: dict[str, Any] = {"contracts": current_user.contracts}
    if current_user.role is Role.ADMIN:
        context["counts"] = counts()
    return render_template(HOME_TEMPLATES[current_user.role], **context)


@bp.get("/accessibility")
@public
def accessibility() -> Any:
    return render_template("home/accessibility.html")


@bp.get("/healthz")
@public
def healthz() -> Any:
    """200 when the database answers, 503 when it does not (for load balancers and monitoring)."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
