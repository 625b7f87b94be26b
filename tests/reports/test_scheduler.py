"""The scheduler process: its jobs survive the job store, and real `flask scheduler` processes send
each email exactly once, even with two of them running and one killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import MetaData

from monitoring import scheduler as scheduler_module
from monitoring.accounts.models import Role
from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.extensions import db
from monitoring.reports.models import Delivery, DeliveryPurpose, DeliveryStatus, ScheduleKind
from monitoring.reports.rendering import process_render_queue

from .conftest import Inbox, attachments, flat, pdf_text

PROJECT = Path(__file__).resolve().parents[2]
DUE = datetime(2017, 10, 6, 6, 0, tzinfo=UTC)


def test_every_registered_job_round_trips_through_the_job_store(app: Flask, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    first = BackgroundScheduler(jobstores={"default": SQLAlchemyJobStore(url=url, metadata=MetaData())})
    first.start(paused=True)
    scheduler_module.register_jobs(first, app)
    first.shutdown(wait=False)

    reloaded = SQLAlchemyJobStore(url=url, metadata=MetaData())
    second = BackgroundScheduler(jobstores={"default": reloaded})
    second.start(paused=True)
    stored = {job.id: job for job in second.get_jobs()}
    second.shutdown(wait=False)
    assert set(stored) == {job.name for job in scheduler_module.PERIODIC_JOBS}
    for job in scheduler_module.PERIODIC_JOBS:
        restored = stored[job.name]
        assert restored.func_ref == "monitoring.scheduler:run_job"
        assert restored.args == (job.name,)
        assert restored.trigger.interval.total_seconds() == job.every_seconds(app)
        assert restored.misfire_grace_time == scheduler_module.JOB_DEFAULTS["misfire_grace_time"]
        assert restored.coalesce is True
        # The target each name stands for still imports: a renamed function fails here, not in production.
        from apscheduler.util import ref_to_obj

        assert callable(ref_to_obj(job.target))


def test_a_job_name_nobody_registered_is_logged_and_ignored(app: Flask, caplog: pytest.LogCaptureFixture) -> None:
    scheduler_module.run_job("reports.no_such_job")
    assert "no periodic job called 'reports.no_such_job'" in caplog.text


def _wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _start_scheduler(app: Flask, smtp_port: int, log: Path) -> subprocess.Popen:
    environment = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "MONITORING_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "SCHEDULER_TICK_SECONDS": "1",
        "SCHEDULER_PRETEND_NOW": "2017-10-06T06:59:57+01:00",  # three seconds before the due time
        "REPORTS_CLAIM_LEASE_SECONDS": "4",
        "PDF_QUEUE_POLL_SECONDS": "2",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler"],
        cwd=PROJECT,
        env=environment,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def published_scene(f, app: Flask):
    """A published Q2 2017/18 summary, four directors to send it to, committed for the schedulers to read."""
    with acting_as(SYSTEM):
        contract = f.create_contract(with_scope=True, name="Doncaster service delivery contract")
        commissioner = f.create_user(Role.COMMISSIONER, contract, email="owner@council.test")
        directors = [f.create_user(Role.DIRECTOR, contract, email=f"director{n}@council.test") for n in range(4)]
        summary = f.create_summary(contract, narrative={"executive_summary": "Overspend forecast £1.63m."})
        f.publish_summary(summary, commissioner, directors[0])
        f.create_schedule(contract, ScheduleKind.QUARTERLY_SUMMARY, owner=commissioner, starts_on=date(2017, 9, 1))
        emails = [d.email for d in directors]
        db.session.commit()
        process_render_queue()  # the published PDF, as the scheduler would have made it after approval
        db.session.commit()  # and no transaction left open: SQLite would make the schedulers wait for it
    return emails


@pytest.mark.committed
def test_two_schedulers_and_a_restart_send_each_email_exactly_once(published_scene, app, tmp_path) -> None:
    from aiosmtpd.controller import Controller

    from .conftest import free_port

    inbox = Inbox()
    inbox.delay_after_accepting = 1.5  # slow answers, so a scheduler can be killed mid-round
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    log = tmp_path / "schedulers.log"
    processes: list[subprocess.Popen] = []
    try:
        first = _start_scheduler(app, port, log)
        processes.append(first)
        _wait_for(lambda: len(inbox.messages) >= 1, 60, "the first email")
        first.send_signal(signal.SIGKILL)  # a crash mid-round: no chance to tidy up
        first.wait(10)

        processes.append(_start_scheduler(app, port, log))  # the restart
        processes.append(_start_scheduler(app, port, log))  # and a second scheduler beside it
        summaries = lambda: [m for m in inbox.messages if "summary for scrutiny" in flat(str(m["Subject"]))]  # noqa: E731
        _wait_for(lambda: len(summaries()) >= len(published_scene), 90, "an email for every director")
        time.sleep(8)  # several more ticks of both schedulers, past the claim lease

        received = sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in summaries())
        assert received == sorted(published_scene), log.read_text()[-3000:]
        [(_, pdf)] = attachments(summaries()[-1])
        text = flat(pdf_text(pdf, tmp_path))
        assert "performance summary for Quarter 2 2017/18" in text and "65,492 children" in text

        with app.app_context():
            db.session.expire_all()
            ledger = db.session.query(Delivery).filter_by(purpose=DeliveryPurpose.SCHEDULED).all()
            assert len(ledger) == len(published_scene)
            # The killed process may have handed one email over without hearing back: that one is
            # "not confirmed" (and was delivered once), never sent again.
            statuses = sorted(row.status.value for row in ledger)
            assert set(statuses) <= {DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value}
            assert statuses.count(DeliveryStatus.UNCONFIRMED.value) <= 1
            db.session.commit()

        for process in processes[1:]:
            process.send_signal(signal.SIGTERM)
        for process in processes[1:]:
            assert process.wait(20) == 0, log.read_text()[-3000:]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait(10)
        controller.stop()
