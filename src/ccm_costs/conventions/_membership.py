"""Membership on a date: who signed, deposited, is bound or withdrew, for any convention.

The facts are the rows of a convention's ``parties.csv`` (every state that deposited an
instrument, with its dates) and ``signatories.csv``; the convention's rules
(:mod:`ccm_costs.conventions._rules`) fill what a row leaves open: the month of deposit
implied by an entry-into-force date, the effect of a withdrawal notice, a successor's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from .._core.dates import DateLike, parse_date
from .._reference.states import resolve_state
from ..errors import CcmCostsError, DataFileError, Problem
from ._rules import EntryIntoForceRule, SuccessionPolicy, WithdrawalRule


class MembershipStatus(StrEnum):
    """A state's standing under a convention on a given date."""

    PARTY = "party"
    """Bound: entry into force on or before the date, withdrawal (if any) not yet effective."""
    DEPOSITED = "deposited-not-in-force"
    """Instrument deposited, but the convention has not yet entered into force for it."""
    SIGNATORY = "signatory"
    """Signed (known to have signed by the date) and not yet deposited an instrument."""
    WITHDRAWN = "withdrawn"
    """Was a party; its withdrawal took effect on or before the date."""
    NONE = "none"
    """None of the above on that date."""


@dataclass(frozen=True)
class MembershipRecord:
    """One state's dates under a convention, as recorded in its data files with their sources."""

    iso3: str
    state: str
    instrument: str | None
    """``ratification``, ``acceptance``, ``approval``, ``accession``, ``succession`` ...; None
    for a signatory that has not deposited."""
    signature_date: dt.date | None
    deposit_date: dt.date | None
    entry_into_force_date: dt.date | None
    withdrawal_notification_date: dt.date | None
    withdrawal_effective_date: dt.date | None
    source: str
    deposited_from: dt.date | None = None
    """The deposit date; when the record lacks it, the first day of the month of deposit the
    entry-into-force rule implies (e.g. Liechtenstein and Palestine in the CCM)."""
    signed_by: dt.date | None = None
    """The signature date; when it is not recorded, the latest day it can have been (the day
    of deposit, or the last day the convention was open for signature)."""
    bound_from: dt.date | None = None
    """The day from which the state counts as a party: the entry into force, or for a
    successor state without one, the day its succession policy gives (None: never)."""
    withdrawn_from: dt.date | None = None
    """The day a withdrawal took effect (read, or computed from the notice), else None."""
    withdrawal_deferred: str | None = None
    """Why a notified withdrawal has not taken effect (e.g. ``"armed conflict"``)."""
    notes: str = ""

    @property
    def signed(self) -> bool:
        """Whether the state signed (every instrument but accession and succession follows a
        signature)."""
        return self.signature_date is not None or self.instrument not in {"accession", "succession"}

    @property
    def by_succession(self) -> bool:
        """Whether the state became a party by succession."""
        return self.instrument == "succession"

    def status_on(self, when: DateLike) -> MembershipStatus:
        """The state's standing on ``when``."""
        when = parse_date(when)
        if self.withdrawn_from is not None and self.withdrawn_from <= when:
            return MembershipStatus.WITHDRAWN
        if self.bound_from is not None and self.bound_from <= when:
            return MembershipStatus.PARTY
        if self.deposited_from is not None and self.deposited_from <= when:
            return MembershipStatus.DEPOSITED
        if self.signed_by is not None and self.signed_by <= when:
            return MembershipStatus.SIGNATORY
        return MembershipStatus.NONE


@dataclass(frozen=True)
class MembershipRules:
    """What a convention's rules say about its rows (read from its ``convention.toml``)."""

    instruments: tuple[str, ...]
    entry_into_force: EntryIntoForceRule
    withdrawal: WithdrawalRule
    succession: SuccessionPolicy
    signature_open_until: dt.date | None


_DATE_COLUMNS = (
    "signature_date",
    "deposit_date",
    "entry_into_force_date",
    "withdrawal_notification_date",
    "withdrawal_effective_date",
)
_COLUMNS = frozenset(
    {"iso3", "state", "instrument", "source", "notes", "withdrawal_deferred", *_DATE_COLUMNS}
)


def _optional_date(row: Mapping[str, str], column: str) -> dt.date | None:
    text = (row.get(column) or "").strip()
    return parse_date(text, column) if text else None


def _record(row: Mapping[str, str], rules: MembershipRules, *, deposited: bool) -> MembershipRecord:
    """One row as a record; raises the first problem of the row (the caller collects them)."""
    iso3 = (row.get("iso3") or "").strip()
    named = resolve_state(row.get("state") or "")
    if named != iso3:
        raise DataFileError("", [f"the name means {named}, but the iso3 column says {iso3!r}"])
    instrument = (row.get("instrument") or "").strip() or None
    if deposited and instrument not in rules.instruments:
        raise DataFileError(
            "", [f"instrument {instrument!r} is not one of {', '.join(rules.instruments)}"]
        )
    dates = {column: _optional_date(row, column) for column in _DATE_COLUMNS}
    deposit, entry = dates["deposit_date"], dates["entry_into_force_date"]
    if not deposited and deposit is not None:
        raise DataFileError("", ["a signatory that has not ratified has no deposit_date"])
    succession = instrument == "succession"
    if deposited and entry is None and not succession:
        raise DataFileError("", ["no entry_into_force_date"])
    deposited_from = deposit
    if deposited_from is None and entry is not None:
        deposited_from = rules.entry_into_force.earliest_deposit_for(entry)
    bound_from = entry
    if (
        bound_from is None
        and succession
        and rules.succession is SuccessionPolicy.BOUND_FROM_NOTIFICATION
    ):
        bound_from = deposit
    deferred = (row.get("withdrawal_deferred") or "").strip() or None
    withdrawn_from = dates["withdrawal_effective_date"]
    notice = dates["withdrawal_notification_date"]
    if withdrawn_from is None and notice is not None and deferred is None:
        withdrawn_from = rules.withdrawal.effective(notice)
    signature = dates["signature_date"]
    signed_by = signature
    if signed_by is None and instrument not in {"accession", "succession"}:
        last_open = (
            None
            if rules.signature_open_until is None
            else rules.signature_open_until - dt.timedelta(days=1)
        )
        candidates = [d for d in (last_open, deposited_from) if d is not None]
        signed_by = min(candidates) if candidates else None
    return MembershipRecord(
        iso3=iso3,
        state=row["state"],
        instrument=instrument if deposited else None,
        signature_date=signature,
        deposit_date=deposit,
        entry_into_force_date=entry,
        withdrawal_notification_date=notice,
        withdrawal_effective_date=dates["withdrawal_effective_date"],
        source=row.get("source") or "",
        deposited_from=deposited_from,
        signed_by=signed_by,
        bound_from=bound_from,
        withdrawn_from=withdrawn_from,
        withdrawal_deferred=deferred,
        notes=(row.get("notes") or "").strip(),
    )


def records_from_rows(
    rows: Sequence[Mapping[str, str]],
    source: str,
    *,
    deposited: bool,
    rules: MembershipRules,
) -> tuple[MembershipRecord, ...]:
    """Membership records from the rows of a ``parties.csv`` (``deposited=True``) or a
    ``signatories.csv`` under a convention's ``rules``; every problem of every row in one
    :class:`DataFileError`."""
    records: list[MembershipRecord] = []
    problems: list[Problem] = []
    for line, row in enumerate(rows, start=2):
        where = f"{source} line {line} ({row.get('state') or 'no name'})"
        unknown = sorted(set(row) - _COLUMNS - {""})
        if unknown:
            problems.append(Problem(f"unknown columns {unknown}", where=where, code="column"))
        try:
            records.append(_record(row, rules, deposited=deposited))
        except DataFileError as err:
            problems += [Problem(p.message, where=where, code="row") for p in err.problems]
        except CcmCostsError as err:
            problems.append(Problem(str(err), where=where, code="row"))
    if problems:
        raise DataFileError("membership data", problems)
    return tuple(records)
