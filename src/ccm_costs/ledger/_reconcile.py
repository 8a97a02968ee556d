"""Estimate against final: per state the additional bill or the credit, exact to the minor unit.

A meeting is assessed on estimated costs before it and on actual costs and the actual
participants after it. :func:`reconcile` compares the two per state; the differences sum to the
final total less the estimated total exactly, because every amount is an integer of minor units.
The two can come from anywhere that gives amounts per state: assessments computed now, two
workbooks read back (:func:`ccm_costs.read_assessment_workbook`), or a ledger
(:func:`reconcile_recorded`: the estimate and the final in force that supersedes it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from .._core.money import from_minor_units
from .._reference.states import state_order
from ..errors import InvalidInputError
from ._entries import LedgerSnapshot, StoredAssessment
from ._kinds import AssessmentKind
from ._store import Ledger

if TYPE_CHECKING:
    import pandas as pd

BOTH = "in both"
FINAL_ONLY = "final only: not in the estimate"
ESTIMATE_ONLY = "estimate only: did not participate"


class _Line(Protocol):
    @property
    def iso3(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def amount_minor(self) -> int: ...


class Assessed(Protocol):
    """What reconciliation needs of an assessment: an :class:`~ccm_costs.Assessment` or an
    assessment stored in a :class:`~ccm_costs.ledger.Ledger`."""

    @property
    def currency(self) -> str: ...
    @property
    def lines(self) -> Iterable[_Line]: ...
    def provenance(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class ReconciliationLine:
    """One state: estimated and final amounts (0 where absent) and the difference."""

    iso3: str
    state: str
    presence: str
    """:data:`BOTH`, :data:`FINAL_ONLY` or :data:`ESTIMATE_ONLY`."""
    estimated_minor: int
    final_minor: int

    @property
    def difference_minor(self) -> int:
        """Final less estimated: an additional bill if positive, a credit if negative."""
        return self.final_minor - self.estimated_minor

    @property
    def settlement(self) -> str:
        """One of "additional bill", "credit" or "no change"."""
        if self.difference_minor > 0:
            return "additional bill"
        return "credit" if self.difference_minor < 0 else "no change"


@dataclass(frozen=True)
class Reconciliation:
    """The estimate and the final assessment side by side, with both provenances."""

    lines: tuple[ReconciliationLine, ...]
    currency: str
    estimated_total_minor: int
    final_total_minor: int
    estimate_provenance: Mapping[str, str]
    final_provenance: Mapping[str, str]
    estimate_source: str = ""
    """Where the estimate comes from, in words (a ledger number, a workbook, a meeting)."""
    final_source: str = ""
    """Where the final assessment comes from, in words."""

    @property
    def meeting(self) -> str:
        """The meeting both assessments name (their provenance's "meeting"), else ""."""
        before = self.estimate_provenance.get("meeting", "")
        return before if before == self.final_provenance.get("meeting", "") else ""

    @property
    def difference_total_minor(self) -> int:
        """Final total less estimated total (equal to the sum of the differences)."""
        return self.final_total_minor - self.estimated_total_minor

    def money(self, minor: int) -> Decimal:
        """An amount in minor units as a ``Decimal`` in the currency."""
        return from_minor_units(minor, self.currency)

    def provenance(self) -> dict[str, str]:
        """Where each comes from ("estimate source", "final source"), then both
        provenances, each key prefixed with "estimate" or "final"."""
        return {
            **({"estimate source": self.estimate_source} if self.estimate_source else {}),
            **({"final source": self.final_source} if self.final_source else {}),
            **{f"estimate {k}": v for k, v in self.estimate_provenance.items()},
            **{f"final {k}": v for k, v in self.final_provenance.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per state: iso3, state, presence, estimated_minor, final_minor,
        difference_minor (ints), difference (``Decimal``) and settlement; provenance in
        ``attrs["provenance"]``."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "iso3": pd.Series([ln.iso3 for ln in self.lines], dtype=object),
                "state": pd.Series([ln.state for ln in self.lines], dtype=object),
                "presence": pd.Series([ln.presence for ln in self.lines], dtype=object),
                "estimated_minor": pd.Series(
                    [ln.estimated_minor for ln in self.lines], dtype="int64"
                ),
                "final_minor": pd.Series([ln.final_minor for ln in self.lines], dtype="int64"),
                "difference_minor": pd.Series(
                    [ln.difference_minor for ln in self.lines], dtype="int64"
                ),
                "difference": pd.Series(
                    [self.money(ln.difference_minor) for ln in self.lines], dtype=object
                ),
                "settlement": pd.Series([ln.settlement for ln in self.lines], dtype=object),
            }
        )
        frame.attrs["provenance"] = self.provenance()
        frame.attrs["currency"] = self.currency
        return frame

    def summary(self) -> str:
        """Totals, the count of additional bills and credits, and the one-sided states."""
        bills = sum(1 for ln in self.lines if ln.difference_minor > 0)
        credits = sum(1 for ln in self.lines if ln.difference_minor < 0)
        final_only = [ln.state for ln in self.lines if ln.presence == FINAL_ONLY]
        estimate_only = [ln.state for ln in self.lines if ln.presence == ESTIMATE_ONLY]
        c = self.currency
        parts = [
            f"estimated {self.money(self.estimated_total_minor):,} {c}, "
            f"final {self.money(self.final_total_minor):,} {c}, "
            f"difference {self.money(self.difference_total_minor):,} {c}",
            f"{bills} additional bill(s), {credits} credit(s), "
            f"{len(self.lines) - bills - credits} unchanged",
        ]
        if final_only:
            parts.append(f"{FINAL_ONLY}: " + ", ".join(final_only))
        if estimate_only:
            parts.append(f"{ESTIMATE_ONLY}: " + ", ".join(estimate_only))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()


def reconcile(
    estimate: Assessed,
    final: Assessed,
    *,
    estimate_source: str | None = None,
    final_source: str | None = None,
) -> Reconciliation:
    """Per state the estimated amount, the final amount and the difference.

    ``estimate`` and ``final`` are each an :class:`~ccm_costs.Assessment`, an assessment stored
    in a ledger (:class:`StoredAssessment`) or an assessment workbook read back
    (:func:`ccm_costs.read_assessment_workbook`). States assessed in only one of the two are
    kept, with 0 for the other and labelled :data:`FINAL_ONLY` (e.g. an observer that came
    unannounced) or :data:`ESTIMATE_ONLY` (e.g. a party that stayed away). Both must be in the
    same currency. ``estimate_source`` and ``final_source`` say where each comes from (default:
    a description of each, e.g. "No. 1 of the ledger: 12MSP estimate, issued 2024-06-03").
    """
    if estimate.currency.upper() != final.currency.upper():
        raise InvalidInputError(
            f"the estimate is in {estimate.currency} and the final assessment in "
            f"{final.currency}: reconcile assessments in the same currency"
        )
    before = {ln.iso3: ln for ln in estimate.lines}
    after = {ln.iso3: ln for ln in final.lines}
    names = {code: ln.state for code, ln in {**before, **after}.items()}
    lines = []
    for code in sorted(names, key=lambda c: state_order(names[c], c)):
        old, new = before.get(code), after.get(code)
        presence = BOTH if old and new else (FINAL_ONLY if new else ESTIMATE_ONLY)
        lines.append(
            ReconciliationLine(
                iso3=code,
                state=names[code],
                presence=presence,
                estimated_minor=old.amount_minor if old else 0,
                final_minor=new.amount_minor if new else 0,
            )
        )
    return Reconciliation(
        lines=tuple(lines),
        currency=final.currency.upper(),
        estimated_total_minor=sum(ln.estimated_minor for ln in lines),
        final_total_minor=sum(ln.final_minor for ln in lines),
        estimate_provenance=dict(estimate.provenance()),
        final_provenance=dict(final.provenance()),
        estimate_source=estimate_source or _described(estimate),
        final_source=final_source or _described(final),
    )


def _described(assessed: Assessed) -> str:
    """Where an assessment comes from, in words: its own ``source`` (a workbook read back),
    its ledger number, else the meeting its provenance names."""
    source = getattr(assessed, "source", None)
    if isinstance(source, str) and source:
        return source
    if isinstance(assessed, StoredAssessment):
        return f"No. {assessed.id} of the ledger: {assessed.label}, issued {assessed.issued}"
    meeting = assessed.provenance().get("meeting")
    return f"the assessment of {meeting}" if meeting else "an assessment computed by ccm_costs"


def reconcile_recorded(
    ledger: Ledger | LedgerSnapshot,
    meeting: str | None = None,
    *,
    estimate: int | None = None,
    final: int | None = None,
) -> Reconciliation:
    """The reconciliation of two assessments recorded in ``ledger``.

    Give the ``meeting`` (as recorded, e.g. "12MSP"): the final is its assessment in force
    (a final, or a correction of one) and the estimate the version the first final
    superseded (the estimate as it stood, corrections included). Or give both numbers,
    ``estimate`` and ``final`` (see ``Ledger.history()``), of assessments of one meeting.
    """
    snapshot = ledger if isinstance(ledger, LedgerSnapshot) else ledger.snapshot()
    by_id = {a.id: a for a in snapshot.assessments}
    where = f"the ledger {snapshot.source}"
    if meeting is not None and (estimate is not None or final is not None):
        raise InvalidInputError("give the meeting, or the numbers estimate=N and final=M, not both")
    if meeting is None:
        if estimate is None or final is None:
            raise InvalidInputError(
                "give the meeting (e.g. '12MSP'), or the numbers estimate=N and final=M (see "
                "the ledger's history)"
            )
        before, after = (_numbered(by_id, n, where) for n in (estimate, final))
        if estimate == final:
            raise InvalidInputError(f"the estimate and the final are both No. {estimate}")
        if before.meeting != after.meeting:
            raise InvalidInputError(
                f"No. {estimate} is for {before.meeting} and No. {final} for {after.meeting}: "
                "reconcile two assessments of the same meeting"
            )
        if (after.issued, after.id) < (before.issued, before.id):
            raise InvalidInputError(
                f"the final No. {final} ({after.label}, issued {after.issued}) comes before the "
                f"estimate No. {estimate} ({before.label}, issued {before.issued}): give the "
                f"earlier one as the estimate (estimate={final}, final={estimate})"
            ).for_cli(
                f"the final No. {final} ({after.label}, issued {after.issued}) comes before the "
                f"estimate No. {estimate} ({before.label}, issued {before.issued}): give "
                f"--estimate {final} --final {estimate}"
            )
    else:
        before, after = _estimate_and_final(snapshot, meeting, where)
    return reconcile(
        before,
        after,
        estimate_source=f"No. {before.id} of {where}: {before.label}, issued {before.issued}",
        final_source=f"No. {after.id} of {where}: {after.label}, issued {after.issued}",
    )


def _numbered(by_id: Mapping[int, StoredAssessment], number: int, where: str) -> StoredAssessment:
    if number not in by_id:
        known = ", ".join(str(n) for n in by_id) or "none"
        raise InvalidInputError(
            f"{where} has no assessment No. {number} (its numbers: {known}; see its history)"
        )
    return by_id[number]


def _estimate_and_final(
    snapshot: LedgerSnapshot, meeting: str, where: str
) -> tuple[StoredAssessment, StoredAssessment]:
    """The meeting's assessment in force (a final or its correction) and the version the
    first final of its chain superseded."""
    recorded = [a for a in snapshot.assessments if a.meeting == meeting]
    if not recorded:
        meetings = ", ".join(dict.fromkeys(a.meeting for a in snapshot.assessments)) or "none"
        raise InvalidInputError(
            f"{where} has no assessment of {meeting!r} (its meetings: {meetings})"
        )
    in_force = [a for a in snapshot.in_force if a.meeting == meeting]
    if len(in_force) != 1:
        numbers = ", ".join(f"No. {a.id} ({a.label})" for a in in_force)
        raise InvalidInputError(
            f"{meeting} has {len(in_force)} assessments in force in {where} ({numbers}): give "
            "the numbers estimate=N and final=M of the two to reconcile"
        )
    head = in_force[0]
    by_id = {a.id: a for a in snapshot.assessments}
    chain = [head]
    while chain[-1].supersedes is not None and chain[-1].supersedes in by_id:
        chain.append(by_id[chain[-1].supersedes])
    finals = [n for n, a in enumerate(chain) if a.kind is AssessmentKind.FINAL]
    if not finals or finals[-1] + 1 == len(chain):
        has = "no final assessment" if not finals else "no estimate before its final"
        raise InvalidInputError(
            f"{meeting} has {has} in {where} (in force: No. {head.id}, {head.label}): record "
            "the final with record_assessment(final, kind='final', supersedes=N), N the "
            "estimate's number, or give the numbers estimate=N and final=M"
        )
    return chain[finals[-1] + 1], head
