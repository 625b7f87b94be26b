"""Forms for summaries, their narrative, delivery schedules and subscriptions."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextArea
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from monitoring.accounts.models import Role
from monitoring.core.forms import checkboxes_field, date_field, options, text_field, time_field, whole_number_field
from monitoring.reports.models import WEEKDAYS, ScheduleKind
from monitoring.reports.operations import MAX_NARRATIVE
from monitoring.reports.periods import PeriodKind
from monitoring.reports.sections import narrative_fields


class _OneOf:
    """A radio answer must be one of its choices; the message says what to choose (not "Not a valid choice")."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __call__(self, form: FlaskForm, field: RadioField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(self.message)


def radio_field(label: str, choices: list[tuple[str, str]], required: str, **kwargs: object) -> RadioField:
    return RadioField(
        label,
        choices=options(choices),
        validators=[InputRequired(message=required), _OneOf(required)],
        validate_choice=False,
        widget=GovRadioInput(),
        **kwargs,
    )


PERIOD_CHOICES = [
    ("quarter:1", "Quarter 1 (April to June)"),
    ("quarter:2", "Quarter 2 (July to September)"),
    ("quarter:3", "Quarter 3 (October to December)"),
    ("quarter:4", "Quarter 4 (January to March)"),
    ("half_year:1", "First half of the year (April to September)"),
    ("half_year:2", "Second half of the year (October to March)"),
]


class NewSummaryForm(FlaskForm):
    period = radio_field(
        "Period the summary covers", PERIOD_CHOICES, "Select the quarter or half-year the summary covers"
    )
    financial_year = text_field(
        "Financial year",
        required="Enter the financial year, for example 2017/18",
        max_length=7,
        description="For example, 2017/18",
    )
    submit = SubmitField("Create draft", widget=GovSubmitInput())

    @property
    def kind_and_number(self) -> tuple[PeriodKind, int]:
        kind, _, number = (self.period.data or "").partition(":")
        return PeriodKind(kind), int(number)


def narrative_form_class() -> type[FlaskForm]:
    """A form with one text area per narrative field the registered sections define."""

    class NarrativeForm(FlaskForm):
        lock_version = HiddenField()
        submit = SubmitField("Save the narrative", widget=GovSubmitInput())

    for narrative_field in narrative_fields():
        setattr(
            NarrativeForm,
            narrative_field.key,
            TextAreaField(
                narrative_field.label,
                description=narrative_field.hint,
                validators=[
                    Optional(),
                    Length(
                        max=MAX_NARRATIVE,
                        message=f"{narrative_field.label} must be {MAX_NARRATIVE:,} characters or fewer",
                    ),
                ],
                widget=GovCharacterCount(),
            ),
        )
    return NarrativeForm


class ReturnForm(FlaskForm):
    note = TextAreaField(
        "What needs to change",
        validators=[
            InputRequired(message="Say what needs to change before the summary can be approved"),
            Length(max=2000, message="What needs to change must be 2,000 characters or fewer"),
        ],
        widget=GovTextArea(),
    )
    submit = SubmitField("Return to draft", widget=GovSubmitInput())


class ScheduleForm(FlaskForm):
    kind = radio_field("What to send", [(k.value, k.label) for k in ScheduleKind], "Select what the schedule sends")
    working_days = whole_number_field(
        "Working days",
        required="Enter the number of working days",
        minimum=0,
        maximum=30,
        default=5,
        description="For a quarterly summary: working days after the quarter ends (usually 5). "
        "For a return reminder: working days before the return is due. Not used by the weekly digest.",
    )
    weekday = radio_field(
        "Day of the week (weekly digest only)",
        [(str(n), name) for n, name in enumerate(WEEKDAYS)],
        "Select the day of the week for the digest, Monday to Friday",
        default="0",
    )
    send_time = time_field(
        "Time to send (UK time)",
        required="Enter the time to send, for example 07:00",
        description="For example, 07:00 or 7am",
    )
    audience = checkboxes_field(
        "Who receives it unless they opt out",
        description="People in these roles on the contract receive it; anyone else allowed to can opt in.",
    )
    starts_on = date_field("Send from", required="Enter the date the schedule starts sending from")
    active = radio_field(
        "Status",
        [("yes", "Active: sends on schedule"), ("no", "Paused: sends nothing")],
        "Select whether the schedule is active",
        default="yes",
    )
    submit = SubmitField("Save schedule", widget=GovSubmitInput())

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.audience.choices = options((n, role.label) for n, role in enumerate(AUDIENCE_ROLES))

    @property
    def audience_roles(self) -> list[str]:
        return [AUDIENCE_ROLES[n].value for n in self.audience.data or [] if 0 <= n < len(AUDIENCE_ROLES)]


AUDIENCE_ROLES = [Role.DIRECTOR, Role.COMMISSIONER, Role.SCRUTINY, Role.TRUST_OFFICER]


class SubscriptionForm(FlaskForm):
    schedule_id = HiddenField()
    receives = radio_field("Receive it", [("yes", "Yes"), ("no", "No")], "Select whether you want to receive it")
    attach = radio_field(
        "How to get the PDF",
        [("attach", "Attached to the email"), ("link", "A link to sign in and download it")],
        "Select how you want to get the PDF",
        default="attach",
    )
    submit = SubmitField("Save", widget=GovSubmitInput())
