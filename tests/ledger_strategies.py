"""Hypothesis strategies and helpers for the ledger tests: histories of assessments and
payments over a few states, and a ledger built from one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

import ccm_costs as cc
from ccm_costs.ledger import Ledger, Payment

POOL = ["AUT", "BEL", "FRA", "KEN", "JPN", "NZL"]
START = dt.date(2024, 1, 1)
days = st.integers(min_value=0, max_value=500).map(lambda n: START + dt.timedelta(days=n))


@dataclass(frozen=True)
class Issue:
    """An assessment to record: who, how much (cents), when, for which meeting."""

    states: tuple[str, ...]
    total_minor: int
    issued: dt.date
    meeting: str
    supersede: bool


@dataclass(frozen=True)
class History:
    issues: tuple[Issue, ...]
    payments: tuple[Payment, ...]


issues = st.builds(
    Issue,
    states=st.lists(st.sampled_from(POOL), min_size=1, max_size=6, unique=True).map(tuple),
    total_minor=st.integers(min_value=0, max_value=10**7),
    issued=days,
    meeting=st.sampled_from(["M1", "M2", "M3"]),
    supersede=st.booleans(),
)


@st.composite
def histories(draw: st.DrawFn, max_issues: int = 5, max_payments: int = 8) -> History:
    """Assessments (some superseding an earlier one of their meeting) and payments, some
    naming an assessment by its future ledger id."""
    drawn = tuple(draw(st.lists(issues, min_size=1, max_size=max_issues)))
    payments = draw(st.lists(_payments(len(drawn)), max_size=max_payments))
    unique = tuple(
        Payment(f"REF-{n}", p.iso3, p.received, p.amount_minor, "USD", "", p.applies_to)
        for n, p in enumerate(payments)
    )
    return History(drawn, unique)


def _payments(n_issues: int) -> st.SearchStrategy[Payment]:
    return st.builds(
        Payment,
        reference=st.just("REF"),
        iso3=st.sampled_from(POOL),
        received=days,
        amount_minor=st.integers(min_value=1, max_value=4 * 10**6),
        currency=st.just("USD"),
        applies_to=st.one_of(st.none(), st.integers(1, n_issues)),
    )


def assessment(states: tuple[str, ...] | list[str], total_minor: int) -> cc.Assessment:
    """An assessment of ``total_minor`` cents over ``states`` on the 2019-2021 scale."""
    return cc.apportion(
        f"{total_minor // 100}.{total_minor % 100:02d}", list(states), scale="2019-2021"
    )


def record_history(path: Path, history: History, order: str = "oldest_first") -> Ledger:
    """A new ledger at ``path`` with the history's assessments recorded, payments not yet."""
    ledger = Ledger.open(path, payment_order=order)
    latest: dict[str, tuple[int, dt.date]] = {}
    for issue in history.issues:
        previous = latest.get(issue.meeting)
        replaces = previous if issue.supersede and previous else None
        day = max(issue.issued, replaces[1]) if replaces else issue.issued
        stored = ledger.record_assessment(
            assessment(issue.states, issue.total_minor),
            meeting=issue.meeting,
            kind="final" if replaces else "estimate",
            issued=day,
            supersedes=replaces[0] if replaces else None,
            duplicate_ok=True,  # a random history may bill the same twice, on purpose
        )
        latest[issue.meeting] = (stored.id, day)
    return ledger


def payable(ledger: Ledger, history: History) -> list[Payment]:
    """The history's payments, without a named assessment that does not assess the state."""
    assessed = {a.id: {line.iso3 for line in a.lines} for a in ledger.history()}
    return [
        p
        if p.applies_to is None or p.iso3 in assessed[p.applies_to]
        else Payment(p.reference, p.iso3, p.received, p.amount_minor, p.currency)
        for p in history.payments
    ]
