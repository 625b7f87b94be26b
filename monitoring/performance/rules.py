"""Pure performance rules (DOMAIN.md rules 2–5): rates, RAG, direction of travel, forecasts and faces.

Every figure is a Decimal; ints are accepted and widened, floats are refused with TypeError. Binary
floats get the seeds' kind of arithmetic wrong: 41 reviews out of 80 is exactly 51.25%, which must
print as 51.3, but 41 / 80 * 100 is 51.24999999999999 as a float. Rounding is to one decimal place,
half away from zero (ROUND_HALF_UP, as every figure here is positive).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitoring.performance.vocabulary import (  # noqa: F401  (re-exported: the rules speak these words)
    MONTHS_IN_YEAR,
    Accumulation,
    Direction,
    Face,
    Frequency,
    ObjectiveStatus,
    Polarity,
    Rag,
    Unit,
    _check_month,
    arrow_for,
)

Number = Decimal | int

ZERO = Decimal(0)
HUNDRED = Decimal(100)
TEN_THOUSAND = Decimal(10_000)
ONE_DECIMAL = Decimal("0.1")
WHOLE = Decimal(1)
PENNY = Decimal("0.01")


def _exact(x: Number) -> Decimal:
    """A Decimal for an int or a Decimal; a float (or a bool, an int by accident) is a bug upstream."""
    if isinstance(x, bool) or not isinstance(x, Decimal | int):
        raise TypeError(f"expected a Decimal or an int, not {type(x).__name__}")
    number = Decimal(x)
    if not number.is_finite():
        raise ValueError(f"{x} is not a figure that can be reported")
    return number


def _maybe(x: Number | None) -> Decimal | None:
    return None if x is None else _exact(x)


def _rounded(x: Decimal, quantum: Decimal = ONE_DECIMAL) -> Decimal:
    return x.quantize(quantum, rounding=ROUND_HALF_UP)


# --- Figures ----------------------------------------------------------------------------------------------------


def rate_per_10k(count: Number, population: int) -> Decimal:
    """Rule 2: count ÷ child population × 10,000, to one decimal, half up (539 of 65,492 → 82.3)."""
    count, population_ = _exact(count), _exact(population)
    if population_ <= 0:
        raise ValueError(f"a child population must be more than 0, not {population}")
    if count < 0:
        raise ValueError(f"a count cannot be negative ({count})")
    return _rounded(count * TEN_THOUSAND / population_)


def percentage(numerator: Number, denominator: Number) -> Decimal | None:
    """numerator ÷ denominator × 100 to one decimal, half up; None when there is nothing to divide by."""
    numerator, denominator = _exact(numerator), _exact(denominator)
    if numerator < 0 or denominator < 0:
        raise ValueError(f"a percentage of {numerator} out of {denominator} cannot be taken")
    if denominator == 0:
        return None
    return _rounded(numerator * HUNDRED / denominator)


# --- Judgements -------------------------------------------------------------------------------------------------


def rag(value: Number | None, target: Number | None, tolerance: Number | None, polarity: Polarity) -> Rag:
    """Rule 3, higher is better: Green at or above target, Amber within the tolerance below it, else Red.

    Lower is better is the mirror image. A context measure, or one without a target, is not judged
    whatever its value; a judged measure without a value is Grey, never Red. No tolerance means 0.
    """
    polarity = Polarity(polarity)
    value, target, slack = _maybe(value), _maybe(target), _maybe(tolerance) or ZERO
    if slack < 0:
        raise ValueError(f"a tolerance cannot be negative ({slack})")
    if polarity is Polarity.NONE or target is None:
        return Rag.NOT_JUDGED
    if value is None:
        return Rag.GREY
    if polarity is Polarity.LOWER:
        # Negating both figures turns "at or below target" into "at or above it".
        value, target = -value, -target
    if value >= target:
        return Rag.GREEN
    if value >= target - slack:
        return Rag.AMBER
    return Rag.RED


def direction(
    current: Number | None, previous: Number | None, polarity: Polarity, band: Number = ZERO
) -> Direction | None:
    """Rule 4: Improved or Declined when the figure moved by more than the "no change" band, else Sustained.

    A context measure moves Up, Down or stays Level by the same test, with no judgement. Moving by
    exactly the band counts as no change. None when either figure is missing.
    """
    polarity = Polarity(polarity)
    current, previous, band = _maybe(current), _maybe(previous), _exact(band)
    if band < 0:
        raise ValueError(f"a no-change band cannot be negative ({band})")
    if current is None or previous is None:
        return None
    change = current - previous
    if polarity is Polarity.NONE:
        return Direction.UP if change > band else Direction.DOWN if change < -band else Direction.LEVEL
    gain = change if polarity is Polarity.HIGHER else -change
    return Direction.IMPROVED if gain > band else Direction.DECLINED if gain < -band else Direction.SUSTAINED


def accumulates(accumulation: Accumulation, unit: Unit) -> bool:
    """Whether a figure grows through the year, so its year-end forecast is a run rate (rule 5).

    A year-to-date count keeps rising, and so does a year-to-date rate per 10,000, being a count over a
    fixed population; a year-to-date percentage, number of days or sum of money is already an average
    or a position, so, like a snapshot, its latest value stands for the year.
    """
    accumulation, unit = Accumulation(accumulation), Unit(unit)
    if accumulation is Accumulation.CUMULATIVE_COUNT:
        return True
    return accumulation is Accumulation.RATIO_YTD and unit in (Unit.COUNT, Unit.RATE_PER_10K)


_FORECAST_QUANTUM = {Unit.COUNT: WHOLE, Unit.MONEY: PENNY}


def forecast(
    value: Number | None,
    accumulation: Accumulation,
    unit: Unit,
    month_of_year: int,
    manual: Number | None = None,
) -> Decimal | None:
    """Rule 5: the year-end figure, a manual forecast winning over the calculated one.

    A figure that accumulates is run on at the year's pace, year to date × 12 ÷ months elapsed: counts
    to a whole number, money to the penny, rates and everything else to one decimal (half up). Any other
    figure is carried forward unchanged.
    """
    _check_month(month_of_year)
    if manual is not None:
        return _exact(manual)
    value = _maybe(value)
    if value is None:
        return None
    unit = Unit(unit)
    if not accumulates(accumulation, unit):
        return value
    return _rounded(value * MONTHS_IN_YEAR / month_of_year, _FORECAST_QUANTUM.get(unit, ONE_DECIMAL))


_FACES = {Rag.GREEN: Face.LIKELY, Rag.AMBER: Face.MAY, Rag.RED: Face.UNLIKELY}


def face(
    forecast_value: Number | None, target: Number | None, tolerance: Number | None, polarity: Polarity
) -> Face | None:
    """Rule 5: the forecast judged by rule 3 — Green is likely, Amber may, Red unlikely; None if not judged."""
    return _FACES.get(rag(forecast_value, target, tolerance, polarity))


# --- Comparators and challenge ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparatorGap:
    """How far a figure sits from a comparator; `better` is None for a context measure or a tie."""

    comparator: Decimal
    difference: Decimal  # value − comparator
    better: bool | None


def comparator_gap(value: Number | None, comparator: Number | None, polarity: Polarity) -> ComparatorGap | None:
    """The gap to the national or statistical-neighbour average (82.3 against 76 is 6.3 above)."""
    polarity = Polarity(polarity)
    value, comparator = _maybe(value), _maybe(comparator)
    if value is None or comparator is None:
        return None
    difference = value - comparator
    if polarity is Polarity.NONE or difference == 0:
        better = None
    else:
        better = (difference > 0) == (polarity is Polarity.HIGHER)
    return ComparatorGap(comparator=comparator, difference=difference, better=better)


def worse_than_both(
    value: Number | None, national: Number | None, neighbours: Number | None, polarity: Polarity
) -> bool:
    """True only for a judged figure strictly worse than both the national and the neighbours' averages."""
    gaps = [comparator_gap(value, comparator, polarity) for comparator in (national, neighbours)]
    return all(gap is not None and gap.better is False for gap in gaps)


@dataclass(frozen=True)
class ChallengeFlag:
    """Why a measure is put forward to be "forensically challenged" at the quarterly meeting."""

    reason: str


def flags_for_challenge(
    recent_rags: Sequence[Rag],
    value: Number | None,
    national: Number | None,
    neighbours: Number | None,
    polarity: Polarity,
    streak: int = 3,
) -> list[ChallengeFlag]:
    """Flags for a run of Reds and for being worse than both comparators, in that order.

    `recent_rags` are the RAGs of the latest periods in which the measure was due, most recent last;
    a Grey (no data) period breaks a run of Reds rather than being assumed Red.
    """
    if streak < 1:
        raise ValueError(f"a run of Reds is at least 1 period long, not {streak}")
    flags = []
    latest = [Rag(r) for r in recent_rags[-streak:]]
    if len(latest) == streak and all(r is Rag.RED for r in latest):
        flags.append(ChallengeFlag(f"Red for {streak} consecutive periods"))
    if worse_than_both(value, national, neighbours, polarity):
        flags.append(ChallengeFlag("Worse than both the national average and statistical neighbours"))
    return flags


# --- Objectives -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """Counts of an objective's measures by RAG (Green, Amber, Red, Grey; always all four) and its status."""

    counts: dict[Rag, int]
    status: ObjectiveStatus


def rollup(rags: Iterable[Rag]) -> Rollup:
    """An objective's status from its measures' RAGs.

    Only judged measures with data (Green, Amber, Red) decide it: none at all is No data yet; no Red and
    at most a quarter Amber is On track; a third or more Red is Not on track; anything else is Mostly on
    track. Grey measures are counted for the reader but do not decide; not-judged ones are left out.
    """
    counts = dict.fromkeys((Rag.GREEN, Rag.AMBER, Rag.RED, Rag.GREY), 0)
    for r in map(Rag, rags):
        if r in counts:
            counts[r] += 1
    judged = counts[Rag.GREEN] + counts[Rag.AMBER] + counts[Rag.RED]
    # Compared in whole numbers, so "a quarter" and "a third" are exact.
    if judged == 0:
        status = ObjectiveStatus.NO_DATA
    elif counts[Rag.RED] == 0 and 4 * counts[Rag.AMBER] <= judged:
        status = ObjectiveStatus.ON_TRACK
    elif 3 * counts[Rag.RED] >= judged:
        status = ObjectiveStatus.NOT_ON_TRACK
    else:
        status = ObjectiveStatus.MOSTLY_ON_TRACK
    return Rollup(counts=counts, status=status)


# --- Submitted values -------------------------------------------------------------------------------------------


def _shown(number: Decimal) -> str:
    """A number as it was entered (12.00 stays 12.00), never in exponent form."""
    return format(number, "f")


def _is_whole(number: Decimal) -> bool:
    return number == number.to_integral_value()


def _ratio_problem(unit: Unit, numerator: Decimal | None, denominator: Decimal | None) -> str | None:
    if numerator is None or denominator is None:
        return "enter both the numerator and the denominator"
    for name, number in (("numerator", numerator), ("denominator", denominator)):
        if number < 0 or not _is_whole(number):
            return f"the {name} must be a whole number, 0 or more, not {_shown(number)}"
    if unit is Unit.PERCENTAGE and numerator > denominator:
        return f"the numerator ({_shown(numerator)}) cannot be more than the denominator ({_shown(denominator)})"
    if denominator == 0 and numerator > 0:
        return "the denominator cannot be 0 unless the numerator is 0 too"
    return None


def _unit_problem(unit: Unit, value: Decimal) -> str | None:
    if unit in (Unit.COUNT, Unit.RATE_PER_10K) and (value < 0 or not _is_whole(value)):
        return f"must be a whole number, 0 or more, not {_shown(value)}"
    if unit is Unit.PERCENTAGE and not ZERO <= value <= HUNDRED:
        return f"must be between 0 and 100, not {_shown(value)}"
    if unit in (Unit.DAYS, Unit.MONEY) and value < 0:
        return f"must be 0 or more, not {_shown(value)}"
    if unit is Unit.MONEY and value.normalize().as_tuple().exponent < -2:
        return f"must be in pounds and pence, with no more than 2 decimal places, not {_shown(value)}"
    return None


def _bounds_problem(figure: Decimal, minimum: Decimal | None, maximum: Decimal | None) -> str | None:
    # Bounds come from configuration, often a Numeric column (100.00), so they print in shortest form.
    if minimum is not None and figure < minimum:
        return f"must be at least {_shown(minimum.normalize())}"
    if maximum is not None and figure > maximum:
        return f"must be no more than {_shown(maximum.normalize())}"
    return None


def value_problem(
    unit: Unit,
    *,
    value: Number | None = None,
    numerator: Number | None = None,
    denominator: Number | None = None,
    is_ratio: bool = False,
    minimum: Number | None = None,
    maximum: Number | None = None,
) -> str | None:
    """What is wrong with one submitted figure, as a lower-case fragment to follow "NI66 Reviews: ", or None.

    A ratio measure is entered as a numerator and a denominator (any value is ignored); anything else as
    a value, which for a rate per 10,000 is the count (the population comes from the contract). Nothing
    entered at all is no problem here: whether a figure is required is decided elsewhere. The bounds
    apply to the figure as entered (for a rate, the count), or for a ratio to its percentage, or its
    numerator when the ratio is not a percentage.
    """
    unit = Unit(unit)
    value, numerator, denominator = _maybe(value), _maybe(numerator), _maybe(denominator)
    minimum, maximum = _maybe(minimum), _maybe(maximum)
    if is_ratio:
        if numerator is None and denominator is None:
            return None
        problem = _ratio_problem(unit, numerator, denominator)
        figure = percentage(numerator, denominator) if unit is Unit.PERCENTAGE and not problem else numerator
    else:
        if value is None:
            return None
        problem = _unit_problem(unit, value)
        figure = value
    if problem or figure is None:
        return problem
    return _bounds_problem(figure, minimum, maximum)


def computed_value(
    unit: Unit,
    *,
    value: Number | None = None,
    numerator: Number | None = None,
    denominator: Number | None = None,
    is_ratio: bool = False,
    population: int | None = None,
) -> Decimal | None:
    """The figure a dashboard shows for one submission: a ratio's percentage, a count's rate, or the value.

    None when the inputs (or, for a rate, the population in force) are missing.
    """
    unit = Unit(unit)
    if is_ratio and unit is Unit.PERCENTAGE:
        if numerator is None or denominator is None:
            return None
        return percentage(numerator, denominator)
    if unit is Unit.RATE_PER_10K:
        count = value if value is not None else numerator
        if count is None or population is None:
            return None
        return rate_per_10k(count, population)
    return _maybe(value)
