"""Money as integer minor units: parsing totals, currency exponents, display as ``Decimal``.

Amounts never pass through float: a total is turned into an exact integer count of minor units
(cents for USD), and back into a ``Decimal`` only for display.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from functools import cache

from ..errors import InvalidInputError
from .choices import choice
from .numbers import AmountLike, exact_value
from .text import shown

MAX_MINOR_UNITS = 10**15
"""The largest total, in minor units, in absolute value (a credit as large as a charge):
10,000,000,000,000.00 USD (ten trillion, a thousand times the UN's yearly budgets together),
10^15 JPY. Every amount is then exact in every layer: below 2^53, it is exact even as a double
(an Excel cell, a JSON number read by JavaScript), and far within a signed 64-bit integer
(pandas ``int64``, SQLite ``INTEGER``), sums of many included."""


class RoundingUnit(StrEnum):
    """The smallest amount allocated to a state: a minor unit (cent) or a whole currency unit."""

    MINOR = "minor"
    MAJOR = "major"


@cache
def currency_exponent(currency: str) -> int:
    """Number of decimals of the currency's minor unit (2 for USD, 0 for JPY), from ISO 4217."""
    from iso4217 import Currency  # its table loads on first use, not at import

    code = currency.strip().upper() if isinstance(currency, str) else ""
    try:
        exponent = Currency(code).exponent
    except ValueError:
        raise InvalidInputError(
            f"unknown currency {currency!r}: give an ISO 4217 code such as 'USD', 'EUR' or 'CHF'"
        ) from None
    if exponent is None:
        raise InvalidInputError(
            f"currency {code!r} has no minor unit in ISO 4217 (e.g. a precious metal or a "
            "fund code); give a currency used for payments, such as 'USD'"
        )
    return int(exponent)


def to_minor_units(
    value: AmountLike,
    currency: str = "USD",
    *,
    unit: RoundingUnit | str = RoundingUnit.MINOR,
    what: str = "total",
    allow_negative: bool = True,
) -> int:
    """The exact amount ``value`` in minor units of ``currency``.

    Raises :class:`InvalidInputError` if the value is not a finite number, is negative where
    that is not allowed, is beyond :data:`MAX_MINOR_UNITS` in absolute value, or is finer
    than the rounding unit (a fraction of a cent, or of a whole unit when
    ``unit="major"``): such a total cannot be shared out exactly. ``unit`` not one of
    ``"minor"``, ``"major"`` is an error naming them.
    """
    exponent = currency_exponent(currency)
    rounding = choice(RoundingUnit, unit, "unit")
    step = 10**exponent if rounding is RoundingUnit.MAJOR else 1
    exact = exact_value(value, what) * 10**exponent
    if exact < 0 and not allow_negative:
        raise InvalidInputError(f"{what} {shown(value)} is negative; give an amount of 0 or more")
    if abs(exact) > MAX_MINOR_UNITS:
        raise InvalidInputError(
            f"{what} {shown(value)} is beyond the largest amount shared out exactly, "
            f"{from_minor_units(MAX_MINOR_UNITS, currency):,} {currency.strip().upper()} (in "
            "absolute value): check the figure and its unit"
        )
    if exact.denominator != 1 or exact.numerator % step:
        finest = "whole units" if step > 1 else f"{Decimal(1).scaleb(-exponent)}"
        raise InvalidInputError(
            f"{what} {shown(value)} is finer than the rounding unit of {currency.upper()} "
            f"({finest}); round it first, or choose a finer unit"
        )
    return int(exact.numerator)


def from_minor_units(minor: int, currency: str = "USD") -> Decimal:
    """A ``Decimal`` in currency units with exactly the currency's number of decimals."""
    return Decimal(minor).scaleb(-currency_exponent(currency))
