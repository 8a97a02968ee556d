"""Largest-remainder allocation: sums, bounds, ties, order independence, mirror for credits."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import totals, weights

from ccm_costs import TIE_RULE, InvalidInputError, allocate


def reference_allocate(total: int, w: dict[str, int]) -> dict[str, int]:
    """A slow, independent reading of the rule: hand out units one at a time.

    Start from the floors; then give each remaining unit to the key whose exact quota most
    exceeds what it has, ties by larger weight, then smaller key.
    """
    weight_sum = sum(w.values())
    quota = {k: Fraction(total * v, weight_sum) for k, v in w.items()}
    parts = {k: q.numerator // q.denominator for k, q in quota.items()}
    while sum(parts.values()) < total:
        best = max(w, key=lambda k: (quota[k] - parts[k], w[k], [-ord(c) for c in k]))
        parts[best] += 1
    return parts


@given(totals, weights())
def test_parts_sum_to_total_and_stay_within_one_unit(total: int, w: dict[str, int]) -> None:
    parts = allocate(total, w)
    assert sum(parts.values()) == total
    weight_sum = sum(w.values())
    for key, part in parts.items():
        exact = Fraction(total * w[key], weight_sum)
        assert abs(part - exact) < 1
        if w[key] == 0:
            assert part == 0


@given(st.integers(min_value=0, max_value=10**6), weights(max_size=12))
def test_agrees_with_unit_by_unit_reference(total: int, w: dict[str, int]) -> None:
    assert allocate(total, w) == reference_allocate(total, w)


@given(totals, weights(), st.randoms())
def test_input_order_does_not_matter(total: int, w: dict[str, int], rnd: random.Random) -> None:
    items = list(w.items())
    rnd.shuffle(items)
    assert allocate(total, dict(items)) == allocate(total, w)


@given(totals, weights())
def test_credits_mirror_charges(total: int, w: dict[str, int]) -> None:
    assert allocate(-total, w) == {k: -v for k, v in allocate(total, w).items()}


@given(totals, weights())
def test_equal_weights_get_amounts_at_most_one_unit_apart(total: int, w: dict[str, int]) -> None:
    parts = allocate(total, w)
    by_weight: dict[int, list[int]] = {}
    for key, weight in w.items():
        by_weight.setdefault(weight, []).append(parts[key])
    for same in by_weight.values():
        assert max(same) - min(same) <= 1


def test_tie_rule_gives_leftover_units_to_larger_weight_then_smaller_code() -> None:
    # 10 over weights 1,1,1: quotas 3.33 each; one unit left; equal remainders and weights.
    assert allocate(10, {"CCC": 1, "AAA": 1, "BBB": 1}) == {"AAA": 4, "BBB": 3, "CCC": 3}
    # 5 over 1,1,2 -> quotas 1.25, 1.25, 2.5: the largest remainder (ZZZ) takes the unit.
    assert allocate(5, {"BBB": 1, "AAA": 1, "ZZZ": 2}) == {"AAA": 1, "BBB": 1, "ZZZ": 3}
    # 3 over 2 and 4 -> quotas 1 and 2: exact, no tie to break.
    assert allocate(3, {"AAA": 2, "BBB": 4}) == {"AAA": 1, "BBB": 2}
    # 2 over 1, 1, 2 -> quotas 0.5, 0.5, 1: the unit left goes to AAA (smaller code).
    assert allocate(2, {"BBB": 1, "AAA": 1, "CCC": 2}) == {"AAA": 1, "BBB": 0, "CCC": 1}
    assert "larger weight" in TIE_RULE and "ISO3" in TIE_RULE


def test_larger_weight_wins_a_tie_on_remainders() -> None:
    # 2 over {A:1, B:3}: quotas 0.5 and 1.5, equal remainders: B (larger weight) wins.
    assert allocate(2, {"AAA": 1, "BBB": 3}) == {"AAA": 0, "BBB": 2}


def test_fraction_weights_are_exact() -> None:
    parts = allocate(100, {"AAA": Fraction(1, 3), "BBB": Fraction(2, 3)})
    assert parts == {"AAA": 33, "BBB": 67}


@pytest.mark.parametrize(
    ("total", "w", "message"),
    [
        (10, {}, "empty"),
        (10, {"AAA": 0, "BBB": 0}, "all weights are zero"),
        (10, {"AAA": -1, "BBB": 2}, "negative: AAA"),
        (1.5, {"AAA": 1}, "int of minor units"),
        (True, {"AAA": 1}, "int of minor units"),
    ],
)
def test_bad_input_is_refused(total: object, w: dict[str, int], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        allocate(total, w)  # type: ignore[arg-type]
