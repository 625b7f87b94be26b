"""WeasyPrint's URL fetcher for our documents: the app's own static files, and nothing else.

WeasyPrint's default fetcher follows file:// and network URLs, so a document containing
`<img src="file:///etc/passwd">` or `<link rel="attachment" href="…">` could read or embed any
file. Documents are rendered against an address that never resolves (`.invalid`), and only
paths under its /static/ are answered, from monitoring/static, without leaving that folder.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_ROOT = (Path(__file__).resolve().parent.parent / "static").resolve()
DOCUMENT_HOST = "monitoring.invalid"
DOCUMENT_BASE = f"https://{DOCUMENT_HOST}/"
STATIC_BASE = f"{DOCUMENT_BASE}static/"


class RefusedURL(ValueError):
    """A document asked for something outside the app's static files."""


class StaticFilesOnly(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("https",), allow_redirects=False)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = static_path(url)
        if path is None:
            self.refused.append(url[:200])
            raise RefusedURL(f"documents may only use the app's static files, not {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url: str) -> Path | None:
    """The file under monitoring/static that `url` names, or None if it names anything else."""
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.netloc != DOCUMENT_HOST or not parts.path.startswith("/static/"):
        return None
    relative = unquote(parts.path[len("/static/") :])
    candidate = (STATIC_ROOT / relative).resolve()
    if not candidate.is_relative_to(STATIC_ROOT) or not candidate.is_file():
        return None
    return candidate
