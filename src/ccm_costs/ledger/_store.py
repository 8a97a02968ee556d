"""The ledger: assessments and payments kept in an SQLite file, and what each payment settled.

Assessments are append-only: a corrected (or final) assessment is a new version that
*supersedes* the old one; the old one stays in the file and in the history, and no longer counts
as due from the day the new one is issued. Payments are recorded once per bank reference. What
a payment settles is not stored but derived, as at any date, by the ledger's
:class:`~ccm_costs.payment_rule.PaymentOrder` (UN practice by default: oldest outstanding
assessment first, any excess held as a credit that settles the next assessments).

Every write is one ``BEGIN IMMEDIATE`` transaction (other writers wait, up to a minute): a
payment file is recorded whole or not at all, two processes writing at once both get in, and a
process killed mid-write leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from types import TracebackType

from .._assessment import Assessment
from .._core.dates import parse_date
from .._core.money import currency_exponent, from_minor_units
from ..errors import InvalidInputError, LedgerError, PaymentImportError
from ._kinds import AssessmentKind
from ._payment_rule import Application, Charge, PaymentOrder, Receipt, apply_payments
from ._payments import Payment, PaymentFile, read_payments
from ._schema import connect

DUE_DAYS = 30
"""Default days from issue to due date (UN Financial Regulation 3.4: due within 30 days)."""


@dataclass(frozen=True)
class StoredLine:
    """One state's amount in a stored assessment."""

    iso3: str
    state: str
    role: str | None
    amount_minor: int


@dataclass(frozen=True)
class StoredAssessment:
    """An assessment as the ledger holds it: amounts per state, dates, and provenance."""

    id: int
    meeting: str
    label: str
    kind: AssessmentKind
    currency: str
    total_minor: int
    issued: dt.date
    due: dt.date
    supersedes: int | None
    lines: tuple[StoredLine, ...]
    provenance_items: Mapping[str, str] = field(repr=False)
    recorded_at: str = ""

    def provenance(self) -> dict[str, str]:
        """Where the figures come from, as recorded with the assessment."""
        return dict(self.provenance_items)

    @property
    def total(self) -> Decimal:
        """The total in currency units."""
        return from_minor_units(self.total_minor, self.currency)

    def line_of(self, iso3: str) -> StoredLine | None:
        """The line of a state, or None if it is not assessed here."""
        return next((line for line in self.lines if line.iso3 == iso3), None)


@dataclass(frozen=True)
class LedgerSnapshot:
    """The ledger as at a date: what was issued and received by then, and what settled what."""

    source: str
    """The ledger file."""
    as_at: dt.date | None
    currency: str
    order: PaymentOrder
    assessments: tuple[StoredAssessment, ...]
    """Every assessment issued by ``as_at``, superseded ones included, in recording order."""
    superseded_by: Mapping[int, int]
    """Assessment id -> the id of the assessment (issued by ``as_at``) that supersedes it."""
    payments: tuple[Payment, ...]
    """Payments received by ``as_at``, in the order they are applied (date, then recording)."""
    applications: tuple[Application, ...]

    @property
    def in_force(self) -> list[StoredAssessment]:
        """The assessments that count as due, oldest first (due date, issue date, id)."""
        active = [a for a in self.assessments if a.id not in self.superseded_by]
        return sorted(active, key=lambda a: (a.due, a.issued, a.id))


@dataclass(frozen=True)
class ImportResult:
    """What an import recorded (or, in a dry run, would record) and what it settles."""

    source: str
    dry_run: bool
    recorded: tuple[Payment, ...]
    already_recorded: tuple[Payment, ...]
    applications: tuple[Application, ...]
    """Applications of the recorded payments, with every assessment in the ledger."""
    labels: Mapping[int, str]
    """Assessment id -> its label, for display."""

    def __str__(self) -> str:
        verb = "would record" if self.dry_run else "recorded"
        lines = [f"{self.source}: {verb} {len(self.recorded)} payment(s)"]
        for payment in self.recorded:
            c = payment.currency
            parts = [
                f"{self.labels.get(a.assessment_id, a.assessment_id)} (#{a.assessment_id}) "
                f"{from_minor_units(a.amount_minor, c):,}"
                for a in self.applications
                if a.reference == payment.reference
            ]
            credit = payment.amount_minor - sum(
                a.amount_minor for a in self.applications if a.reference == payment.reference
            )
            if credit:
                parts.append(f"credit {from_minor_units(credit, c):,}")
            lines.append(
                f"  {payment.reference}: {payment.iso3} {payment.received} "
                f"{from_minor_units(payment.amount_minor, c):,} {c} -> " + "; ".join(parts)
            )
        if self.already_recorded:
            lines.append(
                f"already recorded, skipped: {len(self.already_recorded)} payment(s) ("
                + ", ".join(p.reference for p in self.already_recorded)
                + ")"
            )
        return "\n".join(lines)


def _insert_payment(conn: sqlite3.Connection, payment: Payment, recorded_at: str) -> None:
    conn.execute(
        "INSERT INTO payments (reference, iso3, received, amount_minor, currency, note, "
        "applies_to, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            payment.reference,
            payment.iso3,
            payment.received.isoformat(),
            payment.amount_minor,
            payment.currency,
            payment.note,
            payment.applies_to,
            recorded_at,
        ),
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class Ledger:
    """Assessments and payments in an SQLite file; open with :meth:`open`."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        try:
            self.currency: str = meta["currency"]
            self.payment_order = PaymentOrder(meta["payment order"])
        except (KeyError, ValueError):
            conn.close()
            raise LedgerError(
                f"{path} is damaged: its currency or payment order is missing; "
                "restore it from a backup"
            ) from None

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        currency: str | None = None,
        payment_order: PaymentOrder | str = PaymentOrder.OLDEST_FIRST,
    ) -> Ledger:
        """Open the ledger at ``path``, creating it if ``create`` and it does not exist.

        A new ledger keeps amounts in ``currency`` (default USD) and applies payments by
        ``payment_order``. For an existing ledger, a ``currency`` other than its own is an error.
        Raises :class:`LedgerError` for a file that is not a ledger, is damaged or is newer.
        """
        code = (currency or "USD").upper()
        currency_exponent(code)
        meta = {"currency": code, "payment order": PaymentOrder(payment_order).value}
        target = Path(path)
        ledger = cls(connect(target, create=create, meta=meta), target)
        if currency is not None and ledger.currency != code:
            ledger.close()
            raise LedgerError(
                f"the ledger {target} keeps amounts in {ledger.currency}, not {code}: "
                "use one ledger per currency"
            )
        return ledger

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(
        self, mode: str = "IMMEDIATE", *, commit: bool = True
    ) -> Iterator[sqlite3.Connection]:
        """One transaction: committed if the block ends normally (and ``commit``), else
        rolled back."""
        conn = self._conn
        try:
            conn.execute(f"BEGIN {mode}")
        except sqlite3.OperationalError as err:
            raise LedgerError(f"the ledger {self.path} is busy or unreadable ({err})") from None
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT" if commit else "ROLLBACK")

    # -- assessments ---------------------------------------------------------------------------

    def record_assessment(
        self,
        assessment: Assessment,
        *,
        meeting: str | None = None,
        kind: AssessmentKind | str = AssessmentKind.ESTIMATE,
        label: str | None = None,
        issued: dt.date | None = None,
        due: dt.date | None = None,
        supersedes: int | None = None,
    ) -> StoredAssessment:
        """Store ``assessment`` as a new version and return it as stored.

        ``meeting`` defaults to the meeting named in its context (e.g. "12MSP"); ``issued`` to
        today and ``due`` to :data:`DUE_DAYS` days later. ``supersedes`` is the id of the
        assessment this one replaces (same meeting, not yet superseded): required for a
        correction, usual for a final assessment (it replaces the estimate).
        """
        kind = AssessmentKind(kind)
        name = meeting or assessment.context.get("meeting", "").split(":")[0].strip()
        if not name:
            raise InvalidInputError("name the meeting: record_assessment(a, meeting='12MSP')")
        if assessment.currency.upper() != self.currency:
            raise InvalidInputError(
                f"the assessment is in {assessment.currency}, the ledger in {self.currency}: "
                "use one ledger per currency"
            )
        if assessment.total_minor < 0:
            raise InvalidInputError(
                "a ledger assessment cannot be negative: record a corrected assessment that "
                "supersedes the one to reduce"
            )
        if kind is AssessmentKind.CORRECTION and supersedes is None:
            raise InvalidInputError("a correction must name the assessment it supersedes")
        if kind is AssessmentKind.ESTIMATE and supersedes is not None:
            raise InvalidInputError("a revised estimate is a correction: use kind='correction'")
        day = issued or dt.date.today()
        due_day = due or day + dt.timedelta(days=DUE_DAYS)
        if due_day < day:
            raise InvalidInputError(f"due date {due_day} is before the issue date {day}")
        with self._transaction() as conn:
            if supersedes is not None:
                self._check_supersedes(supersedes, name, day)
            cursor = conn.execute(
                "INSERT INTO assessments (meeting, label, kind, currency, total_minor, issued, "
                "due, supersedes, provenance, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    label or f"{name} {kind.value}",
                    kind.value,
                    self.currency,
                    assessment.total_minor,
                    day.isoformat(),
                    due_day.isoformat(),
                    supersedes,
                    json.dumps(assessment.provenance(), ensure_ascii=False),
                    _now(),
                ),
            )
            new_id = cursor.lastrowid
            conn.executemany(
                "INSERT INTO assessment_lines (assessment_id, iso3, state, role, amount_minor) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (new_id, line.iso3, line.state, line.role, line.amount_minor)
                    for line in assessment.lines
                ],
            )
        return self.assessment(int(new_id or 0))

    def _check_supersedes(self, old_id: int, meeting: str, issued: dt.date) -> None:
        old = self._assessments("WHERE a.id = ?", (old_id,))
        if not old:
            raise InvalidInputError(f"there is no assessment #{old_id} to supersede")
        taken = self._conn.execute(
            "SELECT id FROM assessments WHERE supersedes = ?", (old_id,)
        ).fetchone()
        if taken:
            raise InvalidInputError(
                f"assessment #{old_id} is already superseded by #{taken[0]}: supersede "
                f"#{taken[0]} instead"
            )
        if old[0].meeting != meeting:
            raise InvalidInputError(
                f"assessment #{old_id} is for {old[0].meeting}, not {meeting}: a new version "
                "must be for the same meeting"
            )
        if issued < old[0].issued:
            raise InvalidInputError(
                f"the new version is issued on {issued}, before #{old_id} ({old[0].issued})"
            )

    def _assessments(
        self, where: str = "", params: Sequence[object] = ()
    ) -> list[StoredAssessment]:
        rows = self._conn.execute(
            "SELECT a.id, a.meeting, a.label, a.kind, a.currency, a.total_minor, a.issued, a.due, "
            f"a.supersedes, a.provenance, a.recorded_at FROM assessments a {where} ORDER BY a.id",
            params,
        ).fetchall()
        lines: dict[int, list[StoredLine]] = {}
        for aid, *line in self._conn.execute(
            "SELECT assessment_id, iso3, state, role, amount_minor FROM assessment_lines "
            f"WHERE assessment_id IN (SELECT a.id FROM assessments a {where}) "
            "ORDER BY assessment_id, state, iso3",
            params,
        ):
            lines.setdefault(aid, []).append(StoredLine(*line))
        return [
            StoredAssessment(
                id=row[0],
                meeting=row[1],
                label=row[2],
                kind=AssessmentKind(row[3]),
                currency=row[4],
                total_minor=row[5],
                issued=parse_date(row[6]),
                due=parse_date(row[7]),
                supersedes=row[8],
                lines=tuple(lines.get(row[0], ())),
                provenance_items=json.loads(row[9]),
                recorded_at=row[10],
            )
            for row in rows
        ]

    def assessment(self, assessment_id: int) -> StoredAssessment:
        """The stored assessment with this id (superseded or not)."""
        found = self._assessments("WHERE a.id = ?", (assessment_id,))
        if not found:
            raise InvalidInputError(f"the ledger {self.path} has no assessment #{assessment_id}")
        return found[0]

    def history(self) -> list[StoredAssessment]:
        """Every assessment ever recorded, superseded ones included, in recording order."""
        return self._assessments()

    # -- payments ------------------------------------------------------------------------------

    def payments(self) -> list[Payment]:
        """Every payment recorded, in the order they are applied (date received, then id)."""
        return self._payments("")

    def _payments(self, where: str, params: Sequence[object] = ()) -> list[Payment]:
        rows = self._conn.execute(
            "SELECT reference, iso3, received, amount_minor, currency, note, applies_to "
            f"FROM payments {where} ORDER BY received, id",
            params,
        ).fetchall()
        return [
            Payment(
                reference=row[0],
                iso3=row[1],
                received=parse_date(row[2]),
                amount_minor=row[3],
                currency=row[4],
                note=row[5],
                applies_to=row[6],
            )
            for row in rows
        ]

    def import_payments(
        self,
        source: str | Path | PaymentFile | Sequence[Payment],
        *,
        dry_run: bool = False,
    ) -> ImportResult:
        """Record the payments of a file (see :func:`~ccm_costs.payments.read_payments`) or a
        list, all or nothing.

        Every problem is collected first (rows that do not parse, a currency other than the
        ledger's, an unknown assessment, a reference used twice in the file or already recorded
        with other data) and raised together as :class:`PaymentImportError`; nothing is written
        then. A payment whose reference is already recorded with the same data is skipped and
        reported. With ``dry_run`` nothing is written either way, and the result says what
        would be recorded and what it would settle.
        """
        batch = _as_file(source, self.currency)
        problems = list(batch.problems)
        with self._transaction(commit=not dry_run) as conn:
            new, old = self._sort_out(batch, problems)
            if problems:
                raise PaymentImportError(batch.source, problems)
            recorded_at = _now()
            for payment in new:
                _insert_payment(conn, payment, recorded_at)
            snapshot = self._snapshot(None, self.payment_order)
            references = {p.reference for p in new}
            result = ImportResult(
                source=batch.source,
                dry_run=dry_run,
                recorded=tuple(new),
                already_recorded=tuple(old),
                applications=tuple(a for a in snapshot.applications if a.reference in references),
                labels={a.id: a.label for a in snapshot.assessments},
            )
        return result

    def _sort_out(
        self, batch: PaymentFile, problems: list[str]
    ) -> tuple[list[Payment], list[Payment]]:
        """Split the rows into new payments and ones already recorded; collect problems."""
        known = {p.reference: p for p in self._payments("")}
        assessed = set(self._conn.execute("SELECT assessment_id, iso3 FROM assessment_lines"))
        first_row: dict[str, int] = {}
        new: list[Payment] = []
        old: list[Payment] = []
        for number, payment in batch.rows:
            where = f"row {number}" if number else f"payment {payment.reference!r}"
            if payment.currency != self.currency:
                problems.append(
                    f"{where}: currency {payment.currency} is not the ledger's ({self.currency})"
                )
            if (
                payment.applies_to is not None
                and (payment.applies_to, payment.iso3) not in assessed
            ):
                problems.append(
                    f"{where}: assessment #{payment.applies_to} does not assess {payment.iso3}"
                )
            if payment.reference in first_row:
                problems.append(
                    f"{where}: reference {payment.reference!r} is also on row "
                    f"{first_row[payment.reference]}; each payment needs its own reference"
                )
                continue
            first_row[payment.reference] = number
            recorded = known.get(payment.reference)
            if recorded is None:
                new.append(payment)
            elif recorded.same_payment(payment):
                old.append(payment)
            else:
                problems.append(
                    f"{where}: reference {payment.reference!r} is already recorded for "
                    f"{recorded.iso3}, {recorded.received}, "
                    f"{from_minor_units(recorded.amount_minor, recorded.currency)} "
                    f"{recorded.currency}; a payment with other data needs another reference"
                )
        return new, old

    # -- as at a date --------------------------------------------------------------------------

    def snapshot(
        self, as_at: dt.date | None = None, *, order: PaymentOrder | str | None = None
    ) -> LedgerSnapshot:
        """The ledger as at ``as_at`` (default: everything recorded), read consistently.

        ``order`` overrides the ledger's payment order (to see what another rule would give).
        """
        rule = PaymentOrder(order) if order is not None else self.payment_order
        with self._transaction("DEFERRED"):
            return self._snapshot(as_at, rule)

    def _snapshot(self, as_at: dt.date | None, order: PaymentOrder) -> LedgerSnapshot:
        if as_at is None:
            assessments = self._assessments()
            payments = self._payments("")
        else:
            assessments = self._assessments("WHERE a.issued <= ?", (as_at.isoformat(),))
            payments = self._payments("WHERE received <= ?", (as_at.isoformat(),))
        superseded_by = {a.supersedes: a.id for a in assessments if a.supersedes is not None}
        active = [a for a in assessments if a.id not in superseded_by]
        active.sort(key=lambda a: (a.due, a.issued, a.id))
        charges = [Charge(a.id, line.iso3, line.amount_minor) for a in active for line in a.lines]

        def current(assessment_id: int | None) -> int | None:
            while assessment_id in superseded_by:
                assessment_id = superseded_by[assessment_id]
            return assessment_id

        receipts = [
            Receipt(p.reference, p.iso3, p.amount_minor, current(p.applies_to)) for p in payments
        ]
        return LedgerSnapshot(
            source=str(self.path),
            as_at=as_at,
            currency=self.currency,
            order=order,
            assessments=tuple(assessments),
            superseded_by=superseded_by,
            payments=tuple(payments),
            applications=tuple(apply_payments(charges, receipts, order)),
        )


def _as_file(source: str | Path | PaymentFile | Sequence[Payment], currency: str) -> PaymentFile:
    if isinstance(source, PaymentFile):
        return source
    if isinstance(source, str | Path):
        return read_payments(source, currency=currency)
    return PaymentFile("payments", tuple((0, p) for p in source), ())
