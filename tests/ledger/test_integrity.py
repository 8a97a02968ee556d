"""The ledger's integrity: seals over every row find a byte changed by another program, the
triggers are checked on open, an old ledger migrates, a read-only file is named."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from ledger_strategies import assessment

import ccm_costs as cc
from ccm_costs.ledger import Ledger, LedgerError, Payment
from ccm_costs.ledger._schema import APPLICATION, APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

D = dt.date


@pytest.fixture
def path(tmp_path: Path) -> Path:
    with Ledger.open(tmp_path / "ccm.sqlite") as ledger:
        ledger.record_assessment(
            assessment(["AUT", "BEL"], 100_000), meeting="M", issued=D(2024, 1, 1)
        )
        ledger.import_payments([Payment("R1", "AUT", D(2024, 2, 1), 5_000, "USD")])
        ledger.void(1, reason="wrong", on=D(2024, 3, 1))
    return tmp_path / "ccm.sqlite"


def edit(path: Path, *statements: str) -> None:
    """Change the file as another program would: around the triggers."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in statements:
            conn.execute(statement)
    finally:
        conn.close()


def test_an_intact_ledger_verifies(path: Path) -> None:
    with Ledger.open(path) as ledger:
        assert ledger.verify() == []


def test_an_amount_changed_by_another_program_is_found(path: Path) -> None:
    edit(
        path,
        "DROP TRIGGER payments_no_update",
        "UPDATE payments SET amount_minor = 500000 WHERE reference = 'R1'",
        "CREATE TRIGGER payments_no_update BEFORE UPDATE ON payments "
        "BEGIN SELECT RAISE(ABORT, 'payments are append-only: record a new version instead of "
        "changing one'); END",
    )
    with pytest.raises(LedgerError, match=r"changed outside ccm_costs: payments row 1 was changed"):
        Ledger.open(path)
    with Ledger.open(path, check=False) as ledger:
        assert ledger.verify() == [
            "payments row 1 was changed after it was recorded (seal 5 does not match)"
        ]


def test_a_byte_changed_in_the_file_is_found(path: Path) -> None:
    data = bytearray(path.read_bytes())
    at = data.index(b"wrong")  # the void's reason, in the file's bytes
    data[at : at + 5] = b"WRONG"
    path.write_bytes(bytes(data))
    with Ledger.open(path, check=False) as ledger:
        assert ledger.verify() == [
            "voids row 1 was changed after it was recorded (seal 6 does not match)"
        ]


def test_rows_deleted_or_added_and_triggers_dropped_are_found(path: Path) -> None:
    edit(
        path,
        "DROP TRIGGER assessment_lines_no_delete",
        "DELETE FROM assessment_lines WHERE iso3 = 'BEL'",
        "INSERT INTO payments (reference, iso3, received, amount_minor, currency, note, "
        "recorded_at) VALUES ('X', 'AUT', '2024-02-02', 1, 'USD', '', '')",
    )
    with Ledger.open(path, check=False) as ledger:
        assert ledger.verify() == [
            "trigger assessment_lines_no_delete is missing: rows of assessment_lines could be "
            "deleted",
            "assessment_lines row 1:BEL was deleted (seal 3)",
            "payments row 2 was not recorded by ccm_costs (it has no seal)",
        ]


def test_a_ledger_of_version_1_opens_and_migrates(tmp_path: Path) -> None:
    old = tmp_path / "v1.sqlite"
    conn = sqlite3.connect(old, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    for statement in MIGRATIONS[0]:
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO meta VALUES (?, ?)",
        [("application", APPLICATION), ("currency", "USD"), ("payment order", "oldest_first")],
    )
    conn.execute(
        "INSERT INTO assessments VALUES (1, 'M', 'M estimate', 'estimate', 'USD', 1000, "
        "'2024-01-01', '2024-01-31', NULL, ?, '2024-01-01T00:00:00+00:00')",
        (json.dumps({"convention": "Convention on Cluster Munitions (CCM)"}),),
    )
    conn.execute("INSERT INTO assessment_lines VALUES (1, 'AUT', 'Austria', NULL, 1000)")
    conn.execute(
        "INSERT INTO payments VALUES (1, 'R1', 'AUT', '2024-01-10', 400, 'USD', '', NULL, '')"
    )
    conn.execute("PRAGMA user_version = 1")
    conn.close()
    with Ledger.open(old, create=False) as ledger:
        assert ledger.verify() == []
        assert ledger.history()[0].convention == "Convention on Cluster Munitions (CCM)"
        assert ledger.history()[0].rules_label == "not recorded"  # a version 1 ledger
        assert ledger.history()[0].rules() is None
        ledger.void(1, reason="migrated", on=D(2024, 2, 1))
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
    assert conn.execute("SELECT count(*) FROM seals").fetchone()[0] == 4  # 3 old rows, the void
    conn.close()


def test_a_read_only_ledger_is_named(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = sqlite3.connect

    def read_only(target: Path, **options: object) -> sqlite3.Connection:
        return real(f"file:{target}?mode=ro", uri=True, **options)  # type: ignore[arg-type]

    before = path.read_bytes()
    monkeypatch.setattr("ccm_costs.ledger._schema.sqlite3.connect", read_only)
    with Ledger.open(path) as ledger, pytest.raises(LedgerError, match=r"is read-only: nothing"):
        ledger.refund("AUT", "1.00")
    assert path.read_bytes() == before


def test_each_assessment_keeps_its_rule_set_sealed(path: Path, tmp_path: Path) -> None:
    rules = cc.rules.load("un-pro-rata").replace(ceiling="60")
    with Ledger.open(tmp_path / "rules.sqlite") as ledger:
        plain = ledger.record_assessment(
            assessment(["AUT", "BEL"], 100_000), meeting="M", issued=D(2024, 1, 1)
        )
        capped = ledger.record_assessment(
            cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024", rules=rules),
            meeting="N",
            issued=D(2024, 1, 1),
        )
        assert (plain.rule_set, plain.rules_label) == ("un-pro-rata", "un-pro-rata")
        assert capped.rules() == rules and capped.rules_label == "un-pro-rata, changed"
        again = cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024", rules=capped.rules())
        assert again.table.amounts == {line.iso3: line.amount_minor for line in capped.lines}
    edit(
        tmp_path / "rules.sqlite",
        "DROP TRIGGER assessment_rules_no_update",
        "UPDATE assessment_rules SET toml = '' WHERE assessment_id = 2",
    )
    with Ledger.open(tmp_path / "rules.sqlite", check=False) as ledger:
        findings = ledger.verify()
    assert "assessment_rules row 2 was changed after it was recorded" in " ".join(findings)
