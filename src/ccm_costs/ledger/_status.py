"""The status of contributions as at a date: assessed, received, outstanding and credit.

Per state, per assessment and per year, with totals and the count of states paid in full, part
paid and not paid. Amounts are integers of minor units (``*_minor`` columns), so for every
state ``assessed - received == outstanding - credit`` holds exactly.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from .._core.money import from_minor_units
from .._core.provenance import provenance
from .._reference.states import state_name, state_order
from ..errors import InvalidInputError
from ._payment_rule import PaymentOrder
from ._store import Ledger, LedgerSnapshot

if TYPE_CHECKING:
    import pandas as pd

PAID = "paid in full"
PART_PAID = "part paid"
NOT_PAID = "not paid"
NOTHING_DUE = "nothing assessed"
RULES = {
    PaymentOrder.OLDEST_FIRST: "each payment settles the state's oldest outstanding assessment "
    "first (due date, then issue date); any excess is held as a credit for the next ones",
    PaymentOrder.NAMED_FIRST: "each payment settles the assessment it names first, then the "
    "oldest outstanding ones; any excess is held as a credit for the next ones",
}
MONEY_COLUMNS = ("assessed_minor", "received_minor", "outstanding_minor")
STATE_COLUMNS = ["iso3", "state", *MONEY_COLUMNS, "credit_minor", "days_overdue", "status"]
DUE_COLUMNS = ["assessment_id", "meeting", "label", "kind", "year", "issued", "due", "iso3",
               "state", *MONEY_COLUMNS, "days_overdue", "status"]  # fmt: skip


def _standing(assessed: int, received: int, outstanding: int) -> str:
    if assessed == 0:
        return NOTHING_DUE
    if outstanding == 0:
        return PAID
    return PART_PAID if received else NOT_PAID


@dataclass(frozen=True)
class ContributionStatus:
    """Assessed, received, outstanding and credit as at a date, as DataFrames."""

    as_at: dt.date
    currency: str
    by_state: pd.DataFrame
    """iso3, state, assessed/received/outstanding/credit ``_minor`` (int), days_overdue (of
    the oldest overdue amount), status (paid in full, part paid, not paid, nothing assessed)."""
    by_assessment: pd.DataFrame
    """One row per assessment in force and state: assessment_id, meeting, label, kind, year,
    issued, due, iso3, state, assessed/received/outstanding ``_minor``, days_overdue, status."""
    by_year: pd.DataFrame
    """year (of issue), assessed/received/outstanding ``_minor``."""
    provenance: Mapping[str, str]

    @property
    def totals(self) -> dict[str, int]:
        """Sums of the per-state amounts in minor units."""
        columns = (*MONEY_COLUMNS, "credit_minor")
        return {c: int(self.by_state[c].sum()) for c in columns}

    @property
    def counts(self) -> dict[str, int]:
        """Number of assessed states paid in full, part paid and not paid."""
        found = Counter(self.by_state["status"])
        return {kind: found[kind] for kind in (PAID, PART_PAID, NOT_PAID)}

    def summary(self) -> str:
        """Totals and counts in two lines."""
        money = {k: f"{from_minor_units(v, self.currency):,}" for k, v in self.totals.items()}
        counts = self.counts
        return (
            f"as at {self.as_at}, {self.currency}: assessed {money['assessed_minor']}, "
            f"received {money['received_minor']}, outstanding {money['outstanding_minor']}, "
            f"credit {money['credit_minor']}\n"
            f"{counts[PAID]} state(s) paid in full, {counts[PART_PAID]} part paid, "
            f"{counts[NOT_PAID]} not paid"
        )

    def to_frame(self, by: str = "state") -> pd.DataFrame:
        """One of the views as a table: ``by="state"`` (default), ``"assessment"`` or ``"year"``."""
        views = {"state": self.by_state, "assessment": self.by_assessment, "year": self.by_year}
        if by not in views:
            raise InvalidInputError(f"by={by!r}: give one of {', '.join(map(repr, views))}")
        return views[by]


def status_of_contributions(
    ledger: Ledger | LedgerSnapshot,
    as_at: dt.date | None = None,
    *,
    order: PaymentOrder | str | None = None,
) -> ContributionStatus:
    """The status of contributions as at ``as_at`` (default today).

    Only assessments issued and payments received by ``as_at`` count; an assessment superseded
    by then does not. ``order`` overrides the ledger's payment order (a what-if). A snapshot is
    used as it is (its own date and order).
    """
    snapshot = (
        ledger.snapshot(as_at or dt.date.today(), order=order)
        if isinstance(ledger, Ledger)
        else ledger
    )
    day = snapshot.as_at or as_at or dt.date.today()
    import pandas as pd

    dues = _dues(snapshot, day)
    by_assessment = _typed(pd.DataFrame([asdict(d) for d in dues], columns=DUE_COLUMNS))
    by_state = pd.DataFrame(_by_state(snapshot, dues), columns=STATE_COLUMNS)
    return ContributionStatus(
        as_at=day,
        currency=snapshot.currency,
        by_state=_typed(by_state),
        by_assessment=by_assessment,
        by_year=_by_year(by_assessment),
        provenance=_provenance(snapshot, day),
    )


@dataclass(frozen=True)
class _Due:
    """One state's part of one assessment in force, as at the status date."""

    assessment_id: int
    meeting: str
    label: str
    kind: str
    year: int
    issued: dt.date
    due: dt.date
    iso3: str
    state: str
    assessed_minor: int
    received_minor: int
    outstanding_minor: int
    days_overdue: int
    status: str


def _dues(snapshot: LedgerSnapshot, day: dt.date) -> list[_Due]:
    applied: Counter[tuple[int, str]] = Counter()
    for application in snapshot.applications:
        applied[(application.assessment_id, application.iso3)] += application.amount_minor
    dues = []
    for a in snapshot.in_force:
        for line in a.lines:
            received = applied[(a.id, line.iso3)]
            outstanding = line.amount_minor - received
            dues.append(
                _Due(
                    assessment_id=a.id,
                    meeting=a.meeting,
                    label=a.label,
                    kind=a.kind.value,
                    year=a.issued.year,
                    issued=a.issued,
                    due=a.due,
                    iso3=line.iso3,
                    state=line.state,
                    assessed_minor=line.amount_minor,
                    received_minor=received,
                    outstanding_minor=outstanding,
                    days_overdue=max((day - a.due).days, 0) if outstanding else 0,
                    status=_standing(line.amount_minor, received, outstanding),
                )
            )
    return dues


def _by_state(snapshot: LedgerSnapshot, dues: list[_Due]) -> list[dict[str, object]]:
    names: dict[str, str] = {}
    totals: dict[str, tuple[int, int, int]] = {}
    for due in dues:
        names.setdefault(due.iso3, due.state)
        assessed, outstanding, overdue = totals.get(due.iso3, (0, 0, 0))
        totals[due.iso3] = (
            assessed + due.assessed_minor,
            outstanding + due.outstanding_minor,
            max(overdue, due.days_overdue),
        )
    received: Counter[str] = Counter()
    for payment in snapshot.payments:
        received[payment.iso3] += payment.amount_minor
        names.setdefault(payment.iso3, state_name(payment.iso3))
    rows: list[dict[str, object]] = []
    for code in sorted(names, key=lambda c: state_order(names[c], c)):
        assessed, outstanding, overdue = totals.get(code, (0, 0, 0))
        got = received[code]
        rows.append(
            {
                "iso3": code,
                "state": names[code],
                "assessed_minor": assessed,
                "received_minor": got,
                "outstanding_minor": outstanding,
                "credit_minor": got - assessed + outstanding,
                "days_overdue": overdue,
                "status": _standing(assessed, got, outstanding),
            }
        )
    return rows


def _by_year(by_assessment: pd.DataFrame) -> pd.DataFrame:
    frame = by_assessment.groupby("year", as_index=False)[list(MONEY_COLUMNS)].sum()
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Amounts, days and years as int64 even when the frame is empty."""
    for column in frame.columns:
        if column.endswith("_minor") or column in {"days_overdue", "year", "assessment_id"}:
            frame[column] = frame[column].astype("int64")
    return frame


def _provenance(snapshot: LedgerSnapshot, day: dt.date) -> dict[str, str]:
    superseded = len(snapshot.superseded_by)
    return provenance(
        {
            "as at": f"{day.isoformat()}: assessments issued and payments received by this date",
            "ledger": snapshot.source,
            "currency": snapshot.currency,
            "payment rule": f"{snapshot.order.value}: {RULES[snapshot.order]}",
            "assessments": f"{len(snapshot.in_force)} in force, {superseded} superseded "
            "(a superseded assessment no longer counts as due)",
            "payments": f"{len(snapshot.payments)} received",
            "days overdue": "from the due date of the oldest assessment not paid in full",
            "amounts": "exact, in minor units; for each state assessed - received = "
            "outstanding - credit",
        },
        tie_rule=None,
    )
