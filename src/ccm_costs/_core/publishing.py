"""Adjusted rates as published: exact shares rounded to a fixed number of decimals of a percent.

Two policies: each rate rounded half-up on its own (the published rates may then total
100 plus or minus a few units, as treaty bodies publish them), or largest remainder, so the
published rates total exactly 100.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from ..errors import InvalidInputError
from .allocation import allocate
from .bounds import Shares
from .choices import choice

MAX_DECIMALS = 12


class RateRounding(StrEnum):
    """How exact adjusted shares become published rates."""

    HALF_UP = "half_up"
    """Each rate rounded half-up on its own; the rates may not total exactly 100."""
    LARGEST_REMAINDER = "largest_remainder"
    """Rates rounded by largest remainder so that they total exactly 100."""


class AmountBasis(StrEnum):
    """What the amounts are proportional to."""

    EXACT_SHARES = "exact_shares"
    """The exact adjusted shares (the default): no rounding before the money is split."""
    PUBLISHED_RATES = "published_rates"
    """The published (rounded) rates, as a body that invoices from its printed table does."""


def check_decimals(decimals: int) -> int:
    """The number of decimals of published rates, checked to be an int from 0 to 12."""
    if isinstance(decimals, bool) or not isinstance(decimals, int):
        raise InvalidInputError(f"rate_decimals must be an int, not {decimals!r}")
    if not 0 <= decimals <= MAX_DECIMALS:
        raise InvalidInputError(
            f"rate_decimals is {decimals}: give a number of decimals from 0 to {MAX_DECIMALS}"
        )
    return decimals


def publish_rates(shares: Shares, decimals: int, rounding: RateRounding | str) -> dict[str, int]:
    """Published rates in units of ``10**-decimals`` percent, from exact shares of 1, under
    ``rounding`` (each half-up on its own, or largest remainder to total exactly 100)."""
    decimals = check_decimals(decimals)
    policy = choice(RateRounding, rounding, "rate rounding")
    units_per_whole = 100 * 10**decimals
    if policy is RateRounding.LARGEST_REMAINDER:
        return allocate(units_per_whole, shares.nums)
    # floor(share * units + 1/2) in integers: half-up for non-negative shares
    twice = 2 * shares.den
    return {k: (2 * n * units_per_whole + shares.den) // twice for k, n in shares.nums.items()}


def rate_decimal(units: int, decimals: int) -> Decimal:
    """A published rate in ``10**-decimals`` percent units as the Decimal percent it prints."""
    return Decimal(units).scaleb(-decimals)
