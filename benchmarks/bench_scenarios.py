"""How fast the vectorised engine apportions many scenarios, against baselines of the same run.

Run: ``python benchmarks/bench_scenarios.py [--sizes 10000,100000,1000000]``. For each number
of scenarios S, over N = 130 states with their 2022-2024 UN rates and a random participation
matrix (each state attends with probability 0.8), it times:

- the float lower bound ``w / w.sum(axis=1, keepdims=True) * total`` on the weights matrix
  ``w`` (S x N int64), and ``apportion_many(total, w)`` on the same matrix: both build an
  S x N result;
- the same float formula chunk by chunk over the participation matrix, and
  ``iter_apportion_many`` over the same chunks (nothing kept: the streaming case);
- a naive loop, one scenario at a time with ``Fraction`` shares and a sort of the remainders,
  and a loop of ``cc.apportion`` calls (the public scalar API), each on a subset (``--naive``
  scenarios) and extrapolated to S;
- both engine runs again with ``workers=2`` (two threads);
- the peak memory (``tracemalloc``, which sees numpy's buffers) of streaming S scenarios drawn
  chunk by chunk through ``iter_apportion_many``: it should not grow with S.

No test asserts on these numbers.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
from collections.abc import Callable, Iterator
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

import ccm_costs as cc
from ccm_costs._core.engine import DEFAULT_CHUNK_SIZE, apportion_many, iter_apportion_many

TOTAL = 50_000_000  # 500,000.00 USD in cents
ATTENDANCE = 0.8


def timed(func: Callable[[], object], repeat: int) -> float:
    """The best wall-clock time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def naive_row(total: int, weights: list[int], keys: list[str]) -> list[int]:
    """One scenario the obvious way: exact Fraction quotas, floors, remainders sorted."""
    weight_sum = sum(weights)
    quotas = [Fraction(total * w, weight_sum) for w in weights]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    order = sorted(
        (j for j, w in enumerate(weights) if w),
        key=lambda j: (-(quotas[j] - parts[j]), -weights[j], keys[j]),
    )
    for j in order[:left]:
        parts[j] += 1
    return parts


def participation_blocks(
    rng: np.random.Generator, rows: int, width: int, chunk: int
) -> Iterator[NDArray[np.bool_]]:
    """A random participation matrix, drawn chunk by chunk (never held whole)."""
    for start in range(0, rows, chunk):
        block = rng.random((min(chunk, rows - start), width)) < ATTENDANCE
        block[:, 0] = True  # every scenario has a payer
        yield block


def peak_streaming_bytes(rates: NDArray[np.int64], rows: int, chunk: int) -> int:
    """Peak bytes allocated while streaming ``rows`` generated scenarios through the engine."""
    blocks = participation_blocks(np.random.default_rng(1), rows, len(rates), chunk)
    tracemalloc.start()
    for _ in iter_apportion_many(TOTAL, blocks, rates=rates, chunk_size=chunk):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def measure(rows: int, rates: NDArray[np.int64], keys: list[str], args: Any) -> dict[str, float]:
    """Seconds (best of a few runs) for each way of computing ``rows`` scenarios."""
    rng = np.random.default_rng(0)
    chunk = args.chunk_size
    present = np.concatenate(list(participation_blocks(rng, rows, len(rates), chunk)))
    weights = present * rates
    repeat = 3 if rows <= 100_000 else 2

    def float_chunks() -> None:
        for start in range(0, rows, chunk):
            w = present[start : start + chunk] * rates
            w / w.sum(axis=1, keepdims=True) * TOTAL

    def stream(workers: int) -> None:
        for _ in iter_apportion_many(
            TOTAL, present, rates=rates, chunk_size=chunk, workers=workers
        ):
            pass

    r = {
        "float": timed(lambda: weights / weights.sum(axis=1, keepdims=True) * TOTAL, repeat),
        "engine1": timed(lambda: apportion_many(TOTAL, weights, chunk_size=chunk), repeat),
        "engine2": timed(
            lambda: apportion_many(TOTAL, weights, chunk_size=chunk, workers=2), repeat
        ),
        "float_chunks": timed(float_chunks, repeat),
        "stream1": timed(lambda: stream(1), repeat),
        "stream2": timed(lambda: stream(2), repeat),
    }
    sample = weights[: args.naive].tolist()
    per_row = timed(lambda: [naive_row(TOTAL, row, keys) for row in sample], 1) / len(sample)
    r["naive"] = per_row * rows
    check = apportion_many(TOTAL, weights[: args.naive], keys=keys)
    assert check.tolist() == [naive_row(TOTAL, row, keys) for row in sample]
    payers = [[k for k, w in zip(keys, row, strict=True) if w] for row in sample]
    scale = cc.load_scale("2022-2024")
    per_call = timed(lambda: [cc.apportion("500000.00", p, scale=scale) for p in payers], 1)
    r["apportion"] = per_call / len(sample) * rows
    r["peak_mb"] = peak_streaming_bytes(rates, rows, chunk) / 2**20
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="values of S")
    parser.add_argument("--naive", type=int, default=200, help="scenarios timed naively")
    parser.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE)
    args = parser.parse_args()
    scale = cc.load_scale("2022-2024")
    keys = sorted(scale.units)[:130]
    rates = np.array([scale.units[k] for k in keys], dtype=np.int64)
    print(
        f"N = {len(keys)} states (2022-2024 rates), attendance {ATTENDANCE}, chunk "
        f"{args.chunk_size}, cores: {os.cpu_count()}, numpy {np.__version__}"
    )
    results = {int(s): measure(int(s), rates, keys, args) for s in args.sizes.split(",")}
    print("\nS x N result kept (weights: an S x N int64 matrix); seconds, x = / float bound")
    print(
        f"{'S':>9} {'float':>7} {'engine':>7} {'x':>4} {'2 thr':>7} {'x':>4} "
        f"{'naive':>8} {'/engine':>7} {'apportion()':>11} {'/engine':>7}"
    )
    for rows, r in results.items():
        print(
            f"{rows:>9} {r['float']:7.3f} {r['engine1']:7.3f} {r['engine1'] / r['float']:4.1f} "
            f"{r['engine2']:7.3f} {r['engine2'] / r['float']:4.1f} {r['naive']:8.1f} "
            f"{r['naive'] / r['engine1']:7.0f} {r['apportion']:11.1f} "
            f"{r['apportion'] / r['engine1']:7.0f}"
        )
    print(
        "\nstreamed, nothing kept (bool participation x rates); peak MB of a stream drawn on "
        "the fly"
    )
    print(f"{'S':>9} {'float':>7} {'engine':>7} {'x':>4} {'2 thr':>7} {'x':>4} {'peak MB':>8}")
    for rows, r in results.items():
        base = r["float_chunks"]
        print(
            f"{rows:>9} {base:7.3f} {r['stream1']:7.3f} {r['stream1'] / base:4.1f} "
            f"{r['stream2']:7.3f} {r['stream2'] / base:4.1f} {r['peak_mb']:8.1f}"
        )
    print(
        "\nnaive: one scenario at a time with Fraction; apportion(): the public scalar API, one "
        f"call per scenario; both timed on {args.naive} scenarios and extrapolated"
    )


if __name__ == "__main__":
    main()
