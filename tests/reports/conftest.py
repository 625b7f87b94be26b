"""Fixtures for the reports area: a real SMTP server on loopback, the scheduler's clock, PDF text."""

from __future__ import annotations

import asyncio
import email
import socket
import subprocess
from collections.abc import Iterator
from datetime import datetime
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from monitoring.core.timeutil import utcnow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts; it can refuse or stall on demand."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0  # answer this many messages with a temporary failure
        self.refuse_all: str | None = None  # answer every message with this reply
        self.delay_after_accepting = 0.0  # seconds to wait after keeping a message before answering

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_all:
            return self.refuse_all
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Mailbox busy, try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=default))
        if self.delay_after_accepting:
            await asyncio.sleep(self.delay_after_accepting)
        return "250 2.0.0 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_server(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1, and the app's MAIL_* settings pointing at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 5)
    inbox.port = port  # type: ignore[attr-defined]
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def clock(app: Flask) -> Iterator[Any]:
    """`clock.set(moment)` makes the scheduler's "now" that moment (time then passes normally)."""

    class Clock:
        def set(self, moment: datetime) -> None:
            app.extensions.setdefault("reports_clock", {})["offset"] = moment - utcnow()

    yield Clock()
    app.extensions.pop("reports_clock", None)


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    """The text a reader would see, extracted by poppler's pdftotext."""
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    return pdf_text(pdf, tmp_path).split("\f")[:-1]


def attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    return [(part.get_filename(), part.get_content()) for part in message.iter_attachments()]


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks made one space, as a reader would read it."""
    return " ".join(text.split())
