"""Read the UN Committee on Contributions' own scale workbook, as the UN publishes it.

The workbook ("Scale of Assessments for RB 1946-2027.xlsx") has one sheet with a column per
scale period since 1946, years stacked in up to three header rows above "Member State", dashes
and blanks for years a state was not a member, a "=" underline row, a Total row with formulas,
footnote markers ("Germany    e/") and today's names with "(formerly …)" notes. When the
General Assembly adopts a new scale, this reads it without waiting for a library release.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from openpyxl.utils import get_column_letter

from .._core.text import shown
from ..errors import InvalidInputError, Problem, UnknownPeriodError
from .reading import file_path, read_workbook
from .scales import PeriodLike, RawRow, Scale, parse_period, resolution_of, validate_scale

_HEADER = "member state"
_NOT_A_MEMBER = {"", "-", "\u2013", "\u2014", "="}
_FOOTNOTE = re.compile(r"\s+[a-z]/(?=\s|$)")
_FORMERLY = re.compile(r"\s*\(formerly[^)]*\)", re.IGNORECASE)


def clean_workbook_name(name: str) -> str:
    """A name without footnote markers and "(formerly …)" notes: 'Germany    e/' -> 'Germany'."""
    text = _FOOTNOTE.sub(" ", name)
    text = _FORMERLY.sub("", text)
    return " ".join(text.split())


def read_un_workbook(path: str | Path, period: PeriodLike) -> Scale:
    """The scale of one period (``"2019-2021"``, a year or a date) from the UN's workbook.

    Rates are matched to states through ISO3 codes and validated like any scale: every state
    name must be known, every rate a multiple of 0.001, and the column must total 100.000.
    """
    path = file_path(path)

    def fail(problem: Problem) -> InvalidInputError:
        # a file that is not the UN workbook is no scale with problems: the error of a file
        return InvalidInputError(f"{path} {problem.message}")

    sheets = read_workbook(path, fail)
    if not sheets:
        raise fail(Problem("has no sheet", code="sheet"))
    title, sheet = next(iter(sheets.items()))
    table: list[tuple[object, ...]] = list(sheet)
    header_row = next(
        (i for i, r in enumerate(table) if r and str(r[0] or "").strip().lower() == _HEADER),
        None,
    )
    if header_row is None:
        raise fail(
            Problem(
                f"has no 'Member State' header in column A of sheet {title!r}: is this the UN "
                "Committee on Contributions scale workbook?",
                code="not_un_workbook",
            )
        )
    years = _column_years(table, header_row)
    if not years:
        raise fail(
            Problem(
                f"has no years above the 'Member State' header of sheet {title!r}: is this the "
                "UN Committee on Contributions scale workbook?",
                code="not_un_workbook",
            )
        )
    column = _find_column(years, period, path)
    first, last = min(years[column]), max(years[column])
    label = f"{first}-{last}" if last != first else str(first)
    source = f"{path.name} [{title}] column {get_column_letter(column + 1)} ({label})"

    rows: list[RawRow] = []
    problems: list[Problem] = []
    for number, row in enumerate(table[header_row + 1 :], start=header_row + 2):
        name = row[0] if row else None
        if isinstance(name, str) and name.strip().lower().startswith("total"):
            break
        value = row[column] if column < len(row) else None
        if isinstance(value, str) and value.strip() in _NOT_A_MEMBER:
            continue
        if value is None:
            continue  # a blank: not a member in that period
        if name is None or (isinstance(name, str) and not name.strip()):
            problems.append(
                Problem(
                    f"has the rate {shown(value)} but no state name in column A: the row is "
                    "not read; give the name, or remove the rate",
                    where=f"row {number}",
                    code="no_state",
                )
            )
            continue
        rows.append(RawRow(f"row {number}", clean_workbook_name(str(name)), None, value))
    return validate_scale(
        rows,
        period=label,
        source=source,
        resolution=resolution_of(label),
        problems=problems,
    )


def _column_years(table: Sequence[Sequence[object]], header_row: int) -> dict[int, list[int]]:
    """Column index -> the years in the (up to three) header rows ending at 'Member State'."""
    years: dict[int, list[int]] = {}
    for row in table[max(0, header_row - 2) : header_row + 1]:
        for index, value in enumerate(row):
            if index and isinstance(value, int) and 1900 < value < 2200:
                years.setdefault(index, []).append(value)
    return years


def _find_column(years: dict[int, list[int]], period: PeriodLike, path: Path) -> int:
    """The column of a period label, a year or a date."""
    wanted = parse_period(period)
    for column, column_years in years.items():
        span = (min(column_years), max(column_years))
        if wanted == span or (isinstance(wanted, int) and wanted in column_years):
            return column
    spans = sorted(f"{min(y)}-{max(y)}" if len(y) > 1 else str(y[0]) for y in years.values())
    raise UnknownPeriodError(
        f"{path.name} has no column for {period!r}; its columns cover {spans[0]} to "
        f"{spans[-1]}, e.g. {', '.join(spans[-3:])}"
    )
