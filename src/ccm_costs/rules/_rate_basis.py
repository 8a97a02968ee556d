"""The rate of a paying state that has none in the UN scale: a modelling choice, made explicit.

States outside the UN (the Holy See, the State of Palestine, the Cook Islands, Niue) have no UN
rate. The General Assembly sets notional rates for the first two; the policy decides what the
others get, and every line's ``rate_source`` says which rate was used and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .._reference.scales import Scale, notional_rates_if_any
from ..errors import MissingRateError

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
    """No rate is assumed: ``extra_rates`` must give every state the scale lacks."""


@dataclass(frozen=True)
class NonMemberRates:
    """What the policy decided: the rates to pass to the engine, why, and a summary."""

    extra_rates: dict[str, Decimal]
    sources: dict[str, str]
    use_notional_rates: bool
    summary: str


def non_member_rates(
    policy: NonMemberRatePolicy,
    payers: Sequence[str],
    scale: Scale,
    given: Mapping[str, Decimal],
) -> NonMemberRates:
    """Rates for the ``payers`` (ISO3) that ``scale`` lacks, under ``policy``; ``given`` are the
    rates the user supplied, which always win."""
    lacking = [c for c in payers if c not in scale]
    notional = {} if policy is NonMemberRatePolicy.EXPLICIT else notional_rates_if_any(scale.period)
    supplied = [c for c in lacking if c in given]
    from_notional = [c for c in lacking if c not in given and c in notional]
    rest = [c for c in lacking if c not in given and c not in notional]
    if rest and policy is not NonMemberRatePolicy.NOTIONAL_THEN_FLOOR:
        where = "or the GA notional rates " if notional else ""
        raise MissingRateError(
            f"no rate for {', '.join(rest)} in the UN scale {scale.period} {where}and the "
            f"non-member rate policy {policy.value!r} assumes none: give them in extra_rates "
            f'(e.g. extra_rates = {{{rest[0]} = "0.001"}}) or use the policy '
            f"'{NonMemberRatePolicy.NOTIONAL_THEN_FLOOR.value}'",
            rest,
        )
    floor_note = (
        f"no UN or GA notional rate: the floor of the UN scale, {FLOOR_RATE} % "
        f"(non-member rate policy '{policy.value}')"
    )
    parts = [f"policy '{policy.value}'"]
    if from_notional:
        parts.append(f"GA notional rates for {', '.join(from_notional)}")
    if rest:
        parts.append(f"the UN scale floor {FLOOR_RATE} % for {', '.join(rest)}")
    if supplied:
        parts.append(f"rates given in extra_rates for {', '.join(supplied)}")
    if not lacking:
        parts.append(f"every paying state has a rate in the UN scale {scale.period}")
    return NonMemberRates(
        extra_rates={**{c: given[c] for c in supplied}, **{c: FLOOR_RATE for c in rest}},
        sources={
            **{c: "given in the meeting's extra_rates" for c in supplied},
            **{c: floor_note for c in rest},
        },
        use_notional_rates=bool(from_notional),
        summary="; ".join(parts),
    )
