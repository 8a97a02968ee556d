"""The Convention on Cluster Munitions as the default: ``cc.parties_on(date)`` and the other
shortcuts answer for it; every other convention through its :class:`Convention`."""

from __future__ import annotations

import datetime as dt

from .._core.dates import DateLike
from ._convention import get_convention
from ._membership import MembershipRecord, MembershipStatus


def parties_on(when: DateLike) -> frozenset[str]:
    """ISO3 codes of the CCM States Parties bound on ``when`` (entry into force <= when <
    withdrawal); for another convention use ``get_convention(id).parties_on(when)``."""
    return get_convention().parties_on(when)


def deposited_not_bound_on(when: DateLike) -> frozenset[str]:
    """CCM: states that have deposited an instrument not yet in force for them on ``when``."""
    return get_convention().deposited_not_bound_on(when)


def deposited_on(when: DateLike) -> frozenset[str]:
    """CCM: states with an instrument deposited on ``when``, bound or not, withdrawals excluded."""
    return get_convention().deposited_on(when)


def signatories_on(when: DateLike) -> frozenset[str]:
    """CCM: signatories that have not deposited an instrument by ``when``."""
    return get_convention().signatories_on(when)


def status_on(state: str, when: DateLike) -> MembershipStatus:
    """CCM: a state's standing on ``when`` (party, deposited-not-in-force, signatory,
    withdrawn, none)."""
    return get_convention().status_on(state, when)


def membership() -> tuple[MembershipRecord, ...]:
    """CCM: every state that deposited an instrument or signed, from the shipped files."""
    return get_convention().membership()


def entry_into_force(deposit: DateLike) -> dt.date:
    """CCM Article 17: the day the Convention enters into force for a state depositing on
    ``deposit`` (1 August 2010 for the first 30 instruments, else the first day of the sixth
    month after the month of deposit)."""
    return get_convention().entry_into_force(deposit)
