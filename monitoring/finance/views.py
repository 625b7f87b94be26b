"""Pages of the finance area."""

from __future__ import annotations

from flask import Blueprint

from monitoring.finance import models  # noqa: F401

bp = Blueprint("finance", __name__, url_prefix="/contracts/<int:contract_id>")
