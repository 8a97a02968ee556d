"""Scenarios under any rule set: every row of the bounded engine equals ``cc.apportion``.

The property is checked at two levels: the engine's own rows (a row it marks done must equal
the interpreter to the unit; a row the interpreter refuses must not be done), and the public
``apportion_scenarios`` (every row equal to ``apportion``, the engine's rows and the scalar
fallback alike). The last tests break the engine on purpose to see that the property catches
it and that the exact check is what keeps a wrong binding set out of the results.
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from strategies import SCALE_2019, money_strings, rule_data, rule_payers

import ccm_costs as cc
from ccm_costs._apportion import column_rules
from ccm_costs._core import bounded_engine
from ccm_costs._core.bounded_engine import bounded_many
from ccm_costs._scenarios import _setting

SCALE = cc.load_scale("2022-2024")
PARTIES_2024 = sorted(c for c in cc.parties_on(dt.date(2024, 9, 10)) if c in SCALE)
WITH_CAP = cc.rules.load("un-pro-rata").replace(ceiling="22")
EVERY_BOUND = cc.rules.load("un-pro-rata").replace(
    ceiling="22", floor="0.01", group_ceilings={"LDC": "0.01"}
)


def expected_row(
    total: str, codes: list[str], row: np.ndarray[Any, Any], rules: cc.RuleSet
) -> list[int] | None:
    """The interpreter's amounts for the states present in a row (None if it refuses)."""
    payers = [c for c, here in zip(codes, row, strict=True) if here]
    try:
        result = cc.apportion(total, payers, scale=SCALE_2019, rules=rules)
    except cc.CcmCostsError:
        return None
    return [result.table.amounts.get(c, 0) for c in codes]


def check_engine_rows(rules: cc.RuleSet, codes: list[str], total: str, present: Any) -> int:
    """Every row the engine marks done equals the interpreter; no row the interpreter refuses
    is done. Returns how many rows the engine did (-1: no engine for these payers)."""
    try:
        setting = _setting(total, codes, scale=SCALE_2019, rules=rules, currency="USD")
    except cc.CcmCostsError:  # a payer without a rate: apportion refuses every row too
        return -1
    if setting.columns is None:
        return -1
    matrix = np.asarray(present, dtype=bool)[:, [codes.index(c) for c in setting.codes]]
    amounts, done = bounded_many(setting.units_total, matrix, setting.columns)
    for i, row in enumerate(matrix):
        expected = expected_row(total, setting.codes, row, rules)
        if expected is None:
            assert not done[i], f"row {i}: the interpreter refuses it, the engine did it"
        elif done[i]:
            assert [int(a) * setting.step for a in amounts[i]] == expected, f"row {i}"
        else:
            assert not amounts[i].any()
    return int(done.sum())


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[cc.RuleSet, list[str], str, list[list[bool]]]:
    """A random rule set, payers, a total and 1 to 8 rows of who is present."""
    rules = cc.rules.RuleSet.from_dict(draw(rule_data()))
    codes = draw(rule_payers(min_size=2, max_size=30))
    total = draw(money_strings)
    if rules.amounts.unit is cc.RoundingUnit.MAJOR:
        total = str(int(Decimal(total)))
    row = st.lists(st.booleans(), min_size=len(codes), max_size=len(codes))
    everyone = [True] * len(codes)
    rows = draw(st.lists(st.one_of(row, st.just(everyone)), min_size=1, max_size=8))
    return rules, codes, total, rows


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_every_engine_row_equals_apportion_under_random_rule_sets(
    case: tuple[cc.RuleSet, list[str], str, list[list[bool]]],
) -> None:
    assume(check_engine_rows(*case) >= 0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_apportion_scenarios_equals_apportion_row_by_row(
    case: tuple[cc.RuleSet, list[str], str, list[list[bool]]],
) -> None:
    rules, codes, total, rows = case
    expected = [expected_row(total, codes, np.array(row), rules) for row in rows]
    assume(all(e is not None for e in expected))
    try:
        result = cc.apportion_scenarios(total, codes, rows, scale=SCALE_2019, rules=rules)
    except cc.MissingRateError:  # a payer without a rate; apportion refuses it the same way
        assume(False)
        raise
    assert result.tolist() == expected


@pytest.mark.parametrize(
    "rules", [WITH_CAP, EVERY_BOUND, "who", "unfccc-indicative", "montreal-trust-fund"]
)
def test_the_engine_does_every_realistic_row_itself(rules: cc.RuleSet | str) -> None:
    """On 130 payers with the United States present (the 22 % ceiling binds), the engine
    settles every row itself (none falls back to the scalar path), and every row is exact:
    this total gives many equal remainders of different shares, so the tie rule is tested."""
    rng = np.random.default_rng(7)
    codes = [*sorted(SCALE.units)[:129], "USA"]
    rule_set = cc.rules.load(rules) if isinstance(rules, str) else rules
    setting = _setting("550000.00", codes, scale=SCALE, rules=rule_set, currency="USD")
    present = rng.random((400, len(setting.codes))) < 0.8
    present[:, setting.codes.index("USA")] = True
    assert setting.columns is not None
    amounts, done = bounded_many(setting.units_total, present, setting.columns, chunk_size=64)
    assert done.all()
    for i in range(400):
        payers = [c for c, here in zip(setting.codes, present[i], strict=True) if here]
        result = cc.apportion("550000.00", payers, scale=SCALE, rules=rules)
        assert amounts[i].tolist() == [result.table.amounts.get(c, 0) for c in setting.codes]


def test_a_tie_between_a_bound_and_a_free_share_goes_by_the_tie_rule() -> None:
    """1.75 USD over seven states under a 30 % ceiling and a 2 % floor: equal remainders of
    an entry at a bound and a free one, decided by their shares (found by a search that
    broke the engine's settling of such ties)."""
    codes = ["AUS", "PAN", "DOM", "IRQ", "RWA", "DMA", "USA"]
    rules = cc.rules.load("un-pro-rata").replace(ceiling="30", floor="2")
    assert check_engine_rows(rules, codes, "1.75", [[True] * 7]) == 1


def test_a_pinned_and_a_free_share_with_equal_remainders_share_one_unit() -> None:
    """24.25 USD over Afghanistan and the United States pinned at 22 %: 533.5 and 1891.5
    cents, one unit left over. The held and the free entry had the same packed key, so both
    got the unit (2426 cents of 2425): found by the random-rule-set property test."""
    rules = cc.rules.load("un-pro-rata").replace(pinned={"USA": "22"})
    assert check_engine_rows(rules, ["AFG", "USA"], "24.25", [[True, True]]) == 1
    amounts = cc.apportion_scenarios("24.25", ["AFG", "USA"], [[True, True]], scale=SCALE_2019,
                                     rules=rules)  # fmt: skip
    assert amounts.tolist() == [[1892, 533]]


def test_columns_follow_the_order_given_and_absent_states_pay_nothing() -> None:
    states = ["Kenya", "USA", "Japan", "Germany", "China", "France", "Brazil", "India"]
    present = [[True] * 8, [True, True, False, True, True, True, True, False]]
    result = cc.apportion_scenarios("550000.00", states, present, scale=SCALE, rules="who")
    assert result.shape == (2, 8) and result[1, 2] == 0 and result[1, 7] == 0
    for row, amounts in zip(present, result, strict=True):
        assert amounts.sum() == 55_000_000
        payers = [s for s, here in zip(states, row, strict=True) if here]
        expected = cc.apportion("550000.00", payers, scale=SCALE, rules="who")
        assert [expected.table.amounts.get(cc.resolve_state(s), 0) for s in states] == list(amounts)


def test_a_refused_scenario_raises_the_interpreters_error_naming_its_row() -> None:
    states = ["USA", "JPN", "DEU", "KEN", "FRA", "CHN"]
    present = np.ones((3, 6), dtype=bool)
    present[2, 1:4] = False  # three states cannot share 100 % under a 22 % ceiling
    with pytest.raises(cc.InfeasibleBoundsError) as caught:
        cc.apportion_scenarios("550000.00", states, present, scale=SCALE, rules="who")
    assert "in scenario 2" in " ".join(getattr(caught.value, "__notes__", []))


@pytest.mark.parametrize(
    ("present", "message"),
    [
        ([[1, 0, 1]], "bool matrix"),
        ([[True, False]], "3 columns"),
        ([True, False, True], "shape (3,)"),
    ],
)
def test_present_must_be_a_bool_matrix_with_a_column_per_state(
    present: object, message: str
) -> None:
    with pytest.raises(cc.InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        cc.apportion_scenarios("100.00", ["USA", "JPN", "DEU"], present, scale=SCALE)


@pytest.mark.parametrize("rules", [None, WITH_CAP])
def test_a_dataframe_of_scenarios_is_matched_to_the_states_by_its_labels(
    rules: cc.RuleSet | None,
) -> None:
    """Columns labelled by name or code, in another order than the states: matched by label,
    never by position; labels that are not the states given are an error naming them."""
    pd = pytest.importorskip("pandas")
    states = ["USA", "DEU", "FRA", "ITA", "JPN", "GBR"]
    frame = pd.DataFrame(
        {
            "France": [True, True],
            "DEU": [True, False],
            "USA": [False, True],
            "ITA": [True] * 2,
            "JPN": [True] * 2,
            "GBR": [True, True],
        }
    )
    got = cc.apportion_scenarios("100.00", states, frame, scale=SCALE, rules=rules)
    payers_of = [["DEU", "FRA", "ITA", "JPN", "GBR"], ["USA", "FRA", "ITA", "JPN", "GBR"]]
    for row, payers in zip(got, payers_of, strict=True):
        expected = cc.apportion("100.00", payers, scale=SCALE, rules=rules).table.amounts
        assert row.tolist() == [expected.get(c, 0) for c in states]
    with pytest.raises(cc.InvalidInputError, match="no column for GBR; columns CHN are not"):
        cc.apportion_scenarios(
            "100.00", states, frame.rename(columns={"GBR": "CHN"}), scale=SCALE, rules=rules
        )


def test_a_rule_set_of_a_shape_the_engine_does_not_run_goes_through_apportion() -> None:
    two_steps = WITH_CAP.then(
        cc.rules.Bounds(name="again", label="Floor after the ceiling", floor=Decimal("0.001"))
    )
    assert column_rules(sorted(PARTIES_2024), SCALE, two_steps) is None
    states = [*PARTIES_2024[:40], "USA"]
    present = np.ones((2, len(states)), dtype=bool)
    present[1, :5] = False
    result = cc.apportion_scenarios("1000.00", states, present, scale=SCALE, rules=two_steps)
    payers = [s for s, here in zip(states, present[1], strict=True) if here]
    expected = cc.apportion("1000.00", payers, scale=SCALE, rules=two_steps)
    assert result[1].tolist() == [expected.table.amounts.get(s, 0) for s in states]


# -------------------------------------------------------------------- Monte Carlo, bounded


def test_monte_carlo_under_a_ceiling_equals_every_run_apportioned_one_by_one() -> None:
    parties = PARTIES_2024[:30]
    chances = {"USA": Fraction(1, 2), "CHN": Fraction(1, 3), "IND": Fraction(9, 10),
               "IDN": Fraction(1, 4), "KEN": Fraction(1, 5)}  # fmt: skip
    runs, seed = 300, 11
    levels = (Fraction(0), Fraction(1, 2), Fraction(1))
    frame = cc.monte_carlo("120000.00", parties, chances, scale=SCALE, rules="who", runs=runs,
                           seed=seed, quantiles=levels,
                           engine=cc.EngineOptions(chunk_size=64))  # fmt: skip
    attend = np.random.default_rng(seed).random((runs, len(chances))) < np.array(
        [float(p) for p in chances.values()]
    )
    values: dict[str, list[int]] = {c: [] for c in [*parties, *chances]}
    for row in attend:
        payers = parties + [c for c, here in zip(chances, row, strict=True) if here]
        amounts = cc.apportion("120000.00", payers, scale=SCALE, rules="who").table.amounts
        for code, seen in values.items():
            seen.append(amounts.get(code, 0))
    for code, seen in values.items():
        row = frame.loc[code]
        ordered = sorted(seen)
        assert row["min"] == Decimal(ordered[0]) / 100
        assert row["q50"] == Decimal(ordered[math.ceil(runs / 2) - 1]) / 100
        assert row["max"] == Decimal(ordered[-1]) / 100
        assert row["mean_exact"] == Fraction(sum(seen), runs) / 100
        assert row["attended_runs"] == sum(1 for v in seen if v) or code in chances


def test_sensitivity_under_a_group_ceiling_matches_two_apportionments() -> None:
    payers = PARTIES_2024[:60]
    frame = cc.sensitivity("300000.00", payers, ["USA", "BGD"], scale=SCALE, rules=EVERY_BOUND)
    with_usa = cc.apportion("300000.00", [*payers, "USA"], scale=SCALE, rules=EVERY_BOUND)
    base = cc.apportion("300000.00", payers, scale=SCALE, rules=EVERY_BOUND)
    for code in payers:
        change = with_usa.table.amounts[code] - base.table.amounts[code]
        assert frame.loc[code, "+USA"] == Decimal(change) / 100


# ------------------------------------------------------------ breaking it on purpose


@contextmanager
def sabotaged(*, finder: str, check: bool) -> Iterator[None]:
    """The engine with a broken finder and/or a check that accepts every row whose ``left``
    is not negative (and a last check, that a row adds up, that accepts every row). The
    finder either stops after one round and never fixes a floor (``"short"``), or moves one
    state of each row to a wrong class after every round (``"perturb"``: free to floor or
    ceiling, or back), which only the exact check can tell from a right one."""
    chunk = bounded_engine._Chunk
    real_fix: Callable[..., Any] = chunk._fix
    real_verify: Callable[..., Any] = chunk._verify
    real_adds_up: Callable[..., Any] = chunk._adds_up

    def short(self: Any, free: Any, capped: Any, floored: Any, pinned: Any) -> Any:
        moved, unsettled = real_fix(self, free, capped, floored.copy(), pinned)
        return np.zeros_like(moved), np.zeros_like(unsettled)

    def perturb(self: Any, free: Any, capped: Any, floored: Any, pinned: Any) -> Any:
        moved, unsettled = real_fix(self, free, capped, floored, pinned)
        rng = np.random.default_rng(int(free.sum()) + len(free))  # the same for the same rows
        for row in range(len(free)):
            movable = np.flatnonzero(free[row] | capped[row] | floored[row])
            if not len(movable):
                continue
            j = rng.choice(movable)
            was = (free[row, j], capped[row, j], floored[row, j])
            free[row, j], capped[row, j], floored[row, j] = False, False, False
            target = rng.integers(3) if not was[0] else rng.integers(1, 3)
            (free, capped, floored)[target][row, j] = True
        return moved, unsettled

    def accept(self: Any, *args: Any) -> Any:
        _, left, spread = real_verify(self, *args)
        return left >= 0, left, spread

    try:
        chunk._fix = {"short": short, "perturb": perturb}[finder]  # type: ignore[method-assign]
        if check:
            chunk._verify = accept  # type: ignore[method-assign]
            every = staticmethod(lambda out, magnitude: np.ones(len(out), dtype=bool))
            chunk._adds_up = every  # type: ignore[method-assign,assignment]
        yield
    finally:
        chunk._fix = real_fix  # type: ignore[method-assign]
        chunk._verify = real_verify  # type: ignore[method-assign]
        chunk._adds_up = staticmethod(real_adds_up)  # type: ignore[method-assign,assignment]


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(scenarios())
def _property(case: tuple[cc.RuleSet, list[str], str, list[list[bool]]]) -> None:
    assume(check_engine_rows(*case) >= 0)


def test_the_property_catches_a_broken_check() -> None:
    """With a wrong finder and a check that accepts anything, wrong rows reach the results:
    the property test must fail."""
    codes = [*sorted(SCALE.units)[:60], "USA"]
    present = np.ones((4, len(codes)), dtype=bool)
    with sabotaged(finder="short", check=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the broken check lets 0 / 0 through
        with pytest.raises(AssertionError):
            check_engine_rows(EVERY_BOUND, codes, "550000.00", present)
        with pytest.raises((AssertionError, cc.CcmCostsError)):
            _property()


@pytest.mark.parametrize("finder", ["short", "perturb"])
def test_the_exact_check_keeps_a_wrong_binding_set_out(finder: str) -> None:
    """With a wrong finder and the real check, the rows it gets wrong are not done (they go
    to the scalar path), so every done row is still exact; with every condition of the check
    needed (remove one and the perturbed finder gets wrong rows through)."""
    codes = [*sorted(SCALE.units)[:60], "USA"]
    present = np.ones((4, len(codes)), dtype=bool)
    present[1:, 3:9] = False
    with sabotaged(finder=finder, check=False):
        assert check_engine_rows(EVERY_BOUND, codes, "550000.00", present) >= 0
        _property()
        result = cc.apportion_scenarios("550000.00", codes, present, scale=SCALE_2019,
                                        rules=EVERY_BOUND)  # fmt: skip
    expected = cc.apportion("550000.00", codes, scale=SCALE_2019, rules=EVERY_BOUND)
    assert result[0].tolist() == [expected.table.amounts[c] for c in codes]


@pytest.mark.parametrize("largest", ["40.000", "99.000"])
def test_rates_beyond_the_int16_range_are_checked_in_a_wider_type(
    largest: str, tmp_path: Path
) -> None:
    """The heaviest and lightest weights of a mask are found in the smallest integer type
    that holds the rates (int16 for UN scales, up to 32.767 %): a scale with a 40 % state
    takes int32 and gives the same rows as ``apportion``."""
    others = ("AUT", "BEL", "CHE", "DEU", "DNK", "ESP", "FIN", "FRA")
    rest = (Decimal("100") - Decimal(largest)) / len(others)
    path = tmp_path / "scale.csv"
    lines = "".join(f"{c},{rest}\n" for c in others)
    path.write_text(f"iso3,rate_percent\nUSA,{largest}\n{lines}", encoding="utf-8")
    scale = cc.scale_from_csv(path)
    rules = cc.rules.load("un-pro-rata").replace(ceiling="22", floor="0.01")
    codes = ["USA", *others]
    present = np.ones((3, len(codes)), dtype=bool)
    present[1, [1, 4]] = present[2, [2, 3, 8]] = False
    setting = _setting("1000.01", codes, scale=scale, rules=rules, currency="USD")
    assert setting.columns is not None
    prepared = bounded_engine._Prepared.of(setting.columns, setting.units_total)
    weights = setting.columns.weights.tolist()
    assert prepared.small.dtype == np.int32
    assert prepared.small.tolist() == weights  # not wrapped around
    assert prepared.complement.tolist() == [prepared.beyond - w for w in weights]
    amounts, done = bounded_many(setting.units_total, present, setting.columns)
    assert done.all()
    for i, row in enumerate(present):
        payers = [c for c, here in zip(setting.codes, row, strict=True) if here]
        result = cc.apportion("1000.01", payers, scale=scale, rules=rules)
        assert amounts[i].tolist() == [result.table.amounts.get(c, 0) for c in setting.codes]
