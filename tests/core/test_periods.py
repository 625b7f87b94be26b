"""Rule 1: the UK financial year (April–March), its quarters and monthly periods."""

from datetime import date

import pytest

from monitoring.core.periods import FinancialYear, Period, Quarter


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2017, 4, 1), "2017/18"),
        (date(2018, 3, 31), "2017/18"),
        (date(2017, 3, 31), "2016/17"),
        (date(1999, 12, 31), "1999/00"),
        (date(2026, 11, 23), "2026/27"),
    ],
)
def test_financial_year_containing_a_day(day: date, label: str) -> None:
    assert FinancialYear.containing(day).label == label


def test_financial_year_bounds_and_parsing() -> None:
    year = FinancialYear.parse("2017/18")
    assert (year.start, year.end) == (date(2017, 4, 1), date(2018, 3, 31))
    assert [p.label for p in year.months][:2] == ["2017-04", "2017-05"]
    assert year.months[-1].label == "2018-03"
    assert FinancialYear.parse("1999/00") == FinancialYear(1999)


@pytest.mark.parametrize("bad", ["2017/19", "2017-18", "17/18", "", "2017/1", "abcd/ef"])
def test_financial_year_rejects_other_text(bad: str) -> None:
    with pytest.raises(ValueError, match="2017/18"):
        FinancialYear.parse(bad)


@pytest.mark.parametrize(
    ("period", "quarter", "month_of_year"),
    [
        ("2017-04", "Q1 2017/18", 1),
        ("2017-06", "Q1 2017/18", 3),
        ("2017-07", "Q2 2017/18", 4),
        ("2017-09", "Q2 2017/18", 6),
        ("2017-10", "Q3 2017/18", 7),
        ("2017-12", "Q3 2017/18", 9),
        ("2018-01", "Q4 2017/18", 10),
        ("2018-03", "Q4 2017/18", 12),
    ],
)
def test_quarters_run_from_april(period: str, quarter: str, month_of_year: int) -> None:
    p = Period.parse(period)
    assert p.quarter.label == quarter
    assert p.month_of_year == month_of_year


def test_quarter_bounds() -> None:
    q2 = Quarter(FinancialYear(2017), 2)
    assert (q2.start, q2.end) == (date(2017, 7, 1), date(2017, 9, 30))
    assert Quarter.containing(date(2018, 2, 14)).label == "Q4 2017/18"
    with pytest.raises(ValueError):
        Quarter(FinancialYear(2017), 5)


def test_period_arithmetic_and_names() -> None:
    august = Period.parse("2017-08")
    assert august.name == "August 2017"
    assert august.end == date(2017, 8, 31)
    assert Period.parse("2016-02").end == date(2016, 2, 29)
    assert august.shift(5).label == "2018-01"
    assert august.shift(-8).label == "2016-12"
    assert august.same_month_last_year().label == "2016-08"


@pytest.mark.parametrize("bad", ["2017-13", "2017-00", "2017-8", "August 2017", ""])
def test_period_rejects_other_text(bad: str) -> None:
    with pytest.raises(ValueError):
        Period.parse(bad)
