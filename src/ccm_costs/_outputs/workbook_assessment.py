"""An assessment workbook this library wrote, read back as amounts per state.

A finance officer keeps the workbooks that were sent out (the estimate in June, the final in
November); reconciling them needs their figures, not a recomputation. The table is read by the
one reader of assessment tables (:func:`~ccm_costs.read_assessment_table`, as ``check`` reads
it), then held to what the library writes: its title block names ``ccm_costs``, every state is
known and listed once, every amount is a whole number of minor units, and the amounts add up
to the total the title block states. Anything else is an error naming the file, the sheet and
the row: a workbook edited by hand is checked with :func:`~ccm_costs.check_workbook`, not
silently reconciled.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from .._core.money import currency_exponent, from_minor_units
from .._core.numbers import exact_value, fraction_decimal
from .._core.text import shown
from ..errors import InvalidInputError
from .check import AssessmentTable, identify_states, read_assessment_table, stated_total_of

LIBRARY_LABEL = "Library"
"""The title-block line that names the library which wrote the workbook."""
LIBRARY_NAME = "ccm_costs"
DATES = ("date of issue", "produced")
"""The title block's items a provenance written under the table lacks."""
SHOWN_PROBLEMS = 5
"""How many of a workbook's problems the error lists (then how many more)."""


@dataclass(frozen=True)
class WorkbookLine:
    """One state's amount as the workbook holds it."""

    row: int
    iso3: str
    state: str
    role: str | None
    amount_minor: int


@dataclass(frozen=True)
class WorkbookAssessment:
    """The assessment of one sheet of a workbook this library wrote: what
    :func:`~ccm_costs.reconcile` takes, like an :class:`~ccm_costs.Assessment`."""

    path: Path
    sheet: str
    currency: str
    total_minor: int
    lines: tuple[WorkbookLine, ...]
    stated: Mapping[str, str]
    """The title block, label -> text as printed (Meeting, Dates, Total, Date of issue, ...)."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """The provenance written under the table, label -> text (empty if there is none)."""

    @property
    def source(self) -> str:
        """The file and sheet, and the date of issue where the workbook states one."""
        issued = self.stated.get("Date of issue")
        return f"{self.path.name}, sheet {self.sheet!r}" + (f", issued {issued}" if issued else "")

    @property
    def total(self) -> Decimal:
        """The total in currency units."""
        return from_minor_units(self.total_minor, self.currency)

    def line_of(self, iso3: str) -> WorkbookLine | None:
        """The line of a state, or None if the workbook does not assess it."""
        return next((line for line in self.lines if line.iso3 == iso3), None)

    def provenance(self) -> dict[str, str]:
        """The workbook read, then the provenance written under its table (the assessment's
        own), with the title block's dates of issue and production; without it, the title
        block, each label as an assessment's provenance writes it ("meeting", "GA
        resolution")."""
        stated = {_key(label): text for label, text in self.stated.items()}
        if self.notes:
            stated = {k: v for k, v in stated.items() if k in DATES and k not in self.notes}
        return {
            "workbook": f"{self.path} (sheet {self.sheet!r}), read back",
            **self.notes,
            **stated,
        }


def _key(label: str) -> str:
    """A title-block label as a provenance key: its first letter in lower case unless the
    label starts with an abbreviation ("Meeting" -> "meeting", "UN scale" stays)."""
    return label[:1].lower() + label[1:] if label[1:2].islower() else label


def read_assessment_workbook(path: str | Path, *, sheet: str | None = None) -> WorkbookAssessment:
    """The assessment in a workbook written by this library (``write_workbook``,
    ``Assessment.to_excel``, ``ccm-costs assess -o``), as amounts per state.

    ``sheet`` names the sheet; without it the workbook must hold one assessment sheet (a
    workbook of an estimate and a final holds two: name one). Raises
    :class:`~ccm_costs.InvalidInputError` for a workbook another program wrote, an unknown or
    repeated state, a cell that is not an amount, an amount finer than the currency's minor
    unit, and amounts that do not add up to the total the title block states.
    """
    table = read_assessment_table(path, sheet=sheet)
    where = f"{table.path.name}, sheet {table.sheet!r}"
    if sheet is None and table.other_sheets:
        sheets = ", ".join(map(repr, (table.sheet, *table.other_sheets)))
        raise InvalidInputError(
            f"{table.path.name} holds {1 + len(table.other_sheets)} assessment sheets "
            f"({sheets}): name the one to read, e.g. sheet={table.sheet!r}"
        )
    library = table.stated.get(LIBRARY_LABEL)
    if not (isinstance(library, str) and library.startswith(f"{LIBRARY_NAME} ")):
        raise InvalidInputError(
            f"{where} was not written by {LIBRARY_NAME}: its title block has no "
            f"'{LIBRARY_LABEL}: {LIBRARY_NAME} ...' line. Give an assessment workbook this "
            "library wrote, or compare this one with check_workbook(path, expected)"
        )
    currency = _currency(table, where)
    lines, problems = _lines(table, currency)
    total = stated_total_of(table.stated)
    summed = sum(line.amount_minor for line in lines)
    exponent = currency_exponent(currency)
    if total is None:
        problems.append("its title block states no total")
    elif not problems and summed != total * 10**exponent:
        problems.append(
            f"its amounts sum to {from_minor_units(summed, currency):,} {currency} but its "
            f"title block states a total of {_text(total, 'the total', currency)}: it was "
            f"changed after {LIBRARY_NAME} wrote it"
        )
    if problems:
        more = len(problems) - SHOWN_PROBLEMS
        raise InvalidInputError(
            f"{where} cannot be read back as the assessment {LIBRARY_NAME} wrote: "
            + "; ".join(problems[:SHOWN_PROBLEMS])
            + (f"; and {more} more" if more > 0 else "")
            + ". Check it against the expected assessment with check_workbook(path, expected)"
        )
    return WorkbookAssessment(
        path=table.path,
        sheet=table.sheet,
        currency=currency,
        total_minor=summed,
        lines=tuple(lines),
        stated={label: _text(value, label, currency) for label, value in table.stated.items()},
        notes=dict(table.notes),
    )


def _currency(table: AssessmentTable, where: str) -> str:
    stated = table.stated.get("Currency")
    if not isinstance(stated, str) or not stated.strip():
        raise InvalidInputError(f"{where}: its title block states no currency ('Currency')")
    code = stated.strip().upper()
    currency_exponent(code)  # an unknown code is an error naming it
    return code


def _lines(table: AssessmentTable, currency: str) -> tuple[list[WorkbookLine], list[str]]:
    """Every state row as a line, and the problems (one per row) that stop the reading: the
    findings of the one table reader (unknown, repeated or misnamed states), cells that hold
    no amount, amounts finer than the minor unit."""
    found, findings = identify_states(table)
    problems = [str(finding["message"]) for finding in findings]
    unit = 10 ** currency_exponent(currency)
    lines = []
    for code, row in sorted(found.items(), key=lambda item: item[1].row):
        problems += [f"row {row.row}: {why}" for _, why in row.unreadable]
        if row.unreadable:
            continue
        if row.amount is None:
            problems.append(f"row {row.row}: {row.state} has no amount")
            continue
        minor = row.amount * unit
        if minor.denominator != 1:
            problems.append(
                f"row {row.row}: the amount {shown(str(fraction_decimal(row.amount)))} of "
                f"{row.state} is finer than one minor unit of {currency}"
            )
            continue
        lines.append(WorkbookLine(row.row, code, row.state, row.role, int(minor)))
    return lines, problems


def _text(value: object, label: str, currency: str) -> str:
    """A title-block value as printed: an amount with its currency's decimals."""
    if isinstance(value, int | float | Decimal | Fraction) and not isinstance(value, bool):
        minor = exact_value(value, label) * 10 ** currency_exponent(currency)
        if minor.denominator == 1:
            return f"{from_minor_units(int(minor), currency):,} {currency}"
    return str(value)
