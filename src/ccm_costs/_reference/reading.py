"""How every file the library reads is read: within size limits, as UTF-8, with one clear error.

A reader owns its file errors: each passes ``fail``, which turns a :class:`Problem` into its
own error (a scale file's :class:`ScaleValidationError`, a meeting file's :class:`MeetingError`
...), so a file that is too large, not UTF-8, not CSV or not a workbook is named with the fix,
never a ``UnicodeDecodeError`` or a ``BadZipFile``.

- Text (CSV, TOML, JSON) is decoded as UTF-8, with or without a byte order mark; anything else
  is refused, naming the file and the encoding to save it in. At most :data:`MAX_TEXT_BYTES`.
- CSV: a cell over the csv module's limit, a column name given twice, and a row with more
  cells than the header (a decimal comma such as ``0,679`` shifts the cells) are reported.
- An ``.xlsx`` workbook is a zip: its size, its number of parts and what it and each part
  unpack to are checked before openpyxl opens it (a zip bomb is refused unread); its sheets
  are read as values, at most :data:`MAX_SHEET_CELLS` cells, with a formula the file holds no
  result for read as an :class:`Uncalculated` cell, so that a reader can say so.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .._core.text import shown
from ..errors import CcmCostsError, InvalidInputError, Problem

Fail = Callable[[Problem], CcmCostsError]
"""How a reader turns a problem of its file into its own error."""

MAX_TEXT_BYTES = 10 * 2**20
"""The largest text file read (a scale, meeting, rule set or data file): 10 MiB, a thousand
times a full scale of assessment."""
MAX_XLSX_BYTES = 20 * 2**20
"""The largest ``.xlsx`` file read, as stored: 20 MiB (the UN's own workbook is 80 KB)."""
MAX_XLSX_UNPACKED = 50 * 2**20
"""The most an ``.xlsx`` may unpack to, all its parts together: 50 MiB (the UN workbook
unpacks to 0.5 MB)."""
MAX_XLSX_PART = 10 * 2**20
"""The most any part but a sheet may unpack to (the styles, the shared strings): 10 MiB.
openpyxl holds these in memory, about 25 times their size; a sheet is streamed and bounded by
:data:`MAX_SHEET_CELLS` instead."""
MAX_XLSX_PARTS = 1000
"""The most parts (files) in an ``.xlsx`` zip."""
MAX_SHEET_CELLS = 200_000
"""The most cells read from a workbook's sheets together (the UN workbook has 12,480)."""
CSV_CELL_LIMIT = csv.field_size_limit()
"""The longest CSV cell, in characters: the csv module's limit (131,072)."""

_SAVE_AS_UTF8 = (
    "save it as UTF-8 (Excel: Save As, 'CSV UTF-8'; LibreOffice: Save As, character set "
    "'Unicode (UTF-8)'; Notepad: Save As, encoding 'UTF-8')"
)
_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, or an encrypted .xlsx
SQLITE_MAGIC = b"SQLite format 3\x00"
"""How an SQLite database (a ledger) begins."""


def file_path(value: object, what: str = "the file") -> Path:
    """``value`` (a ``str`` or an ``os.PathLike``) as a ``Path``, or an error naming it."""
    if isinstance(value, str | os.PathLike):
        return Path(value)
    raise InvalidInputError(f"{what} must be a path (a str or a pathlib.Path), not {shown(value)}")


def _megabytes(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def read_bytes(path: Path, fail: Fail, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes."""
    try:
        if not path.is_file():
            reason = "is a folder" if path.is_dir() else "does not exist or is not a file"
            raise fail(Problem(f"{reason}: give the path of a file", code="read"))
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as err:
        raise fail(Problem(f"cannot be read: {err.strerror or err}", code="read")) from None
    if len(data) > limit:
        raise fail(
            Problem(
                f"is larger than {_megabytes(limit)}, the limit for this kind of file: is it "
                "the right file?",
                code="too_large",
            )
        )
    return data


def read_text(path: Path, fail: Fail) -> str:
    """A text file decoded as UTF-8 (a byte order mark is dropped), at most
    :data:`MAX_TEXT_BYTES`; another encoding or a binary file is refused with the fix."""
    data = read_bytes(path, fail, MAX_TEXT_BYTES)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise fail(Problem(f"is UTF-16 text, not UTF-8: {_SAVE_AS_UTF8}", code="encoding"))
    if data.startswith(SQLITE_MAGIC):
        raise fail(
            Problem(
                "is an SQLite database (a ccm_costs ledger?), not a text file: give a CSV, "
                "TOML or JSON file",
                code="not_text",
            )
        )
    if data.startswith((_XLSX_MAGIC, _OLE_MAGIC)):
        raise fail(
            Problem(
                "is an Excel workbook or another binary file, not a text file: give a CSV, "
                "TOML or JSON file (or read a workbook with the Excel reader)",
                code="not_text",
            )
        )
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise fail(
            Problem(
                f"is not UTF-8 text (byte 0x{data[err.start]:02x} on line {line} is not UTF-8; "
                f"the file is perhaps Windows-1252 or Latin-1): {_SAVE_AS_UTF8}",
                code="encoding",
            )
        ) from None
    if "\x00" in text:
        raise fail(Problem("holds NUL bytes, so it is not a text file", code="not_text"))
    return text


# ------------------------------------------------------------------------------------- CSV


@dataclass(frozen=True)
class CsvRow:
    """One record of a CSV file: its line number (of its first line) and its cells by column
    name (a missing cell is ``None``)."""

    line: int
    cells: dict[str, str | None]


@dataclass(frozen=True)
class CsvTable:
    """A CSV file with a header row, and the problems of its shape (duplicate column names,
    rows with more cells than the header, which are left out of ``rows``)."""

    header: tuple[str, ...]
    rows: tuple[CsvRow, ...]
    problems: tuple[Problem, ...]


def read_csv(path: Path, fail: Fail) -> CsvTable:
    """A CSV file with a header row, read as UTF-8 within the limits (see the module)."""
    text = read_text(path, fail)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for cells in reader:
            records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as err:
        message = (
            f"a cell is longer than {CSV_CELL_LIMIT:,} characters, the CSV limit: is a "
            'closing quote (") missing?'
            if "field larger than field limit" in str(err)
            else f"is not valid CSV ({err})"
        )
        raise fail(Problem(message, where=f"line {line}", code="csv")) from None
    if not records:
        return CsvTable((), (), ())
    header = tuple(name.strip() for name in records[0][1])
    problems = header_problems(header)
    rows: list[CsvRow] = []
    for number, cells in records[1:]:
        extra = [c for c in cells[len(header) :] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    f"has {len(cells)} cells but the header has {len(header)} columns, so its "
                    "cells are shifted: a decimal comma (write 0.679, not 0,679) or an unquoted "
                    'comma in a name? Quote text that holds a comma ("Korea, Republic of")',
                    where=f"line {number}",
                    code="extra_cells",
                )
            )
            continue
        values: dict[str, str | None] = dict.fromkeys(header)
        values.update(zip(header, cells, strict=False))
        rows.append(CsvRow(number, values))
    return CsvTable(header, tuple(rows), tuple(problems))


def header_problems(header: tuple[str, ...]) -> list[Problem]:
    """A column name given twice (compared without case): which of them would count is a
    guess, so it is refused."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for column, name in enumerate(header, start=1):
        key = name.lower()
        if key and key in first:
            problems.append(
                Problem(
                    f"the column {name!r} is given twice (columns {first[key]} and {column}): "
                    "keep one",
                    where="header",
                    code="duplicate_column",
                )
            )
        first.setdefault(key, column)
    return problems


# ------------------------------------------------------------------------------------ xlsx


@dataclass(frozen=True)
class Uncalculated:
    """A formula cell the file holds no result for (written by a program that does not
    calculate, and never opened and saved in a spreadsheet)."""

    formula: str

    def __str__(self) -> str:
        return self.formula


UNCALCULATED_FIX = (
    "open the file in Excel or LibreOffice and save it, so that the results of its formulas "
    "are stored, then read it again"
)
"""What to do about an :class:`Uncalculated` cell."""

Sheet = tuple[tuple[object, ...], ...]
"""A sheet's rows of cell values (None for an empty cell)."""


def read_workbook(path: Path, fail: Fail) -> dict[str, Sheet]:
    """The values of every sheet of an ``.xlsx`` workbook, by sheet title in order.

    The file is checked as a zip first (size, parts, what it unpacks to), then read twice by
    openpyxl (the stored values, and the formulas), so that a formula without a stored result
    reads as an :class:`Uncalculated` cell rather than as an empty one.
    """
    data = _checked_xlsx(path, fail)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns of parts it does not read
        try:
            values = _sheets(data, fail, data_only=True)
            formulas = _sheets(data, fail, data_only=False)
            return {
                title: tuple(
                    tuple(
                        Uncalculated(_formula_text(f)) if v is None and f is not None else v
                        for v, f in zip(value_row, formula_row, strict=True)
                    )
                    for value_row, formula_row in zip(rows, formulas[title], strict=True)
                )
                for title, rows in values.items()
            }
        except CcmCostsError:
            raise
        # openpyxl raises what its parsers raise on a damaged part (zip, XML, KeyError, ...):
        # not a closed set, and every one means the same to the user.
        except Exception as err:
            raise fail(
                Problem(
                    f"cannot be read as an .xlsx workbook ({type(err).__name__}: {err}); open it "
                    "in Excel or LibreOffice and save it as .xlsx",
                    code="not_xlsx",
                )
            ) from None


def _formula_text(formula: object) -> str:
    text = getattr(formula, "text", formula)  # an ArrayFormula keeps its text
    return str(text)


def _checked_xlsx(path: Path, fail: Fail) -> bytes:
    """The bytes of an ``.xlsx`` zip within the limits, or ``fail`` says what the file is."""
    data = read_bytes(path, fail, MAX_XLSX_BYTES)
    if not data.startswith(_XLSX_MAGIC):
        if data.startswith(_OLE_MAGIC):
            what = "an Excel 97-2003 (.xls) workbook or one with a password"
        elif not data:
            what = "empty"
        else:
            what = "a text file (CSV?)" if _looks_like_text(data) else "not a zip file"
        raise fail(
            Problem(
                f"is {what}, not an .xlsx workbook: open it in Excel or LibreOffice and save it "
                "as .xlsx (Excel Workbook"
                + (", without a password)" if data.startswith(_OLE_MAGIC) else ")"),
                code="not_xlsx",
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise fail(
            Problem(
                f"is a damaged zip file ({err}), so not a readable .xlsx workbook: was it cut "
                "short while copying? Get the file again",
                code="not_xlsx",
            )
        ) from None
    names = {part.filename for part in parts}
    unpacked = sum(part.file_size for part in parts)
    largest = max(
        (p for p in parts if not p.filename.startswith("xl/worksheets/")),
        key=lambda p: p.file_size,
        default=None,
    )
    if len(parts) > MAX_XLSX_PARTS or unpacked > MAX_XLSX_UNPACKED:
        raise fail(
            Problem(
                f"unpacks to {_megabytes(unpacked)} in {len(parts):,} parts, more than an "
                f".xlsx is read to ({_megabytes(MAX_XLSX_UNPACKED)}, {MAX_XLSX_PARTS:,} "
                "parts): it is not read (a zip bomb?)",
                code="too_large",
            )
        )
    if largest is not None and largest.file_size > MAX_XLSX_PART:
        raise fail(
            Problem(
                f"has a part {largest.filename!r} that unpacks to "
                f"{_megabytes(largest.file_size)}, more than the {_megabytes(MAX_XLSX_PART)} "
                "read of any part but a sheet: it is not read (a zip bomb?)",
                code="too_large",
            )
        )
    if "[Content_Types].xml" not in names:
        what = "an OpenDocument file (.ods?)" if "mimetype" in names else "a zip file"
        raise fail(
            Problem(
                f"is {what}, not an .xlsx workbook: open it in Excel or LibreOffice and save it "
                "as .xlsx (Excel Workbook)",
                code="not_xlsx",
            )
        )
    return data


def _looks_like_text(data: bytes) -> bool:
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError as err:
        return err.start > 4090  # a character cut at the end of the sample
    return True


def _sheets(data: bytes, fail: Fail, *, data_only: bool) -> dict[str, list[tuple[object, ...]]]:
    """Every sheet's rows through openpyxl's read-only reader, stopping at the cell limit."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        sheets: dict[str, list[tuple[object, ...]]] = {}
        cells = 0
        for worksheet in workbook.worksheets:
            if worksheet.title in sheets:
                raise fail(
                    Problem(
                        f"has two sheets named {worksheet.title!r}: it is damaged",
                        code="not_xlsx",
                    )
                )
            rows = sheets[worksheet.title] = []
            for row in worksheet.iter_rows(values_only=True):
                cells += max(1, len(row))  # an empty row costs its reading too
                if cells > MAX_SHEET_CELLS:
                    raise fail(
                        Problem(
                            f"has more than {MAX_SHEET_CELLS:,} cells (sheet "
                            f"{worksheet.title!r} reaches row {len(rows) + 1:,}), more than "
                            "is read: give a workbook with the table alone",
                            code="too_large",
                        )
                    )
                rows.append(row)
        return sheets
    finally:
        workbook.close()
