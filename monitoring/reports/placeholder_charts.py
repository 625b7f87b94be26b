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
        f'role="img" aria-label="{escape(title)}">',
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
