"""``apportion``: a total cost shared over a set of states on a UN scale, exact to the minor unit.

The data flow is: scale -> the rate of each state that bears the cost -> adjusted exact shares
-> published rates -> amounts by largest remainder -> :class:`Assessment`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType

from ._assessment import Assessment, AssessmentLine
from ._core.allocation import allocate
from ._core.bounds import AdjustmentRules, adjust
from ._core.money import RoundingUnit, currency_exponent, from_minor_units, to_minor_units
from ._core.numbers import AmountLike, percent_to_share
from ._core.publishing import AmountBasis, RateRounding, check_decimals, publish_rates
from ._core.version import library_version
from ._reference.scales import (
    PeriodLike,
    Scale,
    load_scale,
    notional_rate_source,
    notional_rates_if_any,
    parse_rate_units,
    units_to_percent,
)
from ._reference.states import resolve_distinct, resolve_state, state_name, state_order
from .errors import InvalidInputError, MissingRateError
from .rules._adjustment import GroupCeiling


def basis_rates(
    codes: list[str],
    scale: Scale,
    extra_rates: Mapping[str, AmountLike] | None,
    use_notional_rates: bool,
    extra_rate_sources: Mapping[str, str] | None = None,
) -> tuple[dict[str, int], dict[str, str]]:
    """Each state's rate in 0.001 % units and a note of where it came from."""
    extra: dict[str, int] = {}
    problems: list[str] = []
    extra_notes = {resolve_state(k): str(v) for k, v in (extra_rate_sources or {}).items()}
    given = {resolve_state(k) for k in (extra_rates or {})}
    problems += [
        f"extra_rate_sources explains a rate for {code}, but extra_rates gives none"
        for code in sorted(set(extra_notes) - given)
    ]
    for name, value in (extra_rates or {}).items():
        code = resolve_state(name)
        if code in scale:
            problems.append(
                f"extra_rates gives {name!r} ({code}) a rate, but the {scale.period} scale "
                f"already has {scale.rates[code]}; extra_rates is only for states the scale lacks"
            )
        elif code not in codes:
            problems.append(
                f"extra_rates gives a rate for {name!r} ({code}), which is not among the states "
                "that bear the cost; add it to the states or remove it from extra_rates"
            )
        else:
            try:
                extra[code] = parse_rate_units(value, f"extra_rates[{name!r}]")
            except InvalidInputError as err:
                problems.append(str(err))
    if problems:
        raise InvalidInputError("; ".join(problems))

    notional = notional_rates_if_any(scale.period) if use_notional_rates else {}
    units: dict[str, int] = {}
    sources: dict[str, str] = {}
    missing: list[str] = []
    for code in codes:
        if code in scale:
            units[code] = scale.units[code]
            sources[code] = f"UN scale {scale.period}" + (
                f" ({scale.resolution})" if scale.resolution else ""
            )
        elif code in extra:
            units[code] = extra[code]
            sources[code] = extra_notes.get(code, "supplied by the caller (extra_rates)")
        elif code in notional:
            units[code] = parse_rate_units(notional[code], code)
            where = notional_rate_source(scale.period, code).split(":", 1)[0]
            sources[code] = f"GA notional rate for a non-member State ({where})"
        else:
            missing.append(code)
    if missing:
        available = sorted(set(missing) & set(notional_rates_if_any(scale.period)))
        hint = (
            f"; GA notional rates exist for {', '.join(available)}: pass use_notional_rates=True"
            if available and not use_notional_rates
            else ""
        )
        raise MissingRateError(
            f"no rate in the {scale.period} scale for {', '.join(missing)}: give one with "
            f"extra_rates={{{missing[0]!r}: '0.001'}}{hint}",
            missing,
        )
    return units, sources


def build_rules(
    codes: list[str],
    *,
    ceiling: AmountLike | None,
    floor: AmountLike | None,
    group_ceilings: Iterable[GroupCeiling],
    pinned: Mapping[str, AmountLike] | None,
) -> AdjustmentRules:
    """The adjustment rules from the user's options, checked against the states that pay."""
    pins: dict[str, Fraction] = {}
    for name, value in (pinned or {}).items():
        code = resolve_state(name)
        if code not in codes:
            raise InvalidInputError(
                f"pinned gives a share for {name!r} ({code}), which is not among the states "
                "that bear the cost"
            )
        if code in pins:
            raise InvalidInputError(f"pinned names {code} twice")
        pins[code] = percent_to_share(value, f"the pinned share of {name!r}")
    groups = tuple(group_ceilings)
    for group in groups:
        if not isinstance(group, GroupCeiling):
            raise InvalidInputError(
                "group_ceilings must hold GroupCeiling objects, e.g. "
                "GroupCeiling.of('LDC', ['Afghanistan', ...], '0.010')"
            )
    return AdjustmentRules(
        ceiling=None if ceiling is None else percent_to_share(ceiling, "ceiling"),
        floor=None if floor is None else percent_to_share(floor, "floor"),
        group_ceilings=groups,
        pinned=MappingProxyType(pins),
    )


def _roles(codes: list[str], roles: Mapping[str, str] | None) -> dict[str, str]:
    """Roles keyed by ISO3; a role for a state that does not bear the cost is an error."""
    resolved: dict[str, str] = {}
    for name, role in (roles or {}).items():
        code = resolve_state(name)
        if code not in codes:
            raise InvalidInputError(
                f"roles gives a role for {name!r} ({code}), which is not among the states that "
                "bear the cost"
            )
        resolved[code] = str(role)
    return resolved


def apportion(
    total: AmountLike,
    states: Iterable[str],
    *,
    scale: Scale | PeriodLike,
    extra_rates: Mapping[str, AmountLike] | None = None,
    use_notional_rates: bool = False,
    extra_rate_sources: Mapping[str, str] | None = None,
    ceiling: AmountLike | None = None,
    floor: AmountLike | None = None,
    group_ceilings: Iterable[GroupCeiling] = (),
    pinned: Mapping[str, AmountLike] | None = None,
    rate_decimals: int = 3,
    rate_rounding: RateRounding | str = RateRounding.HALF_UP,
    amounts_from: AmountBasis | str = AmountBasis.EXACT_SHARES,
    currency: str = "USD",
    unit: RoundingUnit | str = RoundingUnit.MINOR,
    roles: Mapping[str, str] | None = None,
    context: Mapping[str, str] | None = None,
    convention: str | None = None,
) -> Assessment:
    """Share ``total`` over ``states`` in proportion to their UN rates, adjusted, exactly.

    Args:
        total: the cost, in currency units, as a string (``"550000.00"``), ``int`` or
            ``Decimal``; negative for a credit. It must not be finer than the rounding unit.
        states: names or ISO3 codes of the states that bear the cost, each once.
        scale: a :class:`Scale`, or a period, year or date for :func:`load_scale`.
        extra_rates: rates in percent for states the scale lacks (e.g. ``{"COK": "0.001"}``).
        use_notional_rates: use the GA notional rates of the period for the Holy See and the
            State of Palestine when they have no rate in the scale.
        extra_rate_sources: why a rate in ``extra_rates`` was used, shown as its
            ``rate_source`` (default "supplied by the caller (extra_rates)").
        ceiling, floor: bounds in percent re-applied to each adjusted share (e.g. ``"22"``).
        group_ceilings: per-state ceilings for named groups (:class:`GroupCeiling`).
        pinned: fixed shares in percent for named states; the rest share what is left.
        rate_decimals: decimals of the published adjusted rates (default 3).
        rate_rounding: ``"half_up"`` (each rate on its own) or ``"largest_remainder"`` (rates
            total exactly 100).
        amounts_from: ``"exact_shares"`` (default) or ``"published_rates"``.
        currency: ISO 4217 code; its minor unit comes from ISO 4217 (2 decimals for USD).
        unit: ``"minor"`` (cents, default) or ``"major"`` (whole currency units).
        roles: a role to show for some or all states (e.g. ``{"KEN": "observer"}``).
        context: labelled text describing what is assessed (meeting, article), kept in the
            provenance.

    The amounts sum to ``total`` exactly, each within one rounding unit of its exact share;
    ties go by :data:`ccm_costs.TIE_RULE`.
    """
    scale_obj = scale if isinstance(scale, Scale) else load_scale(scale)
    rounding = RateRounding(rate_rounding)
    basis = AmountBasis(amounts_from)
    rounding_unit = RoundingUnit(unit)
    decimals = check_decimals(rate_decimals)
    exponent = currency_exponent(currency)
    total_minor = to_minor_units(total, currency, unit=rounding_unit)
    codes = resolve_distinct(states)
    units, sources = basis_rates(
        codes, scale_obj, extra_rates, use_notional_rates, extra_rate_sources
    )
    rules = build_rules(
        codes, ceiling=ceiling, floor=floor, group_ceilings=group_ceilings, pinned=pinned
    )
    role_of = _roles(codes, roles)
    adjusted = adjust(units, rules)
    rates = publish_rates(adjusted.shares, decimals, rounding)
    if basis is AmountBasis.PUBLISHED_RATES:
        if not any(rates.values()):
            raise InvalidInputError(
                f"every published rate is zero at {decimals} decimals, so amounts cannot be "
                "taken from them: use more rate_decimals or amounts_from='exact_shares'"
            )
        weights: Mapping[str, Fraction] = {k: Fraction(v) for k, v in rates.items()}
    else:
        weights = adjusted.shares
    step = 10**exponent if rounding_unit is RoundingUnit.MAJOR else 1
    amounts = {k: v * step for k, v in allocate(total_minor // step, weights).items()}

    code = currency.strip().upper()
    names = {c: scale_obj.names.get(c) or state_name(c) for c in codes}
    order = sorted(codes, key=lambda c: state_order(names[c], c))
    lines = tuple(
        AssessmentLine(
            iso3=c,
            state=names[c],
            un_rate=units_to_percent(units[c]),
            rate_source=sources[c],
            steps=MappingProxyType({s: adjusted.steps[s][c] for s in adjusted.steps}),
            share=adjusted.shares[c],
            bound=adjusted.binding.get(c),
            rate=rates[c],
            amount_minor=amounts[c],
            amount=from_minor_units(amounts[c], code),
            role=role_of.get(c),
        )
        for c in order
    )
    return Assessment(
        lines=lines,
        total_minor=total_minor,
        currency=code,
        unit=rounding_unit,
        scale_period=scale_obj.period,
        resolution=scale_obj.resolution,
        scale_source=scale_obj.source,
        rules=tuple(rules.describe()),
        rate_decimals=decimals,
        rate_rounding=rounding,
        amounts_from=basis,
        version=library_version(),
        context=MappingProxyType(dict(context or {})),
        convention=convention,
    )
