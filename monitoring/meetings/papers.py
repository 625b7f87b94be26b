"""Meeting papers: checked by size and by content as well as name, stored outside static/ under
random names, and read back only through a permission-checked download."""

from __future__ import annotations

import secrets
import unicodedata
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import IO, Any

from flask import current_app

from monitoring.core.errors import InvalidInput
from monitoring.extensions import db
from monitoring.meetings.models import AgendaItem, Paper
from monitoring.meetings.operations import ensure_open

MIB = 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument"
# Extension → (content type, the member an Office file of that kind must contain; None for PDF).
ALLOWED: dict[str, tuple[str, str | None]] = {
    ".pdf": ("application/pdf", None),
    ".docx": (f"{OOXML}.wordprocessingml.document", "word/document.xml"),
    ".xlsx": (f"{OOXML}.spreadsheetml.sheet", "xl/workbook.xml"),
    ".pptx": (f"{OOXML}.presentationml.presentation", "ppt/presentation.xml"),
}
TYPE_WORDS = "a PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file"
MAX_ZIP_MEMBERS = 5000
MAX_ZIP_UNPACKED = 200 * MIB


def papers_dir() -> Path:
    path = Path(current_app.config["PAPERS_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def max_bytes() -> int:
    return int(current_app.config["PAPER_MAX_MB"] * MIB)


def clean_filename(name: str) -> str:
    """The name to offer when downloading: no folders, no control characters, not too long."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in unicodedata.normalize("NFC", base) if unicodedata.category(ch)[0] != "C")
    base = base.replace('"', "").strip(" .")
    if len(base) > 150:
        stem, dot, ext = base.rpartition(".")
        base = stem[: 150 - len(ext) - 1] + dot + ext if dot else base[:150]
    return base


def _is_office_file(data: bytes, member: str) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_UNPACKED:
                return False
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and member in names


def content_problem(filename: str, data: bytes) -> str | None:
    """Why these bytes are not an acceptable paper called `filename`, or None."""
    extension = PurePosixPath(filename.lower()).suffix
    if extension not in ALLOWED:
        return f"The paper must be {TYPE_WORDS}"
    if not data:
        return "The selected file is empty"
    _, member = ALLOWED[extension]
    genuine = data.startswith(b"%PDF-") if member is None else _is_office_file(data, member)
    if not genuine:
        return f"The file is not really a {extension[1:].upper()} file: the paper must be {TYPE_WORDS}"
    return None


def _read_limited(stream: IO[bytes], limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InvalidInput({"paper": f"The paper must be smaller than {limit // MIB} MB"})
    return data


def store_paper(item: AgendaItem, upload: Any, user: Any = None) -> Paper:
    """Check and keep an uploaded file (a werkzeug FileStorage) as a paper for an agenda item."""
    ensure_open(item.meeting, "add papers")
    if upload is None or not getattr(upload, "filename", ""):
        raise InvalidInput({"paper": "Select a file"})
    filename = clean_filename(upload.filename)
    data = _read_limited(upload.stream, max_bytes())
    problem = content_problem(filename, data)
    if problem:
        raise InvalidInput({"paper": problem})
    extension = PurePosixPath(filename.lower()).suffix
    stored_name = secrets.token_hex(20) + extension
    path = papers_dir() / stored_name
    path.write_bytes(data)
    try:
        paper = Paper(
            contract_id=item.contract_id,
            filename=filename,
            stored_name=stored_name,
            content_type=ALLOWED[extension][0],
            size_bytes=len(data),
            uploaded_by_id=getattr(user, "id", None),
        )
        item.papers.append(paper)
        db.session.flush()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return paper


def path_of(paper: Paper) -> Path | None:
    path = papers_dir() / paper.stored_name
    return path if path.is_file() else None


def delete_file(stored_name: str) -> None:
    (papers_dir() / stored_name).unlink(missing_ok=True)


def remove_paper(paper: Paper) -> None:
    ensure_open(paper.item.meeting, "remove papers")
    stored_name = paper.stored_name
    paper.item.papers.remove(paper)
    db.session.flush()
    delete_file(stored_name)
