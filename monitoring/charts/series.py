"""What a chart draws: named series of exact values, and how each kind of series looks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

Value = Decimal | int | None
KINDS = ("line", "target", "comparator")


@dataclass(frozen=True)
class Series:
    """One value per label (None where there is no data). `kind` is "line" (the measure),
    "target" or "comparator"."""

    name: str
    values: Sequence[Value]
    kind: str = "line"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a series' kind is one of {', '.join(KINDS)}, not {self.kind!r}")
        values = tuple(self.values)
        for value in values:
            # Floats would leak binary fractions into the labels; bools are ints by accident.
            if value is not None and (isinstance(value, bool) or not isinstance(value, Decimal | int)):
                raise TypeError(f"chart values are Decimal, int or None, not {type(value).__name__} ({value!r})")
            if isinstance(value, Decimal) and not value.is_finite():
                raise ValueError(f"chart values must be finite numbers, not {value}")
        object.__setattr__(self, "values", values)

    @property
    def known(self) -> list[Decimal | int]:
        return [v for v in self.values if v is not None]


@dataclass(frozen=True)
class LineStyle:
    colour: str
    width: float
    dash: str | None = None  # stroke-dasharray; None for a solid line
    markers: bool = False  # round point markers (the measure only)


# Every colour has at least 4.5:1 contrast against white; the dash pattern and the direct label
# carry the meaning, so colour is never the only signal.
MEASURE = LineStyle("#1d70b8", 3, markers=True)
TARGET = LineStyle("#0b0c0c", 2, "8 4")
COMPARATORS = (
    LineStyle("#505a5f", 2, "2 3"),
    LineStyle("#4c2c92", 2, "8 3 2 3"),
    LineStyle("#00703c", 2, "12 3"),
)


def line_styles(series: Sequence[Series]) -> list[LineStyle]:
    """The style of each series, in order: one measure, one target, up to three comparators."""
    counts = {kind: sum(s.kind == kind for s in series) for kind in KINDS}
    if counts["line"] > 1 or counts["target"] > 1 or counts["comparator"] > len(COMPARATORS):
        raise ValueError("a chart draws at most one measure, one target and three comparators")
    comparators = iter(COMPARATORS)
    return [{"line": MEASURE, "target": TARGET}.get(s.kind) or next(comparators) for s in series]
