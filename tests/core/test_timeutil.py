from datetime import UTC, date, datetime

import pytest

from monitoring.core.timeutil import format_date, format_datetime


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime(2017, 7, 1, 9, 5, tzinfo=UTC), "1 July 2017, 10:05am"),  # British Summer Time
        (datetime(2017, 12, 1, 9, 5, tzinfo=UTC), "1 December 2017, 9:05am"),  # GMT
        (datetime(2017, 3, 26, 0, 30, tzinfo=UTC), "26 March 2017, 12:30am"),  # before the clocks go forward
        (datetime(2017, 3, 26, 1, 30, tzinfo=UTC), "26 March 2017, 2:30am"),  # after
        (datetime(2017, 10, 29, 0, 30, tzinfo=UTC), "29 October 2017, 1:30am"),  # BST, first 1:30
        (datetime(2017, 10, 29, 1, 30, tzinfo=UTC), "29 October 2017, 1:30am"),  # GMT, second 1:30
        (datetime(2017, 6, 1, 12, 0, tzinfo=UTC), "1 June 2017, 1pm"),
        (datetime(2017, 6, 1, 11, 0, tzinfo=UTC), "1 June 2017, midday"),
        (datetime(2017, 12, 1, 0, 0, tzinfo=UTC), "1 December 2017, midnight"),
    ],
)
def test_times_are_shown_in_london_time(moment: datetime, shown: str) -> None:
    assert format_datetime(moment) == shown


def test_dates_are_written_out() -> None:
    assert format_date(date(2017, 11, 29)) == "29 November 2017"
    assert format_date(None) == ""
