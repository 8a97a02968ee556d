"""Outputs that cannot be written: a text longer than an Excel cell, a folder, a missing
folder, a read-only file, and a full disk (a file size limit, in a subprocess). The error names
the file; the file is as it was (absent, or the old one) and no partial file is left."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from corpus import Case, check, snapshot

import ccm_costs as cc

OLD = b"the old file, which a failed write must leave as it is"


def assessment(name: str = "12MSP") -> cc.Assessment:
    meeting = cc.Meeting(name=name, dates=["2024-09-10"], total="1000.00")
    return cc.assess(meeting)


CASES = [
    Case(
        "a meeting name longer than a cell holds",
        lambda d: cc.write_workbook(d / "a.xlsx", assessment("x" * 40_000)),
        cc.InvalidInputError,
        ("longer than an Excel cell holds (32,767 characters)", "40,024 characters", "not written"),
    ),
    Case(
        "a long name over an old workbook",
        lambda d: cc.write_workbook(d / "a.xlsx", assessment("x" * 40_000)),
        cc.InvalidInputError,
        ("32,767",),
        {"a.xlsx": OLD},
    ),
    Case(
        "a sheet label longer than a cell holds",
        lambda d: cc.write_workbook(d / "a.xlsx", {"y" * 33_000: assessment()}),
        cc.InvalidInputError,
        ("32,767",),
    ),
    Case(
        "a folder as the workbook",
        lambda d: cc.write_workbook(d, assessment()),
        IsADirectoryError,
        ("is a folder",),
    ),
    Case(
        "a folder that does not exist",
        lambda d: cc.write_workbook(d / "no" / "a.xlsx", assessment()),
        FileNotFoundError,
        ("not written", "No such file or directory"),
    ),
    Case(
        "no assessment",
        lambda d: cc.write_workbook(d / "a.xlsx", []),
        cc.InvalidInputError,
        ("no assessment to write",),
    ),
    Case(
        "not an assessment",
        lambda d: cc.write_workbook(d / "a.xlsx", {"A": 1}),  # type: ignore[dict-item]
        cc.InvalidInputError,
        ("not an Assessment: 'A'",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_output(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_a_read_only_workbook_is_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    path.write_bytes(OLD)
    path.chmod(0o444)
    with pytest.raises(PermissionError, match="read-only"):
        cc.write_workbook(path, assessment())
    assert path.read_bytes() == OLD and snapshot(tmp_path) == {"a.xlsx": OLD}


def _full_disk(limit: int) -> None:
    """In the child: files may not grow beyond ``limit`` bytes (a full disk, as the write
    sees it: EFBIG), and the signal that would kill the process is ignored."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def _run_on_a_full_disk(args: list[str], folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=lambda: _full_disk(4096),
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def test_a_full_disk_leaves_the_old_workbook_and_no_partial_file(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_bytes(OLD)
    code = (
        "import ccm_costs as cc\n"
        "a = cc.apportion('1000.00', ['AUT', 'BEL'], scale='2022-2024')\n"
        "try:\n"
        "    cc.write_workbook('a.xlsx', a)\n"
        "except OSError as err:\n"
        "    print(err.filename, '|', err.strerror)\n"
    )
    result = _run_on_a_full_disk(["-c", code], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "a.xlsx | not written: File too large"
    assert snapshot(tmp_path) == {"a.xlsx": OLD}


@pytest.mark.parametrize("output", ["out.xlsx", "out.csv"])
def test_a_full_disk_on_the_command_line(tmp_path: Path, output: str) -> None:
    (tmp_path / output).write_bytes(OLD)
    result = _run_on_a_full_disk(
        ["-m", "ccm_costs", "assess", "12MSP", "--total", "500000.00", "-o", output, "--force"],
        tmp_path,
    )
    assert result.returncode == 2
    assert result.stderr == f"ccm-costs: error: {output}: not written: File too large\n"
    assert snapshot(tmp_path) == {output: OLD}
