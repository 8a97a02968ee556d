"""``assess``: a meeting's cost shared by the states its convention says bear it.

The convention's cost type names the payers (its parties bound on the membership day, or only
those participating, and for some costs the states not party taking part); the rest is the
engine's: rates, adjustment, amounts exact to the minor unit.
"""

from __future__ import annotations

from decimal import Decimal

from .._apportion import apportion, basis_rates, rates_summary
from .._assessment import Assessment
from .._core.money import from_minor_units, to_minor_units
from .._core.numbers import AmountLike
from .._core.text import shown
from .._reference.scales import PeriodLike, Scale, load_scale
from ..errors import InvalidInputError, MeetingError
from ..rules._files import resolve
from ..rules._ruleset import RuleSet
from ._convention import Convention, get_convention
from ._meetings import Meeting
from ._rules import CostType, Payers


def _total_of(meeting: Meeting, total: AmountLike | None, rules: RuleSet) -> Decimal:
    if total is not None:
        minor = to_minor_units(
            total,
            meeting.currency,
            unit=rules.amounts.unit,
            what="the total",
            allow_negative=False,
        )
        return from_minor_units(minor, meeting.currency)
    if meeting.total is None:
        raise InvalidInputError(
            f"meeting {meeting.name!r} has no total (no cost is recorded for it): give one, e.g. "
            "assess(meeting, total='500000.00'), or set 'total' in the meeting"
        )
    return meeting.total


def _context(
    meeting: Meeting,
    convention: Convention,
    *,
    cost: CostType,
    scale: Scale,
    parties: list[str],
    observers: list[str],
    rates_summary: str,
    scale_given: bool,
) -> dict[str, str]:
    """What is assessed and by which rules, first in the assessment's provenance."""
    parts = meeting.dates
    day = meeting.membership_day
    rule = (
        "membership_date set in the meeting"
        if meeting.membership_date
        else "the first day of the first part"
    )
    plural = convention.party_plural
    if Payers.PARTIES in cost.payers:
        participants = f"the {len(parties)} {plural} bound on {day} ({rule})"
    else:
        participants = (
            f"the {len(parties)} {plural} participating, of those bound on {day} ({rule})"
        )
    listed = ", ".join(meeting.observers)
    if cost.charges_non_parties:
        participants += (
            f" and {len(observers)} States not party participating as {cost.non_party_role}s "
            f"({listed})"
            if observers
            else " and no States not party participating"
        )
    else:
        participants += " only"
        if listed:
            participants += f"; the States not party listed ({listed}) are not charged"
    successors = [r.iso3 for r in convention.successors_without_date(day) if r.iso3 in parties]
    if successors:
        participants += (
            f"; parties by succession whose record gives no date of effect, counted from their "
            f"notification (succession policy '{convention.succession_policy.value}'): "
            + ", ".join(successors)
        )
    if scale_given:
        scale_rule = f"scale given to assess(): {scale.period}"
    elif meeting.scale_period is not None:
        scale_rule = f"scale_period set in the meeting ({meeting.scale_period}): {scale.period}"
    else:
        scale_rule = f"{parts[0].start}, the first day of the first part: UN scale {scale.period}"
    return {
        "meeting": meeting.name + (f": {meeting.title}" if meeting.title else ""),
        "dates": "; ".join(
            f"part {n}: {p.describe()}" if len(parts) > 1 else p.describe()
            for n, p in enumerate(parts, start=1)
        ),
        "cost type": cost.id,
        "article": f"{cost.article}: {cost.borne_by}",
        "participants": participants,
        "scale period": scale_rule,
        "non-member rates": rates_summary,
        "convention": f"{convention.name} ({convention.short_name})",
        "cost basis": f"{cost.basis_text}: {cost.text}",
    }


def assess(
    meeting: Meeting,
    *,
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
    rules: RuleSet | str | None = None,
) -> Assessment:
    """Who pays how much of a meeting's cost, as an :class:`~ccm_costs.Assessment`.

    The meeting's convention and cost type say who bears it: for a CCM meeting (Article
    14(1)) the States Parties bound on the membership day pay as "State Party" and the
    observers as "observer"; for the Secretary-General's costs (14(2)) the observers do not.
    ``total`` (0 or more) replaces the meeting's own; ``scale`` replaces the period its date
    gives; ``rules`` (a rule set, preset id or file) replaces the meeting's rules (by default
    its convention's). The provenance starts with the meeting, the article and the rules.
    """
    if not isinstance(meeting, Meeting):
        raise InvalidInputError(
            f"assess() takes a Meeting, not {shown(meeting)}: e.g. cc.get_meeting('12MSP') or "
            "cc.Meeting(name=..., dates=[...])"
        )
    convention = get_convention(meeting.convention)
    cost = convention.cost_type(meeting.cost_type)
    rule_set = meeting.rule_set if rules is None else resolve(rules)
    amount = _total_of(meeting, total, rule_set)
    scale_obj = (
        scale
        if isinstance(scale, Scale)
        else load_scale(meeting.scale_basis if scale is None else scale)
    )
    try:
        roles = convention.payers(
            cost.id,
            meeting.membership_day,
            observers=meeting.observers,
            participants=meeting.participants,
        )
    except InvalidInputError as err:
        raise MeetingError([("participants", str(err))], meeting=meeting.name) from None
    parties = [c for c, role in roles.items() if role == convention.party_role]
    observers = [c for c in roles if c not in parties]
    payers = parties + observers
    if not payers:
        raise InvalidInputError(
            f"no state bears the cost of {meeting.name!r}: the {convention.short_name} had no "
            f"{convention.party_plural} on {meeting.membership_day} and no observers are listed"
        )
    summary = rates_summary(basis_rates(payers, scale_obj, rule_set), rule_set, scale_obj)
    return apportion(
        amount,
        payers,
        scale=scale_obj,
        rules=rule_set,
        currency=meeting.currency,
        roles=roles,
        convention=convention.id,
        context=_context(
            meeting,
            convention,
            cost=cost,
            scale=scale_obj,
            parties=parties,
            observers=observers,
            rates_summary=summary,
            scale_given=scale is not None,
        ),
    )
