"""What the command line writes: never onto one of its own inputs (the ledger above all, with
or without ``--force``), and over an existing file only with ``--force``. In process."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccm_costs._cli.main import main

MEETING = """
[[meetings]]
id = "M1"
name = "A meeting"
first_day = 2024-09-10
total = "1000.00"
"""


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(arg) for arg in args])
    return code, capsys.readouterr().err


def test_an_existing_output_needs_force(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "a.csv"
    out.write_text("keep me")
    code, err = _run(capsys, "assess", "12MSP", "--total", "500000.00", "-o", out)
    assert code == 2
    assert err == (
        f"ccm-costs: error: --output {out} exists: add --force to replace it, or choose "
        "another name (nothing was written)\n"
    )
    assert out.read_text() == "keep me"
    code, _ = _run(capsys, "assess", "12MSP", "--total", "500000.00", "-o", out, "--force")
    assert code == 0
    assert out.read_text().startswith("iso3,")


@pytest.mark.parametrize("command", ["status", "export"])
@pytest.mark.parametrize("force", [[], ["--force"]])
def test_no_ledger_command_writes_onto_its_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, force: list[str]
) -> None:
    ledger = tmp_path / "l.sqlite"
    code, err = _run(capsys, "ledger", "record", ledger, "12MSP", "--total", "500000.00")
    assert code == 0, err
    before = ledger.read_bytes()
    code, err = _run(capsys, "ledger", command, ledger, "-o", ledger, *force)
    assert code == 2
    assert err == (
        f"ccm-costs: error: --output {ledger} is the ledger this command reads: choose "
        "another file to write (nothing was written)\n"
    )
    assert ledger.read_bytes() == before
    same = tmp_path / "." / "l.sqlite"  # another spelling of the same file
    code, err = _run(capsys, "ledger", command, ledger, "-o", same, "--force")
    assert code == 2 and "is the ledger this command reads" in err


def test_no_output_onto_the_meetings_file_or_the_workbook_checked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meetings = tmp_path / "m.toml"
    meetings.write_text(MEETING)
    code, err = _run(capsys, "assess", "M1", "--file", meetings, "-o", meetings, "--force")
    assert code == 2 and "is the input file this command reads" in err
    assert meetings.read_text() == MEETING
    book = tmp_path / "a.xlsx"
    assert _run(capsys, "assess", "12MSP", "--total", "500000.00", "-o", book)[0] == 0
    before = book.read_bytes()
    code, err = _run(capsys, "check", book, "--total", "500000.00", "-o", book, "--force")
    assert code == 2 and "is the workbook this command reads" in err
    assert book.read_bytes() == before


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["assess", "12MSP", "--total", "1", "-o", "a.pdf"], "this command writes table, csv"),
        (["periods", "-o", "p.pdf"], "not pdf"),
        (["scale", "2020", "-o", "s.json.pdf"], "not pdf"),
        (["assess", "12MSP", "--total", "1", "--format", "csv", "-o", "a.xlsx"], "make them agree"),
    ],
)
def test_an_output_is_written_as_its_suffix_says_or_refused(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, err = _run(capsys, *args)
    assert code == 2 and words in err
    assert not list(tmp_path.iterdir())
