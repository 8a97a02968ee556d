"""How rates become shares and shares become money: the :class:`RuleSet`.

A rule set holds the rate basis (:class:`RateBasis`: UN rates, GA notional rates, given rates
and fixed shares, and :class:`NonMemberRatePolicy` for a payer the scale lacks), ordered steps
after the pro-rata column (:class:`Exclude`, :class:`Bounds`), publishing and amounts.
:func:`load` reads a preset (:func:`available`) or a TOML file; :func:`to_toml` writes one.
Every entry point takes ``rules=``. Names load on first use.
"""

import typing as _typing

from .._public import lazy_loader as _lazy_loader

if _typing.TYPE_CHECKING:
    from .._reference.groups import DatedGroup
    from ._files import DEFAULT_RULES, available, from_toml, load, load_group, to_toml
    from ._rate_basis import NonMemberRatePolicy
    from ._ruleset import (
        Amounts,
        Bounds,
        Exclude,
        FixedShare,
        GivenRate,
        NonMemberTreatment,
        Publishing,
        RateBasis,
        RuleSet,
        UncertainMembers,
    )

_NAMES = {
    "DatedGroup": ".._reference.groups",
    **dict.fromkeys(
        ["DEFAULT_RULES", "available", "from_toml", "load", "load_group", "to_toml"], "._files"
    ),
    "NonMemberRatePolicy": "._rate_basis",
    **dict.fromkeys(
        [
            "Amounts",
            "Bounds",
            "Exclude",
            "FixedShare",
            "GivenRate",
            "NonMemberTreatment",
            "Publishing",
            "RateBasis",
            "RuleSet",
            "UncertainMembers",
        ],
        "._ruleset",
    ),
}

__all__ = [
    "DEFAULT_RULES",
    "Amounts",
    "Bounds",
    "DatedGroup",
    "Exclude",
    "FixedShare",
    "GivenRate",
    "NonMemberRatePolicy",
    "NonMemberTreatment",
    "Publishing",
    "RateBasis",
    "RuleSet",
    "UncertainMembers",
    "available",
    "from_toml",
    "load",
    "load_group",
    "to_toml",
]

_load = _lazy_loader(globals(), _NAMES)


def __getattr__(name: str) -> object:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
