"""Rules 7–9 and the finance area's other pure rules, table-driven, including the seed's Q2 2017/18 position."""

from decimal import Decimal as D

import pytest

from monitoring.contracts.models import GainShare
from monitoring.core.periods import FinancialYear, Period
from monitoring.finance.rules import (
    brief_money,
    care_ladder_variance,
    cost,
    exact_pounds,
    explanation_problem,
    in_millions,
    in_thousands,
    latest,
    movement,
    movement_words,
    needs_explanation,
    previous_month_in_year,
    quarter_end_values,
    reporting_month,
    risk_share,
    risk_share_words,
    total,
    variance,
    variance_words,
)
from monitoring.finance.rules import previous_quarter_end as rules_previous_quarter_end


@pytest.mark.parametrize(
    ("budget", "outturn", "expected"),
    [
        (D("41000000.00"), D("42630000.00"), D("1630000.00")),  # overspend
        (D("41000000.00"), D("40500000.00"), D("-500000.00")),  # underspend
        (D("41000000.00"), D("41000000.00"), D("0.00")),
    ],
)
def test_variance_is_outturn_minus_budget(budget, outturn, expected):
    assert variance(budget, outturn) == expected


@pytest.mark.parametrize(
    ("overspend", "percent", "reserves", "council", "trust", "shortfall", "exposure"),
    [
        # The seed: £1.63m at 70/30, no reserves recorded: the shortfall is not known (None), never 0.
        (D("1630000"), D(70), None, D("1141000.00"), D("489000.00"), None, None),
        # The seed with £70k of trust reserves: the council meets the £419k the trust cannot.
        (D("1630000"), D(70), D("70000"), D("1141000.00"), D("489000.00"), D("419000.00"), D("1560000.00")),
        # Reserves that cover the trust's share in full.
        (D("1630000"), D(70), D("600000"), D("1141000.00"), D("489000.00"), D("0.00"), D("1141000.00")),
        # No reserves at all.
        (D("1630000"), D(70), D("0"), D("1141000.00"), D("489000.00"), D("489000.00"), D("1630000.00")),
        # Shares that do not divide to the penny still add up: the council's part rounds half up.
        (D("0.05"), D(70), D("1"), D("0.04"), D("0.01"), D("0.00"), D("0.04")),
        (D("100.01"), D("66.67"), D("100"), D("66.68"), D("33.33"), D("0.00"), D("66.68")),
        (D("1000"), D(100), None, D("1000.00"), D("0.00"), None, None),
        (D("1000"), D(0), D("250"), D("0.00"), D("1000"), D("750"), D("750.00")),
    ],
)
def test_an_overspend_is_shared(overspend, percent, reserves, council, trust, shortfall, exposure):
    share = risk_share(overspend, percent, reserves)
    assert share.is_overspend
    assert (share.council_share, share.trust_share, share.shortfall) == (council, trust, shortfall)
    assert share.council_exposure == exposure
    assert share.council_share + share.trust_share == overspend
    if reserves is None:
        assert share.trust_covered is None
    else:
        assert share.trust_covered + share.shortfall == share.trust_share


@pytest.mark.parametrize(
    ("setting", "to_council", "to_trust"),
    [
        (GainShare.RETAINED_BY_TRUST, D("0.00"), D("500000")),
        (GainShare.RETURNED_TO_COUNCIL, D("500000"), D("0.00")),
        (GainShare.SHARED_AS_RISK_SHARE, D("350000.00"), D("150000.00")),
    ],
)
def test_an_underspend_follows_the_gain_share_setting(setting, to_council, to_trust):
    share = risk_share(D("-500000"), D(70), gain_share=setting)
    assert share.is_underspend and not share.is_overspend
    assert (share.gain_to_council, share.gain_to_trust) == (to_council, to_trust)
    assert (share.council_share, share.trust_share, share.shortfall) == (0, 0, 0)


def test_a_zero_variance_shares_nothing():
    share = risk_share(D("0.00"), D(70), D("70000"))
    assert not share.is_overspend and not share.is_underspend
    assert (share.council_share, share.trust_share, share.shortfall, share.council_exposure) == (0, 0, 0, 0)
    assert (share.gain_to_council, share.gain_to_trust) == (0, 0)


@pytest.mark.parametrize(("percent", "reserves"), [(D(101), None), (D(-1), None), (D(70), D(-1))])
def test_impossible_terms_are_refused(percent, reserves):
    with pytest.raises(ValueError):
        risk_share(D(1000), percent, reserves)


@pytest.mark.parametrize(
    ("volume", "unit_value", "activity", "unit_cost", "expected"),
    [
        # Out-of-area placements: 31 forecast against 21 contracted at the same weekly-cost-based rate.
        (D(21), D("150000"), D(31), D("150000"), D("1500000.00")),
        (D(40), D("25000"), D(38), D("24500"), D("-69000.00")),  # fewer, cheaper placements
        (D(12), D("1000.50"), D("12.5"), D("1000.50"), D("500.25")),  # part-year average activity
        (D(0), D(0), D(0), D(0), D("0.00")),
    ],
)
def test_care_ladder_variance(volume, unit_value, activity, unit_cost, expected):
    assert care_ladder_variance(volume, unit_value, activity, unit_cost) == expected


def test_movement_and_presentation():
    assert movement(D("1630000"), D("1860000")) == D("-230000")
    assert movement(D("1630000"), None) is None
    assert in_millions(D("1630000")) == "£1.63m"
    assert in_millions(D("-230000")) == "−£0.23m"
    assert in_millions(D("1141000")) == "£1.14m"
    assert in_thousands(D("489000")) == "£489k"
    assert in_thousands(D("-419499.99")) == "−£419k"


def test_each_care_ladder_cost_is_rounded_to_the_penny_before_the_difference():
    # 0.3333 placements at £10.00 is £3.3330 → £3.33; 1 at £3.335 is not money, but 1.0005 at £3.33 is £3.33.
    # The variance is the difference of the two costs as shown, so a column of variances adds up.
    assert cost(D("0.3333"), D("10.00")) == D("3.33")
    assert care_ladder_variance(D("0.3333"), D("10.00"), D("0.0005"), D("10.00")) == D("-3.32")
    assert care_ladder_variance(D("1.0005"), D("3.33"), D("1"), D("3.33")) == D("0.00")


@pytest.mark.parametrize(
    ("amounts", "expected"),
    [
        ([D("0.10"), D("0.20")], D("0.30")),  # 0.1 + 0.2 in floats is 0.30000000000000004
        ([D("1630000.10"), D("-1630000.10")], D("0.00")),
        ([], D("0.00")),
        ([D("33.33")] * 3, D("99.99")),
    ],
)
def test_totals_are_exact(amounts, expected):
    assert total(amounts) == expected
    assert str(total(amounts)) == str(expected)


@pytest.mark.parametrize(
    ("amount", "brief"),
    [
        (D("1480000"), "£1.48m"),
        (D("-1480000"), "−£1.48m"),
        (D("50000"), "£50k"),
        (D("50400"), "£50,400"),
        (D("50400.50"), "£50,400.50"),
        (D("999999.99"), "£999,999.99"),
        (D("0"), "£0"),
    ],
)
def test_money_in_a_sentence(amount, brief):
    assert brief_money(amount) == brief


@pytest.mark.parametrize(
    ("variance_amount", "threshold", "explanation", "problem"),
    [
        (
            D("1480000"),
            D("50000"),
            "",
            "Children in care placements: the variance of £1.48m is over the £50k threshold; explain it",
        ),
        (
            D("-60400"),
            D("50000"),
            "",
            "Children in care placements: the variance of −£60,400 is over the £50k threshold; explain it",
        ),
        (D("1480000"), D("50000"), "More out-of-authority placements", None),
        (D("50000"), D("50000"), "", None),  # at the threshold is not over it
        (D("-50000"), D("50000"), "  ", None),
        (
            D("50000.01"),
            D("50000"),
            " ",
            "Children in care placements: the variance of £50,000.01 is over the £50k threshold; explain it",
        ),
        (
            D("0.01"),
            D("0"),
            "",
            "Children in care placements: the variance of £0.01 is over the £0 threshold; explain it",
        ),
    ],
)
def test_a_variance_over_the_threshold_needs_explaining(variance_amount, threshold, explanation, problem):
    assert needs_explanation(variance_amount, threshold) is (abs(variance_amount) > threshold)
    assert explanation_problem("Children in care placements", variance_amount, threshold, explanation) == problem


@pytest.mark.parametrize(
    ("change", "since", "words"),
    [
        (D("-230000"), "quarter 1", "a reduction of £0.23m since quarter 1"),
        (D("50000"), "August 2026", "an increase of £0.05m since August 2026"),
        (D("0"), "quarter 2", "no change since quarter 2"),
        (None, "quarter 1", ""),
    ],
)
def test_movement_in_words(change, since, words):
    assert movement_words(change, since) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [(D("1630000"), "an overspend of £1.63m"), (D("-500000"), "an underspend of £0.50m"), (D("0"), "on budget")],
)
def test_a_variance_in_words(amount, words):
    assert variance_words(amount) == words


@pytest.mark.parametrize(
    ("month", "previous_month", "previous_quarter_end"),
    [
        ("2017-04", None, None),  # a new year: nothing earlier to compare with
        ("2017-05", "2017-04", None),
        ("2017-06", "2017-05", None),
        ("2017-07", "2017-06", "2017-06"),
        ("2017-09", "2017-08", "2017-06"),  # Q2's end compares with Q1's
        ("2017-10", "2017-09", "2017-09"),
        ("2018-01", "2017-12", "2017-12"),
        ("2018-03", "2018-02", "2017-12"),
    ],
)
def test_what_a_month_is_compared_with(month, previous_month, previous_quarter_end):
    period = Period.parse(month)
    assert previous_month_in_year(period) == (Period.parse(previous_month) if previous_month else None)
    expected = Period.parse(previous_quarter_end) if previous_quarter_end else None
    assert rules_previous_quarter_end(period) == expected


def test_quarter_positions_come_from_the_quarter_end_months():
    year = FinancialYear(2017)
    by_month = {Period(2017, 6): "Q1", Period(2017, 8): "August", Period(2017, 9): "Q2", Period(2018, 3): "Q4"}
    assert [(q.number, v) for q, v in quarter_end_values(year, by_month)] == [
        (1, "Q1"),
        (2, "Q2"),
        (3, None),
        (4, "Q4"),
    ]
    assert latest(by_month) == (Period(2018, 3), "Q4")
    assert latest({}) is None


@pytest.mark.parametrize(
    ("reported", "expected"),
    [
        (["2017-07", "2017-08", "2017-09"], "2017-09"),  # the quarter's end month
        (["2017-07", "2017-08"], "2017-08"),  # else the latest month of the quarter with figures
        (["2017-06", "2017-10"], None),  # months outside the quarter do not count
    ],
)
def test_a_summary_reads_the_last_reported_month_of_its_period(reported, expected):
    quarter = FinancialYear(2017).quarters[1]
    found = reporting_month(quarter.months, [Period.parse(m) for m in reported])
    assert found == (Period.parse(expected) if expected else None)


def test_exact_pounds():
    assert exact_pounds(D("60400")) == "£60,400"
    assert exact_pounds(D("-12.5")) == "−£12.50"
    assert exact_pounds(D("1630000.10")) == "£1,630,000.10"


@pytest.mark.parametrize(
    ("net", "reserves", "setting", "sentences"),
    [
        (
            D("1630000"),
            D("70000"),
            GainShare.RETAINED_BY_TRUST,
            [
                "The net overspend of £1.63m is shared: the council pays 70%, £1.14m, and the trust 30%, £0.49m.",
                "The trust's reserves of £0.07m do not cover its £0.49m share: the council also meets the shortfall "
                "of £0.42m.",
                "The council's real exposure is £1.56m.",
            ],
        ),
        (
            D("1630000"),
            D("600000"),
            GainShare.RETAINED_BY_TRUST,
            [
                "The net overspend of £1.63m is shared: the council pays 70%, £1.14m, and the trust 30%, £0.49m.",
                "The trust's reserves of £0.60m cover its £0.49m share.",
                "The council's real exposure is £1.14m.",
            ],
        ),
        (
            D("1630000"),
            None,
            GainShare.RETAINED_BY_TRUST,
            [
                "The net overspend of £1.63m is shared: the council pays 70%, £1.14m, and the trust 30%, £0.49m.",
                "The trust has not recorded its available reserves, so whether it can meet its share is not known.",
                "The council's real exposure is at least £1.14m, and more if the trust cannot meet its share.",
            ],
        ),
        (
            D("-500000"),
            D("70000"),
            GainShare.SHARED_AS_RISK_SHARE,
            [
                "The net underspend of £0.50m is not shared as a loss (shared in the same proportions as an "
                "overspend): £0.35m to the council and £0.15m to the trust."
            ],
        ),
        (D("0"), D("70000"), GainShare.RETAINED_BY_TRUST, ["The forecast is on budget: there is nothing to share."]),
    ],
)
def test_the_risk_share_in_words(net, reserves, setting, sentences):
    share = risk_share(net, D(70), reserves, setting)
    assert risk_share_words(share, setting.label) == sentences
