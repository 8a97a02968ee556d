"""CCM membership on a date: who signed, deposited, is bound or withdrew (Articles 16, 17, 20).

The facts are in ``data/ccm/states_parties.csv`` (every state that deposited an instrument, with
its dates) and ``data/ccm/signatories_not_ratified.csv``; Article 14 charges the States Parties
bound on a date, so this module answers "who was bound when".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from ._data_files import read_rows
from .errors import InvalidInputError, UnknownStateError
from .states import resolve_state

GENERAL_ENTRY_INTO_FORCE = dt.date(2010, 8, 1)
"""Article 17(1): the Convention entered into force for the first 30 instruments on this day."""
THIRTIETH_DEPOSIT = dt.date(2010, 2, 16)
"""The day the 30th instrument was deposited (Burkina Faso and Moldova, both that day)."""
SIGNATURE_CLOSED = GENERAL_ENTRY_INTO_FORCE
"""Article 16(1): open for signature from 3 Dec 2008 until the Convention's entry into force."""
INSTRUMENTS = ("ratification", "acceptance", "approval", "accession")
DateLike = dt.date | str
"""A ``datetime.date`` or an ISO ``YYYY-MM-DD`` string."""


class MembershipStatus(StrEnum):
    """A state's standing under the Convention on a given date."""

    PARTY = "party"
    """Bound: entry into force on or before the date, withdrawal (if any) not yet effective."""
    DEPOSITED = "deposited-not-in-force"
    """Instrument deposited, but the six months of Article 17(2) have not yet run."""
    SIGNATORY = "signatory"
    """Signed (known to have signed by the date) and not yet deposited an instrument."""
    WITHDRAWN = "withdrawn"
    """Was a State Party; its withdrawal (Article 20) took effect on or before the date."""
    NONE = "none"
    """None of the above on that date."""


def entry_into_force(deposit: dt.date) -> dt.date:
    """Article 17: the day the Convention enters into force for a state depositing on ``deposit``.

    1 August 2010 for the first 30 instruments (deposited up to and including 16 Feb 2010);
    otherwise the first day of the sixth month after the month of deposit.
    """
    deposit = as_date(deposit, "deposit")
    if deposit <= THIRTIETH_DEPOSIT:
        return GENERAL_ENTRY_INTO_FORCE
    months = deposit.year * 12 + deposit.month - 1 + 6
    return dt.date(months // 12, months % 12 + 1, 1)


def _deposit_month(entry: dt.date) -> dt.date:
    """The first day of the month of deposit that Article 17(2) implies for an entry into force."""
    months = entry.year * 12 + entry.month - 1 - 6
    return dt.date(months // 12, months % 12 + 1, 1)


@dataclass(frozen=True)
class MembershipRecord:
    """One state's dates under the Convention, as recorded in ``data/ccm/`` with its sources."""

    iso3: str
    state: str
    instrument: str | None
    """``ratification``, ``acceptance``, ``approval`` or ``accession``; None if not deposited."""
    signature_date: dt.date | None
    deposit_date: dt.date | None
    entry_into_force_date: dt.date | None
    withdrawal_notification_date: dt.date | None
    withdrawal_effective_date: dt.date | None
    source: str

    @property
    def signed(self) -> bool:
        """Whether the state signed (every instrument but accession follows a signature)."""
        return self.signature_date is not None or self.instrument != "accession"

    @property
    def deposited_from(self) -> dt.date | None:
        """The deposit date; when it is not recorded, the first day of the month of deposit that
        Article 17(2) implies from the entry-into-force date (Liechtenstein, Palestine)."""
        if self.deposit_date is not None or self.entry_into_force_date is None:
            return self.deposit_date
        return _deposit_month(self.entry_into_force_date)

    @property
    def signed_no_later_than(self) -> dt.date | None:
        """The signature date; when it is not recorded, the latest day it can have been (the
        day of deposit, or the last day signature was open under Article 16(1))."""
        if self.signature_date is not None or not self.signed:
            return self.signature_date
        last_open = SIGNATURE_CLOSED - dt.timedelta(days=1)
        deposited = self.deposited_from
        return last_open if deposited is None else min(last_open, deposited)

    def status_on(self, when: DateLike) -> MembershipStatus:
        """The state's standing on ``when``."""
        when = as_date(when)
        if self.withdrawal_effective_date is not None and self.withdrawal_effective_date <= when:
            return MembershipStatus.WITHDRAWN
        if self.entry_into_force_date is not None and self.entry_into_force_date <= when:
            return MembershipStatus.PARTY
        deposited = self.deposited_from
        if deposited is not None and deposited <= when:
            return MembershipStatus.DEPOSITED
        signed = self.signed_no_later_than
        if signed is not None and signed <= when:
            return MembershipStatus.SIGNATORY
        return MembershipStatus.NONE


def as_date(value: object, what: str = "date") -> dt.date:
    """A ``datetime.date`` (or an ISO ``YYYY-MM-DD`` string) checked to be a date, not a time."""
    named = f"{what} {value!r}" if what else repr(value)
    if isinstance(value, dt.datetime):
        raise InvalidInputError(f"{named} has a time of day: give a date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInputError(f"{named} is not a date: write it as YYYY-MM-DD")


def _optional_date(row: Mapping[str, str], column: str) -> dt.date | None:
    text = (row.get(column) or "").strip()
    return as_date(text, column) if text else None


def records_from_rows(
    rows: list[dict[str, str]], source: str, *, deposited: bool
) -> tuple[MembershipRecord, ...]:
    """Membership records from the rows of one of the CSV files, every problem in one error."""
    records: list[MembershipRecord] = []
    problems: list[str] = []
    for line, row in enumerate(rows, start=2):
        where = f"{source} line {line} ({row.get('state') or 'no name'})"
        try:
            iso3 = (row.get("iso3") or "").strip()
            named = resolve_state(row.get("state") or "")
            if named != iso3:
                raise InvalidInputError(
                    f"the name means {named}, but the iso3 column says {iso3!r}"
                )
            instrument = (row.get("instrument") or "").strip() or None
            if deposited and instrument not in INSTRUMENTS:
                raise InvalidInputError(
                    f"instrument {instrument!r} is not one of {', '.join(INSTRUMENTS)}"
                )
            record = MembershipRecord(
                iso3=iso3,
                state=row["state"],
                instrument=instrument if deposited else None,
                signature_date=_optional_date(row, "signature_date"),
                deposit_date=_optional_date(row, "deposit_date"),
                entry_into_force_date=_optional_date(row, "entry_into_force_date"),
                withdrawal_notification_date=_optional_date(row, "withdrawal_notification_date"),
                withdrawal_effective_date=_optional_date(row, "withdrawal_effective_date"),
                source=row.get("source") or "",
            )
        except (InvalidInputError, UnknownStateError) as err:
            problems.append(f"{where}: {err}")
            continue
        if deposited and record.entry_into_force_date is None:
            problems.append(f"{where}: no entry_into_force_date")
        if not deposited and record.deposit_date is not None:
            problems.append(f"{where}: a signatory that has not ratified has no deposit_date")
        records.append(record)
    if problems:
        raise InvalidInputError("membership data has problems:\n" + "\n".join(problems))
    return tuple(records)


@cache
def membership() -> tuple[MembershipRecord, ...]:
    """Every state that deposited an instrument or signed, from the shipped ``data/ccm/`` files."""
    parties = records_from_rows(
        read_rows("ccm/states_parties.csv"), "data/ccm/states_parties.csv", deposited=True
    )
    signatories = records_from_rows(
        read_rows("ccm/signatories_not_ratified.csv"),
        "data/ccm/signatories_not_ratified.csv",
        deposited=False,
    )
    records = parties + signatories
    codes = [r.iso3 for r in records]
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise InvalidInputError(f"membership data lists {', '.join(repeated)} more than once")
    return records


@cache
def _by_iso3() -> dict[str, MembershipRecord]:
    return {r.iso3: r for r in membership()}


def record_of(state: str) -> MembershipRecord | None:
    """The membership record of a state (name or ISO3), or None if it never signed or joined."""
    return _by_iso3().get(resolve_state(state))


def status_on(state: str, when: DateLike) -> MembershipStatus:
    """A state's standing on ``when``: party, deposited-not-in-force, signatory, withdrawn, none."""
    record = record_of(state)
    return MembershipStatus.NONE if record is None else record.status_on(when)


def _with_status(when: DateLike, *statuses: MembershipStatus) -> frozenset[str]:
    when = as_date(when)
    return frozenset(r.iso3 for r in membership() if r.status_on(when) in statuses)


def parties_on(when: DateLike) -> frozenset[str]:
    """ISO3 codes of the States Parties bound on ``when``: entry into force <= when < withdrawal."""
    return _with_status(when, MembershipStatus.PARTY)


def deposited_not_bound_on(when: DateLike) -> frozenset[str]:
    """States that have deposited an instrument but for which it is not yet in force on ``when``."""
    return _with_status(when, MembershipStatus.DEPOSITED)


def deposited_on(when: DateLike) -> frozenset[str]:
    """States with an instrument deposited on ``when``, bound or not, withdrawals excluded."""
    return _with_status(when, MembershipStatus.PARTY, MembershipStatus.DEPOSITED)


def signatories_on(when: DateLike) -> frozenset[str]:
    """Signatories that have not deposited an instrument by ``when``."""
    return _with_status(when, MembershipStatus.SIGNATORY)
