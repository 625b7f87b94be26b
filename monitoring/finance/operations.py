"""Writes of the finance area: a finance return's figures (from the form, a spreadsheet or the API,
through one operation), copying figures into a new revision, and the contract's placement categories.

Figures are checked all together first; if any is wrong nothing is saved, and every message names the
line and, for an upload, the sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.finance import queries
from monitoring.finance.models import (
    DEFAULT_CATEGORIES,
    CapitalLine,
    CareLadderLine,
    FundingLine,
    PlacementCategory,
    RevenueLine,
    SavingsLine,
    TrustPosition,
)
from monitoring.returns.models import ReturnRevision
from monitoring.returns.operations import ensure_editable, touch

NAME_LIMIT = 200
TEXT_LIMIT = 5000
# Far beyond any children's services budget; keeps pence inside a 64-bit integer with room to add up.
MONEY_LIMIT = Decimal("10000000000")
PENNY = Decimal("0.01")
MEASURE_PLACES = Decimal("0.0001")


# --- What a reader hands over --------------------------------------------------------------------


@dataclass
class LineInput:
    """One line as entered. `key` names its fields in error keys ("r-3" → "r-3-net_budget"); `where`
    says where each value came from, for messages ({"net_budget": "sheet ‘Revenue’, cell D5"}); a form
    leaves it empty and `row_where` describes the row as a whole."""

    key: str = ""
    where: dict[str, str] = field(default_factory=dict)
    row_where: str = ""


@dataclass
class RevenueInput(LineInput):
    service_area: str = ""
    gross_budget: Decimal | None = None
    net_budget: Decimal | None = None
    forecast_outturn: Decimal | None = None
    explanation: str = ""


@dataclass
class CareLadderInput(LineInput):
    category: str = ""  # the category's name (an upload or the API)
    category_id: int | None = None  # or its id (the form)
    contracted_volume: Decimal | None = None
    unit_contract_value: Decimal | None = None
    actual_activity: Decimal | None = None
    forecast_activity: Decimal | None = None
    forecast_unit_cost: Decimal | None = None
    explanation: str = ""


@dataclass
class FundingInput(LineInput):
    description: str = ""
    amount: Decimal | None = None
    agreed_on: date | None = None
    purpose: str = ""


@dataclass
class SavingsInput(LineInput):
    description: str = ""
    target: Decimal | None = None
    forecast_delivery: Decimal | None = None
    explanation: str = ""


@dataclass
class CapitalInput(LineInput):
    scheme: str = ""
    revised_budget: Decimal | None = None
    forecast: Decimal | None = None
    actual_to_date: Decimal | None = None


@dataclass
class PositionInput(LineInput):
    trust_reserves: Decimal | None = None
    agency_staff: Decimal | None = None
    agency_cost: Decimal | None = None
    commentary: str = ""


@dataclass
class FinanceFigures:
    """A whole finance return as entered: saving it replaces every figure of the revision."""

    revenue: list[RevenueInput] = field(default_factory=list)
    care_ladder: list[CareLadderInput] = field(default_factory=list)
    funding: list[FundingInput] = field(default_factory=list)
    savings: list[SavingsInput] = field(default_factory=list)
    capital: list[CapitalInput] = field(default_factory=list)
    position: PositionInput | None = None


# --- How each part is checked --------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    name: str
    words: str  # "the net budget"
    kind: str = "money"  # money or measure
    required: bool = True


@dataclass(frozen=True)
class Part:
    key: str
    words: str  # "the revenue lines"
    name_field: str
    name_words: str  # "the service area"
    figures: tuple[Figure, ...]
    texts: tuple[str, ...] = ()


REVENUE = Part(
    "revenue",
    "the revenue lines",
    "service_area",
    "the service area",
    (
        Figure("gross_budget", "the gross budget"),
        Figure("net_budget", "the net budget"),
        Figure("forecast_outturn", "the forecast outturn"),
    ),
    ("explanation",),
)
CARE_LADDER = Part(
    "care_ladder",
    "the care ladder",
    "category",
    "the placement category",
    (
        Figure("contracted_volume", "the contracted volume", "measure"),
        Figure("unit_contract_value", "the unit contract value"),
        Figure("actual_activity", "the actual activity", "measure"),
        Figure("forecast_activity", "the forecast average activity", "measure"),
        Figure("forecast_unit_cost", "the forecast average unit cost"),
    ),
    ("explanation",),
)
FUNDING = Part(
    "funding",
    "the funding agreed",
    "description",
    "what the funding is",
    (Figure("amount", "the amount"),),
    ("purpose",),
)
SAVINGS = Part(
    "savings",
    "the savings",
    "description",
    "the saving",
    (Figure("target", "the target"), Figure("forecast_delivery", "the forecast delivery")),
    ("explanation",),
)
CAPITAL = Part(
    "capital",
    "the capital programme",
    "scheme",
    "the scheme",
    (
        Figure("revised_budget", "the revised base budget"),
        Figure("forecast", "the forecast"),
        Figure("actual_to_date", "the actual spend to date"),
    ),
)
POSITION = Part(
    "position",
    "the trust's position",
    "",
    "",
    (
        Figure("trust_reserves", "the trust's available reserves", required=False),
        Figure("agency_staff", "the number of agency staff", "measure", required=False),
        Figure("agency_cost", "the agency staff cost", required=False),
    ),
    ("commentary",),
)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Checker:
    """Collects every problem of a return, each keyed to its field and worded to name its line."""

    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def problem(self, given: LineInput, part: Part, name: str, row: int, field_name: str, text: str) -> None:
        key = f"{given.key or f'{part.key}-{row}'}-{field_name}"
        label = name or f"Row {row} of {part.words}"
        place = given.where.get(field_name) or given.row_where
        self.errors.setdefault(key, f"{_cap(place)} ({label}): {text}" if place else f"{label}: {text}")

    def figures(self, given: LineInput, part: Part, name: str, row: int) -> None:
        for figure in part.figures:
            value = getattr(given, figure.name)
            if value is None:
                if figure.required:
                    self.problem(given, part, name, row, figure.name, f"enter {figure.words}")
                continue
            problem = _figure_problem(value, figure)
            if problem:
                self.problem(given, part, name, row, figure.name, problem)
        for text_field in part.texts:
            if len(getattr(given, text_field)) > TEXT_LIMIT:
                self.problem(
                    given, part, name, row, text_field, f"the {text_field} must be {TEXT_LIMIT:,} characters or fewer"
                )


def _figure_problem(value: Decimal, figure: Figure) -> str | None:
    if not value.is_finite():
        return f"{figure.words} must be a number"
    if value < 0:
        return f"{figure.words} cannot be negative"
    if figure.kind == "money":
        if value != value.quantize(PENNY):
            return f"{figure.words} must be in pounds and pence, like 1,630,000.10"
        if value >= MONEY_LIMIT:
            return f"{figure.words} must be less than £{MONEY_LIMIT:,}"
    elif value != value.quantize(MEASURE_PLACES):
        return f"{figure.words} can have at most four decimal places, like 30.5"
    elif value >= MONEY_LIMIT:
        return f"{figure.words} is too large"
    return None


def _is_blank(given: LineInput, part: Part) -> bool:
    # A care-ladder row is blank without figures even when it names its category: the form and the
    # template list every category, and one left empty simply has no line this month.
    names = [part.name_field] if part.name_field and part is not CARE_LADDER else []
    filled = [getattr(given, n) for n in names] + [getattr(given, f.name) for f in part.figures]
    filled += [getattr(given, t) for t in part.texts]
    if part is FUNDING:
        filled.append(given.agreed_on)  # type: ignore[attr-defined]
    return all(value in (None, "") or (isinstance(value, str) and not value.strip()) for value in filled)


def _check_named(checker: _Checker, part: Part, lines: list[Any]) -> list[tuple[str, Any]]:
    """Lines of a part with a name (service area, scheme…): every problem, then the lines to keep."""
    kept, seen = [], set()
    for row, given in enumerate(lines, start=1):
        if _is_blank(given, part):
            continue
        name = getattr(given, part.name_field).strip()
        if not name:
            checker.problem(given, part, "", row, part.name_field, f"enter {part.name_words}")
        elif len(name) > NAME_LIMIT:
            checker.problem(
                given, part, name[:40] + "…", row, part.name_field, f"the name must be {NAME_LIMIT} characters or fewer"
            )
        elif name.casefold() in seen:
            checker.problem(given, part, name, row, part.name_field, f"appears twice in {part.words}; give it once")
        seen.add(name.casefold())
        checker.figures(given, part, name, row)
        kept.append((name, given))
    return kept


def _check_care_ladder(
    checker: _Checker, lines: list[CareLadderInput], known: list[PlacementCategory]
) -> list[tuple[PlacementCategory, CareLadderInput]]:
    by_id = {c.id: c for c in known}
    by_name = {c.name.casefold(): c for c in known}
    kept, seen = [], set()
    for row, given in enumerate(lines, start=1):
        if _is_blank(given, CARE_LADDER):
            continue
        if given.category_id is not None:
            category = by_id.get(given.category_id)
        else:
            category = by_name.get(given.category.strip().casefold())
        label = category.name if category else given.category.strip()
        if category is None:
            text = (
                f"{label} is not a placement category of this contract; "
                "a commissioner can add it on the placement categories page"
                if label
                else "enter the placement category"
            )
            checker.problem(given, CARE_LADDER, "", row, "category", text)
            continue
        if category.id in seen:
            checker.problem(
                given, CARE_LADDER, label, row, "category", "appears twice in the care ladder; give it once"
            )
            continue
        seen.add(category.id)
        checker.figures(given, CARE_LADDER, label, row)
        kept.append((category, given))
    return kept


# --- Saving --------------------------------------------------------------------------------------


def save_return(revision: ReturnRevision, figures: FinanceFigures, *, lock_version: int | None = None) -> int:
    """Replace every figure of a draft (or queried) revision, all or nothing. Returns the number of lines."""
    ensure_editable(revision, lock_version)
    checker = _Checker()
    revenue = _check_named(checker, REVENUE, figures.revenue)
    ladder = _check_care_ladder(checker, figures.care_ladder, ensure_categories(revision.contract_id))
    funding = _check_named(checker, FUNDING, figures.funding)
    savings = _check_named(checker, SAVINGS, figures.savings)
    capital = _check_named(checker, CAPITAL, figures.capital)
    position = figures.position
    if position is not None and not _is_blank(position, POSITION):
        checker.figures(position, POSITION, "The trust's position", 1)
    if checker.errors:
        raise InvalidInput(checker.errors)
    _sync(
        revision,
        RevenueLine,
        "service_area",
        revenue,
        ("gross_budget", "net_budget", "forecast_outturn", "explanation"),
    )
    _sync(revision, FundingLine, "description", funding, ("amount", "agreed_on", "purpose"))
    _sync(revision, SavingsLine, "description", savings, ("target", "forecast_delivery", "explanation"))
    _sync(revision, CapitalLine, "scheme", capital, ("revised_budget", "forecast", "actual_to_date"))
    _sync_care_ladder(revision, ladder)
    _sync_position(revision, position)
    touch(revision)
    db.session.flush()
    return len(revenue) + len(ladder) + len(funding) + len(savings) + len(capital)


def _rows(model: type, revision: ReturnRevision) -> list[Any]:
    return list(db.session.scalars(select(model).where(model.revision_id == revision.id)))


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _set(row: Any, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def _sync(
    revision: ReturnRevision, model: type, name_field: str, lines: list[tuple[str, Any]], names: tuple[str, ...]
) -> None:
    """Make the revision's rows of `model` exactly `lines`, changing rows in place where the name matches."""
    existing = {getattr(row, name_field).casefold(): row for row in _rows(model, revision)}
    for position, (name, given) in enumerate(lines, start=1):
        values: dict[str, Any] = {name_field: name, "position": position}
        values.update({n: _stripped(getattr(given, n)) for n in names})
        row = existing.pop(name.casefold(), None)
        if row is None:
            db.session.add(model(contract_id=revision.contract_id, revision=revision, **values))
        else:
            _set(row, values)
    for row in existing.values():
        db.session.delete(row)


LADDER_FIGURES = (
    "contracted_volume",
    "unit_contract_value",
    "actual_activity",
    "forecast_activity",
    "forecast_unit_cost",
)


def _sync_care_ladder(revision: ReturnRevision, lines: list[tuple[PlacementCategory, CareLadderInput]]) -> None:
    existing = {row.category_id: row for row in _rows(CareLadderLine, revision)}
    for category, given in lines:
        values: dict[str, Any] = {n: getattr(given, n) for n in LADDER_FIGURES}
        values["explanation"] = given.explanation.strip()
        row = existing.pop(category.id, None)
        if row is None:
            db.session.add(
                CareLadderLine(contract_id=revision.contract_id, revision=revision, category=category, **values)
            )
        else:
            _set(row, values)
    for row in existing.values():
        db.session.delete(row)


def _sync_position(revision: ReturnRevision, given: PositionInput | None) -> None:
    rows = _rows(TrustPosition, revision)
    if given is None or _is_blank(given, POSITION):
        for row in rows:
            db.session.delete(row)
        return
    values = {
        "trust_reserves": given.trust_reserves,
        "agency_staff": given.agency_staff,
        "agency_cost": given.agency_cost,
        "commentary": given.commentary.strip(),
    }
    if rows:
        _set(rows[0], values)
    else:
        db.session.add(TrustPosition(contract_id=revision.contract_id, revision=revision, **values))


# --- Copying figures into a new revision ---------------------------------------------------------

COPIED_COLUMNS = {
    RevenueLine: ("position", "service_area", "gross_budget", "net_budget", "forecast_outturn", "explanation"),
    CareLadderLine: ("category", *LADDER_FIGURES, "explanation"),
    FundingLine: ("position", "description", "amount", "agreed_on", "purpose"),
    SavingsLine: ("position", "description", "target", "forecast_delivery", "explanation"),
    CapitalLine: ("position", "scheme", "revised_budget", "forecast", "actual_to_date"),
    TrustPosition: ("trust_reserves", "agency_staff", "agency_cost", "commentary"),
}


def copy_values(source: ReturnRevision, target: ReturnRevision) -> None:
    """Every figure of `source` into `target` (a correction, or a new month's draft)."""
    for model, columns in COPIED_COLUMNS.items():
        for row in _rows(model, source):
            values = {name: getattr(row, name) for name in columns}
            db.session.add(model(contract_id=target.contract_id, revision=target, **values))


def start_from_last_month(revision: ReturnRevision) -> None:
    """A new month's return starts as a copy of the latest figures in force before it (budgets and lines
    carried forward, forecasts to update); the first ever starts empty, with the default categories."""
    ensure_categories(revision.contract_id)
    earlier = queries.latest_in_force_before(revision.contract_id, revision.monthly_return.period)
    if earlier is not None:
        copy_values(earlier, revision)


# --- Placement categories ------------------------------------------------------------------------


def ensure_categories(contract_id: int) -> list[PlacementCategory]:
    """The contract's categories, creating the default care ladder if it has none yet."""
    found = queries.categories(contract_id)
    if found:
        return found
    for position, name in enumerate(DEFAULT_CATEGORIES, start=1):
        db.session.add(PlacementCategory(contract_id=contract_id, name=name, position=position))
    db.session.flush()
    return queries.categories(contract_id)


def add_category(contract: Contract, name: str) -> PlacementCategory:
    """Add a placement category to the end of the contract's care ladder."""
    existing = ensure_categories(contract.id)
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput({"name": "Enter the name of the placement category"})
    if len(name) > NAME_LIMIT:
        raise InvalidInput({"name": f"The name must be {NAME_LIMIT} characters or fewer"})
    clash = db.session.scalar(
        select(PlacementCategory.id).where(
            PlacementCategory.contract_id == contract.id, func.lower(PlacementCategory.name) == name.lower()
        )
    )
    if clash is not None:
        raise InvalidInput({"name": f"{name} is already on the care ladder"})
    category = PlacementCategory(
        contract_id=contract.id, name=name, position=max((c.position for c in existing), default=0) + 1
    )
    db.session.add(category)
    db.session.flush()
    return category
