"""The one text renderer: terminal tables, CSV and JSON, for the CLI and library users alike.

A :class:`TextTable` is columns and rows of exact values (text, ``int``, ``Decimal``,
``Fraction``), an optional totals row, and labelled notes (the provenance). The terminal shows
text left and numbers right, money with thousands separators; CSV and JSON keep every figure
exact (decimal strings, fractions as ``1/3``) and CSV neutralises text a spreadsheet would run
as a formula. :func:`render` turns any result of the library into one of the three.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .._core.money import from_minor_units
from .._core.text import printable
from ..errors import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("table", "csv", "json")
"""The text formats :func:`render` writes."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""Text beginning with one of these could be read as a formula by a spreadsheet."""


@dataclass(frozen=True)
class TextColumn:
    """A column: its header, and how the terminal shows its values."""

    name: str
    kind: str = "text"
    """``"text"`` (left), ``"number"`` (right, as written) or ``"money"`` (right, with
    thousands separators)."""


@dataclass(frozen=True)
class TextTable:
    """What a table says, before it is rendered."""

    columns: tuple[TextColumn, ...]
    rows: tuple[tuple[object, ...], ...]
    total: tuple[object, ...] | None = None
    heading: str = ""
    """A line printed above the table in the terminal (not in CSV or JSON)."""
    summary: str = ""
    """Lines printed below the table in the terminal (not in CSV or JSON)."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """Labelled provenance: printed as ``label: text`` lines, kept in JSON."""


def _exact(value: object) -> object:
    """A value for CSV and JSON: Decimal and Fraction as their exact strings, dates in ISO."""
    if isinstance(value, Decimal | Fraction | dt.date):
        return str(value)
    return value


def safe_csv_text(value: object) -> object:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (OWASP).

    Only text: a number (even a negative one) is never changed."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _cell(value: object, kind: str) -> str:
    """A value as the terminal shows it; control characters shown as escapes, never sent."""
    if value is None:
        return ""
    if kind == "money" and isinstance(value, Decimal | int):
        return f"{value:,}"
    return printable(str(value)).replace("\n", " ").replace("\t", " ")


def _terminal(table: TextTable) -> str:
    header = [_cell(c.name, "text") for c in table.columns]
    body = [
        [_cell(v, c.kind) for v, c in zip(row, table.columns, strict=True)] for row in table.rows
    ]
    total = (
        None
        if table.total is None
        else [_cell(v, c.kind) for v, c in zip(table.total, table.columns, strict=True)]
    )
    every = [header, *body, *([total] if total else [])]
    widths = [max(len(r[i]) for r in every) for i in range(len(header))]
    right = [c.kind != "text" for c in table.columns]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(w) if r else cell.ljust(w)
            for cell, w, r in zip(cells, widths, right, strict=True)
        ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [printable(table.heading)] if table.heading else []
    out += [line(header), rule, *(line(r) for r in body)]
    if total is not None:
        out += [rule, line(total)]
    if table.summary:
        out += ["", printable(table.summary)]
    if table.notes:
        out += ["", *(printable(f"{label}: {text}") for label, text in table.notes.items())]
    return "\n".join(out) + "\n"


def _csv(table: TextTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([safe_csv_text(c.name) for c in table.columns])
    # the guard sees the value itself: text is guarded, a number (even -45.06) never
    writer.writerows([_exact(safe_csv_text(v)) for v in row] for row in table.rows)
    return buffer.getvalue()


def _json(table: TextTable, *, with_notes: bool) -> str:
    names = [c.name for c in table.columns]
    records = [dict(zip(names, map(_exact, row), strict=True)) for row in table.rows]
    document: object = {"provenance": dict(table.notes), "rows": records} if with_notes else records
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"


def render_table(table: TextTable, fmt: str = "table", *, json_notes: bool | None = None) -> str:
    """``table`` as a terminal table, CSV or JSON (``fmt``). JSON wraps the rows with the
    notes as ``{"provenance": ..., "rows": [...]}`` when there are notes (or ``json_notes``)."""
    if fmt == "table":
        return _terminal(table)
    if fmt == "csv":
        return _csv(table)
    if fmt == "json":
        return _json(table, with_notes=bool(table.notes) if json_notes is None else json_notes)
    raise InvalidInputError(f"format {fmt!r}: give one of {', '.join(FORMATS)}")


def frame_table(
    frame: pd.DataFrame, *, notes: Mapping[str, str] | None = None, money: Sequence[str] = ()
) -> TextTable:
    """A DataFrame as a table: numbers right, the ``money`` columns with separators."""
    columns = []
    for name in frame.columns:
        values = frame[name].tolist()
        numeric = bool(values) and all(
            isinstance(v, int | float | Decimal | Fraction) and not isinstance(v, bool)
            for v in values
        )
        kind = "money" if name in money else ("number" if numeric else "text")
        columns.append(TextColumn(str(name), kind))
    rows = tuple(tuple(row) for row in frame.itertuples(index=False))
    return TextTable(tuple(columns), rows, notes=dict(notes or {}))


def money_view(frame: pd.DataFrame, currency: str) -> tuple[pd.DataFrame, list[str]]:
    """``*_minor`` columns as exact ``Decimal`` amounts in currency units (the column named
    without ``_minor``), for showing; returns the frame and the money columns."""
    import pandas as pd

    shown: dict[str, pd.Series[Any]] = {}
    money: list[str] = []
    for column in frame.columns:
        values = frame[column].tolist()
        if str(column).endswith("_minor"):
            name = str(column).removesuffix("_minor")
            shown[name] = pd.Series(
                [from_minor_units(int(v), currency) for v in values], dtype=object
            )
            money.append(name)
        else:
            shown[str(column)] = pd.Series(
                [str(v) if isinstance(v, dt.date) else v for v in values], dtype=object
            )
    return pd.DataFrame(shown), money
