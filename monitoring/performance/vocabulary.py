"""The performance area's vocabularies: units, polarity, frequency, accumulation, RAG, direction of
travel, faces and objective statuses, each with the words pages and reports print."""

from __future__ import annotations

import enum

MONTHS_IN_YEAR = 12


def _check_month(month_of_year: int) -> None:
    if isinstance(month_of_year, bool) or not isinstance(month_of_year, int):
        raise TypeError(f"a month of the year is a whole number, not {type(month_of_year).__name__}")
    if not 1 <= month_of_year <= MONTHS_IN_YEAR:
        raise ValueError(f"months of the financial year run from 1 (April) to 12 (March), not {month_of_year}")


class Unit(enum.StrEnum):
    """What an indicator's figure measures, and so how it is entered, validated and printed."""

    PERCENTAGE = "percentage"
    RATE_PER_10K = "rate_per_10k"
    COUNT = "count"
    DAYS = "days"
    MONEY = "money"

    @property
    def label(self) -> str:
        return _UNIT_LABELS[self]

    @property
    def suffix(self) -> str:
        """What follows the number on screen: "82.3 per 10,000", "77.4%"."""
        return _UNIT_SUFFIXES[self]


_UNIT_LABELS = {
    Unit.PERCENTAGE: "Percentage",
    Unit.RATE_PER_10K: "Rate per 10,000 children",
    Unit.COUNT: "Count",
    Unit.DAYS: "Days",
    Unit.MONEY: "Money (£)",
}
_UNIT_SUFFIXES = {
    Unit.PERCENTAGE: "%",
    Unit.RATE_PER_10K: " per 10,000",
    Unit.COUNT: "",
    Unit.DAYS: " days",
    Unit.MONEY: "",
}


class Polarity(enum.StrEnum):
    """Which way is good; a context measure (numbers of referrals, say) is reported but never judged."""

    HIGHER = "higher_is_better"
    LOWER = "lower_is_better"
    NONE = "none"

    @property
    def label(self) -> str:
        return _POLARITY_LABELS[self]


_POLARITY_LABELS = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.NONE: "Context measure (not judged)",
}


class Frequency(enum.StrEnum):
    """How often the trust reports an indicator."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"

    @property
    def label(self) -> str:
        return _FREQUENCY_LABELS[self]

    def due_in(self, month_of_year: int) -> bool:
        """Whether a figure is due for a month of the financial year (1 = April … 12 = March).

        Quarterly figures fall at each quarter's end (June, September, December, March) and annual
        ones at the year's end, March.
        """
        _check_month(month_of_year)
        if self is Frequency.MONTHLY:
            return True
        if self is Frequency.QUARTERLY:
            return month_of_year % 3 == 0
        return month_of_year == MONTHS_IN_YEAR


_FREQUENCY_LABELS = {Frequency.MONTHLY: "Monthly", Frequency.QUARTERLY: "Quarterly", Frequency.ANNUAL: "Annual"}


class Accumulation(enum.StrEnum):
    """What a reported figure stands for over the year, which decides how it is forecast (rule 5)."""

    SNAPSHOT = "snapshot"
    CUMULATIVE_COUNT = "cumulative_count"
    RATIO_YTD = "ratio_ytd"

    @property
    def label(self) -> str:
        return _ACCUMULATION_LABELS[self]


_ACCUMULATION_LABELS = {
    Accumulation.SNAPSHOT: "Position at the end of the period",
    Accumulation.CUMULATIVE_COUNT: "Count for the year to date",
    Accumulation.RATIO_YTD: "Ratio or rate for the year to date",
}


class Rag(enum.StrEnum):
    """A judgement against target (rule 3); grey and not-judged are kept apart from red on purpose."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"
    NOT_JUDGED = "not_judged"

    @property
    def label(self) -> str:
        return _RAG_LABELS[self]

    @property
    def symbol(self) -> str:
        """Printed beside the colour, so the judgement survives greyscale printing and colour blindness."""
        return _RAG_SYMBOLS[self]

    @property
    def is_judged(self) -> bool:
        return self in (Rag.GREEN, Rag.AMBER, Rag.RED)


_RAG_LABELS = {
    Rag.GREEN: "Green",
    Rag.AMBER: "Amber",
    Rag.RED: "Red",
    Rag.GREY: "No data",
    Rag.NOT_JUDGED: "Not judged",
}
_RAG_SYMBOLS = {Rag.GREEN: "✓", Rag.AMBER: "!", Rag.RED: "✗", Rag.GREY: "–", Rag.NOT_JUDGED: ""}


class Direction(enum.StrEnum):
    """Direction of travel (rule 4): judged words for judged measures, neutral ones for context measures."""

    IMPROVED = "improved"
    DECLINED = "declined"
    SUSTAINED = "sustained"
    UP = "up"
    DOWN = "down"
    LEVEL = "level"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def arrow(self) -> str:
        """The arrow for a higher-is-better or context measure; use arrow_for() when polarity may be lower."""
        return _ARROWS[self]


_ARROWS = {
    Direction.IMPROVED: "↑",
    Direction.UP: "↑",
    Direction.DECLINED: "↓",
    Direction.DOWN: "↓",
    Direction.SUSTAINED: "→",
    Direction.LEVEL: "→",
}


def arrow_for(direction: Direction | None, polarity: Polarity) -> str:
    """The arrow of the number's actual movement: custody falling is an improvement, drawn pointing down.

    The word (Improved, Declined…) is always shown with it, so the arrow never has to carry the judgement.
    No direction (no previous value) draws no arrow.
    """
    if direction is None:
        return ""
    if Polarity(polarity) is Polarity.LOWER and direction in (Direction.IMPROVED, Direction.DECLINED):
        return "↓" if direction is Direction.IMPROVED else "↑"
    return direction.arrow


class Face(enum.StrEnum):
    """Likelihood of meeting the year's target, as the seeds' smiley faces show it (rule 5)."""

    LIKELY = "likely"
    MAY = "may"
    UNLIKELY = "unlikely"

    @property
    def label(self) -> str:
        return _FACE_LABELS[self]

    @property
    def symbol(self) -> str:
        return _FACE_SYMBOLS[self]

    @property
    def word(self) -> str:
        """The face in words, for screen readers and for the legend."""
        return _FACE_WORDS[self]


_FACE_LABELS = {
    Face.LIKELY: "Likely to meet target",
    Face.MAY: "May meet target",
    Face.UNLIKELY: "Unlikely to meet target",
}
_FACE_SYMBOLS = {Face.LIKELY: "☺", Face.MAY: "😐", Face.UNLIKELY: "☹"}
_FACE_WORDS = {Face.LIKELY: "happy", Face.MAY: "indifferent", Face.UNLIKELY: "sad"}


class ObjectiveStatus(enum.StrEnum):
    """An objective's overall position, from the RAGs of its measures (see rollup())."""

    ON_TRACK = "on_track"
    MOSTLY_ON_TRACK = "mostly_on_track"
    NOT_ON_TRACK = "not_on_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    ObjectiveStatus.ON_TRACK: "On track",
    ObjectiveStatus.MOSTLY_ON_TRACK: "Mostly on track",
    ObjectiveStatus.NOT_ON_TRACK: "Not on track",
    ObjectiveStatus.NO_DATA: "No data yet",
}
