"""Read an uploaded return, .xlsx or CSV, into a Workbook of cells; refuse files that are unsafe or unusable.

The format is decided by the bytes, not the name. Formulas are not evaluated: a formula cell reads as
the value Excel cached when the file was last saved, or None if it never was (a file written by a
program rather than saved in Excel). Numbers are exact Decimals, never floats.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

import openpyxl

from .archive import (
    DAMAGED,
    LIMITS,
    MACROS,
    NOT_A_WORKBOOK,
    Limits,
    check_size,
    check_workbook_archive,
    require_defused_openpyxl,
)
from .cells import CSV_SHEET, Cell, CellValue, Sheet, SpreadsheetError, Workbook

if TYPE_CHECKING:
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .xls, and any workbook saved with a password to open it
DELIMITERS = (",", ";", "\t")

SAVE_AS = "Open it in Excel, save it as an Excel Workbook (.xlsx) or CSV, and upload that."
REFUSED_NAMES = {
    ".xlsm": MACROS,
    ".xltm": MACROS,
    ".xlam": MACROS,
    ".xlsb": f"Excel binary workbooks (.xlsb) cannot be read. {SAVE_AS}",
    ".xls": f"Old Excel 97–2003 workbooks (.xls) cannot be read. {SAVE_AS}",
}
ACCEPTED_NAMES = {".xlsx", ".csv", ".txt", ""}


def read_spreadsheet(filename: str, data: bytes, limits: Limits = LIMITS) -> Workbook:
    """Read an uploaded .xlsx or CSV file; raise SpreadsheetError saying why if it cannot be used."""
    check_size(data, limits)
    extension = PurePosixPath(filename.lower()).suffix
    if extension in REFUSED_NAMES:
        raise SpreadsheetError(REFUSED_NAMES[extension])
    if extension not in ACCEPTED_NAMES:
        raise SpreadsheetError("The file must be an Excel workbook (.xlsx) or a CSV file (.csv).")
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            "The file is an old Excel 97–2003 workbook (.xls) or has a password to open it, so it cannot be read. "
            "Remove any password, save it as an Excel Workbook (.xlsx) or CSV, and upload that."
        )
    if data.startswith(ZIP_MAGIC):
        return _read_xlsx(data, limits)
    if extension == ".xlsx":
        raise SpreadsheetError(NOT_A_WORKBOOK)
    return _read_csv(data, limits)


def _read_xlsx(data: bytes, limits: Limits) -> Workbook:
    check_workbook_archive(data, limits)
    require_defused_openpyxl()
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        try:
            budget = _Budget(limits)
            return Workbook([_read_worksheet(sheet, limits, budget) for sheet in book.worksheets])
        finally:
            book.close()
    except SpreadsheetError:
        raise
    except Exception as error:  # openpyxl raises many kinds of error for a damaged file; all mean the same
        raise SpreadsheetError(DAMAGED) from error


def _read_worksheet(sheet: ReadOnlyWorksheet, limits: Limits, budget: _Budget) -> Sheet:
    # The <dimension> a file declares may be wrong or huge; without it each row is as long as its own cells.
    sheet.reset_dimensions()
    return _collect(sheet.title, budget.metered(sheet.iter_rows(values_only=True)), _from_workbook, limits)


class _Budget:
    """Caps the work of reading one file, whatever its XML says.

    openpyxl pads each row out to its last cell and yields every row number up to the last, so a 1.5 MB
    file with one formatted cell at column XFD on each row, or one at row 1,048,576, took a minute.
    Each row costs its length, and at least a full row of `max_columns`; a file may spend four full
    sheets' worth in all.
    """

    FULL_SHEETS = 4

    def __init__(self, limits: Limits) -> None:
        self.left = self.FULL_SHEETS * limits.max_rows * limits.max_columns
        self.row_cost = limits.max_columns

    def metered(self, rows: Iterable[Sequence[object]]) -> Iterator[Sequence[object]]:
        for values in rows:
            self.left -= max(len(values), self.row_cost)
            if self.left < 0:
                raise SpreadsheetError(
                    "The file is too large to read: it has too many rows, or cells formatted far beyond its data. "
                    "Delete the unused rows and columns, save it and upload it again."
                )
            yield values


def _from_workbook(value: object) -> CellValue:
    if isinstance(value, float):
        # openpyxl has already read the number as a float; its shortest repr is the number as written
        # (Excel writes 82.3 as 82.299999999999997, whose shortest repr is 82.3).
        return Decimal(repr(value)) if math.isfinite(value) else repr(value)  # inf and nan stay text
    if isinstance(value, datetime):
        return value.date() if value.time() == time(0) and value.tzinfo is None else value
    if value is None or isinstance(value, bool | int | Decimal | date):
        return value
    return _from_text(str(value))  # text, an error such as #DIV/0!, or a time of day


def _from_text(value: str) -> str | None:
    return value.strip() or None


def _read_csv(data: bytes, limits: Limits) -> Workbook:
    text = _decode(data)
    try:
        records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
        return Workbook([_collect(CSV_SHEET, _Budget(limits).metered(records), _from_text, limits)])
    except csv.Error as error:
        raise SpreadsheetError(
            "The CSV file could not be read: a cell may be too long or a quotation mark not closed."
        ) from error


def _decode(data: bytes) -> str:
    """UTF-8 (with or without the BOM Excel's "CSV UTF-8" adds), else Windows-1252 (Excel's plain "CSV")."""
    if b"\x00" in data:
        raise SpreadsheetError(
            "The file is not a CSV file: it contains binary data. "
            "If it came from Excel, save it as ‘CSV UTF-8’ and upload that."
        )
    if data.startswith(codecs.BOM_UTF8):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("The CSV file's text could not be read. Save it as ‘CSV UTF-8’ and upload that.")


def _delimiter(text: str) -> str:
    """Comma, unless the first line has more semicolons (Excel in some European settings) or tabs."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    return max(DELIMITERS, key=first_line.count)  # max keeps the first, the comma, on a tie


def _collect(
    name: str, records: Iterable[Sequence[object]], convert: Callable[[object], CellValue], limits: Limits
) -> Sheet:
    """Rows of cells, refusing a sheet with a value beyond the row or column limit.

    Rows past the limit are still read, within the budget, to make sure they are empty: Excel keeps
    rows that are only formatted, and a sheet formatted a little way down is not refused for that.
    """
    rows: list[list[Cell]] = []
    for number, values in enumerate(records, start=1):
        values = _within_columns(name, values, limits)
        cells = [Cell(name, number, column, convert(value)) for column, value in enumerate(values, start=1)]
        while cells and cells[-1].value is None:
            cells.pop()
        if number > limits.max_rows:
            if cells:
                raise SpreadsheetError(f"{_describe(name)} has more than {limits.max_rows} rows: that is the limit.")
            continue
        rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()
    return Sheet(name, rows)


def _within_columns(name: str, values: Sequence[object], limits: Limits) -> Sequence[object]:
    if len(values) <= limits.max_columns:
        return values
    beyond = values[limits.max_columns :]
    # count() runs in C: a row padded out to column XFD by one formatted cell costs little to check.
    if beyond.count(None) < len(beyond) and any(_from_text(str(value)) for value in beyond if value is not None):
        raise SpreadsheetError(f"{_describe(name)} has more than {limits.max_columns} columns: that is the limit.")
    return values[: limits.max_columns]


def _describe(name: str) -> str:
    return "The CSV file" if name == CSV_SHEET else f"The sheet ‘{name}’"
