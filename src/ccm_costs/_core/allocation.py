"""Largest-remainder allocation of an integer total in proportion to exact weights.

This is the one rounding rule of the library, used for money (minor units) and for published
rates that must total exactly 100. Each state gets the floor of its exact quota; the units left
over go one each to the largest remainders. The tie rule, :data:`TIE_RULE`, makes the result
independent of the order in which states are given.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from fractions import Fraction
from typing import TypeVar

from ..errors import InvalidInputError
from .numbers import exact_value
from .text import shown

K = TypeVar("K", bound=str)

TIE_RULE = (
    "largest remainder; among equal remainders the larger weight first; among equal weights "
    "the smaller key (ISO3 code, alphabetically) first"
)


def allocate(total: int, weights: Mapping[K, Fraction | int]) -> dict[K, int]:
    """Split the integer ``total`` over ``weights`` by largest remainder.

    Guarantees: the parts sum to ``total``; each part is the floor or the ceiling of its exact
    quota ``total * w / sum(w)`` (so within one unit of it); a zero weight gets exactly 0;
    ties are broken by :data:`TIE_RULE`; ``allocate(-t, w)`` is ``-allocate(t, w)``.
    """
    if isinstance(total, bool) or not isinstance(total, int):
        raise InvalidInputError(f"total must be an int of minor units, not {shown(total)}")
    if not isinstance(weights, Mapping):
        raise InvalidInputError(
            f"weights must map keys to numbers, e.g. {{'AUT': 679}}, not {shown(weights)}"
        )
    if not weights:
        raise InvalidInputError("nothing to allocate over: the set of weights is empty")
    ints = _common_integer_weights(weights)
    negative = sorted((key for key, w in ints.items() if w < 0), key=str)
    if negative:
        raise InvalidInputError(f"weights must not be negative: {', '.join(map(str, negative))}")
    weight_sum = sum(ints.values())
    if weight_sum == 0:
        raise InvalidInputError(
            "all weights are zero: at least one state must have a positive rate"
        )
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    parts: dict[K, int] = {}
    remainders: dict[K, int] = {}  # numerators over weight_sum, so compared as integers
    for key, w in ints.items():
        parts[key], remainders[key] = divmod(magnitude * w, weight_sum)
    left = magnitude - sum(parts.values())
    if left:
        try:
            order = heapq.nsmallest(left, ints, key=lambda k: (-remainders[k], -ints[k], k))
        except TypeError:
            raise InvalidInputError(
                "the keys of the weights cannot be ordered for the tie rule: give them all as "
                "text (ISO3 codes) or all as ints"
            ) from None
        for key in order:
            parts[key] += 1
    if sign < 0:
        return {key: -part for key, part in parts.items()}
    return parts


def _common_integer_weights(weights: Mapping[K, Fraction | int]) -> dict[K, int]:
    """The weights scaled by the least common denominator: same proportions, all integers
    (integer weights as they are).

    A weight is an ``int``, ``Fraction`` or ``Decimal`` (a float is read as the decimal it
    prints as); text, NaN and other values are an error naming the key."""
    if all(type(w) is int for w in weights.values()):
        return dict(weights)  # type: ignore[arg-type]
    exact = {}
    for key, w in weights.items():
        if isinstance(w, str):
            raise InvalidInputError(
                f"the weight of {key!r} is the text {shown(w)}: give a number (int, Fraction "
                "or Decimal)"
            )
        if isinstance(w, Fraction):
            exact[key] = w
        elif isinstance(w, int) and not isinstance(w, bool):
            exact[key] = Fraction(w)
        else:
            exact[key] = exact_value(w, f"the weight of {key!r}")
    denominator = math.lcm(*(w.denominator for w in exact.values()))
    return {key: w.numerator * (denominator // w.denominator) for key, w in exact.items()}
