"""Signing in and out, and one's own account: password and API tokens."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from monitoring.accounts import operations
from monitoring.accounts.forms import ChangePasswordForm, ConfirmForm, SignInForm, TokenForm
from monitoring.accounts.models import ApiToken
from monitoring.accounts.rules import safe_next_url
from monitoring.core.errors import InvalidInput
from monitoring.core.forms import apply_errors
from monitoring.extensions import db
from monitoring.permissions import Permission, public, requires, signed_in

bp = Blueprint("accounts", __name__)


def client_address() -> str:
    # Behind a proxy, deploy with ProxyFix (docs/deploy.md) so remote_addr is the client's.
    return request.remote_addr or "unknown"


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Any:
    next_url = safe_next_url(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url or url_for("home.index"))
    form = SignInForm()
    if not form.validate_on_submit():
        return render_template("accounts/sign_in.html", form=form), 400 if form.errors else 200
    outcome = operations.sign_in(form.email.data, form.password.data, client_address())
    if not outcome.throttle.allowed:
        form.form_errors.append(
            f"Too many failed attempts to sign in. Wait {outcome.throttle.retry_after_minutes} minutes and try again."
        )
        headers = {"Retry-After": str(outcome.throttle.retry_after_seconds)}
        return render_template("accounts/sign_in.html", form=form), 429, headers
    user = outcome.user
    if user is None:
        # The failed attempt is already recorded (and committed) by the operation.
        form.form_errors.append("The email address or password is not correct")
        return render_template("accounts/sign_in.html", form=form, failed=True)
    session.clear()
    login_user(user)
    session.permanent = True
    return redirect(next_url or url_for("home.index"))


@bp.post("/sign-out")
@signed_in
def sign_out() -> Any:
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    operations.end_sessions(current_user)
    logout_user()
    session.clear()
    flash("You have signed out", "success")
    return redirect(url_for("accounts.sign_in"))


def _tokens() -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.created_at.desc())
        )
    )


def _account_page(
    password_form: ChangePasswordForm | None = None,
    token_form: TokenForm | None = None,
    new_secret: str | None = None,
    status: int = 200,
) -> Any:
    return render_template(
        "accounts/account.html",
        password_form=password_form or ChangePasswordForm(prefix="password"),
        token_form=token_form or TokenForm(prefix="token"),
        confirm_form=ConfirmForm(),
        tokens=_tokens(),
        new_secret=new_secret,
    ), status


@bp.get("/account")
@requires(Permission.USE_ACCOUNT)
def account() -> Any:
    return _account_page()


@bp.post("/account/password")
@requires(Permission.USE_ACCOUNT)
def change_password() -> Any:
    form = ChangePasswordForm(prefix="password")
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current_password.data, form.new_password.data)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            # The old session token is gone with the old password: sign in this session again.
            login_user(current_user)
            flash("Your password has been changed. You have been signed out everywhere else.", "success")
            return redirect(url_for("accounts.account"))
    return _account_page(password_form=form, status=400)


@bp.post("/account/tokens")
@requires(Permission.USE_ACCOUNT)
def create_token() -> Any:
    form = TokenForm(prefix="token")
    if form.validate_on_submit():
        try:
            _token, secret = operations.create_token(current_user, form.name.data)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            # Shown once, on this response only; it is never stored.
            return _account_page(new_secret=secret)
    return _account_page(token_form=form, status=400)


@bp.post("/account/tokens/<int:token_id>/revoke")
@requires(Permission.USE_ACCOUNT)
def revoke_token(token_id: int) -> Any:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.revoke_token(token)
    flash(f"The token {token.name!r} has been revoked. Systems using it can no longer sign in.", "success")
    return redirect(url_for("accounts.account"))
