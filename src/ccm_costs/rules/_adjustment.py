"""Bounds re-applied after the pro-rata step, as users give them (names, percentages)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from .._core.numbers import AmountLike, percent_to_share
from .._reference.states import resolve_states
from ..errors import InvalidInputError


@dataclass(frozen=True)
class GroupCeiling:
    """A ceiling on the share of each state of a named group, e.g. least developed countries.

    ``states`` may list states that do not take part; only those that do are bounded.
    """

    name: str
    states: frozenset[str]
    ceiling: Fraction

    @classmethod
    def of(cls, name: str, states: Iterable[str], ceiling_percent: AmountLike) -> GroupCeiling:
        """Build from state names or codes and a ceiling in percent (``"0.010"``)."""
        if isinstance(states, str):
            raise InvalidInputError(
                f"the states of group {name!r} must be a list of names or codes, not one string"
            )
        return cls(
            name,
            frozenset(resolve_states(states)),
            percent_to_share(ceiling_percent, f"the ceiling of group {name!r}"),
        )
