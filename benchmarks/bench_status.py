"""How long the status of contributions takes on a ledger of 40 assessments of the 112 States
Parties of 12MSP and 2,000 payments (issue 16).

Run: ``python benchmarks/bench_status.py``. The snapshot (the SQLite reads and the payment
rule) is taken once; the time is :func:`status_of_contributions` of it (every view, the
ageing), the best of 20 calls. Before issue 16 most of it went in ``dataclasses.asdict``.
No test asserts on these times.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

import ccm_costs as cc
from ccm_costs.ledger import Ledger, Payment


def main() -> None:
    assessment = cc.assess(cc.get_meeting("12MSP"), total="500000.00")
    codes = [line.iso3 for line in assessment.lines]
    with tempfile.TemporaryDirectory() as folder, Ledger.open(Path(folder) / "b.sqlite") as ledger:
        for n in range(40):
            day = dt.date(2020, 1, 1) + dt.timedelta(days=30 * n)
            ledger.record_assessment(assessment, meeting=f"M{n}", issued=day)
        ledger.import_payments(
            [
                Payment(
                    f"R{n}",
                    codes[n % len(codes)],
                    dt.date(2020, 2, 1) + dt.timedelta(days=n % 1000),
                    10_000 + n,
                    "USD",
                )
                for n in range(2000)
            ],
            confirm_dates=True,
        )
        snapshot = ledger.snapshot(dt.date(2024, 1, 1))
    times = []
    for _ in range(20):
        start = time.perf_counter()
        cc.status_of_contributions(snapshot)
        times.append(time.perf_counter() - start)
    print(
        f"status_of_contributions: {len(snapshot.in_force)} assessments x {len(codes)} states, "
        f"{len(snapshot.payments)} payments: best of 20 {min(times) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
