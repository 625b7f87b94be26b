"""How a chart names its series without relying on colour: a legend row of line samples or
swatches, and each line's name beside its right end."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from monitoring.charts.scale import text_width
from monitoring.charts.series import LineStyle
from monitoring.charts.svg import FONT_SIZE, element, marker, polyline, text

LEGEND_ROW = 20
END_LABEL_OFFSET = 14  # from the plot's right edge to the names beside the lines


def line_sample(style: LineStyle) -> Callable[[float, float], str]:
    def draw(x: float, y: float) -> str:
        sample = polyline([(x, y), (x + 24, y)], style)
        return sample + (marker(x + 12, y, style) if style.markers else "")

    return draw


def legend(entries: Sequence[tuple[Callable[[float, float], str], str]], width: int) -> tuple[list[str], float]:
    """A row (wrapping when needed) of samples and names across the top; returns the parts and its height."""
    parts, x, row = [], 4.0, 0
    for draw, name in entries:
        needed = 30 + text_width(name, FONT_SIZE)
        if x > 4 and x + needed > width:
            x, row = 4.0, row + 1
        y = 12 + row * LEGEND_ROW
        parts.append(draw(x, y - 4))
        parts.append(text(x + 30, y, name))
        x += needed + 18
    return parts, (row + 1) * LEGEND_ROW if entries else 0


def spread(wanted: Sequence[float], heights: Sequence[float], top: float, bottom: float) -> list[float]:
    """Move label blocks (centres `wanted`) apart so none overlap, keeping them between top and bottom."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    tops = {}
    floor = top
    for i in order:
        tops[i] = max(wanted[i] - heights[i] / 2, floor)
        floor = tops[i] + heights[i]
    ceiling = bottom
    for i in reversed(order):
        tops[i] = max(min(tops[i], ceiling - heights[i]), top)
        ceiling = tops[i]
    return [tops[i] for i in range(len(wanted))]


def label_lines(name: str) -> list[str]:
    """A direct label's lines: long names wrap onto a second line (the legend gives them in full)."""
    return textwrap.wrap(name, 20, max_lines=2, placeholder="…") or [name]


def end_labels_width(names: Sequence[str]) -> float:
    """Room to keep right of the plot for the names (0 when there are none)."""
    widest = max((text_width(line, FONT_SIZE) for n in names for line in label_lines(n)), default=0)
    return widest + END_LABEL_OFFSET + 4 if widest else 0


def end_labels(labels: Sequence[tuple[str, float, str | None]], right: float, top: float, bottom: float) -> list[str]:
    """Each series' name beside the end of its line (name, y, colour), nudged apart so names never
    overlap, with a short leader in the line's colour from its end to its name (none when the colour
    is None: a line that stops before the last label has no end there to point at)."""
    blocks = [label_lines(name) for name, _, _ in labels]
    heights = [len(lines) * (FONT_SIZE + 1) + 2 for lines in blocks]
    tops = spread([y for _, y, _ in labels], heights, top, bottom)
    parts = []
    for (_, y, colour), lines, block_top in zip(labels, blocks, tops, strict=True):
        middle = block_top + (FONT_SIZE + 2) / 2
        if colour:
            parts.append(element("line", x1=right + 4, y1=y, x2=right + END_LABEL_OFFSET - 3, y2=middle, stroke=colour))
        for number, line in enumerate(lines):
            parts.append(text(right + END_LABEL_OFFSET, block_top + FONT_SIZE - 1 + number * (FONT_SIZE + 1), line))
    return parts
