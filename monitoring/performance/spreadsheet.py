"""The KPI return as a spreadsheet: the template the trust fills in (also the export of a return),
reading an upload back into figures, and the dashboard as a download.

Reading goes through core.spreadsheets (size, zip and XML limits; exact numbers); every problem
names the sheet and cell, and the figures are then checked by the same operation as the form.
"""

from __future__ import annotations

import re
from decimal import Decimal

from monitoring.contracts.models import Contract
from monitoring.core.errors import InvalidInput
from monitoring.core.spreadsheets import CellError, SheetSpec, SpreadsheetError, parse_decimal, read_spreadsheet
from monitoring.performance.analytics import MeasureResult
from monitoring.performance.operations import ValueInput
from monitoring.performance.returns import rows as return_rows
from monitoring.returns.models import MonthlyReturn, ReturnRevision

SHEET = "KPI return"
COLUMNS = [
    "Code",
    "Measure",
    "Unit",
    "Value",
    "Numerator",
    "Denominator",
    "Commentary",
    "Forecast",
    "Forecast rationale",
    "Target",
    "Numerator counts",
    "Denominator counts",
]
FIGURE_COLUMNS = {"Value": "value", "Numerator": "numerator", "Denominator": "denominator", "Forecast": "forecast"}
TEXT_COLUMNS = {"Commentary": "commentary", "Forecast rationale": "forecast_rationale"}
WIDTHS = [10, 50, 18, 12, 12, 12, 50, 12, 40, 10, 40, 40]
_MONTH_NOTE = re.compile(r"^Month:\s*(\d{4}-\d{2})\b")


def template(monthly: MonthlyReturn, contract: Contract) -> SheetSpec:
    """The return's measures for its month, filled with the figures of its latest revision."""
    revision = monthly.latest
    lines = []
    for row in return_rows(revision):
        indicator, value = row["indicator"], row["value"]
        year = row["year"]

        def figure(name: str, value=value) -> Decimal | None:
            return getattr(value, name) if value is not None else None

        lines.append(
            [
                indicator.code,
                indicator.title,
                indicator.unit.label,
                figure("value"),
                figure("numerator"),
                figure("denominator"),
                value.commentary if value else "",
                figure("forecast"),
                value.forecast_rationale if value else "",
                year.target if year else None,
                indicator.numerator_label if indicator.is_ratio else "",
                indicator.denominator_label if indicator.is_ratio else "",
            ]
        )
    notes = [
        f"Contract: {contract.name}",
        f"Month: {monthly.period.label} ({monthly.period.name})",
        "Fill in Value, or Numerator and Denominator for measures that have them. A rate per 10,000 takes the "
        "number of children: the rate is worked out from the child population. Commentary is required for a "
        "Red figure. Leave Forecast blank to use the standard forecast.",
    ]
    return SheetSpec(name=SHEET, rows=[COLUMNS, *lines], column_widths=WIDTHS, notes=notes)


def _month_in(sheet, header_row: int) -> str | None:
    for row in sheet.rows[: header_row - 1]:
        for cell in row:
            match = _MONTH_NOTE.match(str(cell.value or ""))
            if match:
                return match[1]
    return None


def read_upload(revision: ReturnRevision, filename: str, data: bytes) -> list[ValueInput]:
    """The figures in an uploaded return, or InvalidInput listing every cell that is wrong."""
    period = revision.monthly_return.period
    try:
        workbook = read_spreadsheet(filename, data)
    except SpreadsheetError as error:
        raise InvalidInput({"file": error.message}) from error
    sheet = workbook.sheet(SHEET) or workbook.sheets[0]
    found = sheet.find_header("Code", *FIGURE_COLUMNS)
    if found is None:
        raise InvalidInput(
            {
                "file": f"Sheet ‘{sheet.name}’ has no header row with the columns Code, Value, Numerator, "
                "Denominator and Forecast. Download the template and fill that in."
            }
        )
    header_row, columns = found
    month = _month_in(sheet, header_row)
    if month is not None and month != period.label:
        raise InvalidInput({"file": f"This file is the return for {month}, not for {period.name} ({period.label})"})
    text_columns = {}
    header = {str(c.value).strip().lower(): c.column for c in sheet.rows[header_row - 1] if c.value}
    for title, name in TEXT_COLUMNS.items():
        if title.lower() in header:
            text_columns[name] = header[title.lower()]
    inputs, errors = [], {}
    for row in sheet.rows[header_row:]:
        by_column = {c.column: c for c in row}
        code_cell = by_column.get(columns["Code"])
        if code_cell is None or code_cell.value in (None, ""):
            if any(c.value not in (None, "") for c in row):
                first = next(c for c in row if c.value not in (None, ""))
                errors[f"cell-{first.ref}"] = f"{first.where}: this row has figures but no measure code in column Code"
            continue
        given = ValueInput(code=str(code_cell.value).strip(), row_where=code_cell.where.rsplit(",", 1)[0])
        given.where["code"] = code_cell.where
        for title, name in FIGURE_COLUMNS.items():
            cell = by_column.get(columns[title])
            if cell is None:
                continue
            given.where[name] = cell.where
            try:
                setattr(given, name, parse_decimal(cell))
            except CellError as error:
                errors[f"cell-{cell.ref}"] = f"{error} ({given.code})"
        for name, column in text_columns.items():
            cell = by_column.get(column)
            if cell is not None and cell.value not in (None, ""):
                setattr(given, name, str(cell.value))
                given.where[name] = cell.where
        inputs.append(given)
    if errors:
        raise InvalidInput(errors)
    return inputs


DASHBOARD_COLUMNS = [
    "Code",
    "Measure",
    "Objective",
    "Figure",
    "Provisional",
    "Target",
    "RAG",
    "Direction of travel",
    "Previous figure",
    "Year-end forecast",
    "Likelihood of meeting target",
    "National",
    "Statistical neighbours",
    "Flagged for challenge",
    "Commentary",
]


def dashboard_rows(results: list[MeasureResult]) -> list[list[object]]:
    lines: list[list[object]] = [DASHBOARD_COLUMNS]
    for r in results:
        lines.append(
            [
                r.indicator.code,
                r.indicator.title,
                r.indicator.objective.name if r.indicator.objective else "",
                r.value,
                "yes" if r.point.provisional else "",
                r.target,
                r.rag.label,
                f"{r.arrow} {r.direction.label}".strip() if r.direction else "",
                r.previous.value if r.previous else None,
                r.forecast,
                r.face.label if r.face else "",
                r.national.comparator if r.national else None,
                r.neighbours.comparator if r.neighbours else None,
                "; ".join(f.reason for f in r.flags),
                r.commentary,
            ]
        )
    return lines
