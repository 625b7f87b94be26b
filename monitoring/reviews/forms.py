"""Forms for the Annual Contract Review, service reviews and inspections."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput, GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired, Optional

from monitoring.core.forms import GovDateField, choice_field, date_field, options, text_field
from monitoring.meetings.forms import long_text, optional_choice
from monitoring.reviews.models import Grade, MilestoneStatus


def optional_date(label: str, **kwargs: object) -> GovDateField:
    return GovDateField(label, format="%d %m %Y", validators=[Optional()], widget=GovDateInput(), **kwargs)


def status_field(label: str = "Status") -> RadioField:
    return RadioField(
        label,
        choices=options([(s.value, s.label) for s in MilestoneStatus]),
        validators=[InputRequired(message="Select the status")],
        widget=GovRadioInput(),
    )


class AnnualReviewForm(FlaskForm):
    financial_year = text_field(
        "Financial year",
        required="Enter the financial year, for example 2017/18",
        max_length=7,
        description="For example, 2017/18",
    )
    deadline = date_field(
        "Submission deadline",
        required="Enter the Secretary of State's submission deadline",
        description="The timetable is built backwards from this date",
    )
    submit = SubmitField("Build the timetable", widget=GovSubmitInput())


class MilestoneForm(FlaskForm):
    due_date = date_field("Due", required="Enter the date the milestone is due")
    owner_name = text_field("Owner", description="A person or role, for example Director of People")
    owner_organisation_id = choice_field("Owning organisation", required="Select the owning organisation")
    status = status_field()
    completed_on = optional_date("Done on", description="Leave empty to use today when marking it done")
    submit = SubmitField("Save milestone", widget=GovSubmitInput())


class ExtensionForm(FlaskForm):
    reason = long_text("Why an extension is needed", required="Enter why an extension is needed", max_length=2000)
    new_deadline = date_field("New deadline asked for", required="Enter the new deadline asked for")
    requested_on = optional_date("Date requested", description="Leave empty for today")
    submit = SubmitField("Record the request", widget=GovSubmitInput())


class ExtensionDecisionForm(FlaskForm):
    decision = RadioField(
        "The Secretary of State's answer",
        choices=options([("granted", "Granted"), ("refused", "Refused")]),
        validators=[InputRequired(message="Select whether the extension was granted")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Record the answer", widget=GovSubmitInput())


class ServiceReviewForm(FlaskForm):
    title = text_field(
        "Review",
        required="Enter what is being reviewed, for example the short-breaks unit's annual review",
        max_length=300,
    )
    service_id = optional_choice("Service")
    lead = text_field("Led by")
    review_date = date_field("Date of the review", required="Enter the date of the review")
    submit = SubmitField("Add review", widget=GovSubmitInput())


class StrandForm(FlaskForm):
    status = status_field()
    findings = long_text("Findings")
    submit = SubmitField("Save strand", widget=GovSubmitInput())


class DraftReportForm(FlaskForm):
    written_on = date_field("Date of the draft report", required="Enter the date of the draft report")
    summary = long_text("Main findings", required="Enter the draft report's main findings")
    submit = SubmitField("Save draft report", widget=GovSubmitInput())


class ReportToMeetingForm(FlaskForm):
    meeting_id = choice_field("Meeting", required="Select the meeting that will receive the report")
    submit = SubmitField("Put on the agenda", widget=GovSubmitInput())


class InspectionForm(FlaskForm):
    title = text_field(
        "Inspection",
        required="Enter the inspection's name",
        max_length=300,
        description="For example, Services for children in need of help and protection",
    )
    notified_on = date_field("Notified", required="Enter the date the inspection was notified")
    on_site_from = optional_date("On site from")
    on_site_to = optional_date("On site until")
    draft_report_on = optional_date("Draft report for factual accuracy")
    published_on = optional_date("Published")
    submit = SubmitField("Save inspection", widget=GovSubmitInput())


class JudgementForm(FlaskForm):
    area = text_field("Area judged", required="Enter the area judged, for example Overall effectiveness")
    grade = RadioField(
        "Judgement",
        choices=options([(g.value, g.label) for g in Grade]),
        validators=[InputRequired(message="Select the judgement")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Save judgement", widget=GovSubmitInput())
