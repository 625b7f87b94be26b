"""Form helpers shared by every area: operation errors onto fields, and common fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovDateInput, GovSelect, GovTextInput
from wtforms import DateField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import InputRequired, Length, NumberRange, Regexp

from monitoring.core.errors import InvalidInput
from monitoring.core.numbers import parse_number
from monitoring.core.timeutil import parse_time


class _NamesItsErrors:
    """Replace WTForms' generic "Not a valid … value" with a message that names the field."""

    invalid_message = "{label} is not valid"

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not any(str(v).strip() for v in valuelist):
            self.data = None  # empty: InputRequired (if any) says what to enter
            return
        try:
            super().process_formdata(valuelist)  # type: ignore[misc]
        except ValueError as error:
            self.data = None
            raise ValueError(self.invalid_message.format(label=self.label.text)) from error


class GovDateField(_NamesItsErrors, DateField):
    invalid_message = "{label} must be a real date, like 27 3 2017"

    def process(self, formdata: Any, data: Any = unset_value, extra_filters: Any = None) -> None:
        super().process(formdata, data, extra_filters)
        # The day/month/year widget expects exactly three parts, even from a hand-made request.
        if self.raw_data is not None and len(self.raw_data) != 3:
            self.raw_data = ([*self.raw_data, "", "", ""])[:3]


class GovIntegerField(_NamesItsErrors, IntegerField):
    invalid_message = "{label} must be a whole number"


class GovDecimalField(_NamesItsErrors, DecimalField):
    invalid_message = "{label} must be a number"


class GovMoneyField(GovDecimalField):
    """An amount of money as people type it: "50,000", "£50,000.00" (read exactly, never as a float)."""

    invalid_message = "{label} must be an amount in pounds, like 50,000"

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not any(str(v).strip() for v in valuelist):
            self.data = None
            return
        try:
            self.data = parse_number(str(valuelist[0]))
        except ValueError as error:
            self.data = None
            raise ValueError(self.invalid_message.format(label=self.label.text)) from error


def options(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """Choices for selects, radios and checkboxes from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def email_format(message: str) -> Regexp:
    """A lenient check (something@domain.tld, no spaces), as GOV.UK advises: the real test of an
    address is whether mail arrives. Reserved domains such as demo.test are allowed."""
    return Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$", message=message)


class TimeOfDayField(StringField):
    """A time typed as 10:00, 14:30 or 2pm; `data` is a `time`."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = (valuelist[0] if valuelist else "").strip()
        self.raw_text = text
        if not text:
            self.data = None
            return
        try:
            self.data = parse_time(text)
        except ValueError as error:
            self.data = None
            raise ValueError(f"{self.label.text} must be a time, like 10:00 or 2:30pm") from error

    def _value(self) -> str:
        if isinstance(self.data, time):
            return f"{self.data:%H:%M}"
        return getattr(self, "raw_text", "") or ""


def time_field(label: str, required: str, **kwargs: Any) -> TimeOfDayField:
    return TimeOfDayField(label, validators=[InputRequired(message=required)], widget=GovTextInput(), **kwargs)


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Show an operation's InvalidInput on the form's fields (or at the top for whole-form errors)."""
    for name, message in error.errors.items():
        field = getattr(form, name, None)
        if field is None:
            form.form_errors.append(message)
        else:
            field.errors = [*field.errors, message]


def text_field(label: str, required: str | None = None, max_length: int = 200, **kwargs: Any) -> StringField:
    validators = [InputRequired(message=required)] if required else []
    validators.append(Length(max=max_length, message=f"{label} must be {max_length} characters or fewer"))
    return StringField(label, validators=validators, widget=GovTextInput(), **kwargs)


def date_field(label: str, required: str, **kwargs: Any) -> DateField:
    """A GOV.UK day/month/year date input."""
    return GovDateField(
        label,
        format="%d %m %Y",
        validators=[InputRequired(message=required)],
        widget=GovDateInput(),
        **kwargs,
    )


def whole_number_field(label: str, required: str, minimum: int, maximum: int, **kwargs: Any) -> IntegerField:
    return GovIntegerField(
        label,
        validators=[
            InputRequired(message=required),
            NumberRange(min=minimum, max=maximum, message=f"{label} must be between {minimum:,} and {maximum:,}"),
        ],
        widget=GovTextInput(),
        **kwargs,
    )


def optional_int(value: Any) -> int | None:
    """Coerce a select's value; an empty or non-numeric choice becomes None for the caller to reject."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def choice_field(label: str, required: str, **kwargs: Any) -> SelectField:
    """A select of database rows by id; the view checks the chosen row exists and may be used."""
    return SelectField(
        label,
        coerce=optional_int,
        validators=[InputRequired(message=required)],
        widget=GovSelect(),
        validate_choice=False,
        **kwargs,
    )


def checkboxes_field(label: str, **kwargs: Any) -> SelectMultipleField:
    return SelectMultipleField(label, coerce=int, widget=GovCheckboxesInput(), **kwargs)


class VersionField(HiddenField):
    """The version of the record the form was opened on, sent back with the change so a change made
    by someone else in between is caught (409) rather than silently overwritten."""

    @property
    def seen(self) -> int | None:
        value = str(self.data or "").strip()
        return int(value) if value.isdigit() and len(value) < 10 else None
