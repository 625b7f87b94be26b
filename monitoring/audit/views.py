"""The administrator's audit log."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from monitoring.audit.queries import log_query, object_types
from monitoring.extensions import db
from monitoring.permissions import Permission, requires

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("")
@requires(Permission.ADMINISTER)
def log() -> Any:
    filters = {
        "object_type": request.args.get("object_type", ""),
        "action": request.args.get("action", "").strip(),
        "user_id": request.args.get("user_id", type=int),
        "contract_id": request.args.get("contract_id", type=int),
    }
    page = db.paginate(log_query(**filters), per_page=50, max_per_page=50)
    return render_template("audit/log.html", page=page, filters=filters, object_types=object_types())
