"""The vectorised exact engine under bounds: many bounded apportionments at once.

Row ``i`` of :func:`bounded_many` is what the interpreter gives for the states present in row
``i``: the shares of :func:`~ccm_costs._core.bounds.solve_shares` (pinned and fixed shares,
ceilings, group ceilings, a floor; excluded states pay nothing), then :func:`allocate` of the
total over them, with the same tie rule.

How, on a chunk of rows at once:

1. **Find** each row's binding set (which states sit at a ceiling, at the floor or pinned) by
   the rounds of ``solve_shares`` in floats: fix the breakers of the side with the larger
   excess, re-spread, repeat. Fast, and allowed to be wrong: nothing below trusts it.
2. **Verify** it in int64. Every bound is a numerator over one denominator ``d0`` (the lcm of
   the bounds' denominators); with ``left`` the part of ``d0`` not held at a bound and
   ``spread`` the summed weight of the free states, a free share is
   ``left * w / (d0 * spread)``, and "it breaks its ceiling ``c``" is
   ``left * w > c * spread``: integers, no division. A row passes if ``left >= 0``, some state
   is free, every free state keeps within its bounds, every state at a ceiling (floor) would
   break it if freed, and no ceiling lies below the floor. Its shares are then the unique
   ``clamp(lambda * w, floor, ceiling)`` that sum to 1, which is where ``solve_shares`` ends.
3. **Share** the total by largest remainder over those exact shares, remainders compared over
   the row's ``d0 * spread``; where the last units fell among equal remainders of different
   shares, they are given again by share, then key (the tie rule of :func:`allocate`).

Rows that fail the check (an infeasible row, or one the rounds did not settle) and every row of
a setting whose integers could leave int64 are returned as not done: the caller computes them
with the scalar interpreter, which also raises its errors.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Collection, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from .bounds import AdjustmentRules, upper_bounds
from .engine import apportion_many, tie_priority
from .publishing import RateRounding

Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_INT64_MAX = int(np.iinfo(np.int64).max)
_FLOAT_EXACT = 2**52
"""Integers below this, and their sums and products kept below it, are exact in float64."""
DEFAULT_CHUNK_SIZE = 1024
"""Rows computed at once: about a dozen int64 buffers of chunk x states."""


@dataclass(frozen=True)
class ColumnRules:
    """What the engine needs of each column (ISO3 order), as integers over ``denominator``."""

    keys: tuple[str, ...]
    weights: Int64Array
    """Basis rates in 0.001 % units (0 for a fixed share)."""
    pinned: Int64Array
    """The share held when present, over ``denominator``; -1 when not pinned."""
    ceilings: Int64Array
    """The tightest ceiling (general or a group's) over ``denominator``; ``denominator`` if none."""
    floor: int
    denominator: int
    counted: BoolArray
    """False for a column excluded by the rule set: it pays nothing, and counts for nothing."""
    rate_units: int | None = None
    """When amounts follow the published rates: the units of 100 % (``100 * 10**decimals``)."""
    rate_rounding: RateRounding = RateRounding.HALF_UP

    @classmethod
    def of(
        cls,
        keys: Sequence[str],
        weights: Mapping[str, int],
        rules: AdjustmentRules,
        excluded: Collection[str] = (),
        published: tuple[int, RateRounding] | None = None,
    ) -> ColumnRules:
        """The columns of ``keys`` under ``rules`` (its pinned shares apply to the columns
        present in a row), with ``excluded`` columns that never count, and ``published``
        (decimals, rounding) when amounts follow the published rates."""
        upper = upper_bounds(keys, rules)
        ceilings = [upper.value(k) for k in keys]
        floor = rules.floor if rules.floor is not None else Fraction(0)
        held = [rules.pinned.get(k) for k in keys]
        d0 = math.lcm(
            floor.denominator,
            *(c.denominator for c in ceilings),
            *(p.denominator for p in held if p is not None),
        )

        def over(value: Fraction) -> int:
            return value.numerator * (d0 // value.denominator)

        return cls(
            keys=tuple(keys),
            weights=np.array([weights.get(k, 0) for k in keys], dtype=np.int64),
            pinned=np.array([-1 if p is None else over(p) for p in held], dtype=np.int64),
            ceilings=np.array([over(c) for c in ceilings], dtype=np.int64),
            floor=over(floor),
            denominator=d0,
            counted=np.array([k not in excluded for k in keys], dtype=bool),
            rate_units=None if published is None else 100 * 10 ** published[0],
            rate_rounding=RateRounding.HALF_UP if published is None else published[1],
        )

    def fits(self, total: int) -> bool:
        """Whether every integer of a row with this total stays within int64 (else the rows
        go to the scalar path)."""
        width = len(self.keys)
        spread = self.denominator * max(int(self.weights.sum()), 1)
        largest = self.denominator * max(int(self.weights.max(initial=0)), 1)
        factor = max(abs(total), self.rate_units or 0, 1)
        return (2 * width + 1) * spread <= _INT64_MAX and factor * (largest + spread) <= _INT64_MAX


def bounded_many(
    total: int,
    present: BoolArray,
    columns: ColumnRules,
    *,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    workers: int = 1,
) -> tuple[Int64Array, BoolArray]:
    """The amounts of ``total`` (minor units) in every row of ``present`` (rows x columns),
    and which rows are done; a row not done is all zeros, for the caller's scalar path."""
    rows = len(present)
    amounts = np.zeros(present.shape, dtype=np.int64)
    done = np.zeros(rows, dtype=bool)
    if not columns.fits(total) or rows == 0:
        return amounts, done
    prepared = _Prepared.of(columns, total)
    starts = range(0, rows, chunk_size)
    local = threading.local()

    def run(start: int) -> None:
        if not hasattr(local, "work"):
            local.work = _Work(min(chunk_size, rows), present.shape[1], prepared.small.dtype)
        stop = min(start + chunk_size, rows)
        block = _Chunk(total, present[start:stop], prepared, local.work)
        done[start:stop] = block.compute(amounts[start:stop])

    if workers == 1:
        for start in starts:
            run(start)
    else:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(run, starts))
    return amounts, done


@dataclass(frozen=True)
class _Prepared:
    """What every chunk reuses: the columns, in the forms the passes need."""

    columns: ColumnRules
    weights_f: NDArray[np.float64]
    ceilings_f: NDArray[np.float64]
    sums: NDArray[np.float64]
    """``(w, c)`` per column: both summed over a mask by one product."""
    over_ratio: NDArray[np.float64]
    """``w / c``: a free state breaks its ceiling when this exceeds ``spread / left``."""
    under_ratio: NDArray[np.float64] | None
    """``w / floor``: a free state breaks the floor when this is below ``spread / left``."""
    free_columns: BoolArray
    """Columns free at the start when present: not pinned, with a weight."""
    zero_columns: BoolArray
    """Columns at the floor whenever present: not pinned, no weight (``clamp(lambda * 0)``)."""
    pinned_columns: Int64Array
    beyond: int
    """``max(w) + 1``: more than any weight."""
    small: NDArray[np.signedinteger]
    """The weights in the smallest integer type that holds ``beyond`` (int16 for UN rates):
    the heaviest and lightest of a mask are found in it, 2x faster than in int64."""
    complement: NDArray[np.signedinteger]
    """``beyond - w``, in that type: the smallest masked weight is
    ``beyond - max(mask * complement)``."""
    levels: tuple[tuple[int, BoolArray | None], ...]
    """The distinct ceilings (``d0``: none) and the columns under each (None: every column)."""
    low_ceiling: BoolArray | None
    """Columns not pinned whose ceiling is below the floor (an error when present)."""
    tie: Int64Array
    """Each column's tie key when held at a bound, even: ``2 * (width - 1 - rank)``, the
    smaller key first (equal bounds, equal shares)."""
    free_tie: Int64Array
    """Each column's tie key when free, odd: twice its place in the order of weights (whose
    order their shares follow; the larger first, then the smaller key), plus one. Held and
    free keys never coincide, so each entry of a row has its own packed key."""
    float_quotas: bool
    """Whether the quotas of the free states are exact in float64 (all below 2**52)."""

    @classmethod
    def of(cls, columns: ColumnRules, total: int) -> _Prepared:
        weights, ceilings, d0 = columns.weights, columns.ceilings, columns.denominator
        largest = int(weights.max(initial=0))
        levels = []
        for value in sorted({int(c) for c in ceilings}):
            mask = ceilings == value
            levels.append((value, None if mask.all() else mask))
        unpinned = columns.pinned < 0
        low = unpinned & (ceilings < columns.floor)
        factor = max(abs(total), columns.rate_units or 0)
        spread = max(int(weights.sum()), 1)
        weights_f = weights.astype(np.float64)
        ceilings_f = ceilings.astype(np.float64)
        small = next(t for t in (np.int16, np.int32, np.int64) if largest < np.iinfo(t).max)
        return cls(
            columns=columns,
            weights_f=weights_f,
            ceilings_f=ceilings_f,
            sums=np.stack([weights_f, ceilings_f], axis=1),
            over_ratio=weights / ceilings,
            under_ratio=weights / columns.floor if columns.floor else None,
            free_columns=unpinned & (weights > 0),
            zero_columns=unpinned & (weights == 0),
            pinned_columns=np.flatnonzero(~unpinned),
            beyond=largest + 1,
            small=weights.astype(small),
            complement=(largest + 1 - weights).astype(small),
            levels=tuple(levels),
            low_ceiling=low if low.any() else None,
            tie=2 * (len(weights) - 1 - _key_rank(columns.keys)),
            free_tie=2 * tie_priority(weights, _key_rank(columns.keys)) + 1,
            float_quotas=max(largest * d0 * spread, factor * largest) < _FLOAT_EXACT,
        )


class _Work:
    """Buffers of one thread, reused from chunk to chunk: fresh chunk-sized temporaries
    would cost page faults each time (measured: more than half the time)."""

    def __init__(self, rows: int, width: int, small: np.dtype[np.signedinteger]) -> None:
        shape = (rows, width)
        self.small = np.empty(shape, dtype=small)
        self.classes = [np.empty(shape, dtype=bool) for _ in range(5)]
        self.flags = [np.empty(shape, dtype=bool) for _ in range(4)]
        self.floats = [np.empty(shape) for _ in range(3)]
        self.ints = [np.empty(shape, dtype=np.int64) for _ in range(4)]


class _Chunk:
    """One chunk of rows: its classes (free, at a ceiling, at the floor, pinned), the rounds
    that settle them, the exact check, and the money of the verified rows."""

    def __init__(self, total: int, present: BoolArray, prepared: _Prepared, work: _Work) -> None:
        count = len(present)
        self.total, self.prepared, self.count = total, prepared, count
        self.floats = [b[:count] for b in work.floats]
        self.ints = [b[:count] for b in work.ints]
        self.flags = [b[:count] for b in work.flags]
        self.small = work.small[:count]
        counted, free, capped, floored, pinned = (b[:count] for b in work.classes)
        np.logical_and(present, prepared.columns.counted, out=counted)
        np.logical_and(counted, prepared.columns.pinned >= 0, out=pinned)
        np.logical_and(counted, prepared.zero_columns, out=floored)
        np.logical_and(counted, prepared.free_columns, out=free)
        capped[:] = False
        self.counted, self.free, self.capped, self.floored, self.pinned = (
            counted,
            free,
            capped,
            floored,
            pinned,
        )
        self.left = np.zeros(count, dtype=np.int64)
        self.spread = np.ones(count, dtype=np.int64)
        self.done = np.zeros(count, dtype=bool)

    def compute(self, out: Int64Array) -> BoolArray:
        """Settle and check the rows, write their amounts to ``out``; which rows are done."""
        self._settle()
        columns = self.prepared.columns
        magnitude = abs(self.total)
        if columns.rate_units is None:
            self._largest_remainder(magnitude, out)
        else:
            rates = np.empty_like(out)
            if columns.rate_rounding is RateRounding.LARGEST_REMAINDER:
                self._largest_remainder(columns.rate_units, rates)
            else:  # half-up: the quota, plus one where twice the remainder reaches the divisor
                quotas, remainders, divisors = self._quotas(columns.rate_units)
                np.add(quotas, 2 * remainders >= divisors[:, None], out=rates)
            self.done &= rates.any(axis=1)
            rates[~self.done] = 1  # any weight: these rows are zeroed below
            out[:] = apportion_many(magnitude, rates, keys=columns.keys)
        self.done &= self._adds_up(out, magnitude)
        out[~self.done] = 0
        if self.total < 0:
            np.negative(out, out=out)
        return self.done

    @staticmethod
    def _adds_up(out: Int64Array, magnitude: int) -> BoolArray:
        """The invariant of every row, checked once more after the exact check: a row whose
        amounts do not add up to the total (a fault of the engine) goes to the exact scalar
        path, never out."""
        adds_up: BoolArray = out.sum(axis=1) == magnitude
        return adds_up

    def _settle(self) -> None:
        """Rounds of fixing breakers, each followed by the exact check of the rows it settled
        (rows left with breakers on the other side go straight to the next round); a row
        that fails the check without moving will not settle (scalar path)."""
        rows: Int64Array = np.arange(self.count)
        for _ in range(self.free.shape[1] + 1):
            everyone = len(rows) == self.count
            take: slice | Int64Array = slice(None) if everyone else rows
            free, capped, floored = self.free[take], self.capped[take], self.floored[take]
            pinned = self.pinned[take]
            moved, unsettled = self._fix(free, capped, floored, pinned)
            if not everyone:
                self.free[rows], self.capped[rows], self.floored[rows] = free, capped, floored
            check = rows[~unsettled]
            ok, self.left[check], self.spread[check] = self._verify(
                self.free[check],
                self.capped[check],
                self.floored[check],
                self.pinned[check],
                self.counted[check],
            )
            self.done[check] = ok
            retry = unsettled.copy()
            retry[~unsettled] = ~ok & moved[~unsettled]
            if not retry.any():
                break
            rows = rows[retry]
        self.spread[~self.done] = 1

    def _fix(
        self, free: BoolArray, capped: BoolArray, floored: BoolArray, pinned: BoolArray
    ) -> tuple[BoolArray, BoolArray]:
        """One round of ``solve_shares`` in floats, in place (fast; the exact check follows):
        the free states that break a bound on the side with the larger excess (both if
        equal) are fixed at it. Returns which rows moved, and which still have breakers."""
        prepared = self.prepared
        columns, count = prepared.columns, len(free)
        scratch = self.floats[0][:count]
        floor = float(columns.floor)
        np.copyto(scratch, capped)
        held = scratch @ prepared.ceilings_f + floored.sum(axis=1) * floor
        if len(prepared.pinned_columns):
            some = pinned[:, prepared.pinned_columns]
            held += some @ columns.pinned[prepared.pinned_columns].astype(np.float64)
        left = columns.denominator - held
        np.copyto(scratch, free)
        spread = scratch @ prepared.weights_f
        feasible = left > 0
        with np.errstate(divide="ignore"):
            level = np.where(feasible, spread / np.where(feasible, left, 1), np.inf)[:, None]
        lam = left / np.maximum(spread, 1)  # a free share is lam * w (over d0)
        over = np.greater(prepared.over_ratio, level, out=self.flags[0][:count])
        np.logical_and(over, free, out=over)
        np.copyto(scratch, over)
        over_w, over_c = (scratch @ prepared.sums).T
        excess = lam * over_w - over_c
        under = self.flags[1][:count]
        if prepared.under_ratio is not None:
            np.less(prepared.under_ratio, level, out=under)
            np.logical_and(under, free, out=under)
            under &= feasible[:, None]
            np.copyto(scratch, under)
            deficit = floor * under.sum(axis=1) - lam * (scratch @ prepared.weights_f)
        else:
            under[:] = False
            deficit = np.zeros_like(excess)
        breaks_over: BoolArray = np.any(over, axis=1)
        breaks_under: BoolArray = np.any(under, axis=1)
        moved = breaks_over | breaks_under
        # breakers on both sides and only one side fixed: the row needs another round
        unsettled = breaks_over & breaks_under & (excess != deficit)
        if moved.any():
            over &= (excess >= deficit)[:, None]
            under &= (deficit >= excess)[:, None]
            np.greater(free, over, out=free)  # free and not over
            np.greater(free, under, out=free)
            np.logical_or(capped, over, out=capped)
            np.logical_or(floored, under, out=floored)
        return moved, unsettled

    def _verify(
        self,
        free: BoolArray,
        capped: BoolArray,
        floored: BoolArray,
        pinned: BoolArray,
        counted: BoolArray,
    ) -> tuple[BoolArray, Int64Array, Int64Array]:
        """The exact check of some rows, in int64 (see the module docstring), with what is
        left to their free states (over ``d0``) and the free states' summed weight.

        A condition on a group of states is one on its extreme member: the free states under
        a ceiling keep to it if the heaviest does, the capped ones break it if the lightest
        does."""
        prepared = self.prepared
        columns, count = prepared.columns, len(free)
        weights, floor = columns.weights, columns.floor
        scratch, mask = self.ints[0][:count], self.flags[0][:count]
        np.copyto(scratch, capped)
        left = columns.denominator - scratch @ columns.ceilings - floored.sum(axis=1) * floor
        if len(prepared.pinned_columns):
            some = pinned[:, prepared.pinned_columns]
            left -= some @ columns.pinned[prepared.pinned_columns]
        np.copyto(scratch, free)
        spread = scratch @ weights
        ok = (left >= 0) & (spread > 0)

        small = self.small[:count]

        def heaviest(where: BoolArray) -> Int64Array:
            result: Int64Array = np.multiply(where, prepared.small, out=small).max(axis=1)
            return result.astype(np.int64)

        def lightest(where: BoolArray) -> Int64Array:
            largest = np.multiply(where, prepared.complement, out=small).max(axis=1)
            result: Int64Array = prepared.beyond - largest.astype(np.int64)
            return result

        for value, under in prepared.levels:
            if value < columns.denominator:  # a free share never exceeds 100 %
                at = free if under is None else np.logical_and(free, under, out=mask)
                ok &= left * heaviest(at) <= value * spread
            at = capped if under is None else np.logical_and(capped, under, out=mask)
            ok &= (left * lightest(at) >= value * spread) | ~at.any(axis=1)
        if floor:
            ok &= left * lightest(free) >= floor * spread
        ok &= left * heaviest(floored) <= floor * spread
        if prepared.low_ceiling is not None:
            ok &= ~np.logical_and(counted, prepared.low_ceiling, out=mask).any(axis=1)
        return ok, left, spread

    def _quotas(self, total: int) -> tuple[Int64Array, Int64Array, Int64Array]:
        """Each entry's quota ``floor(total * share)``, its remainder over the row's
        ``d0 * spread``, and that divisor. A free quota is ``w * a + floor(w * b / D)`` with
        ``total * left = a * D + b``: in float64 where that is exact, else in int64."""
        prepared = self.prepared
        columns = prepared.columns
        d0 = columns.denominator
        divisors = d0 * self.spread
        whole, part = np.divmod(total * self.left, divisors)
        quotas, remainders = self.ints[1], self.ints[2]
        if prepared.float_quotas:
            weights, products, below = self.floats
            column = divisors[:, None].astype(np.float64)
            np.multiply(self.free, prepared.weights_f, out=weights)
            np.multiply(weights, part[:, None].astype(np.float64), out=products)
            np.multiply(weights, whole[:, None].astype(np.float64), out=weights)
            np.divide(products, column, out=below)
            np.floor(below, out=below)
            np.add(weights, below, out=weights)
            np.multiply(below, column, out=below)
            np.subtract(products, below, out=products)
            np.copyto(quotas, weights, casting="unsafe")
            np.copyto(remainders, products, casting="unsafe")
        else:
            free_weights = np.multiply(self.free, columns.weights, out=self.ints[0])
            np.divmod(free_weights * part[:, None], divisors[:, None], out=(quotas, remainders))
            quotas += free_weights * whole[:, None]
        # a held share is value / d0, the same in every row: so is its quota, and its
        # remainder over the row's divisor is (total * value mod d0) * spread. Held entries
        # are 0 so far (not free), so their parts are added: a masked copy is 5x slower.
        spread = self.spread[:, None]
        scratch = self.ints[0]
        held = [(self.floored, np.array(columns.floor)), (self.capped, columns.ceilings)]
        if len(prepared.pinned_columns):
            held.append((self.pinned, np.maximum(columns.pinned, 0)))
        for where, values in held:
            held_quotas, held_remainders = np.divmod(total * values, d0)
            if held_quotas.any():
                quotas += np.multiply(where, held_quotas, out=scratch)
            if held_remainders.any():
                np.multiply(where, held_remainders, out=scratch)
                remainders += np.multiply(scratch, spread, out=scratch)
        return quotas, remainders, divisors

    def _largest_remainder(self, total: int, out: Int64Array) -> None:
        """``allocate(total, shares)`` on every row, into ``out``: the quotas, then the units
        left over to the largest remainders; among equal remainders the larger share, then
        the smaller key."""
        quotas, remainders, _ = self._quotas(total)
        width = quotas.shape[1]
        stride = 2 * width
        short = total - quotas.sum(axis=1)
        # the tie order packed below the remainder, one distinct key per entry of a row (so
        # that exactly ``short`` entries get a unit): free entries (odd keys) by weight, their
        # shares' order, then key; held ones (even keys) by key (equal bounds, equal shares).
        # Where a held entry ties with a free one, _settle_ties gives the units by share.
        keys, ordered = self.ints[0], self.ints[3]
        np.multiply(self.free, self.prepared.free_tie - self.prepared.tie, out=keys)
        np.add(keys, self.prepared.tie, out=keys)
        np.multiply(remainders, stride, out=ordered)
        np.add(keys, ordered, out=keys)
        np.copyto(ordered, keys)
        ordered.sort(axis=1)
        place = np.clip(width - short, 0, width - 1)
        threshold = np.where(short > 0, ordered[np.arange(self.count), place], _INT64_MAX)
        units = np.greater_equal(keys, threshold[:, None], out=self.flags[0])
        np.add(quotas, units, out=out)
        tied = np.equal(remainders, (threshold // stride)[:, None], out=self.flags[1])
        given = np.logical_and(tied, units, out=self.flags[2]).any(axis=1)
        passed = np.greater(tied, units, out=self.flags[3]).any(axis=1)
        split = np.flatnonzero(self.done & given & passed)
        if len(split):
            # the packed order is the tie rule's unless a held entry ties with another kind
            tied_split = tied[split]
            held = tied_split & ~self.free[split]
            mixed = held.any(axis=1) & (tied_split & ~self.floored[split]).any(axis=1)
            if mixed.any():
                rows = split[mixed]
                self._settle_ties(out, rows, tied_split[mixed], units[rows])

    def _settle_ties(
        self, amounts: Int64Array, rows: Int64Array, tied: BoolArray, units: BoolArray
    ) -> None:
        """Rows whose last units went among equal remainders where a held entry ties with an
        entry of another kind (their shares' order is not the packed one): where a smaller
        share got a unit before a larger one, the tied units are given again by share, then
        key."""
        shares = self._shares(rows)
        given = tied & units
        wrong = np.where(given, shares, _INT64_MAX).min(axis=1) < np.where(
            tied & ~units, shares, -1
        ).max(axis=1)
        if not wrong.any():
            return
        rows, shares, tied, units, given = (
            rows[wrong],
            shares[wrong],
            tied[wrong],
            units[wrong],
            given[wrong],
        )
        rank = np.broadcast_to(_key_rank(self.prepared.columns.keys), shares.shape)
        order = np.lexsort((rank, -shares, ~tied), axis=1)
        place = np.empty_like(order)
        np.put_along_axis(place, order, np.arange(order.shape[1])[None, :], axis=1)
        chosen = place < given.sum(axis=1)[:, None]
        amounts[rows] += (units & ~tied | chosen).astype(np.int64) - units

    def _shares(self, rows: Int64Array) -> Int64Array:
        """The shares of some rows as numerators over their ``d0 * spread`` (their order)."""
        columns = self.prepared.columns
        values = np.where(
            self.capped[rows],
            columns.ceilings,
            np.where(self.floored[rows], columns.floor, np.maximum(columns.pinned, 0)),
        )
        shares: Int64Array = np.where(
            self.free[rows],
            self.left[rows, None] * columns.weights,
            values * self.spread[rows, None],
        )
        return shares


def _key_rank(keys: tuple[str, ...]) -> Int64Array:
    """Each column's place in key order (0 = the smallest key, first in a tie)."""
    rank = np.empty(len(keys), dtype=np.int64)
    rank[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return rank
