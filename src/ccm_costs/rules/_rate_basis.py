"""The rate of a paying state that has none in the UN scale: a modelling choice, made explicit.

States outside the UN (the Holy See, the State of Palestine, the Cook Islands, Niue) have no UN
rate. The General Assembly sets notional rates for the first two; the policy decides what the
others get, and every line's ``rate_source`` says which rate was used and why.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

FLOOR_RATE = Decimal("0.001")
"""The floor of the UN scale, in percent: the rate the default policy gives a state with none."""


class NonMemberRatePolicy(StrEnum):
    """The rate of a paying state that has none in the UN scale (a modelling choice)."""

    NOTIONAL_THEN_FLOOR = "notional_then_floor"
    """The GA notional rate where the GA set one (Holy See, State of Palestine), else the
    floor of the UN scale, 0.001 % (Cook Islands, Niue; the WHO rates both at 0.001 too)."""
    NOTIONAL_ONLY = "notional_only"
    """GA notional rates only: a state with neither a UN nor a notional rate is an error."""
    EXPLICIT = "explicit"
    """No rate is assumed: the rule set must give every state the scale lacks a rate."""
