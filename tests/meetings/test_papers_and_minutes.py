"""Papers (checked, stored safely, downloaded by permitted people only) and minutes (approved at a
later meeting, then locked; corrections are new revisions)."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from monitoring.accounts.models import Role
from monitoring.core.errors import InvalidInput
from monitoring.core.timeutil import london_today
from monitoring.extensions import db
from monitoring.meetings import operations, outcomes, papers
from monitoring.meetings.models import MinutesRevision, Paper

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def office_file(member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<document/>")
    return buffer.getvalue()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def setting(f):
    contract = f.create_contract(with_scope=True)
    joint = f.create_meeting_type(contract)
    meeting = f.create_meeting(joint, london_today() + timedelta(days=10))
    return contract, meeting, f.create_item(meeting, "Finance and the care ladder")


def upload(client, contract, item, data: bytes, filename: str):
    return client.post(
        f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/papers",
        data={"paper": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


@pytest.mark.parametrize(
    ("filename", "data", "content_type"),
    [
        ("Q2 finance report.pdf", PDF, "application/pdf"),
        (
            "care ladder.xlsx",
            office_file("xl/workbook.xml"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (
            "report.docx",
            office_file("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_a_paper_is_stored_under_a_random_name_and_downloaded_as_an_attachment(
    f, login, app, setting, filename, data, content_type
) -> None:
    contract, _, item = setting
    response = upload(login(f.create_user(Role.COMMISSIONER, contract)), contract, item, data, filename)
    assert response.status_code == 302
    paper = db.session.scalar(select(Paper))
    assert paper.filename == filename and paper.content_type == content_type
    stored = Path(app.config["PAPERS_DIR"]) / paper.stored_name
    assert stored.read_bytes() == data
    assert filename.split(".")[0] not in paper.stored_name
    assert "static" not in str(stored)

    download = login(f.create_user(Role.TRUST_OFFICER, contract)).get(f"/contracts/{contract.id}/papers/{paper.id}")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Content-Type"].startswith(content_type)


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        (
            "minutes.exe",
            b"MZ\x90\x00",
            "The paper must be a PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file",
        ),
        ("notes.txt", b"plain text", "The paper must be a PDF, Word (.docx), Excel (.xlsx) or PowerPoint (.pptx) file"),
        ("report.pdf", b"MZ\x90\x00 a program renamed", "The file is not really a PDF file"),
        ("report.docx", PDF, "The file is not really a DOCX file"),
        ("report.xlsx", office_file("word/document.xml"), "The file is not really a XLSX file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_paper_of_the_wrong_type_is_refused_by_name_or_content(
    f, login, app, setting, filename, data, message
) -> None:
    contract, _, item = setting
    before = set(Path(app.config["PAPERS_DIR"]).iterdir())
    response = upload(login(f.create_user(Role.COMMISSIONER, contract)), contract, item, data, filename)
    assert response.status_code == 400
    assert message in response.text
    assert 'href="#paper"' in response.text
    assert count(Paper) == 0
    assert set(Path(app.config["PAPERS_DIR"]).iterdir()) == before


def test_an_oversized_paper_is_refused_and_nothing_is_kept(f, login, app, setting) -> None:
    contract, _, item = setting
    before = set(Path(app.config["PAPERS_DIR"]).iterdir())
    big = PDF + b"0" * (app.config["PAPER_MAX_MB"] * 1024 * 1024)
    response = upload(login(f.create_user(Role.COMMISSIONER, contract)), contract, item, big, "big.pdf")
    assert response.status_code == 400
    assert f"The paper must be smaller than {app.config['PAPER_MAX_MB']} MB" in response.text
    assert count(Paper) == 0
    assert set(Path(app.config["PAPERS_DIR"]).iterdir()) == before


def test_no_file_chosen(f, login, setting) -> None:
    contract, _, item = setting
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(f"/contracts/{contract.id}/meetings/{item.meeting_id}/items/{item.id}/papers", data={})
    assert response.status_code == 400 and "Select a file" in response.text


def test_papers_are_for_the_contracts_people_only(f, login, setting) -> None:
    contract, _, item = setting
    paper = f.create_paper(item)
    url = f"/contracts/{contract.id}/papers/{paper.id}"
    assert login(f.create_user(Role.DIRECTOR, contract)).get(url).status_code == 200
    assert login(f.create_user(Role.SCRUTINY, contract)).get(url).status_code == 403
    outsider = f.create_user(Role.COMMISSIONER, f.create_contract())
    assert login(outsider).get(url).status_code == 404
    other_contract = outsider.contracts[0]
    assert login(outsider).get(f"/contracts/{other_contract.id}/papers/{paper.id}").status_code == 404
    assert upload(login(f.create_user(Role.TRUST_OFFICER, contract)), contract, item, PDF, "x.pdf").status_code == 403


def test_file_names_are_cleaned() -> None:
    assert papers.clean_filename("C:\\Users\\me\\Q2 report.pdf") == "Q2 report.pdf"
    assert papers.clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert papers.clean_filename('bad"name\x00.pdf') == "badname.pdf"
    assert len(papers.clean_filename("a" * 300 + ".pdf")) == 150


# --- Minutes -----------------------------------------------------------------------------------


@pytest.fixture
def held(f):
    """Two meetings that have taken place, and one to come."""
    contract = f.create_contract(with_scope=True)
    joint = f.create_meeting_type(contract)
    today = london_today()
    return (
        contract,
        f.create_meeting(joint, today - timedelta(days=60)),
        f.create_meeting(joint, today - timedelta(days=30)),
        f.create_meeting(joint, today + timedelta(days=5)),
    )


def test_minutes_are_approved_at_a_later_meeting_then_locked_and_corrected_by_revision(f, login, held) -> None:
    contract, first, second, future = held
    commissioner = f.create_user(Role.COMMISSIONER, contract)
    client = login(commissioner)
    base = f"/contracts/{contract.id}/meetings/{first.id}/minutes"
    assert client.post(base, data={"text": "Present: all. Finance noted."}).status_code == 302
    assert client.post(base, data={"text": "Present: all. Finance report noted."}).status_code == 302
    assert count(MinutesRevision) == 1  # the draft was edited, not copied

    refused = client.post(base + "/approve", data={"approve-at_meeting_id": str(future.id)})
    assert refused.status_code == 400
    assert "has not taken place yet" in refused.text
    assert client.post(base + "/approve", data={"approve-at_meeting_id": str(second.id)}).status_code == 302
    db.session.refresh(first)
    assert first.is_locked and first.approved_minutes.approved_at_meeting_id == second.id

    # Locked: the agenda and outcomes of the meeting cannot change…
    item = f.create_item(first, "Finance")
    with pytest.raises(InvalidInput):
        outcomes.record_outcome(item, outcomes.OutcomeKind.NOTED, "late")
    with pytest.raises(InvalidInput):
        operations.add_agenda_item(first, title="Afterthought")
    # …and a correction needs a reason and becomes revision 2, with revision 1 still readable.
    no_reason = client.post(base, data={"text": "Present: all but one.", "reason": ""})
    assert no_reason.status_code == 400 and "Enter why the approved minutes are being corrected" in no_reason.text
    assert (
        client.post(base, data={"text": "Present: all but one.", "reason": "Apologies were missed"}).status_code == 302
    )
    revisions = db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.number)).all()
    assert [(r.number, r.is_approved) for r in revisions] == [(1, True), (2, False)]
    assert revisions[0].text == "Present: all. Finance report noted."
    page = client.get(f"/contracts/{contract.id}/meetings/{first.id}").text
    assert "Present: all. Finance report noted." in page and "Present: all but one." in page
    assert "Apologies were missed" in page


def test_the_trust_is_refused_the_minutes_form(f, login, held) -> None:
    contract, first, *_ = held
    client = login(f.create_user(Role.TRUST_OFFICER, contract))
    assert client.get(f"/contracts/{contract.id}/meetings/{first.id}/minutes").status_code == 403
    assert (
        client.post(f"/contracts/{contract.id}/meetings/{first.id}/minutes", data={"text": "Ours"}).status_code == 403
    )
    assert count(MinutesRevision) == 0


def test_empty_minutes_and_minutes_of_a_cancelled_meeting_are_refused(f, login, held) -> None:
    contract, first, second, _ = held
    client = login(f.create_user(Role.COMMISSIONER, contract))
    response = client.post(f"/contracts/{contract.id}/meetings/{first.id}/minutes", data={"text": " "})
    assert response.status_code == 400 and "Enter the minutes" in response.text
    operations.cancel_meeting(second, "No quorum")
    with pytest.raises(InvalidInput):
        operations.save_minutes(second, text="Nothing")
    assert count(MinutesRevision) == 0


def test_attendance_and_apologies(f, login, held) -> None:
    contract, first, *_ = held
    client = login(f.create_user(Role.COMMISSIONER, contract))
    url = f"/contracts/{contract.id}/meetings/{first.id}/attendance"
    add = {
        "attendee-name": "Damian Allen",
        "attendee-job_title": "Director of People",
        "attendee-organisation_id": str(contract.council_id),
    }
    assert client.post(url, data=add).status_code == 302
    bad = client.post(url, data={**add, "attendee-organisation_id": "99999"})
    assert bad.status_code == 400 and "Choose" in bad.text
    db.session.refresh(first)
    person = first.attendees[0]
    assert client.post(url, data={"save": "attendance", f"attendance-{person.id}": "sideways"}).status_code == 400
    assert client.post(url, data={"save": "attendance", f"attendance-{person.id}": "apologies"}).status_code == 302
    db.session.refresh(person)
    assert person.attendance.value == "apologies"
    assert "Apologies" in client.get(f"/contracts/{contract.id}/meetings/{first.id}").text
