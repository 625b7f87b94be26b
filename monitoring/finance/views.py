"""Pages of the finance area: the trust's finance return form and upload, the finance dashboard for a month,
the year, the history of a revenue line or care-ladder category, the placement categories, exports."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from monitoring.audit.cache import until_changed
from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear, Period
from monitoring.core.spreadsheets import write_csv, write_xlsx
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.finance import analysis, display, operations, queries, spreadsheet
from monitoring.finance import returns as finance_returns  # noqa: F401  (registers the finance kind of return)
from monitoring.finance.forms import PREFIXES, read_form, row_count, typed_values
from monitoring.finance.models import DEFAULT_CATEGORIES, PlacementCategory
from monitoring.finance.positions import MonthPosition
from monitoring.meetings.views import render, year_from
from monitoring.permissions import Permission, can, register_scope, requires
from monitoring.returns.models import MonthlyReturn, ReturnKind
from monitoring.returns.queries import month_asked
from monitoring.returns.uploads import CSV, XLSX, attachment, run_upload
from monitoring.returns.views import edit_url, return_url, visible_revision

bp = Blueprint("finance", __name__, url_prefix="/contracts/<int:contract_id>")
display.install(bp)

register_scope("category_id", PlacementCategory)

VIEW = Permission.VIEW_CONTRACT
SUBMIT = Permission.SUBMIT_RETURNS
MANAGE = Permission.MANAGE_CONTRACT
# Empty rows the form offers under each part's lines, for new lines.
SPARE_ROWS = 2
FIRST_REVENUE_ROWS = 6


def period_from(text: str | None, contract: Contract) -> Period:
    """The month asked for, else the latest month the trust has reported, else last month."""
    return month_asked(text, contract.id, ReturnKind.FINANCE, london_today())


def finance_return(return_id: int) -> MonthlyReturn | None:
    """The finance return, or None when the id is another kind's (the caller sends the reader there)."""
    monthly = db.get_or_404(MonthlyReturn, return_id)
    return monthly if monthly.kind is ReturnKind.FINANCE else None


# --- The return form -----------------------------------------------------------------------------


def stored_inputs(position: MonthPosition) -> dict[str, str]:
    """The form's inputs filled from the figures saved so far."""
    plain = display.plain
    shown: dict[str, str] = {}
    for number, r in enumerate(position.revenue, start=1):
        key = f"r-{number}"
        shown |= {f"{key}-service_area": r.name, f"{key}-explanation": r.explanation}
        shown |= {f"{key}-{n}": plain(getattr(r, n)) for n in ("gross_budget", "net_budget", "forecast_outturn")}
    for r in position.care_ladder:
        key = f"c-{r.category_id}"
        shown[f"{key}-explanation"] = r.explanation
        shown |= {f"{key}-{n}": plain(getattr(r, n)) for n in operations.LADDER_FIGURES}
    for number, r in enumerate(position.funding, start=1):
        key = f"f-{number}"
        shown |= {f"{key}-description": r.description, f"{key}-amount": plain(r.amount), f"{key}-purpose": r.purpose}
        shown[f"{key}-agreed_on"] = f"{r.agreed_on.day}/{r.agreed_on.month}/{r.agreed_on.year}" if r.agreed_on else ""
    for number, r in enumerate(position.savings, start=1):
        key = f"s-{number}"
        shown |= {f"{key}-description": r.description, f"{key}-explanation": r.explanation}
        shown |= {f"{key}-target": plain(r.target), f"{key}-forecast_delivery": plain(r.forecast_delivery)}
    for number, r in enumerate(position.capital, start=1):
        key = f"k-{number}"
        shown[f"{key}-scheme"] = r.scheme
        shown |= {f"{key}-{n}": plain(getattr(r, n)) for n in ("revised_budget", "forecast", "actual_to_date")}
    t = position.trust
    shown |= {"p-trust_reserves": plain(t.trust_reserves), "p-agency_staff": plain(t.agency_staff)}
    shown |= {"p-agency_cost": plain(t.agency_cost), "p-commentary": t.commentary}
    return shown


def _rows_to_offer(position: MonthPosition, posted: Any | None) -> dict[str, int]:
    if posted is not None:
        return {prefix: row_count(posted, prefix) for prefix in PREFIXES.values()}
    return {
        "r": max(len(position.revenue) + SPARE_ROWS, FIRST_REVENUE_ROWS),
        "f": len(position.funding) + SPARE_ROWS,
        "s": len(position.savings) + SPARE_ROWS,
        "k": len(position.capital) + SPARE_ROWS,
    }


def _form_page(
    contract: Contract,
    monthly: MonthlyReturn,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
    posted: Any | None = None,
) -> Any:
    revision = monthly.latest
    position = queries.position_of_revision(contract, revision)
    return render(
        "finance/return_form.html",
        contract,
        status,
        monthly=monthly,
        revision=revision,
        position=position,
        categories=operations.ensure_categories(contract.id),
        rows=_rows_to_offer(position, posted),
        errors=errors or {},
        shown=typed_values(posted) if posted is not None else stored_inputs(position),
        page_has_errors=bool(errors),
        back=return_url(monthly),
    )


@bp.route("/finance-returns/<int:return_id>/edit", methods=["GET", "POST"])
@requires(SUBMIT)
def edit_return(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = finance_return(return_id)
    if monthly is None:
        return redirect(edit_url(db.session.get(MonthlyReturn, return_id)))
    revision = monthly.latest
    if not revision.is_editable:
        flash("This return cannot be changed now: " + revision.status.label.lower(), "info")
        return redirect(return_url(monthly))
    if request.method == "GET":
        return _form_page(contract, monthly)
    figures, errors = read_form(request.form, operations.ensure_categories(contract.id))
    if not errors:
        try:
            saved = operations.save_return(revision, figures, lock_version=request.form.get("lock_version", type=int))
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"Finance return saved: {saved} line{'s' if saved != 1 else ''}", "success")
            return redirect(return_url(monthly))
    return _form_page(contract, monthly, 400, errors=errors, posted=request.form)


# --- Spreadsheets --------------------------------------------------------------------------------


@bp.get("/finance-returns/<int:return_id>/spreadsheet.xlsx")
@requires(VIEW)
def return_spreadsheet(contract_id: int, return_id: int) -> Any:
    """The template filled with the return's latest figures the reader may see (the trust: its draft)."""
    contract = db.get_or_404(Contract, contract_id)
    monthly = finance_return(return_id)
    if monthly is None:
        return redirect(return_url(db.session.get(MonthlyReturn, return_id)))
    revision = visible_revision(monthly)
    if revision is None:
        abort(404)
    position = queries.position_of_revision(contract, revision)
    names = [c.name for c in queries.categories(contract.id)]
    sheets = spreadsheet.workbook(position, contract, names)
    return attachment(write_xlsx(sheets), f"finance-return-{monthly.period.label}.xlsx", XLSX)


@bp.route("/finance-returns/<int:return_id>/upload", methods=["GET", "POST"])
@requires(SUBMIT)
def upload(contract_id: int, return_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    monthly = finance_return(return_id)
    if monthly is None:
        return redirect(return_url(db.session.get(MonthlyReturn, return_id)))

    def save(filename: str, data: bytes) -> int:
        return operations.save_return(monthly.latest, spreadsheet.read_upload(monthly.period, filename, data))

    return run_upload(
        "finance/upload.html", contract, monthly, save=save, saved_words=lambda n: f"{n} line{'s' if n != 1 else ''}"
    )


@bp.get("/finance/export.xlsx")
@requires(VIEW)
def export(contract_id: int) -> Any:
    """The month's figures in force, a sheet for each part, with the worked-out columns."""
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    position = queries.year_positions(contract, period.financial_year).at(period)
    if position is None:
        abort(404)
    return attachment(write_xlsx(spreadsheet.workbook(position, contract)), f"finance-{period.label}.xlsx", XLSX)


@bp.get("/finance/export/<any(revenue, 'care-ladder', funding, savings, capital, position):part>.csv")
@requires(VIEW)
def export_part(contract_id: int, part: str) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    position = queries.year_positions(contract, period.financial_year).at(period)
    if position is None:
        abort(404)
    rows = spreadsheet.csv_rows(position, spreadsheet.CSV_PARTS[part])
    return attachment(write_csv(rows), f"finance-{part}-{period.label}.csv", CSV)


# --- The dashboard, the year and the history of a line --------------------------------------------


@bp.get("/finance")
@requires(VIEW)
def dashboard(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    period = period_from(request.args.get("period"), contract)
    found = until_changed("finance dashboard", (contract.id, period), lambda: analysis.dashboard(contract, period))
    return render(
        "finance/dashboard.html",
        contract,
        period=period,
        months=[period.shift(-1), period.shift(1)],
        dash=found,
        position=found.position,
    )


@bp.get("/finance/year")
@requires(VIEW)
def year(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    chosen = year_from(request.args.get("year"))
    view = analysis.year_view(contract, chosen)
    return render(
        "finance/year.html",
        contract,
        year=chosen,
        years=[FinancialYear(chosen.start_year + n) for n in (-1, 1)],
        view=view,
    )


@bp.get("/finance/revenue-lines")
@requires(VIEW)
def revenue_history(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    chosen = year_from(request.args.get("year"))
    names = analysis.revenue_names(queries.year_positions(contract, chosen))
    line = (request.args.get("line") or "").strip()
    history = analysis.line_history(contract, chosen, lambda p: p.revenue_line(line)) if line else []
    return render(
        "finance/revenue_history.html",
        contract,
        year=chosen,
        years=[FinancialYear(chosen.start_year + n) for n in (-1, 1)],
        names=names,
        line=line,
        history=history,
    )


@bp.get("/finance/care-ladder/<int:category_id>")
@requires(VIEW)
def category_history(contract_id: int, category_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    category = db.get_or_404(PlacementCategory, category_id)
    chosen = year_from(request.args.get("year"))
    positions = queries.year_positions(contract, chosen)
    return render(
        "finance/category_history.html",
        contract,
        year=chosen,
        years=[FinancialYear(chosen.start_year + n) for n in (-1, 1)],
        category=category,
        history=analysis.line_history(contract, chosen, lambda p: p.category(category.id)),
        chart=analysis.category_chart(chosen, analysis.rows_of(positions, category.id), category.name),
    )


# --- Placement categories ------------------------------------------------------------------------


def _categories_page(
    contract: Contract, status: int = 200, errors: dict[str, str] | None = None, typed: str = ""
) -> Any:
    return render(
        "finance/categories.html",
        contract,
        status,
        categories=queries.categories(contract.id),
        defaults=DEFAULT_CATEGORIES,
        errors=errors or {},
        typed=typed,
        page_has_errors=bool(errors),
        may_manage=can(current_user, MANAGE, contract.id),
    )


@bp.get("/finance/categories")
@requires(VIEW)
def categories(contract_id: int) -> Any:
    return _categories_page(db.get_or_404(Contract, contract_id))


@bp.post("/finance/categories")
@requires(MANAGE)
def add_category(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    name = request.form.get("name", "")
    try:
        category = operations.add_category(contract, name)
    except InvalidInput as error:
        return _categories_page(contract, 400, error.errors, name)
    flash(f"{category.name} added to the care ladder", "success")
    return redirect(url_for("finance.categories", contract_id=contract.id))
