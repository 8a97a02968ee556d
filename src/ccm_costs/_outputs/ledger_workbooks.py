"""Workbooks of the ledger, in the style of the assessment workbook: the status of
contributions (by state, by assessment, by year), and the whole ledger (assessments with their
lines, payments, what each payment settled, provenance).

Each sheet has a title block with the "as at" date, a shaded header row, amounts in the
currency's accounting format, a totals row of ``=SUM`` formulas (with the library's values
cached), a frozen header, an autofilter and provenance notes under the table.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import SupportsIndex

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .._core.money import from_minor_units
from ..ledger import ContributionStatus, Ledger, LedgerSnapshot, status_of_contributions
from ..ledger._status import RULES
from .xlsx import (
    TOTAL_BORDER,
    FormulaCache,
    finish_table,
    money_format,
    save_with_cached_values,
    sheet_title,
    write_header,
    write_money,
    write_notes,
    write_number,
    write_text,
    write_title_block,
)

DATE_FORMAT = "yyyy-mm-dd"
Cell = str | int | dt.date | None


@dataclass(frozen=True)
class Column:
    """A column: header, kind (``text``, ``money``, ``int`` or ``date``) and width."""

    header: str
    kind: str
    width: float


@dataclass(frozen=True)
class Table:
    """One sheet's table: its columns, rows, and the notes under it."""

    name: str
    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    notes: Mapping[str, str]


def _write_table(
    wb: Workbook,
    cache: FormulaCache,
    table: Table,
    items: Sequence[tuple[str, str]],
    currency: str,
) -> None:
    ws = wb.create_sheet(sheet_title(wb, table.name))
    wide = 1 if table.columns[0].width >= 20 else 2  # the labels go in a wide column
    header_row = write_title_block(ws, table.title, items, column=wide)
    write_header(ws, header_row, [c.header for c in table.columns])
    first = header_row + 1
    for n, row in enumerate(table.rows):
        for column, (spec, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            if value is None:
                continue
            if spec.kind == "money" and isinstance(value, int):
                write_money(ws, first + n, column, value, currency)
            elif spec.kind == "int" and isinstance(value, int):
                write_number(ws, first + n, column, value, "0")
            elif spec.kind == "date" and isinstance(value, dt.date):
                cell = ws.cell(row=first + n, column=column, value=value)
                cell.number_format = DATE_FORMAT
            else:
                write_text(ws, first + n, column, str(value))
    last = first + len(table.rows) - 1
    total_row = last + 1
    if any(spec.kind == "money" for spec in table.columns):
        _write_totals(ws, cache, table, (first, last), currency)
    write_notes(ws, total_row + 2, table.notes, heading="Provenance")
    finish_table(
        ws, header_row=header_row, last_row=total_row, widths=[c.width for c in table.columns]
    )


def _write_totals(
    ws: Worksheet, cache: FormulaCache, table: Table, rows: tuple[int, int], currency: str
) -> None:
    first, last = rows
    total_row = last + 1
    write_text(ws, total_row, 1, "Total", bold=True)
    for column, spec in enumerate(table.columns, start=1):
        cell = ws.cell(row=total_row, column=column)
        cell.border = TOTAL_BORDER
        if spec.kind == "money":
            minor = sum(v for row in table.rows if isinstance(v := row[column - 1], int))
            cache.write_sum(
                ws,
                total_row,
                column,
                rows=(first, max(last, first)),
                value=from_minor_units(minor, currency),
                number_format=money_format(currency),
            )


def _frame_rows(frame: pd.DataFrame, columns: list[str]) -> list[list[object]]:
    return [list(row) for row in frame[columns].itertuples(index=False)]


def _title_items(status: ContributionStatus, produced: dt.date) -> list[tuple[str, str]]:
    counts = status.counts
    return [
        ("As at", status.as_at.isoformat()),
        ("Currency", status.currency),
        ("Ledger", str(status.provenance["ledger"])),
        ("States", ", ".join(f"{n} {kind}" for kind, n in counts.items())),
        ("Produced", produced.isoformat()),
    ]


def _status_tables(status: ContributionStatus) -> list[Table]:
    notes = status.provenance
    c = status.currency
    by_state = Table(
        "Status by state",
        f"Status of contributions as at {status.as_at.isoformat()}",
        [
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            Column(f"Assessed ({c})", "money", 18),
            Column(f"Received ({c})", "money", 18),
            Column(f"Outstanding ({c})", "money", 18),
            Column(f"Credit ({c})", "money", 18),
            Column("Days overdue", "int", 10),
            Column("Status", "text", 16),
        ],
        [
            [
                r.state,
                r.iso3,
                r.assessed_minor,
                r.received_minor,
                r.outstanding_minor,
                r.credit_minor,
                r.days_overdue,
                r.status,
            ]
            for r in status.by_state.itertuples(index=False)
        ],
        notes,
    )
    by_assessment = Table(
        "By assessment",
        f"Status of contributions by assessment as at {status.as_at.isoformat()}",
        [
            Column("No.", "int", 6),
            Column("Assessment", "text", 24),
            Column("Kind", "text", 11),
            Column("Issued", "date", 11),
            Column("Due", "date", 11),
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            Column(f"Assessed ({c})", "money", 18),
            Column(f"Received ({c})", "money", 18),
            Column(f"Outstanding ({c})", "money", 18),
            Column("Days overdue", "int", 10),
            Column("Status", "text", 16),
        ],
        [
            [
                r.assessment_id,
                r.label,
                r.kind,
                r.issued,
                r.due,
                r.state,
                r.iso3,
                r.assessed_minor,
                r.received_minor,
                r.outstanding_minor,
                r.days_overdue,
                r.status,
            ]
            for r in status.by_assessment.itertuples(index=False)
        ],
        notes,
    )
    by_year = Table(
        "By year",
        f"Status of contributions by year of issue as at {status.as_at.isoformat()}",
        [
            Column("Year", "int", 8),
            Column(f"Assessed ({c})", "money", 18),
            Column(f"Received ({c})", "money", 18),
            Column(f"Outstanding ({c})", "money", 18),
        ],
        _frame_rows(
            status.by_year, ["year", "assessed_minor", "received_minor", "outstanding_minor"]
        ),
        notes,
    )
    return [by_state, by_assessment, by_year]


def write_status_workbook(
    path: str | Path, status: ContributionStatus, *, produced: dt.date | None = None
) -> Path:
    """The status of contributions as an ``.xlsx`` workbook: by state, assessment and year."""
    return _save(path, _status_tables(status), status, produced)


def _save(
    path: str | Path,
    tables: Sequence[Table],
    status: ContributionStatus,
    produced: dt.date | None,
) -> Path:
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    cache = FormulaCache()
    items = _title_items(status, produced or dt.date.today())
    for table in tables:
        _write_table(wb, cache, _plain_cells(table), items, status.currency)
    return save_with_cached_values(wb, path, cache)


def _plain_cells(table: Table) -> Table:
    """Numpy and pandas scalars from DataFrame rows as plain ``int`` and ``date``."""

    def plain(value: object) -> Cell:
        if isinstance(value, pd.Timestamp):
            return value.date()
        if value is None or isinstance(value, str | dt.date):
            return value
        if isinstance(value, SupportsIndex):  # numpy integers: exact ints, never via float
            return operator.index(value)
        raise TypeError(f"unexpected cell value {value!r}")

    rows = [[plain(v) for v in row] for row in table.rows]
    return Table(table.name, table.title, table.columns, rows, table.notes)


def write_ledger_workbook(
    path: str | Path,
    ledger: Ledger,
    *,
    as_at: dt.date | None = None,
    produced: dt.date | None = None,
) -> Path:
    """The whole ledger as at ``as_at`` (default today) as an ``.xlsx`` workbook: the status
    sheets, then every assessment (superseded ones too) with its lines, the payments, what
    each payment settled, and each assessment's provenance."""
    snapshot = ledger.snapshot(as_at or dt.date.today())
    status = status_of_contributions(snapshot)
    tables = [*_status_tables(status), *_ledger_tables(snapshot, status.provenance)]
    return _save(path, tables, status, produced)


def _ledger_tables(snapshot: LedgerSnapshot, notes: Mapping[str, str]) -> list[Table]:
    c = snapshot.currency
    labels = {a.id: a.label for a in snapshot.assessments}
    states = {line.iso3: line.state for a in snapshot.assessments for line in a.lines}
    received = {p.reference: p for p in snapshot.payments}
    in_force = {a.id for a in snapshot.in_force}
    assessments = Table(
        "Assessments",
        "Assessments recorded (superseded ones included)",
        [
            Column("No.", "int", 6),
            Column("Meeting", "text", 12),
            Column("Assessment", "text", 24),
            Column("Kind", "text", 11),
            Column("Issued", "date", 11),
            Column("Due", "date", 11),
            Column("Supersedes No.", "int", 11),
            Column("Standing", "text", 22),
            Column(f"Total ({c})", "money", 18),
        ],
        [
            [
                a.id,
                a.meeting,
                a.label,
                a.kind.value,
                a.issued,
                a.due,
                a.supersedes,
                "in force"
                if a.id in in_force
                else f"superseded by No. {snapshot.superseded_by[a.id]}",
                a.total_minor,
            ]
            for a in snapshot.assessments
        ],
        {**notes, "superseded": "kept for the record; not counted in the status"},
    )
    lines = Table(
        "Assessment lines",
        "Amounts per state of every assessment",
        [
            Column("No.", "int", 6),
            Column("Assessment", "text", 24),
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            Column("Role", "text", 14),
            Column(f"Amount ({c})", "money", 18),
        ],
        [
            [a.id, a.label, line.state, line.iso3, line.role, line.amount_minor]
            for a in snapshot.assessments
            for line in a.lines
        ],
        {**notes, "total": "the sum over superseded and in-force assessments alike"},
    )
    payments = Table(
        "Payments",
        "Payments received",
        [
            Column("Reference", "text", 18),
            Column("Received", "date", 11),
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            Column(f"Amount ({c})", "money", 18),
            Column("For assessment No.", "int", 12),
            Column("Note", "text", 40),
        ],
        [
            [
                p.reference,
                p.received,
                states.get(p.iso3, p.iso3),
                p.iso3,
                p.amount_minor,
                p.applies_to,
                p.note,
            ]
            for p in snapshot.payments
        ],
        notes,
    )
    applications = Table(
        "Applications",
        "What each payment settled",
        [
            Column("Reference", "text", 18),
            Column("Received", "date", 11),
            Column("ISO3", "text", 7),
            Column("Assessment No.", "int", 11),
            Column("Assessment", "text", 24),
            Column(f"Settled ({c})", "money", 18),
        ],
        [
            [
                a.reference,
                received[a.reference].received,
                a.iso3,
                a.assessment_id,
                labels[a.assessment_id],
                a.amount_minor,
            ]
            for a in snapshot.applications
        ],
        {**notes, "rule": RULES[snapshot.order]},
    )
    provenance = Table(
        "Provenance",
        "Provenance of each assessment",
        [Column("No.", "int", 6), Column("Item", "text", 24), Column("Value", "text", 100)],
        [
            [a.id, key, value]
            for a in snapshot.assessments
            for key, value in a.provenance_items.items()
        ],
        notes,
    )
    return [assessments, lines, payments, applications, provenance]
