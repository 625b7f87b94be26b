"""The PDF renderer's child process: imported once by the fork server, so each render starts warm.

It runs under resource limits set by its parent (see pdf.render_pdf) and reports back through a pipe.
"""

from __future__ import annotations

import os
import resource
from typing import Any

from weasyprint import HTML

from monitoring.reports.fetcher import DOCUMENT_BASE, StaticFilesOnly


def render(connection: Any, html: str, identifier: bytes, memory_bytes: int, cpu_seconds: int, epoch: int) -> None:
    """Render `html` and send ("ok", pdf bytes, pages) or ("error", message) to the parent."""
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
        # Fonts subset by fontTools (without HarfBuzz) carry a timestamp; this fixes it.
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
        fetcher = StaticFilesOnly()
        document = HTML(string=html, base_url=DOCUMENT_BASE, url_fetcher=fetcher).render(pdf_tags=True)
        pdf = document.write_pdf(pdf_identifier=identifier, pdf_tags=True)
        connection.send(("ok", pdf, len(document.pages), fetcher.refused))
    except MemoryError:
        connection.send(("error", "the document needed more memory than rendering is allowed", 0, []))
    except Exception as error:  # reported to the parent, which records it against the request
        connection.send(("error", f"{type(error).__name__}: {error}", 0, []))
    finally:
        connection.close()
