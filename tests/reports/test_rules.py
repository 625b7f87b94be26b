"""Pure rules of delivery and summary periods: due times in London across clock changes, working
days and bank holidays, catch-up and staleness, recipients, retries, narrative text."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from monitoring.core.periods import FinancialYear, Period, Quarter
from monitoring.reports import rules
from monitoring.reports.narrative import narrative_blocks
from monitoring.reports.periods import HalfYear, PeriodKind, latest_complete, months_covered, period_title

Q = Quarter
FY = FinancialYear


@pytest.mark.parametrize(
    ("quarter", "working_days", "at", "due_utc"),
    [
        # Q2 2017/18 ends Sat 30 Sep 2017: 5th working day after is Fri 6 Oct; 07:00 BST is 06:00 UTC.
        (Q(FY(2017), 2), 5, time(7, 0), datetime(2017, 10, 6, 6, 0, tzinfo=UTC)),
        # Q3 ends Sun 31 Dec 2017: Mon 1 Jan is a bank holiday, so 5th working day is Mon 8 Jan; GMT.
        (Q(FY(2017), 3), 5, time(7, 0), datetime(2018, 1, 8, 7, 0, tzinfo=UTC)),
        # Q4 ends Sat 31 Mar 2018: Good Friday 30 Mar and Easter Monday 2 Apr; clocks went forward 25 Mar.
        (Q(FY(2017), 4), 5, time(7, 0), datetime(2018, 4, 9, 6, 0, tzinfo=UTC)),
        # Q2 2018/19 ends Sun 30 Sep 2018; 1 working day after is Mon 1 Oct, still BST.
        (Q(FY(2018), 2), 1, time(9, 30), datetime(2018, 10, 1, 8, 30, tzinfo=UTC)),
        # Q2 2019/20, 20 working days: Mon 28 Oct 2019, the day after the clocks went back, is GMT.
        (Q(FY(2019), 2), 20, time(7, 0), datetime(2019, 10, 28, 7, 0, tzinfo=UTC)),
    ],
)
def test_summary_due_time_counts_working_days_and_follows_london_time(quarter, working_days, at, due_utc) -> None:
    assert rules.summary_due_at(quarter, working_days, at) == due_utc


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2017, 10, 13), 0, date(2017, 10, 13)),
        (date(2017, 10, 13), 2, date(2017, 10, 11)),  # Friday back to Wednesday
        (date(2017, 10, 16), 1, date(2017, 10, 13)),  # Monday back over the weekend
        (date(2018, 4, 3), 1, date(2018, 3, 29)),  # over Easter Monday and Good Friday
        (date(2018, 1, 2), 1, date(2017, 12, 29)),  # over New Year's Day and Boxing Day weekend
    ],
)
def test_working_days_before_skips_weekends_and_bank_holidays(day, count, expected) -> None:
    assert rules.working_days_before(day, count) == expected


def test_working_days_before_refuses_a_negative_count() -> None:
    with pytest.raises(ValueError):
        rules.working_days_before(date(2017, 10, 13), -1)


@pytest.mark.parametrize(
    ("month", "deadline_days", "before", "reminder_utc", "deadline"),
    [
        # August 2017 return due 10 working days after 31 Aug (bank holiday 28 Aug is before): Thu 14 Sep.
        (Period(2017, 8), 10, 2, datetime(2017, 9, 12, 7, 0, tzinfo=UTC), date(2017, 9, 14)),
        # March 2018 return: Easter Monday 2 Apr skipped, due Mon 16 Apr; reminder Thu 12 Apr, 08:00 BST.
        (Period(2018, 3), 10, 2, datetime(2018, 4, 12, 7, 0, tzinfo=UTC), date(2018, 4, 16)),
        # October 2019 return due 5 working days after 31 Oct: Thu 7 Nov; reminder the day before, GMT.
        (Period(2019, 10), 5, 1, datetime(2019, 11, 6, 8, 0, tzinfo=UTC), date(2019, 11, 7)),
    ],
)
def test_a_reminder_goes_working_days_before_the_return_deadline(month, deadline_days, before, reminder_utc, deadline):
    occasion = rules.reminder_occasion(month, deadline_days, before, time(8, 0))
    assert rules.return_deadline(month, deadline_days) == deadline
    assert occasion.due_at == reminder_utc
    assert occasion.key == month.label
    # After the deadline day the reminder is no longer worth sending.
    assert occasion.stale_at == rules.london_moment(deadline + timedelta(days=1), time(0, 0))


@pytest.mark.parametrize(
    ("monday", "weekday", "expected_day"),
    [
        (date(2017, 10, 9), 0, date(2017, 10, 9)),
        (date(2017, 10, 9), 4, date(2017, 10, 13)),
        (date(2018, 4, 2), 0, date(2018, 4, 3)),  # Easter Monday: the digest comes on Tuesday
        (date(2018, 3, 26), 0, date(2018, 3, 26)),  # the Monday after the clocks go forward
    ],
)
def test_the_digest_day_moves_past_a_bank_holiday(monday, weekday, expected_day) -> None:
    assert rules.digest_day(monday, weekday) == expected_day


def test_digest_times_follow_the_clock_change() -> None:
    before = rules.digest_occasion(date(2018, 3, 19), 0, time(8, 0))
    after = rules.digest_occasion(date(2018, 3, 26), 0, time(8, 0))
    assert before.due_at == datetime(2018, 3, 19, 8, 0, tzinfo=UTC)  # GMT
    assert after.due_at == datetime(2018, 3, 26, 7, 0, tzinfo=UTC)  # BST
    assert before.key == "2018-W12" and after.key == "2018-W13"
    assert before.stale_at == after.due_at


def _summary(year: int, number: int) -> rules.Occasion:
    return rules.summary_occasion(Q(FY(year), number), 5, time(7, 0))


@pytest.mark.parametrize(
    ("now", "since", "expected"),
    [
        # One second before Q2's due time, Q1 (due 7 July) is the latest, still worth sending until Q2 is due.
        (datetime(2017, 10, 6, 5, 59, 59, tzinfo=UTC), datetime(2017, 4, 1, tzinfo=UTC), ["2017/18 Q1"]),
        (datetime(2017, 10, 6, 5, 59, 59, tzinfo=UTC), datetime(2017, 8, 1, tzinfo=UTC), []),
        # At the due time: Q2 (and Q1 is now stale).
        (datetime(2017, 10, 6, 6, 0, tzinfo=UTC), datetime(2017, 4, 1, tzinfo=UTC), ["2017/18 Q2"]),
        # The scheduler was down for a month: Q2 is still caught up (once; the ledger sees to that).
        (datetime(2017, 11, 6, 12, 0, tzinfo=UTC), datetime(2017, 4, 1, tzinfo=UTC), ["2017/18 Q2"]),
        # Once Q3 is due, Q2 is stale and only Q3 goes.
        (datetime(2018, 1, 8, 7, 0, tzinfo=UTC), datetime(2017, 4, 1, tzinfo=UTC), ["2017/18 Q3"]),
        # A schedule started after Q2 was due does not send Q2.
        (datetime(2017, 10, 20, tzinfo=UTC), datetime(2017, 10, 10, tzinfo=UTC), []),
    ],
)
def test_due_occasions_catch_up_what_is_missed_until_it_is_stale(now, since, expected) -> None:
    candidates = rules.summary_candidates(now, 5, time(7, 0))
    assert [o.key for o in rules.due_occasions(candidates, since, now)] == expected


def test_the_next_occasion_is_shown_in_london_time() -> None:
    now = datetime(2017, 10, 6, 6, 0, 1, tzinfo=UTC)
    upcoming = rules.next_due(rules.summary_candidates(now, 5, time(7, 0)) + [_summary(2017, 3)], now)
    assert upcoming.key == "2017/18 Q3"
    assert upcoming.label == "Quarter 3 2017/18"


M = rules.Member


@pytest.mark.parametrize(
    ("members", "audience", "choices", "expected"),
    [
        # Directors receive by default; the commissioner did not opt in; scrutiny is not eligible here.
        ([M(1, "director", True), M(2, "commissioner", True), M(3, "scrutiny", True)], ["director"], {}, [1]),
        # A director who opted out receives nothing; a commissioner who opted in does.
        ([M(1, "director", True), M(2, "commissioner", True)], ["director"], {1: False, 2: True}, [2]),
        # A deactivated account never receives, whatever it chose.
        ([M(1, "director", False)], ["director"], {1: True}, []),
        # A role that cannot receive this kind cannot opt in either.
        ([M(4, "admin", True)], ["director"], {4: True}, []),
    ],
)
def test_recipients_are_the_audience_less_opt_outs_plus_opt_ins(members, audience, choices, expected) -> None:
    assert rules.recipients(members, audience, ["director", "commissioner"], choices) == expected


@pytest.mark.parametrize(
    ("attempts", "expected"),
    [(1, timedelta(minutes=5)), (2, timedelta(minutes=15)), (3, timedelta(hours=1)), (4, None)],
)
def test_failed_sends_back_off_then_give_up(attempts, expected) -> None:
    assert rules.next_attempt_delay(attempts, [300, 900, 3600]) == expected


def test_back_off_needs_at_least_one_attempt() -> None:
    with pytest.raises(ValueError):
        rules.next_attempt_delay(0, [300])


@pytest.mark.parametrize(
    ("period", "title", "months", "first", "last"),
    [
        (Q(FY(2017), 2), "Quarter 2 2017/18", "July to September 2017", date(2017, 7, 1), date(2017, 9, 30)),
        (Q(FY(2017), 4), "Quarter 4 2017/18", "January to March 2018", date(2018, 1, 1), date(2018, 3, 31)),
        (
            HalfYear(FY(2017), 1),
            "First half of 2017/18",
            "April to September 2017",
            date(2017, 4, 1),
            date(2017, 9, 30),
        ),
        (
            HalfYear(FY(2017), 2),
            "Second half of 2017/18",
            "October 2017 to March 2018",
            date(2017, 10, 1),
            date(2018, 3, 31),
        ),
    ],
)
def test_report_periods_follow_the_financial_year(period, title, months, first, last) -> None:
    assert period_title(period) == title
    assert months_covered(period) == months
    assert (period.start, period.end) == (first, last)


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        (PeriodKind.QUARTER, date(2017, 11, 1), Q(FY(2017), 2)),
        (PeriodKind.QUARTER, date(2017, 4, 10), Q(FY(2016), 4)),
        (PeriodKind.HALF_YEAR, date(2017, 11, 1), HalfYear(FY(2017), 1)),
        (PeriodKind.HALF_YEAR, date(2017, 5, 1), HalfYear(FY(2016), 2)),
        (PeriodKind.HALF_YEAR, date(2018, 2, 1), HalfYear(FY(2017), 1)),
    ],
)
def test_a_new_summary_suggests_the_latest_complete_period(kind, today, expected) -> None:
    assert latest_complete(kind, today) == expected


def test_a_half_year_is_numbered_one_or_two() -> None:
    with pytest.raises(ValueError):
        HalfYear(FY(2017), 3)


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("", []),
        ("One paragraph\nwrapped.", [{"kind": "paragraph", "text": "One paragraph wrapped."}]),
        (
            "Going well:\n- audits\n- stability\n\nThe end.",
            [
                {"kind": "paragraph", "text": "Going well:"},
                {"kind": "list", "items": ["audits", "stability"]},
                {"kind": "paragraph", "text": "The end."},
            ],
        ),
        ("* star\n• bullet\n  continued", [{"kind": "list", "items": ["star", "bullet continued"]}]),
        ("<b>not markup</b>", [{"kind": "paragraph", "text": "<b>not markup</b>"}]),
    ],
)
def test_narrative_text_becomes_paragraphs_and_lists(text, blocks) -> None:
    assert narrative_blocks(text) == blocks
