"""Reading the finance return form. It has a row of inputs per line (r-3-net_budget, c-12-forecast_activity…),
so it is read here from the posted data rather than through a fixed WTForms class; the operation then
checks the figures as it does for an upload or the API."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from monitoring.core.numbers import parse_number
from monitoring.finance.models import PlacementCategory
from monitoring.finance.operations import (
    CAPITAL,
    CARE_LADDER,
    FUNDING,
    POSITION,
    REVENUE,
    SAVINGS,
    CapitalInput,
    CareLadderInput,
    FinanceFigures,
    FundingInput,
    Part,
    PositionInput,
    RevenueInput,
    SavingsInput,
)

# Each part's prefix in the form's field names, and how many rows a form may post.
PREFIXES = {"revenue": "r", "funding": "f", "savings": "s", "capital": "k"}
MOST_ROWS = 300
EXAMPLES = {"money": "like 1,630,000.10", "measure": "like 30.5"}
_DAY = re.compile(r"^\s*(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})\s*$")
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


def parse_day(text: str | None) -> date | None:
    """A date typed as 1/4/2017, 1 4 2017 or 2017-04-01 (day first, as in the UK); None for a blank."""
    cleaned = (text or "").strip()
    if not cleaned:
        return None
    iso = _ISO_DAY.match(cleaned)
    match = _DAY.match(cleaned)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise ValueError(f"{text!r} is not a date")


def row_count(posted: Any, prefix: str) -> int:
    try:
        return max(0, min(int(posted.get(f"rows-{prefix}", 0)), MOST_ROWS))
    except (TypeError, ValueError):
        return 0


class _Reader:
    def __init__(self, posted: Any) -> None:
        self.posted = posted
        self.errors: dict[str, str] = {}

    def text(self, key: str) -> str:
        return str(self.posted.get(key, "") or "")

    def figures(self, given: Any, part: Part, label: str) -> None:
        for figure in part.figures:
            key = f"{given.key}-{figure.name}"
            typed = self.text(key)
            try:
                setattr(given, figure.name, parse_number(typed))
            except ValueError:
                self.errors[key] = (
                    f"{label}: {figure.words} must be a number, {EXAMPLES[figure.kind]} (you entered {typed.strip()!r})"
                )
        for name in part.texts:
            setattr(given, name, self.text(f"{given.key}-{name}"))

    def named(self, part: Part, make: type) -> list[Any]:
        prefix = PREFIXES[part.key]
        lines = []
        for number in range(1, row_count(self.posted, prefix) + 1):
            given = make(key=f"{prefix}-{number}")
            name = self.text(f"{given.key}-{part.name_field}").strip()
            setattr(given, part.name_field, name)
            self.figures(given, part, name or f"Row {number} of {part.words}")
            lines.append(given)
        return lines


def read_form(posted: Any, categories: list[PlacementCategory]) -> tuple[FinanceFigures, dict[str, str]]:
    """The whole return as typed, and the fields that are not numbers or dates (keyed like the form)."""
    reader = _Reader(posted)
    figures = FinanceFigures(
        revenue=reader.named(REVENUE, RevenueInput),
        funding=reader.named(FUNDING, FundingInput),
        savings=reader.named(SAVINGS, SavingsInput),
        capital=reader.named(CAPITAL, CapitalInput),
    )
    for line in figures.funding:
        typed = reader.text(f"{line.key}-agreed_on")
        try:
            line.agreed_on = parse_day(typed)
        except ValueError:
            label = line.description or "A funding line"
            reader.errors[f"{line.key}-agreed_on"] = (
                f"{label}: the date agreed must be a real date, like 1/4/2017 (you entered {typed.strip()!r})"
            )
    for category in categories:
        given = CareLadderInput(key=f"c-{category.id}", category=category.name, category_id=category.id)
        reader.figures(given, CARE_LADDER, category.name)
        figures.care_ladder.append(given)
    position = PositionInput(key="p")
    reader.figures(position, POSITION, "The trust's position")
    figures.position = position
    return figures, reader.errors


def typed_values(posted: Any) -> dict[str, str]:
    """What was typed, to show again beside the error messages."""
    prefixes = tuple(f"{p}-" for p in (*PREFIXES.values(), "c", "p"))
    return {key: value for key, value in posted.items() if key.startswith(prefixes)}
