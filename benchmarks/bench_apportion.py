"""How long one exact apportionment takes, against a float baseline measured in the same run.

Run: ``python benchmarks/bench_apportion.py``. The baseline is the cheapest possible answer,
``rate / sum(rates) * total`` in floats with no exact rounding; the ratio says what exactness,
validation and provenance cost per call. No test asserts on these times.
"""

from __future__ import annotations

import os
import timeit

import ccm_costs as cc


def main() -> None:
    scale = cc.load_scale("2022-2024")
    states = sorted(scale.units)[:130]
    rates = [float(scale.rates[s]) for s in states]

    def baseline() -> list[float]:
        total = sum(rates)
        return [r / total * 550_000.0 for r in rates]

    def exact() -> cc.Assessment:
        return cc.apportion("550000.00", states, scale=scale)

    def exact_bounded() -> cc.Assessment:
        return cc.apportion("550000.00", states, scale=scale, ceiling="22", floor="0.01")

    def allocation_only() -> dict[str, int]:
        return cc.allocate(55_000_000, {s: scale.units[s] for s in states})

    runs = {
        "float baseline": baseline,
        "allocate (largest remainder)": allocation_only,
        "apportion (pro rata)": exact,
        "apportion (ceiling + floor)": exact_bounded,
    }
    print(f"130 states, cores: {os.cpu_count()}")
    base_time = None
    for name, func in runs.items():
        number, total_time = timeit.Timer(func).autorange()
        per_call = total_time / number
        base_time = base_time or per_call
        print(f"{name:32s} {per_call * 1e6:10.1f} us/call   x{per_call / base_time:8.1f} baseline")


if __name__ == "__main__":
    main()
