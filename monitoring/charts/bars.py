"""Grouped bar charts: up to three series of bars per label, told apart by fill and pattern, and an
optional target drawn as a dashed step across the bars (e.g. contracted volume over actual activity)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from monitoring.charts import naming, svg
from monitoring.charts.frame import Frame, plot_frame, step_segments, x_labels
from monitoring.charts.scale import format_number, text_width
from monitoring.charts.series import TARGET, Series

GROUP_SHARE = 0.76  # of each label's width; the rest separates the groups
GAP = 2  # between the bars of one group
MOST_LABELS_WITH_VALUES = 12


@dataclass(frozen=True)
class BarStyle:
    fill: str  # "hatch" means the chart's own hatching pattern
    stroke: str
    stroke_width: float


BAR_STYLES = (
    BarStyle("#1d70b8", "#1d70b8", 1),
    BarStyle("hatch", "#1d70b8", 1.5),
    BarStyle("#ffffff", "#505a5f", 2),
)


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit_suffix: str = "",
    description: str | None = None,
    width: int = 640,
    height: int = 260,
) -> Markup:
    """An SVG bar chart: a group of bars per label, one bar for each series that is not a target."""
    labels = [str(label) for label in labels]
    svg.check_lengths(labels, series)
    bars = [s for s in series if s.kind != "target"]
    targets = [s for s in series if s.kind == "target"]
    if not 1 <= len(bars) <= len(BAR_STYLES) or len(targets) > 1:
        raise ValueError("a bar chart draws one to three series of bars and at most one target")
    cid = svg.chart_id("bars", title, labels, series, unit_suffix)
    styles = BAR_STYLES[: len(bars)]
    entries = [(_swatch(st, cid), s.name) for s, st in zip(bars, styles, strict=True)]
    legend, legend_height = naming.legend(entries + [(naming.line_sample(TARGET), t.name) for t in targets], width)
    right = width - max(naming.end_labels_width([t.name for t in targets if t.known]), 12)
    frame, y_labels = plot_frame(series, unit_suffix, legend_height + 14, right, height - 28)
    slot = (frame.right - frame.left) / max(len(labels), 1)
    centres = [frame.left + (index + 0.5) * slot for index in range(len(labels))]

    parts = [svg.root(cid, width, height, title, description or svg.describe(labels, series, unit_suffix))]
    if len(bars) > 1:
        parts.append(_hatching(cid))
    parts += frame.y_axis(y_labels)
    parts += _bars(bars, styles, centres, slot, frame, cid, unit_suffix, len(labels) <= MOST_LABELS_WITH_VALUES)
    parts.append(frame.zero_line())
    for target in targets:
        parts += [svg.polyline(seg, TARGET) for seg in step_segments(target.values, centres, slot / 2, frame)]
        if target.known:
            parts += naming.end_labels(
                [(target.name, frame.y(target.known[-1]), TARGET.colour if target.values[-1] is not None else None)],
                right,
                frame.top - 6,
                frame.bottom + 6,
            )
    parts += x_labels(labels, centres, slot, frame)
    return svg.finish(parts + legend)


def _fill(style: BarStyle, cid: str) -> str:
    return f"url(#{cid}-hatch)" if style.fill == "hatch" else style.fill


def _hatching(cid: str) -> str:
    """Blue diagonal hatching on white, defined once per chart (its id comes from the chart's)."""
    return (
        f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#ffffff"/>'
        '<path d="M0,6 L6,0 M-1.5,1.5 L1.5,-1.5 M4.5,7.5 L7.5,4.5" stroke="#1d70b8" stroke-width="1.5"/>'
        "</pattern></defs>"
    )


def _swatch(style: BarStyle, cid: str) -> Callable[[float, float], str]:
    def draw(x: float, y: float) -> str:
        return svg.element(
            "rect",
            x=x + 4,
            y=y - 6,
            width=16.0,
            height=12.0,
            fill=_fill(style, cid),
            stroke=style.stroke,
            stroke_width=style.stroke_width,
        )

    return draw


def _bars(
    bars: Sequence[Series],
    styles: Sequence[BarStyle],
    centres: Sequence[float],
    slot: float,
    frame: Frame,
    cid: str,
    unit: str,
    few_labels: bool,
) -> list[str]:
    group = slot * GROUP_SHARE
    width = (group - GAP * (len(bars) - 1)) / len(bars)
    words = [[None if v is None else format_number(v) + unit for v in s.values] for s in bars]
    # Values go above the bars only when every one fits over its bar; the description has them all.
    show_values = few_labels and all(text_width(w, svg.SMALL) <= width + GAP for row in words for w in row if w)
    zero = frame.y(0)
    shapes, notes = [], []
    for number, (s, style) in enumerate(zip(bars, styles, strict=True)):
        for centre, value, word in zip(centres, s.values, words[number], strict=True):
            x = centre - group / 2 + number * (width + GAP)
            if value is None:
                notes.append(_no_data(x + width / 2, zero, width + GAP))
                continue
            top, bottom = sorted((frame.y(value), zero))
            shapes.append(
                svg.element(
                    "rect",
                    x=x,
                    y=top,
                    width=width,
                    height=max(bottom - top, 0.5),
                    fill=_fill(style, cid),
                    stroke=style.stroke,
                    stroke_width=style.stroke_width,
                )
            )
            if show_values:
                y = top - 4 if value >= 0 else bottom + 12
                notes.append(svg.text(x + width / 2, y, word, svg.SMALL, text_anchor="middle"))
    return shapes + notes


def _no_data(centre: float, zero: float, room: float) -> str:
    """Write "no data" where the bar would be: across it when it fits, else reading upwards from the axis."""
    if text_width("no data", svg.SMALL) <= room:
        return svg.text(centre, zero - 5, "no data", svg.SMALL, fill=svg.SECONDARY, text_anchor="middle")
    x, y = centre + svg.SMALL / 3, zero - 5
    return svg.text(x, y, "no data", svg.SMALL, fill=svg.SECONDARY, transform=f"rotate(-90 {x:.1f} {y:.1f})")
