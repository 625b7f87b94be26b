"""The UK financial year, its quarters and monthly periods (rule 1 in DOMAIN.md).

A financial year runs 1 April to 31 March and is named "2017/18"; Q1 is April to June.
A monthly period is named "YYYY-MM".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

_YEAR_LABEL = re.compile(r"^(\d{4})/(\d{2})$")
_PERIOD_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    """A financial year, identified by the calendar year it starts in."""

    start_year: int

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @classmethod
    def parse(cls, label: str) -> FinancialYear:
        """Read "2017/18"; raise ValueError for anything else."""
        match = _YEAR_LABEL.match(label.strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"{label!r} is not a financial year such as 2017/18")
        return cls(int(match[1]))

    @property
    def label(self) -> str:
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    @property
    def start(self) -> date:
        return date(self.start_year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.start_year + 1, 3, 31)

    @property
    def months(self) -> list[Period]:
        first = Period(self.start_year, 4)
        return [first.shift(n) for n in range(12)]

    @property
    def quarters(self) -> list[Quarter]:
        return [Quarter(self, n) for n in range(1, 5)]

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Quarter:
    """One of the four quarters of a financial year (Q1 April–June … Q4 January–March)."""

    year: FinancialYear
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError("a quarter is numbered 1 to 4")

    @classmethod
    def containing(cls, day: date) -> Quarter:
        return Period.containing(day).quarter

    @property
    def months(self) -> list[Period]:
        return self.year.months[(self.number - 1) * 3 : self.number * 3]

    @property
    def start(self) -> date:
        return self.months[0].start

    @property
    def end(self) -> date:
        return self.months[-1].end

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.year.label}"

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, the unit of a monthly return."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError("a month is numbered 1 to 12")

    @classmethod
    def containing(cls, day: date) -> Period:
        return cls(day.year, day.month)

    @classmethod
    def parse(cls, label: str) -> Period:
        """Read "2017-08"; raise ValueError for anything else."""
        match = _PERIOD_LABEL.match(label.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            raise ValueError(f"{label!r} is not a month such as 2017-08")
        return cls(int(match[1]), int(match[2]))

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def name(self) -> str:
        return f"{calendar.month_name[self.month]} {self.year}"

    @property
    def start(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.containing(self.start)

    @property
    def month_of_year(self) -> int:
        """1 for April … 12 for March: the months elapsed in the financial year at this period's end."""
        return (self.month - 4) % 12 + 1

    @property
    def quarter(self) -> Quarter:
        return Quarter(self.financial_year, (self.month_of_year - 1) // 3 + 1)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def same_month_last_year(self) -> Period:
        return self.shift(-12)

    def __str__(self) -> str:
        return self.label
