"""How long one exact apportionment takes, against a float baseline measured in the same run.

Run: ``python benchmarks/bench_apportion.py``. The baseline is the cheapest possible answer,
``rate / sum(rates) * total`` in Python floats with no exact rounding (the baseline of every
earlier run of this benchmark); the ratio says what exactness, validation and provenance cost
per call. The states are the first 130 of the 2022-2024 scale in ISO3 order (the United States
is not among them, so the 22 % ceiling binds on none: what a bound costs when it holds). The
last row also builds the 130 result lines (``Assessment.lines``), which ``apportion`` leaves
until asked. Each time is the best of nine ``timeit`` rounds, taken in turn with rounds of the
baseline, so that each ratio compares times of the same minutes. No test asserts on these
times.
"""

from __future__ import annotations

import os
import platform
import timeit
from collections.abc import Callable

import ccm_costs as cc

BOUNDED = cc.rules.load("un-pro-rata").replace(ceiling="22", floor="0.01")


def best_pair(
    func: Callable[[], object], baseline: Callable[[], object], rounds: int = 9
) -> tuple[float, float]:
    """Seconds per call of ``func`` and of ``baseline``, each the best of ``rounds`` timeit
    rounds of an auto-ranged count, the two taken in turn: the machine this was written on is
    a shared VM whose speed drifts within a run, and a ratio of times taken minutes apart
    drifted with it (63-92x for the same code)."""
    timers = [timeit.Timer(func), timeit.Timer(baseline)]
    numbers = [timer.autorange()[0] for timer in timers]
    times = [float("inf"), float("inf")]
    for _ in range(rounds):
        for i, (timer, number) in enumerate(zip(timers, numbers, strict=True)):
            times[i] = min(times[i], timer.timeit(number) / number)
    return times[0], times[1]


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
        "apportion (22 % ceiling, 0.01 % floor)": lambda: cc.apportion(
            "550000.00", states, scale=scale, rules=BOUNDED
        ),
        "apportion, then its result lines": lambda: (
            cc.apportion("550000.00", states, scale=scale).lines
        ),
    }
    print(
        f"the first 130 states of the 2022-2024 scale in ISO3 order ({states[0]} to "
        f"{states[-1]}: the ceiling binds on none); 550,000.00 USD; "
        f"{platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'':40s} {'per call':>13s}   {'x baseline':>10s}")
    for name, func in runs.items():
        func()  # warm the caches (scale indexes, rule presets)
        per_call, base_time = best_pair(func, baseline)
        ratio = 1.0 if func is baseline else per_call / base_time
        print(f"{name:40s} {per_call * 1e6:10.1f} us   x{ratio:9.1f}")


if __name__ == "__main__":
    main()
