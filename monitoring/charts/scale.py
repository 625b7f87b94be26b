"""Numbers for the axes: round tick values, exact number wording, which labels to print."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from math import ceil

# Steps between printed x labels: quarters, years and so on read naturally on monthly data.
LABEL_STEPS = (1, 2, 3, 4, 6, 12, 24, 36, 48, 60, 120)


def nice_ticks(values: Iterable[Decimal | int], intervals: int = 5) -> list[Decimal]:
    """Round tick values (steps of 1, 2 or 5 times a power of ten) from zero or below to the top of the data."""
    numbers = [Decimal(v) for v in values]
    low, high = min([Decimal(0), *numbers]), max([Decimal(0), *numbers])
    if low == high:
        high = low + 10
    raw = (high - low) / intervals
    magnitude = Decimal(1).scaleb(raw.adjusted())
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    start = (low / step).to_integral_value(ROUND_FLOOR) * step
    stop = (high / step).to_integral_value(ROUND_CEILING) * step
    return [start + step * i for i in range(int((stop - start) / step) + 1)]


def format_number(value: Decimal | int) -> str:
    """12345 → 12,345; Decimal("82.30") → 82.3: exact, with no float on the way."""
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value.normalize():,f}"


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of a label's width in DejaVu Sans (wider than Arial), for layout."""
    return len(text) * font_size * 0.62


def label_indices(count: int, every: int, closest: int) -> list[int]:
    """Which of `count` evenly spaced labels to print, when printed labels must be at least `every`
    places apart (the last may come as close as `closest`): always the first and the last."""
    step = next((s for s in LABEL_STEPS if s >= every), every)
    picks = list(range(0, count, step))
    if picks and picks[-1] != count - 1:
        if count - 1 - picks[-1] < closest and len(picks) > 1:
            picks[-1] = count - 1  # it replaces the one before rather than touching it
        else:
            picks.append(count - 1)
    return picks


def labels_that_fit(labels: list[str], spacing: float, font_size: float) -> list[int]:
    """Indices of the labels to print when neighbouring labels' centres sit `spacing` apart."""
    if len(labels) < 2 or spacing <= 0:
        return list(range(len(labels)))
    widest = max(text_width(label, font_size) for label in labels)
    comfortable, touching = widest * 1.35 + 8, widest + 6
    return label_indices(len(labels), ceil(comfortable / spacing), ceil(touching / spacing))
