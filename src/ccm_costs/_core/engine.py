"""The vectorised exact engine: many largest-remainder apportionments at once.

Row ``i`` of ``apportion_many(totals, weights)`` is exactly ``allocate(totals[i], row i)``:
the same floors, the same leftover units, the same :data:`~ccm_costs.allocation.TIE_RULE`.
It works on chunks of rows with numpy; every intermediate is an exact integer, checked to fit
before it is computed (a row that would not fit is computed in Python ints instead: never
wrapped). Memory is bounded by the chunk size, not by the number of scenarios.
"""

from __future__ import annotations

import threading
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import NDArray

from ..errors import InvalidInputError
from .allocation import allocate

Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
Totals = int | Sequence[int] | NDArray[np.integer[Any]]
Rates = Sequence[int] | NDArray[np.integer[Any]]

DEFAULT_CHUNK_SIZE = 512
"""Scenarios per chunk: for 130 states the buffers fit a core's cache (256-4096 ran alike)."""

_INT64_MAX = int(np.iinfo(np.int64).max)
_INT32_MAX = int(np.iinfo(np.int32).max)
_FLOAT_EXACT = 2**52
"""Integers up to this, and sums and products kept below it, are exact in float64."""


def apportion_many(
    totals: Totals,
    weights: Any,
    *,
    rates: Rates | None = None,
    keys: Sequence[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
) -> Int64Array:
    """Share each total over its row of weights by largest remainder, exactly, for many rows.

    Args:
        totals: the amount to share in minor units: one int for every row, or one per row.
        weights: an S x N integer array of rates in 0.001 % units (0 = not participating), or,
            with ``rates``, an S x N bool participation matrix; or an iterable of 1-D rows or
            2-D blocks of either (streamed chunk by chunk).
        rates: the rate of each column in 0.001 % units, when ``weights`` is bool.
        keys: a key per column (ISO3 codes); ties go to the smaller key. Without keys, ties go
            to the smaller column index: give the columns in ISO3 order to match ``apportion``.
        chunk_size: rows computed at once; working memory grows with it, not with S.
        workers: threads computing chunks at once (numpy releases the GIL); on two cores, 2
            takes about a third off the time. The result does not depend on it.

    Returns an S x N int64 array whose row ``i`` equals ``allocate(totals[i], {column: weight})``
    over the columns with a positive weight, and 0 elsewhere. A row with no positive weight is
    an error, unless its total is 0: then it is all zeros (nothing to share, nobody pays).
    """
    into = None
    if isinstance(weights, np.ndarray | list | tuple):
        weights = _as_matrix(weights, rates is not None)
        into = np.empty(weights.shape, dtype=np.int64)
    chunks = _iterate(
        totals, weights, rates=rates, keys=keys, chunk_size=chunk_size, workers=workers, into=into
    )
    blocks = [block for _, block in chunks]  # for an array: views of ``into``, now filled
    if into is not None:
        return into
    if blocks:
        return np.concatenate(blocks)
    width = len(keys) if keys is not None else len(rates) if rates is not None else 0
    return np.zeros((0, width), dtype=np.int64)


def iter_apportion_many(
    totals: Totals,
    weights: Any,
    *,
    rates: Rates | None = None,
    keys: Sequence[str] | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
) -> Iterator[tuple[int, Int64Array]]:
    """:func:`apportion_many` as a stream: yields ``(start_row, amounts)`` chunk by chunk.

    Peak memory is that of a few chunks however many rows ``weights`` yields, so 10^6
    scenarios can be streamed. The arguments are checked at once; problems inside the rows
    (a negative weight, a row with nothing to share over) are reported when their chunk is
    reached.
    """
    return _iterate(
        totals, weights, rates=rates, keys=keys, chunk_size=chunk_size, workers=workers, into=None
    )


def _iterate(
    totals: Totals,
    weights: Any,
    *,
    rates: Rates | None,
    keys: Sequence[str] | None,
    chunk_size: int,
    workers: int,
    into: Int64Array | None,
) -> Iterator[tuple[int, Int64Array]]:
    """Check the arguments, then stream the chunks (into ``into`` when given)."""
    for value, what in ((chunk_size, "chunk_size"), (workers, "workers")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInputError(f"{what} must be a positive int, not {value!r}")
    spec = _ColumnSpec.of(rates, keys)
    totals_of = _Totals.of(totals)
    if isinstance(weights, np.ndarray | list | tuple):
        matrix = _as_matrix(weights, spec.rates is not None)
        totals_of.check_rows(len(matrix))
        blocks: Iterator[NDArray[Any]] = (
            matrix[s : s + chunk_size] for s in range(0, len(matrix), chunk_size)
        )
    elif isinstance(weights, Iterable) and not isinstance(weights, str | bytes):
        blocks = _stream_blocks(weights, chunk_size, spec.rates is not None)
    else:
        raise InvalidInputError(
            "weights must be a 2-D array (scenarios x states) or an iterable of rows or blocks, "
            f"not {type(weights).__name__}"
        )
    tasks = _tasks(totals_of, blocks, spec, chunk_size, into)
    return _serial(tasks) if workers == 1 else _threaded(tasks, workers)


@dataclass(frozen=True)
class _Task:
    """One chunk to compute: its rows, totals, columns and where its amounts go."""

    start: int
    totals: Int64Array
    block: NDArray[Any]
    columns: _Columns
    out: Int64Array
    chunk_size: int

    def run(self, work: _Workspace) -> tuple[int, Int64Array]:
        return self.start, _apportion_block(self, work)


def _tasks(
    totals_of: _Totals,
    blocks: Iterator[NDArray[Any]],
    spec: _ColumnSpec,
    chunk_size: int,
    into: Int64Array | None,
) -> Iterator[_Task]:
    start = 0
    columns: _Columns | None = None
    for block in blocks:
        if columns is None:
            columns = spec.columns(block.shape[1], start)
        elif block.shape[1] != len(columns.names):
            raise InvalidInputError(
                f"weights from row {start} have {block.shape[1]} columns, but the rows before "
                f"have {len(columns.names)}"
            )
        stop = start + len(block)
        out = np.empty(block.shape, dtype=np.int64) if into is None else into[start:stop]
        yield _Task(start, totals_of.rows(start, stop), block, columns, out, chunk_size)
        start = stop
    totals_of.check_rows(start)


def _serial(tasks: Iterator[_Task]) -> Iterator[tuple[int, Int64Array]]:
    work: _Workspace | None = None
    for task in tasks:
        work = work or _Workspace(task.chunk_size, len(task.columns.names))
        yield task.run(work)


def _threaded(tasks: Iterator[_Task], workers: int) -> Iterator[tuple[int, Int64Array]]:
    """The chunks computed by ``workers`` threads, each with its own buffers, yielded in order;
    at most two chunks per thread are in flight, so memory stays flat."""
    local = threading.local()

    def run(task: _Task) -> tuple[int, Int64Array]:
        if not hasattr(local, "work"):
            local.work = _Workspace(task.chunk_size, len(task.columns.names))
        return task.run(local.work)

    with ThreadPoolExecutor(workers) as pool:
        pending: deque[Future[tuple[int, Int64Array]]] = deque()
        for task in tasks:
            pending.append(pool.submit(run, task))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# ------------------------------------------------------------------------------ the inputs


def _dtype_problem(array: NDArray[Any], participation: bool) -> str | None:
    """Why an array cannot be used as weights (None if it can)."""
    kind = array.dtype.kind
    if participation:
        if kind == "b":
            return None
        return (
            f"with rates, weights must be a bool participation matrix, not {array.dtype}; "
            "pass integer weights without rates, or use weights.astype(bool)"
        )
    if kind == "b":
        return "a bool participation matrix needs rates=: the rate of each column in 0.001 % units"
    if kind == "f":
        return (
            f"weights must be integers (rates in 0.001 % units: 22.000 % is 22000), not "
            f"{array.dtype}: floats are not exact; convert the rates exactly first"
        )
    if kind not in "iu":
        return f"weights must be integers (rates in 0.001 % units), not {array.dtype}"
    return None


def _as_matrix(weights: Any, participation: bool) -> NDArray[Any]:
    """The weights as a checked 2-D array (not copied when already one)."""
    matrix = _array(weights, "weights")
    if matrix.ndim != 2:
        raise InvalidInputError(
            f"weights must be 2-D (scenarios x states), not of shape {matrix.shape}; for one "
            "scenario use weights[None, :], or allocate()"
        )
    problem = _dtype_problem(matrix, participation)
    if problem:
        raise InvalidInputError(problem)
    return matrix


def _array(values: Any, what: str) -> NDArray[Any]:
    """``values`` as a numpy array; rows of different lengths are an error naming ``what``."""
    try:
        return np.asarray(values)
    except ValueError as err:  # numpy refuses ragged rows ("inhomogeneous shape")
        raise InvalidInputError(
            f"{what} cannot be an array: {err}; give rows of the same length"
        ) from None


def _stream_blocks(
    items: Iterable[Any], chunk_size: int, participation: bool
) -> Iterator[NDArray[Any]]:
    """2-D blocks of at most ``chunk_size`` rows from an iterable of rows and blocks."""
    pending: list[NDArray[Any]] = []
    for n, item in enumerate(items):
        array = _array(item, f"item {n} of weights")
        problem = _dtype_problem(array, participation)
        if problem or array.ndim not in (1, 2):
            raise InvalidInputError(
                f"item {n} of weights: "
                + (problem or f"each item must be a 1-D row or a 2-D block, not {array.shape}")
            )
        if array.ndim == 1:
            pending.append(array)
            if len(pending) == chunk_size:
                yield _stack_rows(pending, n + 1)
                pending = []
            continue
        if pending:
            yield _stack_rows(pending, n)
            pending = []
        for s in range(0, len(array), chunk_size):
            yield array[s : s + chunk_size]
    if pending:
        yield _stack_rows(pending, None)


def _stack_rows(rows: list[NDArray[Any]], before: int | None) -> NDArray[Any]:
    widths = {len(r) for r in rows}
    if len(widths) > 1:
        where = f"the rows before item {before}" if before is not None else "the last rows"
        raise InvalidInputError(f"{where} of weights have different lengths {sorted(widths)}")
    return np.stack(rows)


def _is_int(value: object) -> TypeGuard[int | np.integer[Any]]:
    return isinstance(value, int | np.integer) and not isinstance(value, bool | np.bool_)


@dataclass(frozen=True)
class _Totals:
    """The totals: one for every row, or one per row (int64, magnitude within int64)."""

    scalar: int | None
    vector: Int64Array | None

    @classmethod
    def of(cls, totals: object) -> _Totals:
        if _is_int(totals):
            value = int(totals)
            if abs(value) > _INT64_MAX:
                raise InvalidInputError(
                    f"total {value} is beyond the int64 range of the engine (±{_INT64_MAX} "
                    "minor units); use allocate() for it"
                )
            return cls(value, None)
        array = np.asarray(totals)
        if array.ndim == 1 and array.dtype.kind == "O" and all(_is_int(t) for t in array):
            array = np.array([_INT64_MAX + 1])  # Python ints too large for numpy: out of range
        if array.ndim == 1 and not array.size:
            array = array.astype(np.int64)
        if array.ndim != 1 or array.dtype.kind not in "iu":
            raise InvalidInputError(
                "totals must be an int or a 1-D sequence of ints (minor units, e.g. cents), not "
                f"{array.dtype} of shape {array.shape}; turn amounts into minor units with "
                "to_minor_units()"
            )
        if array.size and (array.max() > _INT64_MAX or array.min() < -_INT64_MAX):
            raise InvalidInputError(
                f"totals must lie within ±{_INT64_MAX} minor units; use allocate() beyond that"
            )
        return cls(None, array.astype(np.int64))

    def rows(self, start: int, stop: int) -> Int64Array:
        if self.vector is None:
            return np.full(stop - start, self.scalar, dtype=np.int64)
        if stop > len(self.vector):
            raise InvalidInputError(
                f"totals has {len(self.vector)} entries but weights has more rows; give one "
                "total per row, or a single int for all"
            )
        return self.vector[start:stop]

    def check_rows(self, count: int) -> None:
        if self.vector is not None and len(self.vector) != count:
            raise InvalidInputError(
                f"totals has {len(self.vector)} entries but weights has {count} rows; give one "
                "total per row, or a single int for all"
            )


@dataclass(frozen=True)
class _Rates:
    """The rate of each column (with a bool participation matrix) and their tie order."""

    rates: Int64Array
    float_rates: NDArray[np.float64]
    tie: tuple[int, Int64Array]


@dataclass(frozen=True)
class _Columns:
    """What the tie rule needs about the N columns, and their names for the exact path."""

    names: tuple[str, ...]
    rank: Int64Array
    """Position of each column's key in key order (0 = the smallest key, first in a tie)."""
    rated: _Rates | None


def tie_priority(rates: Int64Array, rank: Int64Array) -> Int64Array:
    """Tie priority of columns of fixed rates: the larger rate first, then the smaller key."""
    order = np.lexsort((rank, -rates))  # first in a tie first
    priority = np.empty(len(rates), dtype=np.int64)
    priority[order] = np.arange(len(rates) - 1, -1, -1)
    return priority


@dataclass(frozen=True)
class _ColumnSpec:
    """``rates`` and ``keys`` as given, checked; the first block settles the columns."""

    rates: Int64Array | None
    keys: tuple[str, ...] | None

    @classmethod
    def of(cls, rates: object, keys: Sequence[str] | None) -> _ColumnSpec:
        checked_keys = None
        if keys is not None:
            if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
                raise InvalidInputError("keys must be a sequence of strings, e.g. ISO3 codes")
            checked_keys = tuple(keys)
            repeated = sorted(k for k, n in Counter(checked_keys).items() if n > 1)
            if repeated:
                raise InvalidInputError(f"keys must be distinct; repeated: {', '.join(repeated)}")
        if rates is None:
            return cls(None, checked_keys)
        array = np.asarray(rates)
        if array.ndim != 1 or array.dtype.kind not in "iu" or not len(array):
            raise InvalidInputError(
                "rates must be a non-empty 1-D sequence of ints (0.001 % units: 22.000 % is "
                f"22000), not {array.dtype} of shape {array.shape}"
            )
        if array.min() < 0 or array.max() > _INT64_MAX:
            raise InvalidInputError("rates must be 0 or more and within int64")
        if checked_keys is not None and len(checked_keys) != len(array):
            raise InvalidInputError(
                f"keys has {len(checked_keys)} entries but rates has {len(array)}; give one "
                "key per column"
            )
        return cls(array.astype(np.int64), checked_keys)

    def columns(self, width: int, start: int) -> _Columns:
        """The columns, checked against the width of the first block of weights."""
        given = self.rates if self.rates is not None else self.keys
        if given is not None and width != len(given):
            what = "rates" if self.rates is not None else "keys"
            raise InvalidInputError(
                f"weights from row {start} have {width} columns, but {what} has {len(given)}"
            )
        if width == 0:
            raise InvalidInputError("weights have no columns: give at least one state")
        digits = len(str(width))
        names = self.keys or tuple(f"{j:0{digits}d}" for j in range(width))
        rank = np.empty(width, dtype=np.int64)
        rank[sorted(range(width), key=names.__getitem__)] = np.arange(width)
        rated = None
        if self.rates is not None:
            tie = (width, tie_priority(self.rates, rank))
            rated = _Rates(self.rates, self.rates.astype(np.float64), tie)
        return _Columns(names, rank, rated)


# ----------------------------------------------------------------------------- the engine
#
# The fast path holds the integers in float64: all weights, row sums W and products
# p = total * weight are at most 2**52, so they are exact, and so is floor(p / W) as numpy
# computes it. Proof: x = p / W = k + r / W with 0 <= r < W lies at least 1 / W below k + 1;
# the correctly rounded quotient is within ulp(x) / 2 <= x * 2**-53 = p / (W * 2**53) < 1 / W
# of x, so it lies in [k, k + 1) and its floor is k. Other rows take the int64 path
# (np.divmod); rows whose products would leave int64 are computed in Python by allocate().
#
# Sums are taken by np.einsum, not by a matrix product: BLAS (OpenBLAS) keeps its own threads
# spinning between calls, and with two workers on two cores that made the engine slower than
# with one (measured: 0.20 s against 0.155 s for 51,200 x 193; with einsum 0.10 s against 0.14 s).


class _Workspace:
    """Buffers reused from chunk to chunk: fresh temporaries would cost page faults each time."""

    def __init__(self, rows: int, width: int) -> None:
        self.products = np.empty((rows, width))
        self.quotas = np.empty((rows, width))
        self.remainders = np.empty((rows, width))
        self.keys = np.empty((rows, width), dtype=np.int32)
        self.units = np.empty((rows, width), dtype=np.bool_)


def _apportion_block(task: _Task, work: _Workspace) -> Int64Array:
    """The amounts of one chunk of rows, exact, written to ``task.out`` (returned)."""
    totals, block, columns, start, out = task.totals, task.block, task.columns, task.start, task.out
    rows, rated = len(block), columns.rated
    products = work.products[:rows]
    if rated is None:
        column_max = _column_max(block, columns, start)
        np.copyto(products, block, casting="unsafe")
        largest = int(column_max.max())
    else:
        np.multiply(block, rated.float_rates, out=products)
        largest = int(rated.rates.max())
    magnitude = np.abs(totals)
    sums = np.einsum("ij->i", products)  # sums of integers: exact while below 2**53 (checked below)
    _check_rows_have_weight(sums, totals, start)
    if max(largest, int(magnitude.max()) * largest, int(sums.max())) > _FLOAT_EXACT:
        out[:] = _apportion_int64(magnitude, _int_weights(block, rated), columns)
        return _with_signs(out, totals)
    if rated is not None:
        tie = rated.tie
    else:
        single = _single_rate_floats(products, column_max, block)
        tie = _tie_order(block, column_max, single, columns.rank)
    sums[sums == 0] = 1  # a zero total over no weight: all zeros
    divisors = sums[:, None]
    same_total = magnitude.min() == magnitude.max()  # a scalar multiplies faster than a column
    np.multiply(products, magnitude[0] if same_total else magnitude[:, None], out=products)
    quotas = np.divide(products, divisors, out=work.quotas[:rows])
    np.floor(quotas, out=quotas)
    remainders = np.multiply(quotas, divisors, out=work.remainders[:rows])
    np.subtract(products, remainders, out=remainders)
    left = magnitude - np.einsum("ij->i", quotas).astype(np.int64)
    units = _leftover_units(remainders, left, sums, tie, work)
    np.copyto(out, quotas, casting="unsafe")
    np.add(out, units, out=out)
    return _with_signs(out, totals)


def _column_max(block: NDArray[Any], columns: _Columns, start: int) -> Int64Array:
    """The largest weight of each column, checking that none is negative or beyond int64.

    One pass: a signed block is read as unsigned, where a negative entry is above every
    non-negative one, so a maximum beyond the signed range reveals it."""
    signed = block.dtype.kind == "i"
    unsigned = block.view(block.dtype.str.replace("i", "u")) if signed else block
    column_max = unsigned.max(axis=0)
    beyond = int(np.iinfo(block.dtype).max) if signed else _INT64_MAX
    if int(column_max.max()) > beyond:
        if not signed:
            raise InvalidInputError(
                f"weights from row {start} exceed the int64 range of the engine"
            )
        row, col = (int(i) for i in np.argwhere(block < 0)[0])
        raise InvalidInputError(
            f"weights must not be negative: row {start + row}, column {col} "
            f"({columns.names[col]}) is {int(block[row, col])}"
        )
    maxima: Int64Array = column_max.astype(np.int64)
    return maxima


def _int_weights(block: NDArray[Any], rated: _Rates | None) -> Int64Array:
    """The (checked) weights of a block as int64."""
    weights: Int64Array = (
        block.astype(np.int64, copy=False) if rated is None else np.multiply(block, rated.rates)
    )
    return weights


def _check_rows_have_weight(sums: NDArray[Any], totals: Int64Array, start: int) -> None:
    empty = (sums == 0) & (totals != 0)
    if empty.any():
        first = int(np.flatnonzero(empty)[0])
        raise InvalidInputError(
            f"row {start + first} of weights has no positive weight but a total of "
            f"{int(totals[first])} to share: give it at least one positive weight, or a total of 0"
        )


def _with_signs(amounts: Int64Array, totals: Int64Array) -> Int64Array:
    """Credits mirror charges: the amounts of a negative total are negated."""
    negative = totals < 0
    if negative.any():
        amounts[negative] *= -1
    return amounts


def _apportion_int64(magnitude: Int64Array, weights: Int64Array, columns: _Columns) -> Int64Array:
    """The int64 path for large totals or weights (rows of nonzero total have weight)."""
    width = weights.shape[1]
    row_max = weights.max(axis=1)
    # Rows whose sums, products or tie keys (weight * width + width - 1) could leave int64
    # go to the exact path.
    exact = (row_max > (_INT64_MAX - width) // width) | (
        magnitude > _INT64_MAX // np.maximum(row_max, 1)
    )
    fast_magnitude = np.where(exact, 0, magnitude)
    fast_weights = np.where(exact[:, None], 0, weights)
    sums = np.maximum(fast_weights.sum(axis=1), 1)
    quotas, remainders = np.divmod(fast_weights * fast_magnitude[:, None], sums[:, None])
    left = fast_magnitude - quotas.sum(axis=1)
    if columns.rated:
        tie = columns.rated.tie
    else:
        column_max = fast_weights.max(axis=0)
        single = _single_rate(fast_weights, column_max)
        tie = _tie_order(fast_weights, column_max, single, columns.rank)
    amounts: Int64Array = quotas + _leftover_units(remainders, left, sums, tie, None)
    for row in np.flatnonzero(exact):
        amounts[row] = _exact_row(int(magnitude[row]), weights[row], columns.names)
    return amounts


def _single_rate(weights: Int64Array, column_max: Int64Array) -> bool:
    """Whether each column holds one rate: every entry is 0 or the column's largest."""
    return bool(((weights == column_max) | (weights == 0)).all())


def _single_rate_floats(
    products: NDArray[np.float64],
    column_max: Int64Array,
    block: NDArray[Any],
) -> bool:
    """:func:`_single_rate` of weights held exactly in float64, in two passes.

    With ``0 <= w[i, j] <= m[j]``, every term of ``sum w[i, j] * (m[j] - w[i, j])`` is >= 0,
    so the sum is 0, that is ``sum_j m[j] * sum_i w[i, j] == sum w[i, j] ** 2``, exactly
    when each entry is 0 or ``m[j]``. Both sides are sums of integers below 2**53 when
    ``largest ** 2 * entries`` is, so float64 computes them exactly; otherwise the entries
    are compared one by one.
    """
    largest = int(column_max.max())
    if largest**2 * products.size > _FLOAT_EXACT:
        return _single_rate(block.astype(np.int64, copy=False), column_max)
    weighted = float((column_max * np.einsum("ij->j", products)).sum())
    return weighted == float(np.einsum("ij,ij->", products, products))


def _tie_order(
    weights: NDArray[Any], column_max: Int64Array, single_rate: bool, rank: Int64Array
) -> tuple[int, Int64Array]:
    """The order among equal remainders as ``(stride, key)``: the larger key first, and
    ``0 <= key < stride``. If each column holds one rate (or 0), a priority per column;
    otherwise the key packs each entry's weight (the larger first) and its column's key rank
    (the smaller first)."""
    width = weights.shape[1]
    if single_rate:
        return width, tie_priority(column_max, rank)
    packed: Int64Array = weights.astype(np.int64, copy=False) * width + (width - 1 - rank)
    return (int(column_max.max()) + 1) * width, packed


def _leftover_units(
    remainders: NDArray[Any],
    left: Int64Array,
    sums: NDArray[Any],
    tie: tuple[int, Int64Array],
    work: _Workspace | None,
) -> BoolArray:
    """Which entries get one of the ``left`` units of their row, by the tie rule.

    The order (larger remainder, then the tie order) is packed into one integer per entry
    when it fits, int32 if possible (it sorts fastest); the ``left`` largest packed keys of a
    row get a unit. If no packing fits, a lexicographic sort decides.
    """
    rows, width = remainders.shape
    stride, tie_key = tie
    bound = int(sums.max()) * stride  # every packed key is below this
    if bound > (_FLOAT_EXACT if remainders.dtype.kind == "f" else _INT64_MAX):
        return _leftover_units_lexsorted(remainders, left, tie_key)
    np.multiply(remainders, stride, out=remainders)
    np.add(remainders, tie_key.astype(remainders.dtype, copy=False), out=remainders)
    if work is not None and bound <= _INT32_MAX:
        ordered, units = work.keys[:rows], work.units[:rows]
    else:
        ordered = np.empty((rows, width), dtype=np.int64)
        units = np.empty((rows, width), dtype=np.bool_)
    np.copyto(ordered, remainders, casting="unsafe")  # the packed keys, to sort
    ordered.sort(axis=1)
    threshold = ordered[np.arange(rows), width - np.maximum(left, 1)]
    threshold = np.where(left > 0, threshold, bound).astype(remainders.dtype)
    given: BoolArray = np.greater_equal(remainders, threshold[:, None], out=units)
    return given


def _leftover_units_lexsorted(
    remainders: NDArray[Any], left: Int64Array, tie_key: Int64Array
) -> BoolArray:
    """:func:`_leftover_units` by a lexicographic sort, for keys too large to pack."""
    ties = np.broadcast_to(-tie_key, remainders.shape)
    order = np.lexsort((ties, -remainders), axis=1)
    place = np.empty_like(order)
    np.put_along_axis(place, order, np.broadcast_to(np.arange(order.shape[1]), order.shape), 1)
    result: BoolArray = place < left[:, None]
    return result


def _exact_row(total: int, weights: Int64Array, names: tuple[str, ...]) -> list[int]:
    """One row by :func:`allocate` in Python ints: for rows beyond int64 arithmetic."""
    positive = {names[j]: int(w) for j, w in enumerate(weights.tolist()) if w}
    parts = allocate(total, positive)
    return [parts.get(name, 0) for name in names]
