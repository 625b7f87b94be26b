"""The PDF: real WeasyPrint, real poppler to read it back. Drafts say DRAFT on every page; published
versions re-render to the same bytes; documents cannot reach files or the network; rendering is bounded."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from datetime import UTC, datetime

import pytest

from monitoring.accounts.models import Role
from monitoring.extensions import db
from monitoring.reports import operations, pdf, rendering
from monitoring.reports.fetcher import static_path
from monitoring.reports.models import PdfRender, RenderStatus

from .conftest import pdf_pages, pdf_text


@pytest.fixture
def scene(f):
    contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
    return {
        "contract": contract,
        "commissioner": f.create_user(Role.COMMISSIONER, contract, name="Angela Harrington"),
        "director": f.create_user(Role.DIRECTOR, contract, name="Damian Allen"),
        "summary": f.create_summary(
            contract,
            narrative={
                "executive_summary": "The trust projects a year-end overspend; audits keep improving.",
                "going_well": "- Case file audits rated good or better\n- Placement stability",
            },
        ),
    }


def test_a_draft_pdf_says_draft_on_every_page_and_shows_the_periods_figures(scene, tmp_path) -> None:
    html = rendering.draft_html(scene["summary"], scene["commissioner"])
    result = pdf.render(html)
    assert result.pdf.startswith(b"%PDF-")
    pages = pdf_pages(result.pdf, tmp_path)
    assert len(pages) == result.pages >= 2
    for page in pages:
        assert "DRAFT – not approved for publication" in page
    text = "\n".join(pages)
    assert "Quarter 2 2017/18" in text
    assert "65,492 children aged 0 to 17" in text
    assert "council pays 70% of a net overspend and the trust 30%" in text
    assert "Case file audits rated good or better" in text
    assert f"Page 1 of {result.pages}" in pages[0]
    # The contents list gives each section's page.
    assert re.search(r"1\. Executive summary[ .]{10,}2\n", text)


def test_a_published_pdf_is_not_a_draft_and_re_renders_to_the_same_bytes(scene, tmp_path) -> None:
    version = f_publish(scene)
    first = rendering.render_version(version)
    # The records change afterwards; the published version is rendered from what was frozen.
    scene["contract"].populations[0].children = 99_999
    scene["contract"].name = "Renamed contract"
    db.session.flush()
    second = rendering.render_version(version)
    assert first.pdf == second.pdf
    text = pdf_text(first.pdf, tmp_path)
    assert "DRAFT" not in text
    assert "65,492" in text and "99,999" not in text
    assert "Approved for publication by Damian Allen, Director" in text
    info = subprocess.run(["pdfinfo", "-isodates", "-"], input=first.pdf, capture_output=True, check=True).stdout
    created = version.decided_at.replace(microsecond=0).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    assert re.search(rf"CreationDate:\s+{created}Z", info.decode())


def f_publish(scene):
    operations.submit_for_approval(scene["summary"], scene["commissioner"])
    return operations.approve(scene["summary"], scene["director"])


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        _Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        return


def test_documents_cannot_read_files_embed_attachments_or_reach_the_network(tmp_path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-PAYROLL")
    port = server.server_address[1]
    html = f"""<!DOCTYPE html><html><head><title>t</title>
      <link rel="attachment" href="file:///etc/passwd">
      <link rel="attachment" href="file://{secret}">
      <link rel="stylesheet" href="http://127.0.0.1:{port}/style.css"></head>
      <body><p>Visible text</p>
      <img src="file:///etc/passwd" alt="passwd">
      <img src="http://127.0.0.1:{port}/tracker.png" alt="tracker">
      <img src="https://monitoring.invalid/static/../config.py" alt="escape">
      <a rel="attachment" href="file://{secret}">attached</a>
      <object data="file://{secret}"></object>
      </body></html>"""
    try:
        result = pdf.render(html)
    finally:
        server.shutdown()
    assert _Recorder.hits == []
    assert b"root:x:0:0" not in result.pdf and b"TOP-SECRET-PAYROLL" not in result.pdf
    text = pdf_text(result.pdf, tmp_path)
    assert "Visible text" in text and "root:" not in text and "TOP-SECRET" not in text
    saved = tmp_path / "leak.pdf"
    saved.write_bytes(result.pdf)
    listing = subprocess.run(["pdfdetach", "-list", str(saved)], capture_output=True, check=True)
    assert listing.stdout.decode().strip() == "0 embedded files"
    assert any("etc/passwd" in url for url in result.refused)
    assert any(str(port) in url for url in result.refused)


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://monitoring.invalid/static/reports/print.css", True),
        ("https://monitoring.invalid/static/../config.py", False),
        ("https://monitoring.invalid/static/%2e%2e/config.py", False),
        ("https://monitoring.invalid/static/reports/missing.css", False),
        ("https://monitoring.invalid/config.py", False),
        ("http://monitoring.invalid/static/reports/print.css", False),
        ("https://example.com/static/reports/print.css", False),
        ("file:///etc/passwd", False),
        ("data:text/plain,hello", False),
    ],
)
def test_the_fetcher_serves_only_the_apps_static_files(url, allowed) -> None:
    assert (static_path(url) is not None) is allowed


def test_user_text_in_a_summary_is_printed_not_obeyed(scene, tmp_path) -> None:
    summary = scene["summary"]
    operations.update_narrative(
        summary,
        {"going_well": '<img src="file:///etc/passwd"> and <a rel="attachment" href="file:///etc/passwd">x</a>'},
        lock_version=None,
    )
    result = pdf.render(rendering.draft_html(summary, scene["commissioner"]))
    text = pdf_text(result.pdf, tmp_path)
    assert '<img src="file:///etc/passwd">' in text
    assert result.refused == ()
    assert b"root:x:0:0" not in result.pdf


def test_rendering_is_stopped_when_it_takes_too_long() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>row {n}</td></tr>" for n in range(3000))
    with pytest.raises(pdf.RenderError, match="longer than 0.2 seconds"):
        pdf.render(f"<table><thead><tr><th>n</th></tr></thead>{rows}</table>", timeout=0.2)


def test_rendering_is_stopped_when_it_needs_too_much_memory() -> None:
    rows = "".join(f"<tr><td>{n}</td><td>row {n}</td></tr>" for n in range(3000))
    with pytest.raises(pdf.RenderError):
        pdf.render(f"<table>{rows}</table>", memory_mb=40)


def test_a_pdf_is_made_in_the_background_and_offered_when_ready(scene, login, tmp_path) -> None:
    summary = scene["summary"]
    client = login(scene["commissioner"])
    response = client.post(f"/summaries/{summary.id}/pdf")
    assert response.status_code == 302
    render = db.session.query(PdfRender).one()
    assert render.status is RenderStatus.QUEUED
    page = client.get(f"/summaries/{summary.id}").get_data(as_text=True)
    assert "The PDF is being prepared" in page and "data-pdf-status-url" in page
    status = client.get(f"/summaries/{summary.id}/pdf/{render.id}/status").get_json()
    assert status["ready"] is False and status["status"] == "queued"

    # Asking again while it waits does not queue a second one.
    client.post(f"/summaries/{summary.id}/pdf")
    assert db.session.query(PdfRender).count() == 1

    assert rendering.process_render_queue() == 1
    status = client.get(f"/summaries/{summary.id}/pdf/{render.id}/status").get_json()
    assert status["ready"] is True and status["pages"] >= 2
    download = client.get(status["url"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "attachment;" in download.headers["Content-Disposition"]
    assert "DRAFT" in pdf_text(download.data, tmp_path)
    assert "Download the PDF" in client.get(f"/summaries/{summary.id}").get_data(as_text=True)


def test_only_one_worker_renders_a_request(scene) -> None:
    render = rendering.request_pdf(scene["summary"], None, scene["commissioner"])
    now = datetime.now(UTC)
    from datetime import timedelta

    assert rendering._claim(render.id, now, timedelta(minutes=4)) is not None
    assert rendering._claim(render.id, now, timedelta(minutes=4)) is None  # a second worker gets nothing
    # A claim older than the lease (its worker died) is taken again.
    assert rendering._claim(render.id, now + timedelta(minutes=5), timedelta(minutes=4)) is not None


def test_a_failed_render_is_recorded_and_said_on_the_page(scene, login, app, monkeypatch) -> None:
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT_SECONDS", 0.01)
    render = rendering.request_pdf(scene["summary"], None, scene["commissioner"])
    rendering.process_render_queue()
    db.session.refresh(render)
    assert render.status is RenderStatus.FAILED and "longer than" in render.error
    page = login(scene["commissioner"]).get(f"/summaries/{scene['summary'].id}").get_data(as_text=True)
    assert "The PDF could not be prepared" in page
