"""The chart module as a reader meets it: the SVG parsed back, the desc read aloud, the PDF's text.

Charts are built from exact values: a gap in the data stays a gap, every series is named on the
chart, and nothing in the SVG would be refused by the Content-Security-Policy or clash on a page.
"""

from __future__ import annotations

import random
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest

from monitoring.charts import Series, bar_chart, trend_chart
from monitoring.charts.scale import label_indices, nice_ticks
from monitoring.charts.series import COMPARATORS, MEASURE, TARGET
from monitoring.reports.pdf import render_pdf

NS = "{http://www.w3.org/2000/svg}"
D = Decimal


def months(count: int, start_year: int = 2017) -> list[str]:
    """Monthly labels from April: 2017-04, 2017-05, …"""
    return [f"{start_year + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(count)]


def parse(chart: str) -> ET.Element:
    return ET.fromstring(str(chart))  # noqa: S314 - the module's own output, not untrusted input


def texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text")]


def measure_lines(root: ET.Element) -> list[list[tuple[float, float]]]:
    """The measure's polylines (solid, thick) as lists of points."""
    lines = []
    for line in root.iter(f"{NS}polyline"):
        if line.get("stroke") == MEASURE.colour and line.get("stroke-dasharray") is None:
            lines.append([tuple(map(float, p.split(","))) for p in line.get("points").split()])
    return [points for points in lines if len(points) > 2]  # the legend's sample has two points


def care_leavers(values: list) -> list[Series]:
    labels = len(values)
    return [
        Series("Doncaster", values, "line"),
        Series("Target", [D(70)] * (labels - labels // 4) + [D(75)] * (labels // 4), "target"),
        Series("England", [D("68.5")] * labels, "comparator"),
        Series("Statistical neighbours", [D("66.2")] * (labels // 2) + [None] * (labels - labels // 2), "comparator"),
    ]


def test_a_gap_in_the_data_breaks_the_line_and_nothing_is_drawn_across_it() -> None:
    values = [D("80.1"), D("81.4"), D("79.9"), None, None, D("82.0"), D("83.5"), D("84.1")]
    root = parse(trend_chart(months(8), [Series("Doncaster", values)], title="Care leavers in touch"))

    first, second = measure_lines(root)
    assert len(first) == 3 and len(second) == 3
    # Nothing joins the last point before the gap to the first point after it.
    assert max(x for x, _ in first) < min(x for x, _ in second)
    gap_from, gap_to = first[-1][0], second[0][0]
    for line in measure_lines(root):
        assert all(x <= gap_from for x, _ in line) or all(x >= gap_to for x, _ in line)
    # The gap is shaded and says so.
    assert "no data" in texts(root)


def test_a_lone_point_between_gaps_is_a_marker_not_a_line() -> None:
    values = [D(60), D(61), None, D(65), None, D(62), D(63)]
    root = parse(trend_chart(months(7), [Series("Doncaster", values)], title="Lone point"))

    assert len(measure_lines(root)) == 0  # every stretch here is two points or one
    lines = [p for p in root.iter(f"{NS}polyline") if p.get("stroke") == MEASURE.colour]
    assert [len(p.get("points").split()) for p in lines] == [2, 2, 2]  # legend sample, then the two stretches
    markers = {(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{NS}circle")}
    lone_x = sorted(x for x, _ in markers)[3]  # the legend's marker, two at the first stretch's ends, then it
    assert all(lone_x not in (float(x) for x, _ in (pt.split(",") for pt in p.get("points").split())) for p in lines)


def test_the_description_gives_every_value_and_says_no_data_for_missing_ones() -> None:
    values = [D("82.3"), None, None, None, D("79.0")]
    root = parse(trend_chart(months(5), care_leavers(values), title="Care leavers", unit_suffix="%"))

    desc = root.find(f"{NS}desc").text
    assert "Doncaster — 2017-04: 82.3%; 2017-05 to 2017-07: no data; 2017-08: 79%." in desc
    assert "Statistical neighbours — 2017-04 to 2017-05: 66.2%; 2017-06 to 2017-08: no data." in desc
    assert root.get("aria-labelledby").split() == [root.find(f"{NS}title").get("id"), root.find(f"{NS}desc").get("id")]
    assert root.get("role") == "img"


def test_a_given_description_replaces_the_generated_one() -> None:
    chart = bar_chart(["2016/17", "2017/18"], [Series("Children", [64_000, 65_492])], title="Pop", description="Rising")
    assert parse(chart).find(f"{NS}desc").text == "Rising"


def test_twelve_charts_on_one_page_share_no_ids() -> None:
    rng = random.Random(12)
    charts = []
    for n in range(12):
        values = [None if 30 <= m < 33 else D(rng.randint(400, 900)) / 10 for m in range(60)]
        draw = bar_chart if n % 3 == 0 else trend_chart
        series = care_leavers(values) if draw is trend_chart else [Series("A", values), Series("B", values)]
        charts.append(draw(months(60), series, title=f"Measure {n + 1}", unit_suffix="%"))
    page = parse(f"<div>{''.join(charts)}</div>")

    ids = [element.get("id") for element in page.iter() if element.get("id")]
    assert len(ids) == len(set(ids)) == 12 * 2 + 4  # title and desc each, and the bar charts' hatching
    for svg in page:
        own = {element.get("id") for element in svg.iter()}
        assert set(svg.get("aria-labelledby").split()) <= own


def test_the_same_chart_drawn_twice_is_the_same_text() -> None:
    """Published PDFs re-render to the same bytes, so ids come from the content, not a counter."""
    draw = lambda: trend_chart(months(12), care_leavers([D(70)] * 12), title="Same")  # noqa: E731
    assert draw() == draw()


def test_no_inline_style_script_or_external_reference() -> None:
    values = [D(1), None, D(3)]
    for chart in (
        trend_chart(months(3), care_leavers(values), title="T"),
        bar_chart(months(3), [Series("A", values), Series("B", values), Series("C", values, "comparator")], title="B"),
    ):
        root = parse(chart)
        for element in root.iter():
            assert element.tag not in (f"{NS}style", f"{NS}script", f"{NS}image", f"{NS}foreignObject")
            assert "style" not in element.attrib
            assert not any("href" in name for name in element.attrib)
            assert all(v.startswith("url(#") for k, v in element.attrib.items() if "url(" in v)


def test_title_and_names_are_escaped_never_markup() -> None:
    nasty = '<script>alert("x")</script> & co'
    chart = trend_chart(months(2), [Series(nasty, [D(1), D(2)])], title=nasty)
    root = parse(chart)

    assert "<script>" not in chart and "&lt;script&gt;" in chart
    assert not list(root.iter(f"{NS}script"))
    assert root.find(f"{NS}title").text == nasty
    assert nasty in texts(root)


def test_each_kind_of_line_has_its_own_dash_pattern_and_every_series_is_named_on_the_chart() -> None:
    root = parse(trend_chart(months(24), care_leavers([D(70)] * 24), title="Kinds", unit_suffix="%"))

    dashes = {}
    for line in root.iter(f"{NS}polyline"):
        dashes.setdefault(line.get("stroke"), set()).add(line.get("stroke-dasharray"))
    assert dashes[MEASURE.colour] == {None}
    assert dashes[TARGET.colour] == {TARGET.dash}
    assert dashes[COMPARATORS[0].colour] == {"2 3"} and dashes[COMPARATORS[1].colour] == {"8 3 2 3"}
    assert len({TARGET.dash, COMPARATORS[0].dash, COMPARATORS[1].dash}) == 3
    words = texts(root)
    for name in ("Doncaster", "Target", "England"):
        assert words.count(name) == 2  # once in the legend, once beside the end of its line
    # A long name wraps onto two lines beside its line; the legend has it whole.
    assert words.count("Statistical neighbours") == 1 and {"Statistical", "neighbours"} <= set(words)


def test_the_colours_have_at_least_three_to_one_contrast_against_white() -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for style in (MEASURE, TARGET, *COMPARATORS):
        assert 1.05 / (luminance(style.colour) + 0.05) >= 3


def test_y_axis_ticks_are_round_numbers_from_zero_covering_the_data() -> None:
    values = [D("41.5"), D("87.2"), D("63.0")]
    root = parse(trend_chart(months(3), [Series("Doncaster", values)], title="Ticks", unit_suffix="%"))

    ticks = [Decimal(t.text.rstrip("%")) for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks == [0, 20, 40, 60, 80, 100]


@pytest.mark.parametrize(
    ("values", "ticks"),
    [
        ([D("41.5"), D("87.2")], "0 20 40 60 80 100"),
        ([65_492, 64_000], "0 20000 40000 60000 80000"),
        ([D("0.31"), D("0.07")], "0 0.1 0.2 0.3 0.4"),
        ([D(-12), D(30)], "-20 -10 0 10 20 30"),
        ([], "0 2 4 6 8 10"),
        ([0, 0], "0 2 4 6 8 10"),
    ],
)
def test_nice_ticks(values: list, ticks: str) -> None:
    assert " ".join(f"{t.normalize():f}" for t in nice_ticks(values)) == ticks


@pytest.mark.parametrize(
    ("count", "every", "closest", "picked"),
    [
        (5, 1, 1, [0, 1, 2, 3, 4]),
        (60, 10, 7, [0, 12, 24, 36, 48, 59]),  # yearly on monthly data, and the last month
        (60, 5, 4, [0, 6, 12, 18, 24, 30, 36, 42, 48, 54, 59]),
        (12, 3, 2, [0, 3, 6, 9, 11]),
        (12, 2, 2, [0, 2, 4, 6, 8, 11]),  # the last label replaces one it would touch
    ],
)
def test_x_labels_are_evenly_picked_with_the_first_and_last(count: int, every: int, closest: int, picked: list) -> None:
    assert label_indices(count, every, closest) == picked


def test_sixty_monthly_labels_print_a_few_always_first_and_last() -> None:
    labels = months(60)
    root = parse(trend_chart(labels, [Series("Doncaster", [D(50)] * 60)], title="Months"))
    printed = [t for t in texts(root) if t in labels]
    assert printed[0] == "2017-04" and printed[-1] == "2022-03" and 3 <= len(printed) <= 8


def test_a_bar_chart_shows_no_data_for_a_missing_value_and_writes_the_others_on_the_bars() -> None:
    years = ["2013/14", "2014/15", "2015/16", "2016/17", "2017/18"]
    root = parse(bar_chart(years, [Series("Children", [64_210, 64_530, None, 65_102, 65_492])], title="Children"))

    bars = [r for r in root.iter(f"{NS}rect") if r.get("fill") == "#1d70b8"]
    assert len(bars) == 4 + 1  # four years with data, and the legend's swatch
    words = texts(root)
    assert words.count("no data") == 1
    assert {"64,210", "64,530", "65,102", "65,492"} <= set(words)
    assert "Children — 2013/14: 64,210; 2014/15: 64,530; 2015/16: no data;" in root.find(f"{NS}desc").text


def test_bar_series_are_told_apart_by_pattern_and_a_target_is_a_dashed_step() -> None:
    labels = months(12)
    actual = [D(120 + n) for n in range(12)]
    actual[4] = None
    series = [
        Series("Actual activity", actual),
        Series("Forecast", [D(125)] * 12, "comparator"),
        Series("Contracted volume", [D(130)] * 6 + [D(140)] * 6, "target"),
    ]
    root = parse(bar_chart(labels, series, title="Care ladder: residential placements"))

    pattern = root.find(f"{NS}defs/{NS}pattern")
    hatched = [r for r in root.iter(f"{NS}rect") if r.get("fill") == f"url(#{pattern.get('id')})"]
    assert len(hatched) == 12 + 1  # every month's forecast, and the legend's swatch
    steps = [p.get("points").split() for p in root.iter(f"{NS}polyline") if p.get("stroke-dasharray") == TARGET.dash]
    assert sorted(len(points) for points in steps) == [2, 4]  # the legend's sample; the step across the bars
    levels = {float(point.split(",")[1]) for point in max(steps, key=len)}
    assert len(levels) == 2  # it steps up once, from 130 to 140
    assert "no data" in texts(root) and "Contracted volume" in texts(root)


@pytest.mark.parametrize("value", [1.5, True, "70", D("NaN")])
def test_values_must_be_exact_numbers(value: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        Series("Doncaster", [D(1), value])


def test_a_float_is_rejected_with_a_type_error() -> None:
    with pytest.raises(TypeError, match="Decimal, int or None"):
        trend_chart(["2017-04"], [Series("Doncaster", [70.1])], title="Floats")


def test_a_series_must_have_one_value_per_label() -> None:
    with pytest.raises(ValueError, match="3 values for 2 labels"):
        trend_chart(["a", "b"], [Series("Doncaster", [1, 2, 3])], title="Lengths")
    with pytest.raises(ValueError, match="at most one measure"):
        trend_chart(["a"], [Series("A", [1]), Series("B", [2])], title="Two measures")


def test_a_chart_stays_small_enough_to_render_quickly() -> None:
    rng = random.Random(60)
    values = [None if 30 <= m < 33 else D(rng.randint(400, 900)) / 10 for m in range(60)]
    root = parse(trend_chart(months(60), care_leavers(values), title="Sixty months", unit_suffix="%"))
    assert sum(1 for _ in root.iter()) < 80


def test_the_benchmark_draws_its_charts_with_this_module() -> None:
    from monitoring.bench import reports

    chart = {"title": "Measure 1: five-year trend", "points": reports._series(random.Random(7)), "target": 70.0}
    root = parse(reports.hand_built(chart))
    assert root.tag == f"{NS}svg" and root.get("class") == "app-chart"
    assert len(measure_lines(root)) == 2  # the bench data has three months with no data in the middle
    assert "Target" in texts(root)


def page_of_charts() -> str:
    values = [None if 26 <= m < 31 else D(60 + (m * 7) % 20) + D("0.5") for m in range(60)]
    trend = trend_chart(months(60), care_leavers(values), title="Care leavers in touch", unit_suffix="%")
    ladder = bar_chart(
        months(12),
        [
            Series("Actual activity", [D(120 + n * 3) if n != 4 else None for n in range(12)]),
            Series("Forecast", [D(126)] * 12, "comparator"),
            Series("Contracted volume", [D(130)] * 6 + [D(150)] * 6, "target"),
        ],
        title="Residential placements",
    )
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>Charts</title>'
        '<link rel="stylesheet" href="https://monitoring.invalid/static/reports/print.css"></head><body>'
        f'<figure class="app-document__figure">{trend}<figcaption>Care leavers in touch</figcaption></figure>'
        f'<figure class="app-document__figure">{ladder}<figcaption>Residential placements</figcaption></figure>'
        "</body></html>"
    )


def test_charts_print_in_the_pdf_with_their_labels(tmp_path: Path) -> None:
    path = tmp_path / "charts.pdf"
    path.write_bytes(render_pdf(page_of_charts()))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    words = " ".join(text.split())

    for label in ("Doncaster", "Target", "England", "Contracted volume", "Actual activity", "Forecast", "no data"):
        assert label in words
    assert "Statistical" in words and "neighbours" in words  # wrapped onto two lines beside the line
    assert "2017-04" in words and "2022-03" in words and "80%" in words
