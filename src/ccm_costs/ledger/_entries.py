"""What the ledger holds, as values: assessments as stored with their lines, voids, credit
moves (refunds and transfers), a snapshot as at a date, and what an import recorded. Plain
frozen dataclasses, read by the status and the workbooks; the ledger itself is in
:mod:`._store`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from .._core.money import from_minor_units
from .._reference.states import state_name
from ..errors import RuleSetError
from ..rules._files import from_toml, load
from ._kinds import AssessmentKind
from ._payment_rule import Application, BillPart, PaymentOrder, Receipt
from ._payments import Payment

if TYPE_CHECKING:
    from ..rules._ruleset import RuleSet


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
    rule_set: str = ""
    """The id of the rule set the assessment was computed under ("" for one recorded by a
    ledger older than schema version 3, which did not keep it)."""
    rules_toml: str = field(default="", repr=False)
    """That rule set as TOML (see :meth:`rules`)."""

    @property
    def rules_label(self) -> str:
        """The rule set in a few words: its id, ", changed" when it is a preset with changes
        (a ceiling added, say), "not recorded" for a ledger older than schema version 3."""
        if not self.rule_set:
            return "not recorded"
        try:
            preset = load(self.rule_set)
        except RuleSetError:  # not a shipped preset: a user's rule set
            return self.rule_set
        return self.rule_set if preset == self.rules() else f"{self.rule_set}, changed"

    def rules(self) -> RuleSet | None:
        """The rule set the assessment was computed under, read back from the ledger (None
        when the ledger that recorded it did not keep it)."""
        return from_toml(self.rules_toml) if self.rules_toml else None

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

    @property
    def convention(self) -> str:
        """The convention, as its provenance names it ("" when it does not)."""
        return self.provenance_items.get("convention", "")

    def describe(self) -> str:
        """No., label, issue date, states and total in one phrase, for messages."""
        return (
            f"No. {self.id} ({self.label}, issued {self.issued}, {len(self.lines)} states, "
            f"{self.total:,} {self.currency})"
        )


@dataclass(frozen=True)
class Void:
    """An assessment withdrawn: from ``voided`` on it no longer counts as due."""

    assessment_id: int
    reason: str
    voided: dt.date


@dataclass(frozen=True)
class CreditMove:
    """Money taken out of a state's credit: a refund, or a transfer to an assessment of this
    ledger or out to another convention (``to_convention``)."""

    id: int
    kind: str
    """``"refund"`` or ``"transfer"``."""
    iso3: str
    moved: dt.date
    amount_minor: int
    to_assessment: int | None
    to_convention: str | None
    note: str

    @property
    def reference(self) -> str:
        """How its applications are named: "refund No. 1", "transfer No. 2"."""
        return f"{self.kind} No. {self.id}"

    @property
    def leaves_ledger(self) -> bool:
        """Whether the money leaves the ledger (a refund, or a transfer to a convention)."""
        return self.to_assessment is None


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
    voids: Mapping[int, Void]
    """Assessment id -> its void, for the voids dated by ``as_at``."""
    moves: tuple[CreditMove, ...]
    """Refunds and transfers dated by ``as_at``, in date order."""
    parts: tuple[BillPart, ...]
    """The parts of every bill in force, oldest first (the order payments settle them)."""
    receipts: tuple[Receipt, ...]
    """What the rule applied: payments less refunds and transfers, and the transfers in."""

    @property
    def in_force(self) -> list[StoredAssessment]:
        """The assessments that count as due, oldest first (due date, issue date, id)."""
        active = [
            a for a in self.assessments if a.id not in self.superseded_by and a.id not in self.voids
        ]
        return sorted(active, key=lambda a: (a.due, a.issued, a.id))

    @property
    def assessed_states(self) -> frozenset[str]:
        """Every state in an assessment issued by ``as_at``, superseded or void ones too."""
        return frozenset(line.iso3 for a in self.assessments for line in a.lines)

    def held(self, iso3: str) -> int:
        """The state's money the ledger holds and no assessment needs: its credit, or its
        unapplied receipts if it was never assessed (minor units)."""
        received = sum(r.amount_minor for r in self.receipts if r.iso3 == iso3)
        return received - sum(a.amount_minor for a in self.applications if a.iso3 == iso3)


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
    matched: tuple[tuple[str, str], ...] = ()
    """(state as written in the file, ISO3 code it was matched to), one per distinct text."""
    unapplied: frozenset[str] = frozenset()
    """States of recorded payments that nothing in the ledger assesses: held unapplied."""

    def __str__(self) -> str:
        verb = "would record" if self.dry_run else "recorded"
        lines = [f"{self.source}: {verb} {len(self.recorded)} payment(s)"]
        if self.dry_run and self.matched:
            lines.append("names matched:")
            lines += [f"  {text!r} -> {code} ({state_name(code)})" for text, code in self.matched]
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
            if credit and payment.iso3 in self.unapplied:
                parts.append(
                    f"held unapplied {from_minor_units(credit, c):,}: nothing in the ledger "
                    f"assesses {payment.iso3}"
                )
            elif credit:
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
