"""A minimal hand-drawn SVG bar chart for the reports' own pages and benchmark.

Placeholder only: the performance area's chart module (monitoring/charts/) replaces it when it
lands. Drawn as plain SVG with presentation attributes (allowed by the Content-Security-Policy),
a title and description for screen readers, and values written on the bars so colour is never
the only signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40


def bar_chart(points: Sequence[tuple[str, float | int | Decimal | None]], title: str, description: str = "") -> Markup:
    """Bars for (label, value) points; a missing value leaves an honest gap marked "no data"."""
    values = [float(v) for _, v in points if v is not None]
    top = max(values, default=1.0) * 1.1 or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(points), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description)}</desc>" if description else "",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" '
        'stroke="#0b0c0c" stroke-width="1"/>',
    ]
    for index, (label, value) in enumerate(points):
        x = LEFT + index * slot + slot * 0.15
        width = slot * 0.7
        centre = x + width / 2
        if value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + plot_h - 6}" text-anchor="middle" font-size="12" '
                'fill="#505a5f">no data</text>'
            )
        else:
            height = float(value) / top * plot_h
            y = TOP + plot_h - height
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="#1d70b8"/>')
            parts.append(
                f'<text x="{centre:.1f}" y="{y - 4:.1f}" text-anchor="middle" font-size="12" fill="#0b0c0c">'
                f"{escape(_number(value))}</text>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" fill="#0b0c0c">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value and label above went through escape()


def _number(value: float | int | Decimal) -> str:
    number = Decimal(str(value))
    return f"{number:,.0f}" if number == number.to_integral_value() else f"{number:,.1f}"


def line_chart(
    points: Sequence[tuple[str, float | int | Decimal | None]], title: str, target: float | None = None
) -> Markup:
    """A trend line over (label, value) points: a missing value breaks the line (an honest gap);
    a dashed line marks the target. Every point carries its value in the description."""
    values = [float(v) for _, v in points if v is not None] + ([target] if target is not None else [])
    low, high = min(values, default=0.0), max(values, default=1.0)
    span = (high - low) or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return TOP + plot_h - (value - low) / span * plot_h

    segments: list[list[str]] = [[]]
    for index, (_, value) in enumerate(points):
        if value is None:
            segments.append([])
        else:
            segments[-1].append(f"{LEFT + index * step:.1f},{y(float(value)):.1f}")
    described = "; ".join(f"{label}: {'no data' if v is None else _number(v)}" for label, v in points)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(title)}" font-family="DejaVu Sans, Arial, sans-serif">',
        f"<title>{escape(title)}</title><desc>{escape(described)}</desc>",
        f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_h}" stroke="#0b0c0c"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11">{escape(_number(high))}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_h}" text-anchor="end" font-size="11">{escape(_number(low))}</text>',
    ]
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" y1="{y(target):.1f}" x2="{WIDTH - RIGHT}" y2="{y(target):.1f}" '
            'stroke="#505a5f" stroke-dasharray="6 4"/>'
        )
    for segment in segments:
        if len(segment) > 1:
            parts.append(f'<polyline points="{" ".join(segment)}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    for index in range(0, len(points), max(1, len(points) // 5)):
        parts.append(
            f'<text x="{LEFT + index * step:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="11">'
            f"{escape(points[index][0])}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value and label above went through escape()
