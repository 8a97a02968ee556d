"""Users' own scales of assessment: CSV, Excel and DataFrame tables, through the same validation
as the shipped scales (every problem of a table in one :class:`ScaleValidationError`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .._core.text import shown
from ..errors import InvalidInputError, Problem, ScaleValidationError
from .reading import file_path, header_problems, read_csv, read_workbook
from .scales import RawRow, Scale, blank, validate_scale

if TYPE_CHECKING:
    import pandas as pd

_NAME_COLUMNS = ("member_state", "state")
_RATE_COLUMNS = ("rate_percent", "rate")


def scale_from_records(
    records: Iterable[Mapping[str, object]],
    *,
    period: str = "custom",
    source: str = "records",
    check_total: bool = True,
    first_row: int = 1,
    columns: Iterable[str] | None = None,
    found: Sequence[Problem] = (),
    lines: Sequence[int] | None = None,
) -> Scale:
    """A scale from rows of a table with columns ``iso3`` and/or ``member_state`` (or ``state``)
    and ``rate_percent`` (or ``rate``); the common path of CSV, Excel and DataFrame input.

    ``columns`` names the table's columns when it may have no rows; ``first_row`` is the
    number of the first record in the source, for messages (``lines``, the number of each
    record, when they are not consecutive); ``found`` are the problems the file reader found,
    reported with the rows' (a column given twice is one)."""
    rows = list(records)
    header = list(columns) if columns is not None else [str(c) for r in rows[:1] for c in r]
    problems = [*found, *header_problems(tuple(str(c).strip() for c in header))]
    problems = list(dict.fromkeys(problems))  # the CSV reader reports a repeated column too
    columns_found = {c.strip().lower(): c for c in header}
    name_col = next((columns_found[c] for c in _NAME_COLUMNS if c in columns_found), None)
    code_col = columns_found.get("iso3")
    rate_col = next((columns_found[c] for c in _RATE_COLUMNS if c in columns_found), None)
    missing = []
    if rate_col is None:
        missing.append("a rate column ('rate_percent')")
    if name_col is None and code_col is None:
        missing.append("a state column ('iso3' or 'member_state')")
    if missing:
        listed = ", ".join(repr(c) for c in header) or "none"
        raise ScaleValidationError(
            source,
            [
                *problems,
                *(
                    Problem(f"missing {m}; the columns found are: {listed}", code="missing_column")
                    for m in missing
                ),
            ],
        )
    raw = []
    numbers = lines if lines is not None else range(first_row, first_row + len(rows))
    for n, record in zip(numbers, rows, strict=True):
        values = [record.get(c) for c in (name_col, code_col, rate_col) if c is not None]
        if all(blank(v) for v in values):
            continue
        raw.append(
            RawRow(
                f"row {n}",
                _text(record.get(name_col)) if name_col is not None else None,
                _text(record.get(code_col)) if code_col is not None else None,
                record.get(rate_col) if rate_col is not None else None,
            )
        )
    return validate_scale(
        raw, period=period, source=source, check_total=check_total, problems=problems
    )


def _text(value: object) -> str | None:
    return None if blank(value) else str(value).strip()


def scale_from_csv(path: str | Path, *, period: str = "custom", check_total: bool = True) -> Scale:
    """A scale from a CSV file with a header row (see :func:`scale_from_records` for columns),
    UTF-8 with or without a byte order mark."""
    path = file_path(path)
    table = read_csv(path, _fail(str(path)))
    return scale_from_records(
        (row.cells for row in table.rows),
        period=period,
        source=str(path),
        check_total=check_total,
        first_row=2,
        columns=table.header,
        found=table.problems,
        lines=[row.line for row in table.rows],
    )


def scale_from_excel(
    path: str | Path,
    *,
    sheet: str | None = None,
    period: str = "custom",
    check_total: bool = True,
) -> Scale:
    """A scale from an Excel sheet whose first row holds the column names."""
    path = file_path(path)
    sheets = read_workbook(path, _fail(str(path)))
    if sheet is not None and sheet not in sheets:
        raise ScaleValidationError(
            str(path),
            [Problem(f"has no sheet {sheet!r}; its sheets are {list(sheets)}", code="sheet")],
        )
    title = sheet if sheet is not None else next(iter(sheets), None)
    if title is None:
        raise ScaleValidationError(str(path), [Problem("has no sheet", code="sheet")])
    table = sheets[title]
    header = [str(h).strip() if h is not None else "" for h in (table[0] if table else [])]
    records = [dict(zip(header, r, strict=False)) for r in table[1:]]
    return scale_from_records(
        records,
        period=period,
        source=f"{path} [{title}]",
        check_total=check_total,
        first_row=2,
        columns=header,
    )


def _fail(source: str) -> Callable[[Problem], ScaleValidationError]:
    def fail(problem: Problem) -> ScaleValidationError:
        return ScaleValidationError(source, [problem])

    return fail


def scale_from_frame(
    frame: pd.DataFrame, *, period: str = "custom", check_total: bool = True
) -> Scale:
    """A scale from a pandas DataFrame (see :func:`scale_from_records` for columns)."""
    if not hasattr(frame, "columns") or not hasattr(frame, "to_dict"):
        raise InvalidInputError(f"scale_from_frame() takes a pandas DataFrame, not {shown(frame)}")
    repeated = header_problems(tuple(str(c).strip() for c in frame.columns))
    if repeated:  # before pandas drops all but one of them
        raise ScaleValidationError("DataFrame", repeated)
    records = [{str(k): v for k, v in r.items()} for r in frame.to_dict(orient="records")]
    return scale_from_records(
        records,
        period=period,
        source="DataFrame",
        check_total=check_total,
        columns=[str(c) for c in frame.columns],
    )
