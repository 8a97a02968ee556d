"""Payments as a bank statement lists them: read from CSV or Excel, every row checked.

A file is read whole and every problem is collected with its row number as in the file (the
header is row 1 of a CSV file; Excel rows keep their sheet numbers), so one import reports all
that is wrong and records nothing until all is right. Amounts never pass through float: text is
read as the decimal it is, and an Excel number as the shortest decimal it prints as, so
``12.345`` USD is refused (finer than a cent) rather than rounded. Thousands separators are
read in a quoted CSV cell (``"1,000.00"``); a CSV row with more or fewer cells than the header
(an unquoted ``1,000.00`` is two cells) is refused, never read as 1.00.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import cast

from .._core.dates import parse_date
from .._core.money import currency_exponent, to_minor_units
from .._reference.reading import Fail, read_text, read_workbook
from .._reference.states import resolve_state
from ..errors import CcmCostsError, InvalidInputError, PaymentImportError, Problem

HEADERS: Mapping[str, tuple[str, ...]] = {
    "date": ("date", "value date", "booking date", "payment date", "transaction date",
             "received", "date received"),
    "state": ("state", "country", "member state", "state party", "party", "payer", "iso3",
              "remitter"),
    "amount": ("amount", "amount received", "credit", "credit amount", "value"),
    "currency": ("currency", "ccy", "cur", "currency code"),
    "reference": ("reference", "ref", "payment reference", "bank reference", "transaction id",
                  "transaction reference"),
    "note": ("note", "notes", "memo", "description", "comment", "remarks", "details"),
    "assessment": ("assessment", "assessment id", "applies to", "for assessment"),
}  # fmt: skip
"""Accepted column headers (any case; ``_``, ``-`` and ``.`` read as spaces)."""
REQUIRED = ("date", "state", "amount", "currency", "reference")
THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
"""An amount written with comma thousands separators, as "1,000.00" (read as 1000.00)."""


@dataclass(frozen=True)
class Payment:
    """A payment received: state (ISO3), date, amount in minor units, currency, reference.

    ``applies_to`` optionally names the assessment (ledger id) it is for; it is used under
    :attr:`~ccm_costs.payment_rule.PaymentOrder.NAMED_FIRST`.
    """

    reference: str
    iso3: str
    received: dt.date
    amount_minor: int
    currency: str
    note: str = ""
    applies_to: int | None = None

    def __post_init__(self) -> None:
        if type(self.amount_minor) is not int or self.amount_minor <= 0:
            raise InvalidInputError(
                f"payment {self.reference!r}: amount_minor must be a positive int of minor "
                f"units, not {self.amount_minor!r}"
            )
        if not self.reference.strip():
            raise InvalidInputError("a payment needs a reference (the bank's reference)")

    def same_payment(self, other: Payment) -> bool:
        """Whether ``other`` records the same money (state, date, amount, currency, target)."""
        return (self.iso3, self.received, self.amount_minor, self.currency, self.applies_to) == (
            other.iso3,
            other.received,
            other.amount_minor,
            other.currency,
            other.applies_to,
        )


@dataclass(frozen=True)
class PaymentFile:
    """The rows of a payment file that are well formed, and the problems of the others."""

    source: str
    rows: tuple[tuple[int, Payment], ...]
    """(row number in the file, payment)."""
    problems: tuple[str, ...]
    names: tuple[tuple[str, str], ...] = ()
    """(state as written, the ISO3 code it matched), once per distinct text, in file order."""


def _header_key(text: object) -> str:
    return " ".join(re.sub(r"[_\-.]", " ", str(text or "")).lower().split())


def _columns(header: Sequence[object], source: str) -> dict[str, int]:
    """Field -> column index, from the header row; an error if a required field is missing."""
    columns: dict[str, int] = {}
    for index, text in enumerate(header):
        key = _header_key(text)
        for name, spellings in HEADERS.items():
            if key in spellings and name not in columns:
                columns[name] = index
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        found = ", ".join(repr(str(h)) for h in header if h not in (None, "")) or "none"
        raise PaymentImportError(
            source,
            [
                f"no {name!r} column (accepted headers: {', '.join(HEADERS[name])})"
                for name in missing
            ]
            + [f"the header row has: {found}"],
        )
    return columns


def _date(value: object) -> dt.date:
    return parse_date(value, "date", time_of_day="drop")  # an Excel date cell is a datetime


def _amount(value: object, currency: str) -> int:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise InvalidInputError(f"amount {value!r} is not a number: write it like 1250.00")
    if isinstance(value, str) and THOUSANDS.fullmatch(value.strip()):
        value = value.replace(",", "")
    minor = to_minor_units(value, currency, what="amount")
    if minor <= 0:
        raise InvalidInputError(f"amount {value!r} is not more than 0: a payment is positive")
    return minor


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a reference Excel stored as a number
    return "" if value is None else str(value).strip()


def _assessment_id(value: object) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not text.isdigit():
        raise InvalidInputError(f"assessment {value!r} is not a ledger assessment number")
    return int(text)


def _payment(cells: Mapping[str, object], expected: str | None) -> Payment:
    """One row as a payment; every problem of the row in one error, joined by '; '."""
    problems = [f"{name} is empty" for name in REQUIRED if _text(cells.get(name)) == ""]
    values: dict[str, object] = {}

    def attempt(field: str, parse: Callable[[], object]) -> None:
        try:
            values[field] = parse()
        except CcmCostsError as err:
            problems.append(str(err))

    state, day, amount = cells.get("state"), cells.get("date"), cells.get("amount")
    currency = _text(cells.get("currency")).upper()
    if _text(state):
        attempt("iso3", lambda: resolve_state(_text(state)))
    if _text(day):
        attempt("received", lambda: _date(day))
    if currency:
        attempt("exponent", lambda: currency_exponent(currency))
    if "exponent" in values and expected and currency != expected.upper():
        problems.append(f"currency {currency} is not the ledger's ({expected.upper()})")
    if _text(amount) and "exponent" in values:
        attempt("amount_minor", lambda: _amount(amount, currency))
    attempt("applies_to", lambda: _assessment_id(cells.get("assessment")))
    if problems:
        raise InvalidInputError("; ".join(problems))
    return Payment(
        reference=_text(cells["reference"]),
        iso3=cast(str, values["iso3"]),
        received=cast(dt.date, values["received"]),
        amount_minor=cast(int, values["amount_minor"]),
        currency=currency,
        note=_text(cells.get("note")),
        applies_to=cast(int | None, values["applies_to"]),
    )


def twice(where: str, reference: str, first: int) -> str:
    """The problem of a reference given on two rows of one file."""
    return (
        f"{where}: reference {reference!r} is also on row {first}; each payment needs its "
        "own reference"
    )


def _read_rows(path: Path, sheet: str | None, fail: Fail) -> list[tuple[int, list[object]]]:
    """(row number, cells) of every non-blank row, the header first (an Excel row has as many
    cells as the sheet is wide; a CSV row as many as it has), read by the library's one
    reader (size limits, UTF-8, a damaged workbook named)."""
    rows: list[tuple[int, list[object]]]
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        sheets = read_workbook(path, fail)
        if sheet is not None and sheet not in sheets:
            raise fail(
                Problem(f"has no sheet {sheet!r}: its sheets are " + ", ".join(map(repr, sheets)))
            )
        cells_of = sheets[sheet] if sheet is not None else next(iter(sheets.values()), ())
        rows = [(n, list(cells)) for n, cells in enumerate(cells_of, start=1)]
    else:
        text = read_text(path, fail)
        try:
            dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                text[:4096], delimiters=",;\t"
            )
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        rows = [(reader.line_num, list(cells)) for cells in reader]
    return [(n, cells) for n, cells in rows if any(_text(c) for c in cells)]


def read_payments(
    path: str | Path, *, sheet: str | None = None, currency: str | None = None
) -> PaymentFile:
    """Read a bank-statement style file (CSV, or the first or named sheet of an ``.xlsx``).

    Columns (headers in any case, common spellings accepted, see :data:`HEADERS`): date, state
    (name or ISO3), amount, currency, reference, and optionally note and assessment (the ledger
    number of the assessment the payment is for). With ``currency``, a payment in another
    currency is a problem of its row. A missing column or an unreadable file raises
    :class:`PaymentImportError`; problems of single rows are collected in ``problems``.
    """
    source = str(path)

    def fail(problem: Problem) -> PaymentImportError:
        return PaymentImportError(
            source, [Problem(f"the file {problem.message}", code=problem.code)]
        )

    try:
        rows = _read_rows(Path(path), sheet, fail)
    except csv.Error as err:
        raise fail(Problem(f"is not valid CSV ({err})", code="csv")) from None
    if not rows:
        raise PaymentImportError(source, ["the file is empty: it needs a header row"])
    (_, header), *body = rows
    columns = _columns(header, source)
    payments: list[tuple[int, Payment]] = []
    problems: list[str] = []
    names: dict[str, str] = {}
    width = len(header)
    first_row: dict[str, tuple[int, bool]] = {}
    for number, cells in body:
        if len(cells) != width:
            problems.append(
                f"row {number}: {len(cells)} cells where the header has {width}: quote a cell "
                'that holds the separator, as "1,000.00"'
            )
            continue
        named = {f: cells[i] for f, i in columns.items()}
        reference = _text(named["reference"])
        try:
            payment: Payment | None = _payment(named, currency)
        except InvalidInputError as err:
            problems.append(f"row {number}: {err}")
            payment = None
        # A reference twice among good rows is the ledger's to report (it checks a list of
        # payments too); one on a row with another problem is reported here, with it.
        seen = first_row.setdefault(reference, (number, payment is not None))
        if reference and seen[0] != number and (payment is None or not seen[1]):
            problems.append(twice(f"row {number}", reference, seen[0]))
        if payment is None:
            continue
        payments.append((number, payment))
        names.setdefault(_text(named["state"]), payment.iso3)
    if not body:
        problems.append("no payments: the file has a header row and nothing under it")
    return PaymentFile(source, tuple(payments), tuple(problems), tuple(names.items()))
