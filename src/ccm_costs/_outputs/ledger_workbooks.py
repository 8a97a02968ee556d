"""Workbooks of the ledger, in the style of the assessment workbook: the status of
contributions (by state, by assessment, by year, by convention, the ageing of arrears), and the
whole ledger (assessments with their lines, payments, what each payment settled, voids, refunds
and transfers, provenance).

Each sheet has a title block naming the convention(s) and the "as at" date (never the ledger's
file name), a shaded header row, amounts in the currency's accounting format, a totals row of
``=SUM`` formulas (with the library's values cached), a frozen header, an autofilter and
provenance notes under the table; it prints on A4 with the header row on every page and a
footer with the status date and "Page x of y" (:func:`~._outputs.xlsx.finish_table`). The
money of superseded and void assessments is in columns of its own, never totalled with the
assessments in force.
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
from .._reference.states import state_name
from ..ledger import ContributionStatus, Ledger, LedgerSnapshot, status_of_contributions
from ..ledger._status import AGE_COLUMNS, MONEY_COLUMNS, RULES
from .xlsx import (
    INDENTED,
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
    *,
    cache: FormulaCache,
    table: Table,
    items: Sequence[tuple[str, str]],
    currency: str,
    footer: str,
) -> None:
    ws = wb.create_sheet(sheet_title(wb, table.name))
    wide = 1 if table.columns[0].width >= 20 else 2  # the labels go in a wide column
    header_row = write_title_block(ws, table.title, items, column=wide, span=len(table.columns))
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
                cell = write_text(ws, first + n, column, str(value))
                if column > 1 and table.columns[column - 2].kind != "text":
                    cell.alignment = INDENTED  # "47 not paid" would run together
    last = first + len(table.rows) - 1
    total_row = last + 1
    if any(spec.kind == "money" for spec in table.columns):
        _write_totals(ws, cache, table, (first, last), currency)
    write_notes(ws, total_row + 2, table.notes, heading="Provenance", span=len(table.columns))
    finish_table(
        ws,
        header_row=header_row,
        last_row=total_row,
        widths=[c.width for c in table.columns],
        footer=footer,
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


def _conventions(status: ContributionStatus) -> str:
    names = sorted({c for c in status.by_convention["convention"] if c})
    return "; ".join(names) or "not named in the assessments"


def _title_items(status: ContributionStatus, produced: dt.date) -> list[tuple[str, str]]:
    counts = status.counts
    return [
        ("Convention", _conventions(status)),
        ("As at", status.as_at.isoformat()),
        ("Currency", status.currency),
        ("States", ", ".join(f"{n} {kind}" for kind, n in counts.items())),
        ("Produced", produced.isoformat()),
    ]


def _money(c: str, *names: str) -> list[Column]:
    return [Column(f"{name} ({c})", "money", 18) for name in names]


MONEY_HEADERS = ("Assessed", "Received", "Outstanding", "Credit", "Unapplied")
AGE_HEADERS = (
    "Current",
    "Overdue 1-30 days",
    "Overdue 31-90 days",
    "Overdue 91-365 days",
    "Overdue over a year",
    "Prior years",
    "Current year",
)


def _status_tables(status: ContributionStatus) -> list[Table]:
    notes = {k: v for k, v in status.provenance.items() if k != "ledger"}  # not the file name
    c = status.currency
    day = status.as_at.isoformat()
    money = list(MONEY_COLUMNS)
    by_state = Table(
        "Status by state",
        f"Status of contributions as at {day}",
        [
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            *_money(c, *MONEY_HEADERS),
            Column("Days overdue", "int", 13),
            Column("Status", "text", 16),
        ],
        _frame_rows(status.by_state, ["state", "iso3", *money, "days_overdue", "status"]),
        notes,
    )
    by_assessment = Table(
        "By assessment",
        f"Status of contributions by assessment as at {day}",
        [
            Column("No.", "int", 6),
            Column("Assessment", "text", 24),
            Column("Kind", "text", 11),
            Column("Issued", "date", 11),
            Column("Due", "date", 11),
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            *_money(c, *MONEY_HEADERS),
            Column("Days overdue", "int", 13),
            Column("Status", "text", 16),
        ],
        _frame_rows(
            status.by_assessment,
            [
                "assessment_id",
                "label",
                "kind",
                "issued",
                "due",
                "state",
                "iso3",
                *money,
                "days_overdue",
                "status",
            ],
        ),
        {**notes, "No. 0": "a state's credit or unapplied receipts, held as at the date"},
    )
    by_year = Table(
        "By year",
        f"Status of contributions by year of assessment as at {day}",
        [Column("Year", "int", 8), *_money(c, *MONEY_HEADERS)],
        _frame_rows(status.by_year, ["year", *money]),
        {
            **notes,
            "year": "of the assessment that billed it; credits held, in the year of "
            "the status date",
        },
    )
    ageing = Table(
        "Ageing",
        f"Arrears by age and by year of assessment as at {day}",
        [
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            *_money(c, "Outstanding", *AGE_HEADERS),
            Column("Days overdue", "int", 13),
        ],
        _frame_rows(
            status.ageing, ["state", "iso3", "outstanding_minor", *AGE_COLUMNS, "days_overdue"]
        ),
        notes,
    )
    by_convention = Table(
        "By convention",
        f"Status of contributions by convention as at {day}",
        [Column("Convention", "text", 34), *_money(c, *MONEY_HEADERS, *AGE_HEADERS)],
        [
            [name or "(not named)", *rest]
            for name, *rest in _frame_rows(
                status.by_convention, ["convention", *money, *AGE_COLUMNS]
            )
        ],
        notes,
    )
    return [by_state, by_assessment, by_year, ageing, by_convention]


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
    footer = f"Status of contributions as at {status.as_at.isoformat()} - {_conventions(status)}"
    for table in tables:
        _write_table(
            wb,
            cache=cache,
            table=_plain_cells(table),
            items=items,
            currency=status.currency,
            footer=footer,
        )
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
    notes = {k: v for k, v in status.provenance.items() if k != "ledger"}
    tables = [*_status_tables(status), *_ledger_tables(snapshot, notes)]
    return _save(path, tables, status, produced)


def _ledger_tables(snapshot: LedgerSnapshot, notes: Mapping[str, str]) -> list[Table]:
    c = snapshot.currency
    labels = {a.id: a.label for a in snapshot.assessments}
    states = {line.iso3: line.state for a in snapshot.assessments for line in a.lines}
    dates = {p.reference: p.received for p in snapshot.payments}
    dates.update({m.reference: m.moved for m in snapshot.moves})
    in_force = {a.id for a in snapshot.in_force}

    def standing(assessment_id: int) -> str:
        if assessment_id in in_force:
            return "in force"
        if assessment_id in snapshot.voids:
            void = snapshot.voids[assessment_id]
            return f"void on {void.voided}: {void.reason}"
        return f"superseded by No. {snapshot.superseded_by[assessment_id]}"

    def split(assessment_id: int, minor: int) -> list[int | None]:
        """The amount in the in-force column or in the superseded-or-void one."""
        return [minor, None] if assessment_id in in_force else [None, minor]

    apart = {
        **notes,
        "totals": "assessments in force and superseded or void ones are in separate columns; "
        "only those in force count in the status",
    }
    assessments = Table(
        "Assessments",
        "Assessments recorded (superseded and void ones included)",
        [
            Column("No.", "int", 6),
            Column("Meeting", "text", 12),
            Column("Assessment", "text", 24),
            Column("Kind", "text", 11),
            Column("Issued", "date", 11),
            Column("Due", "date", 11),
            Column("Supersedes No.", "int", 11),
            Column("Standing", "text", 22),
            Column("Rules", "text", 14),
            *_money(c, "In force", "Superseded or void"),
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
                standing(a.id),
                a.rules_label,
                *split(a.id, a.total_minor),
            ]
            for a in snapshot.assessments
        ],
        apart,
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
            *_money(c, "In force", "Superseded or void"),
        ],
        [
            [a.id, a.label, line.state, line.iso3, line.role, *split(a.id, line.amount_minor)]
            for a in snapshot.assessments
            for line in a.lines
        ],
        apart,
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
                states.get(p.iso3) or state_name(p.iso3),
                p.iso3,
                p.amount_minor,
                p.applies_to,
                p.note,
            ]
            for p in snapshot.payments
        ],
        notes,
    )
    moves = Table(
        "Refunds and transfers",
        "Refunds and transfers of credit",
        [
            Column("Entry", "text", 16),
            Column("Date", "date", 11),
            Column("State", "text", 34),
            Column("ISO3", "text", 7),
            Column(f"Amount ({c})", "money", 18),
            Column("To assessment No.", "int", 12),
            Column("To convention", "text", 16),
            Column("Note", "text", 30),
        ],
        [
            [
                m.reference,
                m.moved,
                states.get(m.iso3) or state_name(m.iso3),
                m.iso3,
                m.amount_minor,
                m.to_assessment,
                m.to_convention,
                m.note,
            ]
            for m in snapshot.moves
        ],
        notes,
    )
    applications = Table(
        "Applications",
        "What each payment and transfer settled",
        [
            Column("Reference", "text", 18),
            Column("Date", "date", 11),
            Column("ISO3", "text", 7),
            Column("Assessment No.", "int", 11),
            Column("Assessment", "text", 24),
            Column(f"Settled ({c})", "money", 18),
        ],
        [
            [
                a.reference,
                dates[a.reference],
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
    return [assessments, lines, payments, moves, applications, provenance]
