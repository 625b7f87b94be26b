"""Analytics over the returned figures: what is judged for year-to-date measures, and audits feeding QA01."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from monitoring.core.periods import Period
from monitoring.performance import audits
from monitoring.performance.analytics import Analysis
from monitoring.performance.models import AuditKind
from monitoring.performance.rules import Rag
from monitoring.reviews.models import Grade


def test_a_year_to_date_rate_is_judged_at_its_annual_run_rate(f):
    contract = f.create_contract(with_scope=True)  # 65,492 children in 2017/18
    plans = f.create_indicator(
        "CP04",
        title="Child protection plans started per 10,000",
        unit="rate_per_10k",
        polarity="lower_is_better",
        accumulation="ratio_ytd",
        target=D("55.2"),
        tolerance=D("5.5"),
        national=D("56.3"),
        neighbours=D(58),
    )
    f.create_basket(contract, [plans])
    # 214 plans started April to October: 32.7 per 10,000 so far, 56.1 a year at that rate (32.7 × 12 ÷ 7).
    f.create_kpi_return(contract, "2017-10", {"CP04": D(214)}, status="submitted")
    [result] = Analysis.for_period(contract, Period(2017, 10)).results(Period(2017, 10))
    assert result.value == D("32.7")
    assert result.annualised == D("56.1")
    assert result.rag is Rag.AMBER  # not Green: 32.7 would be, but it is only seven months' worth
    assert result.national.difference == D("-0.2") and result.national.better is True


def test_a_snapshot_is_judged_as_it_is(f):
    contract = f.create_contract(with_scope=True)
    stability = f.create_indicator("CLA05", target=D(70), tolerance=D(5))
    f.create_basket(contract, [stability])
    f.create_kpi_return(contract, "2017-10", {"CLA05": D(66)}, status="submitted")
    [result] = Analysis.for_period(contract, Period(2017, 10)).results(Period(2017, 10))
    assert (result.value, result.annualised, result.rag) == (D(66), None, Rag.AMBER)


def test_the_case_audit_measure_comes_from_the_years_audits(f):
    contract = f.create_contract(with_scope=True)
    quality = f.create_indicator(
        "QA01",
        title="Case file audits graded good or better",
        accumulation="ratio_ytd",
        from_case_audits=True,
        target=D(80),
        tolerance=D(5),
    )
    f.create_basket(contract, [quality])
    for month, grades in [(8, [Grade.GOOD] * 3 + [Grade.INADEQUATE]), (9, [Grade.OUTSTANDING, Grade.GOOD])]:
        audit = audits.record_audit(
            contract,
            period=Period(2017, month),
            kind=AuditKind.MONTHLY_SAMPLE,
            theme="",
            completed_on=date(2017, month, 25),
            today=date(2017, 12, 1),
        )
        for n, grade in enumerate(grades):
            audits.add_case(audit, reference=f"{month}-{n}", grade=grade, head_of_service="Jo Ellis")
    analysis = Analysis.for_period(contract, Period(2017, 9))
    assert analysis.point(quality, Period(2017, 8)).value == D(75)  # 3 of 4
    assert analysis.point(quality, Period(2017, 9)).value == D("83.3")  # 5 of 6 in the year so far
    assert analysis.point(quality, Period(2017, 7)).value is None  # no audit: no figure, not zero
