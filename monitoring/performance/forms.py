"""Reading the KPI return form. Its fields are made per measure (v-NI66, n-NI66 …), so they are read
here from the posted data rather than through a fixed WTForms class."""

from __future__ import annotations

from typing import Any

from monitoring.core.numbers import parse_number
from monitoring.performance.models import Indicator
from monitoring.performance.operations import FIELD_PREFIX, ValueInput, field_key

FIGURES = ("value", "numerator", "denominator", "forecast")
FIGURE_WORDS = {
    "value": "the value",
    "numerator": "the numerator",
    "denominator": "the denominator",
    "forecast": "the forecast",
}


def read_form(posted: Any, indicators: list[Indicator]) -> tuple[list[ValueInput], dict[str, str]]:
    """The figures typed for each measure, and the fields that are not numbers (keyed like the form)."""
    inputs, errors = [], {}
    for indicator in indicators:
        given = ValueInput(code=indicator.code)
        for name in FIGURES:
            text = posted.get(field_key(name, indicator.code), "")
            try:
                setattr(given, name, parse_number(text))
            except ValueError:
                errors[field_key(name, indicator.code)] = (
                    f"{indicator.label}: {FIGURE_WORDS[name]} must be a number, like 82.3 "
                    f"(you entered {text.strip()!r})"
                )
        given.commentary = posted.get(field_key("commentary", indicator.code), "")
        given.forecast_rationale = posted.get(field_key("forecast_rationale", indicator.code), "")
        inputs.append(given)
    return inputs, errors


def typed_values(posted: Any) -> dict[str, str]:
    """What was typed, to show again beside the error messages."""
    prefixes = tuple(f"{p}-" for p in FIELD_PREFIX.values())
    return {key: value for key, value in posted.items() if key.startswith(prefixes)}
