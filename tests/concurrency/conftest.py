"""Several people at once against the app served in threads (each request its own connection),
on data committed for real, as in production: the answers must be results or clear refusals."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from monitoring.audit.recorder import SYSTEM, acting_as
from monitoring.extensions import db


@pytest.fixture
def served(app: Flask) -> Iterator[str]:
    """The app on a free port, one thread per request (the dev server `make run` uses)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call at the same moment (a barrier releases them together); results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def committed(f: Any) -> Callable[[Callable[[], Any]], Any]:
    """Build test data with the factories and commit it, so the server's threads can read it."""

    def build(make: Callable[[], Any]) -> Any:
        with acting_as(SYSTEM):
            made = make()
            db.session.commit()
        return made

    return build


@pytest.fixture
def busy_writer(app: Flask) -> Iterator[None]:
    """Another process committing small writes all the time, as the scheduler's job store does."""
    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    stop = threading.Event()

    def write() -> None:
        while not stop.is_set():
            with engine.begin() as connection:
                connection.execute(text("DELETE FROM apscheduler_jobs WHERE id = 'busy-writer'"))
                connection.execute(
                    text("INSERT INTO apscheduler_jobs (id, next_run_time, job_state) VALUES ('busy-writer', 0, :s)"),
                    {"s": b"x"},
                )
            stop.wait(0.005)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)
        engine.dispose()


class Client(requests.Session):
    """One person's browser or API client against the served app: its own cookies, no redirects."""

    def __init__(self, base_url: str, **headers: str) -> None:
        super().__init__()
        self.base_url = base_url
        self.headers.update(headers)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("allow_redirects", False)
        kwargs.setdefault("timeout", 60)
        return super().request(method, f"{self.base_url}{url!s}", *args, **kwargs)
