"""What a read spreadsheet is made of: workbooks, sheets and cells, and the errors that name them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from monitoring.core.numbers import parse_number

CellValue = str | Decimal | int | date | datetime | bool | None

# A CSV file has no sheets; its one sheet goes by this name, and its cells are described by row and column.
CSV_SHEET = "CSV"


class SpreadsheetError(Exception):
    """The whole file is unusable; `message` says why in words the person who uploaded it can act on."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Cell:
    """One cell as read: strings stripped ("" reads as None), numbers as exact Decimal or int."""

    sheet: str
    row: int
    column: int
    value: CellValue = None

    @property
    def ref(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"

    @property
    def where(self) -> str:
        if self.sheet == CSV_SHEET:
            return f"row {self.row}, column {get_column_letter(self.column)}"
        return f"sheet ‘{self.sheet}’, cell {self.ref}"


class CellError(Exception):
    """One cell holds something its reader cannot use; str() names the cell: "sheet ‘KPI’, cell C7: …"."""

    def __init__(self, cell: Cell, message: str) -> None:
        self.cell = cell
        self.message = message
        super().__init__(f"{cell.where}: {message}")


def _header_key(text: str) -> str:
    return "".join(text.split()).casefold()


@dataclass(frozen=True)
class Sheet:
    """A sheet's rows: rows[0] is row 1 and row[0] is column A; empty cells at the end of a row are trimmed."""

    name: str
    rows: list[list[Cell]]

    def cell(self, ref: str) -> Cell:
        """The cell at "B3"; an empty cell if that is beyond the data. A malformed ref is a ValueError."""
        row, column = coordinate_to_tuple(ref.strip().upper())
        if row <= len(self.rows) and column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return Cell(self.name, row, column, None)

    def find_header(self, *names: str) -> tuple[int, dict[str, int]] | None:
        """The first row holding all these column names, ignoring case and spaces, as (row, {name: column})."""
        wanted = {name: _header_key(name) for name in names}
        for number, cells in enumerate(self.rows, start=1):
            columns: dict[str, int] = {}
            for cell in cells:
                if cell.value is not None:
                    columns.setdefault(_header_key(str(cell.value)), cell.column)
            if all(key in columns for key in wanted.values()):
                return number, {name: columns[key] for name, key in wanted.items()}
        return None


@dataclass(frozen=True)
class Workbook:
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet | None:
        """The sheet of that name, whatever its case."""
        key = name.strip().casefold()
        return next((sheet for sheet in self.sheets if sheet.name.strip().casefold() == key), None)


def parse_decimal(cell: Cell) -> Decimal | None:
    """A cell's number as an exact Decimal, or None for a blank or a dash.

    Text may carry thousands commas, a £ sign, a trailing % (dropped: "82.3%" is 82.3) and accounting
    brackets for negatives ("(1,234)" is -1234). Anything else raises CellError("must be a number").
    """
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool | date):
        raise CellError(cell, "must be a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    if isinstance(value, Decimal) and value.is_finite():
        return value
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ValueError as error:
            raise CellError(cell, "must be a number") from error
    raise CellError(cell, "must be a number")
