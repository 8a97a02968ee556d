"""How fast many scenarios are apportioned, exactly, against baselines measured in the same run.

Run: ``python benchmarks/bench_scenarios.py [--rows 1000000] [--sample 200]``. It prints:

1. **The engine against its float bound**, S x 193 (every state of the 2022-2024 scale, each
   present with probability 0.8): ``np.floor(w / w.sum(axis=1, keepdims=True) * total)`` on
   the S x N int64 weights ``w`` (no exact rounding, no ties: the least any answer costs), the
   same floats written chunk by chunk into one reused buffer, and ``apportion_many`` with one
   and two threads.
2. **Bounded rules at scale**, S x 130 (the first 129 states in ISO3 order and the United
   States, always present, so that the 22 % ceiling binds): the pro-rata engine on the same
   participation matrix, the bounded engine (``apportion_scenarios``) with the ceiling alone
   and with a ceiling, a 0.01 % floor and the LDC cap of 0.01 %, and a loop of
   ``cc.apportion`` on ``--sample`` rows, extrapolated to S. The sampled rows are checked to be
   equal, to the cent.
3. **Streaming memory**: the peak bytes (``tracemalloc``, which sees numpy's buffers) of S
   scenarios drawn chunk by chunk through ``iter_apportion_many``: flat in S.

Times are the best of three runs (one for the sampled loops): the machine this was written
on is a shared virtual machine whose timings vary by up to 2x from run to run. Each function's
three runs follow one another: run in turn with the engine's, the float bound's first touch of
its two 1.5 GB arrays took 3.6 s instead of 1.7-2.0 s, a flattering baseline (1.08x). No test
asserts on these numbers.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import tracemalloc
from collections.abc import Callable, Iterator, Mapping

import numpy as np
from numpy.typing import NDArray

import ccm_costs as cc
from ccm_costs._core.engine import DEFAULT_CHUNK_SIZE, iter_apportion_many

TOTAL = 50_000_000  # 500,000.00 USD in cents
ATTENDANCE = 0.8
SCALE = cc.load_scale("2022-2024")
CEILING = cc.rules.load("un-pro-rata").replace(ceiling="22")
EVERY_BOUND = CEILING.replace(floor="0.01", group_ceilings={"LDC": "0.01"})


def timed(func: Callable[[], object], repeat: int = 3) -> float:
    """The best wall-clock time of ``repeat`` calls, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def participation(rows: int, width: int, seed: int = 0) -> NDArray[np.bool_]:
    """A random participation matrix; column 0 always present (every row has a payer)."""
    present = np.random.default_rng(seed).random((rows, width)) < ATTENDANCE
    present[:, 0] = True
    return present


def engine_against_float(rows: int) -> None:
    keys = sorted(SCALE.units)
    rates = np.array([SCALE.units[k] for k in keys], dtype=np.int64)
    weights = participation(rows, len(keys)) * rates
    buffer = np.empty((DEFAULT_CHUNK_SIZE, len(keys)))

    def float_bound() -> None:
        np.floor(weights / weights.sum(axis=1, keepdims=True) * TOTAL)

    def float_buffered() -> None:
        for start in range(0, rows, DEFAULT_CHUNK_SIZE):
            block = weights[start : start + DEFAULT_CHUNK_SIZE]
            out = buffer[: len(block)]
            np.divide(block, block.sum(axis=1, keepdims=True), out=out)
            np.multiply(out, TOTAL, out=out)
            np.floor(out, out=out)

    bound = timed(float_bound)
    results = {
        "float and floor (the bound)": bound,
        "float into a reused buffer": timed(float_buffered),
        "apportion_many, 1 thread": timed(lambda: cc.apportion_many(TOTAL, weights)),
        "apportion_many, 2 threads": timed(lambda: cc.apportion_many(TOTAL, weights, workers=2)),
    }
    print(f"\n1. {rows:,} x {len(keys)} weights; seconds, and x the float-and-floor bound")
    for name, seconds in results.items():
        print(f"   {name:<34} {seconds:8.3f} s  x{seconds / bound:5.2f}")


def bounded_at_scale(rows: int, sample: int) -> None:
    codes = [*sorted(SCALE.units)[:129], "USA"]
    present = participation(rows, len(codes), seed=1)
    present[:, codes.index("USA")] = True
    rates = np.array([SCALE.units[c] for c in codes], dtype=np.int64)
    order = np.argsort(codes)
    keys = [codes[j] for j in order]
    in_key_order = np.ascontiguousarray(present[:, order])  # not timed: the engine's input
    pro_rata = timed(lambda: cc.apportion_many(TOTAL, in_key_order, rates=rates[order], keys=keys))
    print(f"\n2. {rows:,} x {len(codes)} scenarios, the United States always present")
    print(f"   {'pro-rata engine':<34} {pro_rata:8.3f} s")
    for label, rules in (("22 % ceiling", CEILING), ("ceiling + floor + LDC cap", EVERY_BOUND)):
        amounts: NDArray[np.int64] | None = None

        def bounded(rules: cc.RuleSet = rules) -> None:
            nonlocal amounts
            amounts = cc.apportion_scenarios("500000.00", codes, present, scale=SCALE, rules=rules)

        seconds = timed(bounded)
        picked = np.linspace(0, rows - 1, sample).astype(int)

        def loop(
            rules: cc.RuleSet = rules, picked: NDArray[np.int64] = picked
        ) -> list[Mapping[str, int]]:
            return [
                cc.apportion(
                    "500000.00",
                    [c for c, here in zip(codes, present[i], strict=True) if here],
                    scale=SCALE,
                    rules=rules,
                ).table.amounts
                for i in picked
            ]

        loop(picked=picked[:3])  # warm the caches (the LDC list, the rule set's bounds)
        start = time.perf_counter()
        checked = loop()
        per_row = (time.perf_counter() - start) / sample
        assert amounts is not None
        for i, expected in zip(picked, checked, strict=True):
            assert amounts[i].tolist() == [expected.get(c, 0) for c in codes], i
        print(
            f"   bounded, {label:<25} {seconds:8.3f} s  x{seconds / pro_rata:5.1f} pro rata; "
            f"a loop of apportion: {per_row * rows:8.0f} s (extrapolated), "
            f"{per_row * rows / seconds:5.0f}x slower; {sample} rows checked equal"
        )


def peak_streaming_bytes(rows: int) -> float:
    """Peak MB allocated while streaming ``rows`` generated scenarios through the engine."""
    keys = sorted(SCALE.units)[:130]
    rates = np.array([SCALE.units[k] for k in keys], dtype=np.int64)
    rng = np.random.default_rng(2)

    def blocks() -> Iterator[NDArray[np.bool_]]:
        for start in range(0, rows, DEFAULT_CHUNK_SIZE):
            block = rng.random((min(DEFAULT_CHUNK_SIZE, rows - start), len(keys))) < ATTENDANCE
            block[:, 0] = True
            yield block

    tracemalloc.start()
    for _ in iter_apportion_many(TOTAL, blocks(), rates=rates):
        pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="scenarios S")
    parser.add_argument("--sample", type=int, default=200, help="rows of the apportion loop")
    args = parser.parse_args()
    print(
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}; total 500,000.00 USD; attendance {ATTENDANCE}"
    )
    engine_against_float(args.rows)
    bounded_at_scale(args.rows, args.sample)
    print("\n3. streaming, nothing kept: peak MB for S scenarios drawn chunk by chunk")
    for rows in sorted({10_000, 100_000, args.rows}):
        print(f"   {rows:>10,} scenarios {peak_streaming_bytes(rows):8.1f} MB")


if __name__ == "__main__":
    main()
