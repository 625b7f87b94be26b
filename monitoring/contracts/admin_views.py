"""Administrators set up organisations and contracts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from monitoring.audit.queries import history_of
from monitoring.contracts import operations
from monitoring.contracts.forms import NewContractForm, OrganisationForm
from monitoring.contracts.models import Contract, Organisation, OrganisationKind
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors, options
from monitoring.extensions import db
from monitoring.permissions import Permission, requires

bp = Blueprint("contracts_admin", __name__, url_prefix="/admin")


@bp.get("/organisations")
@requires(Permission.ADMINISTER)
def organisations() -> Any:
    rows = db.session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
    return render_template("contracts/admin/organisations.html", organisations=list(rows))


@bp.route("/organisations/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def new_organisation() -> Any:
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = operations.create_organisation(form.name.data, OrganisationKind(form.kind.data))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{organisation.name} added", "success")
            return redirect(url_for("contracts_admin.organisations"))
    return render_template(
        "contracts/admin/organisation_form.html", form=form, organisation=None
    ), 400 if form.errors else 200


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def organisation(organisation_id: int) -> Any:
    organisation = db.get_or_404(Organisation, organisation_id)
    form = OrganisationForm(obj=organisation, data={"kind": organisation.kind.value})
    if form.validate_on_submit():
        try:
            operations.update_organisation(organisation, form.name.data, OrganisationKind(form.kind.data))
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"{organisation.name} saved", "success")
            return redirect(url_for("contracts_admin.organisations"))
    return render_template(
        "contracts/admin/organisation_form.html", form=form, organisation=organisation, history=history_of(organisation)
    ), 400 if form.errors else 200


@bp.get("/contracts")
@requires(Permission.ADMINISTER)
def contracts() -> Any:
    rows = db.session.scalars(select(Contract).order_by(Contract.name))
    return render_template("contracts/admin/contracts.html", contracts=list(rows))


def _fill_parties(form: NewContractForm) -> None:
    organisations = list(db.session.scalars(select(Organisation).order_by(Organisation.name)))
    form.council_id.choices = options(
        [("", "Select the council")] + [(o.id, o.name) for o in organisations if o.is_council]
    )
    form.trust_id.choices = options([("", "Select the trust")] + [(o.id, o.name) for o in organisations if o.is_trust])


@bp.route("/contracts/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def new_contract() -> Any:
    form = NewContractForm()
    _fill_parties(form)
    if form.validate_on_submit():
        try:
            contract = operations.create_contract(
                council=db.session.get(Organisation, form.council_id.data) if form.council_id.data else None,
                trust=db.session.get(Organisation, form.trust_id.data) if form.trust_id.data else None,
                **form.terms(),
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Contract {contract.name} created. Add the services in scope and the child population.", "success")
            return redirect(url_for("contracts.settings", contract_id=contract.id))
    return render_template("contracts/admin/new_contract.html", form=form), 400 if form.errors else 200
