"""Shared hypothesis strategies: rates, weights, totals and sets of states from real scales."""

from __future__ import annotations

from hypothesis import strategies as st

import ccm_costs as cc

SCALE_2019 = cc.load_scale("2019-2021")
CODES_2019 = sorted(SCALE_2019.units)

# Three-letter keys like ISO3 codes; the allocation works on any string keys.
keys = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)

# Rates in 0.001 % units, as in a UN scale (0.001 % to 22 %), with zero allowed.
rate_units = st.integers(min_value=0, max_value=22_000)

# Totals in minor units, including credits and amounts beyond any real budget.
totals = st.integers(min_value=-(10**15), max_value=10**15)


@st.composite
def weights(draw: st.DrawFn, min_size: int = 1, max_size: int = 40) -> dict[str, int]:
    """Integer weights keyed by distinct codes, at least one positive; ties are likely."""
    pool = draw(st.lists(rate_units, min_size=1, max_size=4))  # few values: many equal weights
    chosen = draw(st.lists(keys, min_size=min_size, max_size=max_size, unique=True))
    result = {k: draw(st.one_of(st.sampled_from(pool), rate_units)) for k in chosen}
    if not any(result.values()):
        result[chosen[0]] = draw(st.integers(min_value=1, max_value=22_000))
    return result


def participants(min_size: int = 1, max_size: int = 60) -> st.SearchStrategy[list[str]]:
    """Distinct ISO3 codes of states in the 2019-2021 UN scale."""
    return st.lists(st.sampled_from(CODES_2019), min_size=min_size, max_size=max_size, unique=True)


# Totals as users write them: strings with cents, up to a billion.
money_strings = st.integers(min_value=0, max_value=10**11).map(
    lambda cents: f"{cents // 100}.{cents % 100:02d}"
)


# --- scenario engine: many apportionments at once ------------------------------------------

# Largest weights of a matrix: tiny (ties of remainders are frequent), UN rates, large, at the
# float64-exact limit, and near int64's.
weight_magnitudes = st.sampled_from([6, 22_000, 10**6, 2**52, 2**62])

# Totals: a few units (ties), cents to the edge of int64 (which forces the exact fallback).
engine_totals = st.one_of(
    st.integers(min_value=-40, max_value=40),
    totals,
    st.integers(min_value=-(2**63 - 1), max_value=2**63 - 1),
)


@st.composite
def weight_matrices(
    draw: st.DrawFn,
    min_rows: int = 0,
    max_rows: int = 8,
    max_cols: int = 10,
    magnitudes: st.SearchStrategy[int] = weight_magnitudes,
) -> tuple[list[str], list[list[int]]]:
    """Distinct keys and an S x N weight matrix in which every row has a positive weight: few
    distinct values (ties), zeros, single-state rows, sometimes huge weights."""
    names = draw(st.lists(keys, min_size=1, max_size=max_cols, unique=True))
    width = len(names)
    largest = draw(magnitudes)
    pool = draw(st.lists(st.integers(min_value=0, max_value=largest), min_size=1, max_size=3))
    value = st.one_of(st.sampled_from(pool), st.integers(min_value=0, max_value=largest))
    free_row = st.lists(value, min_size=width, max_size=width)
    positive = st.integers(min_value=1, max_value=largest)
    one_hot = st.tuples(st.integers(min_value=0, max_value=width - 1), positive).map(
        lambda hot: [hot[1] if j == hot[0] else 0 for j in range(width)]
    )
    rows = draw(st.lists(st.one_of(free_row, one_hot), min_size=min_rows, max_size=max_rows))
    for row in rows:
        if not any(row):
            row[draw(st.integers(min_value=0, max_value=width - 1))] = draw(positive)
    return names, rows


# --- rule sets --------------------------------------------------------------------------------

PAYERS_2019 = [*CODES_2019, "COK", "NIU", "EUU"]
"""The 2019-2021 scale's states, two states it lacks, and the European Union."""

percent_text = st.decimals(min_value=0, max_value=100, places=3).map(str)


@st.composite
def rule_data(draw: st.DrawFn) -> dict[str, object]:
    """The plain data of a random, valid rule set: every kind of basis, zero to three steps,
    every publishing and amount option (bounds may still be infeasible for some payers)."""
    basis: dict[str, object] = {
        "missing_rates": draw(st.sampled_from(["notional_then_floor", "notional_only"])),
        "non_members": draw(st.sampled_from(["scaled", "fixed"])),
    }
    if draw(st.booleans()):
        basis["rates"] = {"COK": {"rate": draw(st.sampled_from(["0.001", "0.002", "0.010"])),
                                  "source": "a test"}}  # fmt: skip
    basis["fixed"] = {"EUU": {"share": draw(st.sampled_from(["2.5", "1", "0.5"])),
                              "source": "a test"}}  # fmt: skip
    steps: list[dict[str, object]] = []
    if draw(st.booleans()):
        steps.append({"kind": "exclude", "name": "excluded", "label": "Without the smallest",
                      "below": draw(st.sampled_from(["0.001", "0.002", "0.01", "0.1"])),
                      "inclusive": draw(st.booleans())})  # fmt: skip
    if draw(st.booleans()):
        bounds: dict[str, object] = {"kind": "bounds", "name": "bounded", "label": "Bounded"}
        if draw(st.booleans()):
            bounds["ceiling"] = draw(st.sampled_from(["22", "15", "40"]))
        if draw(st.booleans()):
            bounds["floor"] = draw(st.sampled_from(["0.001", "0.002"]))
        if draw(st.booleans()):
            bounds["group_ceilings"] = {"LDC": "0.010"}
        if draw(st.booleans()):
            bounds["pinned"] = {"USA": draw(st.sampled_from(["22", "10"]))}
        bounds["keep_minimum"] = draw(st.booleans())
        steps.append(bounds)
    return {
        "id": "random",
        "title": "a random rule set",
        "source": "hypothesis",
        "basis": basis,
        "steps": steps,
        "publishing": {
            "decimals": draw(st.integers(min_value=0, max_value=6)),
            "rounding": draw(st.sampled_from(["half_up", "largest_remainder"])),
        },
        "amounts": {
            "from": draw(st.sampled_from(["exact_shares", "published_rates"])),
            "unit": draw(st.sampled_from(["minor", "major"])),
        },
    }


def rule_payers(min_size: int = 2, max_size: int = 40) -> st.SearchStrategy[list[str]]:
    """Distinct payers for a rule set on the 2019-2021 scale (the USA often among them)."""
    return st.lists(
        st.sampled_from(PAYERS_2019), min_size=min_size, max_size=max_size, unique=True
    ).map(lambda codes: codes if "USA" in codes or len(codes) % 2 else [*codes, "USA"])
