"""Loading the catalogue of measures (data/indicators.csv, sourced in its README) into the indicator
definitions: new codes are created, known ones updated, the whole file checked before anything is written.

The catalogue owns what it states: code, title, unit, polarity, frequency, accumulation, the numerator
and denominator in words, the definition and its source, and England's figures for 2015/16 to 2019/20.
What is decided locally stays as it is: targets and tolerances, statistical neighbours, the no-change
band, bounds, the comparison month, and an indicator's objective once it has one. An empty England cell
means no figure was found, so it never clears a figure entered by hand.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from monitoring.core.errors import InvalidInput
from monitoring.core.numbers import parse_number
from monitoring.extensions import db
from monitoring.performance import definitions
from monitoring.performance.definitions import Definition, YearFigures
from monitoring.performance.models import Indicator, IndicatorYear, Objective
from monitoring.performance.vocabulary import Accumulation, Frequency, Polarity, Unit

CATALOGUE = Path(__file__).parent / "data" / "indicators.csv"

ENGLAND = {f"england_{year}_{(year + 1) % 100:02d}": year for year in range(2015, 2020)}
COLUMNS = (
    "code",
    "title",
    "unit",
    "polarity",
    "frequency",
    "accumulation",
    "numerator",
    "denominator",
    "definition_source",
    *ENGLAND,
    "figures_source",
)
# The column each definition field comes from, for messages about a row.
COLUMN_OF = {
    "code": "code",
    "title": "title",
    "unit": "unit",
    "polarity": "polarity",
    "frequency": "frequency",
    "accumulation": "accumulation",
    "is_ratio": "denominator",
    "numerator_label": "numerator",
    "denominator_label": "denominator",
    "definition": "definition_source",
    "source": "figures_source",
}
CHOICES = {"unit": Unit, "polarity": Polarity, "frequency": Frequency, "accumulation": Accumulation}

# The objectives the codes' prefixes imply, in the order reports list them.
OBJECTIVES = (
    ("Front door and assessment", ("FD", "AS")),
    ("Keeping children safe", ("CIN", "CP")),
    ("Children in care and permanence", ("CLA", "ADP")),
    ("Care leavers", ("CL",)),
    ("Youth justice", ("YJ",)),
    ("Workforce", ("WF",)),
    ("Quality of practice", ("QA",)),
    ("Early help", ("EH",)),
    ("Value for money", ("FIN",)),
)
OBJECTIVE_OF_PREFIX = {prefix: name for name, prefixes in OBJECTIVES for prefix in prefixes}
POSITION_OF = {name: position for position, (name, _) in enumerate(OBJECTIVES, start=1)}
# Measures computed from the case-file audits recorded for the month rather than returned by the trust.
FROM_CASE_AUDITS = frozenset({"QA01"})
PREFIX = re.compile(r"^[A-Za-z]+")


@dataclass
class _Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    given: Definition
    existing: Indicator | None
    objective_name: str | None
    national: dict[int, Decimal] = field(default_factory=dict)


def _read(path_or_rows: str | os.PathLike | Iterable[Mapping[str, str | None]]) -> list[Mapping[str, str | None]]:
    if not isinstance(path_or_rows, str | os.PathLike):
        return list(path_or_rows)
    try:
        with open(path_or_rows, encoding="utf-8-sig", newline="") as file:
            reader = csv.DictReader(file)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput({"columns": "Row 1 (the header) lacks the column(s) " + ", ".join(missing)})
            return list(reader)
    except UnicodeDecodeError as error:
        raise InvalidInput({"file": "The catalogue must be a CSV file saved as UTF-8"}) from error
    except OSError as error:
        raise InvalidInput({"file": f"The catalogue cannot be read: {error.strerror or error}"}) from error


def _cell(row: Mapping[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


class _Problems(dict):
    """Messages keyed "row 5 unit", each saying the row, its code and the column."""

    def add(self, number: int, code: str, column: str, message: str) -> None:
        where = f"Row {number} ({code})" if code else f"Row {number}"
        self.setdefault(f"row {number} {column}", f"{where}, column {column}: {message}")


def _definition(row: Mapping[str, str | None], existing: Indicator | None) -> tuple[Definition, dict[str, str]]:
    problems, chosen = {}, {}
    for column, kind in CHOICES.items():
        text = _cell(row, column)
        try:
            chosen[column] = kind(text)
        except ValueError:
            allowed = ", ".join(m.value for m in kind)
            problems[column] = f"{text!r} is not a valid {column}; use one of {allowed}"
    code, denominator = _cell(row, "code"), _cell(row, "denominator")
    base = Definition.of(existing) if existing is not None else Definition(code, "", Unit.COUNT, Polarity.NONE)
    given = replace(
        base,
        code=code,
        title=_cell(row, "title"),
        is_ratio=chosen.get("unit") is Unit.PERCENTAGE and bool(denominator),
        numerator_label=_cell(row, "numerator"),
        denominator_label=denominator,
        definition=_cell(row, "definition_source"),
        source=_cell(row, "figures_source"),
        from_case_audits=code.upper() in FROM_CASE_AUDITS or base.from_case_audits,
        **{name: chosen.get(name, getattr(base, name)) for name in CHOICES},
    )
    return given, problems


def _national(row: Mapping[str, str | None], unit: Unit | None) -> tuple[dict[int, Decimal], dict[str, str]]:
    """England's figures as the national comparator — except for counts: England's total of referrals
    says nothing about one area's, so a count keeps its England figures in its source text only."""
    figures, problems = {}, {}
    if unit is Unit.COUNT:
        return figures, problems
    for column, year in ENGLAND.items():
        text = _cell(row, column)
        try:
            number = parse_number(text)
        except ValueError:
            problems[column] = f"{text!r} is not a number"
            continue
        if number is None:
            continue
        wrong = definitions.year_problems(unit, YearFigures(national=number)) if unit else {}
        if wrong:
            problems[column] = wrong["national"]
        else:
            figures[year] = number
    return figures, problems


def _check(raw_rows: list[Mapping[str, str | None]]) -> list[_Row]:
    known = {i.code.upper(): i for i in db.session.scalars(select(Indicator))}
    problems, rows, first_row_of = _Problems(), [], {}
    for number, raw in enumerate(raw_rows, start=2):
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue  # a blank line
        code = _cell(raw, "code")
        existing = known.get(code.upper())
        given, found = _definition(raw, existing)
        if code.upper() in first_row_of:
            found["code"] = f"{code} appears twice (first in row {first_row_of[code.upper()]})"
        first_row_of.setdefault(code.upper(), number)
        for name, message in definitions.definition_problems(given, existing).items():
            found.setdefault(COLUMN_OF.get(name, name), message)
        national, wrong = _national(raw, given.unit if "unit" not in found else None)
        found.update(wrong)
        for column, message in found.items():
            problems.add(number, code, column, message)
        prefix = PREFIX.match(code)
        rows.append(_Row(number, given, existing, OBJECTIVE_OF_PREFIX.get(prefix[0].upper()) if prefix else None))
        rows[-1].national = national
    if problems:
        raise InvalidInput(dict(problems))
    return rows


def _objectives(names: set[str]) -> dict[str, Objective]:
    """The implied objectives, found by name (whatever its case) or created."""
    found = {}
    for name in sorted(names, key=POSITION_OF.__getitem__):
        objective = db.session.scalar(select(Objective).where(func.lower(Objective.name) == name.lower()))
        found[name] = objective or definitions.create_objective(name, position=POSITION_OF[name])
    return found


def _set_national(indicator: Indicator, figures: dict[int, Decimal]) -> None:
    for year, number in figures.items():
        row = next((y for y in indicator.years if y.financial_year == year), None)
        if row is None:
            row = IndicatorYear(financial_year=year)
            indicator.years.append(row)
        row.national = number


def load_catalogue(
    path_or_rows: str | os.PathLike | Iterable[Mapping[str, str | None]] = CATALOGUE,
) -> tuple[int, int]:
    """Create or update indicators from the catalogue (a CSV path, or its rows as dicts); returns how many
    were created and how many updated. A bad row raises InvalidInput naming its row and column, and
    then nothing is written."""
    rows = _check(_read(path_or_rows))
    objectives = _objectives({r.objective_name for r in rows if r.objective_name})
    created = updated = 0
    for row in rows:
        implied = objectives.get(row.objective_name) if row.objective_name else None
        given = replace(row.given, objective=row.given.objective or implied)
        if row.existing is None:
            indicator = definitions.create_indicator(given)
            created += 1
        else:
            indicator = definitions.update_indicator(row.existing, given)
            updated += 1
        _set_national(indicator, row.national)
    db.session.flush()
    return created, updated
