"""Seals: a hash chain over every row the ledger stores, so a byte changed by another program
is found.

Triggers refuse an UPDATE or DELETE through SQLite, but another program can drop them, or edit
the file's bytes. So every write transaction ends by sealing the rows it added: each new row
gets an entry in ``seals`` whose digest is SHA-256 over the previous entry's digest, the table,
the row's key and the row's values. :func:`seal_findings` replays the chain: a row whose values
changed, a row missing, a row with no seal (added by another program) or a seal changed are
each one finding. The chain has no secret: it finds accidents and careless edits, not a forger
who recomputes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

GENESIS = "ccm_costs ledger"
KEYS = {
    "assessments": "id",
    "assessment_lines": "assessment_id || ':' || iso3",
    "assessment_rules": "assessment_id",
    "payments": "id",
    "voids": "assessment_id",
    "credit_moves": "id",
}
"""Sealed table -> the SQL expression of a row's key (stable under VACUUM, unlike rowid)."""


def _digest(previous: str, table: str, key: str, values: tuple[object, ...]) -> str:
    text = json.dumps([previous, table, key, list(values)], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _rows(conn: sqlite3.Connection, table: str, where: str = "") -> list[tuple[object, ...]]:
    """(key, *values) of the table's rows, in key order."""
    key = KEYS[table]
    return conn.execute(f"SELECT {key}, * FROM {table} {where} ORDER BY {key}").fetchall()


def seal(conn: sqlite3.Connection) -> None:
    """Seal the rows not yet sealed; called inside each write transaction, before COMMIT."""
    last = conn.execute("SELECT digest FROM seals ORDER BY seq DESC LIMIT 1").fetchone()
    previous = last[0] if last else GENESIS
    entries = []
    for table, key in KEYS.items():
        unsealed = (
            "WHERE NOT EXISTS (SELECT 1 FROM seals s "
            f"WHERE s.tbl = '{table}' AND s.key = CAST({key} AS TEXT))"
        )
        for row_key, *values in _rows(conn, table, unsealed):
            previous = _digest(previous, table, str(row_key), tuple(values))
            entries.append((table, str(row_key), previous))
    conn.executemany("INSERT INTO seals (tbl, key, digest) VALUES (?, ?, ?)", entries)


def seal_findings(conn: sqlite3.Connection) -> list[str]:
    """What does not match its seal, one line per row (empty when the ledger is intact)."""
    rows = {
        (table, str(row_key)): tuple(values)
        for table in KEYS
        for row_key, *values in _rows(conn, table)
    }
    findings: list[str] = []
    previous = GENESIS
    sealed = set()
    for seq, table, key, digest in conn.execute(
        "SELECT seq, tbl, key, digest FROM seals ORDER BY seq"
    ):
        sealed.add((table, key))
        where = f"{table} row {key}"
        if (table, key) not in rows:
            findings.append(f"{where} was deleted (seal {seq})")
        elif _digest(previous, table, key, rows[(table, key)]) != digest:
            findings.append(
                f"{where} was changed after it was recorded (seal {seq} does not match)"
            )
        previous = digest
    findings += [
        f"{table} row {key} was not recorded by ccm_costs (it has no seal)"
        for table, key in rows
        if (table, key) not in sealed
    ]
    return findings
