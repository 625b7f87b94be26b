"""`render_pdf(html) -> bytes`: WeasyPrint in a child process with a time limit and a memory limit.

Children come from a fork server that has already imported WeasyPrint, so a render pays no
import cost, and the parent (a web or scheduler process with threads) never forks itself.
The same HTML always gives the same bytes: the identifier is derived from the HTML and the
dates come from its `dcterms` meta tags.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
from dataclasses import dataclass
from datetime import datetime

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_MEMORY_MB = 1024

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["monitoring.reports.pdf_child"])


class RenderError(RuntimeError):
    """The PDF could not be made: too slow, too big, or WeasyPrint failed."""


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    pages: int
    refused: tuple[str, ...]  # URLs the document asked for and did not get
    seconds: float = 0.0  # WeasyPrint's own time, inside the child
    cpu_seconds: float = 0.0  # the child's processor time (fairer than wall time on a busy machine)
    peak_mb: float = 0.0  # the child's peak resident memory

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def render(
    html: str,
    *,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    memory_mb: int = DEFAULT_MEMORY_MB,
    created: datetime | None = None,
) -> RenderedPdf:
    """Render in a child process; raise RenderError when it fails or takes longer than `timeout`."""
    identifier = hashlib.sha256(html.encode()).hexdigest()[:32].encode()
    epoch = int(created.timestamp()) if created else 0
    receiver, sender = _context.Pipe(duplex=False)
    from monitoring.reports import pdf_child

    child = _context.Process(
        target=pdf_child.render,
        args=(sender, html, identifier, memory_mb * 1024 * 1024, int(timeout) + 1, epoch),
        daemon=True,
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RenderError(f"rendering took longer than {timeout:g} seconds and was stopped")
        outcome, pdf, pages, refused, timing, peak_kib = receiver.recv()
    except EOFError as error:
        raise RenderError("the renderer stopped without a result (it may have run out of memory)") from error
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join(5)
    if outcome != "ok":
        raise RenderError(pdf)
    if refused:
        log.warning("a document asked for %d URLs outside the static files; refused: %s", len(refused), refused[:5])
    return RenderedPdf(pdf, pages, tuple(refused), timing[0], timing[1], peak_kib / 1024)


def render_pdf(html: str, **limits: object) -> bytes:
    """The PDF's bytes for `html` (see `render` for the limits)."""
    return render(html, **limits).pdf  # type: ignore[arg-type]
