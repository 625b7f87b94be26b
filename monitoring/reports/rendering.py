"""PDFs of summaries, made in the background: the web request queues one, a worker renders it.

The scheduler process runs `process_render_queue` every few seconds; `flask reports render`
drains the queue by hand. A claim older than the lease is taken again, so a worker that died
mid-render does not leave a request queued for ever.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, or_, select, update

from monitoring.accounts.models import User
from monitoring.core.timeutil import LONDON, format_datetime, utcnow
from monitoring.extensions import db
from monitoring.reports import pdf
from monitoring.reports.compose import compose, render_pdf_html
from monitoring.reports.models import PdfRender, RenderStatus, Summary, SummaryVersion

log = logging.getLogger(__name__)


def request_pdf(summary: Summary, version: SummaryVersion | None = None, user: Any = None) -> PdfRender:
    """Queue a PDF of a version (replacing any earlier one) or of the live draft."""
    if version is None:
        waiting = db.session.scalar(
            select(PdfRender).where(
                PdfRender.summary_id == summary.id,
                PdfRender.version_id.is_(None),
                PdfRender.status == RenderStatus.QUEUED,
            )
        )
        if waiting is not None:
            return waiting
        db.session.execute(delete(PdfRender).where(PdfRender.summary_id == summary.id, PdfRender.version_id.is_(None)))
    else:
        db.session.execute(delete(PdfRender).where(PdfRender.version_id == version.id))
    render = PdfRender(
        summary_id=summary.id,
        version_id=version.id if version else None,
        requested_by_id=user.id if user else None,
        requested_at=utcnow(),
    )
    db.session.add(render)
    db.session.flush()
    return render


def latest_render(summary: Summary, version: SummaryVersion | None = None) -> PdfRender | None:
    query = select(PdfRender).where(PdfRender.summary_id == summary.id)
    query = query.where(PdfRender.version_id == version.id) if version else query.where(PdfRender.version_id.is_(None))
    return db.session.scalar(query.order_by(PdfRender.requested_at.desc(), PdfRender.id.desc()).limit(1))


def _local_iso(moment: datetime) -> str:
    return moment.astimezone(LONDON).replace(microsecond=0).isoformat()


def approval_of(version: SummaryVersion) -> dict | None:
    if not version.is_published or version.decided_at is None:
        return None
    by, _, role = version.decided_by_label.partition(", ")
    return {"by": by, "role": role, "on": format_datetime(version.decided_at).split(",")[0], "version": version.number}


def version_html(version: SummaryVersion) -> str:
    """The PDF's HTML for a frozen version: only its stored content and fixed dates go in."""
    moment = version.decided_at if version.is_published and version.decided_at else version.submitted_at
    return render_pdf_html(
        version.content, draft=not version.is_published, approval=approval_of(version), created=_local_iso(moment)
    )


def draft_html(summary: Summary, user: Any = None) -> str:
    content = compose(summary, built_by=user)
    return render_pdf_html(content, draft=True, approval=None, created=content["meta"]["built_at"])


def _limits() -> dict:
    return {
        "timeout": current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS", pdf.DEFAULT_TIMEOUT_SECONDS),
        "memory_mb": current_app.config.get("PDF_RENDER_MEMORY_MB", pdf.DEFAULT_MEMORY_MB),
    }


def render_version(version: SummaryVersion) -> pdf.RenderedPdf:
    return pdf.render(version_html(version), **_limits())


def _claim(render_id: int, now: datetime, lease: timedelta) -> str | None:
    token = secrets.token_hex(8)
    claimed = db.session.execute(
        update(PdfRender)
        .where(
            PdfRender.id == render_id,
            or_(
                PdfRender.status == RenderStatus.QUEUED,
                (PdfRender.status == RenderStatus.RENDERING) & (PdfRender.started_at < now - lease),
            ),
        )
        .values(status=RenderStatus.RENDERING, claim_token=token, started_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return token if claimed == 1 else None


def _finish(render_id: int, token: str, **values: Any) -> None:
    db.session.execute(
        update(PdfRender)
        .where(PdfRender.id == render_id, PdfRender.claim_token == token)
        .values(finished_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def render_one(render_id: int, now: datetime | None = None) -> bool:
    """Claim and render one request; False if another worker has it."""
    now = now or utcnow()
    lease = timedelta(seconds=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS", pdf.DEFAULT_TIMEOUT_SECONDS) * 2)
    token = _claim(render_id, now, lease)
    if token is None:
        return False
    render = db.session.get(PdfRender, render_id)
    try:
        if render.version_id is not None:
            html = version_html(render.version)
        else:
            requester = db.session.get(User, render.requested_by_id) if render.requested_by_id else None
            html = draft_html(render.summary, requester)
        db.session.commit()  # end the reading transaction before the slow part
        result = pdf.render(html, **_limits())
    except pdf.RenderError as error:
        log.error("PDF %s failed: %s", render_id, error)
        _finish(render_id, token, status=RenderStatus.FAILED, error=str(error)[:2000])
        return True
    _finish(render_id, token, status=RenderStatus.READY, pdf=result.pdf, pdf_sha256=result.sha256, pages=result.pages)
    return True


def process_render_queue(limit: int = 5) -> int:
    """The background job: render up to `limit` queued PDFs, oldest first."""
    now = utcnow()
    lease = timedelta(seconds=current_app.config.get("PDF_RENDER_TIMEOUT_SECONDS", pdf.DEFAULT_TIMEOUT_SECONDS) * 2)
    ids = db.session.scalars(
        select(PdfRender.id)
        .where(
            or_(
                PdfRender.status == RenderStatus.QUEUED,
                (PdfRender.status == RenderStatus.RENDERING) & (PdfRender.started_at < now - lease),
            )
        )
        .order_by(PdfRender.requested_at)
        .limit(limit)
    ).all()
    db.session.commit()
    return sum(1 for render_id in ids if render_one(render_id))


def version_pdf(version: SummaryVersion) -> bytes:
    """The published PDF of a version: the rendered one if ready, else rendered now (by a job, never a request)."""
    render = latest_render(version.summary, version)
    if render is not None and render.is_ready:
        return render.pdf
    return render_version(version).pdf
