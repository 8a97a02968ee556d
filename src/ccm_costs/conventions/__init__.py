"""Conventions as data: who is a party on a date, who bears which cost, their meetings.

Each convention is a folder of ``data/conventions/`` (see :func:`available_conventions`);
:func:`get_convention` reads one. The module-level functions (:func:`parties_on` ...) answer
for the Convention on Cluster Munitions, the default; every other convention answers the same
questions through its :class:`Convention`. :func:`assess` turns a :class:`Meeting` into an
:class:`~ccm_costs.Assessment`. Names load on first use.
"""

import typing as _typing

from .._public import lazy_loader as _lazy_loader

if _typing.TYPE_CHECKING:
    from ._assess import assess
    from ._convention import (
        DEFAULT_CONVENTION,
        Convention,
        available_conventions,
        get_convention,
    )
    from ._meetings import Meeting, MeetingPart, get_meeting, load_meeting, load_meetings
    from ._membership import MembershipRecord, MembershipStatus
    from ._rules import (
        CostType,
        EntryIntoForceKind,
        EntryIntoForceRule,
        NotCharged,
        Payers,
        SuccessionPolicy,
        WithdrawalRule,
    )
    from ._shortcuts import (
        deposited_not_bound_on,
        deposited_on,
        entry_into_force,
        membership,
        parties_on,
        signatories_on,
        status_on,
    )

_NAMES = {
    "assess": "._assess",
    **dict.fromkeys(
        ["DEFAULT_CONVENTION", "Convention", "available_conventions", "get_convention"],
        "._convention",
    ),
    **dict.fromkeys(
        ["Meeting", "MeetingPart", "get_meeting", "load_meeting", "load_meetings"], "._meetings"
    ),
    **dict.fromkeys(["MembershipRecord", "MembershipStatus"], "._membership"),
    **dict.fromkeys(
        [
            "CostType",
            "EntryIntoForceKind",
            "EntryIntoForceRule",
            "NotCharged",
            "Payers",
            "SuccessionPolicy",
            "WithdrawalRule",
        ],
        "._rules",
    ),
    **dict.fromkeys(
        [
            "deposited_not_bound_on",
            "deposited_on",
            "entry_into_force",
            "membership",
            "parties_on",
            "signatories_on",
            "status_on",
        ],
        "._shortcuts",
    ),
}

__all__ = [
    "DEFAULT_CONVENTION",
    "Convention",
    "CostType",
    "EntryIntoForceKind",
    "EntryIntoForceRule",
    "Meeting",
    "MeetingPart",
    "MembershipRecord",
    "MembershipStatus",
    "NotCharged",
    "Payers",
    "SuccessionPolicy",
    "WithdrawalRule",
    "assess",
    "available_conventions",
    "deposited_not_bound_on",
    "deposited_on",
    "entry_into_force",
    "get_convention",
    "get_meeting",
    "load_meeting",
    "load_meetings",
    "membership",
    "parties_on",
    "signatories_on",
    "status_on",
]

_load = _lazy_loader(globals(), _NAMES)


def __getattr__(name: str) -> object:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
