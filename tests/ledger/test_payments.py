"""Payment files: headers, exact amounts, every problem by row, all or nothing, idempotent,
and real processes that write at once or are killed mid-import."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from ledger_strategies import assessment
from openpyxl import Workbook

from ccm_costs.ledger import Ledger, PaymentImportError, read_payments

D = dt.date


def write_csv(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger.open(tmp_path / "ccm.sqlite")
    ledger.record_assessment(
        assessment(["AUT", "BEL", "KEN"], 300_000), meeting="M", issued=D(2024, 1, 1)
    )
    return ledger


def test_bank_statement_headers_in_any_spelling(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        """
        Value Date;COUNTRY;Amount;CCY;Bank_Reference;Memo
        2024-03-01;Austria;1250.00;usd;FT-1;first part
        2024-03-02;kenya;0.5;USD;FT-2;
        """,
        bom=True,
    )
    found = read_payments(path)
    assert found.problems == ()
    (row1, first), (row2, second) = found.rows
    assert (row1, first.iso3, first.amount_minor, first.currency) == (2, "AUT", 125000, "USD")
    assert first.reference == "FT-1" and first.note == "first part"
    assert (row2, second.iso3, second.amount_minor, second.received) == (
        3,
        "KEN",
        50,
        D(2024, 3, 2),
    )


def test_every_problem_is_listed_with_its_row(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "bad.csv",
        """
        date,state,amount,currency,reference
        2024-03-01,Austria,100.00,USD,R1
        2024-03-01,Atlantis,100.00,USD,R2
        2024-03-01,Belgium,-5.00,USD,R3
        2024-03-01,Belgium,ten,USD,R4
        2024-03-01,Belgium,5.00,EUR,R5
        2024-02-30,Belgium,5.00,USD,R6
        2024-03-01,Belgium,5.001,USD,R7
        2024-03-01,Belgium,5.00,USD,

        2024-03-01,Belgium,0,USD,R9
        """,
    )
    found = read_payments(path, currency="USD")
    assert [p.reference for _, p in found.rows] == ["R1"]
    problems = "\n".join(found.problems)
    expected = [
        "row 3: unknown state 'Atlantis'",
        "row 4: amount '-5.00' is not more than 0",
        "row 5: amount 'ten' is not a number",
        "row 6: currency EUR is not the ledger's (USD)",
        "row 7: date '2024-02-30' is not a date",
        "row 8: amount '5.001' is finer than the rounding unit of USD",
        "row 9: reference is empty",
        "row 11: amount '0' is not more than 0",
    ]
    for text in expected:
        assert text in problems
    assert len(found.problems) == len(expected)


def test_excel_numbers_are_read_as_the_decimal_they_print(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "s.xlsx",
        [
            ["Date", "State", "Amount", "Currency", "Reference"],
            [dt.datetime(2024, 3, 1), "AUT", 12.34, "USD", 1001],
            [D(2024, 3, 2), "BEL", 12.345, "USD", 1002.0],
            ["2024-03-03", "KEN", 7, "USD", "R-3"],
            ["", "", "", "", ""],
            [45000, "KEN", 1, "USD", "R-5"],
        ],
    )
    found = read_payments(path)
    assert [(n, p.amount_minor, p.reference) for n, p in found.rows] == [
        (2, 1234, "1001"),
        (4, 700, "R-3"),
    ]
    assert found.problems[0].startswith("row 3: amount 12.345 is finer than the rounding unit")
    assert found.problems[1].startswith("row 6: date 45000 is not a date")


def test_a_missing_column_names_the_accepted_headers(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "s.csv", "date,state,amount\n2024-01-01,AUT,1\n")
    with pytest.raises(PaymentImportError) as caught:
        read_payments(path)
    assert "no 'currency' column (accepted headers: currency, ccy" in str(caught.value)
    assert "no 'reference' column" in str(caught.value)
    with pytest.raises(PaymentImportError, match="empty"):
        read_payments(write_csv(tmp_path / "e.csv", ""))
    with pytest.raises(PaymentImportError, match=r"(?s)absent\.csv.*the file does not exist"):
        read_payments(tmp_path / "absent.csv")


def test_a_bad_row_rejects_the_file_and_nothing_is_written(ledger: Ledger, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        """
        date,state,amount,currency,reference
        2024-03-01,Austria,100.00,USD,R1
        2024-03-01,Atlantis,100.00,USD,R2
        """,
    )
    before = digest(ledger.path)
    with pytest.raises(PaymentImportError) as caught:
        ledger.import_payments(path)
    assert "nothing recorded, 1 problem(s)" in str(caught.value)
    assert "did you mean" in caught.value.problems[0]
    assert digest(ledger.path) == before and ledger.payments() == []


def test_a_dry_run_of_a_file_writes_nothing(ledger: Ledger, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "s.csv",
        """
        date,state,amount,currency,reference,assessment
        2024-03-01,Austria,100.00,USD,R1,1
        """,
    )
    before = digest(ledger.path)
    result = ledger.import_payments(path, dry_run=True)
    assert [p.applies_to for p in result.recorded] == [1]
    assert "would record 1 payment(s)" in str(result) and "M estimate (#1) 100.00" in str(result)
    assert digest(ledger.path) == before
    assert len(ledger.import_payments(path).recorded) == 1
    again = ledger.import_payments(path)
    assert again.recorded == () and len(again.already_recorded) == 1
    assert len(ledger.payments()) == 1


# -- real processes ----------------------------------------------------------------------------

IMPORTER = """
import sys, time
from pathlib import Path
from ccm_costs.ledger import Ledger
ledger_path, start, csv_path = sys.argv[1:4]
while not Path(start).exists():
    time.sleep(0.01)
with Ledger.open(ledger_path, create=False) as ledger:
    result = ledger.import_payments(csv_path)
print(len(result.recorded), len(result.already_recorded))
"""


def payments_csv(path: Path, prefix: str, count: int) -> Path:
    rows = [f"2024-03-{1 + n % 28:02d},AUT,1.{n:02d},USD,{prefix}-{n}" for n in range(count)]
    return write_csv(path, "date,state,amount,currency,reference\n" + "\n".join(rows) + "\n")


def test_processes_importing_at_once_lose_nothing(ledger: Ledger, tmp_path: Path) -> None:
    start = tmp_path / "go"
    script = tmp_path / "importer.py"
    script.write_text(IMPORTER)
    files = {
        "A": payments_csv(tmp_path / "a.csv", "A", 40),
        "B": payments_csv(tmp_path / "b.csv", "B", 40),
        "C": payments_csv(tmp_path / "c.csv", "C", 40),
        "B2": payments_csv(tmp_path / "b2.csv", "B", 40),  # the same payments as B
    }
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(ledger.path), str(start), str(path)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for path in files.values()
    ]
    time.sleep(0.5)
    start.touch()
    outputs = [p.communicate(timeout=120) for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    counts = sorted(tuple(map(int, out.split())) for out, _ in outputs)
    assert counts == [(0, 40), (40, 0), (40, 0), (40, 0)]  # B or B2 found the other's work
    assert len(ledger.payments()) == 120


def test_processes_recording_assessments_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"  # created by whichever process gets there first
    start = tmp_path / "go"
    script = textwrap.dedent(
        """
        import sys, time, datetime as dt
        from pathlib import Path
        import ccm_costs as cc
        from ccm_costs.ledger import Ledger
        while not Path(sys.argv[2]).exists():
            time.sleep(0.01)
        a = cc.apportion("100.00", ["AUT", "BEL"], scale="2019-2021")
        for n in range(15):
            with Ledger.open(sys.argv[1]) as ledger:
                ledger.record_assessment(a, meeting=f"{sys.argv[3]}{n}")
        """
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(start), name])
        for name in ("P", "Q", "R")
    ]
    time.sleep(0.5)
    start.touch()
    assert [p.wait(timeout=120) for p in processes] == [0, 0, 0]
    with Ledger.open(path, create=False) as ledger:
        meetings = sorted(a.meeting for a in ledger.history())
    assert meetings == sorted(f"{p}{n}" for p in "PQR" for n in range(15))


KILLED = """
import sys, time
from pathlib import Path
import ccm_costs.ledger._store as ledger_module
real = ledger_module._insert_payment
def insert_then_hang(conn, payment, recorded_at):
    real(conn, payment, recorded_at)
    if payment.reference.endswith("-5"):  # mid-import: five rows written, not committed
        Path(sys.argv[2]).touch()
        time.sleep(300)
ledger_module._insert_payment = insert_then_hang
with ledger_module.Ledger.open(sys.argv[1], create=False) as ledger:
    ledger.import_payments(sys.argv[3])
"""


def test_a_process_killed_mid_import_leaves_the_ledger_as_it_was(
    ledger: Ledger, tmp_path: Path
) -> None:
    ledger.import_payments(payments_csv(tmp_path / "first.csv", "OLD", 3))
    ledger.close()
    before = digest(ledger.path)
    started = tmp_path / "inside"
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(ledger.path), str(started),
         str(payments_csv(tmp_path / "s.csv", "NEW", 10))]
    )  # fmt: skip
    try:
        for _ in range(6000):
            if started.exists() or child.poll() is not None:
                break
            time.sleep(0.01)
        assert started.exists(), "the child never reached the middle of the import"
        child.kill()  # SIGKILL: no cleanup, no rollback by the process itself
    finally:
        child.wait(timeout=60)
    assert child.returncode == -9 if os.name == "posix" else child.returncode != 0
    with Ledger.open(ledger.path, create=False) as reopened:  # rolls the hot journal back
        assert [p.reference for p in reopened.payments()] == ["OLD-0", "OLD-1", "OLD-2"]
    assert digest(ledger.path) == before
    with Ledger.open(ledger.path, create=False) as reopened:  # and the lock is free
        assert len(reopened.import_payments(tmp_path / "s.csv").recorded) == 10
