"""Baselines for `make bench`, registered only when BENCHMARK_ROUTES is set.

`bare` touches nothing (no session, no database); `plain_list` is the simplest real page: 50 rows
from one table through the same stack (sign-in, layout, commit hook) as every other page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from sqlalchemy import select

from monitoring.audit.models import AuditEvent
from monitoring.extensions import db
from monitoring.permissions import public, signed_in

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/bare")
@public
def bare() -> Any:
    return "ok", 200, {"Content-Type": "text/plain"}


@bp.get("/list")
@signed_in
def plain_list() -> Any:
    page = max(1, request.args.get("page", 1, type=int))
    rows = db.session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.action, AuditEvent.object_type, AuditEvent.object_label)
        .order_by(AuditEvent.id.desc())
        .limit(50)
        .offset((page - 1) * 50)
    ).all()
    return render_template("bench/list.html", rows=rows, page=page)
