"""Forms for case-file audits."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

from monitoring.core.forms import date_field, options, text_field
from monitoring.performance.models import AuditKind
from monitoring.reviews.models import Grade


def grade_field(label: str, required: str) -> RadioField:
    return RadioField(
        label,
        choices=options([(g.value, g.label) for g in Grade]),
        validators=[InputRequired(message=required)],
        widget=GovRadioInput(),
    )


class AuditForm(FlaskForm):
    period = text_field(
        "Month audited",
        required="Enter the month the audit covers, like 2017-08",
        max_length=7,
        description="For example, 2017-08 for August 2017",
    )
    kind = RadioField(
        "Kind of audit",
        choices=options([(k.value, k.label) for k in AuditKind]),
        validators=[InputRequired(message="Choose the kind of audit")],
        widget=GovRadioInput(),
        default=AuditKind.MONTHLY_SAMPLE.value,
    )
    theme = text_field("Theme", description="For a thematic audit, for example Neglect", max_length=200)
    completed_on = date_field("Date completed", required="Enter the date the audit was completed")
    submit = SubmitField("Record the audit", widget=GovSubmitInput())


class CaseForm(FlaskForm):
    reference = text_field("Case reference", required="Enter the case reference", max_length=50)
    grade = grade_field("Grade", "Choose the grade the case was given")
    head_of_service = text_field(
        "Head of Service monitoring the action plan",
        description="Required for a case graded Inadequate: its action plan is monitored to completion",
    )
    submit = SubmitField("Add the case", widget=GovSubmitInput())


class ReauditForm(FlaskForm):
    reaudited_on = date_field("Date of the independent re-audit", required="Enter the date of the re-audit")
    grade = grade_field("Grade at re-audit", "Choose the grade the re-audit gave")
    submit = SubmitField("Record the re-audit", widget=GovSubmitInput())
