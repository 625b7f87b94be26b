"""Line charts over periods: the measure as a solid line with markers, targets and comparators as
dashed and dotted steps, honest gaps where there is no data."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup

from monitoring.charts import naming, svg
from monitoring.charts.frame import Frame, plot_frame, step_segments, x_labels
from monitoring.charts.scale import text_width
from monitoring.charts.series import LineStyle, Series, Value, line_styles

DRAW_ORDER = {"comparator": 0, "target": 1, "line": 2}  # the measure is drawn last, on top
MARKER_SPACING = 10  # closer than this, only the ends of each stretch of line get a marker


def trend_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    unit_suffix: str = "",
    description: str | None = None,
    width: int = 640,
    height: int = 260,
) -> Markup:
    """An SVG line chart of `series` over the periods `labels` (one value per label in each series)."""
    labels = [str(label) for label in labels]
    svg.check_lengths(labels, series)
    styles = line_styles(series)
    cid = svg.chart_id("trend", title, labels, series, unit_suffix)
    legend, legend_height = naming.legend(
        [(naming.line_sample(st), s.name) for s, st in zip(series, styles, strict=True)], width
    )
    right = width - max(naming.end_labels_width([s.name for s in series if s.known]), 12)
    frame, y_labels = plot_frame(series, unit_suffix, legend_height + 14, right, height - 28)
    xs = _positions(len(labels), frame)
    spacing = xs[1] - xs[0] if len(xs) > 1 else 0.0

    measure = next((s for s in series if s.kind == "line"), None)
    shading, notes = _gaps(measure.values, xs, frame) if measure else ([], [])
    parts = [svg.root(cid, width, height, title, description or svg.describe(labels, series, unit_suffix))]
    parts += [
        *shading,
        *frame.y_axis(y_labels),
        frame.zero_line(),
        *notes,
        *x_labels(labels, xs, spacing, frame),
    ]
    parts += _lines(series, styles, xs, spacing, frame)
    ends = [
        (s.name, frame.y(s.known[-1]), st.colour if s.values[-1] is not None else None)
        for s, st in zip(series, styles, strict=True)
        if s.known
    ]
    parts += naming.end_labels(ends, right, frame.top - 6, frame.bottom + 6)
    return svg.finish(parts + legend)


def _lines(
    series: Sequence[Series], styles: Sequence[LineStyle], xs: Sequence[float], spacing: float, frame: Frame
) -> list[str]:
    """Comparators, then the target, as steps; the measure last, on top."""
    parts = []
    for s, style in sorted(zip(series, styles, strict=True), key=lambda pair: DRAW_ORDER[pair[0].kind]):
        if s.kind == "line":
            parts += _measure_line(s.values, xs, frame, style, spacing >= MARKER_SPACING or len(xs) < 2)
        else:
            half = spacing / 2 if spacing else (frame.right - frame.left) / 2
            parts += [svg.polyline(segment, style) for segment in step_segments(s.values, xs, half, frame)]
    return parts


def _positions(count: int, frame: Frame) -> list[float]:
    if count == 1:
        return [(frame.left + frame.right) / 2]
    step = (frame.right - frame.left) / max(count - 1, 1)
    return [frame.left + index * step for index in range(count)]


def _measure_line(
    values: Sequence[Value], xs: Sequence[float], frame: Frame, style: LineStyle, every_point: bool
) -> list[str]:
    """Separate polylines for each stretch of data; a lone point is a marker, so no gap is bridged."""
    lines, markers, run = [], [], []
    for x, value in zip([*xs, None], [*values, None], strict=True):
        if value is not None:
            run.append((x, frame.y(value)))
            continue
        if len(run) > 1:
            lines.append(svg.polyline(run, style))
        markers += run if every_point or len(run) < 2 else [run[0], run[-1]]
        run = []
    return lines + [svg.marker(x, y, style) for x, y in markers]


def _gaps(values: Sequence[Value], xs: Sequence[float], frame: Frame) -> tuple[list[str], list[str]]:
    """Shade each stretch with no data (from the last point before it to the first after) and say so."""
    shading, notes, notes_at, count, index = [], [], [], len(values), 0
    while index < count:
        if values[index] is not None:
            index += 1
            continue
        end = index
        while end + 1 < count and values[end + 1] is None:
            end += 1
        x1 = xs[index - 1] if index > 0 else frame.left
        x2 = xs[end + 1] if end + 1 < count else frame.right
        shading.append(
            svg.element(
                "rect",
                x=x1,
                y=float(frame.top),
                width=max(x2 - x1, 2.0),
                height=float(frame.bottom - frame.top),
                fill=svg.NO_DATA_FILL,
            )
        )
        note_x = _note_x((x1 + x2) / 2, frame)
        # Gaps a point or two apart share one note rather than printing over each other.
        if not notes_at or note_x - notes_at[-1] >= text_width("no data", svg.SMALL) + 6:
            notes.append(_no_data_note(values, index, end, note_x, frame))
            notes_at.append(note_x)
        index = end + 1
    return shading, notes


def _note_x(centre: float, frame: Frame) -> float:
    half_text = text_width("no data", svg.SMALL) / 2
    return min(max(centre, frame.left + half_text), frame.right - half_text)


def _no_data_note(values: Sequence[Value], first: int, last: int, x: float, frame: Frame) -> str:
    """Write "no data" in the shading, at the top or bottom: whichever is away from the line either side."""
    neighbours = [values[i] for i in (first - 1, last + 1) if 0 <= i < len(values) and values[i] is not None]
    line_is_high = any(frame.y(v) < (frame.top + frame.bottom) / 2 for v in neighbours)
    y = frame.bottom - 5 if line_is_high else frame.top + 12
    return svg.text(x, y, "no data", svg.SMALL, fill=svg.SECONDARY, text_anchor="middle")
