"""Forms for organisations, contracts, services in scope and child population."""

from __future__ import annotations

from decimal import Decimal

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from monitoring.contracts.models import GainShare, OrganisationKind
from monitoring.core.forms import (
    GovDecimalField,
    GovMoneyField,
    choice_field,
    date_field,
    options,
    text_field,
    whole_number_field,
)
from monitoring.core.periods import FinancialYear


class OrganisationForm(FlaskForm):
    name = text_field("Name", required="Enter the organisation's name")
    kind = RadioField(
        "Type of organisation",
        choices=options((k.value, k.label) for k in OrganisationKind),
        validators=[InputRequired(message="Select whether this is a council or a trust")],
        widget=GovRadioInput(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())


class ContractTermsForm(FlaskForm):
    name = text_field("Contract name", required="Enter the contract's name")
    start_date = date_field("Start date", required="Enter the date the contract started")
    council_share = GovDecimalField(
        "Council's share of an overspend",
        description="Percentage of a net overspend the council pays (the risk share). Usually 70.",
        places=2,
        default=Decimal("70"),
        validators=[
            InputRequired(message="Enter the council's share of an overspend, from 0 to 100"),
            NumberRange(min=0, max=100, message="The council's share must be between 0 and 100 percent"),
        ],
        widget=GovTextInput(),
    )
    gain_share = RadioField(
        "What happens to an underspend",
        choices=options((g.value, g.label) for g in GainShare),
        default=GainShare.RETAINED_BY_TRUST.value,
        validators=[InputRequired(message="Select what happens to an underspend")],
        widget=GovRadioInput(),
    )
    return_deadline_working_days = whole_number_field(
        "Monthly returns are due after",
        required="Enter how many working days after the month ends returns are due",
        minimum=0,
        maximum=60,
        default=10,
        description="Working days after the month ends, skipping weekends and bank holidays. Usually 10.",
    )
    finance_explanation_threshold = GovMoneyField(
        "Finance variances the trust must explain",
        description="In a finance return, a revenue line or care-ladder category whose variance, either way, is "
        "larger than this needs an explanation before the return can be submitted. Usually £50,000.",
        places=2,
        default=Decimal("50000"),
        validators=[
            InputRequired(message="Enter the variance above which the trust must explain a finance line, in pounds"),
            NumberRange(min=0, message="The explanation threshold cannot be negative"),
        ],
        widget=GovTextInput(),
    )
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=2000, message="Notes must be 2,000 characters or fewer")],
        widget=GovCharacterCount(),
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def terms(self) -> dict:
        """The form's values as keyword arguments for create_contract and update_terms."""
        terms = {
            "name": self.name.data,
            "start_date": self.start_date.data,
            "council_share": self.council_share.data,
            "gain_share": GainShare(self.gain_share.data),
            "return_deadline_working_days": self.return_deadline_working_days.data,
            "notes": self.notes.data,
        }
        if self.finance_explanation_threshold is not None:
            terms["finance_explanation_threshold"] = self.finance_explanation_threshold.data
        return terms

    def validate_council_share(self, field: GovDecimalField) -> None:
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError("The council's share can have at most two decimal places")

    def validate_finance_explanation_threshold(self, field: GovMoneyField) -> None:
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError("The explanation threshold must be in pounds and pence, like 50,000")


class NewContractForm(ContractTermsForm):
    council_id = choice_field("Council", required="Select the council")
    trust_id = choice_field("Trust", required="Select the trust")
    # A new contract starts with the usual threshold; its commissioners change it in the settings.
    finance_explanation_threshold = None  # type: ignore[assignment]
    submit = SubmitField("Create contract", widget=GovSubmitInput())


class ServiceForm(FlaskForm):
    name = text_field("Service", required="Enter the service's name, for example Family Support")
    transferred_on = date_field("Date it transferred to the trust", required="Enter the date the service transferred")
    description = TextAreaField(
        "Description",
        validators=[Optional(), Length(max=2000, message="Description must be 2,000 characters or fewer")],
        widget=GovCharacterCount(),
    )
    submit = SubmitField("Save service", widget=GovSubmitInput())


class PopulationForm(FlaskForm):
    financial_year = text_field(
        "Financial year",
        required="Enter the financial year, for example 2017/18",
        max_length=7,
        description="For example, 2017/18",
    )
    children = whole_number_field(
        "Children aged 0 to 17",
        required="Enter the number of children aged 0 to 17",
        minimum=1,
        maximum=5_000_000,
        description="Resident population, usually the ONS mid-year estimate",
    )
    source = text_field("Source", max_length=200, description="For example, ONS mid-2016 estimate")
    submit = SubmitField("Save population", widget=GovSubmitInput())

    def validate_financial_year(self, field: object) -> None:
        try:
            FinancialYear.parse(self.financial_year.data or "")
        except ValueError as error:
            raise ValidationError("Enter the financial year in the form 2017/18") from error
