"""Finance returns in the weekly digest and the return reminders (the returns area's shared checks,
which cover every kind of return: the finance area adds no second list)."""

from __future__ import annotations

from datetime import date

from monitoring.core.periods import Period
from monitoring.reports.digest import DIGEST_SECTIONS, REMINDER_CHECKS
from monitoring.returns.reminders import outstanding, overdue_returns


def test_an_overdue_finance_return_is_in_the_digest(f):
    contract = f.create_contract(with_scope=True)
    f.create_finance_return(contract, "2017-07", status="submitted")
    f.create_finance_return(contract, "2017-08", status="draft")
    items = [i.text for i in overdue_returns(contract, date(2017, 9, 20))]
    assert items == ["Finance return for August 2017: due 14 September 2017, overdue by 4 working days"]


def test_a_reminder_says_the_finance_return_is_outstanding(f):
    contract = f.create_contract(with_scope=True)
    f.create_finance_return(contract, "2017-07", status="submitted")
    assert outstanding(contract, Period(2017, 8)) == ["Finance return"]
    f.create_finance_return(contract, "2017-08", status="submitted")
    assert outstanding(contract, Period(2017, 8)) == []


def test_finance_returns_are_chased_once():
    assert list(DIGEST_SECTIONS).count("overdue_returns") == 1
    assert REMINDER_CHECKS.count(outstanding) == 1
