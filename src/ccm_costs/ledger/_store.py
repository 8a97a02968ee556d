"""The ledger: assessments and payments kept in an SQLite file, and what each payment settled.

Assessments are append-only: a corrected (or final) assessment is a new version that
*supersedes* the old one; the old one stays in the file and in the history, and no longer counts
as due from the day the new one is issued, but what it billed keeps its due date (arrears keep
their age; only the difference is a new bill). An assessment is withdrawn by a *void* (a reason
and a date, stored as an entry; nothing is deleted). Recording an assessment identical to one in
force is refused unless asked for (it would bill every state twice). Payments are recorded once
per bank reference; refunds of a credit and transfers of a credit (to an assessment, or out to
another convention) are entries of their own. What a payment settles is not stored but derived,
as at any date, by the ledger's :class:`~ccm_costs.payment_rule.PaymentOrder` (UN practice by
default: oldest outstanding part first, any excess held as a credit that settles the next
assessments). A payment from a state the ledger never assessed is held as an unapplied receipt.

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
from pathlib import Path
from types import TracebackType

from .._assessment import Assessment
from .._core.dates import parse_date
from .._core.money import currency_exponent, from_minor_units, to_minor_units
from .._core.numbers import AmountLike
from .._core.text import checked_text, shown
from .._reference.states import resolve_state, state_name
from ..conventions import available_conventions
from ..errors import InvalidInputError, LedgerError, PaymentImportError
from ..rules._files import to_toml
from ._entries import CreditMove, ImportResult, LedgerSnapshot, StoredAssessment, StoredLine, Void
from ._kinds import AssessmentKind
from ._payment_rule import (
    BillPart,
    PaymentOrder,
    Receipt,
    Version,
    apply_payments,
    bill_parts,
    net_receipts,
)
from ._payments import Payment, PaymentFile, read_payments, twice
from ._schema import connect, trigger_findings
from ._seals import seal, seal_findings

DUE_DAYS = 30
"""Default days from issue to due date (UN Financial Regulation 3.4: due within 30 days)."""


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


CONFIRM_DATES = "confirm_dates=True"
"""How a Python caller confirms a date after today; the command line says ``--confirm-dates``."""


def future_date(day: dt.date, today: dt.date | None = None) -> str | None:
    """The problem of a date after ``today`` (default today) entering the append-only ledger,
    or None: the one date check of imports, voids, refunds and transfers."""
    today = today or dt.date.today()
    if day <= today:
        return None
    return f"date {day} is after today ({today}): check it, or confirm it ({CONFIRM_DATES})"


def _check_date(day: dt.date, what: str, confirm_dates: bool) -> None:
    problem = None if confirm_dates else future_date(day)
    if problem:
        message = f"the {what} {problem}"
        raise InvalidInputError(message).for_cli(message.replace(CONFIRM_DATES, "--confirm-dates"))


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
        check: bool = True,
    ) -> Ledger:
        """Open the ledger at ``path``, creating it if ``create`` and it does not exist.

        A new ledger keeps amounts in ``currency`` (default USD) and applies payments by
        ``payment_order``. For an existing ledger, a ``currency`` other than its own is an error.
        An older ledger is migrated. Raises :class:`LedgerError` for a file that is not a
        ledger, is damaged or is newer, and (unless ``check=False``, to read the findings with
        :meth:`verify`) for one whose triggers or seals show it was changed by another program.
        """
        code = (currency or "USD").upper()
        currency_exponent(code)
        meta = {"currency": code, "payment order": PaymentOrder(payment_order).value}
        target = Path(path)
        ledger = cls(connect(target, create=create, meta=meta), target)
        findings = ledger.verify() if check else []
        if findings:
            ledger.close()
            more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
            changed = f"{target} was changed outside ccm_costs: {findings[0]}{more}. Restore it "
            raise LedgerError(
                f"{changed}from a backup; Ledger.verify() lists every finding"
            ).for_cli(f"{changed}from a backup; `ccm-costs ledger verify` lists every finding")
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

    def verify(self) -> list[str]:
        """What shows the file was changed by another program, one line each (empty when
        intact): SQLite's own check, the append-only triggers, and the seal of every row."""
        conn = self._conn
        with self._transaction("DEFERRED", commit=False):
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            return [
                *(f"damaged: {p}" for p in problems if p != "ok"),
                *trigger_findings(conn),
                *seal_findings(conn),
            ]

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
            raise self._write_error(err) from None
        try:
            yield conn
            if commit and mode == "IMMEDIATE":
                seal(conn)
        except sqlite3.OperationalError as err:
            conn.execute("ROLLBACK")
            raise self._write_error(err) from None
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT" if commit else "ROLLBACK")

    def _write_error(self, err: sqlite3.OperationalError) -> LedgerError:
        if "readonly" in str(err):
            return LedgerError(
                f"the ledger {self.path} is read-only: nothing was recorded; make the file "
                "writable (or work on a copy) to record in it"
            )
        return LedgerError(f"the ledger {self.path} is busy or unreadable ({err})")

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
        duplicate_ok: bool = False,
    ) -> StoredAssessment:
        """Store ``assessment`` as a new version and return it as stored.

        ``meeting`` defaults to the meeting named in its context (e.g. "12MSP"); ``issued`` to
        today and ``due`` to :data:`DUE_DAYS` days later. ``supersedes`` is the id of the
        assessment this one replaces (same meeting, not yet superseded or void): required for a
        correction, usual for a final assessment (it replaces the estimate; what the estimate
        billed keeps its due date, the difference is due on this one's).

        An assessment identical to one in force (same convention, meeting, kind, issue date,
        payers and total) is refused, naming it, since it would bill every state twice; pass
        ``duplicate_ok=True`` if a second bill is intended.
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
            raise InvalidInputError(
                "a correction must name the assessment it supersedes: supersedes=N"
            ).for_cli("--kind correction must name the assessment it supersedes: --supersedes N")
        if kind is AssessmentKind.ESTIMATE and supersedes is not None:
            raise InvalidInputError(
                "a revised estimate is a correction: use kind='correction'"
            ).for_cli("a revised estimate is a correction: use --kind correction")
        day = issued or dt.date.today()
        due_day = due or day + dt.timedelta(days=DUE_DAYS)
        if due_day < day:
            raise InvalidInputError(f"due date {due_day} is before the issue date {day}")
        with self._transaction() as conn:
            if supersedes is not None:
                self._check_supersedes(supersedes, name, day)
            elif not duplicate_ok:
                self._check_not_twice(assessment, name, kind, day)
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
            conn.execute(
                "INSERT INTO assessment_rules (assessment_id, rule_set, toml) VALUES (?, ?, ?)",
                (new_id, assessment.rule_set.id, to_toml(assessment.rule_set)),
            )
        return self.assessment(int(new_id or 0))

    def _check_not_twice(
        self, assessment: Assessment, meeting: str, kind: AssessmentKind, issued: dt.date
    ) -> None:
        payers = {line.iso3 for line in assessment.lines}
        convention = assessment.provenance().get("convention", "")
        for old in self._in_force():
            if (old.convention, old.meeting, old.kind, old.issued, old.total_minor) == (
                convention,
                meeting,
                kind,
                issued,
                assessment.total_minor,
            ) and {line.iso3 for line in old.lines} == payers:
                message = (
                    f"this {meeting} {kind.value} is already recorded and in force as "
                    f"{old.describe()}: recording it again would bill every state twice"
                )
                raise InvalidInputError(
                    f"{message}; pass duplicate_ok=True if a second bill is intended"
                ).for_cli(f"{message}; add --duplicate-ok if a second bill is intended")

    def _in_force(self) -> list[StoredAssessment]:
        return self._assessments(
            "WHERE a.id NOT IN (SELECT supersedes FROM assessments WHERE supersedes IS NOT NULL) "
            "AND a.id NOT IN (SELECT assessment_id FROM voids)"
        )

    def _check_supersedes(self, old_id: int, meeting: str, issued: dt.date) -> None:
        old = self._assessments("WHERE a.id = ?", (old_id,))
        if not old:
            raise InvalidInputError(f"there is no assessment #{old_id} to supersede")
        void = self._voids("WHERE assessment_id = ?", (old_id,))
        if void:
            raise InvalidInputError(
                f"assessment #{old_id} is void since {void[0].voided} ({void[0].reason}): "
                "record a new assessment instead of a version of it"
            )
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
            "a.supersedes, a.provenance, a.recorded_at, r.rule_set, r.toml FROM assessments a "
            f"LEFT JOIN assessment_rules r ON r.assessment_id = a.id {where} ORDER BY a.id",
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
                rule_set=row[11] or "",
                rules_toml=row[12] or "",
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

    def voids(self) -> list[Void]:
        """Every void recorded, in date order."""
        return self._voids()

    def _voids(self, where: str = "", params: Sequence[object] = ()) -> list[Void]:
        rows = self._conn.execute(
            f"SELECT assessment_id, reason, voided FROM voids {where} ORDER BY voided, "
            "assessment_id",
            params,
        ).fetchall()
        return [Void(row[0], row[1], parse_date(row[2])) for row in rows]

    def void(
        self,
        assessment_id: int,
        *,
        reason: str,
        on: dt.date | None = None,
        confirm_dates: bool = False,
    ) -> Void:
        """Withdraw an issued assessment: from ``on`` (default today) it no longer counts as
        due; it stays in the history. What its states paid becomes their credit, or goes where
        the payment rule puts it. Only an assessment in force can be void (for a superseded
        one, void its latest version); a void assessment cannot be superseded. A date after
        today is refused unless ``confirm_dates`` (a void cannot be undone)."""
        day = on or dt.date.today()
        if not isinstance(reason, str) or not reason.strip():
            raise InvalidInputError(
                "say why the assessment is withdrawn: void(n, reason='issued twice')"
            ).for_cli("say why the assessment is withdrawn: --reason 'issued twice'")
        try:
            checked_text(reason, "the reason")
        except InvalidInputError as err:
            raise err.for_cli(f"--reason: {err}") from None
        _check_date(day, "void", confirm_dates)
        with self._transaction() as conn:
            target = self.assessment(assessment_id)
            self._check_in_force(target, "void")
            if day < target.issued:
                raise InvalidInputError(
                    f"the void date {day} is before assessment No. {assessment_id} was issued "
                    f"({target.issued})"
                )
            conn.execute(
                "INSERT INTO voids (assessment_id, reason, voided, recorded_at) "
                "VALUES (?, ?, ?, ?)",
                (assessment_id, reason.strip(), day.isoformat(), _now()),
            )
        return Void(assessment_id, reason.strip(), day)

    def _check_settles(
        self, reference: str, assessment_id: int, iso3: str, minor: int, day: dt.date
    ) -> None:
        """Refuse (rolling back) a transfer just written that would not settle all it moves on
        its assessment: the state has less outstanding on it, the rest would go elsewhere."""
        snapshot = self._snapshot(None, self.payment_order)
        settled = sum(
            a.amount_minor
            for a in snapshot.applications
            if a.reference == reference and a.assessment_id == assessment_id
        )
        if settled < minor:
            c = self.currency
            raise InvalidInputError(
                f"a transfer of {from_minor_units(minor, c):,} {c} to assessment "
                f"No. {assessment_id} on {day} is more than {state_name(iso3)} has outstanding "
                f"on it ({from_minor_units(settled, c):,} {c}): "
                + ("give at most that amount" if settled else "it would settle nothing")
            )

    def _check_in_force(self, target: StoredAssessment, action: str) -> None:
        void = self._voids("WHERE assessment_id = ?", (target.id,))
        if void:
            raise InvalidInputError(
                f"assessment No. {target.id} is already void since {void[0].voided} "
                f"({void[0].reason})"
            )
        newer = self._conn.execute(
            "SELECT id FROM assessments WHERE supersedes = ?", (target.id,)
        ).fetchone()
        if newer:
            raise InvalidInputError(
                f"assessment No. {target.id} is superseded by No. {newer[0]}: {action} "
                f"No. {newer[0]}, the version in force"
            )

    # -- credits -------------------------------------------------------------------------------

    def credit_moves(self) -> list[CreditMove]:
        """Every refund and transfer recorded, in date order."""
        return self._moves("")

    def _moves(self, where: str, params: Sequence[object] = ()) -> list[CreditMove]:
        rows = self._conn.execute(
            "SELECT id, kind, iso3, moved, amount_minor, to_assessment, to_convention, note "
            f"FROM credit_moves {where} ORDER BY moved, id",
            params,
        ).fetchall()
        return [
            CreditMove(row[0], row[1], row[2], parse_date(row[3]), row[4], row[5], row[6], row[7])
            for row in rows
        ]

    def refund(
        self,
        state: str,
        amount: AmountLike,
        *,
        on: dt.date | None = None,
        note: str = "",
        confirm_dates: bool = False,
    ) -> CreditMove:
        """Pay back ``amount`` (in currency units, e.g. "1250.00") of a state's credit (or of
        its unapplied receipts) on ``on`` (default today); more than it holds then is refused,
        and so is a date after today unless ``confirm_dates``."""
        return self._move(
            "refund",
            state=state,
            amount=amount,
            on=on,
            note=note,
            to_assessment=None,
            to_convention=None,
            confirm_dates=confirm_dates,
        )

    def transfer(
        self,
        state: str,
        amount: AmountLike,
        *,
        to_assessment: int | None = None,
        to_convention: str | None = None,
        on: dt.date | None = None,
        note: str = "",
        confirm_dates: bool = False,
    ) -> CreditMove:
        """Move ``amount`` of a state's credit to an assessment of this ledger (it settles that
        one first, under any payment rule) or out to another convention's accounts (the money
        leaves this ledger). Give exactly one of ``to_assessment`` (an assessment in force
        that bills the state, with as much outstanding on ``on``) and ``to_convention`` (a
        shipped convention's id, see :func:`~ccm_costs.available_conventions`, in any case).
        A date after today is refused unless ``confirm_dates``."""
        if (to_assessment is None) == (to_convention is None or not to_convention.strip()):
            raise InvalidInputError(
                "a transfer goes to one place: give to_assessment=N or to_convention='apmbc'"
            ).for_cli("a transfer goes to one place: give --to-assessment N or --to-convention")
        target = None if to_convention is None else _convention_id(to_convention)
        return self._move(
            "transfer",
            state=state,
            amount=amount,
            on=on,
            note=note,
            to_assessment=to_assessment,
            to_convention=target,
            confirm_dates=confirm_dates,
        )

    def _move(
        self,
        kind: str,
        *,
        state: str,
        amount: AmountLike,
        on: dt.date | None,
        note: str,
        to_assessment: int | None,
        to_convention: str | None,
        confirm_dates: bool,
    ) -> CreditMove:
        iso3 = resolve_state(state)
        c = self.currency
        minor = to_minor_units(amount, c, what="amount")
        if minor <= 0:
            raise InvalidInputError(
                f"a {kind} is more than {from_minor_units(0, c)} {c}: give a positive amount, "
                f"not {shown(amount)}"
            )
        try:
            checked_text(note, "the note", lines=True)
        except InvalidInputError as err:
            raise err.for_cli(f"--note: {err}") from None
        day = on or dt.date.today()
        _check_date(day, kind, confirm_dates)
        with self._transaction() as conn:
            snapshot = self._snapshot(day, self.payment_order)
            if to_assessment is not None:
                target = self.assessment(to_assessment)
                self._check_in_force(target, "transfer to")
                if target.line_of(iso3) is None:
                    raise InvalidInputError(
                        f"assessment No. {to_assessment} does not assess {state_name(iso3)}: "
                        "a credit goes to an assessment of the same state"
                    )
            held = snapshot.held(iso3)
            if minor > held:
                raise InvalidInputError(
                    f"a {kind} of {from_minor_units(minor, c):,} {c} is more than "
                    f"{state_name(iso3)}'s credit on {day} ({from_minor_units(held, c):,} {c}): "
                    "give at most that amount"
                )
            cursor = conn.execute(
                "INSERT INTO credit_moves (kind, iso3, moved, amount_minor, to_assessment, "
                "to_convention, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (kind, iso3, day.isoformat(), minor, to_assessment, to_convention, note, _now()),
            )
            new_id = int(cursor.lastrowid or 0)
            if to_assessment is not None:
                self._check_settles(f"{kind} No. {new_id}", to_assessment, iso3, minor, day)
        return CreditMove(new_id, kind, iso3, day, minor, to_assessment, to_convention, note)

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
        confirm_dates: bool = False,
        today: dt.date | None = None,
    ) -> ImportResult:
        """Record the payments of a file (see :func:`~ccm_costs.payments.read_payments`) or a
        list, all or nothing.

        Every problem is collected first (rows that do not parse, a currency other than the
        ledger's, an unknown assessment, a reference used twice in the file or already recorded
        with other data) and raised together as :class:`PaymentImportError`; nothing is written
        then. A payment whose reference is already recorded with the same data is skipped and
        reported. A date before the ledger's first assessment or after ``today`` (default the
        day of the import) is a problem too unless ``confirm_dates``. A payment from a state
        that nothing in the ledger assesses is recorded and held as an unapplied receipt. With
        ``dry_run`` nothing is written either way, and the result says what would be recorded,
        what it would settle and how each state's name was matched.
        """
        batch = _as_file(source, self.currency)
        problems = list(batch.problems)
        with self._transaction(commit=not dry_run) as conn:
            new, old = self._sort_out(batch, problems)
            if not confirm_dates:
                problems += self._date_problems(batch, today or dt.date.today())
            if problems:
                error = PaymentImportError(batch.source, problems)
                raise error.for_cli(str(error).replace(CONFIRM_DATES, "--confirm-dates"))
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
                matched=batch.names,
                unapplied=frozenset(p.iso3 for p in new) - snapshot.assessed_states,
            )
        return result

    def _date_problems(self, batch: PaymentFile, today: dt.date) -> list[str]:
        first = self._conn.execute("SELECT min(issued) FROM assessments").fetchone()[0]
        start = parse_date(first) if first else None
        problems = []
        for number, payment in batch.rows:
            where = f"row {number}" if number else f"payment {payment.reference!r}"
            if start and payment.received < start:
                problems.append(
                    f"{where}: date {payment.received} is before the ledger's first assessment "
                    f"(issued {start}): check it, or confirm it (confirm_dates=True)"
                )
            elif future := future_date(payment.received, today):
                problems.append(f"{where}: {future}")
        return problems

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
                problems.append(twice(where, payment.reference, first_row[payment.reference]))
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
            voids = self._voids()
            moves = self._moves("")
        else:
            day = (as_at.isoformat(),)
            assessments = self._assessments("WHERE a.issued <= ?", day)
            payments = self._payments("WHERE received <= ?", day)
            voids = self._voids("WHERE voided <= ?", day)
            moves = self._moves("WHERE moved <= ?", day)
        superseded_by = {a.supersedes: a.id for a in assessments if a.supersedes is not None}
        voided = {v.assessment_id: v for v in voids}
        parts = _bill_parts(assessments, superseded_by, voided)

        def current(assessment_id: int | None) -> int | None:
            while assessment_id in superseded_by:
                assessment_id = superseded_by[assessment_id]
            return assessment_id

        dated = [
            (p.received, Receipt(p.reference, p.iso3, p.amount_minor, current(p.applies_to)))
            for p in payments
        ]
        dated += [
            (m.moved, Receipt(m.reference, m.iso3, m.amount_minor, current(m.to_assessment), True))
            for m in moves
            if not m.leaves_ledger
        ]
        dated.sort(key=lambda item: item[0])  # stable: payments of a day before transfers
        receipts = net_receipts(dated, [(m.moved, m.iso3, m.amount_minor) for m in moves])
        charges = [part.charge for part in parts]
        return LedgerSnapshot(
            source=str(self.path),
            as_at=as_at,
            currency=self.currency,
            order=order,
            assessments=tuple(assessments),
            superseded_by=superseded_by,
            payments=tuple(payments),
            applications=tuple(apply_payments(charges, receipts, order)),
            voids=voided,
            moves=tuple(moves),
            parts=tuple(parts),
            receipts=tuple(receipts),
        )


def _convention_id(text: str) -> str:
    """A convention id as given in any case, as the library spells it; an error naming the
    choices for any other text."""
    known = available_conventions()
    key = text.strip().lower()
    if key not in known:
        raise InvalidInputError(
            f"to_convention {shown(text)} is not a known convention: give one of "
            + ", ".join(known)
        ).for_cli(
            f"--to-convention {shown(text)} is not a known convention: give one of "
            + ", ".join(known)
        )
    return key


def _bill_parts(
    assessments: Sequence[StoredAssessment],
    superseded_by: Mapping[int, int],
    voided: Mapping[int, Void],
) -> list[BillPart]:
    """The parts of the bills in force, oldest first (due date, issue date of the version that
    billed it, assessment, part)."""
    by_id = {a.id: a for a in assessments}
    parts: list[BillPart] = []
    for head in assessments:
        if head.id in superseded_by or head.id in voided:
            continue
        chain = [head]
        while chain[-1].supersedes in by_id:
            chain.append(by_id[chain[-1].supersedes])
        parts += bill_parts(
            [
                Version(a.id, a.due, a.issued.year, {ln.iso3: ln.amount_minor for ln in a.lines})
                for a in reversed(chain)
            ]
        )
    parts.sort(
        key=lambda p: (p.due, by_id[p.billed_in].issued, p.charge.assessment_id, p.charge.part)
    )
    return parts


def _as_file(source: str | Path | PaymentFile | Sequence[Payment], currency: str) -> PaymentFile:
    if isinstance(source, PaymentFile):
        return source
    if isinstance(source, str | Path):
        return read_payments(source, currency=currency)
    return PaymentFile("payments", tuple((0, p) for p in source), ())
