"""The periods a scrutiny summary covers: a quarter or a half of the financial year (rule 1 in DOMAIN.md)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from monitoring.core.periods import FinancialYear, Period, Quarter


class PeriodKind(enum.StrEnum):
    QUARTER = "quarter"
    HALF_YEAR = "half_year"

    @property
    def label(self) -> str:
        return {"quarter": "Quarter", "half_year": "Half-year"}[self.value]

    @property
    def count(self) -> int:
        """How many of this kind a financial year holds."""
        return {"quarter": 4, "half_year": 2}[self.value]


@dataclass(frozen=True, order=True)
class HalfYear:
    """First half (April–September) or second half (October–March) of a financial year."""

    year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2):
            raise ValueError("a half-year is numbered 1 or 2")

    @property
    def quarters(self) -> list[Quarter]:
        return self.year.quarters[(self.number - 1) * 2 : self.number * 2]

    @property
    def months(self) -> list[Period]:
        return [month for quarter in self.quarters for month in quarter.months]

    @property
    def start(self) -> date:
        return self.months[0].start

    @property
    def end(self) -> date:
        return self.months[-1].end

    @property
    def label(self) -> str:
        return f"H{self.number} {self.year.label}"

    def __str__(self) -> str:
        return self.label


ReportPeriod = Quarter | HalfYear


def report_period(kind: PeriodKind, start_year: int, number: int) -> ReportPeriod:
    """The quarter or half-year `number` of the financial year starting in `start_year`."""
    year = FinancialYear(start_year)
    if kind is PeriodKind.QUARTER:
        return Quarter(year, number)
    return HalfYear(year, number)


def kind_of(period: ReportPeriod) -> PeriodKind:
    return PeriodKind.QUARTER if isinstance(period, Quarter) else PeriodKind.HALF_YEAR


def period_title(period: ReportPeriod) -> str:
    """How the seeds name a period: "Quarter 2 2017/18", "first half of 2017/18"."""
    if isinstance(period, Quarter):
        return f"Quarter {period.number} {period.year.label}"
    return f"{'First' if period.number == 1 else 'Second'} half of {period.year.label}"


def months_covered(period: ReportPeriod) -> str:
    """ "July to September 2017" for the reader who does not count quarters."""
    first, last = period.months[0], period.months[-1]
    if first.year == last.year:
        return f"{first.start:%B} to {last.start:%B} {last.year}"
    return f"{first.start:%B} {first.year} to {last.start:%B} {last.year}"


def latest_complete(kind: PeriodKind, today: date) -> ReportPeriod:
    """The most recent period of `kind` that ended before `today`: what a new summary usually covers."""
    quarter = Quarter.containing(today)
    if kind is PeriodKind.QUARTER:
        return previous_quarter(quarter)
    if quarter.number > 2:
        return HalfYear(quarter.year, 1)
    return HalfYear(FinancialYear(quarter.year.start_year - 1), 2)


def previous_quarter(quarter: Quarter) -> Quarter:
    if quarter.number > 1:
        return Quarter(quarter.year, quarter.number - 1)
    return Quarter(FinancialYear(quarter.year.start_year - 1), 4)


def next_quarter(quarter: Quarter) -> Quarter:
    if quarter.number < 4:
        return Quarter(quarter.year, quarter.number + 1)
    return Quarter(FinancialYear(quarter.year.start_year + 1), 1)
