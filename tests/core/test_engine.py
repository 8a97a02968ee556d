"""apportion_many: every row equals allocate(), whatever the chunking, input form or size."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray
from strategies import engine_totals, participants, totals, weight_matrices

import ccm_costs as cc
from ccm_costs import apportion_many, iter_apportion_many
from ccm_costs._core.money import from_minor_units

SCALE_2022 = cc.load_scale("2022-2024")


def by_allocate(
    row_totals: Sequence[int], rows: Sequence[Sequence[int]], names: Sequence[str]
) -> list[list[int]]:
    """The scalar engine, row by row: the reference every vectorised row must equal."""
    result = []
    for total, row in zip(row_totals, rows, strict=True):
        parts = cc.allocate(total, {k: w for k, w in zip(names, row, strict=True) if w})
        result.append([parts.get(k, 0) for k in names])
    return result


def index_names(width: int) -> list[str]:
    """Keys that sort like column indexes: the tie order without ``keys``."""
    return [f"{j:03d}" for j in range(width)]


def matrix(rows: list[list[int]], width: int) -> NDArray[np.int64]:
    return np.array(rows, dtype=np.int64).reshape(len(rows), width)


# --------------------------------------------------------------------- equal to allocate


@settings(max_examples=300)
@given(weight_matrices(), st.data())
def test_each_row_equals_allocate_with_keys(
    case: tuple[list[str], list[list[int]]], data: st.DataObject
) -> None:
    names, rows = case
    row_totals = data.draw(st.lists(engine_totals, min_size=len(rows), max_size=len(rows)))
    got = apportion_many(row_totals, matrix(rows, len(names)), keys=names)
    assert got.dtype == np.int64
    assert got.tolist() == by_allocate(row_totals, rows, names)


@settings(max_examples=300)
@given(weight_matrices(), engine_totals)
def test_without_keys_ties_go_to_the_smaller_column(
    case: tuple[list[str], list[list[int]]], total: int
) -> None:
    names, rows = case
    got = apportion_many(total, matrix(rows, len(names)))
    assert got.tolist() == by_allocate([total] * len(rows), rows, index_names(len(names)))


@settings(max_examples=300)
@given(weight_matrices(min_rows=2, magnitudes=st.just(6)), st.integers(-40, 40), st.booleans())
def test_ties_of_remainders_between_small_weights_equal_allocate(
    case: tuple[list[str], list[list[int]]], total: int, with_keys: bool
) -> None:
    # Small weights and totals make equal remainders (and so the tie rule) frequent.
    names, rows = case
    got = apportion_many(total, matrix(rows, len(names)), keys=names if with_keys else None)
    reference = names if with_keys else index_names(len(names))
    assert got.tolist() == by_allocate([total] * len(rows), rows, reference)


@given(weight_matrices(), engine_totals)
def test_credits_mirror_charges(case: tuple[list[str], list[list[int]]], total: int) -> None:
    names, rows = case
    weights = matrix(rows, len(names))
    assert (apportion_many(-total, weights) == -apportion_many(total, weights)).all()


def test_ties_follow_the_tie_rule() -> None:
    # 10 over 1, 1, 1: one unit left, equal remainders and weights: the smaller key.
    weights = np.array([[1, 1, 1]])
    assert apportion_many(10, weights, keys=["CCC", "AAA", "BBB"]).tolist() == [[3, 4, 3]]
    # Without keys: the smaller column index.
    assert apportion_many(10, weights).tolist() == [[4, 3, 3]]
    # 2 over 1, 1, 2: quotas 0.5, 0.5, 1: the unit goes to the smaller key among equals.
    assert apportion_many(2, np.array([[1, 1, 2]]), keys=["BBB", "AAA", "CCC"]).tolist() == [
        [0, 1, 1]
    ]


def test_a_tie_of_remainders_goes_to_the_larger_weight_before_the_smaller_key() -> None:
    # 2 over weights 1 and 3 (sum 4): quotas 1/2 and 3/2, remainders equal (2 quarters); the
    # unit left goes to the larger weight although its key is the larger one.
    assert apportion_many(2, np.array([[1, 3]]), keys=["AAA", "ZZZ"]).tolist() == [[0, 2]]
    assert cc.allocate(2, {"AAA": 1, "ZZZ": 3}) == {"AAA": 0, "ZZZ": 2}


@given(st.lists(participants(min_size=1, max_size=40), min_size=1, max_size=6), totals)
def test_rows_equal_apportion_on_a_real_scale(groups: list[list[str]], total: int) -> None:
    codes = sorted(SCALE_2022.units)
    weights = np.zeros((len(groups), len(codes)), dtype=np.int64)
    for i, group in enumerate(groups):
        for code in group:
            if code in SCALE_2022:
                weights[i, codes.index(code)] = SCALE_2022.units[code]
    weights[:, codes.index("AUT")] = SCALE_2022.units["AUT"]  # no row without a payer
    got = apportion_many(total, weights, keys=codes)
    for row, amounts in zip(weights, got, strict=True):
        payers = [c for c, w in zip(codes, row, strict=True) if w]
        a = cc.apportion(from_minor_units(total), payers, scale=SCALE_2022)
        expected = dict.fromkeys(codes, 0) | {line.iso3: line.amount_minor for line in a}
        assert dict(zip(codes, amounts.tolist(), strict=True)) == expected


def test_the_2022_scale_over_all_states_in_iso3_order_matches_apportion() -> None:
    codes = sorted(SCALE_2022.units)
    rates = np.array([SCALE_2022.units[c] for c in codes])
    everyone = np.ones((1, len(codes)), dtype=bool)
    a = cc.apportion("500000.00", codes, scale=SCALE_2022)
    got = apportion_many(50_000_000, everyone, rates=rates)[0]  # no keys: ISO3 column order
    assert got.tolist() == [a[c].amount_minor for c in codes]


# ------------------------------------------------------------ same result, any input form


@settings(max_examples=150)
@given(weight_matrices(max_rows=20), engine_totals, st.integers(min_value=1, max_value=7))
def test_chunking_and_streaming_do_not_change_the_result(
    case: tuple[list[str], list[list[int]]], total: int, chunk: int
) -> None:
    names, rows = case
    weights = matrix(rows, len(names))
    whole = apportion_many(total, weights, keys=names, chunk_size=10_000)
    assert (apportion_many(total, weights, keys=names, chunk_size=chunk) == whole).all()
    as_rows = apportion_many(total, iter(list(weights)), keys=names, chunk_size=chunk)
    assert (as_rows == whole).all()
    blocks = (weights[s : s + 3] for s in range(0, len(weights), 3))
    assert (apportion_many(total, blocks, keys=names, chunk_size=chunk) == whole).all()
    threaded = apportion_many(total, weights, keys=names, chunk_size=chunk, workers=2)
    assert (threaded == whole).all()
    for workers in (1, 3):
        streamed = list(
            iter_apportion_many(total, weights, keys=names, chunk_size=chunk, workers=workers)
        )
        assert [start for start, _ in streamed] == list(range(0, len(rows), chunk))
        if streamed:
            assert (np.concatenate([block for _, block in streamed]) == whole).all()


@given(
    st.lists(st.integers(min_value=0, max_value=22_000), min_size=1, max_size=12),
    st.data(),
    engine_totals,
)
def test_participation_times_rates_equals_integer_weights(
    rates: list[int], data: st.DataObject, total: int
) -> None:
    rates[0] = rates[0] or 1
    rows = data.draw(
        st.lists(st.lists(st.booleans(), min_size=len(rates), max_size=len(rates)), max_size=9)
    )
    participation = np.array(rows, dtype=bool).reshape(len(rows), len(rates))
    participation[:, 0] = True
    weights = participation * np.array(rates)
    chunk = data.draw(st.integers(min_value=1, max_value=5))
    expected = apportion_many(total, weights, chunk_size=chunk)
    got = apportion_many(total, participation, rates=rates, chunk_size=chunk)
    assert (got == expected).all()


def test_a_mix_of_rows_and_blocks_streams_like_the_array() -> None:
    weights = np.array([[1, 2, 3], [0, 5, 0], [7, 7, 7], [1, 0, 0], [2, 2, 9]])

    def items() -> Iterator[object]:
        yield weights[0]
        yield weights[1:3]
        yield weights[3].tolist()
        yield weights[4]

    expected = apportion_many(1001, weights)
    assert (apportion_many(1001, items(), chunk_size=2) == expected).all()


def test_large_input_goes_through_many_chunks_and_the_int64_path() -> None:
    rng = np.random.default_rng(7)
    weights = rng.integers(0, 30, size=(3000, 9))
    weights[:, 0] += 1
    row_totals = rng.integers(-(10**17), 10**17, size=3000)  # products beyond 2**52
    got = apportion_many(row_totals, weights, chunk_size=256, workers=2)
    assert got.tolist() == by_allocate(row_totals.tolist(), weights.tolist(), index_names(9))


def test_products_at_the_edge_of_float_exactness() -> None:
    # total * weight just below and above 2**52 (the fast path's limit) and near 2**63.
    weights = np.array([[3, 5, 7, 2**40 + 1], [1, 1, 1, 1], [2**62, 1, 0, 3]])
    for total in (2**12 - 1, 2**12, 2**52 - 1, 2**52 + 1, 2**63 - 1, -(2**63 - 1)):
        got = apportion_many(total, weights, chunk_size=2)
        assert got.tolist() == by_allocate([total] * 3, weights.tolist(), index_names(4))


@settings(max_examples=300)
@given(
    st.integers(1, 16),
    st.integers(0, 40) | st.just(0),
    st.integers(0, 1000),
    st.integers(0, 2**32 - 1),
    st.booleans(),
)
def test_the_float_path_is_exact_up_to_its_limit(
    bits: int, shift: int, below: int, seed: int, single_rate: bool
) -> None:
    # Totals up to the fast path's limit (total * largest weight <= 2**52), with tie strides
    # from the column count (one rate a column) to (largest + 1) * columns (mixed weights):
    # the products are scaled by the stride only where that stays exact.
    rng = np.random.default_rng(seed)
    width = int(rng.integers(2, 5))
    rates = rng.integers(1, 2**bits, size=width)
    present = rng.random((12, width)) < 0.7
    present[:, 0] = True
    weights = present * (rates if single_rate else rng.integers(1, 2**bits, size=(12, width)))
    total = max(((2**52) // int(weights.max()) >> shift) - below, 0)
    got = apportion_many(total, weights, chunk_size=5)
    assert got.tolist() == by_allocate([total] * 12, weights.tolist(), index_names(width))


@pytest.mark.parametrize(
    ("total", "weights"),
    [
        (1501199875790079, [[1, 3, 3], [1, 3, 3]]),  # one rate a column: stride 3
        (500399958596263, [[9, 7, 6], [3, 4, 7]]),  # mixed weights: stride (9 + 1) * 3
        (1501199875789773, [[1, 2, 3], [2, 1, 1]]),
    ],
)
def test_totals_whose_products_times_the_stride_leave_float_exactness(
    total: int, weights: list[list[int]]
) -> None:
    # total * weight fits the fast path, total * weight * tie stride does not: scaling by the
    # stride there would round the products and give a unit to the wrong entry.
    got = apportion_many(total, weights)
    assert got.tolist() == by_allocate([total] * 2, weights, index_names(3))


@pytest.mark.parametrize("dtype", [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint32])
def test_every_integer_dtype_gives_the_same_rows(dtype: type[np.integer[Any]]) -> None:
    weights = np.array([[3, 5, 0, 120], [1, 1, 1, 1], [0, 7, 7, 2]])
    got = apportion_many(1001, weights.astype(dtype))
    assert got.tolist() == by_allocate([1001] * 3, weights.tolist(), index_names(4))


@pytest.mark.parametrize("unit", [1, 2**26])
def test_a_column_of_two_weights_ties_by_weight_then_key(unit: int) -> None:
    # Row 0 ties its two equal weights: the unit goes to the smaller key (column 0), although
    # column 1 holds the larger weight elsewhere (row 1). With unit = 2**26 the weights are
    # too large for the check by sums (largest ** 2 * entries beyond 2**52).
    weights = np.array([[1, 1], [1, 3]]) * unit
    assert apportion_many(1, weights).tolist() == [[1, 0], [0, 1]]
    for total in (3, 5, 1001):
        got = apportion_many(total, weights)
        assert got.tolist() == by_allocate([total] * 2, weights.tolist(), index_names(2))


def test_zero_total_over_no_weight_is_all_zeros() -> None:
    weights = np.array([[0, 0, 0], [1, 2, 3]])
    assert apportion_many([0, 6], weights).tolist() == [[0, 0, 0], [1, 2, 3]]


def test_empty_inputs() -> None:
    assert apportion_many(5, np.zeros((0, 4), dtype=np.int64)).shape == (0, 4)
    assert apportion_many(5, iter([]), keys=["A", "B"]).shape == (0, 2)
    assert apportion_many([], iter([]), rates=[1, 2, 3]).shape == (0, 3)


def test_the_input_is_not_modified() -> None:
    weights = np.array([[5, 0, 2**62], [1, 2, 3]])
    before = weights.copy()
    apportion_many(-(10**18), weights)
    assert (weights == before).all()


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("totals", "weights", "kwargs", "message"),
    [
        (1, np.array([[1.0, 2.0]]), {}, "must be integers .* not float64"),
        (1, np.array([[True, False]]), {}, "bool participation matrix needs rates="),
        (1, np.array([[1, 2]]), {"rates": [1, 2]}, "must be a bool participation matrix"),
        (1, np.array(["a", "b"])[None, :], {}, "must be integers"),
        (1, np.array([1, 2]), {}, r"must be 2-D .* shape \(2,\)"),
        (1, np.array([[1, -2]]), {}, "must not be negative: row 0, column 1"),
        (1, np.array([[1, -2]]), {"keys": ["AAA", "BBB"]}, r"column 1 \(BBB\) is -2"),
        (1, np.array([[3, 1], [2, -128]], dtype=np.int8), {}, "row 1, column 1 .* is -128"),
        (1, np.array([[-1, 1]], dtype=np.int32), {}, "row 0, column 0 .* is -1"),
        (5, np.array([[1, 2], [0, 0]]), {}, "row 1 of weights has no positive weight"),
        ([1, 2, 3], np.array([[1, 2], [3, 4]]), {}, "totals has 3 entries but weights has 2"),
        (1.5, np.array([[1, 2]]), {}, "totals must be an int or a 1-D sequence of ints"),
        ([1.0], np.array([[1, 2]]), {}, "not float64"),
        (True, np.array([[1, 2]]), {}, "totals must be an int"),
        (2**63, np.array([[1, 2]]), {}, "beyond the int64 range"),
        ([-(2**63)], np.array([[1, 2]]), {}, r"within ±"),
        (1, np.array([[1, 2]]), {"keys": ["A"]}, "have 2 columns, but keys has 1"),
        (1, np.array([[1, 2]]), {"keys": ["A", "A"]}, "keys must be distinct; repeated: A"),
        (1, np.array([[1, 2]]), {"keys": "AB"}, "keys must be a sequence of strings"),
        (1, np.array([[True]]), {"rates": [1, 2]}, "have 1 columns, but rates has 2"),
        (1, np.array([[True]]), {"rates": [-1]}, "rates must be 0 or more"),
        (1, np.array([[True]]), {"rates": [0.5]}, "rates must be a non-empty 1-D sequence"),
        (1, np.array([[True]]), {"rates": [1], "keys": ["A", "B"]}, "keys has 2 entries"),
        (1, np.zeros((1, 0), dtype=np.int64), {}, "no columns"),
        (1, np.array([[1, 2]]), {"chunk_size": 0}, "chunk_size must be a positive int"),
        (1, np.array([[1, 2]]), {"workers": True}, "workers must be a positive int"),
        ([2**70], np.array([[1, 2]]), {}, r"totals must lie within ±"),
        (1, 42, {}, "weights must be a 2-D array .* not int"),
        (1, np.array([[2**64 - 1, 1]], dtype=np.uint64), {}, "exceed the int64 range"),
    ],
)
def test_bad_input_is_reported(
    totals: object, weights: object, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(cc.InvalidInputError, match=message):
        apportion_many(totals, weights, **kwargs)  # type: ignore[arg-type]


def test_bad_streamed_input_is_reported_with_its_position() -> None:
    with pytest.raises(cc.InvalidInputError, match=r"item 1 of weights: .* not float64"):
        apportion_many(1, iter([np.array([1, 2]), np.array([1.0, 2.0])]))
    with pytest.raises(cc.InvalidInputError, match="item 0 of weights: each item must be"):
        apportion_many(1, iter([np.ones((1, 1, 1), dtype=np.int64)]))
    with pytest.raises(cc.InvalidInputError, match="different lengths"):
        apportion_many(1, iter([[1, 2], [1, 2, 3]]))
    with pytest.raises(cc.InvalidInputError, match="from row 2 have 3 columns, but the rows"):
        apportion_many(1, iter([np.ones((2, 2), dtype=np.int64), np.ones((1, 3), dtype=np.int64)]))
    with pytest.raises(cc.InvalidInputError, match="totals has 1 entries but weights has more"):
        apportion_many([1], iter([[1, 2], [3, 4]]))
    with pytest.raises(cc.InvalidInputError, match="totals has 3 entries but weights has 2 rows"):
        apportion_many([1, 2, 3], iter([[1, 2], [3, 4]]))
    with pytest.raises(cc.InvalidInputError, match="row 3 of weights has no positive weight"):
        apportion_many(9, iter([[1, 2]] * 3 + [[0, 0]]), chunk_size=2)
    with pytest.raises(cc.InvalidInputError, match="row 5 of weights has no positive weight"):
        apportion_many(9, np.array([[1, 2]] * 5 + [[0, 0]] * 3), chunk_size=2, workers=2)


def test_iter_checks_its_arguments_before_the_first_row() -> None:
    with pytest.raises(cc.InvalidInputError, match="keys must be distinct"):
        iter_apportion_many(1, iter([]), keys=["A", "A"])
