"""Benchmark of a quarterly pack (`make bench`, or `python -m monitoring.bench.reports` on its own).

A pack of about ten pages: the summary's own sections plus a 60-row KPI table and 12 five-year
trend charts (generated data shaped like the performance area's). Measured in one run:
the whole path (gather the data, build the HTML, render the PDF in the bounded child) against
WeasyPrint's own time for the same HTML, the child's peak memory, and how long three ways of
drawing the 12 charts take, with the pack's render time for each.
"""

from __future__ import annotations

import io
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from markupsafe import Markup

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("BENCH_PACK_RUNS", "5"))
TARGET_SECONDS, TARGET_MB, TARGET_OVERHEAD = 2.5, 250, 0.30


def _series(rng: random.Random) -> list[tuple[str, float | None]]:
    value = rng.uniform(40, 90)
    points: list[tuple[str, float | None]] = []
    for month in range(60):
        value += rng.uniform(-3, 3)
        year, index = 2013 + (month + 3) // 12, (month + 3) % 12 + 1
        gap = 30 <= month < 33  # a case-management change: three months with no data
        points.append((f"{index:02d}/{year % 100:02d}", None if gap else round(value, 1)))
    return points


def _kpis(rng: random.Random) -> dict:
    rows = []
    for n in range(60):
        rag = rng.choice(["Green", "Amber", "Red", "Grey"])
        rows.append(
            {
                "code": f"KPI{n + 1:02d}",
                "title": f"Measure {n + 1} of children's social care performance",
                "value": f"{rng.uniform(5, 95):.1f}%",
                "target": f"{rng.uniform(5, 95):.1f}%",
                "rag": rag,
                "arrow": rng.choice(["↑ Improved", "↓ Declined", "→ Sustained"]),
                "face": rng.choice(["☺ Likely", "😐 May", "☹ Unlikely"]),
                "england": f"{rng.uniform(5, 95):.1f}",
                "neighbours": f"{rng.uniform(5, 95):.1f}",
            }
        )
    return {"rows": rows}


def hand_built(chart: dict) -> Markup:
    """The app's own chart module (monitoring/charts), given the same points as the libraries."""
    from monitoring.charts import Series, trend_chart

    labels = [label for label, _ in chart["points"]]
    # The stand-in data is float (the libraries take floats); the module takes exact values.
    values = [None if value is None else Decimal(str(value)) for _, value in chart["points"]]
    target = Decimal(str(chart["target"]))
    series = [Series("Measure", values, "line"), Series("Target", [target] * len(labels), "target")]
    return trend_chart(labels, series, title=chart["title"], unit_suffix="%")


def pygal_chart(chart: dict) -> Markup:
    import pygal

    line = pygal.Line(
        width=640,
        height=240,
        show_legend=False,
        disable_xml_declaration=True,
        js=[],
        show_dots=False,
        x_label_rotation=0,
        show_minor_x_labels=False,
    )
    line.title = chart["title"]
    line.x_labels = [label for label, _ in chart["points"]]
    line.x_labels_major = line.x_labels[::12]
    line.add("value", [value for _, value in chart["points"]])
    return Markup(line.render(is_unicode=True))  # noqa: S704 - benchmark data, no user text


def matplotlib_chart(chart: dict) -> Markup:
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6.4, 2.4))
    labels = [label for label, _ in chart["points"]]
    axes.plot(labels, [float("nan") if v is None else v for _, v in chart["points"]])
    axes.axhline(chart["target"], linestyle="--")
    axes.set_title(chart["title"])
    axes.set_xticks(labels[::12])
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    pyplot.close(figure)
    text = buffer.getvalue()
    return Markup(text[text.index("<svg") :])  # noqa: S704 - benchmark data, no user text


CHART_MAKERS: dict[str, Callable[[dict], Markup]] = {
    "hand-built SVG": hand_built,
    "pygal": pygal_chart,
    "matplotlib": matplotlib_chart,
}


def _available(name: str) -> bool:
    module = {"pygal": "pygal", "matplotlib": "matplotlib"}.get(name)
    if module is None:
        return True
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def _bench_sections(rng: random.Random) -> list:
    from monitoring.reports.sections import SummarySection, load_sections

    kpis = _kpis(rng)
    charts = {
        "charts": [
            {"title": f"Measure {n + 1}: five-year trend", "points": _series(rng), "target": 70.0} for n in range(12)
        ]
    }
    return [
        *load_sections(),
        SummarySection(
            "bench_kpis", "Key performance indicators", 50, "reports/sections/bench_kpi_table.html", lambda c, p: kpis
        ),
        SummarySection(
            "bench_charts", "Trends over five years", 55, "reports/sections/bench_charts.html", lambda c, p: charts
        ),
    ]


def measure() -> dict[str, Any]:
    """Run inside an app context on the bench database; return the figures as plain data."""
    from sqlalchemy import select

    from monitoring.contracts.models import Contract
    from monitoring.extensions import db
    from monitoring.reports import pdf
    from monitoring.reports.compose import compose, render_pdf_html
    from monitoring.reports.models import Summary
    from monitoring.reports.periods import PeriodKind

    contract = db.session.scalars(select(Contract).order_by(Contract.id)).first()
    summary = Summary(
        contract=contract,
        period_kind=PeriodKind.QUARTER,
        financial_year=2017,
        period_number=2,
        narrative={"executive_summary": "Benchmark pack.", "going_well": "- One\n- Two", "needs_improvement": "Three"},
    )
    sections = _bench_sections(random.Random(2017))
    env = __import__("flask").current_app.jinja_env

    def build_html(maker: Callable[[dict], Markup]) -> str:
        env.globals["bench_chart"] = maker
        content = compose(summary, sections)
        return render_pdf_html(content, draft=True, approval=None, created=content["meta"]["built_at"])

    pdf.render(build_html(hand_built))  # warm the fork server, as a running scheduler's is
    whole, inner, whole_cpu, inner_cpu, peaks, pages = [], [], [], [], [], 0
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = pdf.render(build_html(hand_built))
        whole.append(time.perf_counter() - started)
        # The parent's processor time (data, HTML, fork, pipe) plus the child's (WeasyPrint).
        whole_cpu.append(time.process_time() - started_cpu + result.cpu_seconds)
        inner.append(result.seconds)
        inner_cpu.append(result.cpu_seconds)
        peaks.append(result.peak_mb)
        pages = result.pages
    figures: dict[str, Any] = {
        "pages": pages,
        "whole_s": statistics.median(whole),
        "weasyprint_s": statistics.median(inner),
        "whole_cpu_s": statistics.median(whole_cpu),
        "weasyprint_cpu_s": statistics.median(inner_cpu),
        "load": os.getloadavg()[0],
        "peak_mb": max(peaks),
        "charts": {},
    }
    rng = random.Random(7)
    sample = [{"title": f"Measure {n}", "points": _series(rng), "target": 70.0} for n in range(12)]
    for name, maker in CHART_MAKERS.items():
        if not _available(name):
            figures["charts"][name] = None
            continue
        started = time.perf_counter()
        for chart in sample:
            maker(chart)
        drawing = time.perf_counter() - started
        html = build_html(maker)
        result = pdf.render(html)
        figures["charts"][name] = {
            "draw_12_ms": drawing * 1000,
            "pack_s": result.seconds,
            "pack_cpu_s": result.cpu_seconds,
            "html_kb": len(html) / 1024,
        }
    return figures


def measurements(env: dict[str, str]) -> list:
    """For monitoring/bench/run.py: run this module against the bench database, report its figures."""
    from monitoring.bench.run import Measurement

    output = subprocess.run(
        [sys.executable, "-m", "monitoring.bench.reports", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    overhead = figures["whole_s"] / figures["weasyprint_s"] - 1
    overhead_cpu = figures["whole_cpu_s"] / figures["weasyprint_cpu_s"] - 1
    rows = [
        Measurement(
            f"Quarterly pack PDF, whole path ({figures['pages']} pages, 60-row KPI table, 12 charts)",
            f"{figures['whole_s']:.2f} s ({figures['whole_cpu_s']:.2f} s of processor)",
            f"target under {TARGET_SECONDS} s; data, HTML and the bounded child; median of {RUNS}; "
            f"load average {figures['load']:.1f} on {os.cpu_count()} cores",
        ),
        Measurement(
            "Quarterly pack PDF, WeasyPrint alone (same HTML)",
            f"{figures['weasyprint_s']:.2f} s ({figures['weasyprint_cpu_s']:.2f} s of processor)",
            "",
        ),
        Measurement(
            "Quarterly pack PDF, what data and HTML add to WeasyPrint's time",
            f"{overhead:.0%} ({overhead_cpu:.0%} of processor time)",
            f"target at most {TARGET_OVERHEAD:.0%}",
        ),
        Measurement(
            "Quarterly pack PDF, renderer's peak memory", f"{figures['peak_mb']:.0f} MB", f"target under {TARGET_MB} MB"
        ),
    ]
    for name, chart in figures["charts"].items():
        if chart is None:
            rows.append(Measurement(f"12 charts with {name}", "not installed", "pip install -e '.[bench]'"))
        else:
            rows.append(
                Measurement(
                    f"12 charts with {name}",
                    f"{chart['draw_12_ms']:.0f} ms to draw; pack renders in {chart['pack_s']:.2f} s "
                    f"({chart['pack_cpu_s']:.2f} s of processor)",
                    f"HTML {chart['html_kb']:.0f} KB",
                )
            )
    return rows


def main() -> int:
    from monitoring import create_app
    from monitoring.audit.recorder import SYSTEM, acting_as
    from monitoring.extensions import db

    app = create_app()
    with app.app_context(), acting_as(SYSTEM):
        figures = measure()
        db.session.rollback()
    if "--json" in sys.argv:
        print(json.dumps(figures))
    else:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
