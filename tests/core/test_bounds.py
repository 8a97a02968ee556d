"""Adjusted shares: pro rata exactness, monotonicity, and bounds by pin-and-redistribute."""

from __future__ import annotations

import random
from fractions import Fraction
from types import MappingProxyType

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import keys, rate_units, weights

from ccm_costs import InfeasibleBoundsError, InvalidInputError
from ccm_costs._core.bounds import BOUNDED, PRO_RATA, AdjustmentRules, GroupCeiling, adjust

shares_of_one = st.fractions(min_value=0, max_value=1, max_denominator=10**5)


@given(weights())
def test_pro_rata_shares_are_exact_and_sum_to_one(w: dict[str, int]) -> None:
    result = adjust(w)
    assert sum(result.shares.values()) == 1
    total = sum(w.values())
    assert all(result.shares[k] == Fraction(v, total) for k, v in w.items())
    assert list(result.steps) == [PRO_RATA]


@given(weights(), keys, st.integers(min_value=1, max_value=22_000))
def test_adding_a_state_never_raises_another_share(w: dict[str, int], new: str, rate: int) -> None:
    assume(new not in w)
    before = adjust(w).shares
    after = adjust({**w, new: rate}).shares
    assert all(after[k] <= before[k] for k in w)
    assert all(after[k] < before[k] for k in w if w[k] > 0)


@st.composite
def bounded_problem(draw: st.DrawFn) -> tuple[dict[str, int], AdjustmentRules]:
    """Weights with a ceiling, a floor, a group ceiling and pins that may or may not be feasible."""
    w = draw(weights(min_size=2, max_size=25))
    codes = sorted(w)
    ceiling = draw(st.none() | shares_of_one)
    floor = draw(st.none() | st.fractions(min_value=0, max_value=Fraction(1, len(w))))
    groups: tuple[GroupCeiling, ...] = ()
    if draw(st.booleans()):
        members = frozenset(draw(st.lists(st.sampled_from(codes), max_size=len(codes))))
        groups = (GroupCeiling("G", members, draw(shares_of_one)),)
    pinned = {}
    for code in draw(st.lists(st.sampled_from(codes), max_size=2, unique=True)):
        pinned[code] = draw(st.fractions(min_value=0, max_value=Fraction(1, 2)))
    rules = AdjustmentRules(ceiling, floor, groups, MappingProxyType(pinned))
    return w, rules


def _upper(code: str, rules: AdjustmentRules) -> Fraction:
    bounds = [Fraction(1)] if rules.ceiling is None else [rules.ceiling]
    bounds += [g.ceiling for g in rules.group_ceilings if code in g.states]
    return min(bounds)


def assert_bounded_solution(w: dict[str, int], rules: AdjustmentRules) -> None:
    """The shares meet every bound exactly and are the pin-and-redistribute fixed point."""
    result = adjust(w, rules)
    shares = result.shares
    assert sum(shares.values()) == 1
    assert list(result.steps) == ([PRO_RATA, BOUNDED] if rules.has_bounds else [PRO_RATA])
    floor = rules.floor or Fraction(0)
    for code, share in shares.items():
        if code in rules.pinned:
            assert share == rules.pinned[code]
            continue
        assert floor <= share <= _upper(code, rules)
    # The free states share one factor lambda; states at a bound would cross it if freed.
    free = [k for k in shares if k not in result.binding and w[k] > 0]
    ratios = {shares[k] / w[k] for k in free}
    assert len(ratios) <= 1
    if ratios:
        lam = ratios.pop()
        for code, why in result.binding.items():
            if why == "floor":
                assert lam * w[code] <= floor
            elif why != "pinned":
                assert lam * w[code] >= _upper(code, rules)


@given(bounded_problem())
def test_bounds_hold_exactly_or_the_problem_is_refused(
    problem: tuple[dict[str, int], AdjustmentRules],
) -> None:
    w, rules = problem
    try:
        assert_bounded_solution(w, rules)
    except InfeasibleBoundsError as err:
        assert err.constraint


@given(bounded_problem(), st.randoms())
def test_bounded_shares_do_not_depend_on_input_order(
    problem: tuple[dict[str, int], AdjustmentRules], rnd: random.Random
) -> None:
    w, rules = problem
    items = list(w.items())
    rnd.shuffle(items)
    try:
        expected = adjust(w, rules)
    except InfeasibleBoundsError:
        with pytest.raises(InfeasibleBoundsError):
            adjust(dict(items), rules)
        return
    assert adjust(dict(items), rules).shares == expected.shares


@given(st.lists(rate_units.filter(bool), min_size=2, max_size=30), st.data())
def test_feasible_bounds_are_never_refused(rates: list[int], data: st.DataObject) -> None:
    # A ceiling of at least 1/n and a floor of at most 1/n always leave room for 100 %.
    w = {f"S{i:02d}": r for i, r in enumerate(rates)}
    n = len(w)
    ceiling = data.draw(st.fractions(min_value=Fraction(1, n), max_value=1))
    floor = data.draw(st.fractions(min_value=0, max_value=Fraction(1, n)))
    assert_bounded_solution(w, AdjustmentRules(ceiling=ceiling, floor=floor))


def test_ceiling_redistributes_pro_rata_hand_checked() -> None:
    # A 22000, B 3000, C 1000 units; ceiling 50 %: A is fixed at 1/2, B and C share the other
    # half 3:1, i.e. 3/8 and 1/8.
    result = adjust({"AAA": 22_000, "BBB": 3_000, "CCC": 1_000}, AdjustmentRules(Fraction(1, 2)))
    assert result.shares == {"AAA": Fraction(1, 2), "BBB": Fraction(3, 8), "CCC": Fraction(1, 8)}
    assert result.binding == {"AAA": "ceiling"}
    assert result.steps[PRO_RATA]["AAA"] == Fraction(22, 26)


def test_second_round_catches_a_state_pushed_over_by_the_first() -> None:
    # Ceiling 40 %: A (60 %) is fixed; re-spreading pushes B from 30 % to 45 %: fixed too.
    result = adjust({"AAA": 60, "BBB": 30, "CCC": 10}, AdjustmentRules(Fraction(2, 5)))
    assert result.shares == {"AAA": Fraction(2, 5), "BBB": Fraction(2, 5), "CCC": Fraction(1, 5)}
    assert result.binding == {"AAA": "ceiling", "BBB": "ceiling"}


def test_floor_and_group_ceiling_and_pin() -> None:
    rules = AdjustmentRules(
        floor=Fraction(1, 10),
        group_ceilings=(GroupCeiling("LDC", frozenset({"BBB"}), Fraction(1, 5)),),
        pinned=MappingProxyType({"DDD": Fraction(1, 4)}),
    )
    result = adjust({"AAA": 1, "BBB": 500, "CCC": 499, "DDD": 7}, rules)
    assert result.shares["DDD"] == Fraction(1, 4)
    assert result.shares["AAA"] == Fraction(1, 10)
    assert result.shares["BBB"] == Fraction(1, 5)
    assert result.shares["CCC"] == Fraction(9, 20)
    assert result.binding == {
        "DDD": "pinned",
        "AAA": "floor",
        "BBB": "group ceiling (LDC)",
    }


def test_zero_rate_state_gets_the_floor_or_nothing() -> None:
    assert adjust({"AAA": 0, "BBB": 5}).shares == {"AAA": 0, "BBB": 1}
    bounded = adjust({"AAA": 0, "BBB": 5}, AdjustmentRules(floor=Fraction(1, 10))).shares
    assert bounded == {"AAA": Fraction(1, 10), "BBB": Fraction(9, 10)}


@pytest.mark.parametrize(
    ("w", "rules", "constraint", "message"),
    [
        ({"AAA": 1, "BBB": 1}, AdjustmentRules(ceiling=Fraction(2, 5)), "ceiling", "at most 80 %"),
        ({"AAA": 1, "BBB": 1}, AdjustmentRules(floor=Fraction(3, 5)), "floor", "needs 120 %"),
        (
            {"AAA": 1, "BBB": 1},
            AdjustmentRules(
                pinned=MappingProxyType({"AAA": Fraction(3, 5), "BBB": Fraction(1, 2)})
            ),
            "pinned",
            "more than 100 %",
        ),
        (
            {"AAA": 1},
            AdjustmentRules(pinned=MappingProxyType({"AAA": Fraction(1, 2)})),
            "pinned",
            "every state is pinned",
        ),
        (
            {"AAA": 1, "BBB": 1},
            AdjustmentRules(
                floor=Fraction(1, 5),
                group_ceilings=(GroupCeiling("LDC", frozenset({"AAA"}), Fraction(1, 10)),),
            ),
            "group ceiling (LDC)",
            "AAA: its group ceiling (LDC) 10 % is below the floor 20 %",
        ),
        (
            {"AAA": 0, "BBB": 1},
            AdjustmentRules(ceiling=Fraction(3, 5)),
            "ceiling",
            "left over",
        ),
    ],
)
def test_infeasible_bounds_name_the_binding_constraint(
    w: dict[str, int], rules: AdjustmentRules, constraint: str, message: str
) -> None:
    with pytest.raises(InfeasibleBoundsError) as caught:
        adjust(w, rules)
    assert caught.value.constraint == constraint
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_empty_and_all_zero_weights_are_refused() -> None:
    with pytest.raises(InvalidInputError, match="empty"):
        adjust({})
    with pytest.raises(InvalidInputError, match="zero rate"):
        adjust({"AAA": 0, "BBB": 0})
