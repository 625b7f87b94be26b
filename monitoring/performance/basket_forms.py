"""The form for a new version of a contract's KPI basket."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from monitoring.core.forms import text_field
from monitoring.core.periods import Period

REASON_REQUIRED = "Enter why the basket is changing (for example, the annual contract review)"


class BasketForm(FlaskForm):
    effective_from = text_field(
        "First month",
        required="Enter the first month the new basket applies to, like 2018-04",
        max_length=20,  # longer than YYYY-MM, so "April 2018" is told the format rather than a length
        description="As YYYY-MM, for example 2018-04 for April 2018. Returns from this month on use the new basket.",
    )
    reason = TextAreaField(
        "Why the basket is changing",
        validators=[
            InputRequired(message=REASON_REQUIRED),
            Length(max=2000, message="The reason must be 2,000 characters or fewer"),
        ],
        widget=GovCharacterCount(),
        description="For example, measures agreed at the 2018 annual contract review",
    )
    # Both are drawn by the page, grouped by objective; the view checks the chosen measures exist.
    indicators = SelectMultipleField("Measures", coerce=int, validate_choice=False)
    required = SelectMultipleField("Required measures", coerce=int, validate_choice=False)
    submit = SubmitField("Save the new basket", widget=GovSubmitInput())

    def month(self) -> Period:
        return Period.parse(self.effective_from.data)

    def validate_effective_from(self, field: Any) -> None:
        try:
            Period.parse(field.data or "")
        except ValueError as error:
            raise ValidationError("Enter the first month as YYYY-MM, for example 2018-04") from error

    def validate_indicators(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError("Choose at least one measure for the basket")
