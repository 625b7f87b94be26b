"""Administrators look after people's accounts: create, edit, reset passwords, deactivate."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from monitoring.accounts import operations
from monitoring.accounts.forms import ConfirmForm, NewUserForm, SetPasswordForm, UserForm
from monitoring.accounts.models import Role, User
from monitoring.audit.queries import history_of
from monitoring.contracts.models import Contract, Organisation
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors, options
from monitoring.extensions import db
from monitoring.permissions import Permission, requires

bp = Blueprint("accounts_admin", __name__, url_prefix="/admin")


def _fill_choices(form: UserForm) -> None:
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.name))
    form.organisation_id.choices = options(
        [("", "Select an organisation")] + [(o.id, f"{o.name} ({o.kind.label.lower()})") for o in organisations]
    )
    contracts = db.session.scalars(select(Contract).order_by(Contract.name))
    form.contract_ids.choices = options((c.id, c.name) for c in contracts)


def _chosen(form: UserForm) -> tuple[Organisation, list[Contract]]:
    organisation = db.session.get(Organisation, form.organisation_id.data) if form.organisation_id.data else None
    if organisation is None:
        raise InvalidInput({"organisation_id": "Select an organisation from the list"})
    contracts = list(db.session.scalars(select(Contract).where(Contract.id.in_(form.contract_ids.data or []))))
    return organisation, contracts


@bp.get("/users")
@requires(Permission.ADMINISTER)
def users() -> Any:
    query = select(User).options(joinedload(User.organisation)).order_by(User.name)
    search = request.args.get("q", "").strip()
    if search:
        like = f"%{search.lower()}%"
        query = query.where(or_(func.lower(User.name).like(like), User.email.like(like)))
    role = request.args.get("role", "")
    if role in {r.value for r in Role}:
        query = query.where(User.role == Role(role))
    page = db.paginate(query, per_page=50, max_per_page=50)
    return render_template("accounts/admin/users.html", page=page, search=search, role=role, roles=list(Role))


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def new_user() -> Any:
    form = NewUserForm()
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            organisation, contracts = _chosen(form)
            user = operations.create_user(
                email=form.email.data,
                name=form.name.data,
                role=Role(form.role.data),
                organisation=organisation,
                password=form.password.data,
                contracts=contracts,
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Account created for {user.name}", "success")
            return redirect(url_for("accounts_admin.user", user_id=user.id))
    return render_template("accounts/admin/new_user.html", form=form), 400 if form.errors else 200


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires(Permission.ADMINISTER)
def user(user_id: int) -> Any:
    person = db.get_or_404(User, user_id)
    form = UserForm(
        obj=person,
        data=None
        if request.method == "POST"
        else {
            "role": person.role.value,
            "contract_ids": sorted(person.contract_ids),
        },
    )
    _fill_choices(form)
    if form.validate_on_submit():
        try:
            organisation, contracts = _chosen(form)
            if form.email.data.strip().lower() != person.email:
                raise InvalidInput({"email": "The email address cannot be changed; create a new account instead"})
            operations.update_user(
                person, name=form.name.data, role=Role(form.role.data), organisation=organisation, contracts=contracts
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"Changes to {person.name} saved", "success")
            return redirect(url_for("accounts_admin.user", user_id=person.id))
    return render_template(
        "accounts/admin/user.html",
        person=person,
        form=form,
        password_form=SetPasswordForm(),
        confirm_form=ConfirmForm(),
        history=history_of(person),
    ), 400 if form.errors else 200


@bp.post("/users/<int:user_id>/password")
@requires(Permission.ADMINISTER)
def set_password(user_id: int) -> Any:
    person = db.get_or_404(User, user_id)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            operations.set_password(person, form.new_password.data)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(f"New password set for {person.name}; their sessions have ended", "success")
            return redirect(url_for("accounts_admin.user", user_id=person.id))
    user_form = UserForm(obj=person, data={"role": person.role.value, "contract_ids": sorted(person.contract_ids)})
    _fill_choices(user_form)
    return render_template(
        "accounts/admin/user.html",
        person=person,
        form=user_form,
        password_form=form,
        confirm_form=ConfirmForm(),
        history=history_of(person),
    ), 400


@bp.post("/users/<int:user_id>/active")
@requires(Permission.ADMINISTER)
def set_active(user_id: int) -> Any:
    person = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        operations.set_active(person, active, acting_user=current_user)
    except InvalidInput as error:
        flash(error.errors["active"], "error")
    else:
        flash(f"{person.name} can {'now' if active else 'no longer'} sign in", "success")
    return redirect(url_for("accounts_admin.user", user_id=person.id))


@bp.get("/sign-ins")
@requires(Permission.ADMINISTER)
def failed_sign_ins() -> Any:
    return render_template("accounts/admin/sign_ins.html", attempts=operations.recent_failed_sign_ins())
