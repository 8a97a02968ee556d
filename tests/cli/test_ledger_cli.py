"""``ccm-costs ledger`` in subprocesses: record, import (dry run), status, history, export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccm_costs", "ledger", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An estimate and a final assessment of 12MSP, and two payments."""
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "ccm.sqlite"
    estimate = run("record", path, "12MSP", "--total", "500000.00", "--issued", "2024-06-03")
    assert estimate.returncode == 0, estimate.stderr
    assert estimate.stdout.startswith("recorded No. 1: 12MSP estimate, 500,000.00 USD over 112")
    final = run("record", path, "12MSP", "--total", "480000.00", "--observers", "Angola,Kenya",
        "--kind", "final", "--supersedes", "1", "--issued", "2024-11-15",
    )  # fmt: skip
    assert final.returncode == 0, final.stderr
    assert "due 2024-12-15, superseding No. 1" in final.stdout
    statement = folder / "statement.csv"
    statement.write_text(
        "Value Date,Country,Amount,Currency,Reference\n"
        "2024-06-20,Austria,10000.00,USD,B-1\n"
        "2024-12-01,France,30000.00,USD,B-2\n"
    )
    imported = run("import", path, statement)
    assert imported.returncode == 0, imported.stderr
    return path


def test_help_explains_each_subcommand_with_an_example() -> None:
    overview = run("--help").stdout
    assert all(c in overview for c in ("record", "import", "status", "history", "export"))
    for command, option in (("record", "--supersedes"), ("import", "--dry-run")):
        result = run(command, "--help")
        assert result.returncode == 0 and option in result.stdout
        assert "example" in result.stdout and "ccm-costs ledger" in result.stdout


def test_dry_run_shows_what_would_be_settled_and_records_nothing(
    ledger: Path, tmp_path: Path
) -> None:
    statement = tmp_path / "more.csv"
    statement.write_text("date,state,amount,currency,reference\n2025-01-05,KEN,1.00,USD,B-9\n")
    result = run("import", ledger, statement, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "would record 1 payment(s)" in result.stdout and "12MSP final (#2) 1.00" in result.stdout
    kenya = run("status", ledger, "--as-at", "2025-02-01", "--format", "csv").stdout
    assert next(r for r in kenya.splitlines() if r.startswith("KEN,")).split(",")[3] == "0.00"


def test_importing_the_same_file_twice_records_it_once(ledger: Path, tmp_path: Path) -> None:
    statement = tmp_path / "same.csv"
    statement.write_text("date,state,amount,currency,reference\n2024-06-20,AUT,10000.00,USD,B-1\n")
    result = run("import", ledger, statement)
    assert result.returncode == 0
    assert "recorded 0 payment(s)" in result.stdout and "already recorded" in result.stdout


@pytest.mark.slow
def test_status_table_csv_and_json(ledger: Path) -> None:
    table = run("status", ledger, "--as-at", "2025-01-31")
    assert table.returncode == 0, table.stderr
    assert "1 state(s) paid in full, 1 part paid, 112 not paid" in table.stdout
    assert "as at: 2025-01-31" in table.stdout
    rows = run("status", ledger, "--as-at", "2025-01-31", "--format", "csv").stdout.splitlines()
    assert rows[0] == (
        "iso3,state,assessed,received,outstanding,credit,unapplied,days_overdue,status"
    )
    austria = next(r for r in rows if r.startswith("AUT,"))
    assert austria.split(",")[3:6] == ["10000.00", "0.00", "2782.67"]
    document = json.loads(
        run("status", ledger, "--as-at", "2025-01-31", "--by", "year", "--format", "json").stdout
    )
    assert document["rows"] == [
        {
            "year": 2024,
            "assessed": "480000.00",
            "received": "37217.33",
            "outstanding": "442782.67",
            "credit": "0.00",
            "unapplied": "0.00",
        },
        {  # a credit held counts in the year of the status date: the views add up
            "year": 2025,
            "assessed": "0.00",
            "received": "2782.67",
            "outstanding": "0.00",
            "credit": "2782.67",
            "unapplied": "0.00",
        },
    ]
    early = run("status", ledger, "--as-at", "2024-07-01", "--by", "assessment", "--format", "csv")
    rows = [line.split(",") for line in early.stdout.splitlines()[1:]]
    assert {row[0] for row in rows} == {"0", "1"}  # No. 1, and Austria's credit (No. 0)
    assert [row[4] for row in rows if row[0] == "0"] == ["credit"]


@pytest.mark.slow
def test_history_and_export(ledger: Path, tmp_path: Path) -> None:
    history = run("history", ledger)
    assert "superseded by No. 2" in history.stdout and "in force" in history.stdout
    result = run("export", ledger, "-o", tmp_path / "ledger.xlsx", "--as-at", "2025-01-31")
    assert result.returncode == 0, result.stderr
    assert "Applications" in load_workbook(tmp_path / "ledger.xlsx").sheetnames
    xlsx = run("status", ledger, "-o", tmp_path / "status.xlsx")
    assert xlsx.returncode == 0 and (tmp_path / "status.xlsx").exists()


@pytest.mark.slow
def test_bad_input_is_one_error_line_and_exit_2(ledger: Path, tmp_path: Path) -> None:
    missing = run("status", tmp_path / "none.sqlite")
    assert missing.returncode == 2
    assert missing.stderr.startswith("ccm-costs: error: no ledger at")
    assert "Traceback" not in missing.stderr
    noise = tmp_path / "noise.sqlite"
    noise.write_bytes(b"not a database at all" * 100)
    foreign = run("status", noise)
    assert foreign.returncode == 2 and "not an SQLite database" in foreign.stderr
    twice = run(
        "record", ledger, "12MSP", "--total", "1.00", "--kind", "final", "--supersedes", "1"
    )
    assert twice.returncode == 2 and "already superseded by #2" in twice.stderr


def test_a_bad_file_lists_every_problem_and_records_nothing(ledger: Path, tmp_path: Path) -> None:
    before = ledger.read_bytes()
    statement = tmp_path / "bad.csv"
    statement.write_text(
        "date,state,amount,currency,reference\n"
        "2025-01-05,Atlantis,1.00,USD,X-1\n"
        "2025-01-05,KEN,1.00,EUR,X-2\n"
        "2025-01-05,KEN,1.001,USD,X-3\n"
    )
    result = run("import", ledger, statement)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines[0].startswith("ccm-costs: error:") and "3 problem(s)" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == ["- row 2", "- row 3", "- row 4"]
    assert ledger.read_bytes() == before


def test_void_refund_transfer_verify_and_a_second_bill(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite"
    record = ("record", path, "12MSP", "--total", "500000.00", "--issued", "2024-06-03")
    assert run(*record).returncode == 0
    again = run(*record)
    assert again.returncode == 2 and "add --duplicate-ok" in again.stderr
    second = run(*record, "--duplicate-ok")
    assert second.returncode == 0 and second.stdout.startswith("recorded No. 2")
    void = run("void", path, "2", "--reason", "sent twice", "--on", "2024-06-04")
    assert void.stdout == "voided No. 2 on 2024-06-04: sent twice\n", void.stderr
    history = run("history", path, "--format", "csv").stdout
    assert "void on 2024-06-04: sent twice" in history
    statement = tmp_path / "s.csv"
    statement.write_text(
        'date,state,amount,currency,reference\n2024-06-20,Austria,"10,000.00",USD,B-1\n'
    )
    dry = run("import", path, statement, "--dry-run")
    assert "'Austria' -> AUT (Austria)" in dry.stdout
    assert run("import", path, statement).returncode == 0
    refund = run("refund", path, "Austria", "100.00", "--on", "2024-07-01")
    assert refund.stdout.startswith("recorded refund No. 1: 100.00 USD of AUT's credit"), refund
    moved = run("transfer", path, "AUT", "50.00", "--to-convention", "APMBC", "--on", "2024-07-01")
    assert "to apmbc on 2024-07-01" in moved.stdout, moved.stderr
    ageing = run("status", path, "--as-at", "2024-11-16", "--by", "ageing", "--format", "csv")
    header, *rows = ageing.stdout.splitlines()
    assert header.split(",")[:5] == ["iso3", "state", "outstanding", "current", "overdue_1_30"]
    belgium = next(r.split(",") for r in rows if r.startswith("BEL,"))
    assert belgium[-1] == "136"
    verified = run("verify", path)
    assert verified.returncode == 0 and "intact" in verified.stdout
