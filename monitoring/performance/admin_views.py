"""Administrators look after indicator definitions: objectives, indicators, each indicator's targets
and comparators by year, and loading the catalogue of measures."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from monitoring.accounts.forms import ConfirmForm
from monitoring.audit.queries import history_of
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.performance import catalogue, definitions, queries
from monitoring.performance.definition_forms import IndicatorForm, ObjectiveForm, YearForm
from monitoring.performance.models import Indicator, Objective
from monitoring.permissions import Permission, requires

bp = Blueprint("performance_admin", __name__, url_prefix="/admin")

ADMINISTER = Permission.ADMINISTER


def indicator_url(indicator: Indicator) -> str:
    return url_for("performance_admin.indicator", indicator_id=indicator.id)


# --- Indicators ---------------------------------------------------------------------------------


def _objective_filter(text: str) -> int | None:
    """The objective asked for: its id, 0 for "no objective", None for all."""
    if text == "none":
        return 0
    return int(text) if text.isdigit() else None


def _list_page(load_errors: list[str] | None = None) -> Any:
    wanted = request.args.get("objective", "")
    groups = queries.indicators_by_objective(_objective_filter(wanted))
    return render_template(
        "performance/admin/indicators.html",
        groups=groups,
        shown=sum(len(members) for _, members in groups),
        total=sum(queries.indicator_counts().values()),
        objectives=queries.objectives(),
        wanted=wanted,
        confirm_form=ConfirmForm(),
        load_errors=[{"text": message} for message in load_errors or []],
        page_has_errors=bool(load_errors),
    ), 400 if load_errors else 200


@bp.get("/indicators")
@requires(ADMINISTER)
def indicators() -> Any:
    return _list_page()


@bp.post("/indicators/catalogue")
@requires(ADMINISTER)
def load_catalogue() -> Any:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        created, updated = catalogue.load_catalogue(catalogue.CATALOGUE)
    except InvalidInput as error:
        return _list_page(list(error.errors.values()))
    flash(f"Catalogue loaded: {created} indicator{'s' if created != 1 else ''} created, {updated} updated", "success")
    return redirect(url_for("performance_admin.indicators"))


def _form_page(form: IndicatorForm, indicator: Indicator | None) -> Any:
    return render_template(
        "performance/admin/indicator_form.html",
        form=form,
        indicator=indicator,
        has_figures=indicator is not None and definitions.has_returned_figures(indicator),
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/indicators/new", methods=["GET", "POST"])
@requires(ADMINISTER)
def new_indicator() -> Any:
    objectives = queries.objectives()
    form = IndicatorForm()
    form.fill_objectives(objectives)
    if form.validate_on_submit():
        try:
            indicator = definitions.create_indicator(form.definition_given(objectives))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{indicator.label} added. Set its target and comparators for each year", "success")
            return redirect(indicator_url(indicator))
    return _form_page(form, None)


@bp.route("/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@requires(ADMINISTER)
def edit_indicator(indicator_id: int) -> Any:
    indicator = db.get_or_404(Indicator, indicator_id)
    objectives = queries.objectives()
    stored = {
        "unit": indicator.unit.value,
        "polarity": indicator.polarity.value,
        "frequency": indicator.frequency.value,
        "accumulation": indicator.accumulation.value,
    }
    form = IndicatorForm(obj=indicator, data=None if request.method == "POST" else stored)
    form.fill_objectives(objectives)
    if form.validate_on_submit():
        try:
            definitions.update_indicator(indicator, form.definition_given(objectives))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Changes to {indicator.label} saved", "success")
            return redirect(indicator_url(indicator))
    return _form_page(form, indicator)


def _indicator_page(indicator: Indicator, form: YearForm, status: int = 200) -> Any:
    return render_template(
        "performance/admin/indicator.html",
        indicator=indicator,
        form=form,
        history=history_of(indicator),
    ), status


def _year_form(indicator: Indicator, label: str) -> YearForm:
    """The year form, filled with the year asked for (?year=2017/18) when it has figures."""
    try:
        row = indicator.year(FinancialYear.parse(label))
    except ValueError:
        return YearForm()
    if row is None:
        return YearForm(data={"financial_year": label})
    return YearForm(obj=row, data={"financial_year": row.label})


@bp.get("/indicators/<int:indicator_id>")
@requires(ADMINISTER)
def indicator(indicator_id: int) -> Any:
    measure = db.get_or_404(Indicator, indicator_id)
    return _indicator_page(measure, _year_form(measure, request.args.get("year", "")))


@bp.post("/indicators/<int:indicator_id>/years")
@requires(ADMINISTER)
def set_year(indicator_id: int) -> Any:
    measure = db.get_or_404(Indicator, indicator_id)
    form = YearForm()
    if form.validate_on_submit():
        try:
            row = definitions.set_year(measure, form.financial_year.data, form.figures())
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            year = form.financial_year.data.strip()
            flash(f"Figures for {year} saved" if row else f"Figures for {year} cleared", "success")
            return redirect(indicator_url(measure))
    return _indicator_page(measure, form, 400)


# --- Objectives ---------------------------------------------------------------------------------


@bp.get("/objectives")
@requires(ADMINISTER)
def objectives() -> Any:
    return render_template(
        "performance/admin/objectives.html", objectives=queries.objectives(), counts=queries.indicator_counts()
    )


def _objective_page(form: ObjectiveForm, objective: Objective | None) -> Any:
    return render_template(
        "performance/admin/objective_form.html",
        form=form,
        objective=objective,
        history=history_of(objective) if objective else [],
    ), 400 if form.errors or form.form_errors else 200


@bp.route("/objectives/new", methods=["GET", "POST"])
@requires(ADMINISTER)
def new_objective() -> Any:
    form = ObjectiveForm()
    if form.validate_on_submit():
        try:
            objective = definitions.create_objective(
                form.name.data, position=form.position.data, description=form.description.data or ""
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{objective.name} added", "success")
            return redirect(url_for("performance_admin.objectives"))
    return _objective_page(form, None)


@bp.route("/objectives/<int:objective_id>", methods=["GET", "POST"])
@requires(ADMINISTER)
def objective(objective_id: int) -> Any:
    found = db.get_or_404(Objective, objective_id)
    form = ObjectiveForm(obj=found)
    if form.validate_on_submit():
        try:
            definitions.update_objective(
                found, form.name.data, position=form.position.data, description=form.description.data or ""
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{found.name} saved", "success")
            return redirect(url_for("performance_admin.objectives"))
    return _objective_page(form, found)
