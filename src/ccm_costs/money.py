"""Money as integer minor units: parsing totals, currency exponents, display as ``Decimal``.

Amounts never pass through float: a total is turned into an exact integer count of minor units
(cents for USD), and back into a ``Decimal`` only for display.
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction
from functools import cache

from iso4217 import Currency

from .errors import InvalidInputError

AmountLike = str | int | Decimal | Fraction | float


class RoundingUnit(StrEnum):
    """The smallest amount allocated to a state: a minor unit (cent) or a whole currency unit."""

    MINOR = "minor"
    MAJOR = "major"


@cache
def currency_exponent(currency: str) -> int:
    """Number of decimals of the currency's minor unit (2 for USD, 0 for JPY), from ISO 4217."""
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


def exact_value(value: AmountLike, what: str) -> Fraction:
    """The exact rational value the user wrote, or an error saying why it is not a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | Fraction | float):
        raise InvalidInputError(
            f"{what} must be a number given as a string, int or Decimal, not "
            f"{type(value).__name__} ({value!r})"
        )
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"{what} is {value!r}: give a finite number")
        # repr() is the shortest string that reads back as this float: what the user typed.
        value = Decimal(repr(float(value)))  # float(): numpy floats repr differently
    if isinstance(value, str):
        text = value.strip()
        if "," in text:
            raise InvalidInputError(
                f"{what} {value!r} contains a comma: write it with '.' as the decimal point and "
                "no thousands separators, e.g. '550000.00'"
            )
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidInputError(
                f"{what} {value!r} is not a number: write it like '550000.00'"
            ) from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInputError(f"{what} is {value}: give a finite number")
    return Fraction(value)


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
    that is not allowed, or is finer than the rounding unit (a fraction of a cent, or of a whole
    unit when ``unit="major"``): such a total cannot be shared out exactly.
    """
    exponent = currency_exponent(currency)
    step = 10**exponent if RoundingUnit(unit) is RoundingUnit.MAJOR else 1
    exact = exact_value(value, what) * 10**exponent
    if exact < 0 and not allow_negative:
        raise InvalidInputError(f"{what} {value!r} is negative; give an amount of 0 or more")
    if exact.denominator != 1 or exact.numerator % step:
        finest = "whole units" if step > 1 else f"{Decimal(1).scaleb(-exponent)}"
        raise InvalidInputError(
            f"{what} {value!r} is finer than the rounding unit of {currency.upper()} "
            f"({finest}); round it first, or choose a finer unit"
        )
    return int(exact.numerator)


def from_minor_units(minor: int, currency: str = "USD") -> Decimal:
    """A ``Decimal`` in currency units with exactly the currency's number of decimals."""
    return Decimal(minor).scaleb(-currency_exponent(currency))
