"""The plotting area: its y scale from exact ticks, grid and axis, period labels, and step lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from monitoring.charts.scale import format_number, labels_that_fit, nice_ticks, text_width
from monitoring.charts.series import Series
from monitoring.charts.svg import FONT_SIZE, GRID, TEXT, element, text


@dataclass(frozen=True)
class Frame:
    """The plotting area and its y scale (ticks are exact; coordinates are floats)."""

    left: float
    top: float
    right: float
    bottom: float
    ticks: Sequence[Decimal]

    def __post_init__(self) -> None:
        low, high = float(self.ticks[0]), float(self.ticks[-1])
        object.__setattr__(self, "_low", low)
        object.__setattr__(self, "_per_unit", (self.bottom - self.top) / (high - low))

    def y(self, value: Decimal | int) -> float:
        return self.bottom - (float(value) - self._low) * self._per_unit

    def y_axis(self, tick_labels: Sequence[str]) -> list[str]:
        """Light grid lines (one path) and a label at each tick."""
        ys = [self.y(tick) for tick in self.ticks]
        grid = "".join(f"M{self.left:.1f},{y:.1f}H{self.right:.1f}" for y, t in zip(ys, self.ticks, strict=True) if t)
        parts = [element("path", d=grid, stroke=GRID, stroke_width=0.5)] if grid else []
        return parts + [
            text(self.left - 6, y + 4, label, text_anchor="end") for y, label in zip(ys, tick_labels, strict=True)
        ]

    def zero_line(self) -> str:
        """The axis, drawn over the bars and the shading (zero is always on the scale)."""
        y = self.y(0)
        return element("line", x1=float(self.left), y1=y, x2=float(self.right), y2=y, stroke=TEXT, stroke_width=1)


def tick_labels(ticks: Sequence[Decimal], unit: str) -> list[str]:
    return [format_number(t) + unit for t in ticks]


def step_segments(
    values: Sequence[Decimal | int | None], centres: Sequence[float], half: float, frame: Frame
) -> list[list[tuple[float, float]]]:
    """A value per label drawn as a step (level across each label's width, rising or falling between
    labels); a missing value breaks it. Levels that do not change add no points."""
    segments: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] | None = None
    previous = None
    for value, centre in zip(values, centres, strict=True):
        if value is None:
            current = previous = None
            continue
        y, start, end = frame.y(value), max(frame.left, centre - half), min(frame.right, centre + half)
        if current is None:
            current = [(start, y), (end, y)]
            segments.append(current)
        elif value == previous:
            current[-1] = (end, y)
        else:
            current += [(start, y), (end, y)]
        previous = value
    return segments


def x_labels(labels: Sequence[str], centres: Sequence[float], spacing: float, frame: Frame) -> list[str]:
    """As many period labels as fit without touching, evenly picked, always the first and last."""
    picked = labels_that_fit(list(labels), spacing, FONT_SIZE)
    ticks = "".join(f"M{centres[i]:.1f},{frame.bottom:.1f}v4" for i in picked)
    parts = [element("path", d=ticks, stroke=TEXT, stroke_width=1)] if ticks else []
    return parts + [text(centres[i], frame.bottom + 16, labels[i], text_anchor="middle") for i in picked]


def plot_frame(series: Sequence[Series], unit: str, top: float, right: float, bottom: float) -> tuple[Frame, list[str]]:
    """The frame for all the series' values, with room on the left for its tick labels, and those labels."""
    ticks = nice_ticks(v for s in series for v in s.known)
    labels = tick_labels(ticks, unit)
    left = max(text_width(label, FONT_SIZE) for label in labels) + 12
    return Frame(left, top, right, bottom, ticks), labels
