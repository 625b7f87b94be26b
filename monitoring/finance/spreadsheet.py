"""The finance return as a spreadsheet: an Excel template with a sheet for each part (also the export of a
return), reading an upload back into figures, and CSV exports of each part of a month's position.

One CSV file cannot hold six tables with different columns sensibly, so the template and uploads are
Excel only; each part can be exported as CSV. Reading goes through core.spreadsheets (size, zip and XML
limits; exact numbers); every problem names the sheet, the cell and the line, and the figures are then
checked by the same operation as the form.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.periods import Period
from monitoring.core.spreadsheets import CellError, SheetSpec, SpreadsheetError, parse_decimal, read_spreadsheet
from monitoring.core.spreadsheets.cells import CSV_SHEET, Cell, Sheet
from monitoring.core.spreadsheets.writing import FORMULA_STARTS
from monitoring.finance.forms import parse_day
from monitoring.finance.operations import (
    CapitalInput,
    CareLadderInput,
    FinanceFigures,
    FundingInput,
    PositionInput,
    RevenueInput,
    SavingsInput,
)
from monitoring.finance.positions import MonthPosition

_MONTH_NOTE = re.compile(r"^Month:\s*(\d{4}-\d{2})\b")


@dataclass(frozen=True)
class Column:
    title: str
    field: str = ""  # the input's field it fills; "" for a worked-out column that uploads ignore
    kind: str = "text"  # text, number or date
    width: int = 16


@dataclass(frozen=True)
class SheetLayout:
    name: str
    part: str  # the FinanceFigures attribute
    columns: tuple[Column, ...]
    make: type
    name_field: str
    hint: str
    rows: Callable[[MonthPosition], list[list[Any]]]

    @property
    def header(self) -> list[str]:
        return [c.title for c in self.columns]


def _revenue(p: MonthPosition) -> list[list[Any]]:
    return [[r.name, r.gross_budget, r.net_budget, r.forecast_outturn, r.variance, r.explanation] for r in p.revenue]


def _care_ladder(p: MonthPosition) -> list[list[Any]]:
    return [
        [
            r.category,
            r.contracted_volume,
            r.unit_contract_value,
            r.actual_activity,
            r.forecast_activity,
            r.forecast_unit_cost,
            r.contract_cost,
            r.forecast_cost,
            r.variance,
            r.explanation,
        ]
        for r in p.care_ladder
    ]


def _funding(p: MonthPosition) -> list[list[Any]]:
    return [[r.description, r.amount, r.agreed_on, r.purpose] for r in p.funding]


def _savings(p: MonthPosition) -> list[list[Any]]:
    return [[r.description, r.target, r.forecast_delivery, r.shortfall, r.explanation] for r in p.savings]


def _capital(p: MonthPosition) -> list[list[Any]]:
    return [[r.scheme, r.revised_budget, r.forecast, r.actual_to_date, r.variance] for r in p.capital]


def _trust(p: MonthPosition) -> list[list[Any]]:
    t = p.trust
    return [[t.trust_reserves, t.agency_staff, t.agency_cost, t.commentary]]


MONEY = {"kind": "number", "width": 16}
SHEETS = (
    SheetLayout(
        "Revenue",
        "revenue",
        (
            Column("Service area", "service_area", width=40),
            Column("Gross budget", "gross_budget", **MONEY),
            Column("Net budget", "net_budget", **MONEY),
            Column("Forecast outturn", "forecast_outturn", **MONEY),
            Column("Variance", width=16),
            Column("Explanation", "explanation", width=60),
        ),
        RevenueInput,
        "service_area",
        "One row per service area, in pounds. Variance (forecast outturn less net budget) is worked out; "
        "explain any variance over the contract's threshold.",
        _revenue,
    ),
    SheetLayout(
        "Care ladder",
        "care_ladder",
        (
            Column("Placement category", "category", width=44),
            Column("Contracted volume", "contracted_volume", **MONEY),
            Column("Unit contract value", "unit_contract_value", **MONEY),
            Column("Actual activity", "actual_activity", **MONEY),
            Column("Forecast average activity", "forecast_activity", **MONEY),
            Column("Forecast average unit cost", "forecast_unit_cost", **MONEY),
            Column("Contract cost", width=16),
            Column("Forecast cost", width=16),
            Column("Variance", width=16),
            Column("Explanation", "explanation", width=60),
        ),
        CareLadderInput,
        "category",
        "One row per placement category of the contract. Actual activity is the number of placements at the "
        "month's end; forecast average activity is the year's forecast average, and may be part of a placement "
        "(30.5). Leave a category's row empty if it has no placements.",
        _care_ladder,
    ),
    SheetLayout(
        "Funding",
        "funding",
        (
            Column("Funding", "description", width=50),
            Column("Amount", "amount", **MONEY),
            Column("Date agreed", "agreed_on", "date", 14),
            Column("Purpose", "purpose", width=60),
        ),
        FundingInput,
        "description",
        "Funding agreed in the year on top of the contract price, for example additional care ladder funding.",
        _funding,
    ),
    SheetLayout(
        "Savings",
        "savings",
        (
            Column("Saving", "description", width=50),
            Column("Target", "target", **MONEY),
            Column("Forecast delivery", "forecast_delivery", **MONEY),
            Column("Shortfall", width=16),
            Column("Explanation", "explanation", width=60),
        ),
        SavingsInput,
        "description",
        "The year's savings targets and how much of each you forecast to deliver.",
        _savings,
    ),
    SheetLayout(
        "Capital",
        "capital",
        (
            Column("Scheme", "scheme", width=50),
            Column("Revised base budget", "revised_budget", **MONEY),
            Column("Forecast", "forecast", **MONEY),
            Column("Actual to date", "actual_to_date", **MONEY),
            Column("Variance", width=16),
        ),
        CapitalInput,
        "scheme",
        "Capital schemes: the revised base budget, this month's forecast for the year and the spend to date.",
        _capital,
    ),
    SheetLayout(
        "Trust position",
        "position",
        (
            Column("Available reserves", "trust_reserves", **MONEY),
            Column("Agency staff", "agency_staff", **MONEY),
            Column("Agency staff cost", "agency_cost", **MONEY),
            Column("Commentary", "commentary", width=80),
        ),
        PositionInput,
        "",
        "The reserves the trust could put towards its share of an overspend (leave blank if not known), agency "
        "staff at the month's end (full-time equivalent) and their forecast cost for the year.",
        _trust,
    ),
)


def _notes(layout: SheetLayout, contract: Contract, period: Period) -> list[str]:
    return [f"Month: {period.label} ({period.name}). Contract: {contract.name}.", layout.hint]


def workbook(position: MonthPosition, contract: Contract, categories: list[str] | None = None) -> list[SheetSpec]:
    """The return's sheets filled with `position`; the care ladder lists every category of the contract."""
    sheets = []
    for layout in SHEETS:
        rows = layout.rows(position)
        if layout.part == "care_ladder" and categories:
            have = {r[0].casefold() for r in rows}
            rows += [[name] + [None] * (len(layout.columns) - 1) for name in categories if name.casefold() not in have]
        if layout.part == "position" and position.trust == type(position.trust)():
            rows = []
        sheets.append(
            SheetSpec(
                name=layout.name,
                rows=[layout.header, *rows],
                column_widths=[c.width for c in layout.columns],
                notes=_notes(layout, contract, position.period),
            )
        )
    return sheets


def csv_rows(position: MonthPosition, part: str) -> list[list[Any]]:
    """One part of a month's position as rows for a CSV export (header first)."""
    layout = next(s for s in SHEETS if s.part == part)
    return [layout.header, *layout.rows(position)]


CSV_PARTS = {s.part.replace("_", "-"): s.part for s in SHEETS}


# --- Reading an upload ---------------------------------------------------------------------------


def _unescaped(text: str) -> str:
    """Undo the ' that exports put before text Excel would take for a formula, so a name reads back as itself."""
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _cell_text(cell: Cell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    return _unescaped(str(cell.value).strip())


def _month_in(sheet: Sheet, header_row: int) -> str | None:
    for row in sheet.rows[: header_row - 1]:
        for cell in row:
            match = _MONTH_NOTE.match(str(cell.value or ""))
            if match:
                return match[1]
    return None


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_upload(period: Period, filename: str, data: bytes) -> FinanceFigures:
    """The figures in an uploaded return, or InvalidInput listing every sheet and cell that is wrong."""
    try:
        book = read_spreadsheet(filename, data)
    except SpreadsheetError as error:
        raise InvalidInput({"file": error.message}) from error
    if book.sheets and book.sheets[0].name == CSV_SHEET:
        raise InvalidInput(
            {
                "file": "A finance return has a sheet for each part (revenue, care ladder, funding, savings, capital, "
                "trust position), so it cannot be a CSV file. Download the Excel template, fill it in and upload "
                "that (.xlsx)."
            }
        )
    figures, errors = FinanceFigures(), {}
    for layout in SHEETS:
        sheet = book.sheet(layout.name)
        if sheet is None:
            errors[f"sheet-{layout.part}"] = (
                f"The file has no sheet called ‘{layout.name}’. Download the template and fill that in."
            )
            continue
        lines = _read_sheet(sheet, layout, period, errors)
        if layout.part == "position":
            figures.position = lines[0] if lines else None
        else:
            setattr(figures, layout.part, lines)
    if errors:
        raise InvalidInput(errors)
    return figures


def _read_sheet(sheet: Sheet, layout: SheetLayout, period: Period, errors: dict[str, str]) -> list[Any]:
    wanted = [c.title for c in layout.columns if c.field]
    found = sheet.find_header(*wanted)
    if found is None:
        errors[f"sheet-{layout.part}"] = (
            f"Sheet ‘{sheet.name}’ has no header row with the columns {', '.join(wanted)}. "
            "Download the template and fill that in."
        )
        return []
    header_row, columns = found
    month = _month_in(sheet, header_row)
    if month is not None and month != period.label:
        errors["file"] = f"This file is the return for {month}, not for {period.name} ({period.label})"
        return []
    lines = []
    for row in sheet.rows[header_row:]:
        if not any(c.value not in (None, "") for c in row):
            continue
        by_column = {c.column: c for c in row}
        given = layout.make(key=f"{layout.part}-row{row[0].row}", row_where=f"sheet ‘{sheet.name}’, row {row[0].row}")
        name = ""
        if layout.name_field:
            name_cell = by_column.get(columns[layout.columns[0].title])
            name = _cell_text(name_cell)
            setattr(given, layout.name_field, name)
            given.where[layout.name_field] = name_cell.where if name_cell else given.row_where
        label = name or f"row {row[0].row}"
        for column in layout.columns[1 if layout.name_field else 0 :]:
            if not column.field:
                continue
            cell = by_column.get(columns[column.title])
            if cell is None:
                continue
            given.where[column.field] = cell.where
            try:
                setattr(given, column.field, _value(cell, column))
            except CellError as error:
                errors[f"cell-{sheet.name}-{cell.ref}"] = f"{_cap(cell.where)} ({label}): {error.message}"
        lines.append(given)
    return lines


def _value(cell: Cell, column: Column) -> Any:
    if column.kind == "number":
        return parse_decimal(cell)
    if column.kind == "date":
        if cell.value is None:
            return None
        if isinstance(cell.value, datetime):
            return cell.value.date()
        if isinstance(cell.value, date):
            return cell.value
        try:
            return parse_day(str(cell.value))
        except ValueError as error:
            raise CellError(cell, "must be a date, like 1/4/2017") from error
    return _cell_text(cell)
