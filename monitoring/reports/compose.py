"""Compose a summary from its sections, freeze it as canonical JSON, and render it as HTML.

The same document template serves the web page and the PDF, so what a director reads on screen
and what they print agree. Section data passes through JSON even for a live draft, so a draft
shows exactly what publishing would freeze.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import render_template

from monitoring.core.timeutil import utcnow
from monitoring.reports.periods import months_covered, period_title
from monitoring.reports.sections import SummarySection, load_sections

log = logging.getLogger(__name__)

CONTENT_FORMAT = 1


def _encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON data; a summary section must return plain data")


def canonical_json(content: dict) -> str:
    """One spelling of the content: sorted keys, no spaces, Decimals and dates as strings."""
    return json.dumps(content, default=_encode, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_sha256(content: dict) -> str:
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def _section_data(section: SummarySection, summary: Any) -> tuple[Any, str | None]:
    if section.is_narrative:
        texts = summary.narrative or {}
        return {
            "fields": [{"key": f.key, "label": f.label, "text": texts.get(f.key, "")} for f in section.fields]
        }, None
    try:
        return section.provide(summary.contract, summary.period), None  # type: ignore[misc]
    except Exception:  # one area's bug must not take the whole summary down; the draft says so
        log.exception("summary section %s failed for summary %s", section.key, summary.id)
        return None, f"The “{section.title}” section could not be built from the records."


def compose(summary: Any, sections: list[SummarySection] | None = None, *, built_by: Any = None) -> dict:
    """The document's content now: metadata, and every section that has something to say, in order."""
    period = summary.period
    contract = summary.contract
    parts = []
    problems = []
    for section in sections if sections is not None else load_sections():
        data, problem = _section_data(section, summary)
        if problem:
            problems.append(problem)
        if data is None:
            continue
        parts.append({"key": section.key, "title": section.title, "template": section.template, "data": data})
    content = {
        "format": CONTENT_FORMAT,
        "meta": {
            "contract": contract.name,
            "council": contract.council.name,
            "trust": contract.trust.name,
            "period_kind": summary.period_kind.value,
            "period_title": period_title(period),
            "period_label": period.label,
            "months": months_covered(period),
            "financial_year": period.year.label,
            "built_at": utcnow().replace(microsecond=0),
            "built_by": built_by.name if built_by is not None else None,
        },
        "sections": parts,
        "problems": problems,
    }
    return json.loads(canonical_json(content))


def without_empty_narrative(content: dict) -> dict:
    """What a published document shows: narrative sections nobody wrote are left out, not shown blank."""
    kept = []
    for part in content["sections"]:
        fields = part["data"].get("fields") if isinstance(part["data"], dict) else None
        if fields is not None:
            written = [f for f in fields if f["text"].strip()]
            if not written:
                continue
            part = {**part, "data": {"fields": written}}
        kept.append(part)
    return {**content, "sections": kept}


def document_context(content: dict, *, draft: bool, approval: dict | None = None) -> dict:
    """What the document template needs: the frozen content, whether it is a draft, and the sign-off."""
    sections = [s for s in content["sections"] if s["template"].startswith("reports/sections/")]
    return {"doc": content, "meta": content["meta"], "doc_sections": sections, "draft": draft, "approval": approval}


def render_pdf_html(content: dict, *, draft: bool, approval: dict | None, created: str) -> str:
    """The standalone HTML WeasyPrint turns into the PDF; `created` fixes the PDF's dates."""
    return render_template(
        "reports/summary_pdf.html", created=created, **document_context(content, draft=draft, approval=approval)
    )
