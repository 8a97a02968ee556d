"""Check an assessment table someone else produced: read it, recompute it, list every difference.

Reads our own workbooks (title block, header, totals row) and plain tables with a state column
and an amount column (and optionally ISO3, UN rate and adjusted rate columns). The expected
figures are an :class:`Assessment` given by the caller, or are recomputed from the scale,
participants and total the workbook states (each can be overridden).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from .._apportion import apportion
from .._assessment import Assessment
from .._core.money import MAX_MINOR_UNITS, currency_exponent
from .._core.numbers import AmountLike, exact_value, fraction_decimal
from .._core.text import printable, shown
from .._reference.reading import Sheet, Uncalculated, file_path, read_workbook
from .._reference.scales import PeriodLike, Scale, load_scale
from .._reference.states import resolve_state, state_name
from ..errors import InvalidInputError, Problem, UnknownStateError
from ..rules._files import resolve
from ..rules._ruleset import RuleSet

if TYPE_CHECKING:
    import pandas as pd

    from ..conventions import Meeting

HEADER_SEARCH_ROWS = 60
STATE_HEADERS = ("state", "states", "states parties", "state party", "member state",
                 "member states", "party", "parties", "country", "countries", "name")  # fmt: skip
ISO3_HEADERS = ("iso3", "iso", "iso code", "code")
ROLE_HEADERS = ("role", "status")
AMOUNT_HEADERS = ("amount", "contribution", "assessed contribution", "assessment")
RATE_HEADERS = ("adjusted rate", "adjusted scale", "rate", "share", "adjusted share")
UN_RATE_HEADERS = ("un scale", "un rate", "united nations scale")
"""How the headers of each column may start (case and spacing aside): our own workbooks,
plain tables and the Multilateral Fund's layout (``No. | Party | UN scale | Adjusted scale |
Contribution``)."""
FINDING_COLUMNS = ["row", "state", "iso3", "check", "workbook", "expected", "difference",
                   "message"]  # fmt: skip


@dataclass(frozen=True)
class TableRow:
    """One state's row as read from the workbook (values exact, as the cells print)."""

    row: int
    state: str
    iso3: str | None
    amount: Fraction | None
    rate: Decimal | None
    un_rate: Decimal | None
    role: str | None = None
    unreadable: tuple[tuple[str, str], ...] = ()
    """Cells that hold no number where one belongs: (column, why), each a finding."""


@dataclass(frozen=True)
class AssessmentTable:
    """The rows of an assessment table and what its title block states."""

    path: Path
    sheet: str
    rows: tuple[TableRow, ...]
    stated: Mapping[str, object] = field(default_factory=dict)
    """From the title block: "Total" (Fraction), "Currency", "UN scale of assessment"."""
    other_sheets: tuple[str, ...] = ()
    """The workbook's other sheets that hold an assessment table (not checked with this one)."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """The "label: text" lines under a "Provenance" heading below the table (our workbooks'
    provenance), by label."""


@dataclass(frozen=True)
class WorkbookCheck:
    """Every difference between a workbook and the expected assessment."""

    table: AssessmentTable
    expected: Assessment
    findings: tuple[dict[str, object], ...]
    basis: str
    """How the expected figures were obtained, in words."""

    @property
    def ok(self) -> bool:
        """True when the workbook agrees with the expected assessment in every figure."""
        return not self.findings

    @property
    def differences(self) -> pd.DataFrame:
        """One row per finding: sheet row, state, ISO3, check, workbook value, expected value,
        difference and a message."""
        import pandas as pd

        return pd.DataFrame(list(self.findings), columns=FINDING_COLUMNS, dtype=object)

    def summary(self) -> str:
        """A readable report: what was checked against what, then one line per finding; text
        from the workbook (a state's name) with its control characters shown as escapes."""
        head = (
            f"{self.table.path.name}, sheet {self.table.sheet!r}: {len(self.table.rows)} state "
            f"rows checked against {self.basis}."
        )
        if self.table.other_sheets:
            listed = ", ".join(repr(name) for name in self.table.other_sheets)
            head += (
                f"\nThe workbook has other assessment tables, checked on their own (by sheet "
                f"name, or all with --all-sheets in the command line): {listed}."
            )
        if self.ok:
            return head + "\nNo differences: every amount and rate agrees."
        counts: dict[str, int] = {}
        for finding in self.findings:
            check = str(finding["check"])
            counts[check] = counts.get(check, 0) + 1
        tally = ", ".join(f"{n} {check}" for check, n in counts.items())
        lines = [f"  {printable(str(finding['message']))}" for finding in self.findings]
        return "\n".join([head, f"{len(self.findings)} differences ({tally}):", *lines])

    __str__ = summary


def _key(value: object) -> str:
    return " ".join(str(value).strip().lower().replace("\n", " ").split())


def _find_header(title: str, sheet: Sheet) -> tuple[int, dict[str, int]]:
    """The header row (numbered from 1) and the columns found in it (numbered from 1): state,
    iso3, amount, rate, un_rate."""
    for number, row in enumerate(sheet[:HEADER_SEARCH_ROWS], start=1):
        columns: dict[str, int] = {}
        for column, value in enumerate(row, start=1):
            text = _key(value) if isinstance(value, str) else ""
            if not text:
                continue
            if text in STATE_HEADERS:
                columns.setdefault("state", column)
            elif text in ISO3_HEADERS:
                columns.setdefault("iso3", column)
            elif text in ROLE_HEADERS:
                columns.setdefault("role", column)
            elif text.startswith(AMOUNT_HEADERS):
                columns.setdefault("amount", column)
            elif text.startswith(UN_RATE_HEADERS):
                columns.setdefault("un_rate", column)
            elif text.startswith(RATE_HEADERS):
                columns.setdefault("rate", column)
        if "state" in columns and "amount" in columns:
            return number, columns
    raise InvalidInputError(
        f"no assessment table found in sheet {title!r}: the first {HEADER_SEARCH_ROWS} rows "
        "have no header row with a state column ('State', 'Party', 'Country', 'Member "
        "State') and an amount column ('Amount', 'Contribution')"
    )


def _stated(sheet: Sheet, header_row: int) -> dict[str, object]:
    """Label/value pairs above the header (our title block: a label, then its value)."""
    found: dict[str, object] = {}
    for row in sheet[1 : header_row - 1]:
        filled = [value for value in row[:4] if value is not None]
        if len(filled) == 2 and isinstance(filled[0], str):
            found[filled[0].strip()] = filled[1]
    return found


def _number(value: object, where: str, *, text: bool = False) -> Fraction | None:
    """A cell's number as the decimal it prints; None for an empty cell. A number typed as
    text is refused in a table's cells (``text=False``), read in the title block."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Uncalculated):
        raise InvalidInputError(
            f"{where} holds the formula {shown(value.formula)} without a stored result: open "
            "and save the file in Excel or LibreOffice so that its values are stored, then "
            "check it again"
        )
    if isinstance(value, str) and not text:
        try:
            exact_value(value, where)
        except InvalidInputError as err:
            why = str(err)
        else:
            why = f"{where} {shown(value)} is a number typed as text"
        raise InvalidInputError(
            f"{why}; the cell holds text, not a number (a spreadsheet does not add it up "
            "either): enter it as a number"
        )
    if isinstance(value, int | float | Decimal | str) and not isinstance(value, bool):
        number = exact_value(value, where)
        if abs(number) > MAX_MINOR_UNITS:  # in currency units: beyond any currency's total
            raise InvalidInputError(
                f"{where} is {shown(value)}, beyond the largest amount shared out exactly "
                f"({MAX_MINOR_UNITS:,} minor units): is it the right cell?"
            )
        return number
    raise InvalidInputError(f"{where} is {shown(value)}, not a number")


def read_assessment_table(path: str | Path, *, sheet: str | None = None) -> AssessmentTable:
    """The state rows of the first sheet (or ``sheet``) that holds an assessment table; rows
    end at a "Total" row or the first row without a state. ``other_sheets`` names the other
    sheets that hold one (not read here: check them by name)."""
    source = file_path(path, "the workbook")

    def fail(problem: Problem) -> InvalidInputError:
        return InvalidInputError(f"{source} {problem.message}")

    sheets = read_workbook(source, fail)
    if sheet is not None and sheet not in sheets:
        raise InvalidInputError(
            f"{source} has no sheet {sheet!r}; its sheets are {', '.join(map(repr, sheets))}"
        )
    headers: dict[str, tuple[int, dict[str, int]]] = {}
    errors = []
    for name in [sheet] if sheet is not None else list(sheets):
        try:
            headers[name] = _find_header(name, sheets[name])
        except InvalidInputError as err:
            errors.append(str(err))
    if not headers:
        raise InvalidInputError(f"{source}: " + ("; ".join(errors) or "it has no sheet"))
    name, (header_row, columns) = next(iter(headers.items()))
    others = tuple(n for n in sheets if n != name and _has_table(n, sheets[n]))
    try:
        rows = tuple(_rows(sheets[name], header_row, columns))
    except InvalidInputError as err:
        raise InvalidInputError(f"{source}, sheet {name!r}: {err}") from None
    return AssessmentTable(
        path=source,
        sheet=name,
        rows=rows,
        stated=_stated(sheets[name], header_row),
        other_sheets=others,
        notes=_provenance_notes(sheets[name], header_row + len(rows)),
    )


PROVENANCE_HEADING = "Provenance"


def _provenance_notes(sheet: Sheet, after: int) -> dict[str, str]:
    """The "label: text" lines in column A under the first "Provenance" heading below row
    ``after``, up to the first empty cell."""
    notes: dict[str, str] = {}
    cells = [row[0] if row else None for row in sheet[after:]]
    if PROVENANCE_HEADING not in cells:
        return notes
    for value in cells[cells.index(PROVENANCE_HEADING) + 1 :]:
        if not isinstance(value, str) or not value.strip():
            break
        label, _, text = value.partition(": ")
        notes[label] = text
    return notes


def _has_table(title: str, sheet: Sheet) -> bool:
    try:
        _find_header(title, sheet)
    except InvalidInputError:
        return False
    return True


def _rows(sheet: Sheet, header_row: int, columns: Mapping[str, int]) -> Iterable[TableRow]:
    for r, cells in enumerate(sheet[header_row:], start=header_row + 1):
        row = _row(r, cells, columns)
        if row is None:
            return
        yield row


def _row(r: int, cells: tuple[object, ...], columns: Mapping[str, int]) -> TableRow | None:
    """Row ``r`` of the table, or None where the table ends (a "Total" row, no state). A cell
    that holds no number where one belongs is kept as a finding, not an error."""

    def value(name: str) -> object:
        column = columns.get(name)
        return None if column is None or column > len(cells) else cells[column - 1]

    state = value("state")
    if state is None or _key(state) in {"", "total", "totals"}:
        return None
    if isinstance(state, Uncalculated):
        raise InvalidInputError(
            f"the state in row {r} is the formula {shown(state.formula)} without a stored "
            "result: open and save the file in Excel or LibreOffice, then check it again"
        )
    unreadable: list[tuple[str, str]] = []

    def number(name: str, what: str) -> Fraction | None:
        try:
            return _number(value(name), f"the {what}")
        except InvalidInputError as err:
            unreadable.append((what, str(err)))
            return None

    amount, rate, un_rate = (
        number("amount", "amount"),
        number("rate", "rate"),
        number("un_rate", "UN rate"),
    )
    iso3, role = value("iso3"), value("role")
    return TableRow(
        row=r,
        state=str(state).strip(),
        iso3=str(iso3).strip().upper() if iso3 else None,
        amount=amount,
        rate=None if rate is None else fraction_decimal(rate),
        un_rate=None if un_rate is None else fraction_decimal(un_rate),
        role=str(role).strip() if role else None,
        unreadable=tuple(unreadable),
    )


def _finding(
    check: str,
    message: str,
    *,
    row: int | None = None,
    state: str = "",
    iso3: str = "",
    workbook: object = None,
    expected: object = None,
    difference: object = None,
) -> dict[str, object]:
    return {
        "row": row,
        "state": state,
        "iso3": iso3,
        "check": check,
        "workbook": workbook,
        "expected": expected,
        "difference": difference,
        "message": message,
    }


def identify_states(
    table: AssessmentTable,
) -> tuple[dict[str, TableRow], list[dict[str, object]]]:
    """ISO3 -> row for the states recognised; findings for unknown, repeated and misnamed
    states (shared with the reading back of our workbooks, :mod:`.workbook_assessment`)."""
    found: dict[str, TableRow] = {}
    findings: list[dict[str, object]] = []
    for row in table.rows:
        try:
            code = resolve_state(row.iso3 or row.state)
        except UnknownStateError as err:
            findings.append(
                _finding("unknown state", f"row {row.row}: {err}", row=row.row, state=row.state)
            )
            continue
        if row.iso3:
            findings += _name_findings(row, code)
        if code in found:
            findings.append(
                _finding(
                    "duplicate",
                    f"row {row.row}: {row.state} ({code}) appears again (first in row "
                    f"{found[code].row})",
                    row=row.row,
                    state=row.state,
                    iso3=code,
                )
            )
            continue
        found[code] = row
    return found, findings


def _name_findings(row: TableRow, code: str) -> list[dict[str, object]]:
    """A finding when the State column names another state than the ISO3 column, or none."""
    try:
        named = resolve_state(row.state)
    except UnknownStateError:
        message = (
            f"row {row.row}: {row.state!r} is not a name of {code} ({state_name(code)}), the "
            "state its ISO3 code names"
        )
    else:
        if named == code:
            return []
        message = (
            f"row {row.row}: the name {row.state!r} is {named} ({state_name(named)}), but the "
            f"ISO3 code {code} is {state_name(code)}: one of the two is wrong"
        )
    return [_finding("name", message, row=row.row, state=row.state, iso3=code)]


def stated_total_of(stated: Mapping[str, object]) -> Fraction | None:
    """The total a title block states ("Total"), exactly; None if it states none."""
    return _number(stated.get("Total"), "the total it states", text=True)


def _expected_from_table(
    table: AssessmentTable,
    found: Mapping[str, TableRow],
    codes: list[str],
    *,
    scale: Scale | PeriodLike | None,
    total: AmountLike | None,
    currency: str | None,
    rules: RuleSet | str | None,
) -> tuple[Assessment, str]:
    stated = table.stated
    basis_scale = scale if scale is not None else stated.get("UN scale of assessment")
    if basis_scale is None:
        raise InvalidInputError(
            f"{table.path.name} does not say which UN scale it uses: give it, e.g. "
            "check_workbook(path, scale='2022-2024'), or give the expected assessment"
        )
    scale_obj = basis_scale if isinstance(basis_scale, Scale) else load_scale(str(basis_scale))
    money = currency or str(stated.get("Currency", "USD"))
    if total is not None:
        amount: AmountLike = total
        total_basis = "the total given"
    elif (stated_total := stated_total_of(stated)) is not None:
        amount = fraction_decimal(stated_total)
        total_basis = "the total the workbook states"
    else:
        summed = sum((r.amount or Fraction(0) for r in found.values()), Fraction(0))
        amount = fraction_decimal(summed)
        total_basis = "the sum of the workbook's amounts (it states no total)"
    by_code = found
    extra = {
        code: by_code[code].un_rate
        for code in codes
        if code not in scale_obj and code in by_code and by_code[code].un_rate is not None
    }
    rule_set = resolve(rules)
    stated_rates = {c: (rate, "the rate the workbook states") for c, rate in extra.items()
                    if rate is not None}  # fmt: skip
    if stated_rates:
        rule_set = rule_set.replace(rates=stated_rates)
    expected = apportion(amount, codes, scale=scale_obj, rules=rule_set, currency=money)
    basis = (
        f"a recomputation on the UN scale {scale_obj.period} of {len(codes)} states and "
        f"{total_basis} ({expected.total:,} {expected.currency})"
    )
    return expected, basis


def check_workbook(
    path: str | Path,
    expected: Assessment | None = None,
    *,
    meeting: Meeting | None = None,
    sheet: str | None = None,
    scale: Scale | PeriodLike | None = None,
    states: Iterable[str] | None = None,
    total: AmountLike | None = None,
    currency: str | None = None,
    rules: RuleSet | str | None = None,
) -> WorkbookCheck:
    """Compare the assessment table in ``path`` with the expected assessment, per state.

    ``expected`` is the assessment the workbook should show (e.g. ``cc.assess(meeting)``).
    With ``meeting`` instead, the expected assessment is that meeting's (``total`` if given,
    else the meeting's, else the total the workbook states); a meeting that lists no observers
    takes those the workbook lists (its Role column, else its Participants line), and the
    report says so. Without either, the table is recomputed with :func:`apportion` from
    ``scale``, ``states`` and ``total``; each defaults to what the workbook states (its scale
    period, its states, its total or else the sum of its amounts) under ``rules`` (a rule set,
    preset id or file; default ``"un-pro-rata"``).

    Reported, each as a finding (the check goes on): amounts and rates that differ, states
    missing from the workbook or extra in it, unknown and repeated states, a name that is
    not its ISO3 code's state, a cell with text (or a formula never calculated) where a
    number belongs, and a total that differs. ``sheet`` names the sheet (default: the first
    with an assessment table; the report names the others).
    """
    if expected is not None and not isinstance(expected, Assessment):
        raise InvalidInputError(
            f"expected must be an Assessment (e.g. cc.assess(meeting)), not {shown(expected)}"
        )
    if expected is not None and meeting is not None:
        raise InvalidInputError("give the expected assessment or the meeting, not both")
    table = read_assessment_table(path, sheet=sheet)
    found, findings = identify_states(table)
    if meeting is not None:
        expected, basis = _expected_from_meeting(table, found, meeting, total)
    elif expected is None:
        codes = sorted({resolve_state(s) for s in states}) if states is not None else list(found)
        if not codes:
            raise InvalidInputError(f"{table.path.name}: no state rows to check")
        expected, basis = _expected_from_table(
            table, found, codes, scale=scale, total=total, currency=currency, rules=rules
        )
    else:
        basis = f"the assessment given ({expected.total:,} {expected.currency})"
    findings += _compare(found, expected)
    return WorkbookCheck(table=table, expected=expected, findings=tuple(findings), basis=basis)


_LISTED_OBSERVERS = re.compile(r"participating as [\w ]+?s \(([^)]*)\)")
"""The observers our Participants line lists: "... 2 States not party participating as
observers (KEN, AGO)"."""


def _stated_observers(table: AssessmentTable, found: Mapping[str, TableRow]) -> list[str]:
    """The observers a workbook lists: its rows whose role is "observer", else the names in
    its Participants line."""
    by_role = [code for code, row in found.items() if (row.role or "").lower() == "observer"]
    if by_role:
        return sorted(by_role)
    match = _LISTED_OBSERVERS.search(str(table.stated.get("Participants", "")))
    return [name.strip() for name in match.group(1).split(",")] if match else []


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _expected_from_meeting(
    table: AssessmentTable,
    found: Mapping[str, TableRow],
    meeting: Meeting,
    total: AmountLike | None,
) -> tuple[Assessment, str]:
    """The meeting's assessment, with the observers the workbook lists if the meeting lists
    none, and the total given, else the meeting's, else the one the workbook states."""
    from ..conventions import assess

    note = ""
    if not meeting.observers:
        listed = _stated_observers(table, found)
        if listed:
            meeting = meeting.replace(observers=listed)
            note = (
                f", with the {_counted(len(listed), 'observer')} the workbook lists "
                f"({', '.join(listed)}) as none were given"
            )
    total_note = "the total given" if total is not None else "the meeting's total"
    if total is None and meeting.total is None and (stated := stated_total_of(table.stated)):
        total, total_note = fraction_decimal(stated), "the total the workbook states"
    expected = assess(meeting, total=total)
    basis = (
        f"the assessment of {meeting.name}{note}, {total_note} "
        f"({expected.total:,} {expected.currency})"
    )
    return expected, basis


def _compare(found: Mapping[str, TableRow], expected: Assessment) -> list[dict[str, object]]:
    findings: list[dict[str, object]] = []
    exponent = currency_exponent(expected.currency)
    workbook_total = Fraction(0)
    for code, row in found.items():
        line = expected.line_of(code)
        if row.amount is not None:
            workbook_total += row.amount
        if line is None:
            findings.append(
                _finding(
                    "extra",
                    f"row {row.row}: {row.state} ({code}) is in the workbook but does not pay "
                    "in the expected assessment",
                    row=row.row,
                    state=row.state,
                    iso3=code,
                    workbook=_money(row.amount, exponent),
                )
            )
            continue
        for _, why in row.unreadable:
            findings.append(
                _finding(
                    "unreadable", f"row {row.row}: {why}", row=row.row, state=row.state, iso3=code
                )
            )
        amount = Fraction(line.amount_minor, 10**exponent)
        unread = {what for what, _ in row.unreadable}
        if "amount" not in unread and row.amount != amount:
            shown = _money(row.amount, exponent)
            difference = None if row.amount is None else _money(row.amount - amount, exponent)
            findings.append(
                _finding(
                    "amount",
                    f"row {row.row}: {line.state} ({code}) amount {shown} should be "
                    f"{line.amount} (difference {difference})",
                    row=row.row,
                    state=line.state,
                    iso3=code,
                    workbook=shown,
                    expected=line.amount,
                    difference=difference,
                )
            )
        if row.rate is not None and row.rate != line.rate:
            findings.append(
                _finding(
                    "rate",
                    f"row {row.row}: {line.state} ({code}) adjusted rate {row.rate} should be "
                    f"{line.rate}",
                    row=row.row,
                    state=line.state,
                    iso3=code,
                    workbook=row.rate,
                    expected=line.rate,
                    difference=row.rate - line.rate,
                )
            )
    for line in expected.lines:
        if line.iso3 not in found:
            findings.append(
                _finding(
                    "missing",
                    f"{line.state} ({line.iso3}) pays {line.amount} in the expected "
                    "assessment but is not in the workbook",
                    state=line.state,
                    iso3=line.iso3,
                    expected=line.amount,
                )
            )
    expected_total = Fraction(expected.total_minor, 10**exponent)
    if workbook_total != expected_total:
        findings.append(
            _finding(
                "total",
                f"the workbook's amounts sum to {_money(workbook_total, exponent)}, the "
                f"expected total is {expected.total}",
                workbook=_money(workbook_total, exponent),
                expected=expected.total,
                difference=_money(workbook_total - expected_total, exponent),
            )
        )
    return findings


def _money(value: Fraction | None, exponent: int) -> Decimal | None:
    """An amount for display, with the currency's decimals when it is in whole minor units."""
    if value is None:
        return None
    exact = fraction_decimal(value)
    quantized = exact.quantize(Decimal(1).scaleb(-exponent))
    return quantized if quantized == exact else exact
