"""Spreadsheets: trust staff upload returns as .xlsx or CSV and download templates; hostile files are refused."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import defusedxml
import openpyxl
import pytest
from openpyxl.styles import Font
from openpyxl.xml import functions as openpyxl_xml

from monitoring.core.spreadsheets import (
    LIMITS,
    Cell,
    CellError,
    Limits,
    SheetSpec,
    SpreadsheetError,
    parse_decimal,
    read_spreadsheet,
    safe_text,
    write_csv,
    write_xlsx,
)
from monitoring.core.spreadsheets.archive import MB

SHEET_PART = "xl/worksheets/sheet1.xml"
STRINGS_PART = "xl/sharedStrings.xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OOXML = "application/vnd.openxmlformats-officedocument"


def excel_file(rows: Sequence[Sequence[object]], title: str = "KPI return") -> bytes:
    """A workbook as openpyxl writes it, one sheet holding `rows` from A1."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, parts: dict[str, bytes | str]) -> bytes:
    """The same workbook with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


def sheet_xml(rows: str, prologue: str = "") -> str:
    body = f'<worksheet xmlns="{MAIN_NS}"><sheetData>{rows}</sheetData></worksheet>'
    return f'<?xml version="1.0" encoding="UTF-8"?>{prologue}{body}'


def with_sheet(rows: str, prologue: str = "") -> bytes:
    """A workbook whose first sheet's XML is written by hand, as an attacker or another program might."""
    return rezip(excel_file([["a shared string"]]), {SHEET_PART: sheet_xml(rows, prologue)})


def read_values(data: bytes, filename: str = "return.xlsx") -> list[list[object]]:
    return [[cell.value for cell in row] for row in read_spreadsheet(filename, data).sheets[0].rows]


def refused(filename: str, data: bytes, limits: Limits = LIMITS) -> str:
    with pytest.raises(SpreadsheetError) as caught:
        read_spreadsheet(filename, data, limits)
    assert str(caught.value) == caught.value.message
    return caught.value.message


# --- Reading what trust staff upload -------------------------------------------------------------------------------


def test_the_limits_are_five_megabytes_and_five_thousand_rows_of_a_hundred_columns() -> None:
    assert LIMITS == Limits(
        max_bytes=5 * MB, max_members=64, max_uncompressed=50 * MB, max_ratio=100, max_rows=5000, max_columns=100
    )


def test_an_exported_workbook_reads_back_with_exact_numbers_dates_and_text() -> None:
    rows = [
        ["Indicator", "Value", "Date"],
        ["Placement stability", Decimal("0.1"), date(2024, 3, 31)],
        ["Visits on time", Decimal("82.3"), datetime(2024, 3, 31, 14, 30)],
        ["Placements spend", Decimal("1630000.01"), None],
        ["Children in care", 412, True],
    ]
    data = write_xlsx([SheetSpec("KPI return", rows)])

    assert read_values(data) == [rows[0], rows[1], rows[2], rows[3][:2], rows[4]]  # trailing blank cells trimmed
    values = [row[1] for row in read_values(data)[1:4]]
    assert all(type(value) is Decimal for value in values)


def test_numbers_excel_saved_with_seventeen_digits_read_as_they_were_typed() -> None:
    # Excel saves 82.3 as 82.299999999999997; the shortest repr of that double is 82.3
    data = with_sheet(
        '<row r="1"><c r="A1"><v>82.299999999999997</v></c><c r="B1"><v>0.10000000000000001</v></c>'
        '<c r="C1"><v>1630000.01</v></c><c r="D1"><v>12</v></c></row>'
    )
    assert read_values(data) == [[Decimal("82.3"), Decimal("0.1"), Decimal("1630000.01"), 12]]
    assert type(read_values(data)[0][3]) is int


def test_text_is_stripped_and_blank_cells_read_as_none() -> None:
    data = excel_file([["  Code ", "   ", None, "Value"], [], [None, "kept"]])
    assert read_values(data) == [["Code", None, None, "Value"], [], [None, "kept"]]


def test_a_date_at_midnight_reads_as_a_date_and_a_moment_keeps_its_time() -> None:
    data = excel_file([[datetime(2024, 4, 1), datetime(2024, 4, 1, 9, 15)]])
    assert read_values(data) == [[date(2024, 4, 1), datetime(2024, 4, 1, 9, 15)]]


def test_formulas_are_not_worked_out_a_formula_never_calculated_by_excel_reads_as_none() -> None:
    data = excel_file([[1, 2, "=A1+B1"]])
    assert read_values(data) == [[1, 2]]

    calculated = with_sheet('<row r="1"><c r="A1"><f>1+2</f><v>3</v></c></row>')
    assert read_values(calculated) == [[3]]


def test_a_cell_is_named_by_its_sheet_and_reference() -> None:
    rows = [[None] * 2 + [f"row {n}"] for n in range(1, 8)] + [[None] * 26 + ["far"]]
    sheet = read_spreadsheet("return.xlsx", excel_file(rows)).sheets[0]

    assert sheet.cell("C7") == Cell("KPI return", 7, 3, "row 7")
    assert sheet.cell("c7").ref == "C7"
    assert sheet.cell("C7").where == "sheet ‘KPI return’, cell C7"
    assert sheet.cell("AA8").value == "far"
    assert sheet.cell("AA8").ref == "AA8"
    assert sheet.cell("Z100") == Cell("KPI return", 100, 26, None)
    with pytest.raises(ValueError):
        sheet.cell("seven")


def test_a_csv_cell_is_named_by_row_and_column() -> None:
    rows = "\r\n".join(f",,row {n}" for n in range(1, 8))
    sheet = read_spreadsheet("return.csv", rows.encode()).sheets[0]

    assert sheet.name == "CSV"
    assert sheet.cell("C7").value == "row 7"
    assert sheet.cell("C7").where == "row 7, column C"
    assert sheet.cell("D9").where == "row 9, column D"


def test_a_header_row_is_found_below_the_instructions_whatever_its_case_and_spacing() -> None:
    data = write_xlsx(
        [
            SheetSpec(
                "Finance",
                [["Line", "  Budget  £", "Forecast"], ["Placements", Decimal(1), Decimal(2)]],
                notes=["Fill in one row per care ladder line.", "Amounts in pounds."],
            )
        ]
    )
    sheet = read_spreadsheet("finance.xlsx", data).sheet("finance")

    assert sheet is not None
    assert sheet.find_header("line", "BUDGET £", "Forecast") == (4, {"line": 1, "BUDGET £": 2, "Forecast": 3})
    assert sheet.find_header("line", "Actual") is None


def test_sheets_are_found_by_name_whatever_the_case() -> None:
    book = openpyxl.Workbook()
    book.active.title = "Cover"
    book.create_sheet("KPI Return")["B2"] = "here"
    buffer = io.BytesIO()
    book.save(buffer)

    workbook = read_spreadsheet("return.xlsx", buffer.getvalue())
    assert [sheet.name for sheet in workbook.sheets] == ["Cover", "KPI Return"]
    assert workbook.sheet("kpi return").cell("B2").value == "here"
    assert workbook.sheet("Finance") is None


def test_a_csv_saved_by_excel_on_windows_reads_its_pound_signs() -> None:
    data = 'Line,Amount\r\nPlacements,"£1,630,000"\r\n'.encode("cp1252")
    sheet = read_spreadsheet("finance.csv", data).sheets[0]

    assert sheet.rows[1][1].value == "£1,630,000"
    assert parse_decimal(sheet.cell("B2")) == Decimal("1630000")


def test_a_csv_utf8_file_from_excel_has_its_byte_order_mark_dropped() -> None:
    data = "\ufeffIndicator,Value\r\nVisits on time,82.3\r\n".encode()
    sheet = read_spreadsheet("kpi.csv", data).sheets[0]

    assert sheet.find_header("Indicator", "Value") == (1, {"Indicator": 1, "Value": 2})
    assert [[cell.value for cell in row] for row in sheet.rows] == [["Indicator", "Value"], ["Visits on time", "82.3"]]


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_a_csv_with_semicolons_or_tabs_is_split_on_them(delimiter: str) -> None:
    data = f"Indicator{delimiter}Value\nVisits, on time{delimiter}82,3\n".encode()
    assert read_values(data, "kpi.csv") == [["Indicator", "Value"], ["Visits, on time", "82,3"]]


def test_csv_cells_are_text_stripped_with_blanks_as_none_and_trailing_blank_lines_dropped() -> None:
    data = b' Code , ,"quoted, with comma",\r\n\r\nA1,"two\nlines"\r\n\r\n,,\r\n'
    assert read_values(data, "kpi.csv") == [["Code", None, "quoted, with comma"], [], ["A1", "two\nlines"]]


# --- Files that are not what they claim ----------------------------------------------------------------------------


def test_a_pdf_renamed_to_xlsx_is_refused() -> None:
    message = refused("return.xlsx", b"%PDF-1.7 not a workbook")
    assert message.startswith("The file is not a real Excel workbook (.xlsx)")


def test_a_word_document_renamed_to_xlsx_is_refused() -> None:
    document = io.BytesIO()
    with zipfile.ZipFile(document, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    assert refused("return.xlsx", document.getvalue()).startswith("The file is not a real Excel workbook (.xlsx)")


def test_an_old_xls_workbook_is_refused_with_how_to_save_it() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    assert "save it as an Excel Workbook (.xlsx) or CSV" in refused("return.xls", ole)
    # renamed, or a workbook with a password to open it, which Excel also saves in this container
    assert "(.xls) or has a password" in refused("return.xlsx", ole)
    assert "(.xls) or has a password" in refused("return.csv", ole)


def test_a_workbook_with_macros_is_refused_by_its_name_or_its_content() -> None:
    workbook = excel_file([["Code"]])
    assert refused("return.xlsm", workbook).startswith("Workbooks with macros (.xlsm) are not accepted")

    with_macros = rezip(workbook, {"xl/vbaProject.bin": b"\x00VBA"})
    assert refused("return.xlsx", with_macros).startswith("Workbooks with macros")

    types = zipfile.ZipFile(io.BytesIO(workbook)).read("[Content_Types].xml").decode()
    macro_types = types.replace("sheet.main+xml", "sheet.macroEnabled.main+xml")
    assert macro_types != types
    assert refused("return.xlsx", rezip(workbook, {"[Content_Types].xml": macro_types})).startswith(
        "Workbooks with macros"
    )


@pytest.mark.parametrize("filename", ["return.pdf", "return.docx", "return.ods"])
def test_other_kinds_of_file_are_refused_by_name(filename: str) -> None:
    message = refused(filename, excel_file([["Code"]]))
    assert message == "The file must be an Excel workbook (.xlsx) or a CSV file (.csv)."


def test_a_workbook_renamed_to_csv_is_read_as_the_workbook_it_is() -> None:
    assert read_values(excel_file([["Code", 1]]), "return.csv") == [["Code", 1]]


def test_an_empty_file_is_refused() -> None:
    assert refused("return.csv", b"") == "The file is empty."


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"Code,Value\r\nA\x00,1\r\n", "contains binary data"),
        ("Code,Value\r\n".encode("utf-16"), "contains binary data"),  # Excel's "Unicode text"
        (b"Code,Value\r\n\x81\x8d,1\r\n", "text could not be read"),  # neither UTF-8 nor Windows-1252
        (b"\xef\xbb\xbfCode,\xff\r\n", "text could not be read"),  # says UTF-8 and is not
        (b'Code,"' + b"x" * 200_000 + b'"\r\n', "a cell may be too long"),
    ],
)
def test_a_csv_that_is_not_text_is_refused(data: bytes, words: str) -> None:
    assert words in refused("return.csv", data)


def test_a_damaged_workbook_is_refused_in_plain_words() -> None:
    workbook = excel_file([["Code"]])
    broken_xml = rezip(workbook, {SHEET_PART: "<worksheet><sheetData><row>"})
    truncated = workbook[: len(workbook) // 2]
    for data in (broken_xml, truncated):
        assert refused("return.xlsx", data).startswith("The workbook could not be read: it may be damaged.")


# --- Files built to harm the server --------------------------------------------------------------------------------


def test_a_file_over_five_megabytes_is_refused_before_it_is_opened() -> None:
    assert refused("return.xlsx", b"PK\x03\x04" + bytes(5 * MB)) == "The file is too large: the limit is 5 MB."


def zip_with_zeros(megabytes: int) -> bytes:
    """A tiny zip holding a sheet part of `megabytes` of zeros: the classic zip bomb."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(SHEET_PART, "w") as part:
            chunk = bytes(MB)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_without_being_unpacked() -> None:
    bomb = zip_with_zeros(60)
    assert len(bomb) < 100_000
    assert refused("return.xlsx", bomb).startswith("The workbook is unusually compressed and was not opened.")


def test_a_part_that_unpacks_a_thousand_fold_is_refused_even_under_the_size_limit() -> None:
    assert refused("return.xlsx", zip_with_zeros(10)).startswith("The workbook is unusually compressed")


def test_a_workbook_that_unpacks_beyond_the_limit_is_refused() -> None:
    noise = random.Random(7).randbytes(300_000)  # does not compress at all
    data = rezip(excel_file([["Code"]]), {"xl/media/image1.png": noise})
    message = refused("return.xlsx", data, Limits(max_uncompressed=256 * 1024))
    assert message == "The workbook is too large once unpacked (the limit is 256 KB) and was not opened."


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    extra = {f"xl/media/image{n}.png": b"png" for n in range(60)}
    message = refused("return.xlsx", rezip(excel_file([["Code"]]), extra))
    assert message.startswith("The workbook has too many parts (")
    assert message.endswith("the limit is 64) and was not opened.")


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/evil", "/etc/passwd", "xl/../../evil.xml", "C:/evil.xml", "xl\\evil"]
)
def test_a_part_named_to_escape_its_folder_is_refused(name: str) -> None:
    data = rezip(excel_file([["Code"]]), {name: b"<x/>"})
    assert refused("return.xlsx", data).startswith("The workbook contains a part with an unexpected name")


# Nine levels of ten: &lol9; would expand to a thousand million "lol"s.
ENTITY_BOMB = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def inline_text_row(text: str) -> str:
    return f'<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'


def with_shared_strings(prologue: str, text: str) -> bytes:
    """A workbook keeping its text in a shared-strings part, as Excel saves it (openpyxl writes text inline)."""
    plain = excel_file([["x"]])
    types = zipfile.ZipFile(io.BytesIO(plain)).read("[Content_Types].xml").decode()
    override = f'<Override PartName="/{STRINGS_PART}" ContentType="{OOXML}.spreadsheetml.sharedStrings+xml"/>'
    strings = f'<?xml version="1.0"?>{prologue}<sst xmlns="{MAIN_NS}"><si><t>{text}</t></si></sst>'
    return rezip(
        plain,
        {
            "[Content_Types].xml": types.replace("</Types>", override + "</Types>"),
            STRINGS_PART: strings,
            SHEET_PART: sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
        },
    )


def attacked_workbooks() -> dict[str, bytes]:
    utf16_bomb = sheet_xml(inline_text_row("&lol9;"), ENTITY_BOMB).replace("UTF-8", "UTF-16").encode("utf-16")
    return {
        "billion laughs in the sheet": with_sheet(inline_text_row("&lol9;"), ENTITY_BOMB),
        "external entity in the sheet": with_sheet(inline_text_row("&xxe;"), EXTERNAL_ENTITY),
        "billion laughs in the shared strings": with_shared_strings(ENTITY_BOMB, "&lol9;"),
        "external entity in the shared strings": with_shared_strings(EXTERNAL_ENTITY, "&xxe;"),
        "billion laughs spelt in UTF-16": rezip(excel_file([["x"]]), {SHEET_PART: utf16_bomb}),
    }


def test_text_kept_in_shared_strings_as_excel_saves_it_is_read() -> None:
    assert read_values(with_shared_strings("", " Visits on time ")) == [["Visits on time"]]


@pytest.mark.parametrize("attack", list(attacked_workbooks()))
def test_a_workbook_declaring_xml_entities_is_refused_unexpanded_and_nothing_is_read_from_disk(attack: str) -> None:
    data = attacked_workbooks()[attack]
    message = refused("return.xlsx", data)
    assert message.startswith("The workbook contains a document type declaration")
    assert "root:" not in message


def causes(error: BaseException | None) -> list[BaseException]:
    found = []
    while error is not None:
        found.append(error)
        error = error.__cause__ or error.__context__
    return found


def test_even_without_our_check_openpyxl_refuses_entities_because_it_parses_with_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True
    for attack, data in attacked_workbooks().items():
        with pytest.raises(ValueError) as caught:  # openpyxl wraps defusedxml's error in its own ValueError
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            cells = [value for row in book.worksheets[0].iter_rows(values_only=True) for value in row]
            assert not any("root:" in str(value) for value in cells), attack
        assert any(isinstance(error, defusedxml.EntitiesForbidden) for error in causes(caught.value)), attack


def test_a_server_where_openpyxl_lost_defusedxml_refuses_to_read_workbooks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(openpyxl_xml, "iterparse", ElementTree.iterparse)
    with pytest.raises(RuntimeError, match="defusedxml"):
        read_spreadsheet("return.xlsx", excel_file([["Code"]]))
    assert read_values(b"Code\r\n", "return.csv") == [["Code"]]


def test_a_document_type_declaration_is_refused_even_without_entities() -> None:
    data = with_sheet(inline_text_row("x"), '<!DOCTYPE worksheet SYSTEM "http://x/y.dtd">')
    assert refused("return.xlsx", data).startswith("The workbook contains a document type declaration")


def test_a_sheet_with_data_beyond_the_row_limit_is_refused_naming_the_sheet() -> None:
    limits = Limits(max_rows=10)
    assert len(read_spreadsheet("kpi.xlsx", excel_file([[n] for n in range(10)]), limits).sheets[0].rows) == 10

    message = refused("kpi.xlsx", excel_file([[n] for n in range(11)]), limits)
    assert message == "The sheet ‘KPI return’ has more than 10 rows: that is the limit."
    assert refused("kpi.csv", b"1\n" * 11, limits) == "The CSV file has more than 10 rows: that is the limit."


def test_a_sheet_with_data_beyond_the_column_limit_is_refused_naming_the_sheet() -> None:
    limits = Limits(max_columns=5)
    message = refused("kpi.xlsx", excel_file([[1, 2, 3, 4, 5, 6]]), limits)
    assert message == "The sheet ‘KPI return’ has more than 5 columns: that is the limit."
    assert refused("kpi.csv", b"1,2,3,4,5,6\r\n", limits) == "The CSV file has more than 5 columns: that is the limit."


def test_cells_only_formatted_beyond_the_limits_do_not_count_as_data() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Code"
    sheet["H1"].font = Font(bold=True)  # Excel keeps cells like these after their contents are deleted
    sheet["A20"].font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    assert "H1" in zipfile.ZipFile(buffer).read(SHEET_PART).decode()

    assert read_values(buffer.getvalue()) == [["Code"]]
    sheet = read_spreadsheet("return.xlsx", buffer.getvalue(), Limits(max_rows=10, max_columns=5)).sheets[0]
    assert [[cell.value for cell in row] for row in sheet.rows] == [["Code"]]


def test_a_small_file_claiming_a_million_formatted_rows_or_columns_is_refused_quickly() -> None:
    wide = "".join(f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(1, 20_001))
    deep = inline_text_row("Code") + '<row r="1048576"><c r="A1048576" s="0"/></row>'
    for rows in (wide, deep):
        assert refused("return.xlsx", with_sheet(rows)).startswith("The file is too large to read")


def test_a_csv_of_endless_blank_lines_is_refused_quickly() -> None:
    assert refused("return.csv", b"Code\r\n" + b",\r\n" * 100_000).startswith("The file is too large to read")


# --- Parsing numbers from cells ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "number"),
    [
        ("1,234.50", Decimal("1234.50")),
        ("£1,630,000", Decimal("1630000")),
        ("£ 1,630,000.01", Decimal("1630000.01")),
        ("-£5.25", Decimal("-5.25")),
        ("82.3%", Decimal("82.3")),
        ("(1,234)", Decimal("-1234")),
        ("(£1,234.56)", Decimal("-1234.56")),
        ("\u22127", Decimal("-7")),  # the minus sign Word and web pages use
        (" 42 ", Decimal("42")),
        (".5", Decimal("0.5")),
        ("1.5E+3", Decimal("1.5E+3")),
        ("0.1", Decimal("0.1")),
        ("12345678901234567890123456789.123", Decimal("12345678901234567890123456789.123")),
        ("-", None),
        ("–", None),
        ("", None),
        (None, None),
        (Decimal("82.3"), Decimal("82.3")),
        (7, Decimal("7")),
    ],
)
def test_numbers_are_read_from_cells_as_people_type_them(value: object, number: Decimal | None) -> None:
    parsed = parse_decimal(Cell("CSV", 2, 2, value))
    assert parsed == number
    assert parsed is None or (type(parsed) is Decimal and str(parsed) == str(number))


@pytest.mark.parametrize(
    "value",
    ["abc", "1,23", "12.3.4", "£", "1 234", "(-5)", "(5", "5)", "nan", "Infinity", "1e", "£5£", "5-"]
    + [True, date(2024, 1, 1)],
)
def test_anything_else_in_a_number_cell_names_the_cell(value: object) -> None:
    with pytest.raises(CellError) as caught:
        parse_decimal(Cell("KPI return", 7, 3, value))
    assert caught.value.message == "must be a number"
    assert caught.value.cell.ref == "C7"
    assert str(caught.value) == "sheet ‘KPI return’, cell C7: must be a number"


def test_a_number_error_in_a_csv_names_the_row_and_column() -> None:
    sheet = read_spreadsheet("kpi.csv", b"Code,Value\r\nA1,lots\r\n").sheets[0]
    with pytest.raises(CellError, match=r"^row 2, column B: must be a number$"):
        parse_decimal(sheet.cell("B2"))


# --- Writing templates and exports ---------------------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://evil.example","Click")', "+1", "-2", "@SUM(1)", "\t=1"]


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-", "'-"),
        ("@mention", "'@mention"),
        ("\t=1", "'\t=1"),
        ("Tom\x00\x07 Smith\x1f", "Tom Smith"),
        ("\x01=cmd", "'=cmd"),  # stripping cannot uncover a formula
        ("two\nlines\tand tab", "two\nlines\tand tab"),
        ("Placements", "Placements"),
        (Decimal("-5"), Decimal("-5")),
        (-5, -5),
        (None, None),
    ],
)
def test_text_that_excel_would_run_as_a_formula_is_made_plain(value: object, safe: object) -> None:
    assert safe_text(value) == safe


def test_an_exported_workbook_never_holds_a_formula_from_the_data() -> None:
    data = write_xlsx([SheetSpec("Export", [["Comment", "Change"], *[[text, Decimal("-2")] for text in INJECTIONS]])])

    cells = [row for row in openpyxl.load_workbook(io.BytesIO(data))["Export"].iter_rows(min_row=2)]
    assert [row[0].value for row in cells] == ["'" + text for text in INJECTIONS]
    assert {row[0].data_type for row in cells} == {"s"}
    assert {row[1].value for row in cells} == {-2}
    assert {row[1].data_type for row in cells} == {"n"}
    assert [row[0] for row in read_values(data)[1:]] == ["'" + text for text in INJECTIONS]


def test_an_exported_csv_never_holds_a_formula_from_the_data() -> None:
    injections = [*INJECTIONS, "\r=1"]
    data = write_csv([["Comment", "Change"], *[[text, Decimal("-2")] for text in injections]])

    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + text for text in injections]
    assert {row[1] for row in rows[1:]} == {"-2"}


def test_control_characters_are_stripped_from_exports_instead_of_failing() -> None:
    rows = [["Name"], ["Tom\x00 Smith\x0b"], [Decimal("1")]]
    assert read_values(write_xlsx([SheetSpec("People", rows)])) == [["Name"], ["Tom Smith"], [1]]
    assert write_csv(rows) == "\ufeffName\r\nTom Smith\r\n1\r\n".encode()


def test_an_exported_csv_opens_cleanly_in_excel() -> None:
    data = write_csv(
        [
            ["Line", "Amount", "Due", "Sent", "Done", "Note"],
            ["Placements", Decimal("1630000.01"), date(2024, 3, 31), datetime(2024, 7, 1, 8, 5, tzinfo=UTC), True],
            ["Big", Decimal("1E+3"), None, None, False, 'says "hi", twice'],
        ]
    )
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n") == [
        "Line,Amount,Due,Sent,Done,Note",
        "Placements,1630000.01,2024-03-31,2024-07-01 09:05,TRUE",  # in London time (BST)
        'Big,1000,,,FALSE,"says ""hi"", twice"',
        "",
    ]
    back = read_spreadsheet("export.csv", data).sheets[0]
    assert parse_decimal(back.cell("B2")) == Decimal("1630000.01")


def test_a_template_has_instructions_a_bold_frozen_header_widths_and_uk_dates() -> None:
    spec = SheetSpec(
        "KPI return: Q1/2024",
        [["Indicator", "Value", "Due"], ["Visits on time", None, date(2024, 4, 30)]],
        column_widths=[40, 12, 14],
        notes=["Enter each value as a number."],
    )
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx([spec, SheetSpec("Notes", [])]))).worksheets[0]

    assert sheet.title == "KPI return- Q1-2024"
    assert sheet["A1"].value == "Enter each value as a number."
    assert sheet["A2"].value is None
    assert [cell.value for cell in sheet[3]] == ["Indicator", "Value", "Due"]
    assert all(cell.font.bold for cell in sheet[3])
    assert not sheet["A4"].font.bold
    assert sheet.freeze_panes == "A4"
    assert sheet["C4"].number_format == "dd/mm/yyyy"
    assert [sheet.column_dimensions[letter].width for letter in "ABC"] == [40, 12, 14]


def test_a_moment_is_exported_in_london_time_for_excel_which_has_no_time_zones() -> None:
    data = write_xlsx([SheetSpec("Log", [["Sent"], [datetime(2024, 7, 1, 9, 5, tzinfo=UTC)]])])
    assert read_values(data) == [["Sent"], [datetime(2024, 7, 1, 10, 5)]]
