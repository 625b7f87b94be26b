"""What the weekly digest and the return reminders say about returns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from monitoring.core.periods import Period
from monitoring.returns.reminders import outstanding, overdue_returns


def test_the_digest_lists_returns_past_their_deadline(f):
    contract = f.create_contract(with_scope=True)
    measure = f.create_indicator("NI66", target=D(80))
    f.create_basket(contract, [measure])
    f.create_kpi_return(contract, "2017-07", {"NI66": D(85)}, submitted_on=date(2017, 8, 10))
    august = f.create_kpi_return(contract, "2017-08", {"NI66": D(85)}, status="draft")
    # On 20 September: August's return was due on 14 September and is still a draft; September's is not due.
    items = overdue_returns(contract, date(2017, 9, 20))
    assert [i.text for i in items] == ["KPI return for August 2017: due 14 September 2017, overdue by 4 working days"]
    assert items[0].path == f"/contracts/{contract.id}/returns/{august.id}"


def test_a_contract_that_never_sent_a_return_is_not_chased(f):
    assert overdue_returns(f.create_contract(with_scope=True), date(2017, 9, 20)) == []


def test_a_reminder_names_the_returns_still_to_come(f):
    contract = f.create_contract(with_scope=True)
    measure = f.create_indicator("NI66", target=D(80))
    f.create_basket(contract, [measure])
    assert outstanding(contract, Period(2017, 7)) == ["KPI return", "Finance return"]  # nothing sent yet
    f.create_kpi_return(contract, "2017-07", {"NI66": D(85)}, status="submitted")
    assert outstanding(contract, Period(2017, 8)) == ["KPI return"]
    f.create_kpi_return(contract, "2017-08", {"NI66": D(85)}, status="submitted")
    assert outstanding(contract, Period(2017, 8)) == []
