"""The spreadsheet side of every kind of return: the upload page and its one flow (choose a file; all of
it is checked before anything is saved; every problem listed), and downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, flash, redirect, request

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.spreadsheets import LIMITS
from monitoring.meetings.views import render
from monitoring.returns.models import MonthlyReturn
from monitoring.returns.operations import ensure_editable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"


def attachment(data: bytes, filename: str, mimetype: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def upload_page(
    template: str, contract: Contract, monthly: MonthlyReturn, status: int = 200, errors: dict[str, str] | None = None
) -> Any:
    from monitoring.returns.views import return_url

    return render(
        template,
        contract,
        status,
        monthly=monthly,
        errors=errors or {},
        page_has_errors=bool(errors),
        back=return_url(monthly),
        limit_mb=LIMITS.max_bytes // (1024 * 1024),
    )


def run_upload(
    template: str,
    contract: Contract,
    monthly: MonthlyReturn,
    *,
    save: Callable[[str, bytes], int],
    saved_words: Callable[[int], str],
) -> Any:
    """Show the upload page; on a post, read and save the file into the latest revision all or nothing
    (`save(filename, data)` returns how much it saved), or show every problem (400, nothing saved)."""
    from monitoring.returns.views import return_url

    if request.method == "GET":
        return upload_page(template, contract, monthly)
    file = request.files.get("file")
    if file is None or not file.filename:
        return upload_page(template, contract, monthly, 400, {"file": "Choose the spreadsheet to upload"})
    try:
        ensure_editable(monthly.latest)
        saved = save(file.filename, file.read(LIMITS.max_bytes + 1))
    except InvalidInput as error:
        return upload_page(template, contract, monthly, 400, error.errors)
    flash(f"{file.filename} uploaded: {saved_words(saved)}. Check the figures, then submit", "success")
    return redirect(return_url(monthly))
