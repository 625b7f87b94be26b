"""SVG building blocks shared by the charts: escaped elements, lines and markers, and the root
with its title and a description that gives every value in words.

Only presentation attributes: the Content-Security-Policy forbids `style`, and WeasyPrint draws
these quickly (no filters, masks or text on paths).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence

from markupsafe import Markup, escape

from monitoring.charts.scale import format_number
from monitoring.charts.series import LineStyle, Series

FONT = "DejaVu Sans, Arial, sans-serif"  # the PDF's font first, as in print.css
TEXT, SECONDARY, GRID, NO_DATA_FILL = "#0b0c0c", "#505a5f", "#b1b4b6", "#f3f2f1"
FONT_SIZE, SMALL = 11, 10


@functools.cache
def _attribute_name(name: str) -> str:
    return name.rstrip("_").replace("_", "-")


def element(tag: str, content: str | None = None, **attributes: object) -> str:
    """`<tag a="…">content</tag>`; attribute names use _ for - (class_ for class); text is escaped."""
    attrs = []
    for name, value in attributes.items():
        if value is None:
            continue
        kind = type(value)
        # Coordinates are floats (one decimal place is plenty at this size); text is always escaped.
        written = f"{value:.1f}" if kind is float else str(value) if kind is int else escape(value)
        attrs.append(f' {_attribute_name(name)}="{written}"')
    if content is None:
        return f"<{tag}{''.join(attrs)}/>"
    return f"<{tag}{''.join(attrs)}>{escape(content)}</{tag}>"


def text(x: float, y: float, content: str, size: int = FONT_SIZE, **attributes: object) -> str:
    fill = attributes.pop("fill", TEXT)
    return element("text", content, x=float(x), y=float(y), font_size=size, fill=fill, **attributes)


def points(coordinates: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)


def chart_id(kind: str, title: str, labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """An id prefix made from the chart's content: unique between different charts on a page, and the
    same every time the same chart is drawn (published PDFs re-render to the same bytes)."""
    content = repr((kind, title, tuple(labels), unit, [(s.name, s.kind, [str(v) for v in s.values]) for s in series]))
    return "chart-" + hashlib.blake2b(content.encode(), digest_size=6).hexdigest()


def root(cid: str, width: int, height: int, title: str, desc: str) -> str:
    """The opening tags: scalable (viewBox; print.css and the SCSS size `.app-chart`), named for screen readers."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{FONT}">' + element("title", title, id=f"{cid}-title") + element("desc", desc, id=f"{cid}-desc")
    )


def finish(parts: list[str]) -> Markup:
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text and attribute went through element()/escape()


def describe(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """Every value in words, series by series; runs of the same value (or of no data) are summarised."""
    sentences = []
    for s in series:
        runs, start = [], 0
        for index in range(1, len(labels) + 1):
            if index < len(labels) and s.values[index] == s.values[start]:
                continue
            span = labels[start] if index - 1 == start else f"{labels[start]} to {labels[index - 1]}"
            value = s.values[start]
            runs.append(f"{span}: {'no data' if value is None else format_number(value) + unit}")
            start = index
        sentences.append(f"{s.name} — {'; '.join(runs)}.")
    return " ".join(sentences)


def polyline(coordinates: Sequence[tuple[float, float]], style: LineStyle) -> str:
    joins = "round" if style.markers else None  # dashes stay crisp with butt caps
    return element(
        "polyline",
        points=points(coordinates),
        fill="none",
        stroke=style.colour,
        stroke_width=style.width,
        stroke_dasharray=style.dash,
        stroke_linecap=joins,
        stroke_linejoin=joins,
    )


def marker(x: float, y: float, style: LineStyle) -> str:
    return element("circle", cx=x, cy=y, r=3.5, fill=style.colour, stroke="#ffffff", stroke_width=1)


def check_lengths(labels: Sequence[str], series: Sequence[Series]) -> None:
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(labels)} labels")
