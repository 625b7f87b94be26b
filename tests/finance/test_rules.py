"""Rules 7–9, table-driven, including the seed's Q2 2017/18 position."""

from decimal import Decimal as D

import pytest

from monitoring.contracts.models import GainShare
from monitoring.finance.rules import care_ladder_variance, in_millions, in_thousands, movement, risk_share, variance


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
        # The seed: £1.63m at 70/30.
        (D("1630000"), D(70), None, D("1141000.00"), D("489000.00"), D("0.00"), D("1141000.00")),
        # The seed with £70k of trust reserves: the council meets the £419k the trust cannot.
        (D("1630000"), D(70), D("70000"), D("1141000.00"), D("489000.00"), D("419000.00"), D("1560000.00")),
        # Reserves that cover the trust's share in full.
        (D("1630000"), D(70), D("600000"), D("1141000.00"), D("489000.00"), D("0.00"), D("1141000.00")),
        # No reserves at all.
        (D("1630000"), D(70), D("0"), D("1141000.00"), D("489000.00"), D("489000.00"), D("1630000.00")),
        # Shares that do not divide to the penny still add up: the council's part rounds half up.
        (D("0.05"), D(70), None, D("0.04"), D("0.01"), D("0.00"), D("0.04")),
        (D("100.01"), D("66.67"), None, D("66.68"), D("33.33"), D("0.00"), D("66.68")),
        (D("1000"), D(100), None, D("1000.00"), D("0.00"), D("0.00"), D("1000.00")),
        (D("1000"), D(0), D("250"), D("0.00"), D("1000"), D("750"), D("750.00")),
    ],
)
def test_an_overspend_is_shared(overspend, percent, reserves, council, trust, shortfall, exposure):
    share = risk_share(overspend, percent, reserves)
    assert share.is_overspend
    assert (share.council_share, share.trust_share, share.shortfall) == (council, trust, shortfall)
    assert share.council_exposure == exposure
    assert share.council_share + share.trust_share == overspend
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
