"""Forms of the governance cycle. Choices that name rows are filled by the views; operations check
that the chosen row belongs to the contract."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from monitoring.core.forms import (
    GovIntegerField,
    VersionField,
    choice_field,
    date_field,
    optional_int,
    options,
    text_field,
    time_field,
)
from monitoring.meetings.followups import ActionStatus, DeepDiveStatus
from monitoring.meetings.models import Attendance, MeetingKind
from monitoring.meetings.rules import ORDINALS, WEEKDAYS, CadenceRule, Frequency


def long_text(label: str, required: str | None = None, max_length: int = 5000, **kwargs: Any) -> TextAreaField:
    validators: list[Any] = [InputRequired(message=required)] if required else [Optional()]
    validators.append(Length(max=max_length, message=f"{label} must be {max_length:,} characters or fewer"))
    return TextAreaField(label, validators=validators, widget=GovCharacterCount(), **kwargs)


def optional_choice(label: str, **kwargs: Any) -> SelectField:
    return SelectField(label, coerce=optional_int, widget=GovSelect(), validate_choice=False, **kwargs)


def minutes_field(label: str, required: str) -> GovIntegerField:
    from wtforms.validators import NumberRange

    return GovIntegerField(
        label,
        validators=[
            InputRequired(message=required),
            NumberRange(min=15, max=480, message=f"{label} must be between 15 and 480 minutes"),
        ],
        widget=GovTextInput(),
        default=120,
    )


class MeetingTypeForm(FlaskForm):
    name = text_field(
        "Name", required="Enter the meeting's name", description="For example, Joint Performance & Finance"
    )
    kind = RadioField(
        "Which forum of the monitoring cycle is it?",
        choices=options([(k.value, k.label) for k in MeetingKind]),
        validators=[InputRequired(message="Select which forum this is")],
        widget=GovRadioInput(),
    )
    frequency = RadioField(
        "How often",
        choices=options([(f.value, f.label) for f in Frequency]),
        validators=[InputRequired(message="Select how often the meeting happens")],
        widget=GovRadioInput(),
    )
    rule = RadioField(
        "How the date is set",
        choices=options([(r.value, r.label) for r in CadenceRule]),
        validators=[InputRequired(message="Select how the date is set")],
        widget=GovRadioInput(),
    )
    ordinal = optional_choice(
        "Which week",
        choices=options([("", "Select")] + [(n, word.capitalize()) for n, word in ORDINALS.items()]),
        description="With a weekday of a month",
    )
    weekday = optional_choice("Weekday", choices=options([("", "Select")] + list(enumerate(WEEKDAYS))))
    month_of_period = optional_choice(
        "Month of the quarter or half-year",
        choices=options([(n, f"Month {n}") for n in range(1, 7)]),
        description="For quarterly and twice-yearly meetings: 2 means the second month (August, for July to September)",
    )
    offset_days = GovIntegerField(
        "Days after the period ends",
        validators=[Optional()],
        widget=GovTextInput(),
        description="With a number of days after the period ends: 21 means three weeks",
    )
    start_time = time_field(
        "Start time", required="Enter the start time, like 10:00", description="For example, 10:00 or 2:30pm"
    )
    duration_minutes = minutes_field("Length in minutes", required="Enter how long the meeting lasts, in minutes")
    location = text_field("Place", description="For example, Civic Office, room 2, or Microsoft Teams")
    submit = SubmitField("Save meeting type", widget=GovSubmitInput())


class StandingItemForm(FlaskForm):
    title = text_field("Standing item", required="Enter the standing item's title", max_length=300)
    presenter = text_field("Presented by")
    submit = SubmitField("Add standing item", widget=GovSubmitInput())


class AttendeeForm(FlaskForm):
    name = text_field("Name", required="Enter the person's name")
    job_title = text_field("Job title")
    organisation_id = choice_field("Organisation", required="Select the person's organisation")
    submit = SubmitField("Add attendee", widget=GovSubmitInput())


class GenerateForm(FlaskForm):
    financial_year = text_field(
        "Financial year",
        required="Enter the financial year, for example 2017/18",
        max_length=7,
        description="For example, 2017/18",
    )
    submit = SubmitField("Add the year's meetings", widget=GovSubmitInput())


class MeetingWhenForm(FlaskForm):
    day = date_field("Date", required="Enter the date of the meeting")
    start_time = time_field("Start time", required="Enter the start time, like 10:00")
    duration_minutes = minutes_field("Length in minutes", required="Enter how long the meeting lasts, in minutes")
    location = text_field("Place")
    submit = SubmitField("Save", widget=GovSubmitInput())


class NewMeetingForm(MeetingWhenForm):
    meeting_type_id = choice_field("Meeting", required="Select which meeting this is")
    submit = SubmitField("Add meeting", widget=GovSubmitInput())


class CancelForm(FlaskForm):
    reason = long_text("Why is it cancelled?", required="Enter why the meeting is cancelled", max_length=1000)
    submit = SubmitField("Cancel the meeting", widget=GovSubmitInput())


class AgendaItemForm(FlaskForm):
    title = text_field("Title", required="Enter the item's title", max_length=300)
    presenter = text_field("Presented by")
    description = long_text("Description")
    submit = SubmitField("Save item", widget=GovSubmitInput())


class PaperForm(FlaskForm):
    paper = FileField(
        "Upload a paper",
        description="A PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file",
        widget=GovFileInput(),
    )
    submit = SubmitField("Upload paper", widget=GovSubmitInput())


class OutcomeForm(FlaskForm):
    kind = RadioField(
        "Outcome",
        choices=options(
            [("noted", "Noted"), ("decision", "Decision"), ("carried_over", "Carry over to the next meeting")]
        ),
        validators=[InputRequired(message="Select noted, decision or carry over")],
        widget=GovRadioInput(),
    )
    text = long_text("What the minutes should say")
    submit = SubmitField("Record outcome", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    title = text_field("Action", required="Enter what needs to be done", max_length=300)
    detail = long_text("Detail")
    owner_organisation_id = choice_field("Owning organisation", required="Select the organisation that owns the action")
    owner_user_id = optional_choice(
        "Owner", description="Someone who works on this contract, or leave it to the organisation"
    )
    due_date = date_field("Due date", required="Enter the date the action is due")
    lock_version = VersionField()
    submit = SubmitField("Save action", widget=GovSubmitInput())


class ActionStatusForm(FlaskForm):
    status = RadioField(
        "Status",
        choices=options([(s.value, s.label) for s in ActionStatus]),
        validators=[InputRequired(message="Select the action's status")],
        widget=GovRadioInput(),
    )
    note = long_text("Progress note", description="Required when dropping an action: say why", max_length=2000)
    lock_version = VersionField()
    submit = SubmitField("Update status", widget=GovSubmitInput())


class DeepDiveForm(FlaskForm):
    title = text_field(
        "Issue to investigate", required="Enter the issue the deep dive will investigate", max_length=300
    )
    terms_of_reference = long_text("Terms of reference", required="Enter the terms of reference")
    owner = text_field(
        "Carried out by",
        required="Enter the person or group who will carry out the deep dive",
        description="A person or a group, such as the Early Help Strategy group",
    )
    owner_organisation_id = choice_field("Organisation", required="Select the organisation carrying it out")
    due_date = date_field("Findings due", required="Enter the date the findings are due")
    report_meeting_id = choice_field(
        "Meeting that will hear the findings", required="Select the meeting that will hear the findings"
    )
    closure_criteria = long_text("Closure criteria", description="What must be true for the deep dive to close")
    indicators = text_field(
        "Indicators concerned", max_length=500, description="Codes or titles, for example NI66, re-referrals"
    )
    submit = SubmitField("Refer for a deep dive", widget=GovSubmitInput())


class DeepDiveProgressForm(FlaskForm):
    status = RadioField(
        "Stage",
        choices=options([(s.value, s.label) for s in DeepDiveStatus]),
        validators=[InputRequired(message="Select the deep dive's stage")],
        widget=GovRadioInput(),
    )
    findings = long_text("Findings")
    closure_note = long_text("How the closure criteria were met", description="Needed to close the deep dive")
    submit = SubmitField("Save progress", widget=GovSubmitInput())


class ReportMeetingForm(FlaskForm):
    report_meeting_id = choice_field(
        "Meeting that will hear the findings", required="Select the meeting that will hear the findings"
    )
    submit = SubmitField("Change meeting", widget=GovSubmitInput())


class EscalationForm(FlaskForm):
    title = text_field("What is escalated", required="Enter what is being escalated", max_length=300)
    reason = long_text("Why", required="Enter why it is being escalated")
    submit = SubmitField("Escalate", widget=GovSubmitInput())


class EscalationResponseForm(FlaskForm):
    response = long_text("What the high-level meeting decided", required="Enter what the high-level meeting decided")
    resolved = RadioField(
        "Is the concern resolved?",
        choices=options([("yes", "Yes"), ("no", "No, it stays open")]),
        validators=[InputRequired(message="Select whether the concern is resolved")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Save response", widget=GovSubmitInput())


class MinutesForm(FlaskForm):
    text = TextAreaField(
        "Minutes",
        validators=[
            InputRequired(message="Enter the minutes"),
            Length(max=50000, message="Minutes must be 50,000 characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    reason = long_text(
        "Reason for the correction", description="Needed when correcting approved minutes", max_length=2000
    )
    lock_version = VersionField()
    submit = SubmitField("Save minutes", widget=GovSubmitInput())


class ApproveMinutesForm(FlaskForm):
    at_meeting_id = choice_field("Approved at", required="Select the meeting that approved the minutes")
    submit = SubmitField("Record approval", widget=GovSubmitInput())


class FeedForm(FlaskForm):
    name = text_field(
        "Name of the calendar link",
        required="Enter a name for the calendar link, such as Outlook at work",
        max_length=100,
        description="For example, Outlook at work",
    )
    submit = SubmitField("Create calendar link", widget=GovSubmitInput())


ATTENDANCE_CHOICES = [(a.value, a.label) for a in Attendance if a is not Attendance.EXPECTED]
