"""How long one exact apportionment takes, against a float baseline measured in the same run.

Run: ``python benchmarks/bench_apportion.py``. The baseline is the cheapest possible answer,
``rate / sum(rates) * total`` in Python floats with no exact rounding (the baseline of every
earlier run of this benchmark); the ratio says what exactness, validation and provenance cost
per call. Each time is the best of several ``timeit`` rounds. No test asserts on these times.
"""

from __future__ import annotations

import os
import platform
import timeit
from collections.abc import Callable

import ccm_costs as cc

BOUNDED = cc.rules.load("un-pro-rata").replace(ceiling="22", floor="0.01")


def best(func: Callable[[], object], rounds: int = 7) -> float:
    """Seconds per call: the best of ``rounds`` timeit rounds of an auto-ranged count."""
    timer = timeit.Timer(func)
    number, _ = timer.autorange()
    return min(timer.repeat(rounds, number)) / number


def main() -> None:
    scale = cc.load_scale("2022-2024")
    states = sorted(scale.units)[:130]
    rates = [float(scale.rates[s]) for s in states]
    units = {s: scale.units[s] for s in states}

    def baseline() -> list[float]:
        total = sum(rates)
        return [r / total * 550_000.0 for r in rates]

    runs: dict[str, Callable[[], object]] = {
        "float baseline": baseline,
        "allocate (largest remainder)": lambda: cc.allocate(55_000_000, units),
        "apportion (pro rata)": lambda: cc.apportion("550000.00", states, scale=scale),
        "apportion (22 % ceiling, floor)": lambda: cc.apportion(
            "550000.00", states, scale=scale, rules=BOUNDED
        ),
        "apportion + lines (pro rata)": lambda: (
            cc.apportion("550000.00", states, scale=scale).lines
        ),
    }
    print(
        f"130 states of the 2022-2024 scale; {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    base_time = None
    for name, func in runs.items():
        func()  # warm the caches (scale indexes, rule presets)
        per_call = best(func)
        base_time = base_time or per_call
        print(f"{name:34s} {per_call * 1e6:10.1f} us/call   x{per_call / base_time:7.1f} baseline")


if __name__ == "__main__":
    main()
