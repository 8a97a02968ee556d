"""The interpreter: a total shared over the payers on a UN scale under a rule set, exactly.

The data flow: basis rates (and why) -> the pro-rata column -> each step of the rule set (one
column each) -> the exact shares -> published rates -> money by largest remainder ->
:class:`Assessment`. Every entry point that computes an assessment (``assess``, the workbook
check, the ledger, the scenarios' exact path) comes through :func:`apportion`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING

from ._assessment import Assessment, ExactTable, StepColumn
from ._core.allocation import allocate
from ._core.bounds import AdjustmentRules, GroupCeiling, Shares, solve_shares
from ._core.money import RoundingUnit, currency_exponent, to_minor_units
from ._core.numbers import AmountLike, percent_text
from ._core.publishing import AmountBasis, RateRounding, publish_rates
from ._core.text import checked_text, shown
from ._core.version import library_version
from ._reference.groups import DatedGroup, group_of_states, shipped_group
from ._reference.scales import (
    FULL_SCALE,
    PeriodLike,
    Scale,
    load_scale,
    notional_rate_source,
    notional_rates_if_any,
    parse_rate_units,
)
from ._reference.states import (
    is_organisation,
    resolve_distinct,
    resolve_state,
    state_name,
    state_order,
)
from .errors import InfeasibleBoundsError, InvalidInputError, MissingRateError
from .rules._files import resolve
from .rules._rate_basis import FLOOR_RATE, NonMemberRatePolicy

if TYPE_CHECKING:
    from ._core.bounded_engine import ColumnRules

from .rules._ruleset import (
    GROUP_DATE_DEFAULT,
    Bounds,
    Exclude,
    NonMemberTreatment,
    RuleSet,
    UncertainMembers,
    share_of,
)

PRO_RATA = "pro_rata"
"""The name of the implicit first column: every payer pro rata on its basis rate."""
UN_FLOOR_UNITS = 1
"""The UN scale's minimum rate, 0.001 %, in 0.001 % units."""


@dataclass(frozen=True, slots=True)
class Basis:
    """One payer's starting point: a rate (0.001 % units) scaled with the others, or a fixed
    share of 1; where it comes from; and whether it is a UN rate."""

    units: int | None
    fixed: Fraction | None
    source: str
    un_rate: bool

    @property
    def percent(self) -> Fraction:
        """The basis as a percentage: the rate, or the fixed share."""
        if self.fixed is not None:
            return self.fixed * 100
        return Fraction(self.units or 0, 1000)


def basis_rates(codes: Iterable[str], scale: Scale, rules: RuleSet) -> dict[str, Basis]:
    """Each payer's basis under the rule set; a payer without one is an error naming the fix."""
    basis = rules.basis
    notional = (
        {} if basis.missing is NonMemberRatePolicy.EXPLICIT else notional_rates_if_any(scale.period)
    )
    scale_note = f"UN scale {scale.period}" + (f" ({scale.resolution})" if scale.resolution else "")
    found: dict[str, Basis] = {}
    missing: list[str] = []
    organisations: list[str] = []
    scale_units = scale.units
    fixed_given = basis.fixed
    for code in codes:
        if fixed_given and code in fixed_given:
            given = basis.fixed[code]
            found[code] = Basis(
                None, share_of(given.percent), f"fixed share: {given.source}", False
            )
            continue
        units = scale_units.get(code)
        if units is not None:
            found[code] = Basis(units, None, scale_note, True)
            continue
        if code in basis.rates:
            given_rate = basis.rates[code]
            units = parse_rate_units(given_rate.percent, code)
            found[code] = Basis(units, None, f"given rate: {given_rate.source}", False)
        elif is_organisation(code) or code in rules.organisations:
            organisations.append(code)
            continue
        elif code in notional:
            where = notional_rate_source(scale.period, code).split(":", 1)[0]
            units = parse_rate_units(notional[code], code)
            found[code] = Basis(
                units, None, f"GA notional rate for a non-member State ({where})", False
            )
        elif basis.missing is NonMemberRatePolicy.NOTIONAL_THEN_FLOOR:
            units = parse_rate_units(FLOOR_RATE, code)
            found[code] = Basis(
                units,
                None,
                f"no UN or GA notional rate: the floor of the UN scale, {FLOOR_RATE} % "
                f"(non-member rate policy '{basis.missing.value}')",
                False,
            )
        else:
            missing.append(code)
            continue
        if basis.non_members is NonMemberTreatment.FIXED:
            entry = found[code]
            found[code] = Basis(
                None,
                Fraction(entry.units or 0, FULL_SCALE),
                f"{entry.source}, held as a fixed share",
                False,
            )
    if organisations:
        listed = ", ".join(f"{state_name(c, rules.organisations)} ({c})" for c in organisations)
        lead = (
            f"{listed} has no UN rate and no policy assumes one for a non-state party: the rule "
            "set must give it a fixed share or a rate"
        )
        raise MissingRateError(
            f"{lead}, e.g. rules.replace(fixed={{{organisations[0]!r}: '2.5'}})", organisations
        ).for_cli(f"{lead}, e.g. --fixed {organisations[0]}=2.5")
    if missing:
        available = sorted(set(missing) & set(notional_rates_if_any(scale.period)))
        hint = (
            f"; GA notional rates exist for {', '.join(available)}: use the missing-rate policy "
            "'notional_only' or 'notional_then_floor'"
            if available
            else ""
        )
        lead = (
            f"no rate in the {scale.period} scale for {', '.join(missing)} and the missing-rate "
            f"policy '{basis.missing.value}' assumes none: give one, e.g."
        )
        raise MissingRateError(
            f"{lead} rules.replace(rates={{{missing[0]!r}: '0.001'}}){hint}", missing
        ).for_cli(
            f"{lead} --extra-rate {missing[0]}=0.001"
            + hint.replace("use the missing-rate policy", "give --non-member-rates")
        )
    return found


def rates_summary(basis: Mapping[str, Basis], rules: RuleSet, scale: Scale) -> str:
    """In one line, which payers the scale lacks and what rate each got under the rule set."""
    lacking = {c: b for c, b in basis.items() if not b.un_rate}
    groups: dict[str, list[str]] = {}
    for code, b in sorted(lacking.items()):
        if b.source.startswith("fixed share"):
            kind = "fixed shares"
        elif b.source.startswith("given rate"):
            kind = "rates given in the rule set"
        elif b.source.startswith("GA notional"):
            kind = "GA notional rates"
        else:
            kind = f"the UN scale floor {FLOOR_RATE} %"
        groups.setdefault(kind, []).append(code)
    parts = [f"policy '{rules.basis.missing.value}'"]
    order = (
        "GA notional rates",
        f"the UN scale floor {FLOOR_RATE} %",
        "rates given in the rule set",
        "fixed shares",
    )
    parts += [f"{kind} for {', '.join(groups[kind])}" for kind in order if kind in groups]
    if rules.basis.non_members is NonMemberTreatment.FIXED and lacking:
        parts.append("held as fixed shares")
    if not lacking:
        parts.append(f"every paying state has a rate in the UN scale {scale.period}")
    unused = sorted(c for c in rules.basis.rates if c in scale and c in basis)
    if unused:
        parts.append(
            f"rates given for {', '.join(unused)} not used: the UN scale {scale.period} has theirs"
        )
    return "; ".join(parts)


def group_date(rules: RuleSet, scale: Scale) -> tuple[dt.date, str]:
    """The day dated groups are read on, and why."""
    if rules.groups_on != GROUP_DATE_DEFAULT:
        day = rules.groups_on
        assert isinstance(day, dt.date)
        return day, f"{day} (set in the rule set)"
    first_year = int(scale.period[:4]) if scale.period[:4].isdigit() else None
    if first_year is None:
        raise InvalidInputError(
            f"the scale {scale.period!r} names no years, so the rule set's groups cannot be read "
            "on the first day of its period: set groups_on to a date in the rule set"
        )
    return dt.date(first_year, 1, 1), f"{first_year}-01-01, the first day of the UN scale period"


def _group(rules: RuleSet, name: str) -> DatedGroup:
    if name in rules.groups:
        return group_of_states(name, rules.groups[name], f"rule set {rules.id!r}")
    return shipped_group(name)


class _Run:
    """The steps of one apportionment: state carried from column to column."""

    def __init__(self, rules: RuleSet, scale: Scale, basis: Mapping[str, Basis]) -> None:
        self.rules = rules
        self.scale = scale
        self.basis = basis
        self.fixed = {c: b.fixed for c, b in basis.items() if b.fixed is not None}
        self.weights: dict[str, int] = {
            c: b.units or 0 for c, b in basis.items() if b.fixed is None
        }
        """The values the next step works on, as integers over ``self.den``: the rates (in
        0.001 % units, over the whole UN scale) until a bounds step makes them shares."""
        self.den = FULL_SCALE
        self.are_shares = False
        self.excluded: dict[str, str] = {}
        self.binding: dict[str, str] = {}
        self.notes: list[str] = []
        self._groups_read: dict[str, frozenset[str]] = {}

    def members(self, name: str) -> frozenset[str]:
        """The members of a group on the rule set's group date (uncertain ones as it says)."""
        if name in self._groups_read:
            return self._groups_read[name]
        day, why = group_date(self.rules, self.scale)
        read = _group(self.rules, name).on(day)
        members = set(read.members)
        if read.uncertain:
            policy = self.rules.uncertain_members
            if policy is UncertainMembers.ERROR:
                raise InvalidInputError(
                    f"group {name} on {day}: the data cannot say whether "
                    f"{', '.join(read.uncertain)} are members (a date known only to the month "
                    "or year, or a scheduled change not confirmed): set the rule set's "
                    "uncertain_members to 'member' or 'not_member', or read the group on "
                    "another date (groups_on)"
                )
            if policy is UncertainMembers.MEMBER:
                members |= set(read.uncertain)
        payers = sorted(set(self.basis) & members)
        note = f"group {name} read on {why}: {len(members)} members ({read.source})"
        if payers:
            note += f"; paying here: {', '.join(payers)}"
        if read.uncertain:
            note += f"; uncertain, counted as {self.rules.uncertain_members.value}: " + ", ".join(
                read.uncertain
            )
        self.notes.append(note)
        self._groups_read[name] = frozenset(members)
        return self._groups_read[name]

    def pro_rata(self) -> Shares:
        """Every payer pro rata on its basis rate, fixed shares held."""
        return _spread(self.weights, self.fixed, self.basis)

    def exclude(self, step: Exclude) -> Shares:
        """Zero the payers the step names; its column is what still counts."""
        if step.states:
            hit, why = set(step.states), "named in the rule set"
            unused = sorted(hit - set(self.basis))
            if unused:
                self.notes.append(
                    f"step {step.name!r}: not applied to {', '.join(unused)} (not among the payers)"
                )
        elif step.group is not None:
            hit, why = set(self.members(step.group)), f"a member of group {step.group}"
        else:
            limit = step.below
            assert limit is not None
            threshold = Fraction(limit)
            hit = {
                c
                for c, b in self.basis.items()
                if b.fixed is None
                and (b.percent < threshold or (step.inclusive and b.percent == threshold))
            }
            why = f"UN rate {'at or ' if step.inclusive else ''}below {limit} %"
        for code in sorted(hit & set(self.basis)):
            if code in self.excluded:
                continue
            self.excluded[code] = f"excluded ({step.label}): {why}"
            self.weights.pop(code, None)
            self.fixed.pop(code, None)
        self.are_shares = False  # what is left is shared out again, pro rata or by a bounds step
        return self.column()

    def bounds_rules(self, step: Bounds) -> AdjustmentRules:
        """The bounds of a step over the payers still counted: its ceilings and floor, and
        the shares held (fixed shares, the step's pinned shares, the UN minimum if kept)."""
        pinned = dict(self.fixed)
        pinned.update({c: share_of(v) for c, v in step.pinned.items() if c in self.weights})
        if step.keep_minimum:
            for code, b in self.basis.items():
                if code in self.weights and b.un_rate and b.units == UN_FLOOR_UNITS:
                    pinned.setdefault(code, Fraction(UN_FLOOR_UNITS, FULL_SCALE))
        groups = tuple(
            GroupCeiling(name, self.members(name), share_of(value))
            for name, value in step.group_ceilings.items()
        )
        return AdjustmentRules(
            ceiling=None if step.ceiling is None else share_of(step.ceiling),
            floor=None if step.floor is None else share_of(step.floor),
            group_ceilings=groups,
            pinned=MappingProxyType(pinned),
        )

    def bounds(self, step: Bounds) -> Shares:
        """One pin-and-redistribute solve over the payers still counted."""
        unused = sorted(c for c in step.pinned if c not in self.weights)
        if unused:
            self.notes.append(
                f"step {step.name!r}: not applied to {', '.join(unused)} (not among the payers "
                "that share the cost)"
            )
        rules = self.bounds_rules(step)
        pinned = rules.pinned
        if not self.weights and not pinned:
            raise InvalidInputError("every payer is excluded: nobody is left to share the cost")
        weights = {**self.weights, **dict.fromkeys((c for c in pinned if c not in self.weights), 0)}
        shares, binding = solve_shares(weights, rules)
        for code, why in binding.items():
            if code in self.fixed and why == "pinned":
                continue  # a fixed share is the basis, not a bound
            keeps_minimum = why == "pinned" and code not in step.pinned and step.keep_minimum
            self.binding[code] = "at the UN minimum" if keeps_minimum else why
        self.fixed = {c: shares.fraction(c) for c in self.fixed}
        self.weights = {c: n for c, n in shares.nums.items() if c not in self.fixed}
        self.den = shares.den
        self.are_shares = True
        return self.column()

    def column(self) -> Shares:
        """The current values of every payer over one denominator (0 for the excluded)."""
        fixed = Shares.of(self.fixed)
        den = math.lcm(self.den, fixed.den)
        nums = dict.fromkeys(self.basis, 0)
        nums.update({c: n * (den // self.den) for c, n in self.weights.items()})
        nums.update({c: n * (den // fixed.den) for c, n in fixed.nums.items()})
        return Shares(nums, den)

    def final(self) -> Shares:
        """The exact shares: the last bounds step's, or pro rata over what still counts."""
        if not self.weights and not self.fixed:
            raise InvalidInputError("every payer is excluded: nobody is left to share the cost")
        if self.are_shares:
            return self.column()
        return _spread(self.weights, self.fixed, self.basis)


def _spread(
    weights: Mapping[str, int], fixed: Mapping[str, Fraction], codes: Iterable[str]
) -> Shares:
    """Shares of every code: the fixed ones held, the rest of 1 pro rata on ``weights`` (0 for
    a code in neither)."""
    held = sum(fixed.values(), Fraction(0))
    left = 1 - held
    if left < 0:
        raise InfeasibleBoundsError(
            "fixed", f"the fixed shares total {percent_text(held)}, more than 100 %"
        )
    total = sum(weights.values())
    if not total and left:
        if weights:
            raise InvalidInputError(
                "every state has a zero rate: at least one state must have a positive rate"
            )
        raise InfeasibleBoundsError(
            "fixed",
            f"only payers with fixed shares are left and they total {percent_text(held)}, "
            "not 100 %: add payers that share the rest",
        )
    held_shares = Shares.of(dict(fixed))
    den = math.lcm(left.denominator * (total or 1), held_shares.den)
    nums = dict.fromkeys(codes, 0)
    scale = left.numerator * (den // (left.denominator * (total or 1)))
    nums.update({c: w * scale for c, w in weights.items()})
    nums.update({c: n * (den // held_shares.den) for c, n in held_shares.nums.items()})
    return Shares(nums, den)


def _roles(codes: list[str], roles: Mapping[str, str] | None) -> dict[str, str]:
    """Roles keyed by ISO3; a role for a state that does not bear the cost is an error, and so
    is a role that is not plain text."""
    if roles is not None and not isinstance(roles, Mapping):
        raise InvalidInputError(
            f"roles must map states to roles, e.g. {{'KEN': 'observer'}}, not {shown(roles)}"
        )
    resolved: dict[str, str] = {}
    for name, role in (roles or {}).items():
        code = resolve_state(name)
        if code not in codes:
            raise InvalidInputError(
                f"roles gives a role for {name!r} ({code}), which is not among the states that "
                "bear the cost"
            )
        if not isinstance(role, str):
            raise InvalidInputError(f"the role of {name!r} is {shown(role)}: give it as text")
        resolved[code] = checked_text(role, f"the role of {name!r}")
    return resolved


def _context(context: Mapping[str, str] | None) -> dict[str, str]:
    """The labelled text of ``context``: text, without control characters."""
    if context is not None and not isinstance(context, Mapping):
        raise InvalidInputError(
            f"context must map labels to text, e.g. {{'meeting': '12MSP'}}, not {shown(context)}"
        )
    checked: dict[str, str] = {}
    for label, text in (context or {}).items():
        if not isinstance(label, str) or not isinstance(text, str):
            raise InvalidInputError(
                f"context {shown(label)}: {shown(text)} must be a text label and a text"
            )
        checked[checked_text(label, "a context label")] = checked_text(
            text, f"the context {label!r}", lines=True
        )
    return checked


def _run_steps(run: _Run, rules: RuleSet) -> tuple[dict[str, Shares], Shares]:
    """Every column (name -> values) and the exact final shares."""
    columns: dict[str, Shares] = {PRO_RATA: run.pro_rata()}
    for step in rules.steps:
        columns[step.name] = run.exclude(step) if isinstance(step, Exclude) else run.bounds(step)
    final = run.final()
    for step in rules.steps[:-1]:
        if isinstance(step, Bounds):
            _note_bounds_moved(run, step, columns[step.name], final)
    return columns, final


def _note_bounds_moved(run: _Run, step: Bounds, held: Shares, final: Shares) -> None:
    """A note when later steps moved a share this step held (its ``held`` column) past its
    ceiling, its floor or its pinned value (the steps apply in order: an exclusion after a
    ceiling spreads the excluded shares pro rata). Excluded payers (0) are noted elsewhere."""
    ceiling = None if step.ceiling is None else share_of(step.ceiling)
    floor = None if step.floor is None else share_of(step.floor)
    moved = []
    for code, num in final.nums.items():
        share = Fraction(num, final.den)
        if not share or share == Fraction(held.nums.get(code, 0), held.den):
            continue
        if (
            code in step.pinned
            or (ceiling is not None and share > ceiling)
            or (floor is not None and share < floor)
        ):
            moved.append(f"{code} {percent_text(share)}")
    if moved:
        run.notes.append(
            f"step {step.name!r}: later steps moved shares past its bounds ({', '.join(moved)}); "
            "put the bounds step last to keep them"
        )


def column_rules(codes: Sequence[str], scale: Scale, rules: RuleSet) -> ColumnRules | None:
    """The rule set as the bounded engine reads it for payers ``codes`` (ISO3 order): each
    column's basis rate, held share, ceiling and whether an exclusion drops it, as the
    interpreter finds them with every payer present. None when the rule set has a shape the
    engine does not run (more than one bounds step, or a step after the bounds step): then
    each scenario goes through :func:`apportion`."""
    from ._core.bounded_engine import ColumnRules  # numpy: only for scenarios

    bounds = [s for s in rules.steps if isinstance(s, Bounds)]
    if len(bounds) > 1 or (bounds and rules.steps[-1] is not bounds[0]):
        return None
    basis = basis_rates(codes, scale, rules)
    run = _Run(rules, scale, basis)
    for step in rules.steps:
        if isinstance(step, Exclude):
            run.exclude(step)
    if bounds:
        adjustment = run.bounds_rules(bounds[0])
    else:  # fixed shares held, the rest pro rata
        adjustment = AdjustmentRules(pinned=MappingProxyType(dict(run.fixed)))
    published = None
    if rules.amounts.basis is AmountBasis.PUBLISHED_RATES:
        published = (rules.publishing.decimals, RateRounding(rules.publishing.rounding))
    weights = {c: b.units or 0 for c, b in basis.items() if b.fixed is None}
    return ColumnRules.of(codes, weights, adjustment, run.excluded, published)


def apportion(
    total: AmountLike,
    states: Iterable[str],
    *,
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    currency: str = "USD",
    roles: Mapping[str, str] | None = None,
    context: Mapping[str, str] | None = None,
    convention: str | None = None,
) -> Assessment:
    """Share ``total`` over ``states`` on a UN scale under a rule set, exactly.

    Args:
        total: the cost, in currency units, as a string (``"550000.00"``), ``int`` or
            ``Decimal``; negative for a credit. It must not be finer than the rounding unit.
        states: names or ISO3 codes of the payers, each once (the European Union: ``"EU"``).
        scale: a :class:`Scale`, or a period, year or date for :func:`load_scale`.
        rules: a :class:`~ccm_costs.rules.RuleSet`, a preset id (``"who"``) or a path to a rule
            set file; ``None`` is ``"un-pro-rata"`` (plain pro rata, rates at 3 decimals).
        currency: ISO 4217 code; its minor unit comes from ISO 4217 (2 decimals for USD).
        roles: a role to show for some or all states (e.g. ``{"KEN": "observer"}``).
        context: labelled text describing what is assessed, first in the provenance.
        convention: the id of the convention whose cost this is, kept in the result.

    The amounts sum to ``total`` exactly, each within one rounding unit of its exact share;
    ties go by :data:`ccm_costs.TIE_RULE`.
    """
    scale_obj = scale if isinstance(scale, Scale) else load_scale(scale)
    rule_set = resolve(rules)
    exponent = currency_exponent(currency)
    unit = rule_set.amounts.unit
    total_minor = to_minor_units(total, currency, unit=unit)
    codes = resolve_distinct(states, organisations=rule_set.organisations)
    basis = basis_rates(codes, scale_obj, rule_set)
    role_of = _roles(codes, roles)
    run = _Run(rule_set, scale_obj, basis)
    unused_rates = sorted(c for c in rule_set.basis.rates if c in scale_obj and c in basis)
    if unused_rates:
        run.notes.append(
            f"rates given for {', '.join(unused_rates)} not used: the UN scale "
            f"{scale_obj.period} has theirs"
        )
    for kind, given in (("rates", rule_set.basis.rates), ("fixed shares", rule_set.basis.fixed)):
        absent = sorted(c for c in given if c not in basis)
        if absent:
            run.notes.append(f"{kind} given for {', '.join(absent)} not used: not among the payers")
    columns, shares = _run_steps(run, rule_set)
    decimals = rule_set.publishing.decimals
    rate_units = publish_rates(shares, decimals, rule_set.publishing.rounding)
    if rule_set.amounts.basis is AmountBasis.PUBLISHED_RATES:
        if not any(rate_units.values()):
            raise InvalidInputError(
                f"every published rate is zero at {decimals} decimals, so amounts cannot be "
                "taken from them: publish more decimals or take the amounts from the exact "
                "shares"
            )
        weights: Mapping[str, int] = rate_units
    else:
        weights = shares.nums
    step = 10**exponent if unit is RoundingUnit.MAJOR else 1
    if not any(weights.values()):
        raise InvalidInputError("every share is zero: nobody is left to share the cost")
    amounts = allocate(total_minor // step, weights)
    if step != 1:
        amounts = {k: v * step for k, v in amounts.items()}

    code = currency.strip().upper()
    names = {c: scale_obj.names.get(c) or state_name(c, rule_set.organisations) for c in codes}
    table = ExactTable(
        codes=tuple(sorted(codes, key=lambda c: state_order(names[c], c))),
        names=names,
        basis_units={c: b.units if b.fixed is None else None for c, b in basis.items()},
        sources={c: b.source for c, b in basis.items()},
        columns=columns,
        shares=shares,
        rate_units=rate_units,
        amounts=amounts,
        bounds=run.binding,
        excluded=run.excluded,
        roles=role_of,
    )
    step_columns = (
        StepColumn(PRO_RATA, f"Pro-rata share of the UN scale {scale_obj.period}", "share"),
        *(
            StepColumn(
                s.name,
                s.label,
                "rates" if isinstance(s, Exclude) and not _after_bounds(rule_set, s) else "share",
            )
            for s in rule_set.steps
        ),
    )
    return Assessment(
        table=table,
        total_minor=total_minor,
        currency=code,
        scale_period=scale_obj.period,
        resolution=scale_obj.resolution,
        scale_source=scale_obj.source,
        rule_set=rule_set,
        step_columns=step_columns,
        notes=tuple(run.notes),
        version=library_version(),
        context=MappingProxyType(_context(context)),
        convention=convention,
    )


def _after_bounds(rules: RuleSet, step: Exclude) -> bool:
    """Whether an exclusion comes after a bounds step (its column then holds shares)."""
    before = rules.steps[: rules.steps.index(step)]
    return any(isinstance(s, Bounds) for s in before)
