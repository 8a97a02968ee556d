"""The ledger's SQLite file: schema, migrations, and the checks that refuse a file that is not
a ccm_costs ledger (random bytes, another application's database, a damaged or newer file).

The file says what it is twice: ``PRAGMA application_id`` (:data:`APPLICATION_ID`) and a ``meta``
table. ``PRAGMA user_version`` is the number of migrations applied; each migration is a list of
SQL statements, applied in order in one ``BEGIN IMMEDIATE`` transaction with the version bump.
Tables are ``STRICT`` (an INTEGER column refuses a REAL), money columns are INTEGER minor units,
and triggers make every table but ``meta`` append-only. Version 2 adds voids, credit moves
(refunds and transfers) and the seals of :mod:`._seals` (a hash chain over every stored row);
opening a ledger checks that the triggers are the ones created here and that the chain holds.
Version 3 keeps the rule set of every assessment recorded (its id and its TOML, which
``cc.rules.from_toml`` reads back), so that any assessment can be recomputed as it was made.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import LedgerError
from ._seals import seal

APPLICATION_ID = 0x43434D4C  # "CCML"
APPLICATION = "ccm_costs ledger"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 60_000


def _append_only(table: str) -> list[str]:
    message = f"{table} are append-only: record a new version instead of changing one"
    return [
        f"CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
        for event in ("UPDATE", "DELETE")
    ]


MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
        """CREATE TABLE assessments (
            id INTEGER PRIMARY KEY,
            meeting TEXT NOT NULL CHECK (meeting <> ''),
            label TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('estimate', 'final', 'correction')),
            currency TEXT NOT NULL,
            total_minor INTEGER NOT NULL CHECK (total_minor >= 0),
            issued TEXT NOT NULL CHECK (issued = date(issued)),
            due TEXT NOT NULL CHECK (due = date(due) AND due >= issued),
            supersedes INTEGER UNIQUE REFERENCES assessments (id),
            provenance TEXT NOT NULL CHECK (json_valid(provenance)),
            recorded_at TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE assessment_lines (
            assessment_id INTEGER NOT NULL REFERENCES assessments (id),
            iso3 TEXT NOT NULL CHECK (length(iso3) = 3),
            state TEXT NOT NULL,
            role TEXT,
            amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
            PRIMARY KEY (assessment_id, iso3)
        ) STRICT""",
        """CREATE TABLE payments (
            id INTEGER PRIMARY KEY,
            reference TEXT NOT NULL UNIQUE CHECK (reference <> ''),
            iso3 TEXT NOT NULL CHECK (length(iso3) = 3),
            received TEXT NOT NULL CHECK (received = date(received)),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            currency TEXT NOT NULL,
            note TEXT NOT NULL,
            applies_to INTEGER REFERENCES assessments (id),
            recorded_at TEXT NOT NULL
        ) STRICT""",
        "CREATE INDEX payments_by_state ON payments (iso3, received)",
        *_append_only("assessments"),
        *_append_only("assessment_lines"),
        *_append_only("payments"),
    ),
    (
        """CREATE TABLE voids (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id),
            reason TEXT NOT NULL CHECK (trim(reason) <> ''),
            voided TEXT NOT NULL CHECK (voided = date(voided)),
            recorded_at TEXT NOT NULL
        ) STRICT""",
        """CREATE TABLE credit_moves (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('refund', 'transfer')),
            iso3 TEXT NOT NULL CHECK (length(iso3) = 3),
            moved TEXT NOT NULL CHECK (moved = date(moved)),
            amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
            to_assessment INTEGER REFERENCES assessments (id),
            to_convention TEXT CHECK (to_convention <> ''),
            note TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            CHECK (kind = 'refund' AND to_assessment IS NULL AND to_convention IS NULL
                   OR kind = 'transfer' AND (to_assessment IS NULL) <> (to_convention IS NULL))
        ) STRICT""",
        """CREATE TABLE seals (
            seq INTEGER PRIMARY KEY,
            tbl TEXT NOT NULL,
            key TEXT NOT NULL,
            digest TEXT NOT NULL,
            UNIQUE (tbl, key)
        ) STRICT""",
        *_append_only("voids"),
        *_append_only("credit_moves"),
        *_append_only("seals"),
    ),
    (
        """CREATE TABLE assessment_rules (
            assessment_id INTEGER PRIMARY KEY REFERENCES assessments (id),
            rule_set TEXT NOT NULL CHECK (rule_set <> ''),
            toml TEXT NOT NULL
        ) STRICT""",
        *_append_only("assessment_rules"),
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)
TABLES = frozenset(
    {
        "meta",
        "assessments",
        "assessment_lines",
        "assessment_rules",
        "payments",
        "voids",
        "credit_moves",
        "seals",
    }
)
TRIGGERS = {
    statement.split()[2]: statement
    for step in MIGRATIONS
    for statement in step
    if statement.startswith("CREATE TRIGGER")
}
"""Trigger name -> the statement that created it (the ledger's append-only guarantee)."""


def connect(path: Path, *, create: bool, meta: dict[str, str]) -> sqlite3.Connection:
    """Open the ledger at ``path``, creating or migrating it; refuse anything else.

    ``meta`` is written when the file is created (currency, payment order).
    """
    if not path.exists() and not create:
        raise LedgerError(
            f"no ledger at {path}: record an assessment first to create one "
            "(ccm-costs ledger record ...)"
        )
    _check_header(path, create=create)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as err:
        raise LedgerError(f"cannot open the ledger {path}: {err}") from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA foreign_keys = ON")
        _check_identity(conn, path)
        _migrate(conn, path, meta, create=create)
        _check_integrity(conn, path)
    except sqlite3.DatabaseError as err:
        conn.close()
        raise LedgerError(f"{path} is damaged or not a ccm_costs ledger ({err})") from None
    except BaseException:
        conn.close()
        raise
    return conn


def _check_header(path: Path, *, create: bool) -> None:
    if not path.exists():
        return
    with path.open("rb") as file:
        head = file.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        new = ", or a new file name to create one" if create else ""
        raise LedgerError(
            f"{path} is not a ccm_costs ledger: it is not an SQLite database. "
            f"Give the path of a ledger{new}"
        )


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    # One read transaction: read one by one, a process creating the ledger at the same time
    # could commit between the reads (application id 0 from before, tables from after), and
    # a ledger being created would look like another application's database.
    conn.execute("BEGIN DEFERRED")
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
    finally:
        conn.execute("COMMIT")
    if app_id == 0 and not tables:
        return  # a new, empty file: _migrate creates the ledger
    if app_id != APPLICATION_ID:
        listing = ", ".join(sorted(tables)[:5]) or "none"
        raise LedgerError(
            f"{path} is an SQLite database of another application (application id {app_id}, "
            f"tables: {listing}), not a ccm_costs ledger; give another file name"
        )
    if version > SCHEMA_VERSION:
        raise LedgerError(
            f"{path} is a ledger of schema version {version}, written by a newer ccm_costs "
            f"(this one reads up to version {SCHEMA_VERSION}); upgrade ccm_costs"
        )


def _migrate(conn: sqlite3.Connection, path: Path, meta: dict[str, str], *, create: bool) -> None:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == SCHEMA_VERSION:
        return
    if version == 0 and not create:
        raise LedgerError(f"{path} is an empty file, not a ledger: record an assessment first")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another may have won
        if version == 0:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        for step in MIGRATIONS[version:]:
            for statement in step:
                conn.execute(statement)
        if version == 0:
            conn.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [("application", APPLICATION), *meta.items()],
            )
        seal(conn)  # rows of an older version are sealed as they are found
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check_integrity(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise LedgerError(
            f"{path} is damaged ({'; '.join(problems[:3])}); restore it from a backup"
        )
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = TABLES - tables
    found = None if missing else conn.execute("SELECT value FROM meta WHERE key = 'application'")
    if found is None or found.fetchone() != (APPLICATION,):
        raise LedgerError(
            f"{path} is damaged: its ledger tables or identity are missing "
            f"({', '.join(sorted(missing)) or 'meta'}); restore it from a backup"
        )


def trigger_findings(conn: sqlite3.Connection) -> list[str]:
    """The append-only triggers missing or changed (by another program), one line each."""
    found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    findings = [
        f"trigger {name} is missing: rows of {name.split('_no_')[0]} could be "
        + ("deleted" if name.endswith("_no_delete") else "changed")
        for name in TRIGGERS
        if name not in found
    ]
    findings += [
        f"trigger {name} was changed by another program"
        for name, sql in found.items()
        if name in TRIGGERS and sql != TRIGGERS[name]
    ]
    findings += [
        f"trigger {name} is not one of the ledger's" for name in found if name not in TRIGGERS
    ]
    return findings
