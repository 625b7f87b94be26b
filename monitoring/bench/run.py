"""`make bench`: serve the app with gunicorn on loopback against a large generated data set, load key
pages with wrk from a second process, and compare them with two baselines measured in the same run.

Baselines: a bare route that touches nothing, and a plain paginated list of 50 rows through the same
stack (sign-in, layout, commit hook). Results, with a description of the machine, go to
docs/benchmarks.md. The database is a fresh SQLite file, or — when DATABASE_URL names a PostgreSQL
server — a scratch database created on that server and dropped afterwards (the named database is
never touched).
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from monitoring.bench.data import BENCH_PASSWORD, BENCH_TOKEN, BENCH_USERS

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("report.lua")
PORT = int(os.environ.get("BENCH_PORT", "5099"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 2)))


@dataclass(frozen=True)
class BenchPage:
    """A page to load: `path` may use {contract_id}; `user` is a bench role (None: anonymous)."""

    name: str
    path: str
    user: str | None = None
    api: bool = False
    baseline: bool = False
    target: str = ""


# Areas add their key pages here (e.g. the performance dashboard, the finance dashboard).
BENCH_PAGES: list[BenchPage] = [
    BenchPage("Bare route (baseline)", "/bench/bare", baseline=True),
    BenchPage("Plain list of 50 rows (baseline)", "/bench/list?page=20", "admin", baseline=True),
    BenchPage("Sign-in page", "/sign-in"),
    BenchPage("Commissioner home", "/home", "commissioner"),
    BenchPage("Contract overview", "/contracts/{contract_id}", "commissioner"),
    BenchPage("Contract history (audit, page 5)", "/contracts/{contract_id}/history?page=5", "commissioner"),
    BenchPage("Audit log, page 100 (admin)", "/admin/audit?page=100", "admin"),
    BenchPage("Users list (admin)", "/admin/users", "admin"),
    BenchPage("API: my contracts (JSON)", "/api/v1/contracts", "commissioner", api=True),
    BenchPage("Meetings of the year", "/contracts/{contract_id}/meetings", "commissioner"),
    BenchPage("Action log", "/contracts/{contract_id}/actions?status=all", "commissioner"),
    BenchPage(
        "Performance dashboard (60 measures, five years)",
        "/contracts/{contract_id}/performance?period=2026-03",
        "commissioner",
        target="≥ 0.5× the list; p95 < 100 ms",
    ),
    BenchPage(
        "API: computed performance for a month (60 measures)",
        "/api/v1/contracts/{contract_id}/performance/2026-03",
        "commissioner",
        api=True,
    ),
    BenchPage(
        "Finance dashboard (12 revenue lines, care ladder of 8, three years of returns)",
        "/contracts/{contract_id}/finance?period=2026-03",
        "commissioner",
        target="≥ 0.5× the list; p95 < 100 ms",
    ),
    BenchPage("Finance year view", "/contracts/{contract_id}/finance/year?year=2025/26", "commissioner"),
    BenchPage(
        "API: computed risk share for a month",
        "/api/v1/contracts/{contract_id}/finance/2026-03/risk-share",
        "commissioner",
        api=True,
    ),
]


@dataclass
class Measurement:
    name: str
    value: str
    note: str = ""


def _quarterly_pack(env: dict[str, str]) -> list[Measurement]:
    from monitoring.bench.reports import measurements

    return measurements(env)


def _spreadsheet_import(env: dict[str, str]) -> list[Measurement]:
    output = subprocess.run(
        [sys.executable, "-m", "monitoring.performance.bench"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    return [
        Measurement(
            f"KPI return spreadsheet (.xlsx, {figures['measures']} measures): read, validate and save",
            f"{figures['median_s'] * 1000:.0f} ms",
            f"target under 1 s; median of {figures['runs']}",
        )
    ]


# Areas add other measurements here: functions (env) -> list[Measurement], run after the page loads.
BENCH_EXTRAS: list[Callable[[dict[str, str]], list[Measurement]]] = [_quarterly_pack, _spreadsheet_import]


@dataclass
class Result:
    page: BenchPage
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    extra: dict = field(default_factory=dict)


def machine() -> list[str]:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read_text())
        memory = f", {int(match.group(1)) / 1024 / 1024:.0f} GiB memory" if match else ""
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.splitlines()
    return [
        f"{platform.system()} {platform.release()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){memory}",
        f"Python {platform.python_version()}, gunicorn with {WORKERS} sync workers on 127.0.0.1",
        f"Load: {wrk[0].split(' [')[0] if wrk else 'wrk'}, 2 threads, {CONNECTIONS} connections, {SECONDS} s a page",
    ]


class Database:
    """A fresh database for the run, and a description of it."""

    def __init__(self) -> None:
        configured = os.environ.get("DATABASE_URL")
        self.scratch: str | None = None
        if configured and make_url(configured).get_backend_name() == "postgresql":
            server = make_url(configured)
            self.scratch = f"monitoring_bench_{uuid.uuid4().hex[:8]}"
            self._admin(server, f'CREATE DATABASE "{self.scratch}"')
            self.url = server.set(database=self.scratch).render_as_string(hide_password=False)
            self.server = server
        else:
            path = ROOT / "instance" / "bench.db"
            path.parent.mkdir(exist_ok=True)
            path.unlink(missing_ok=True)
            self.url = f"sqlite:///{path}"

    @staticmethod
    def _admin(server, statement: str) -> None:
        engine = create_engine(server, isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(statement))
        engine.dispose()

    def describe(self) -> str:
        engine = create_engine(self.url)
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                version = connection.execute(text("SHOW server_version")).scalar()
                name = f"PostgreSQL {version}"
            else:
                version = connection.execute(text("select sqlite_version()")).scalar()
                name = f"SQLite {version} (file)"
        engine.dispose()
        return name

    def drop(self) -> None:
        if self.scratch:
            self._admin(self.server, f'DROP DATABASE IF EXISTS "{self.scratch}" WITH (FORCE)')


def flask(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "-m", "flask", *args], env=env, cwd=ROOT, check=True)


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("the app did not start")


def _session_cookie(headers: list[tuple[str, str]]) -> str | None:
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("session="):
            return value.split(";", 1)[0]
    return None


def sign_in(port: int, email: str, password: str) -> str:
    """Sign in through the real form (CSRF token and all); return the session cookie."""
    connection = HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", "/sign-in")
    response = connection.getresponse()
    page = response.read().decode()
    cookie = _session_cookie(response.getheaders())
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode({"csrf_token": token, "email": email, "password": password})
    connection.request(
        "POST",
        "/sign-in",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie or ""},
    )
    response = connection.getresponse()
    response.read()
    if response.status != 302:
        raise RuntimeError(f"bench sign-in as {email} failed with {response.status}")
    return _session_cookie(response.getheaders()) or ""


def load(url: str, headers: dict[str, str]) -> dict:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-s", str(LUA)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH_JSON "))
    figures = json.loads(line.removeprefix("BENCH_JSON "))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    figures["errors"] += int(non_2xx.group(1)) if non_2xx else 0
    return figures


def measure(page: BenchPage, base: str, cookies: dict[str, str], contract_id: int) -> Result:
    headers: dict[str, str] = {}
    if page.api:
        headers["Authorization"] = f"Bearer {BENCH_TOKEN}"
    elif page.user:
        headers["Cookie"] = cookies[page.user]
    figures = load(base + page.path.format(contract_id=contract_id), headers)
    seconds = figures["duration_us"] / 1e6
    return Result(
        page,
        figures["requests"] / seconds,
        figures["p50"] / 1000,
        figures["p95"] / 1000,
        figures["p99"] / 1000,
        figures["errors"],
    )


def report(results: list[Result], extras: list[Measurement], database: str, started: datetime) -> str:
    list_rps = next((r.rps for r in results if r.page.path.startswith("/bench/list")), None)
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (monitoring/bench/run.py); do not edit by hand. Pages are served by",
        "gunicorn on loopback from a generated data set (`flask bench-data`: 20 contracts, 300 people,",
        "100,000 audit events, plus what each area adds) and loaded by wrk from a second process.",
        "The two baselines are measured in the same run, so ratios hold across machines.",
        "",
        f"Run: {started:%Y-%m-%d %H:%M} UTC. Database: {database}.",
        "",
        *[f"- {line}" for line in machine()],
        "",
        "| page | requests/s | p50 ms | p95 ms | p99 ms | errors | vs 50-row list | target |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        ratio = f"{r.rps / list_rps:.2f}×" if list_rps else ""
        lines.append(
            f"| {r.page.name} | {r.rps:,.0f} | {r.p50_ms:.1f} | {r.p95_ms:.1f} | {r.p99_ms:.1f} | "
            f"{r.errors} | {ratio} | {r.page.target} |"
        )
    if extras:
        lines += ["", "## Other measurements", "", "| measurement | value | note |", "|---|---|---|"]
        lines += [f"| {m.name} | {m.value} | {m.note} |" for m in extras]
    return "\n".join(lines) + "\n"


def main() -> int:
    if shutil.which("wrk") is None:
        print("wrk is not installed: run scripts/system-deps.sh bench", file=sys.stderr)
        return 1
    started = datetime.now(UTC)
    database = Database()
    env = {
        **os.environ,
        "MONITORING_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": database.url,
        "BENCHMARK_ROUTES": "1",
        "FLASK_APP": "wsgi",
    }
    server = None
    try:
        flask(env, "db", "upgrade")
        flask(env, "bench-data")
        description = database.describe()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-w",
                str(WORKERS),
                "-b",
                f"127.0.0.1:{PORT}",
                "--access-logfile",
                "/dev/null",
                "--error-logfile",
                "-",
                "--log-level",
                "warning",
                "wsgi:app",
            ],
            env=env,
            cwd=ROOT,
        )
        wait_for(PORT)
        cookies = {role: sign_in(PORT, f"{role}@bench.test", BENCH_PASSWORD) for role in BENCH_USERS}
        engine = create_engine(database.url)
        with engine.connect() as connection:
            contract_id = connection.execute(text("SELECT min(id) FROM contract")).scalar()
        engine.dispose()
        base = f"http://127.0.0.1:{PORT}"
        results = []
        for page in BENCH_PAGES:
            result = measure(page, base, cookies, contract_id)
            print(
                f"{page.name:<45} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  "
                f"p95 {result.p95_ms:6.1f} ms  errors {result.errors}",
                flush=True,
            )
            results.append(result)
        extras = [m for extra in BENCH_EXTRAS for m in extra(env)]
        (ROOT / "docs" / "benchmarks.md").write_text(report(results, extras, description, started))
        print("written to docs/benchmarks.md")
        return 0 if all(r.errors == 0 for r in results) else 1
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        database.drop()


if __name__ == "__main__":
    sys.exit(main())
