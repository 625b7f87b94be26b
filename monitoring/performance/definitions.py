"""Writes of indicator definitions, which administrators look after: objectives, indicators, and each
indicator's figures for a year (target, amber tolerance, national and statistical neighbours' averages).

Every check is made before anything changes, and every message names the field it is about. Checks
that need no writing are also available on their own (`definition_problems`, `year_problems`) so the
catalogue loader can check a whole file before it writes a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from monitoring.core.errors import InvalidInput
from monitoring.core.periods import FinancialYear
from monitoring.extensions import db
from monitoring.performance.models import Indicator, IndicatorYear, KpiValue, Objective
from monitoring.performance.vocabulary import Accumulation, Frequency, Polarity, Unit

CODE = re.compile(r"^[A-Za-z0-9_-]+$")
CODE_LIMIT = 30
TITLE_LIMIT = 300
LABEL_LIMIT = 1000
TEXT_LIMIT = 5000
NAME_LIMIT = 200
DESCRIPTION_LIMIT = 2000
PLACES = 4  # what a Measure column holds
HUNDRED = Decimal(100)


@dataclass
class Definition:
    """What defines an indicator, as a form or a catalogue row gives it."""

    code: str
    title: str
    unit: Unit
    polarity: Polarity
    frequency: Frequency = Frequency.MONTHLY
    accumulation: Accumulation = Accumulation.SNAPSHOT
    is_ratio: bool = False
    numerator_label: str = ""
    denominator_label: str = ""
    no_change_band: Decimal = Decimal(0)
    compare_with_last_year: bool = False
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    from_case_audits: bool = False
    objective: Objective | None = None
    definition: str = ""
    source: str = ""

    @classmethod
    def of(cls, indicator: Indicator) -> Definition:
        """The indicator's definition as it stands, to change a few fields of."""
        return cls(**{f.name: getattr(indicator, f.name) for f in fields(cls)})


# --- Objectives ---------------------------------------------------------------------------------


def _objective_problems(name: str, position: int, description: str, objective: Objective | None) -> dict[str, str]:
    problems = {}
    name = (name or "").strip()
    if not name:
        problems["name"] = "Enter the objective's name, for example Keeping children safe"
    elif len(name) > NAME_LIMIT:
        problems["name"] = f"The name must be {NAME_LIMIT} characters or fewer"
    else:
        query = select(Objective.id).where(func.lower(Objective.name) == name.lower())
        if objective is not None:
            query = query.where(Objective.id != objective.id)
        if db.session.scalar(query):
            problems["name"] = f"There is already an objective called {name}"
    if position is None or position < 0:
        problems["position"] = "The position must be a whole number, 0 or more"
    if len(description or "") > DESCRIPTION_LIMIT:
        problems["description"] = f"The description must be {DESCRIPTION_LIMIT:,} characters or fewer"
    return problems


def create_objective(name: str, *, position: int = 0, description: str = "") -> Objective:
    problems = _objective_problems(name, position, description, None)
    if problems:
        raise InvalidInput(problems)
    objective = Objective(name=name.strip(), position=position, description=(description or "").strip())
    db.session.add(objective)
    db.session.flush()
    return objective


def update_objective(objective: Objective, name: str, *, position: int, description: str = "") -> Objective:
    problems = _objective_problems(name, position, description, objective)
    if problems:
        raise InvalidInput(problems)
    objective.name = name.strip()
    objective.position = position
    objective.description = (description or "").strip()
    db.session.flush()
    return objective


# --- Indicators ---------------------------------------------------------------------------------


def has_returned_figures(indicator: Indicator) -> bool:
    """Whether any KPI return, in any revision, holds figures for the indicator."""
    if indicator.id is None:
        return False
    return db.session.scalar(select(KpiValue.id).where(KpiValue.indicator_id == indicator.id).limit(1)) is not None


def _too_precise(number: Decimal | None) -> bool:
    return number is not None and number != number.quantize(Decimal(1).scaleb(-PLACES))


def _member(kind: type, value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        return None


def _code_problem(code: str, indicator: Indicator | None) -> str | None:
    if not code:
        return "Enter the indicator's code, for example FD05"
    if len(code) > CODE_LIMIT:
        return f"The code must be {CODE_LIMIT} characters or fewer"
    if not CODE.match(code):
        return "The code can only contain letters, digits, hyphens (-) and underscores (_), like FD05 or LSP-HW2Bi"
    # Codes are matched without regard to case (returns and uploads upper-case them), so FD05 and fd05 clash.
    query = select(Indicator.code).where(func.upper(Indicator.code) == code.upper())
    if indicator is not None and indicator.id is not None:
        query = query.where(Indicator.id != indicator.id)
    taken = db.session.scalar(query)
    return f"There is already an indicator with the code {taken}" if taken else None


def _text_problems(given: Definition) -> dict[str, str]:
    problems = {}
    title = (given.title or "").strip()
    if not title:
        problems["title"] = "Enter the indicator's title, for example Re-referrals within 12 months"
    elif len(title) > TITLE_LIMIT:
        problems["title"] = f"The title must be {TITLE_LIMIT} characters or fewer"
    for name, words, limit in (
        ("numerator_label", "numerator description", LABEL_LIMIT),
        ("denominator_label", "denominator description", LABEL_LIMIT),
        ("definition", "definition", TEXT_LIMIT),
        ("source", "source", TEXT_LIMIT),
    ):
        if len(getattr(given, name) or "") > limit:
            problems[name] = f"The {words} must be {limit:,} characters or fewer"
    return problems


def _ratio_problems(given: Definition, unit: Unit | None) -> dict[str, str]:
    if not given.is_ratio:
        return {}
    problems = {}
    if unit is not None and unit is not Unit.PERCENTAGE:
        problems["is_ratio"] = (
            "A ratio is entered as a numerator and a denominator and shown as a percentage, "
            "so its unit must be Percentage"
        )
    if not (given.numerator_label or "").strip():
        problems["numerator_label"] = "Describe the numerator: what is counted, for example plans reviewed on time"
    if not (given.denominator_label or "").strip():
        problems["denominator_label"] = "Describe the denominator: what it is out of, for example all plans"
    return problems


def _number_problems(given: Definition) -> dict[str, str]:
    problems = {}
    band = given.no_change_band
    if band is None or band < 0:
        problems["no_change_band"] = "The no-change band must be 0 or more"
    for name, words in (("no_change_band", "no-change band"), ("minimum", "minimum"), ("maximum", "maximum")):
        if _too_precise(getattr(given, name)):
            problems.setdefault(name, f"The {words} can have at most {PLACES} decimal places")
    if given.minimum is not None and given.maximum is not None and given.minimum > given.maximum:
        problems.setdefault("maximum", "The maximum must be at least the minimum")
    return problems


def _history_problems(given: Definition, indicator: Indicator, unit: Unit | None, polarity: Any) -> dict[str, str]:
    """History must stay readable as it was: figures returned as a count are not re-read as a percentage."""
    changes = {
        "unit": (unit is not None and unit is not indicator.unit, "its unit"),
        "polarity": (polarity is not None and polarity is not indicator.polarity, "which way is better"),
        "is_ratio": (bool(given.is_ratio) != indicator.is_ratio, "whether it is a ratio"),
    }
    changing = {name: words for name, (changed, words) in changes.items() if changed}
    if not changing or not has_returned_figures(indicator):
        return {}
    return {
        name: f"{indicator.code} already has figures in KPI returns, so {words} cannot change: those figures "
        "must read as they were returned. Add a new indicator instead"
        for name, words in changing.items()
    }


def definition_problems(given: Definition, indicator: Indicator | None = None) -> dict[str, str]:
    """Everything wrong with `given` as a new indicator, or as the new definition of `indicator`."""
    problems: dict[str, str] = {}
    code_problem = _code_problem((given.code or "").strip(), indicator)
    if code_problem:
        problems["code"] = code_problem
    problems.update(_text_problems(given))
    unit, polarity = _member(Unit, given.unit), _member(Polarity, given.polarity)
    for name, kind, found in (
        ("unit", Unit, unit),
        ("polarity", Polarity, polarity),
        ("frequency", Frequency, _member(Frequency, given.frequency)),
        ("accumulation", Accumulation, _member(Accumulation, given.accumulation)),
    ):
        if found is None:
            problems[name] = f"Choose the {name} from the list: " + ", ".join(m.label for m in kind)
    problems.update({k: v for k, v in _ratio_problems(given, unit).items() if k not in problems})
    problems.update(_number_problems(given))
    if indicator is not None and indicator.id is not None:
        for name, message in _history_problems(given, indicator, unit, polarity).items():
            problems.setdefault(name, message)
    return problems


def _apply(indicator: Indicator, given: Definition) -> None:
    indicator.code = given.code.strip()
    indicator.title = given.title.strip()
    indicator.unit = Unit(given.unit)
    indicator.polarity = Polarity(given.polarity)
    indicator.frequency = Frequency(given.frequency)
    indicator.accumulation = Accumulation(given.accumulation)
    indicator.is_ratio = bool(given.is_ratio)
    indicator.numerator_label = (given.numerator_label or "").strip()
    indicator.denominator_label = (given.denominator_label or "").strip()
    indicator.no_change_band = given.no_change_band
    indicator.compare_with_last_year = bool(given.compare_with_last_year)
    indicator.minimum = given.minimum
    indicator.maximum = given.maximum
    indicator.from_case_audits = bool(given.from_case_audits)
    indicator.objective = given.objective
    indicator.definition = (given.definition or "").strip()
    indicator.source = (given.source or "").strip()


def create_indicator(given: Definition) -> Indicator:
    problems = definition_problems(given)
    if problems:
        raise InvalidInput(problems)
    indicator = Indicator()
    _apply(indicator, given)
    db.session.add(indicator)
    db.session.flush()
    return indicator


def update_indicator(indicator: Indicator, given: Definition) -> Indicator:
    problems = definition_problems(given, indicator)
    if problems:
        raise InvalidInput(problems)
    _apply(indicator, given)
    db.session.flush()
    return indicator


# --- One year's figures -------------------------------------------------------------------------

FIGURES = ("target", "tolerance", "national", "neighbours")
FIGURE_WORDS = {
    "target": "target",
    "tolerance": "amber tolerance",
    "national": "national average",
    "neighbours": "statistical neighbours' average",
}


@dataclass(frozen=True)
class YearFigures:
    target: Decimal | None = None
    tolerance: Decimal | None = None
    national: Decimal | None = None
    neighbours: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return all(getattr(self, name) is None for name in FIGURES)


def parse_year(label: str | FinancialYear) -> FinancialYear:
    if isinstance(label, FinancialYear):
        return label
    try:
        return FinancialYear.parse(label or "")
    except ValueError as error:
        raise InvalidInput({"financial_year": "Enter the year in the form 2017/18"}) from error


def year_problems(unit: Unit, figures: YearFigures) -> dict[str, str]:
    problems = {}
    for name in FIGURES:
        number, words = getattr(figures, name), FIGURE_WORDS[name]
        if number is None:
            continue
        if _too_precise(number):
            problems[name] = f"The {words} can have at most {PLACES} decimal places"
        elif name == "tolerance" and number < 0:
            problems[name] = "The amber tolerance must be 0 or more"
        elif name != "tolerance" and unit is Unit.PERCENTAGE and not 0 <= number <= HUNDRED:
            problems[name] = f"The {words} is a percentage, so it must be between 0 and 100"
    return problems


def set_year(indicator: Indicator, financial_year: str | FinancialYear, figures: YearFigures) -> IndicatorYear | None:
    """Set the indicator's figures for a year, replacing any set before. With all four cleared, the
    year's row goes; returns the row, or None when there is none left."""
    year = parse_year(financial_year)
    problems = year_problems(indicator.unit, figures)
    if problems:
        raise InvalidInput(problems)
    row = indicator.year(year)
    if figures.is_empty:
        if row is not None:
            indicator.years.remove(row)
            db.session.flush()
        return None
    if row is None:
        row = IndicatorYear(financial_year=year.start_year)
        indicator.years.append(row)
    for name in FIGURES:
        setattr(row, name, getattr(figures, name))
    db.session.flush()
    return row
