"""Pure finance rules (DOMAIN.md rules 7–10): variance, the risk share, care-ladder variance.

All amounts are Decimal pounds to the penny; shares are percentages (70 means 70%). Splits round
the council's part to the penny (half up) and give the trust the rest, so parts always add up to
the whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from monitoring.contracts.models import GainShare
from monitoring.core.periods import FinancialYear, Period, Quarter

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)
THOUSAND = Decimal(1000)
MILLION = Decimal(1_000_000)
T = TypeVar("T")


def to_penny(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def variance(budget: Decimal, forecast_outturn: Decimal) -> Decimal:
    """Rule 7: forecast outturn minus budget; positive is an overspend."""
    return forecast_outturn - budget


def _split(amount: Decimal, council_percent: Decimal) -> tuple[Decimal, Decimal]:
    council = to_penny(amount * council_percent / HUNDRED)
    return council, amount - council


@dataclass(frozen=True)
class RiskShare:
    """How a net variance falls between council and trust (rule 8).

    For an overspend: `council_share` and `trust_share` are the contractual split; when the trust's
    reserves cannot cover its share, `shortfall` is the part the council must also meet, and
    `council_exposure` is what the council really pays. With no reserves recorded, the part covered,
    the shortfall and the exposure are not known: None, never 0. For an underspend, `gain_to_council`
    and `gain_to_trust` follow the contract's gain-share setting.
    """

    net_variance: Decimal
    council_percent: Decimal
    council_share: Decimal = ZERO
    trust_share: Decimal = ZERO
    trust_reserves: Decimal | None = None
    trust_covered: Decimal | None = ZERO
    shortfall: Decimal | None = ZERO
    gain_share: GainShare = GainShare.RETAINED_BY_TRUST
    gain_to_council: Decimal = ZERO
    gain_to_trust: Decimal = ZERO

    @property
    def is_overspend(self) -> bool:
        return self.net_variance > 0

    @property
    def is_underspend(self) -> bool:
        return self.net_variance < 0

    @property
    def council_exposure(self) -> Decimal | None:
        """What the council pays towards an overspend, shortfall included (None: not known)."""
        return None if self.shortfall is None else self.council_share + self.shortfall


def risk_share(
    net_variance: Decimal,
    council_percent: Decimal = Decimal(70),
    trust_reserves: Decimal | None = None,
    gain_share: GainShare = GainShare.RETAINED_BY_TRUST,
) -> RiskShare:
    """Rule 8: split a net overspend (or an underspend) between the council and the trust."""
    if not ZERO <= council_percent <= HUNDRED:
        raise ValueError("the council's share must be between 0 and 100 percent")
    if trust_reserves is not None and trust_reserves < 0:
        raise ValueError("reserves cannot be negative")
    common = {
        "net_variance": net_variance,
        "council_percent": council_percent,
        "trust_reserves": trust_reserves,
        "gain_share": gain_share,
    }
    if net_variance > 0:
        council, trust = _split(net_variance, council_percent)
        if trust_reserves is None:
            return RiskShare(**common, council_share=council, trust_share=trust, trust_covered=None, shortfall=None)
        covered = min(trust, trust_reserves)
        return RiskShare(
            **common, council_share=council, trust_share=trust, trust_covered=covered, shortfall=trust - covered
        )
    if net_variance < 0:
        underspend = -net_variance
        if gain_share is GainShare.RETAINED_BY_TRUST:
            to_council, to_trust = ZERO, underspend
        elif gain_share is GainShare.RETURNED_TO_COUNCIL:
            to_council, to_trust = underspend, ZERO
        else:
            to_council, to_trust = _split(underspend, council_percent)
        return RiskShare(**common, gain_to_council=to_council, gain_to_trust=to_trust)
    return RiskShare(**common)


def cost(activity: Decimal, unit_cost: Decimal) -> Decimal:
    """A number of placements (perhaps a part-year average) at a unit cost, to the penny."""
    return to_penny(activity * unit_cost)


def care_ladder_variance(
    contracted_volume: Decimal,
    unit_contract_value: Decimal,
    forecast_activity: Decimal,
    forecast_unit_cost: Decimal,
) -> Decimal:
    """Rule 9: forecast activity × forecast average unit cost − contracted volume × unit contract value.

    Each cost is money, so each is rounded to the penny before the difference is taken: the variance
    printed beside the two costs is then exactly their difference, and the column adds up.
    """
    return cost(forecast_activity, forecast_unit_cost) - cost(contracted_volume, unit_contract_value)


def movement(current: Decimal, earlier: Decimal | None) -> Decimal | None:
    """Change since an earlier position ("a reduction of £0.23m since quarter 1" is −230,000)."""
    return None if earlier is None else current - earlier


def in_millions(amount: Decimal) -> str:
    """£m to two decimals, as the reports print: 1,630,000 → "£1.63m", −230,000 → "−£0.23m"."""
    millions = to_penny(abs(amount) / Decimal(1_000_000))
    return f"{'−' if amount < 0 else ''}£{millions:,.2f}m"


def in_thousands(amount: Decimal) -> str:
    """£k to the nearest thousand: 489,000 → "£489k"."""
    thousands = (abs(amount) / Decimal(1000)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{'−' if amount < 0 else ''}£{thousands:,}k"


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of some amounts (£0.00 for none), so a column's total is the sum of its lines."""
    return sum(amounts, ZERO)


def exact_pounds(amount: Decimal) -> str:
    """Pounds as written in a sentence: £60,400, £60,400.50, −£12.25."""
    pounds = to_penny(abs(amount))
    text = f"{pounds:,.0f}" if pounds == pounds.to_integral_value() else f"{pounds:,.2f}"
    return f"{'−' if amount < 0 else ''}£{text}"


def brief_money(amount: Decimal) -> str:
    """Money as the seeds write it in a sentence: £1.48m from a million up, £50k for whole thousands,
    otherwise the exact amount (so £50,400 is never rounded to look like a £50k threshold)."""
    if abs(amount) >= MILLION:
        return in_millions(amount)
    if amount and amount % THOUSAND == 0:
        return in_thousands(amount)
    return exact_pounds(amount)


def needs_explanation(variance_amount: Decimal, threshold: Decimal) -> bool:
    """A variance either way larger than the contract's threshold must be explained before submitting."""
    return abs(variance_amount) > threshold


def explanation_problem(name: str, variance_amount: Decimal, threshold: Decimal, explanation: str) -> str | None:
    """The message stopping a return with an unexplained variance over the threshold, or None."""
    if not needs_explanation(variance_amount, threshold) or explanation.strip():
        return None
    return (
        f"{name}: the variance of {brief_money(variance_amount)} is over the {brief_money(threshold)} threshold; "
        "explain it"
    )


def variance_words(amount: Decimal) -> str:
    """A forecast variance in words: "an overspend of £1.63m", "an underspend of £0.50m", "on budget"."""
    if amount > 0:
        return f"an overspend of {in_millions(amount)}"
    if amount < 0:
        return f"an underspend of {in_millions(-amount)}"
    return "on budget"


def movement_words(change: Decimal | None, since: str) -> str:
    """How the forecast variance moved: "a reduction of £0.23m since quarter 1"; "" when there is nothing
    to compare with."""
    if change is None:
        return ""
    if change < 0:
        return f"a reduction of {in_millions(-change)} since {since}"
    if change > 0:
        return f"an increase of {in_millions(change)} since {since}"
    return f"no change since {since}"


def previous_month_in_year(period: Period) -> Period | None:
    """The month before, within the same financial year: April starts a new year with new budgets,
    so its forecast is not compared with March's outturn."""
    return period.shift(-1) if period.month_of_year > 1 else None


def previous_quarter_end(period: Period) -> Period | None:
    """The end month of the quarter before this month's, within the financial year (June for any month
    of Q2, September for Q3); none in Q1."""
    quarter = period.quarter
    if quarter.number == 1:
        return None
    return Quarter(quarter.year, quarter.number - 1).months[-1]


def quarter_name(quarter: Quarter) -> str:
    return f"quarter {quarter.number}"


def quarter_end_values(year: FinancialYear, by_month: Mapping[Period, T]) -> list[tuple[Quarter, T | None]]:
    """Each quarter's position: the one at its end month (June, September, December, March), if reported."""
    return [(quarter, by_month.get(quarter.months[-1])) for quarter in year.quarters]


def reporting_month(months: Iterable[Period], reported: Iterable[Period]) -> Period | None:
    """The month a summary of several months reads: the last of them if it has figures, else the latest
    that has, else none."""
    have = set(reported)
    found = [m for m in months if m in have]
    return max(found) if found else None


def latest(by_month: Mapping[Period, T]) -> tuple[Period, T] | None:
    """The year's position is the latest month's forecast: (that month, its position)."""
    if not by_month:
        return None
    month = max(by_month)
    return month, by_month[month]


def risk_share_words(share: RiskShare, gain_share_label: str = "") -> list[str]:
    """The risk share in plain sentences, the shortfall first among the consequences (rule 8)."""
    if share.is_overspend:
        council_percent = f"{share.council_percent.normalize():f}%"
        trust_percent = f"{(HUNDRED - share.council_percent).normalize():f}%"
        words = [
            f"The net overspend of {in_millions(share.net_variance)} is shared: the council pays {council_percent}, "
            f"{in_millions(share.council_share)}, and the trust {trust_percent}, {in_millions(share.trust_share)}."
        ]
        if share.trust_reserves is None or share.shortfall is None:
            words.append(
                "The trust has not recorded its available reserves, so whether it can meet its share is not known."
            )
            words.append(
                f"The council's real exposure is at least {in_millions(share.council_share)}, "
                "and more if the trust cannot meet its share."
            )
            return words
        if share.shortfall > 0:
            words.append(
                f"The trust's reserves of {in_millions(share.trust_reserves)} do not cover its "
                f"{in_millions(share.trust_share)} share: the council also meets the shortfall of "
                f"{in_millions(share.shortfall)}."
            )
        else:
            words.append(
                f"The trust's reserves of {in_millions(share.trust_reserves)} cover its "
                f"{in_millions(share.trust_share)} share."
            )
        words.append(f"The council's real exposure is {in_millions(share.council_share + share.shortfall)}.")
        return words
    if share.is_underspend:
        how = f" ({gain_share_label.lower()})" if gain_share_label else ""
        return [
            f"The net underspend of {in_millions(-share.net_variance)} is not shared as a loss{how}: "
            f"{in_millions(share.gain_to_council)} to the council and {in_millions(share.gain_to_trust)} to the trust."
        ]
    return ["The forecast is on budget: there is nothing to share."]
