"""How rates become shares and shares become money: adjustment rules and the rate basis.

:class:`AdjustmentRules` and :class:`GroupCeiling` state the bounds re-applied after the
pro-rata step; :class:`NonMemberRatePolicy` decides the rate of a paying state that has none
in the UN scale. Names load on first use.
"""

import typing as _typing

from .._public import lazy_loader as _lazy_loader

if _typing.TYPE_CHECKING:
    from .._core.bounds import AdjustmentRules
    from ._adjustment import GroupCeiling
    from ._rate_basis import NonMemberRatePolicy

_NAMES = {
    "AdjustmentRules": ".._core.bounds",
    "GroupCeiling": "._adjustment",
    "NonMemberRatePolicy": "._rate_basis",
}

__all__ = [
    "AdjustmentRules",
    "GroupCeiling",
    "NonMemberRatePolicy",
]

_load = _lazy_loader(globals(), _NAMES)


def __getattr__(name: str) -> object:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
