"""The status of contributions as at a date: assessed, received, outstanding, credit and
unapplied receipts, by state, by assessment, by year, by convention, and the ageing of arrears.

Every view is a grouping of the same records, so their totals agree by construction: one
record per part of a bill in force (a final keeps the estimate's part at its due date, see
:func:`~ccm_costs.ledger._payment_rule.bill_parts`) and one per state's money held (a credit,
or the unapplied receipts of a state the ledger never assessed), counted in the year of the
status date. Amounts are integers of minor units (``*_minor`` columns), and for every state
and every row ``assessed - received == outstanding - credit`` holds exactly (``received`` is
what the ledger keeps: payments less refunds and transfers out, unapplied receipts apart).
Rows are built as tuples, not through ``dataclasses.asdict`` (issue 16: it took ~72 % of the
time).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .._core.money import from_minor_units
from .._core.provenance import provenance
from .._core.text import counted
from .._reference.states import resolve_distinct, state_name, state_order
from ..errors import InvalidInputError
from ._entries import LedgerSnapshot, StoredAssessment
from ._payment_rule import PaymentOrder
from ._store import Ledger

if TYPE_CHECKING:
    import pandas as pd

PAID = "paid in full"
PART_PAID = "part paid"
NOT_PAID = "not paid"
NOTHING_DUE = "nothing assessed"
UNAPPLIED = "unapplied receipt"
CREDIT = "credit"
RULES = {
    PaymentOrder.OLDEST_FIRST: "each payment settles the state's oldest outstanding bill "
    "first (due date, then issue date); any excess is held as a credit for the next ones",
    PaymentOrder.NAMED_FIRST: "each payment settles the assessment it names first, then the "
    "oldest outstanding ones; any excess is held as a credit for the next ones",
}
MONEY_COLUMNS = (
    "assessed_minor",
    "received_minor",
    "outstanding_minor",
    "credit_minor",
    "unapplied_minor",
)
BUCKETS = (
    ("current_minor", 0),
    ("overdue_1_30_minor", 30),
    ("overdue_31_90_minor", 90),
    ("overdue_91_365_minor", 365),
    ("overdue_over_365_minor", None),
)
"""Ageing columns and the most days overdue each holds (current: not yet due)."""
AGE_COLUMNS = (*(name for name, _ in BUCKETS), "prior_years_minor", "current_year_minor")
STATE_COLUMNS = ["iso3", "state", *MONEY_COLUMNS, "days_overdue", "status"]
DUE_COLUMNS = ["assessment_id", "convention", "meeting", "label", "kind", "year", "issued",
               "due", "iso3", "state", *MONEY_COLUMNS, "days_overdue", "status"]  # fmt: skip
YEAR_COLUMNS = ["year", *MONEY_COLUMNS]
CONVENTION_COLUMNS = ["convention", *MONEY_COLUMNS, *AGE_COLUMNS]
AGEING_COLUMNS = ["iso3", "state", "outstanding_minor", *AGE_COLUMNS, "days_overdue"]
VIEWS = ("state", "assessment", "year", "convention", "ageing")
N_MONEY = len(MONEY_COLUMNS)
LIMITS = tuple(most for _, most in BUCKETS)
NO_AGES = (0,) * len(AGE_COLUMNS)
N_SUMS = N_MONEY + len(AGE_COLUMNS)


def _standing(assessed: int, received: int, outstanding: int) -> str:
    if assessed == 0:
        return NOTHING_DUE
    if outstanding == 0:
        return PAID
    return PART_PAID if received else NOT_PAID


@dataclass(frozen=True)
class ContributionStatus:
    """Assessed, received, outstanding, credit and unapplied as at a date, as DataFrames."""

    as_at: dt.date
    currency: str
    by_state: pd.DataFrame
    """iso3, state, assessed/received/outstanding/credit/unapplied ``_minor`` (int),
    days_overdue (of the oldest overdue amount), status (paid in full, part paid, not paid,
    nothing assessed, unapplied receipt)."""
    by_assessment: pd.DataFrame
    """One row per assessment in force and state (assessment_id, convention, meeting, label,
    kind, year, issued, due, iso3, state, the money columns, days_overdue, status), and one
    per state's credit (kind "credit") or unapplied receipts (kind "unapplied"), with
    assessment_id 0 and the status date as year, issued and due."""
    by_year: pd.DataFrame
    """year (of the assessment that billed it; credits in the status date's year) and the
    money columns."""
    by_convention: pd.DataFrame
    """convention, the money columns, and the ageing of what is outstanding: current,
    overdue 1-30, 31-90, 91-365 and over 365 days, prior years and current year."""
    ageing: pd.DataFrame
    """Per state: outstanding and its ageing (as ``by_convention``), days_overdue."""
    provenance: Mapping[str, str]

    @property
    def totals(self) -> dict[str, int]:
        """Sums of the per-state amounts in minor units."""
        return {c: int(self.by_state[c].sum()) for c in MONEY_COLUMNS}

    @property
    def counts(self) -> dict[str, int]:
        """Number of assessed states paid in full, part paid and not paid."""
        found = Counter(self.by_state["status"])
        return {kind: found[kind] for kind in (PAID, PART_PAID, NOT_PAID)}

    def summary(self) -> str:
        """Totals, ageing and counts in a few lines."""
        money = {k: f"{from_minor_units(v, self.currency):,}" for k, v in self.totals.items()}
        age = {
            c: f"{from_minor_units(int(self.ageing[c].sum()), self.currency):,}"
            for c in AGE_COLUMNS
        }
        counts = self.counts
        unapplied = (
            f", unapplied {money['unapplied_minor']} (from states the ledger does not assess)"
            if self.totals["unapplied_minor"]
            else ""
        )
        return (
            f"as at {self.as_at}, {self.currency}: assessed {money['assessed_minor']}, "
            f"received {money['received_minor']}, outstanding {money['outstanding_minor']}, "
            f"credit {money['credit_minor']}{unapplied}\n"
            f"outstanding: current {age['current_minor']}, overdue 1-30 days "
            f"{age['overdue_1_30_minor']}, 31-90 {age['overdue_31_90_minor']}, 91-365 "
            f"{age['overdue_91_365_minor']}, over a year {age['overdue_over_365_minor']}; "
            f"prior years {age['prior_years_minor']}, {self.as_at.year} "
            f"{age['current_year_minor']}\n"
            f"{counts[PAID]} state(s) paid in full, {counts[PART_PAID]} part paid, "
            f"{counts[NOT_PAID]} not paid"
        )

    def to_frame(self, by: str = "state") -> pd.DataFrame:
        """One of the views as a table: ``by="state"`` (default), ``"assessment"``,
        ``"year"``, ``"convention"`` or ``"ageing"``."""
        views = {
            "state": self.by_state,
            "assessment": self.by_assessment,
            "year": self.by_year,
            "convention": self.by_convention,
            "ageing": self.ageing,
        }
        if by not in views:
            raise InvalidInputError(
                f"by={by!r}: give one of {', '.join(map(repr, views))}"
            ).for_cli(f"--by {by}: give one of {', '.join(views)}")
        return views[by]


def status_of_contributions(
    ledger: Ledger | LedgerSnapshot,
    as_at: dt.date | None = None,
    *,
    order: PaymentOrder | str | None = None,
    states: Iterable[str] | None = None,
) -> ContributionStatus:
    """The status of contributions as at ``as_at`` (default today).

    Only assessments issued, voids and refunds dated and payments received by ``as_at`` count;
    an assessment superseded or void by then does not. ``order`` overrides the ledger's payment
    order (a what-if). A snapshot is used as it is (its own date and order). ``states``
    (names or ISO3 codes) keeps only those states in every view: what a delegation owes
    across all the ledger's conventions (each state's position does not depend on the others).
    """
    wanted = None if states is None else set(resolve_distinct(states, argument="states"))
    snapshot = (
        ledger.snapshot(as_at or dt.date.today(), order=order)
        if isinstance(ledger, Ledger)
        else ledger
    )
    day = snapshot.as_at or as_at or dt.date.today()
    records = _records(snapshot, day)
    if wanted is not None:
        records = [r for r in records if r.iso3 in wanted]
    names = {r.iso3: r.state for r in records}
    by_state = _group(records, lambda r: r.iso3)
    by_assessment = _group(
        records, lambda r: (r.assessment.id, r.iso3) if r.assessment else (0, r.iso3, r.kind)
    )
    codes = sorted(names, key=lambda c: state_order(names[c], c))
    order_of = {code: n for n, code in enumerate(codes)}
    state_rows = []
    ageing_rows = []
    for code in codes:
        sums, overdue, _ = by_state[code]
        money = sums[:N_MONEY]
        status = UNAPPLIED if sums[4] and not sums[0] else _standing(*money[:3])
        state_rows.append((code, names[code], *money, overdue, status))
        ageing_rows.append((code, names[code], sums[2], *sums[N_MONEY:], overdue))
    due_rows = []
    for key in sorted(
        by_assessment, key=lambda k: (_assessment_order(by_assessment[k]), order_of[k[1]])
    ):
        sums, overdue, first = by_assessment[key]
        money = sums[:N_MONEY]
        a = first.assessment
        if a is None:
            head = (0, first.convention, "", first.label, first.kind, day.year, day, day)
            status = first.kind if first.kind == CREDIT else UNAPPLIED
        else:
            head = (
                a.id,
                a.convention,
                a.meeting,
                a.label,
                a.kind.value,
                a.issued.year,
                a.issued,
                a.due,
            )
            status = _standing(*money[:3])
        due_rows.append((*head, first.iso3, first.state, *money, overdue, status))
    years = _group(records, lambda r: r.year)
    conventions = _group(records, lambda r: r.convention)
    return ContributionStatus(
        as_at=day,
        currency=snapshot.currency,
        by_state=_frame(state_rows, STATE_COLUMNS),
        by_assessment=_frame(due_rows, DUE_COLUMNS),
        by_year=_frame([(y, *years[y][0][:N_MONEY]) for y in sorted(years)], YEAR_COLUMNS),
        by_convention=_frame(
            [(c, *conventions[c][0]) for c in sorted(conventions)], CONVENTION_COLUMNS
        ),
        ageing=_frame(ageing_rows, AGEING_COLUMNS),
        provenance=_provenance(snapshot, day, wanted),
    )


def _assessment_order(group: _Group) -> tuple[object, ...]:
    """Assessments oldest first (due, issue date, number), then the money held."""
    a = group[2].assessment
    return (1, dt.date.max, dt.date.max, 0) if a is None else (0, a.due, a.issued, a.id)


@dataclass(frozen=True, slots=True)
class _Record:
    """One part of a bill in force for one state, or one state's money held, as at the date."""

    assessment: StoredAssessment | None
    """The assessment in force; None for money held (a credit or unapplied receipts)."""
    kind: str
    """The assessment's kind, or "credit" / "unapplied"."""
    label: str
    convention: str
    iso3: str
    state: str
    year: int
    sums: tuple[int, ...]
    """The money columns, then the ageing columns (:data:`AGE_COLUMNS`)."""
    days_overdue: int


_Group = tuple[list[int], int, _Record]
"""Sums, most days overdue and the first record of a group."""


def _group(records: Iterable[_Record], key: Callable[[_Record], Hashable]) -> dict[Any, _Group]:
    """Records grouped by ``key``: their sums added (column by column, in C), the most days
    overdue kept, and the first record."""
    members: dict[Any, list[_Record]] = {}
    for record in records:
        members.setdefault(key(record), []).append(record)
    return {
        k: (
            list(group[0].sums)
            if len(group) == 1
            else [sum(column) for column in zip(*(r.sums for r in group), strict=True)],
            max(r.days_overdue for r in group),
            group[0],
        )
        for k, group in members.items()
    }


def _ages(outstanding: int, days: int, year: int, day: dt.date) -> tuple[int, ...]:
    """The outstanding amount in its ageing bucket, and as prior or current year."""
    if not outstanding:
        return NO_AGES
    n = next(i for i, most in enumerate(LIMITS) if most is None or days <= most)
    buckets = (0,) * n + (outstanding,) + (0,) * (len(BUCKETS) - n - 1)
    return (*buckets, outstanding, 0) if year < day.year else (*buckets, 0, outstanding)


def _records(snapshot: LedgerSnapshot, day: dt.date) -> list[_Record]:
    applied: Counter[tuple[int, str, int]] = Counter()
    for application in snapshot.applications:
        key = (application.assessment_id, application.iso3, application.part)
        applied[key] += application.amount_minor
    by_id = {a.id: a for a in snapshot.assessments}
    names: dict[str, str] = {}
    latest: dict[str, StoredAssessment] = {}
    for a in snapshot.assessments:
        for line in a.lines:
            names[line.iso3] = line.state
            latest[line.iso3] = a
    records = []
    for part in snapshot.parts:
        charge = part.charge
        head = by_id[charge.assessment_id]
        received = applied[(charge.assessment_id, charge.iso3, charge.part)]
        outstanding = charge.amount_minor - received
        days = (day - part.due).days
        latest[charge.iso3] = head
        records.append(
            _Record(
                head,
                head.kind.value,
                head.label,
                head.convention,
                charge.iso3,
                names[charge.iso3],
                part.year,
                (
                    charge.amount_minor,
                    received,
                    outstanding,
                    0,
                    0,
                    *_ages(outstanding, days, part.year, day),
                ),
                max(days, 0) if outstanding else 0,
            )
        )
    held: Counter[str] = Counter()
    for receipt in snapshot.receipts:
        held[receipt.iso3] += receipt.amount_minor
    for application in snapshot.applications:
        held[application.iso3] -= application.amount_minor
    assessed = snapshot.assessed_states
    zeros = (0,) * len(AGE_COLUMNS)
    for iso3 in sorted(held):
        amount = held[iso3]
        if not amount:
            continue
        if iso3 in assessed:
            sums = (0, amount, 0, amount, 0, *zeros)
            kind, label, convention = CREDIT, "credit held", latest[iso3].convention
        else:
            sums = (0, 0, 0, 0, amount, *zeros)
            kind, label, convention = "unapplied", "unapplied receipts", ""
        name = names.get(iso3) or state_name(iso3)
        records.append(_Record(None, kind, label, convention, iso3, name, day.year, sums, 0))
    return records


def _frame(rows: Sequence[tuple[object, ...]], columns: list[str]) -> pd.DataFrame:
    """The rows as a frame; amounts, days and years as int64 even when it is empty."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for column in frame.columns:
        if column.endswith("_minor") or column in {"days_overdue", "year", "assessment_id"}:
            frame[column] = frame[column].astype("int64")
    return frame


def _provenance(snapshot: LedgerSnapshot, day: dt.date, states: set[str] | None) -> dict[str, str]:
    superseded = len(snapshot.superseded_by)
    only = {} if states is None else {"states": "only " + ", ".join(sorted(states))}
    return provenance(
        {
            "as at": f"{day.isoformat()}: assessments issued and payments received by this date",
            **only,
            "ledger": snapshot.source,
            "currency": snapshot.currency,
            "payment rule": f"{snapshot.order.value}: {RULES[snapshot.order]}",
            "assessments": f"{len(snapshot.in_force)} in force, {superseded} superseded, "
            f"{len(snapshot.voids)} void (superseded and void ones no longer count as due)",
            "payments": f"{len(snapshot.payments)} received; "
            f"{counted(sum(m.kind == 'refund' for m in snapshot.moves), 'refund')}, "
            f"{counted(sum(m.kind == 'transfer' for m in snapshot.moves), 'transfer')} of credit",
            "arrears": "what an estimate billed keeps its due date when a final supersedes it; "
            "only the difference is a new bill, due on the final's due date",
            "days overdue": "from the due date of the oldest part of a bill not paid in full",
            "received": "payments less refunds and transfers out; unapplied receipts (from a "
            "state the ledger does not assess) are apart, never a credit",
            "amounts": "exact, in minor units; for each state assessed - received = "
            "outstanding - credit",
        },
        tie_rule=None,
    )
