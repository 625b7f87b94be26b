"""Forms for signing in and looking after one's own account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, RadioField, SubmitField
from wtforms.validators import EqualTo, InputRequired, Length

from monitoring.accounts.models import Role
from monitoring.core.forms import checkboxes_field, choice_field, email_format, options, text_field

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def new_password_field(label: str, required: str, description: str = "") -> PasswordField:
    """A field for choosing a password; the strength rules are checked by the operation."""
    return PasswordField(
        label,
        description=description,
        validators=[
            InputRequired(message=required),
            Length(max=200, message="Password must be 200 characters or fewer"),
        ],
        widget=GovPasswordInput(),
    )


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[
            InputRequired(message="Enter your email address"),
            email_format(EMAIL_FORMAT),
        ],
        widget=GovTextInput(),
    )
    password = PasswordField(
        "Password", validators=[InputRequired(message="Enter your password")], widget=GovPasswordInput()
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[InputRequired(message="Enter your current password")],
        widget=GovPasswordInput(),
    )
    new_password = new_password_field(
        "New password",
        required="Enter a new password",
        description="Use 12 characters or more. A few unrelated words together make a strong password.",
    )
    confirm_password = PasswordField(
        "Confirm new password",
        validators=[
            InputRequired(message="Confirm your new password"),
            EqualTo("new_password", message="The passwords do not match"),
        ],
        widget=GovPasswordInput(),
    )
    submit = SubmitField("Change password", widget=GovSubmitInput())


class TokenForm(FlaskForm):
    name = text_field(
        "Token name",
        required="Enter a name for the token, such as the system that will use it",
        max_length=100,
        description="For example, the case-management export",
    )
    submit = SubmitField("Create token", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button-only form (sign out, revoke, deactivate): carries the CSRF token."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class UserForm(FlaskForm):
    """An administrator's form for a person's account (the password only when creating)."""

    email = EmailField(
        "Email address",
        validators=[
            InputRequired(message="Enter an email address"),
            email_format(EMAIL_FORMAT),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
        widget=GovTextInput(),
    )
    name = text_field("Full name", required="Enter the person's full name")
    role = RadioField(
        "Role",
        choices=options((role.value, role.label) for role in Role),
        validators=[InputRequired(message="Select a role")],
        widget=GovRadioInput(),
    )
    organisation_id = choice_field("Organisation", required="Select an organisation")
    contract_ids = checkboxes_field("Contracts", description="The contracts this person works on")
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewUserForm(UserForm):
    password = new_password_field(
        "Initial password",
        required="Enter an initial password",
        description="Give it to the person by a separate channel; they can change it after signing in.",
    )


class SetPasswordForm(FlaskForm):
    new_password = new_password_field("New password", required="Enter a new password")
    submit = SubmitField("Set password", widget=GovSubmitInput())
