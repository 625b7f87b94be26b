"""Pure finance rules (DOMAIN.md rules 7–10): variance, the risk share, care-ladder variance.

All amounts are Decimal pounds to the penny; shares are percentages (70 means 70%). Splits round
the council's part to the penny (half up) and give the trust the rest, so parts always add up to
the whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from monitoring.contracts.models import GainShare

PENNY = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


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
    `council_exposure` is what the council really pays. For an underspend, `gain_to_council` and
    `gain_to_trust` follow the contract's gain-share setting.
    """

    net_variance: Decimal
    council_percent: Decimal
    council_share: Decimal = ZERO
    trust_share: Decimal = ZERO
    trust_reserves: Decimal | None = None
    trust_covered: Decimal = ZERO
    shortfall: Decimal = ZERO
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
    def council_exposure(self) -> Decimal:
        """What the council pays towards an overspend, shortfall included."""
        return self.council_share + self.shortfall


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
        covered = trust if trust_reserves is None else min(trust, trust_reserves)
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


def care_ladder_variance(
    contracted_volume: Decimal,
    unit_contract_value: Decimal,
    forecast_activity: Decimal,
    forecast_unit_cost: Decimal,
) -> Decimal:
    """Rule 9: forecast activity × forecast average unit cost − contracted volume × unit contract value."""
    return to_penny(forecast_activity * forecast_unit_cost - contracted_volume * unit_contract_value)


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
