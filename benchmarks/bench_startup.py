"""Start-up: ``import ccm_costs`` and the CLI, against ``python -c pass`` in the same run.

Run: ``python benchmarks/bench_startup.py [--baseline REF] [--repeat N]``. Each command is run
N times in a fresh process, the commands in turn (after a first run that writes the bytecode
cache), and the median wall time is printed with its ratio to ``python -c pass`` measured in
the same run. With ``--baseline REF`` (a commit, e.g. the last one before the reshape), the
same commands are timed on that version too (checked out with ``git worktree`` in a temporary
folder and run from its source tree), and the speed-up is printed. No test asserts on these
times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "import ccm_costs": ["-c", "import ccm_costs"],
    "ccm-costs --help": ["-m", "ccm_costs", "--help"],
    "ccm-costs periods": ["-m", "ccm_costs", "periods"],
    "ccm-costs assess 12MSP --total 500000.00": [
        "-m", "ccm_costs", "assess", "12MSP", "--total", "500000.00",
    ],
}  # fmt: skip


def timings(source: Path, repeat: int) -> dict[str, float]:
    """Median wall time in seconds of each command, ``python ARGS`` with ``source/src``
    first on the path, after one run of each that writes the bytecode cache (as any installed
    copy has it; an environment with ``PYTHONDONTWRITEBYTECODE`` would otherwise compile
    every module on every run). The commands are run in turn, ``repeat`` rounds of all of
    them: the machine's speed drifts within a run, and a ratio of times taken apart drifts
    with it."""
    env = {**os.environ, "PYTHONPATH": str(source / "src")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)

    def run(args: Sequence[str]) -> float:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *args], env=env, cwd=source, check=True, capture_output=True
        )
        return time.perf_counter() - start

    for args in COMMANDS.values():
        run(args)
    times: dict[str, list[float]] = {label: [] for label in COMMANDS}
    for _ in range(repeat):
        for label, args in COMMANDS.items():
            times[label].append(run(args))
    return {label: statistics.median(values) for label, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--baseline", help="a git commit to compare with, e.g. e2623b8")
    parser.add_argument("--repeat", type=int, default=7, help="runs per command (median)")
    args = parser.parse_args()

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, median of {args.repeat}")
    current = timings(REPO, args.repeat)
    old: dict[str, float] | None = None
    if args.baseline:
        with tempfile.TemporaryDirectory() as folder:
            tree = Path(folder) / "baseline"
            subprocess.run(
                ["git", "worktree", "add", "--detach", str(tree), args.baseline],
                cwd=REPO, check=True, capture_output=True,
            )  # fmt: skip
            try:
                old = timings(tree, args.repeat)
            finally:
                subprocess.run(
                    ["git", "worktree", "remove", "--force", str(tree)],
                    cwd=REPO, check=True, capture_output=True,
                )  # fmt: skip
    floor = current["python -c pass"]
    header = f"{'command':<42} {'time':>8} {'x pass':>7}"
    if old is not None:
        header += f" {'baseline':>9} {'x pass':>7} {'speed-up':>9}"
    print(header)
    for label, seconds in current.items():
        line = f"{label:<42} {seconds * 1000:>6.0f}ms {seconds / floor:>6.1f}x"
        if old is not None:
            before = old[label]
            line += (
                f" {before * 1000:>7.0f}ms {before / old['python -c pass']:>6.1f}x"
                f" {before / seconds:>8.1f}x"
            )
        print(line)


if __name__ == "__main__":
    main()
