"""Safe reading and writing of spreadsheets (.xlsx and CSV); what the cells mean is for other code.

read_spreadsheet() gives a Workbook or raises SpreadsheetError saying why the file cannot be used;
parse_decimal(sheet.cell("C7")) gives a Decimal or raises CellError naming the cell. write_xlsx() and
write_csv() pass every piece of text through safe_text(), so nothing exported runs as a formula.
"""

from __future__ import annotations

from .archive import LIMITS, Limits
from .cells import Cell, CellError, Sheet, SpreadsheetError, Workbook, parse_decimal
from .reading import read_spreadsheet
from .writing import SheetSpec, safe_text, write_csv, write_xlsx

__all__ = [
    "LIMITS",
    "Cell",
    "CellError",
    "Limits",
    "Sheet",
    "SheetSpec",
    "SpreadsheetError",
    "Workbook",
    "parse_decimal",
    "read_spreadsheet",
    "safe_text",
    "write_csv",
    "write_xlsx",
]
