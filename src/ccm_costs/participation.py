"""Who may be charged under Article 14, and at what rate when the UN scale has none.

Only states are charged: organisations that attend (the EU, the ICRC, UN bodies, NGOs) never
are. States Parties outside the UN (the Holy See, the State of Palestine, the Cook Islands,
Niue) have no UN rate; which rate they get is a modelling choice, made explicit here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import InvalidInputError, MissingRateError
from .scale import Scale, notional_rates_if_any
from .states import normalize_name

FLOOR_RATE = Decimal("0.001")
"""The floor of the UN scale, in percent: the rate the default policy gives a state with none."""

NOT_STATES = frozenset(
    normalize_name(name)
    for name in (
        "European Union", "EU", "European Commission",
        "International Committee of the Red Cross", "ICRC",
        "International Federation of Red Cross and Red Crescent Societies", "IFRC",
        "United Nations", "UN", "UNDP", "UNICEF", "UNODA", "UNMAS", "UNIDIR", "UNHCR", "OHCHR",
        "WHO", "Cluster Munition Coalition", "CMC", "ICBL", "ICBL-CMC",
        "International Campaign to Ban Landmines",
        "Geneva International Centre for Humanitarian Demining", "GICHD",
        "Implementation Support Unit", "ISU", "Human Rights Watch", "HRW",
        "Humanity & Inclusion", "Handicap International", "Norwegian People's Aid", "NPA",
        "Mines Advisory Group", "MAG", "HALO Trust", "African Union", "OSCE", "NATO",
        "Organization of American States", "OAS", "League of Arab States",
        "Sovereign Military Order of Malta", "Order of Malta",
        "NGO", "non-governmental organisation", "non-governmental organization",
        "international organisation", "international organization",
    )
)  # fmt: skip
"""Organisations that attend CCM meetings but are never charged (normalised names); names
starting with "United Nations" or "UN", and names with the word "NGO", are caught too."""


def check_is_state_name(name: object) -> str:
    """``name`` unchanged, or an error if it names an international organisation or an NGO."""
    if not isinstance(name, str):
        raise InvalidInputError(f"{name!r} is not a state name or ISO3 code")
    key = normalize_name(name)
    if key in NOT_STATES or key.startswith(("united nations ", "un ")) or "ngo" in key.split():
        raise InvalidInputError(
            f"{name!r} is an international organisation / NGO; only states are charged under "
            "Article 14"
        )
    return name


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
