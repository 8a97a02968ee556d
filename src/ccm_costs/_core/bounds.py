"""The "adjusted appropriately" step: from integer rates to exact shares of the states that pay.

By default shares are pro rata: ``share_i = rate_i / sum(rates)`` (UNODA practice). Bounds
may be re-applied after adjusting, as other treaty bodies do: a ceiling, a floor, ceilings for
named groups (e.g. least developed countries) and pinned shares. Bounds are applied by
pin-and-redistribute: states that hit a bound are fixed at it and the rest are re-spread pro
rata until nothing moves. All arithmetic is exact (``Fraction``); keys are ISO3 codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from ..errors import InfeasibleBoundsError, InvalidInputError
from .numbers import percent_text as _percent

PRO_RATA = "pro_rata"
BOUNDED = "bounded"


@dataclass(frozen=True)
class GroupCeiling:
    """A ceiling on the share of each state of a named group (ISO3 codes), e.g. least developed
    countries; states of the group that do not take part are ignored."""

    name: str
    states: frozenset[str]
    ceiling: Fraction


@dataclass(frozen=True)
class AdjustmentRules:
    """How UN rates become shares: pro rata, then optional bounds. All shares are of 1."""

    ceiling: Fraction | None = None
    floor: Fraction | None = None
    group_ceilings: tuple[GroupCeiling, ...] = ()
    pinned: Mapping[str, Fraction] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def has_bounds(self) -> bool:
        """Whether anything beyond plain pro rata applies."""
        return bool(
            self.ceiling is not None or self.floor is not None or self.group_ceilings or self.pinned
        )

    def describe(self) -> list[str]:
        """The rules in words, for provenance."""
        lines = ["pro rata over the states that bear the cost (UN rate / sum of their UN rates)"]
        if self.ceiling is not None:
            lines.append(f"ceiling {_percent(self.ceiling)} on each state's adjusted share")
        if self.floor is not None:
            lines.append(f"floor {_percent(self.floor)} on each state's adjusted share")
        for group in self.group_ceilings:
            lines.append(f"ceiling {_percent(group.ceiling)} on each state of group {group.name}")
        for iso3, share in sorted(self.pinned.items()):
            lines.append(f"{iso3} pinned at {_percent(share)}")
        if self.has_bounds:
            lines.append(
                "bounds applied by pin-and-redistribute: states at a bound are fixed there and "
                "the others re-spread pro rata until nothing moves"
            )
        return lines


@dataclass(frozen=True)
class AdjustedShares:
    """The result of the adjustment: each step's shares, the final shares and the binding bounds."""

    steps: Mapping[str, Mapping[str, Fraction]]
    shares: Mapping[str, Fraction]
    binding: Mapping[str, str]


def adjust(
    weights: Mapping[str, int | Fraction], rules: AdjustmentRules | None = None
) -> AdjustedShares:
    """Exact shares of 1 for states with the given integer rates (0.001 % units) under ``rules``.

    Raises :class:`InfeasibleBoundsError` naming the binding constraint when no shares summing
    to 1 can meet the bounds.
    """
    rules = rules or AdjustmentRules()
    if not weights:
        raise InvalidInputError("no states to share the cost: the set of states is empty")
    total = sum(weights.values())
    if total <= 0:
        raise InvalidInputError(
            "every state has a zero rate: at least one state must have a positive rate"
        )
    pro_rata = {k: Fraction(w, total) for k, w in weights.items()}
    steps: dict[str, Mapping[str, Fraction]] = {PRO_RATA: MappingProxyType(pro_rata)}
    if not rules.has_bounds:
        return AdjustedShares(MappingProxyType(steps), steps[PRO_RATA], MappingProxyType({}))
    shares, binding = solve(weights, rules)
    steps[BOUNDED] = MappingProxyType(shares)
    return AdjustedShares(MappingProxyType(steps), steps[BOUNDED], MappingProxyType(binding))


def _upper_bounds(keys: Iterable[str], rules: AdjustmentRules) -> dict[str, tuple[Fraction, str]]:
    """Each state's tightest ceiling and its name (the general ceiling or a group's)."""
    bounds: dict[str, tuple[Fraction, str]] = {}
    for key in keys:
        best = (Fraction(1), "")
        if rules.ceiling is not None:
            best = (rules.ceiling, "ceiling")
        for group in rules.group_ceilings:
            if key in group.states and group.ceiling <= best[0]:
                best = (group.ceiling, f"group ceiling ({group.name})")
        bounds[key] = best
    return bounds


def solve(
    weights: Mapping[str, int | Fraction], rules: AdjustmentRules
) -> tuple[dict[str, Fraction], dict[str, str]]:
    """Fix pinned states, then repeatedly fix the states that break a bound and re-spread.

    Each round spreads what is left pro rata over the free states. If the shares pushed above
    their ceilings exceed those pushed below their floors, the ceiling-breakers are fixed at
    their ceilings; if less, the floor-breakers at their floors; if equal, both. This is the
    Bitran-Hax rule, which ends at the unique shares ``clamp(lambda * rate, floor, ceiling)``
    summing to 1; every round fixes at least one state, so it ends within n rounds.
    """
    shares: dict[str, Fraction] = {}
    binding: dict[str, str] = {}
    for key, share in rules.pinned.items():
        shares[key] = share
        binding[key] = "pinned"
    left = 1 - sum(shares.values(), Fraction(0))
    if left < 0:
        raise InfeasibleBoundsError(
            "pinned",
            f"the pinned shares total {_percent(1 - left)}, more than 100 %: lower them",
        )
    free = [k for k in sorted(weights) if k not in shares]
    upper = _upper_bounds(free, rules)
    lower = rules.floor if rules.floor is not None else Fraction(0)
    _check_feasible(free, left, lower, upper)

    for key in [k for k in free if weights[k] == 0]:
        # clamp(lambda * 0, floor, ceiling) is the floor, whatever lambda is.
        shares[key] = lower
        if lower:
            binding[key] = "floor"
        left -= lower
    free = [k for k in free if weights[k] != 0]

    while free:
        scale = left / sum(weights[k] for k in free)
        target = {k: scale * weights[k] for k in free}
        over = [k for k in free if target[k] > upper[k][0]]
        under = [k for k in free if target[k] < lower]
        if not over and not under:
            shares.update(target)  # the targets sum to exactly what was left
            return shares, binding
        excess = sum((target[k] - upper[k][0] for k in over), Fraction(0))
        deficit = sum((lower - target[k] for k in under), Fraction(0))
        fixing: list[tuple[str, Fraction, str]] = []
        if excess >= deficit:
            fixing += [(k, upper[k][0], upper[k][1]) for k in over]
        if deficit >= excess:
            fixing += [(k, lower, "floor") for k in under]
        for key, value, why in fixing:
            shares[key] = value
            binding[key] = why
            left -= value
        fixed = {k for k, _, _ in fixing}
        free = [k for k in free if k not in fixed]
    if left != 0:
        # Every state with a rate sits at a bound and the total is not yet 100 %.
        raise InfeasibleBoundsError(
            "ceiling",
            f"every state is at its ceiling or floor and {_percent(left)} of the cost is left "
            "over: states with a zero rate can take no more than their floor; raise the "
            "ceilings or include more states",
        )
    return shares, binding


def _check_feasible(
    free: list[str], left: Fraction, lower: Fraction, upper: Mapping[str, tuple[Fraction, str]]
) -> None:
    """Raise if the bounds cannot be met whatever the rates are, naming the constraint."""
    for key in free:
        if upper[key][0] < lower:
            raise InfeasibleBoundsError(
                upper[key][1],
                f"{key}: its {upper[key][1]} {_percent(upper[key][0])} is below the floor "
                f"{_percent(lower)}",
            )
    if not free:
        if left != 0:
            raise InfeasibleBoundsError(
                "pinned",
                f"every state is pinned and the pinned shares total {_percent(1 - left)}, "
                "not 100 %: leave at least one state unpinned or make them total 100",
            )
        return
    if lower * len(free) > left:
        raise InfeasibleBoundsError(
            "floor",
            f"the floor {_percent(lower)} for {len(free)} states needs "
            f"{_percent(lower * len(free))}, but only {_percent(left)} is left after pinned "
            "shares: lower the floor",
        )
    room = sum((upper[k][0] for k in free), Fraction(0))
    if room < left:
        names = sorted({upper[k][1] for k in free if upper[k][1]}) or ["ceiling"]
        raise InfeasibleBoundsError(
            names[0],
            f"the {' and '.join(names)} {'let' if len(names) > 1 else 'lets'} the {len(free)} "
            "unpinned states carry at most "
            f"{_percent(room)}, but {_percent(left)} must be shared: raise the ceilings or "
            "include more states",
        )
