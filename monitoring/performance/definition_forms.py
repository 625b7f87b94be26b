"""Forms for administrators: objectives, an indicator's definition, and an indicator's figures for a year."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from monitoring.core.forms import GovDecimalField, optional_int, options, text_field, whole_number_field
from monitoring.core.periods import FinancialYear
from monitoring.performance.definitions import CODE_LIMIT, TITLE_LIMIT, Definition, YearFigures
from monitoring.performance.models import Objective
from monitoring.performance.vocabulary import Accumulation, Frequency, Polarity, Unit


def _choice(label: str, kind: type, required: str, **kwargs: Any) -> RadioField:
    return RadioField(
        label,
        choices=options((m.value, m.label) for m in kind),
        validators=[InputRequired(message=required)],
        widget=GovRadioInput(),
        **kwargs,
    )


def _long_text(label: str, max_length: int, widget: Any = None, **kwargs: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[Optional(), Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer")],
        widget=widget or GovCharacterCount(),
        **kwargs,
    )


def _number(label: str, **kwargs: Any) -> GovDecimalField:
    # No fixed places: figures show as stored (22.5, not 22.50).
    return GovDecimalField(label, places=None, validators=[Optional()], widget=GovTextInput(), **kwargs)


class ObjectiveForm(FlaskForm):
    name = text_field("Name", required="Enter the objective's name, for example Keeping children safe")
    position = whole_number_field(
        "Position",
        required="Enter the objective's position, 0 or more",
        minimum=0,
        maximum=999,
        default=0,
        description="Objectives are listed in this order, smallest first",
    )
    description = _long_text("Description", 2000)
    submit = SubmitField("Save", widget=GovSubmitInput())


class IndicatorForm(FlaskForm):
    code = text_field(
        "Code",
        required="Enter the indicator's code, for example FD05",
        max_length=CODE_LIMIT,
        description="Letters, digits, hyphens and underscores, like FD05 or NI66",
    )
    title = text_field("Title", required="Enter the indicator's title", max_length=TITLE_LIMIT)
    objective_id = SelectField("Objective", coerce=optional_int, widget=GovSelect(), validate_choice=False)
    unit = _choice("Unit", Unit, "Choose the unit")
    polarity = _choice("Which way is better", Polarity, "Choose which way is better, or context measure")
    frequency = _choice("Reported", Frequency, "Choose how often it is reported", default=Frequency.MONTHLY.value)
    accumulation = _choice(
        "What each figure stands for",
        Accumulation,
        "Choose what each figure stands for",
        default=Accumulation.SNAPSHOT.value,
        description="Decides the year-end forecast: counts for the year run on, positions carry forward",
    )
    is_ratio = BooleanField(
        "Returned as a numerator and a denominator (a ratio)",
        widget=GovCheckboxInput(),
        description="The percentage is worked out from the two; a ratio's unit must be Percentage",
    )
    numerator_label = _long_text("Numerator", 1000, GovTextArea(), description="What is counted")
    denominator_label = _long_text("Denominator", 1000, GovTextArea(), description="What it is out of")
    no_change_band = _number(
        "No-change band",
        default=Decimal(0),
        description="A movement no bigger than this is shown as sustained, not improved or declined",
    )
    compare_with_last_year = BooleanField(
        "Compare with the same month last year (a seasonal measure), not the month before",
        widget=GovCheckboxInput(),
    )
    minimum = _number("Lowest figure accepted", description="Optional; a return with a lower figure is refused")
    maximum = _number("Highest figure accepted", description="Optional; a return with a higher figure is refused")
    from_case_audits = BooleanField(
        "Worked out from the case-file audits recorded for the month, not returned by the trust",
        widget=GovCheckboxInput(),
    )
    definition = _long_text("Definition", 5000)
    source = _long_text("Source", 5000, description="Where the definition and the comparators come from")
    submit = SubmitField("Save", widget=GovSubmitInput())

    def fill_objectives(self, objectives: list[Objective]) -> None:
        self.objective_id.choices = options([("", "No objective")] + [(o.id, o.name) for o in objectives])

    def definition_given(self, objectives: list[Objective]) -> Definition:
        chosen = {o.id: o for o in objectives}
        return Definition(
            code=self.code.data or "",
            title=self.title.data or "",
            unit=self.unit.data,
            polarity=self.polarity.data,
            frequency=self.frequency.data,
            accumulation=self.accumulation.data,
            is_ratio=bool(self.is_ratio.data),
            numerator_label=self.numerator_label.data or "",
            denominator_label=self.denominator_label.data or "",
            no_change_band=self.no_change_band.data if self.no_change_band.data is not None else Decimal(0),
            compare_with_last_year=bool(self.compare_with_last_year.data),
            minimum=self.minimum.data,
            maximum=self.maximum.data,
            from_case_audits=bool(self.from_case_audits.data),
            objective=chosen.get(self.objective_id.data),
            definition=self.definition.data or "",
            source=self.source.data or "",
        )

    def validate_objective_id(self, field: SelectField) -> None:
        if field.raw_data and field.raw_data[0] and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose an objective from the list")


class YearForm(FlaskForm):
    financial_year = text_field(
        "Year", required="Enter the year, for example 2017/18", max_length=20, description="For example, 2017/18"
    )
    target = _number("Target")
    tolerance = _number("Amber tolerance", description="How far short of the target is Amber rather than Red")
    national = _number("National average")
    neighbours = _number("Statistical neighbours' average")
    submit = SubmitField("Save the year", widget=GovSubmitInput())

    def figures(self) -> YearFigures:
        return YearFigures(self.target.data, self.tolerance.data, self.national.data, self.neighbours.data)

    def validate_financial_year(self, field: Any) -> None:
        try:
            FinancialYear.parse(field.data or "")
        except ValueError as error:
            raise ValidationError("Enter the year in the form 2017/18") from error
