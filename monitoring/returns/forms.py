"""Forms of the shared return workflow."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextArea
from wtforms import HiddenField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length


def _text(label: str, required: str, **kwargs: object) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            InputRequired(message=required),
            Length(max=5000, message=f"{label} must be 5,000 characters or fewer"),
        ],
        widget=GovTextArea(),
        **kwargs,
    )


class StartReturnForm(FlaskForm):
    kind = HiddenField()
    period = HiddenField()
    submit = SubmitField("Start the return", widget=GovSubmitInput())


class QueryForm(FlaskForm):
    subject = SelectField(
        "Value you are asking about",
        validators=[InputRequired(message="Choose the value you are asking about")],
        widget=GovSelect(),
        validate_choice=False,
    )
    question = _text("Your question", "Enter your question about the value")
    submit = SubmitField("Send the query", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    answer = _text("Your answer", "Enter your answer")
    submit = SubmitField("Save the answer", widget=GovSubmitInput())


class CorrectionForm(FlaskForm):
    reason = _text(
        "Why do the accepted figures need correcting?",
        "Enter why the accepted figures need correcting",
        description="The council sees this reason beside the correction. The accepted figures stay in force "
        "until the correction is accepted.",
    )
    submit = SubmitField("Start a correction", widget=GovSubmitInput())
