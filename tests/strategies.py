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
