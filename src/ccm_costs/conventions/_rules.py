"""The closed vocabularies of a convention file: entry into force, withdrawal, succession, cost
types and the organisations never charged, each interpreted here and nowhere else."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from .._core.dates import add_months, first_of_month
from .._reference.states import normalize_name
from ..errors import InvalidInputError


class EntryIntoForceKind(StrEnum):
    """How a convention counts the day it enters into force for a state, from its deposit."""

    FIRST_DAY_OF_MONTH_AFTER_DEPOSIT_MONTH = "first_day_of_month_after_deposit_month"
    """The first day of the N-th month after the month of deposit (CCM, APMBC: N = 6)."""
    MONTHS_AFTER_DEPOSIT = "months_after_deposit"
    """N months after the day of deposit (CCW and its Protocols: 6)."""
    DAYS_AFTER_DEPOSIT = "days_after_deposit"
    """N days after the day of deposit (TPNW: 90)."""
    ON_DEPOSIT = "on_deposit"
    """On the day of deposit (BWC, for instruments after its general entry into force)."""


@dataclass(frozen=True)
class EntryIntoForceRule:
    """The entry-into-force rule of a convention, with its general date for early instruments."""

    kind: EntryIntoForceKind
    count: int
    article: str
    text: str
    general_date: dt.date | None = None
    """The general entry into force (for the instruments deposited by ``general_until``)."""
    general_until: dt.date | None = None
    """The day of the instrument that brought the convention into force."""
    month_end: str = "clip"
    """For ``months_after_deposit``: a day the month lacks (31 Aug + 6 months) is its last day
    (``"clip"``) or the first day of the next month (``"next"``)."""

    def date_for(self, deposit: dt.date) -> dt.date:
        """The day the convention enters into force for a state that deposits on ``deposit``."""
        if self.general_date is not None and self.general_until is not None \
                and deposit <= self.general_until:  # fmt: skip
            return self.general_date
        if self.kind is EntryIntoForceKind.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT_MONTH:
            day = first_of_month(deposit, self.count)
        elif self.kind is EntryIntoForceKind.MONTHS_AFTER_DEPOSIT:
            day = add_months(deposit, self.count, month_end=self.month_end)
        elif self.kind is EntryIntoForceKind.DAYS_AFTER_DEPOSIT:
            day = deposit + dt.timedelta(days=self.count)
        else:
            day = deposit
        if self.general_date is not None and day < self.general_date:
            return self.general_date  # deposited before the convention itself is in force
        return day

    def earliest_deposit_for(self, entry: dt.date) -> dt.date | None:
        """The first day on which a deposit can have been made for this entry-into-force date,
        when the record gives the date of entry into force but not the deposit: the first day
        of the month of deposit under a "first day of the N-th month" rule, else None."""
        if self.kind is not EntryIntoForceKind.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT_MONTH:
            return None
        return first_of_month(entry, -self.count)

    def describe(self) -> str:
        """The rule in words."""
        unit = {
            EntryIntoForceKind.FIRST_DAY_OF_MONTH_AFTER_DEPOSIT_MONTH: (
                f"the first day of month {self.count} after the month of deposit"
            ),
            EntryIntoForceKind.MONTHS_AFTER_DEPOSIT: f"{self.count} months after deposit",
            EntryIntoForceKind.DAYS_AFTER_DEPOSIT: f"{self.count} days after deposit",
            EntryIntoForceKind.ON_DEPOSIT: "on deposit",
        }[self.kind]
        general = (
            f"; {self.general_date} for the instruments deposited by {self.general_until}"
            if self.general_date is not None
            else ""
        )
        return f"{self.article}: {unit}{general}"


@dataclass(frozen=True)
class WithdrawalRule:
    """When a withdrawal (denunciation) takes effect: N months after notice, possibly deferred
    while the withdrawing state is engaged in an armed conflict."""

    count: int
    article: str
    text: str
    armed_conflict_deferral: bool

    def effective(self, notice: dt.date) -> dt.date:
        """The day a withdrawal notified on ``notice`` takes effect (if not deferred)."""
        return add_months(notice, self.count)


class SuccessionPolicy(StrEnum):
    """When a successor state, whose record gives no date of effect, counts as a party."""

    BOUND_FROM_NOTIFICATION = "bound_from_notification"
    """From the date of its notification of succession (listed in every answer's provenance)."""
    NOT_BOUND_UNTIL_DATED = "not_bound_until_dated"
    """Not a party until the data give its date of effect (listed, never dropped silently)."""


class Payers(StrEnum):
    """Who bears a cost type: the union of the groups a convention file names."""

    PARTIES = "parties"
    """Every party bound on the membership date."""
    PARTICIPATING_PARTIES = "participating_parties"
    """Only the parties listed as participating in the meeting."""
    PARTICIPATING_NON_PARTIES = "participating_non_parties"
    """States not party that take part (as observers)."""


@dataclass(frozen=True)
class CostType:
    """A cost a convention shares, who bears it, and the text that says so."""

    id: str
    title: str
    article: str
    basis: str
    """``"treaty"`` (an article of the treaty) or ``"practice"`` (decisions and practice)."""
    payers: frozenset[Payers]
    borne_by: str
    text: str
    non_party_role: str = "observer"

    @property
    def charges_non_parties(self) -> bool:
        """Whether the states not party that take part pay."""
        return Payers.PARTICIPATING_NON_PARTIES in self.payers

    @property
    def basis_text(self) -> str:
        """``"treaty text"`` or ``"practice, not treaty text"``, for provenance."""
        return "treaty text" if self.basis == "treaty" else "practice, not treaty text"


@dataclass(frozen=True)
class NotCharged:
    """The organisations a convention never charges (only states pay)."""

    why: str
    names: frozenset[str]
    """Normalised names (see :func:`ccm_costs._reference.states.normalize_name`)."""
    prefixes: tuple[str, ...]
    """Names beginning with one of these words (``"united nations"``, ``"un"``) are refused."""
    words: frozenset[str]

    def refuses(self, name: str) -> bool:
        """Whether ``name`` names an organisation this convention never charges."""
        key = normalize_name(name)
        return (
            key in self.names
            or any(key.startswith(normalize_name(p) + " ") for p in self.prefixes)
            or bool(self.words & set(key.split()))
        )

    def check(self, name: object) -> str:
        """``name`` unchanged, or an error if it is not a string or names an organisation."""
        if not isinstance(name, str):
            raise InvalidInputError(f"{name!r} is not a state name or ISO3 code")
        if self.refuses(name):
            raise InvalidInputError(f"{name!r} is an international organisation / NGO; {self.why}")
        return name
