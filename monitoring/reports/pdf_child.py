"""The PDF renderer's child process: imported once by the fork server, so each render starts warm.

It runs under resource limits set by its parent (see pdf.render_pdf) and reports back through a pipe.
"""

from __future__ import annotations

import os
import resource
import time
from typing import Any

from weasyprint import HTML

from monitoring.reports.fetcher import DOCUMENT_BASE, StaticFilesOnly

# Load fonts and their configuration once, in the fork server, so every child starts with them.
HTML(string="<p>warm</p>", base_url=DOCUMENT_BASE, url_fetcher=StaticFilesOnly()).write_pdf()


def render(connection: Any, html: str, identifier: bytes, memory_bytes: int, cpu_seconds: int, epoch: int) -> None:
    """Render `html`; send ("ok", pdf, pages, refused URLs, seconds, peak KiB) or ("error", message, …)."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        # Fonts subset by fontTools (without HarfBuzz) carry a timestamp; this fixes it.
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        started = time.perf_counter()
        fetcher = StaticFilesOnly()
        document = HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=fetcher).render(pdf_tags=True)
        pdf = document.write_pdf(pdf_identifier=identifier, pdf_tags=True)
        seconds = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_SELF)
        cpu = usage.ru_utime + usage.ru_stime
        connection.send(("ok", pdf, len(document.pages), fetcher.refused, (seconds, cpu), usage.ru_maxrss))
    except MemoryError:
        connection.send(("error", "the document needed more memory than rendering is allowed", 0, [], (0, 0), 0))
    except Exception as error:  # reported to the parent, which records it against the request
        connection.send(("error", f"{type(error).__name__}: {error}", 0, [], (0, 0), 0))
    finally:
        connection.close()
