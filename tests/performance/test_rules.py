"""Rules 2–5 and the dashboard's analytics, table-driven, with the seeds' figures.

Expected figures are written as strings and compared with str(result), so a rate of 66.0 must come
back with its one decimal place, not as 66.
"""

import math
from decimal import Decimal as D

import pytest

from monitoring.performance.rules import (
    Accumulation,
    ChallengeFlag,
    Direction,
    Face,
    Frequency,
    ObjectiveStatus,
    Polarity,
    Rag,
    Unit,
    accumulates,
    arrow_for,
    comparator_gap,
    computed_value,
    direction,
    face,
    flags_for_challenge,
    forecast,
    percentage,
    rag,
    rate_per_10k,
    rollup,
    value_problem,
    worse_than_both,
)

HIGHER, LOWER, CONTEXT = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE
G, A, R, GREY, NJ = Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREY, Rag.NOT_JUDGED
SNAPSHOT, CUMULATIVE, RATIO_YTD = Accumulation.SNAPSHOT, Accumulation.CUMULATIVE_COUNT, Accumulation.RATIO_YTD


def _str(result):
    return None if result is None else str(result)


# --- Vocabularies -----------------------------------------------------------------------------------------------


SCREEN_WORDS = [
    (Unit.PERCENTAGE, "label", "Percentage"),
    (Unit.RATE_PER_10K, "label", "Rate per 10,000 children"),
    (Unit.COUNT, "label", "Count"),
    (Unit.DAYS, "label", "Days"),
    (Unit.MONEY, "label", "Money (£)"),
    (Unit.PERCENTAGE, "suffix", "%"),
    (Unit.RATE_PER_10K, "suffix", " per 10,000"),
    (Unit.COUNT, "suffix", ""),
    (Unit.DAYS, "suffix", " days"),
    (Unit.MONEY, "suffix", ""),
    (Polarity.HIGHER, "label", "Higher is better"),
    (Polarity.LOWER, "label", "Lower is better"),
    (Polarity.NONE, "label", "Context measure (not judged)"),
    (Rag.GREEN, "label", "Green"),
    (Rag.AMBER, "label", "Amber"),
    (Rag.RED, "label", "Red"),
    (Rag.GREY, "label", "No data"),
    (Rag.NOT_JUDGED, "label", "Not judged"),
    (Rag.GREEN, "symbol", "✓"),
    (Rag.AMBER, "symbol", "!"),
    (Rag.RED, "symbol", "✗"),
    (Rag.GREY, "symbol", "–"),
    (Rag.NOT_JUDGED, "symbol", ""),
    (Rag.GREEN, "is_judged", True),
    (Rag.AMBER, "is_judged", True),
    (Rag.RED, "is_judged", True),
    (Rag.GREY, "is_judged", False),
    (Rag.NOT_JUDGED, "is_judged", False),
    (Direction.IMPROVED, "label", "Improved"),
    (Direction.DECLINED, "label", "Declined"),
    (Direction.SUSTAINED, "label", "Sustained"),
    (Direction.UP, "label", "Up"),
    (Direction.DOWN, "label", "Down"),
    (Direction.LEVEL, "label", "Level"),
    (Direction.IMPROVED, "arrow", "↑"),
    (Direction.UP, "arrow", "↑"),
    (Direction.DECLINED, "arrow", "↓"),
    (Direction.DOWN, "arrow", "↓"),
    (Direction.SUSTAINED, "arrow", "→"),
    (Direction.LEVEL, "arrow", "→"),
    (Face.LIKELY, "label", "Likely to meet target"),
    (Face.MAY, "label", "May meet target"),
    (Face.UNLIKELY, "label", "Unlikely to meet target"),
    (Face.LIKELY, "symbol", "☺"),
    (Face.MAY, "symbol", "😐"),
    (Face.UNLIKELY, "symbol", "☹"),
    (Face.LIKELY, "word", "happy"),
    (Face.MAY, "word", "indifferent"),
    (Face.UNLIKELY, "word", "sad"),
    (ObjectiveStatus.ON_TRACK, "label", "On track"),
    (ObjectiveStatus.MOSTLY_ON_TRACK, "label", "Mostly on track"),
    (ObjectiveStatus.NOT_ON_TRACK, "label", "Not on track"),
    (ObjectiveStatus.NO_DATA, "label", "No data yet"),
    (Frequency.MONTHLY, "label", "Monthly"),
    (Frequency.QUARTERLY, "label", "Quarterly"),
    (Frequency.ANNUAL, "label", "Annual"),
    (Accumulation.SNAPSHOT, "label", "Position at the end of the period"),
    (Accumulation.CUMULATIVE_COUNT, "label", "Count for the year to date"),
    (Accumulation.RATIO_YTD, "label", "Ratio or rate for the year to date"),
]


@pytest.mark.parametrize(
    ("member", "attribute", "expected"),
    SCREEN_WORDS,
    ids=[f"{type(member).__name__}.{member.name}.{attribute}" for member, attribute, _ in SCREEN_WORDS],
)
def test_what_each_status_reads_as_on_screen(member, attribute, expected):
    assert getattr(member, attribute) == expected


@pytest.mark.parametrize("vocabulary", [Unit, Polarity, Frequency, Accumulation, Rag, Direction, Face, ObjectiveStatus])
def test_every_member_of_every_vocabulary_has_a_label(vocabulary):
    labels = [member.label for member in vocabulary]
    assert all(labels) and len(set(labels)) == len(labels)


@pytest.mark.parametrize(
    ("frequency", "due_months"),
    [
        (Frequency.MONTHLY, list(range(1, 13))),
        (Frequency.QUARTERLY, [3, 6, 9, 12]),  # June, September, December, March
        (Frequency.ANNUAL, [12]),  # March, the year's end
    ],
)
def test_a_figure_is_due_in_the_months_its_frequency_names(frequency, due_months):
    assert [month for month in range(1, 13) if frequency.due_in(month)] == due_months


@pytest.mark.parametrize("month", [0, 13, -1])
def test_there_is_no_thirteenth_month(month):
    with pytest.raises(ValueError):
        Frequency.MONTHLY.due_in(month)


# --- Rates and percentages --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "population", "expected"),
    [
        pytest.param(539, 65492, "82.3", id="looked-after children at end of August (82.30013)"),
        pytest.param(512, 65161, "78.6", id="512 children (78.5746 rounds up)"),
        pytest.param(431, 65300, "66.0", id="child protection plans keep their decimal (66.0031)"),
        pytest.param(0, 65492, "0.0", id="none at all"),
        pytest.param(520, 64000, "81.3", id="exactly 81.25 rounds half up, not to even"),
        pytest.param(568, 64000, "88.8", id="exactly 88.75, which a float makes 88.7499…"),
        pytest.param(D(539), D(65492), "82.3", id="Decimals as well as ints"),
    ],
)
def test_rate_per_10k(count, population, expected):
    assert str(rate_per_10k(count, population)) == expected


@pytest.mark.parametrize(
    ("count", "population", "error"),
    [
        pytest.param(539, 0, ValueError, id="no population"),
        pytest.param(539, -65492, ValueError, id="negative population"),
        pytest.param(-1, 65492, ValueError, id="negative count"),
        pytest.param(539.0, 65492, TypeError, id="float count"),
        pytest.param(539, 65492.0, TypeError, id="float population"),
        pytest.param(True, 65492, TypeError, id="a bool is not a count"),
        pytest.param("539", 65492, TypeError, id="text is not a count"),
    ],
)
def test_rate_per_10k_refuses_what_it_cannot_divide(count, population, error):
    with pytest.raises(error):
        rate_per_10k(count, population)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        pytest.param(774, 1000, "77.4", id="NI66 reviews within timescale"),
        pytest.param(1, 8, "12.5", id="exact at one decimal"),
        pytest.param(1, 3, "33.3", id="a third rounds down"),
        pytest.param(2, 3, "66.7", id="two thirds round up"),
        pytest.param(1, 16, "6.3", id="exactly 6.25 rounds half up"),
        pytest.param(41, 80, "51.3", id="exactly 51.25, which a float makes 51.2499…"),
        pytest.param(0, 10, "0.0", id="none of them"),
        pytest.param(10, 10, "100.0", id="all of them"),
        pytest.param(5, 0, None, id="nothing to divide by"),
        pytest.param(0, 0, None, id="no cases at all"),
    ],
)
def test_percentage(numerator, denominator, expected):
    assert _str(percentage(numerator, denominator)) == expected


def test_floats_would_have_printed_the_wrong_figures():
    """Why the rules refuse floats: the float route gives 51.2 and 88.7 where the exact answers are 51.3, 88.8."""
    for count, whole, scale, exact in [(41, 80, 100, "51.3"), (568, 64000, 10_000, "88.8")]:
        as_float = count / whole * scale
        assert round(as_float, 1) != float(exact)
        assert math.floor(as_float * 10 + 0.5) / 10 != float(exact)  # even rounding half up by hand
    assert str(percentage(41, 80)) == "51.3" and str(rate_per_10k(568, 64000)) == "88.8"


@pytest.mark.parametrize(
    ("numerator", "denominator", "error"),
    [
        pytest.param(-1, 10, ValueError, id="negative numerator"),
        pytest.param(1, -10, ValueError, id="negative denominator"),
        pytest.param(0.5, 1, TypeError, id="float numerator"),
        pytest.param(1, 8.0, TypeError, id="float denominator"),
    ],
)
def test_percentage_refuses_impossible_inputs(numerator, denominator, error):
    with pytest.raises(error):
        percentage(numerator, denominator)


# --- RAG --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "polarity", "expected"),
    [
        pytest.param(D("77.4"), 80, 5, HIGHER, A, id="NI66 77.4% against 80% within a 5-point tolerance"),
        pytest.param(D("11.3"), D("6.8"), 2, LOWER, R, id="NI43 custody 11.3% against 6.8%, tolerance 2"),
        pytest.param(D("11.3"), D("6.8"), 1, LOWER, R, id="NI43 custody 11.3% against 6.8%, tolerance 1"),
        pytest.param(D(80), 80, 5, HIGHER, G, id="higher: exactly at target is green"),
        pytest.param(D("85.0"), 80, 5, HIGHER, G, id="higher: above target"),
        pytest.param(D("79.9"), 80, 5, HIGHER, A, id="higher: just under target"),
        pytest.param(D(75), 80, 5, HIGHER, A, id="higher: exactly target minus tolerance is amber"),
        pytest.param(D("74.9"), 80, 5, HIGHER, R, id="higher: just beyond the tolerance"),
        pytest.param(D("79.9"), 80, None, HIGHER, R, id="higher: no tolerance means none"),
        pytest.param(D("79.9"), 80, 0, HIGHER, R, id="higher: zero tolerance"),
        pytest.param(D("6.8"), D("6.8"), 2, LOWER, G, id="lower: exactly at target is green"),
        pytest.param(D("5.0"), D("6.8"), 2, LOWER, G, id="lower: below target"),
        pytest.param(D("7.0"), D("6.8"), 2, LOWER, A, id="lower: just over target"),
        pytest.param(D("8.8"), D("6.8"), 2, LOWER, A, id="lower: exactly target plus tolerance is amber"),
        pytest.param(D("8.9"), D("6.8"), 2, LOWER, R, id="lower: just beyond the tolerance"),
        pytest.param(D("6.9"), D("6.8"), None, LOWER, R, id="lower: no tolerance means none"),
        pytest.param(None, 80, 5, HIGHER, GREY, id="higher: no value is grey, never red"),
        pytest.param(None, D("6.8"), 2, LOWER, GREY, id="lower: no value is grey, never red"),
        pytest.param(1200, 1000, 50, CONTEXT, NJ, id="a context measure is not judged"),
        pytest.param(None, 1000, 50, CONTEXT, NJ, id="a context measure without a value is still not judged"),
        pytest.param(D("77.4"), None, 5, HIGHER, NJ, id="no target, nothing to judge against"),
        pytest.param(None, None, None, LOWER, NJ, id="no target and no value"),
        pytest.param(D("11.3"), D("6.8"), 2, "lower_is_better", R, id="polarity as stored text"),
    ],
)
def test_rag(value, target, tolerance, polarity, expected):
    assert rag(value, target, tolerance, polarity) is expected


@pytest.mark.parametrize(
    ("value", "target", "tolerance", "error"),
    [
        pytest.param(77.4, 80, 5, TypeError, id="float value"),
        pytest.param(D("77.4"), 80.0, 5, TypeError, id="float target"),
        pytest.param(D("77.4"), 80, 0.5, TypeError, id="float tolerance"),
        pytest.param(D("77.4"), 80, -5, ValueError, id="negative tolerance"),
    ],
)
def test_rag_refuses_inexact_or_impossible_figures(value, target, tolerance, error):
    with pytest.raises(error):
        rag(value, target, tolerance, HIGHER)


# --- Direction of travel ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "polarity", "band", "expected"),
    [
        pytest.param(D(80), D("77.4"), HIGHER, 0, Direction.IMPROVED, id="higher: a rise improves"),
        pytest.param(D("77.4"), D(80), HIGHER, 0, Direction.DECLINED, id="higher: a fall declines"),
        pytest.param(D("77.4"), D("77.4"), HIGHER, 0, Direction.SUSTAINED, id="higher: no change"),
        pytest.param(D("78.4"), D("77.4"), HIGHER, 1, Direction.SUSTAINED, id="higher: up by exactly the band"),
        pytest.param(D("78.5"), D("77.4"), HIGHER, 1, Direction.IMPROVED, id="higher: up by more than the band"),
        pytest.param(D("76.4"), D("77.4"), HIGHER, 1, Direction.SUSTAINED, id="higher: down by exactly the band"),
        pytest.param(D("76.3"), D("77.4"), HIGHER, 1, Direction.DECLINED, id="higher: down by more than the band"),
        pytest.param(D("11.3"), D(12), LOWER, 0, Direction.IMPROVED, id="lower: custody falling improves"),
        pytest.param(D(12), D("11.3"), LOWER, 0, Direction.DECLINED, id="lower: custody rising declines"),
        pytest.param(D("11.8"), D("11.3"), LOWER, D("0.5"), Direction.SUSTAINED, id="lower: up by exactly the band"),
        pytest.param(D("11.9"), D("11.3"), LOWER, D("0.5"), Direction.DECLINED, id="lower: up beyond the band"),
        pytest.param(D("10.7"), D("11.3"), LOWER, D("0.5"), Direction.IMPROVED, id="lower: down beyond the band"),
        pytest.param(1250, 1200, CONTEXT, 0, Direction.UP, id="context: referrals up"),
        pytest.param(1150, 1200, CONTEXT, 0, Direction.DOWN, id="context: referrals down"),
        pytest.param(1200, 1200, CONTEXT, 0, Direction.LEVEL, id="context: level"),
        pytest.param(1250, 1200, CONTEXT, 50, Direction.LEVEL, id="context: up by exactly the band"),
        pytest.param(1251, 1200, CONTEXT, 50, Direction.UP, id="context: up beyond the band"),
        pytest.param(1149, 1200, CONTEXT, 50, Direction.DOWN, id="context: down beyond the band"),
        pytest.param(None, D("77.4"), HIGHER, 0, None, id="no current value"),
        pytest.param(D("77.4"), None, LOWER, 0, None, id="no previous value"),
        pytest.param(None, None, CONTEXT, 0, None, id="neither"),
    ],
)
def test_direction_of_travel(current, previous, polarity, band, expected):
    assert direction(current, previous, polarity, band) is expected


def test_direction_band_defaults_to_zero():
    assert direction(D("77.5"), D("77.4"), HIGHER) is Direction.IMPROVED


@pytest.mark.parametrize(
    ("current", "previous", "band", "error"),
    [
        pytest.param(77.5, D("77.4"), 0, TypeError, id="float current"),
        pytest.param(D("77.5"), 77.4, 0, TypeError, id="float previous"),
        pytest.param(D("77.5"), D("77.4"), -1, ValueError, id="negative band"),
    ],
)
def test_direction_refuses_inexact_or_impossible_figures(current, previous, band, error):
    with pytest.raises(error):
        direction(current, previous, HIGHER, band)


@pytest.mark.parametrize(
    ("movement", "polarity", "arrow"),
    [
        pytest.param(Direction.IMPROVED, HIGHER, "↑", id="higher: improvement is a rise"),
        pytest.param(Direction.DECLINED, HIGHER, "↓", id="higher: decline is a fall"),
        pytest.param(Direction.SUSTAINED, HIGHER, "→", id="higher: sustained"),
        pytest.param(Direction.IMPROVED, LOWER, "↓", id="lower: improvement is a fall"),
        pytest.param(Direction.DECLINED, LOWER, "↑", id="lower: decline is a rise"),
        pytest.param(Direction.SUSTAINED, LOWER, "→", id="lower: sustained"),
        pytest.param(Direction.UP, CONTEXT, "↑", id="context: up"),
        pytest.param(Direction.DOWN, CONTEXT, "↓", id="context: down"),
        pytest.param(Direction.LEVEL, CONTEXT, "→", id="context: level"),
        pytest.param(None, HIGHER, "", id="no previous value, no arrow"),
    ],
)
def test_the_arrow_shows_which_way_the_number_moved(movement, polarity, arrow):
    assert arrow_for(movement, polarity) == arrow


# --- Forecasts and faces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accumulation", "unit", "expected"),
    [
        (CUMULATIVE, Unit.COUNT, True),
        (CUMULATIVE, Unit.DAYS, True),
        (RATIO_YTD, Unit.COUNT, True),
        (RATIO_YTD, Unit.RATE_PER_10K, True),
        (RATIO_YTD, Unit.PERCENTAGE, False),
        (RATIO_YTD, Unit.DAYS, False),
        (RATIO_YTD, Unit.MONEY, False),
        (SNAPSHOT, Unit.COUNT, False),
        (SNAPSHOT, Unit.RATE_PER_10K, False),
        (SNAPSHOT, Unit.PERCENTAGE, False),
    ],
    ids=lambda x: str(x) if not isinstance(x, bool) else None,
)
def test_which_figures_grow_through_the_year(accumulation, unit, expected):
    assert accumulates(accumulation, unit) is expected


@pytest.mark.parametrize(
    ("value", "accumulation", "unit", "month", "manual", "expected"),
    [
        pytest.param(5000, CUMULATIVE, Unit.COUNT, 5, None, "12000", id="5,000 contacts by August run on to 12,000"),
        pytest.param(100, CUMULATIVE, Unit.COUNT, 7, None, "171", id="a count to a whole number (171.43)"),
        pytest.param(13, CUMULATIVE, Unit.COUNT, 8, None, "20", id="a count rounds half up (19.5)"),
        pytest.param(10, CUMULATIVE, Unit.COUNT, 1, None, "120", id="after April alone"),
        pytest.param(539, CUMULATIVE, Unit.COUNT, 12, None, "539", id="in March the year-to-date is the year"),
        pytest.param(D("12.3"), RATIO_YTD, Unit.RATE_PER_10K, 7, None, "21.1", id="a rate to one decimal (21.086)"),
        pytest.param(D("35.5"), RATIO_YTD, Unit.RATE_PER_10K, 6, None, "71.0", id="a rate keeps its decimal"),
        pytest.param(D("4.2"), CUMULATIVE, Unit.DAYS, 6, None, "8.4", id="days lost to sickness so far"),
        pytest.param(D("1000.01"), CUMULATIVE, Unit.MONEY, 7, None, "1714.30", id="money to the penny"),
        pytest.param(D("77.4"), RATIO_YTD, Unit.PERCENTAGE, 9, None, "77.4", id="NI66: a percentage carries forward"),
        pytest.param(D("11.3"), SNAPSHOT, Unit.PERCENTAGE, 9, None, "11.3", id="NI43: a snapshot carries forward"),
        pytest.param(D("82.3"), SNAPSHOT, Unit.RATE_PER_10K, 5, None, "82.3", id="a snapshot rate carries forward"),
        pytest.param(D("77.4"), RATIO_YTD, Unit.PERCENTAGE, 9, 70, "70", id="NI66: the manual forecast of 70% wins"),
        pytest.param(100, CUMULATIVE, Unit.COUNT, 6, 150, "150", id="a manual forecast beats the run rate (200)"),
        pytest.param(None, SNAPSHOT, Unit.PERCENTAGE, 9, D(12), "12", id="NI43: a manual forecast with no value"),
        pytest.param(None, CUMULATIVE, Unit.COUNT, 6, None, None, id="nothing to forecast from"),
    ],
)
def test_year_end_forecast(value, accumulation, unit, month, manual, expected):
    assert _str(forecast(value, accumulation, unit, month, manual)) == expected


@pytest.mark.parametrize(
    ("value", "month", "manual", "error"),
    [
        pytest.param(100, 0, None, ValueError, id="month 0"),
        pytest.param(100, 13, None, ValueError, id="month 13"),
        pytest.param(100, 13, 150, ValueError, id="month 13 even with a manual forecast"),
        pytest.param(100.0, 6, None, TypeError, id="float value"),
        pytest.param(100, 6, 150.0, TypeError, id="float manual forecast"),
    ],
)
def test_forecast_refuses_impossible_inputs(value, month, manual, error):
    with pytest.raises(error):
        forecast(value, CUMULATIVE, Unit.COUNT, month, manual)


@pytest.mark.parametrize(
    ("predicted", "target", "tolerance", "polarity", "expected"),
    [
        pytest.param(D(70), 80, 5, HIGHER, Face.UNLIKELY, id="Leeds NI66 predicted 70% against 80%"),
        pytest.param(D("77.4"), 80, 5, HIGHER, Face.MAY, id="within the tolerance"),
        pytest.param(D(12), D("6.8"), 2, LOWER, Face.UNLIKELY, id="NI43 predicted 12% against 6.8%"),
        pytest.param(D(81), 80, 5, HIGHER, Face.LIKELY, id="a snapshot at 81 against 80"),
        pytest.param(D("6.8"), D("6.8"), 2, LOWER, Face.LIKELY, id="lower: at target"),
        pytest.param(D("8.8"), D("6.8"), 2, LOWER, Face.MAY, id="lower: at the edge of the tolerance"),
        pytest.param(None, 80, 5, HIGHER, None, id="no forecast"),
        pytest.param(D(1200), 1000, 0, CONTEXT, None, id="a context measure has no face"),
        pytest.param(D(81), None, 5, HIGHER, None, id="no target"),
    ],
)
def test_face(predicted, target, tolerance, polarity, expected):
    assert face(predicted, target, tolerance, polarity) is expected


def test_a_manual_forecast_decides_the_face():
    """NI66 stands at 77.4% in December (amber), but the trust forecasts 70% for the year: a sad face."""
    predicted = forecast(D("77.4"), RATIO_YTD, Unit.PERCENTAGE, 9, manual=70)
    assert rag(D("77.4"), 80, 5, HIGHER) is Rag.AMBER
    assert face(predicted, 80, 5, HIGHER) is Face.UNLIKELY


# --- Comparators and challenge ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "comparator", "polarity", "difference", "better"),
    [
        pytest.param(D("82.3"), 60, CONTEXT, "22.3", None, id="looked-after rate against national"),
        pytest.param(D("82.3"), 76, CONTEXT, "6.3", None, id="looked-after rate against neighbours"),
        pytest.param(D("82.3"), 60, LOWER, "22.3", False, id="the same, judged lower-is-better"),
        pytest.param(D("81.6"), D("54.3"), LOWER, "27.3", False, id="Leeds against England"),
        pytest.param(D("81.6"), D("59.5"), LOWER, "22.1", False, id="Leeds against neighbours"),
        pytest.param(D(50), 60, LOWER, "-10", True, id="lower: below the comparator is better"),
        pytest.param(D("77.4"), 75, HIGHER, "2.4", True, id="higher: above the comparator is better"),
        pytest.param(D("77.4"), 80, HIGHER, "-2.6", False, id="higher: below the comparator is worse"),
        pytest.param(D(60), 60, HIGHER, "0", None, id="level with the comparator"),
    ],
)
def test_comparator_gap(value, comparator, polarity, difference, better):
    gap = comparator_gap(value, comparator, polarity)
    assert gap.comparator == comparator
    assert str(gap.difference) == difference
    assert gap.better is better


@pytest.mark.parametrize(("value", "comparator"), [(None, 60), (D("82.3"), None), (None, None)])
def test_no_gap_without_both_figures(value, comparator):
    assert comparator_gap(value, comparator, LOWER) is None


@pytest.mark.parametrize(
    ("value", "national", "neighbours", "polarity", "expected"),
    [
        pytest.param(D("82.3"), 60, 76, LOWER, True, id="looked-after rate above both"),
        pytest.param(D("82.3"), 60, 76, CONTEXT, False, id="a context measure is never worse"),
        pytest.param(D(70), 75, 80, HIGHER, True, id="higher: below both"),
        pytest.param(D(77), 75, 80, HIGHER, False, id="higher: better than the national average"),
        pytest.param(D(75), 75, 80, HIGHER, False, id="higher: level with one is not worse than it"),
        pytest.param(D(50), 60, 76, LOWER, False, id="lower: below both is better"),
        pytest.param(D("82.3"), None, 76, LOWER, False, id="no national average"),
        pytest.param(D("82.3"), 60, None, LOWER, False, id="no neighbours' average"),
        pytest.param(None, 60, 76, LOWER, False, id="no value"),
    ],
)
def test_worse_than_both(value, national, neighbours, polarity, expected):
    assert worse_than_both(value, national, neighbours, polarity) is expected


RED_RUN = "Red for 3 consecutive periods"
WORSE = "Worse than both the national average and statistical neighbours"


@pytest.mark.parametrize(
    ("recent", "value", "polarity", "streak", "expected"),
    [
        pytest.param([R, R, R], D(70), HIGHER, 3, [RED_RUN], id="three reds in a row"),
        pytest.param([G, R, R, R], D(70), HIGHER, 3, [RED_RUN], id="the latest three are red"),
        pytest.param([R, R, R, G], D(70), HIGHER, 3, [], id="back to green most recently"),
        pytest.param([R, GREY, R, R], D(70), HIGHER, 3, [], id="a period with no data breaks the run"),
        pytest.param([R, R], D(70), HIGHER, 3, [], id="too few periods yet"),
        pytest.param([], D(70), HIGHER, 3, [], id="no history"),
        pytest.param([A, R, R], D(70), HIGHER, 2, ["Red for 2 consecutive periods"], id="a shorter streak"),
        pytest.param([R, R, R], D(70), HIGHER, 4, [], id="three reds are not a run of four"),
        pytest.param([G, A, R], D("82.3"), LOWER, 3, [WORSE], id="worse than both comparators"),
        pytest.param([R, R, R], D("82.3"), LOWER, 3, [RED_RUN, WORSE], id="both, the run of reds first"),
        pytest.param([R, R, R], D("82.3"), CONTEXT, 3, [RED_RUN], id="context measure: comparators not judged"),
    ],
)
def test_flags_for_challenge(recent, value, polarity, streak, expected):
    flags = flags_for_challenge(recent, value, national=60, neighbours=76, polarity=polarity, streak=streak)
    assert flags == [ChallengeFlag(reason) for reason in expected]


def test_a_streak_is_at_least_one_period():
    with pytest.raises(ValueError):
        flags_for_challenge([R], D(70), 60, 76, HIGHER, streak=0)


# --- Objectives -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rags", "counts", "status"),
    [
        pytest.param([], (0, 0, 0, 0), ObjectiveStatus.NO_DATA, id="no measures"),
        pytest.param([GREY, GREY, NJ], (0, 0, 0, 2), ObjectiveStatus.NO_DATA, id="nothing judged with data"),
        pytest.param([G], (1, 0, 0, 0), ObjectiveStatus.ON_TRACK, id="all green"),
        pytest.param([G, G, G, A], (3, 1, 0, 0), ObjectiveStatus.ON_TRACK, id="exactly a quarter amber"),
        pytest.param([G, G, A], (2, 1, 0, 0), ObjectiveStatus.MOSTLY_ON_TRACK, id="a third amber"),
        pytest.param([A], (0, 1, 0, 0), ObjectiveStatus.MOSTLY_ON_TRACK, id="all amber, no red"),
        pytest.param([G, G, G, A, GREY, NJ], (3, 1, 0, 1), ObjectiveStatus.ON_TRACK, id="grey is not in the share"),
        pytest.param([G, G, G, R], (3, 0, 1, 0), ObjectiveStatus.MOSTLY_ON_TRACK, id="any red is not on track"),
        pytest.param([G, G, G, G, A, R, R], (4, 1, 2, 0), ObjectiveStatus.MOSTLY_ON_TRACK, id="two reds in seven"),
        pytest.param([G, G, R], (2, 0, 1, 0), ObjectiveStatus.NOT_ON_TRACK, id="exactly a third red"),
        pytest.param([G, G, G, G, R, R], (4, 0, 2, 0), ObjectiveStatus.NOT_ON_TRACK, id="two reds in six"),
        pytest.param([R, GREY], (0, 0, 1, 1), ObjectiveStatus.NOT_ON_TRACK, id="the one measure with data is red"),
    ],
)
def test_an_objective_rolls_up_its_measures(rags, counts, status):
    result = rollup(iter(rags))
    assert list(result.counts) == [G, A, R, GREY]
    assert tuple(result.counts.values()) == counts
    assert result.status is status


# --- Submitted values -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "inputs", "expected"),
    [
        pytest.param(Unit.COUNT, {}, None, id="nothing entered is not a problem here"),
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True}, None, id="ratio: nothing entered"),
        pytest.param(
            Unit.PERCENTAGE, {"is_ratio": True, "numerator": 774, "denominator": 1000}, None, id="ratio: fine"
        ),
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True, "numerator": 0, "denominator": 0}, None, id="ratio: no cases"),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 12, "denominator": 10},
            "the numerator (12) cannot be more than the denominator (10)",
            id="ratio: more reviews on time than reviews",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": D("12.00"), "denominator": 10},
            "the numerator (12.00) cannot be more than the denominator (10)",
            id="ratio: numbers shown as entered",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 12},
            "enter both the numerator and the denominator",
            id="ratio: no denominator",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "denominator": 10},
            "enter both the numerator and the denominator",
            id="ratio: no numerator",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": D("2.5"), "denominator": 10},
            "the numerator must be a whole number, 0 or more, not 2.5",
            id="ratio: part of a child",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": -1, "denominator": 10},
            "the numerator must be a whole number, 0 or more, not -1",
            id="ratio: negative numerator",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 0, "denominator": -10},
            "the denominator must be a whole number, 0 or more, not -10",
            id="ratio: negative denominator",
        ),
        pytest.param(
            Unit.DAYS,
            {"is_ratio": True, "numerator": 5, "denominator": 0},
            "the denominator cannot be 0 unless the numerator is 0 too",
            id="ratio: dividing by nothing",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 1, "denominator": 2, "value": D(-5)},
            None,
            id="ratio: a stray value is ignored",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 1, "denominator": 4, "minimum": 50},
            "must be at least 50",
            id="ratio: its percentage (25.0) is below the minimum",
        ),
        pytest.param(
            Unit.PERCENTAGE,
            {"is_ratio": True, "numerator": 1, "denominator": 2, "minimum": 50},
            None,
            id="ratio: its percentage is exactly the minimum",
        ),
        pytest.param(Unit.RATE_PER_10K, {"value": 539}, None, id="rate: the count of children"),
        pytest.param(
            Unit.RATE_PER_10K,
            {"value": D("82.3")},
            "must be a whole number, 0 or more, not 82.3",
            id="rate: the rate typed in place of the count",
        ),
        pytest.param(Unit.COUNT, {"value": 0}, None, id="count: none"),
        pytest.param(Unit.COUNT, {"value": D("12.0")}, None, id="count: 12.0 is a whole number"),
        pytest.param(Unit.COUNT, {"value": -3}, "must be a whole number, 0 or more, not -3", id="count: negative"),
        pytest.param(Unit.PERCENTAGE, {"value": D("77.4")}, None, id="percentage: fine"),
        pytest.param(Unit.PERCENTAGE, {"value": 0}, None, id="percentage: 0 is allowed"),
        pytest.param(Unit.PERCENTAGE, {"value": 100}, None, id="percentage: 100 is allowed"),
        pytest.param(
            Unit.PERCENTAGE, {"value": D("100.1")}, "must be between 0 and 100, not 100.1", id="percentage: over 100"
        ),
        pytest.param(
            Unit.PERCENTAGE, {"value": D("-0.5")}, "must be between 0 and 100, not -0.5", id="percentage: negative"
        ),
        pytest.param(
            Unit.PERCENTAGE, {"value": D("1E+3")}, "must be between 0 and 100, not 1000", id="percentage: no 1E+3"
        ),
        pytest.param(Unit.DAYS, {"value": D("8.5")}, None, id="days: part days are fine"),
        pytest.param(Unit.DAYS, {"value": -1}, "must be 0 or more, not -1", id="days: negative"),
        pytest.param(Unit.MONEY, {"value": D("1234.56")}, None, id="money: pounds and pence"),
        pytest.param(Unit.MONEY, {"value": D("12.340")}, None, id="money: a trailing zero is still 2 places"),
        pytest.param(
            Unit.MONEY,
            {"value": D("12.345")},
            "must be in pounds and pence, with no more than 2 decimal places, not 12.345",
            id="money: fractions of a penny",
        ),
        pytest.param(Unit.MONEY, {"value": D(-5)}, "must be 0 or more, not -5", id="money: negative"),
        pytest.param(Unit.COUNT, {"value": 3, "minimum": 5}, "must be at least 5", id="below the minimum"),
        pytest.param(Unit.COUNT, {"value": 5, "minimum": 5}, None, id="exactly the minimum"),
        pytest.param(
            Unit.COUNT, {"value": 50, "maximum": D("40.00")}, "must be no more than 40", id="bounds print plainly"
        ),
        pytest.param(
            Unit.COUNT, {"value": 150, "maximum": D("1E+2")}, "must be no more than 100", id="bounds never in 1E+2"
        ),
        pytest.param(Unit.DAYS, {"value": 30, "maximum": 30}, None, id="exactly the maximum"),
        pytest.param(
            Unit.PERCENTAGE,
            {"value": D("101"), "maximum": 90},
            "must be between 0 and 100, not 101",
            id="the unit's own rule comes first",
        ),
    ],
)
def test_value_problem(unit, inputs, expected):
    assert value_problem(unit, **inputs) == expected


@pytest.mark.parametrize(
    "inputs",
    [
        pytest.param({"value": 77.4}, id="float value"),
        pytest.param({"is_ratio": True, "numerator": 7.0, "denominator": 10}, id="float numerator"),
        pytest.param({"value": D("77.4"), "maximum": 90.0}, id="float bound"),
    ],
)
def test_value_problem_refuses_floats(inputs):
    with pytest.raises(TypeError):
        value_problem(Unit.PERCENTAGE, **inputs)


@pytest.mark.parametrize(
    ("unit", "inputs", "expected"),
    [
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True, "numerator": 774, "denominator": 1000}, "77.4", id="ratio"),
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True, "numerator": 41, "denominator": 80}, "51.3", id="ratio half"),
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True, "numerator": 0, "denominator": 0}, None, id="ratio: no cases"),
        pytest.param(Unit.PERCENTAGE, {"is_ratio": True, "numerator": 12}, None, id="ratio: half entered"),
        pytest.param(Unit.RATE_PER_10K, {"value": 539, "population": 65492}, "82.3", id="rate from the count"),
        pytest.param(
            Unit.RATE_PER_10K,
            {"is_ratio": True, "numerator": 431, "population": 65300},
            "66.0",
            id="rate from a numerator",
        ),
        pytest.param(
            Unit.RATE_PER_10K, {"value": 0, "numerator": 5, "population": 65300}, "0.0", id="a count of 0 is a count"
        ),
        pytest.param(Unit.RATE_PER_10K, {"value": 539}, None, id="rate: no population in force"),
        pytest.param(Unit.RATE_PER_10K, {"population": 65492}, None, id="rate: no count"),
        pytest.param(Unit.PERCENTAGE, {"value": D("77.4")}, "77.4", id="a percentage entered directly"),
        pytest.param(Unit.COUNT, {"value": 12}, "12", id="count"),
        pytest.param(Unit.DAYS, {"value": D("8.5")}, "8.5", id="days"),
        pytest.param(Unit.MONEY, {"value": D("1234.56")}, "1234.56", id="money"),
        pytest.param(Unit.COUNT, {}, None, id="nothing entered"),
    ],
)
def test_computed_value(unit, inputs, expected):
    assert _str(computed_value(unit, **inputs)) == expected
