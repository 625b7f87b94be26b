"""Write templates and exports as .xlsx or CSV, with every piece of text made safe to open in Excel."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import openpyxl
from openpyxl.cell import Cell as OpenpyxlCell
from openpyxl.styles import Font
from openpyxl.utils.cell import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from monitoring.core.timeutil import to_london

# Text starting with these is read by Excel as a formula (OWASP "CSV injection"); a leading ' keeps it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Characters XML 1.0 cannot hold (openpyxl raises IllegalCharacterError for the control characters);
# tab, line feed and carriage return are allowed.
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
BOLD = Font(bold=True)


def safe_text(value: object) -> object:
    """Text with unwritable characters removed and a ' before a formula start; other values unchanged."""
    if not isinstance(value, str):
        return value
    text = UNWRITABLE.sub("", value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class SheetSpec:
    """One sheet to write: `notes` (instructions) come first, then a blank row, then `rows`, whose first
    `header_rows` are bold and frozen in place when scrolling."""

    name: str
    rows: Sequence[Sequence[object]]
    column_widths: Sequence[int] = ()
    header_rows: int = 1
    notes: Sequence[str] = ()


def write_xlsx(sheets: Sequence[SheetSpec]) -> bytes:
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for spec in sheets:
        _write_sheet(book.create_sheet(_sheet_title(spec.name)), spec)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    return SHEET_TITLE_FORBIDDEN.sub("-", name).strip("'")[:31] or "Sheet"


def _write_sheet(sheet: Worksheet, spec: SheetSpec) -> None:
    for number, note in enumerate(spec.notes, start=1):
        sheet.cell(number, 1, safe_text(note))
    first_row = len(spec.notes) + 2 if spec.notes else 1
    for offset, values in enumerate(spec.rows):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(first_row + offset, column)
            _put(cell, value)
            if offset < spec.header_rows:
                cell.font = BOLD
    if spec.header_rows and spec.rows:
        sheet.freeze_panes = f"A{first_row + spec.header_rows}"
    for column, width in enumerate(spec.column_widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _put(cell: OpenpyxlCell, value: object) -> None:
    if isinstance(value, datetime):
        cell.value = to_london(value).replace(tzinfo=None) if value.tzinfo else value  # Excel has no time zones
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif value is None or isinstance(value, bool | int | float | Decimal):
        cell.value = value
    else:
        cell.value = safe_text(str(value))


def write_csv(rows: Sequence[Sequence[object]]) -> bytes:
    """CSV as Excel opens it cleanly: UTF-8 with a BOM, CRLF line ends, quotes only where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows([_csv_text(value) for value in values] for values in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, Decimal):
        return format(value, "f")  # 1E+3 as 1000
    if isinstance(value, datetime):
        return (to_london(value) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return str(safe_text(str(value)))
