"""The "adjusted appropriately" step: from integer rates to exact shares of the states that pay.

By default shares are pro rata: ``share_i = rate_i / sum(rates)`` (UNODA practice). Bounds
may be re-applied after adjusting, as other treaty bodies do: a ceiling, a floor, ceilings for
named groups (e.g. least developed countries) and pinned shares. Bounds are applied by
pin-and-redistribute: states that hit a bound are fixed at it and the rest are re-spread pro
rata until nothing moves. All arithmetic is exact (``Fraction``); keys are ISO3 codes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType

from ..errors import InfeasibleBoundsError, InvalidInputError
from .numbers import percent_text as _percent
from .text import counted

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


@dataclass(frozen=True)
class Uppers:
    """Each state's tightest ceiling, as an index into the few distinct ceilings (so that the
    solver compares integers and sums each ceiling once, not once per state)."""

    levels: tuple[tuple[Fraction, str], ...]
    """(ceiling, its name): the general ceiling, a group's, or 1 (none)."""
    of: Mapping[str, int]

    def value(self, key: str) -> Fraction:
        return self.levels[self.of[key]][0]

    def name(self, key: str) -> str:
        return self.levels[self.of[key]][1]

    def total(self, keys: Iterable[str]) -> Fraction:
        counts: dict[int, int] = {}
        for key in keys:
            counts[self.of[key]] = counts.get(self.of[key], 0) + 1
        return sum((self.levels[i][0] * n for i, n in counts.items()), Fraction(0))


def upper_bounds(keys: Iterable[str], rules: AdjustmentRules) -> Uppers:
    """Each state's tightest ceiling and its name (the general ceiling or a group's)."""
    levels: list[tuple[Fraction, str]] = []
    index: dict[tuple[Fraction, str], int] = {}
    general = (rules.ceiling, "ceiling") if rules.ceiling is not None else (Fraction(1), "")
    of: dict[str, int] = {}
    for key in keys:
        best = general
        for group in rules.group_ceilings:
            if key in group.states and group.ceiling <= best[0]:
                best = (group.ceiling, f"group ceiling ({group.name})")
        if best not in index:
            index[best] = len(levels)
            levels.append(best)
        of[key] = index[best]
    return Uppers(tuple(levels), of)


@dataclass(frozen=True)
class Shares:
    """Exact shares of 1 over one common denominator: ``nums[key] / den``.

    Integers all the way down: what the interpreter, the published rates and the allocation
    read without building a ``Fraction`` per state.
    """

    nums: Mapping[str, int]
    den: int

    def fraction(self, key: str) -> Fraction:
        """One share as a ``Fraction``."""
        return Fraction(self.nums[key], self.den)

    def fractions(self) -> dict[str, Fraction]:
        """Every share as a ``Fraction``."""
        return {k: Fraction(n, self.den) for k, n in self.nums.items()}

    @classmethod
    def of(cls, values: Mapping[str, Fraction]) -> Shares:
        """Shares from fractions, over their least common denominator."""
        den = math.lcm(*(v.denominator for v in values.values())) if values else 1
        return cls({k: v.numerator * (den // v.denominator) for k, v in values.items()}, den)


def solve(
    weights: Mapping[str, int | Fraction], rules: AdjustmentRules
) -> tuple[dict[str, Fraction], dict[str, str]]:
    """The bounded shares as ``Fraction``s (see :func:`solve_shares`), and the bounds that
    bind."""
    shares, binding = solve_shares(_integers(weights), rules)
    return shares.fractions(), binding


def _integers(weights: Mapping[str, int | Fraction]) -> dict[str, int]:
    """Weights scaled to integers in the same proportions (they are often integers already)."""
    if all(type(w) is int for w in weights.values()):
        return dict(weights)  # type: ignore[arg-type]
    exact = {k: Fraction(w) for k, w in weights.items()}
    den = math.lcm(*(w.denominator for w in exact.values())) if exact else 1
    return {k: w.numerator * (den // w.denominator) for k, w in exact.items()}


def solve_shares(
    weights: Mapping[str, int], rules: AdjustmentRules
) -> tuple[Shares, dict[str, str]]:
    """Fix pinned states, then repeatedly fix the states that break a bound and re-spread.

    Each round spreads what is left pro rata over the free states. If the shares pushed above
    their ceilings exceed those pushed below their floors, the ceiling-breakers are fixed at
    their ceilings; if less, the floor-breakers at their floors; if equal, both. This is the
    Bitran-Hax rule, which ends at the unique shares ``clamp(lambda * rate, floor, ceiling)``
    summing to 1; every round fixes at least one state, so it ends within n rounds. Every
    comparison is in integers (``left * w / W > c`` as ``w * left.n * c.d > c.n * left.d * W``,
    with the products taken once per distinct bound); only the few fixed values are fractions.
    """
    fixed: dict[str, Fraction] = {}
    binding: dict[str, str] = {}
    for key, share in rules.pinned.items():
        fixed[key] = share
        binding[key] = "pinned"
    left = 1 - sum(fixed.values(), Fraction(0))
    if left < 0:
        raise InfeasibleBoundsError(
            "pinned",
            f"the pinned shares total {_percent(1 - left)}, more than 100 %: lower them",
        )
    free = [k for k in sorted(weights) if k not in fixed]
    upper = upper_bounds(free, rules)
    lower = rules.floor if rules.floor is not None else Fraction(0)
    _check_feasible(free, left, lower, upper)

    for key in [k for k in free if weights[k] == 0]:
        # clamp(lambda * 0, floor, ceiling) is the floor, whatever lambda is.
        fixed[key] = lower
        if lower:
            binding[key] = "floor"
        left -= lower
    free = [k for k in free if weights[k] != 0]

    while free:
        total = sum(weights[k] for k in free)
        ln, ld = left.numerator, left.denominator
        limits = [
            (ln * bound.denominator, bound.numerator * ld * total) for bound, _ in upper.levels
        ]
        of = upper.of
        over = [k for k in free if weights[k] * limits[of[k]][0] > limits[of[k]][1]]
        under: list[str] = []
        if lower:
            a, b = ln * lower.denominator, lower.numerator * ld * total
            under = [k for k in free if weights[k] * a < b]
        if not over and not under:
            # The free states share what is left pro rata: left * w / total each.
            nums = {k: ln * weights[k] for k in free}
            return _combined(nums, ld * total, fixed), binding
        over_weight = sum(weights[k] for k in over)
        excess = left * over_weight / total - upper.total(over)
        under_weight = sum(weights[k] for k in under)
        deficit = lower * len(under) - left * under_weight / total
        fixing: list[tuple[str, Fraction, str]] = []
        if excess >= deficit:
            fixing += [(k, upper.value(k), upper.name(k)) for k in over]
        if deficit >= excess:
            fixing += [(k, lower, "floor") for k in under]
        for key, value, why in fixing:
            fixed[key] = value
            binding[key] = why
        left -= upper.total(k for k, _, why in fixing if why != "floor") + lower * sum(
            why == "floor" for _, _, why in fixing
        )
        done = {k for k, _, _ in fixing}
        free = [k for k in free if k not in done]
    if left != 0:
        # Every state with a rate sits at a bound and the total is not yet 100 %.
        raise InfeasibleBoundsError(
            "ceiling",
            f"every state is at its ceiling or floor and {_percent(left)} of the cost is left "
            "over: states with a zero rate can take no more than their floor; raise the "
            "ceilings or include more states",
        )
    return _combined({}, 1, fixed), binding


def _combined(nums: Mapping[str, int], den: int, fixed: Mapping[str, Fraction]) -> Shares:
    """Shares ``nums / den`` and the ``fixed`` fractions over one denominator."""
    common = math.lcm(den, *(v.denominator for v in fixed.values()))
    scale = common // den
    out = {k: n * scale for k, n in nums.items()}
    out.update({k: v.numerator * (common // v.denominator) for k, v in fixed.items()})
    return Shares(out, common)


def _check_feasible(free: list[str], left: Fraction, lower: Fraction, upper: Uppers) -> None:
    """Raise if the bounds cannot be met whatever the rates are, naming the constraint."""
    low = {i for i, (bound, _) in enumerate(upper.levels) if bound < lower}
    for key in free:
        if upper.of[key] in low:
            raise InfeasibleBoundsError(
                upper.name(key),
                f"{key}: its {upper.name(key)} {_percent(upper.value(key))} is below the floor "
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
    pinned = left != 1  # some share is pinned
    if lower * len(free) > left:
        raise InfeasibleBoundsError(
            "floor",
            f"the floor {_percent(lower)} for {counted(len(free), 'state')} needs "
            f"{_percent(lower * len(free))}, but only {_percent(left)} is "
            + ("left after pinned shares" if pinned else "shared")
            + ": lower the floor",
        )
    room = upper.total(free)
    if room < left:
        names = sorted({upper.name(k) for k in free if upper.name(k)}) or ["ceiling"]
        states = counted(len(free), "state not pinned", "states not pinned")
        raise InfeasibleBoundsError(
            names[0],
            f"the {' and '.join(names)} {'let' if len(names) > 1 else 'lets'} the "
            f"{states if pinned else counted(len(free), 'state')} carry at most "
            f"{_percent(room)}, but {_percent(left)} must be shared: raise the ceilings or "
            "include more states",
        )
