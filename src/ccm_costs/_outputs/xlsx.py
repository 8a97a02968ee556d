"""Shared openpyxl building blocks for the library's workbooks: safe text, money formats,
title block, header, totals, notes and print setup, and formula cells with cached values.

openpyxl writes a formula without the value it computes to; :class:`FormulaCache` records
the library's value for each formula cell and :func:`save_with_cached_values` writes them into
the file, so a reader that does not recalculate (pandas, a viewer) sees the library's figures.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import gc
import io
import os
import re
import secrets
import sys
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from .._core.money import currency_exponent, from_minor_units
from .._core.text import printable, shown
from .._reference.reading import file_path
from ..errors import InvalidInputError
from .text import FORMULA_PREFIXES

Number = Decimal | Fraction | int
"""A value the library computed exactly; the file stores the nearest double."""


BOLD = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", start_color="DDEBF7")
TOTAL_BORDER = Border(top=Side(style="thin"), bottom=Side(style="double"))
HEADER_BORDER = Border(bottom=Side(style="thin"))
INDENTED = Alignment(horizontal="left", indent=1)
"""Text in a table one space from the number beside it (LibreOffice shows an indent only on
left-aligned text)."""
CENTRED = Alignment(horizontal="center")
SIGNATURE_LINE = Border(bottom=Side(style="thin"))
MAX_TITLE = 31  # Excel's limit on a sheet name
MAX_CELL_TEXT = 32_767
"""The most characters an Excel cell holds (openpyxl would cut longer text without a word)."""


def write_text(ws: Worksheet, row: int, column: int, text: str, *, bold: bool = False) -> Cell:
    """Write ``text`` as literal text: never a formula, whatever it begins with.

    A character a cell cannot hold (a control character) is written as its escape (``\x07``);
    text longer than a cell holds (:data:`MAX_CELL_TEXT`) is an error, never cut."""
    cell = _cell(ws, row, column)
    if len(text) > MAX_CELL_TEXT:
        raise InvalidInputError(
            f"the text {shown(text)} is longer than an Excel cell holds ({MAX_CELL_TEXT:,} "
            f"characters), so the workbook is not written: shorten it (sheet {ws.title!r}, "
            f"cell {cell.coordinate})"
        )
    cell.value = ILLEGAL_CHARACTERS_RE.sub(lambda m: repr(m.group(0))[1:-1], text)
    cell.data_type = "s"  # openpyxl would otherwise take "=..." for a formula
    if text.startswith(FORMULA_PREFIXES):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if bold:
        cell.font = BOLD
    return cell


def _cell(ws: Worksheet, row: int, column: int) -> Cell:
    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):  # the hidden part of a merged note: never written
        raise TypeError(f"cell {cell.coordinate} of {ws.title!r} is merged")
    return cell


def money_format(currency: str) -> str:
    """An accounting number format with the currency's decimals, negatives in parentheses."""
    exponent = currency_exponent(currency)
    digits = "#,##0" + ("." + "0" * exponent if exponent else "")
    dash = '"-"' + ("?" * exponent if exponent else "")
    return f"_(* {digits}_);_(* ({digits});_(* {dash}_);_(@_)"


def decimal_format(decimals: int) -> str:
    """A number format with a fixed number of decimals, e.g. ``0.000``."""
    return "0." + "0" * decimals if decimals else "0"


def write_money(ws: Worksheet, row: int, column: int, minor: int, currency: str) -> Cell:
    """Write an amount given in minor units, exactly, in the accounting format."""
    cell = _cell(ws, row, column)
    cell.value = from_minor_units(minor, currency)
    cell.number_format = money_format(currency)
    return cell


def write_number(ws: Worksheet, row: int, column: int, value: Number, number_format: str) -> Cell:
    """Write a number with its display format."""
    cell = _cell(ws, row, column)
    cell.value = float(value) if isinstance(value, Fraction) else value  # nearest double
    cell.number_format = number_format
    return cell


class FormulaCache:
    """The library's value of each formula cell, written into the saved file."""

    def __init__(self) -> None:
        self._values: dict[tuple[str, str], Number] = {}

    def write_formula(
        self,
        ws: Worksheet,
        row: int,
        column: int,
        formula: str,
        *,
        value: Number,
        number_format: str,
    ) -> Cell:
        """Write ``formula`` (with its leading ``=``) whose value the library computed."""
        cell = _cell(ws, row, column)
        cell.value = formula
        cell.number_format = number_format
        self._values[(ws.title, cell.coordinate)] = value
        return cell

    def write_sum(
        self,
        ws: Worksheet,
        row: int,
        column: int,
        *,
        rows: tuple[int, int],
        value: Number,
        number_format: str,
    ) -> Cell:
        """A ``=SUM(...)`` over ``rows`` (first, last) of a column, bold, totals border."""
        letter = get_column_letter(column)
        formula = f"=SUM({letter}{rows[0]}:{letter}{rows[1]})"
        cell = self.write_formula(
            ws, row, column, formula, value=value, number_format=number_format
        )
        cell.font = BOLD
        cell.border = TOTAL_BORDER
        return cell

    def items(self) -> list[tuple[tuple[str, str], Number]]:
        """(sheet title, cell) -> value, for checking a saved workbook."""
        return list(self._values.items())

    def fill(self, workbook_bytes: bytes, sheet_files: Mapping[str, str]) -> bytes:
        """The saved workbook with each formula's ``<v/>`` replaced by its cached value."""
        by_file: dict[str, dict[str, Number]] = {}
        for (title, ref), value in self._values.items():
            by_file.setdefault(sheet_files[title], {})[ref] = value
        source = zipfile.ZipFile(io.BytesIO(workbook_bytes))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info.filename)
                if info.filename in by_file:
                    data = _fill_values(data.decode("utf-8"), by_file[info.filename]).encode()
                target.writestr(info, data)
        return out.getvalue()


def _fill_values(xml: str, values: Mapping[str, Number]) -> str:
    def put(match: re.Match[str]) -> str:
        value = values.get(match.group(2))
        if value is None:
            return match.group(0)
        return f"{match.group(1)}<v>{_xml_number(value)}</v>"

    return re.sub(r'(<c r="([A-Z]+[0-9]+)"[^>]*><f>[^<]*</f>)<v\s*/>', put, xml)


def _xml_number(value: Number) -> str:
    """The number as the file stores it: shortest decimal text of the nearest double."""
    return str(value) if isinstance(value, int) else repr(float(value))


def save_with_cached_values(wb: Workbook, path: str | Path, cache: FormulaCache) -> Path:
    """Save ``wb`` to ``path`` with the cached value of every formula the cache knows; the
    file is replaced only once the whole workbook is written (see :func:`write_atomically`)."""
    target = file_path(path, "the workbook to write")
    sheet_files = {
        ws.title: f"xl/worksheets/sheet{n}.xml" for n, ws in enumerate(wb.worksheets, start=1)
    }
    write_atomically(target, cache.fill(_saved(wb, target), sheet_files))
    return target


def _saved(wb: Workbook, target: Path) -> bytes:
    """The workbook as bytes. openpyxl writes each sheet through a temporary file, so a full
    disk can fail here: the ``OSError`` then names ``target``, and the sheet stream openpyxl
    leaves half-written is closed quietly (it would print a traceback when collected)."""
    buffer = io.BytesIO()
    failure: OSError | None = None
    previous = sys.unraisablehook
    sys.unraisablehook = _quiet_openpyxl(previous)
    try:
        try:
            wb.save(buffer)
        except OSError as err:
            failure = OSError(err.errno, f"not written: {err.strerror or err}", str(target))
        if failure is not None:  # the failed save's frames are gone: collect its stream now
            gc.collect()
    finally:
        sys.unraisablehook = previous
    if failure is not None:
        raise failure
    return buffer.getvalue()


def _quiet_openpyxl(
    previous: Callable[[sys.UnraisableHookArgs], object],
) -> Callable[[sys.UnraisableHookArgs], object]:
    """An unraisable-exception hook that drops the ``OSError`` of an openpyxl stream closed
    after a failed save, and passes anything else on."""

    def hook(unraisable: sys.UnraisableHookArgs) -> object:
        code = getattr(unraisable.object, "gi_code", None)
        if isinstance(unraisable.exc_value, OSError) and "openpyxl" in str(
            getattr(code, "co_filename", "")
        ):
            return None
        return previous(unraisable)

    return hook


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, renamed over
    ``path`` only once complete: a full disk or any other failure leaves ``path`` as it was
    (absent, or the old file) and no partial file behind. An ``OSError`` names ``path``."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file to write", str(path))
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(errno.EACCES, "is read-only: it is not replaced", str(path))
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        # os.open applies the umask to 0o666, as a plain open() for writing would
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(temporary, path.stat().st_mode)
        os.replace(temporary, path)
    except OSError as err:
        _remove(temporary)
        raise OSError(err.errno, f"not written: {err.strerror or err}", str(path)) from None
    except ValueError as err:  # a path the system cannot name (a NUL in it)
        raise InvalidInputError(f"cannot write {shown(str(path))}: {err}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)


@dataclass(frozen=True)
class Money:
    """An amount in minor units, for a title block item."""

    minor: int
    currency: str


def write_title_block(
    ws: Worksheet,
    title: str,
    items: Sequence[tuple[str, str | Money]],
    *,
    column: int = 2,
    span: int = 0,
) -> int:
    """A bold title in A1 and one "label: value" row per item, the label in ``column`` (the
    table's wide name column) and the value right of it (text, or an amount as a number in
    the accounting format), the value across the columns up to ``span`` (the table's last,
    so that neither a long text nor an amount depends on a narrow column); returns the next
    free row, after one blank row."""
    write_text(ws, 1, 1, title).font = TITLE_FONT
    row = 2
    for label, value in items:
        write_text(ws, row, column, label, bold=True).alignment = Alignment(vertical="top")
        if isinstance(value, Money):
            cell = write_money(ws, row, column + 1, value.minor, value.currency)
            cell.number_format = cell.number_format.replace("_(* ", "_(")  # no padding
            cell.alignment = Alignment(horizontal="left", vertical="top")
        else:
            cell = write_text(ws, row, column + 1, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        if span > column + 1:
            ws.merge_cells(start_row=row, start_column=column + 1, end_row=row, end_column=span)
        row += 1
    return row + 1


def write_header(ws: Worksheet, row: int, headers: Sequence[str]) -> None:
    """The column headers: bold, shaded, wrapped, with a rule below (the row's height is set
    by :func:`finish_table`, once the column widths are known)."""
    for column, text in enumerate(headers, start=1):
        cell = write_text(ws, row, column, text, bold=True)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="bottom", horizontal="center")


def write_notes(
    ws: Worksheet, row: int, notes: Mapping[str, str], *, heading: str, span: int = 1
) -> int:
    """Notes under a table, one per row, each wrapped across the table's ``span`` columns
    (so that a long note never widens the printed page); returns the next free row."""
    write_text(ws, row, 1, heading, bold=True)
    for offset, (label, text) in enumerate(notes.items(), start=1):
        write_note(ws, row + offset, f"{label}: {text}" if label else text, span=span)
    return row + len(notes) + 2


def write_note(ws: Worksheet, row: int, text: str, *, span: int) -> Cell:
    """One wrapped note across columns 1 to ``span`` of ``row`` (its height follows the
    text, see :func:`finish_table`)."""
    cell = write_text(ws, row, 1, text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if span > 1:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    return cell


@dataclass(frozen=True)
class Page:
    """What every printed page says: the paper, and the dates of issue and production."""

    paper: str
    issued: dt.date | None
    produced: dt.date

    def footer(self, what: str) -> str:
        """The footer's left part: ``what`` is printed, and when it was issued (else
        produced)."""
        when = f"issued {self.issued}" if self.issued else f"produced {self.produced}"
        return f"{what} - {when}"


def write_certification(ws: Worksheet, row: int) -> None:
    """A block for the officer who certifies the table (placeholders, filled by hand)."""
    write_text(ws, row, 1, "Certified correct", bold=True)
    for offset, label in enumerate(("Name and title:", "Date:", "Signature:"), start=1):
        write_text(ws, row + offset, 2, label)
        line = ws.cell(row=row + offset, column=3)
        line.border = SIGNATURE_LINE
        ws.cell(row=row + offset, column=4).border = SIGNATURE_LINE


PAPER_SIZES = {"a4": 9, "letter": 1}
"""Paper sizes a workbook can be printed on, as the codes of the file format (A4 by default, as
a Geneva office expects)."""
LINE_HEIGHT = 15.0
"""Points per line of 11-point text."""
CHARACTERS_PER_WIDTH = 1.1
"""Characters of 11-point text per unit of column width, a little under what fits."""
MAX_WIDTH = 56
"""The widest a column is made to fit its text: longer text wraps (a state's longest UN name,
"United Kingdom of Great Britain and Northern Ireland", fits)."""


def check_paper(paper: str) -> str:
    """``paper`` as a key of :data:`PAPER_SIZES`, or an error naming the choices."""
    key = str(paper).strip().lower()
    if key not in PAPER_SIZES:
        raise InvalidInputError(
            f"paper {shown(paper)} is not known: choose {' or '.join(map(repr, PAPER_SIZES))}"
        )
    return key


def finish_table(
    ws: Worksheet,
    *,
    header_row: int,
    last_row: int,
    widths: Sequence[float],
    footer: str = "",
    paper: str = "a4",
) -> None:
    """Freeze the header, filter the rows, size the columns and set up printing.

    Each column is as wide as its longest value (``widths`` are the least widths), so a
    long state name is never cut; the header row is as tall as its wrapped titles, each
    note as tall as its wrapped text. Printing: landscape on ``paper``, one page wide, the
    title block once and the header row repeated on every page, ``footer`` (e.g. the
    meeting and the date of issue) on the left and "Page x of y" on the right of the footer.
    """
    ws.freeze_panes = f"A{header_row + 1}"
    last_column = get_column_letter(len(widths))
    ws.auto_filter.ref = f"A{header_row}:{last_column}{max(last_row, header_row + 1)}"
    fitted = _fitted_widths(ws, header_row, last_row, widths)
    for column, width in enumerate(fitted, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    _set_heights(ws, header_row, fitted)
    print_landscape_one_page_wide(ws, paper=paper, footer=footer)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.print_area = f"A1:{last_column}{ws.max_row}"


def _fitted_widths(
    ws: Worksheet, header_row: int, last_row: int, least: Sequence[float]
) -> list[float]:
    """Each column's width: its longest value in the table rows (and its longest header
    word), with room for the accounting format's padding, at least ``least`` and at most
    :data:`MAX_WIDTH`; text longer than that wraps in its cell."""
    widths = list(least)
    long_text: list[Cell] = []
    for row in ws.iter_rows(min_row=header_row, max_row=last_row, max_col=len(least)):
        for index, cell in enumerate(row):
            value = cell.value
            if value is None or (isinstance(value, str) and value.startswith("=")):
                size = 0
            elif row[0].row == header_row:
                size = max((len(word) for word in str(value).split()), default=0)
            elif isinstance(value, int | float | Decimal | Fraction):
                size = len(f"{float(value):,.2f}") + 3
            else:
                size = len(str(value))
            if size + 2 > MAX_WIDTH and isinstance(cell, Cell):
                long_text.append(cell)
            widths[index] = min(max(widths[index], size + 2), max(MAX_WIDTH, least[index]))
    for cell in long_text:
        # wrapped, its last line level with the row's numbers
        cell.alignment = Alignment(wrap_text=True, indent=cell.alignment.indent or 0)
    return widths


def _set_heights(ws: Worksheet, header_row: int, widths: Sequence[float]) -> None:
    """The header row as tall as its longest wrapped title; each row below with wrapped
    cells as tall as its longest, across the columns a note is merged over."""
    spans = {
        (r.min_row, r.min_col): r.max_col for r in ws.merged_cells.ranges if r.min_row == r.max_row
    }
    for number, row in enumerate(
        ws.iter_rows(min_row=header_row, max_col=len(widths)), start=header_row
    ):
        lines = 1
        for cell in row:
            if not isinstance(cell, Cell) or not isinstance(cell.value, str):
                continue
            if cell.row != header_row and not cell.alignment.wrap_text:
                continue
            last = spans.get((cell.row, cell.column), cell.column)
            width = sum(widths[cell.column - 1 : last])
            lines = max(lines, wrapped_lines(cell.value, width))
        if number == header_row or lines > 1:
            ws.row_dimensions[number].height = LINE_HEIGHT * lines


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (at least 1)."""
    per_line = max(1, int(width * CHARACTERS_PER_WIDTH))
    lines = 0
    for paragraph in text.split("\n"):
        line = 0
        for word in paragraph.split():
            line = len(word) if line == 0 else line + 1 + len(word)
            if line > per_line:
                lines += 1
                line = len(word)
        lines += 1
    return max(1, lines)


def print_landscape_one_page_wide(ws: Worksheet, *, paper: str = "a4", footer: str = "") -> None:
    """Print setup: landscape on ``paper``, fitted to one page wide, as many pages tall as
    needed; ``footer`` on the left of every page and "Page x of y" on the right."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = PAPER_SIZES[check_paper(paper)]
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    page_footer = ws.oddFooter
    assert page_footer is not None  # openpyxl makes one for every sheet
    page_footer.left.text = footer.replace("&", "&&")
    page_footer.left.size = 8
    page_footer.right.text = "Page &P of &N"
    page_footer.right.size = 8
    ws.print_options.horizontalCentered = True


def sheet_title(wb: Workbook, wanted: str) -> str:
    """A valid sheet name (31 characters, no ``[]:*?/\\``) not yet used in ``wb``."""
    base = re.sub(r"[\[\]:*?/\\]", "-", printable(wanted)).strip("'") or "Sheet"
    base = base[:MAX_TITLE]
    title, n = base, 2
    while title in wb.sheetnames:
        suffix = f" ({n})"
        title, n = base[: MAX_TITLE - len(suffix)] + suffix, n + 1
    return title


def sheet_ref(ws: Worksheet, ref: str) -> str:
    """A reference to ``ref`` on ``ws`` usable in a formula on another sheet."""
    return f"{quote_sheetname(ws.title)}!{ref}"
