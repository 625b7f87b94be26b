"""The one list of periodic jobs, and the scheduler process that runs them (`flask scheduler`).

The scheduler is its own process (never inside the web server: a scheduler per web worker would
run every job once per worker). APScheduler 3 keeps its jobs in our database (the
`apscheduler_jobs` table, created by a migration), in Europe/London time, with a generous misfire
grace time and coalescing. Every stored job calls `run_job` with the job's registered name, so
renaming a job's function never silently deletes it from the store; at start-up the stored jobs
are made to match this list. Sending is exactly-once whatever the scheduler does (see
monitoring/reports/delivery.py), so two scheduler processes or a restart are harmless.
"""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.util import ref_to_obj
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import Column, Float, LargeBinary, MetaData, Table, Unicode

from monitoring.config import TIME_ZONE
from monitoring.extensions import db

log = logging.getLogger(__name__)

JOB_TABLE = "apscheduler_jobs"

# APScheduler's job table, declared here too so that migrations create it (APScheduler would
# otherwise create it on first start, outside Alembic's knowledge).
Table(
    JOB_TABLE,
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


@dataclass(frozen=True)
class PeriodicJob:
    name: str  # the job's id in the store: never change it
    target: str  # "module:function", run inside the app context
    every_seconds: Callable[[Flask], int]
    description: str


PERIODIC_JOBS: list[PeriodicJob] = [
    PeriodicJob(
        "reports.dispatch_deliveries",
        "monitoring.reports.jobs:dispatch_deliveries",
        lambda app: app.config["SCHEDULER_TICK_SECONDS"],
        "send scheduled summaries, reminders and digests that are due",
    ),
    PeriodicJob(
        "reports.render_queued_pdfs",
        "monitoring.reports.jobs:render_queued_pdfs",
        lambda app: app.config["PDF_QUEUE_POLL_SECONDS"],
        "render PDFs of summaries in the background",
    ),
]

JOB_DEFAULTS = {
    "coalesce": True,  # many missed runs become one
    "max_instances": 1,
    "misfire_grace_time": 6 * 3600,  # a run missed by up to six hours still runs
}

_app: Flask | None = None


def run_job(name: str) -> None:
    """What every stored job calls: the registered job `name`, in an app context, committed once."""
    job = next((j for j in PERIODIC_JOBS if j.name == name), None)
    if job is None:
        log.error("no periodic job called %r; it is ignored", name)
        return
    app = _app or current_app._get_current_object()
    from monitoring.audit.recorder import SYSTEM, acting_as

    with app.app_context(), acting_as(SYSTEM):
        try:
            ref_to_obj(job.target)()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("periodic job %s failed", name)
        finally:
            db.session.remove()


def register_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Make the stored jobs match PERIODIC_JOBS; each runs once straight away (the start-up catch-up)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    wanted = {job.name for job in PERIODIC_JOBS}
    for stored in scheduler.get_jobs():
        if stored.id not in wanted:
            scheduler.remove_job(stored.id)
    for job in PERIODIC_JOBS:
        scheduler.add_job(
            "monitoring.scheduler:run_job",
            trigger="interval",
            seconds=job.every_seconds(app),
            args=[job.name],
            id=job.name,
            name=job.description,
            replace_existing=True,
            next_run_time=datetime.now(ZoneInfo(TIME_ZONE)),
            **JOB_DEFAULTS,  # stored with each job, whatever the scheduler's own defaults
        )


def job_store(app: Flask) -> SQLAlchemyJobStore:
    # Its own MetaData: the table is also declared in ours (above) for migrations.
    return SQLAlchemyJobStore(engine=db.engine, tablename=JOB_TABLE, metadata=MetaData())


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler] = BackgroundScheduler) -> BaseScheduler:
    return scheduler_class(
        jobstores={"default": job_store(app)},
        executors={"default": {"type": "threadpool", "max_workers": 2}},
        job_defaults=JOB_DEFAULTS,
        timezone=TIME_ZONE,
    )


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduler (scheduled emails, background PDFs) until stopped."""
    global _app
    _app = current_app._get_current_object()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    scheduler = build_scheduler(_app)
    stopped = threading.Event()

    def stop(signum: int, frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    scheduler.start(paused=True)
    register_jobs(scheduler, _app)
    scheduler.resume()
    click.echo(f"Scheduler running ({len(PERIODIC_JOBS)} jobs, {TIME_ZONE}). Stop it with Ctrl-C.")
    stopped.wait()
    click.echo("Scheduler stopping: letting running jobs finish.")
    scheduler.shutdown(wait=True)
