"""A contract's pages for its members, and its settings for commissioners and administrators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from monitoring.accounts.forms import ConfirmForm
from monitoring.audit.queries import log_query
from monitoring.contracts import operations
from monitoring.contracts.forms import ContractTermsForm, PopulationForm, ServiceForm
from monitoring.contracts.models import ChildPopulation, Contract, ContractService
from monitoring.contracts.queries import members_of
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.extensions import db
from monitoring.navigation import contract_sections
from monitoring.permissions import Permission, register_scope, requires

bp = Blueprint("contracts", __name__, url_prefix="/contracts")

register_scope("contract_id", Contract, "id")
register_scope("service_id", ContractService)
register_scope("population_id", ChildPopulation)

MANAGE = (Permission.MANAGE_CONTRACT, Permission.ADMINISTER)


def _render(template: str, contract: Contract, status: int = 200, **context: Any) -> Any:
    return render_template(template, contract=contract, sections=contract_sections(contract.id), **context), status


@bp.get("")
@requires(Permission.VIEW_CONTRACT)
def index() -> Any:
    contracts = current_user.contracts
    if len(contracts) == 1:
        return redirect(url_for("contracts.show", contract_id=contracts[0].id))
    return render_template("contracts/index.html", contracts=contracts)


@bp.get("/<int:contract_id>")
@requires(Permission.VIEW_CONTRACT)
def show(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    return _render("contracts/show.html", contract, members=members_of(contract))


@bp.get("/<int:contract_id>/history")
@requires(Permission.VIEW_HISTORY)
def history(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    page = db.paginate(log_query(contract_id=contract.id), per_page=50, max_per_page=50)
    return _render("contracts/history.html", contract, page=page)


@bp.route("/<int:contract_id>/settings", methods=["GET", "POST"])
@requires(*MANAGE)
def settings(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = ContractTermsForm(obj=contract, data={"gain_share": contract.gain_share.value})
    if form.validate_on_submit():
        try:
            operations.update_terms(contract, **form.terms())
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash("Contract terms saved", "success")
            return redirect(url_for("contracts.settings", contract_id=contract.id))
    return _render(
        "contracts/settings.html", contract, 400 if form.errors else 200, form=form, confirm_form=ConfirmForm()
    )


def _service_form_page(contract: Contract, form: ServiceForm, service: ContractService | None) -> Any:
    return _render("contracts/service_form.html", contract, 400 if form.errors else 200, form=form, service=service)


@bp.route("/<int:contract_id>/services/new", methods=["GET", "POST"])
@requires(*MANAGE)
def new_service(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = ServiceForm()
    if form.validate_on_submit():
        try:
            operations.add_service(
                contract,
                name=form.name.data,
                transferred_on=form.transferred_on.data,
                description=form.description.data,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{form.name.data.strip()} added to the contract's scope", "success")
            return redirect(url_for("contracts.settings", contract_id=contract.id))
    return _service_form_page(contract, form, None)


@bp.route("/<int:contract_id>/services/<int:service_id>", methods=["GET", "POST"])
@requires(*MANAGE)
def edit_service(contract_id: int, service_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    service = db.get_or_404(ContractService, service_id)
    form = ServiceForm(obj=service)
    if form.validate_on_submit():
        try:
            operations.update_service(
                service, name=form.name.data, transferred_on=form.transferred_on.data, description=form.description.data
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{service.name} saved", "success")
            return redirect(url_for("contracts.settings", contract_id=contract.id))
    return _service_form_page(contract, form, service)


@bp.post("/<int:contract_id>/services/<int:service_id>/remove")
@requires(*MANAGE)
def remove_service(contract_id: int, service_id: int) -> Any:
    service = db.get_or_404(ContractService, service_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.remove_service(service)
    flash(f"{service.name} removed from the contract's scope", "success")
    return redirect(url_for("contracts.settings", contract_id=contract_id))


@bp.route("/<int:contract_id>/populations/new", methods=["GET", "POST"])
@requires(*MANAGE)
def set_population(contract_id: int) -> Any:
    contract = db.get_or_404(Contract, contract_id)
    form = PopulationForm()
    if form.validate_on_submit():
        try:
            population = operations.set_population(
                contract, financial_year=form.financial_year.data, children=form.children.data, source=form.source.data
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Child population for {population.year.label} saved", "success")
            return redirect(url_for("contracts.settings", contract_id=contract.id))
    return _render("contracts/population_form.html", contract, 400 if form.errors else 200, form=form)


@bp.post("/<int:contract_id>/populations/<int:population_id>/remove")
@requires(*MANAGE)
def remove_population(contract_id: int, population_id: int) -> Any:
    population = db.get_or_404(ChildPopulation, population_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.remove_population(population)
    flash(f"Child population for {population.year.label} removed", "success")
    return redirect(url_for("contracts.settings", contract_id=contract_id))
