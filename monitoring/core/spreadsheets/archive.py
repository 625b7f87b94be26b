"""Checks an uploaded .xlsx passes before openpyxl opens it: size, zip bombs, member names, macros, DTDs.

An .xlsx is a zip of XML parts. These checks use only the zip's directory and a streaming XML pass,
so a hostile file is refused before anything large is unpacked or any entity is expanded.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath
from typing import IO
from xml.parsers import expat

import defusedxml.ElementTree
from openpyxl.xml import functions as openpyxl_xml

from .cells import SpreadsheetError

KB = 1024
MB = 1024 * KB


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 5 * MB  # the uploaded file
    max_members: int = 64  # parts inside an .xlsx
    max_uncompressed: int = 50 * MB  # all parts, unpacked
    max_ratio: int = 100  # unpacked size ÷ packed size, per part
    max_rows: int = 5000  # per sheet, counting to the last row that holds a value
    max_columns: int = 100  # per sheet, counting to the last column that holds a value


LIMITS = Limits()

# Parts smaller than this are not judged by their compression ratio: a small part cannot be a bomb,
# and short, repetitive XML (an empty sheet, a styles part) compresses far better than 100 to 1.
RATIO_FLOOR = 1 * MB
XML_SUFFIXES = (".xml", ".rels", ".vml")
REQUIRED = ("[Content_Types].xml", "xl/workbook.xml")

MACROS = "Workbooks with macros (.xlsm) are not accepted. Save it as an Excel Workbook (.xlsx) and upload that."
NOT_A_WORKBOOK = (
    "The file is not a real Excel workbook (.xlsx): it may be another kind of file that was renamed. "
    "Open it in Excel, save it as an Excel Workbook (.xlsx) or CSV, and upload that."
)
DAMAGED = "The workbook could not be read: it may be damaged. Open it in Excel, save it again and upload that."
SAVE_AGAIN = "If it is a genuine return, open it in Excel, save it again and upload that."


def describe_size(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else f"{max(size // KB, 1)} KB"


def check_size(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise SpreadsheetError(f"The file is too large: the limit is {describe_size(limits.max_bytes)}.")
    if not data:
        raise SpreadsheetError("The file is empty.")


def require_defused_openpyxl() -> None:
    """openpyxl parses sheets with defusedxml only if it is installed and OPENPYXL_DEFUSEDXML allows it."""
    if openpyxl_xml.iterparse is not defusedxml.ElementTree.iterparse:
        raise RuntimeError("openpyxl is not parsing with defusedxml: install it, and do not set OPENPYXL_DEFUSEDXML")


def check_workbook_archive(data: bytes, limits: Limits) -> None:
    """Raise SpreadsheetError unless `data` is a zip that looks like an ordinary, macro-free .xlsx."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            _check_directory(infos, limits)
            names = {info.filename for info in infos}
            if not all(name in names for name in REQUIRED):
                raise SpreadsheetError(NOT_A_WORKBOOK)
            for info in infos:
                if info.filename.lower().endswith(XML_SUFFIXES):
                    with archive.open(info) as stream:
                        _refuse_document_type(stream)
            if "xl/vbaProject.bin" in names or b"macroenabled" in archive.read(REQUIRED[0]).lower():
                raise SpreadsheetError(MACROS)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as error:
        raise SpreadsheetError(DAMAGED) from error


def _check_directory(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Judge the zip by its directory alone: nothing is unpacked yet."""
    if len(infos) > limits.max_members:
        raise SpreadsheetError(
            f"The workbook has too many parts ({len(infos)}; the limit is {limits.max_members}) and was not opened."
        )
    if any(_unsafe_name(info.filename) for info in infos) or len({i.filename for i in infos}) < len(infos):
        raise SpreadsheetError(f"The workbook contains a part with an unexpected name and was not opened. {SAVE_AGAIN}")
    if any(info.flag_bits & 0x1 for info in infos):
        raise SpreadsheetError(
            "The workbook is encrypted and could not be opened. Remove its password in Excel and upload it again."
        )
    if any(info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for info in infos):
        raise SpreadsheetError(DAMAGED)
    if any(_overcompressed(info, limits) for info in infos):
        raise SpreadsheetError(f"The workbook is unusually compressed and was not opened. {SAVE_AGAIN}")
    if sum(info.file_size for info in infos) > limits.max_uncompressed:
        raise SpreadsheetError(
            f"The workbook is too large once unpacked (the limit is {describe_size(limits.max_uncompressed)}) "
            "and was not opened."
        )


def _unsafe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\x00" in name
        or ".." in parts
        or (bool(parts) and ":" in parts[0])
    )


def _overcompressed(info: zipfile.ZipInfo, limits: Limits) -> bool:
    return info.file_size >= RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1)


class _DocumentType(Exception):
    pass


def _refuse_document_type(stream: IO[bytes]) -> None:
    """Parse one XML part, refusing it at the first <!DOCTYPE: an ordinary .xlsx never has one, and the
    billion-laughs and external-entity attacks need one. expat reads the part's own encoding, so a
    declaration spelt in UTF-16 is caught too; with no handlers but these, nothing else is built."""
    parser = expat.ParserCreate()

    def refuse(*_: object) -> None:
        raise _DocumentType

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        for chunk in _chunks(stream):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DocumentType:
        raise SpreadsheetError(
            f"The workbook contains a document type declaration, which uploaded workbooks may not have, "
            f"and was not opened. {SAVE_AGAIN}"
        ) from None
    except expat.ExpatError as error:
        raise SpreadsheetError(DAMAGED) from error


def _chunks(stream: IO[bytes], size: int = 64 * KB) -> Iterable[bytes]:
    while chunk := stream.read(size):
        yield chunk
