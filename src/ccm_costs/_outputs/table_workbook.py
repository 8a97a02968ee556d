"""Any table the command line prints, as a printable ``.xlsx`` sheet: the periods, a scale,
the parties on a date, the differences a check found.

The table is what :func:`~ccm_costs.render` shows in the terminal (its heading, columns, totals
and notes); numbers stay numbers (a rate with its decimals, money with thousands separators),
text stays text, and the sheet prints as the library's other workbooks do (A4 landscape, one
page wide, the header row on every page, "Page x of y").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from .tables import to_table
from .text import TextColumn
from .xlsx import (
    BOLD,
    INDENTED,
    TITLE_FONT,
    TOTAL_BORDER,
    FormulaCache,
    check_paper,
    decimal_format,
    finish_table,
    save_with_cached_values,
    sheet_title,
    write_header,
    write_notes,
    write_number,
    write_text,
)

LEAST_WIDTH = 8.0


def write_table_workbook(
    path: str | Path,
    result: object,
    *,
    title: str | None = None,
    sheet: str = "Table",
    produced: dt.date | None = None,
    paper: str = "a4",
) -> Path:
    """Write ``result`` (anything :func:`~ccm_costs.render` takes: a TextTable, a Scale, a
    DataFrame, ...) to one sheet of an ``.xlsx`` workbook at ``path``, as the terminal shows
    it: the title (``title``, else the table's heading, else ``sheet``), the "Produced" date
    (default today), the header, the rows, the totals row and the notes. Returns the path."""
    table = to_table(result, "table")
    paper = check_paper(paper)
    day = produced or dt.date.today()
    heading = title or table.heading or sheet
    wb = Workbook()
    ws = wb.worksheets[0]
    ws.title = sheet_title(wb, sheet)
    write_text(ws, 1, 1, heading).font = TITLE_FONT
    write_text(ws, 2, 1, f"Produced {day.isoformat()}")
    header_row = 4
    write_header(ws, header_row, [column.name for column in table.columns])
    row = header_row
    for values in table.rows:
        row += 1
        _write_row(ws, row, values, table.columns)
    last_row = row
    if table.total is not None:
        row += 1
        _write_row(ws, row, table.total, table.columns)
        for column in range(1, len(table.columns) + 1):
            cell = ws.cell(row=row, column=column)
            cell.font = BOLD
            cell.border = TOTAL_BORDER
    span = len(table.columns)
    notes = dict(table.notes)
    if table.summary:
        notes = {"": table.summary, **notes}
    if notes:
        write_notes(ws, row + 2, notes, heading="Notes", span=span)
    finish_table(
        ws,
        header_row=header_row,
        last_row=last_row,
        widths=[LEAST_WIDTH] * span,
        footer=f"{heading} - produced {day.isoformat()}",
        paper=paper,
    )
    return save_with_cached_values(wb, path, FormulaCache())


def _write_row(
    ws: Worksheet, row: int, values: tuple[object, ...], columns: tuple[TextColumn, ...]
) -> None:
    """One row: numbers as numbers with their decimals (money with separators), the rest as
    text, indented one space where a number stands left of it."""
    for index, (value, column) in enumerate(zip(values, columns, strict=True), start=1):
        if value is None or value == "":
            continue
        if isinstance(value, Decimal | Fraction | int) and not isinstance(value, bool):
            decimals = _decimals(value)
            fmt = decimal_format(decimals)
            if column.kind == "money":
                fmt = "#,##0" + fmt[1:]
            write_number(ws, row, index, value, fmt)
        elif isinstance(value, float):
            write_number(ws, row, index, Decimal(repr(value)), "General")
        else:
            cell = write_text(ws, row, index, str(value))
            if index > 1 and columns[index - 2].kind != "text":
                cell.alignment = INDENTED


def _decimals(value: Decimal | Fraction | int) -> int:
    """The decimals a number is shown with: a Decimal's own, none for an int, 6 for a
    fraction."""
    if isinstance(value, Decimal):
        exponent = value.as_tuple().exponent
        return -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return 0 if isinstance(value, int) else 6
