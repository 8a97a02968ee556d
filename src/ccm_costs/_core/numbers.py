"""Exact values from what users write: strings, ints, ``Decimal``s, and floats as they print."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ..errors import InvalidInputError
from .text import shown

AmountLike = str | int | Decimal | Fraction | float
"""A number as a user gives it; a float is read as the shortest decimal it prints as."""
MAX_EXPONENT = 1000
"""Numbers are read exactly, so a power of ten is bounded: ``"1e999999999"`` would be an
integer of a billion digits. No amount or rate comes near 10^1000 (money is bounded far lower,
see :data:`ccm_costs._core.money.MAX_MINOR_UNITS`)."""
_MAX_BITS = 3322  # 2^3322 < 10^1000 < 2^3323


def exact_value(value: object, what: str) -> Fraction:
    """The exact rational value the user wrote, or an error saying why it is not a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal | Fraction | float):
        raise InvalidInputError(
            f"{what} must be a number given as a string, int or Decimal, not "
            f"{type(value).__name__} ({shown(value)})"
        )
    given = value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInputError(f"{what} is {value!r}: give a finite number")
        # repr() is the shortest string that reads back as this float: what the user typed.
        value = Decimal(repr(float(value)))  # float(): numpy floats repr differently
    if isinstance(value, str):
        text = value.strip()
        if "," in text:
            raise InvalidInputError(
                f"{what} {shown(value)} contains a comma: write it with '.' as the decimal point "
                "and no thousands separators, e.g. '550000.00'"
            )
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise InvalidInputError(
                f"{what} {shown(value)} is not a number: write it like '550000.00'"
            ) from None
    if isinstance(value, Decimal) and not value.is_finite():
        raise InvalidInputError(f"{what} is {value}: give a finite number")
    exact = value if isinstance(value, Fraction) else None
    if (isinstance(value, int) and value.bit_length() > _MAX_BITS) or (
        isinstance(value, Decimal) and value and abs(value.adjusted()) > MAX_EXPONENT
    ):
        raise InvalidInputError(
            f"{what} {shown(given)} is beyond 10^{MAX_EXPONENT} in magnitude (or below "
            f"10^-{MAX_EXPONENT}), which no amount or rate is: write it like '550000.00'"
        )
    return exact if exact is not None else Fraction(value)


def percent_to_share(value: object, what: str) -> Fraction:
    """A percentage given by the user (``"22"``, ``Decimal("0.010")``) as an exact share of 1."""
    percent = exact_value(value, what)
    if not 0 <= percent <= 100:
        raise InvalidInputError(f"{what} is {value!r}%: give a percentage from 0 to 100")
    return percent / 100


def percent_text(share: Fraction) -> str:
    """A share of 1 as a readable percentage for messages (``"22 %"``, ``"0.01 %"``)."""
    text = f"{Decimal(share.numerator * 100) / Decimal(share.denominator):.6f}"
    return text.rstrip("0").rstrip(".") + " %"


def fraction_decimal(value: Fraction) -> Decimal:
    """A fraction that is a terminating decimal (read from a printed number) as a Decimal."""
    return Decimal(value.numerator) / Decimal(value.denominator)
