"""The rule set: one frozen, validated object saying how rates become shares and shares money.

A :class:`RuleSet` holds the rate basis (the UN rate of the period; GA notional rates; rates
given with their source; the floor, or an error, for a payer the scale lacks; fixed shares for
parties such as the European Union), ordered, labelled steps after the implicit pro-rata
column (:class:`Exclude`, :class:`Bounds`), how rates are published, and how money is split.
Every value is checked on construction and every problem is reported at once, naming the field
(:class:`~ccm_costs.errors.RuleSetError`). A rule set is plain data: ``to_dict()`` and
``from_dict()`` (and TOML, :mod:`ccm_costs.rules`) round-trip over a closed set of step kinds;
a file never names Python code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import Any, ClassVar

from .._core.money import RoundingUnit
from .._core.numbers import exact_value, fraction_decimal
from .._core.publishing import MAX_DECIMALS, AmountBasis, RateRounding
from .._core.text import checked_text, shown
from .._reference.groups import SHIPPED_GROUPS
from .._reference.scales import parse_rate_units, units_to_percent
from .._reference.states import resolve_state
from ..errors import CcmCostsError, Problem, RuleSetError
from ._rate_basis import NonMemberRatePolicy

_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
_KEY = re.compile(r"[A-Z]{3}")
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
_GROUP = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")


class NonMemberTreatment(StrEnum):
    """How the rate of a payer the UN scale lacks (a notional, floor or given rate) counts."""

    SCALED = "scaled"
    """As a rate, scaled with the states' rates (the UNFCCC before 2019, the Montreal Protocol
    trust funds for the European Union's notional rate)."""
    FIXED = "fixed"
    """As a fixed share, not scaled (the WHO; the UNFCCC from the 2019-2021 scale)."""


class UncertainMembers(StrEnum):
    """What a state whose group membership the data cannot settle on the group date is."""

    ERROR = "error"
    """Stop and say which state and which period (the default: never guess)."""
    MEMBER = "member"
    NOT_MEMBER = "not_member"


@dataclass(frozen=True)
class GivenRate:
    """A rate in percent (a multiple of 0.001) for a payer the scale lacks, and why."""

    percent: Decimal
    source: str


@dataclass(frozen=True)
class FixedShare:
    """A share in percent held fixed (not scaled), e.g. the European Union's 2.5 %, and why."""

    percent: Decimal
    source: str


class _Checker:
    """Collects the problems of a rule set, each with its field path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field_path: str, message: str, code: str = "invalid") -> None:
        self.problems.append(
            Problem(message, where=f"field {field_path!r}", field=field_path, code=code)
        )

    def percent(self, value: object, field_path: str, *, rate: bool = False) -> Decimal | None:
        """A percentage from 0 to 100 as an exact Decimal (a UN-style rate when ``rate``)."""
        try:
            if rate:
                return units_to_percent(parse_rate_units(value, field_path))
            exact = exact_value(value, field_path)
        except CcmCostsError as err:
            self.add(field_path, str(err).removeprefix(f"{field_path}: "), "number")
            return None
        if not 0 <= exact <= 100:
            self.add(field_path, f"{value!r} is not a percentage from 0 to 100", "range")
            return None
        decimal = fraction_decimal(exact) if _terminates(exact) else None
        if decimal is None:
            self.add(field_path, f"{value!r} has no exact decimal form; write it as a decimal")
        return decimal

    def state(self, value: object, field_path: str, organisations: Mapping[str, str]) -> str | None:
        """An ISO3 code (or a declared organisation's key) from a name or code."""
        if isinstance(value, str) and value.strip().upper() in organisations:
            return value.strip().upper()
        try:
            return resolve_state(value)  # type: ignore[arg-type]
        except CcmCostsError as err:
            self.add(field_path, str(err), "unknown_state")
            return None

    def group(self, value: object, field_path: str, known: set[str]) -> str | None:
        """The name of a known group, or a problem listing the groups."""
        if isinstance(value, str) and value in known:
            return value
        self.add(
            field_path,
            f"{value!r} is not a group; the groups are {', '.join(sorted(known))}",
            "unknown_group",
        )
        return None

    def flag(self, item: Mapping[str, Any], key: str, path: str) -> bool:
        """A true/false field (false when absent); anything else is a problem."""
        value = item.get(key, False)
        if isinstance(value, bool):
            return value
        self.add(f"{path}{key}", f"{value!r} is not true or false", "type")
        return False

    def text(self, value: str, field_path: str) -> str | None:
        """Text on one line, stripped: a control character (it would reach a terminal or a
        workbook cell raw) is a problem."""
        try:
            return checked_text(value.strip(), "the text")
        except CcmCostsError as err:
            self.add(field_path, str(err), "control_character")
            return None

    def raise_if_any(self, source: str) -> None:
        if self.problems:
            raise RuleSetError(source, self.problems)


def _terminates(value: Fraction) -> bool:
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    return denominator == 1


@dataclass(frozen=True)
class RateBasis:
    """Each payer's starting rate and why.

    A payer in the UN scale starts from its UN rate. A payer the scale lacks gets, in this
    order: a rate in ``rates`` (with its source), a fixed share in ``fixed``, else what
    ``missing`` says (the GA notional rate where the Assembly set one, else the UN floor of
    0.001 %, or an error). ``non_members`` says whether such a rate is scaled with the states
    or held as a fixed share. A non-state party (the European Union) needs a rate or a fixed
    share here: no policy assumes one.
    """

    missing: NonMemberRatePolicy = NonMemberRatePolicy.NOTIONAL_THEN_FLOOR
    non_members: NonMemberTreatment = NonMemberTreatment.SCALED
    rates: Mapping[str, GivenRate] = field(default_factory=lambda: MappingProxyType({}))
    fixed: Mapping[str, FixedShare] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Exclude:
    """Payers removed from the sharing: by list, by a dated group, or because their UN rate is
    below a threshold (``inclusive``: at or below). They stay in the table at zero, with the
    reason. The step's column shows the rates that still count (0 for the excluded), as the
    Montreal Protocol publishes "Adjusted UN scale to exclude non-contributors"."""

    label: str
    name: str = "excluded"
    states: frozenset[str] = frozenset()
    group: str | None = None
    below: Decimal | None = None
    inclusive: bool = False
    kind: ClassVar[str] = "exclude"

    def describe(self) -> str:
        if self.states:
            what = "the states " + ", ".join(sorted(self.states))
        elif self.group is not None:
            what = f"the members of group {self.group}"
        else:
            what = (
                f"payers whose UN rate is {'at or ' if self.inclusive else ''}below {self.below} %"
            )
        return f"step {self.name!r} ({self.label}): {what} pay nothing and stay in the table at 0"


@dataclass(frozen=True)
class Bounds:
    """Bounds re-applied to the shares, solved at once by pin-and-redistribute: a ``ceiling``
    and a ``floor`` on each share (percent), ceilings on the members of dated groups
    (``group_ceilings``: group -> percent), ``pinned`` shares (state -> percent), and
    ``keep_minimum``: payers whose UN rate is the UN floor (0.001 %) keep it as their share.
    Bounds no shares summing to 100 % can meet raise an error naming the binding one."""

    label: str
    name: str = "bounded"
    ceiling: Decimal | None = None
    floor: Decimal | None = None
    group_ceilings: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    pinned: Mapping[str, Decimal] = field(default_factory=lambda: MappingProxyType({}))
    keep_minimum: bool = False
    kind: ClassVar[str] = "bounds"

    def describe(self) -> str:
        parts = []
        if self.ceiling is not None:
            parts.append(f"ceiling {self.ceiling} % on each share")
        if self.floor is not None:
            parts.append(f"floor {self.floor} % on each share")
        parts += [
            f"ceiling {v} % on each state of group {g}" for g, v in self.group_ceilings.items()
        ]
        parts += [f"{k} pinned at {v} %" for k, v in sorted(self.pinned.items())]
        if self.keep_minimum:
            parts.append("payers at the UN minimum (0.001 %) keep 0.001 %")
        listed = "; ".join(parts) or "no bound"
        return (
            f"step {self.name!r} ({self.label}): {listed}; solved by pin-and-redistribute (payers "
            "at a bound are fixed there, the others re-spread pro rata until nothing moves)"
        )


Step = Exclude | Bounds
"""A step after the pro-rata column: a closed set of kinds."""


@dataclass(frozen=True)
class Publishing:
    """How exact shares become published rates: ``decimals`` of a percent, each rounded half-up
    (the rates may then total 100 plus or minus a few units, as bodies publish them) or by
    largest remainder (they total exactly 100)."""

    decimals: int = 3
    rounding: RateRounding = RateRounding.HALF_UP


@dataclass(frozen=True)
class Amounts:
    """How money is split: in proportion to the exact shares or to the published rates, to the
    minor unit (cents) or to whole currency units."""

    basis: AmountBasis = AmountBasis.EXACT_SHARES
    unit: RoundingUnit = RoundingUnit.MINOR


GROUP_DATE_DEFAULT = "scale_start"
"""Dated groups are read on the first day of the UN scale period unless a rule set says."""


@dataclass(frozen=True)
class RuleSet:
    """How rates become shares and shares become money; see the module docstring.

    Build one with :func:`ccm_costs.rules.load` (a preset id or a TOML file), from a dict, or
    from its parts; derive others with :meth:`replace` and :meth:`then`.
    """

    id: str = "custom"
    title: str = "custom rule set"
    source: str = ""
    basis: RateBasis = field(default_factory=RateBasis)
    steps: tuple[Step, ...] = ()
    publishing: Publishing = field(default_factory=Publishing)
    amounts: Amounts = field(default_factory=Amounts)
    groups_on: str | dt.date = GROUP_DATE_DEFAULT
    """The day dated groups are read: ``"scale_start"`` (the first day of the UN scale
    period) or a date."""
    uncertain_members: UncertainMembers = UncertainMembers.ERROR
    groups: Mapping[str, frozenset[str]] = field(default_factory=lambda: MappingProxyType({}))
    """Groups the rule set declares (name -> states, always members), beside the shipped
    dated groups (``"LDC"``)."""
    organisations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Non-state parties the rule set declares (key -> name), beside the European Union
    (``EUU``); each needs a rate or a fixed share in the basis."""

    def __post_init__(self) -> None:
        _check_kinds(self)
        parts = _parse(self.to_dict(), "RuleSet(...)")
        for name, value in parts.items():
            object.__setattr__(self, name, value)

    # ------------------------------------------------------------------------- deriving

    def replace(self, **changes: Any) -> RuleSet:
        """A new, validated rule set with some parts changed.

        Besides the fields (``id``, ``title``, ``source``, ``basis``, ``steps``,
        ``publishing``, ``amounts``, ``groups_on``, ``uncertain_members``, ``groups``,
        ``organisations``), these shortcuts change one value inside: ``decimals``,
        ``rounding`` (publishing); ``amounts_from``, ``unit`` (amounts); ``missing_rates``,
        ``non_members``, ``rates`` (state -> percent, or (percent, source)), ``fixed`` (state
        -> percent, or (percent, source)) (basis); ``ceiling``, ``floor``, ``pinned`` (state ->
        percent), ``group_ceilings`` (group -> percent), ``keep_minimum`` (on the last bounds
        step, or a new one named ``bounded`` when there is none).
        """
        data = self.to_dict()
        data.pop("extends", None)
        unknown = sorted(set(changes) - set(_REPLACE_KEYS))
        if unknown:
            raise RuleSetError(
                "replace()",
                [
                    Problem(
                        f"unknown change {k!r}; the changes are {', '.join(_REPLACE_KEYS)}",
                        field=k,
                        code="key",
                    )
                    for k in unknown
                ],
            )
        for key, value in changes.items():
            _REPLACE_KEYS[key](data, value)
        before = self.to_dict()
        before.pop("extends", None)
        if data != before and not {"id", "title"} & set(changes):
            data["title"] = changed_title(str(data["title"]), changes)
        return RuleSet.from_dict(data, source="replace()")

    def then(self, step: Step) -> RuleSet:
        """A new rule set with ``step`` appended."""
        if not isinstance(step, Exclude | Bounds):
            raise RuleSetError(
                "then()",
                [Problem(f"{step!r} is not a step: give an Exclude or a Bounds", code="type")],
            )
        title = changed_title(self.title, [f"then {step.name}"])
        return dataclasses.replace(self, steps=(*self.steps, step), title=title)

    # ------------------------------------------------------------------------- reading

    @property
    def is_pro_rata(self) -> bool:
        """Whether the rules are plain pro rata: no step and no fixed share."""
        return not self.steps and not self.basis.fixed

    def describe(self) -> list[str]:
        """The rules in words, one line each, for provenance and ``ccm-costs rules show``."""
        basis = self.basis
        missing = {
            NonMemberRatePolicy.NOTIONAL_THEN_FLOOR: "the GA notional rate where the Assembly "
            "set one, else the UN floor of 0.001 %",
            NonMemberRatePolicy.NOTIONAL_ONLY: "the GA notional rate; none is an error",
            NonMemberRatePolicy.EXPLICIT: "none assumed: a rate must be given",
        }[basis.missing]
        lines = [
            f"rule set {self.id!r}: {self.title}" + (f" ({self.source})" if self.source else ""),
            f"rates: the UN scale of the period; a payer the scale lacks: {missing} "
            f"(policy '{basis.missing.value}'), "
            + (
                "scaled with the states"
                if basis.non_members is NonMemberTreatment.SCALED
                else "held as a fixed share"
            ),
        ]
        lines += [f"{k}: rate {v.percent} % ({v.source})" for k, v in sorted(basis.rates.items())]
        lines += [
            f"{k}: fixed share {v.percent} % ({v.source})" for k, v in sorted(basis.fixed.items())
        ]
        lines.append("pro rata over the payers that share the cost (rate / sum of their rates)")
        lines += [step.describe() for step in self.steps]
        if any(
            (isinstance(s, Exclude) and s.group) or (isinstance(s, Bounds) and s.group_ceilings)
            for s in self.steps
        ):
            day = (
                "the first day of the UN scale period"
                if self.groups_on == GROUP_DATE_DEFAULT
                else str(self.groups_on)
            )
            lines.append(
                f"groups read on {day}; a member the data cannot settle: "
                f"{self.uncertain_members.value}"
            )
        pub = self.publishing
        lines.append(
            f"published rates: {pub.decimals} decimals, "
            + (
                "each rounded half-up"
                if pub.rounding is RateRounding.HALF_UP
                else "by largest remainder to total exactly 100"
            )
        )
        unit = (
            "whole currency units" if self.amounts.unit is RoundingUnit.MAJOR else "the minor unit"
        )
        lines.append(
            f"amounts: from the {self.amounts.basis.value.replace('_', ' ')}, to {unit}, by "
            "largest remainder"
        )
        return lines

    # ------------------------------------------------------------------------- plain data

    def to_dict(self) -> dict[str, Any]:
        """The rule set as plain data (text, numbers as exact decimal strings, lists, tables),
        which :meth:`from_dict` reads back and TOML can hold."""
        basis = self.basis
        data: dict[str, Any] = {"id": self.id, "title": self.title, "source": self.source}
        data["basis"] = {
            "missing_rates": basis.missing.value,
            "non_members": basis.non_members.value,
            "rates": {
                k: {"rate": str(v.percent), "source": v.source}
                for k, v in sorted(basis.rates.items())
            },
            "fixed": {
                k: {"share": str(v.percent), "source": v.source}
                for k, v in sorted(basis.fixed.items())
            },
        }
        data["steps"] = [_step_dict(step) for step in self.steps]
        data["publishing"] = {
            "decimals": self.publishing.decimals,
            "rounding": self.publishing.rounding.value,
        }
        data["amounts"] = {"from": self.amounts.basis.value, "unit": self.amounts.unit.value}
        data["groups_on"] = str(self.groups_on)
        data["uncertain_members"] = self.uncertain_members.value
        data["groups"] = {name: {"states": sorted(states)} for name, states in self.groups.items()}
        data["organisations"] = dict(self.organisations)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "rule set") -> RuleSet:
        """A rule set from plain data (see :meth:`to_dict`); every problem in one
        :class:`~ccm_costs.errors.RuleSetError` naming ``source`` and the field."""
        return cls(**_parse(data, source))


def _step_dict(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": step.kind, "name": step.name, "label": step.label}
    if isinstance(step, Exclude):
        if step.states:  # one string is kept as given, for the check to refuse
            out["states"] = step.states if isinstance(step.states, str) else sorted(step.states)
        if step.group is not None:
            out["group"] = step.group
        if step.below is not None:
            out["below"] = str(step.below)
        if step.inclusive:  # with states or a group, the check says it does not apply
            out["inclusive"] = step.inclusive
        return out
    for key in ("ceiling", "floor"):
        value = getattr(step, key)
        if value is not None:
            out[key] = str(value)
    if step.group_ceilings:
        out["group_ceilings"] = {g: str(v) for g, v in step.group_ceilings.items()}
    if step.pinned:
        out["pinned"] = {k: str(v) for k, v in sorted(step.pinned.items())}
    if step.keep_minimum:
        out["keep_minimum"] = True
    return out


# ----------------------------------------------------------------------------- reading data

_TOP = (
    "id",
    "title",
    "source",
    "basis",
    "steps",
    "publishing",
    "amounts",
    "groups_on",
    "uncertain_members",
    "groups",
    "organisations",
)
_STEP_KEYS = {
    "exclude": {"kind", "name", "label", "states", "group", "below", "inclusive"},
    "bounds": {
        "kind",
        "name",
        "label",
        "ceiling",
        "floor",
        "group_ceilings",
        "pinned",
        "keep_minimum",
    },
}


def _table(check: _Checker, data: Mapping[str, Any], key: str, path: str = "") -> Mapping[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        check.add(f"{path}{key}", f"{value!r} is not a table", "type")
        return {}
    return value


def _text(
    check: _Checker, data: Mapping[str, Any], key: str, path: str = "", default: str | None = None
) -> str | None:
    value = data.get(key, default)
    if value is None:
        check.add(f"{path}{key}", "missing", "missing")
        return None
    if not isinstance(value, str):
        check.add(f"{path}{key}", f"{shown(value)} is not text", "type")
        return None
    return check.text(value, f"{path}{key}")


def _choice(check: _Checker, enum: Any, value: object, field_path: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in enum)
        check.add(field_path, f"{value!r} is not one of {allowed}", "vocabulary")
        return None


def _unknown_keys(
    check: _Checker, data: Mapping[str, Any], known: set[str] | tuple[str, ...], path: str
) -> None:
    for key in sorted(set(data) - set(known), key=str):
        check.add(f"{path}{key}", f"unknown key; the keys are {', '.join(sorted(known))}", "key")


def _organisations(check: _Checker, data: Mapping[str, Any]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, name in _table(check, data, "organisations").items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            check.add(f"organisations.{key}", "a key is three capital letters, e.g. 'XEC'", "key")
        elif not isinstance(name, str) or not name.strip():
            check.add(f"organisations.{key}", "give the organisation's name as text", "type")
        elif (text := check.text(name, f"organisations.{key}")) is not None:
            found[key] = text
    return found


def _figures(
    check: _Checker,
    table: Mapping[str, Any],
    kind: str,
    value_key: str,
    organisations: Mapping[str, str],
) -> dict[str, tuple[Decimal, str]]:
    """State -> (percent, source) of the basis' ``rates`` or ``fixed`` table."""
    found: dict[str, tuple[Decimal, str]] = {}
    for name, entry in _table(check, table, kind, "basis.").items():
        path = f"basis.{kind}.{name}"
        code = check.state(name, path, organisations)
        if isinstance(entry, Mapping):
            _unknown_keys(check, entry, {value_key, "source"}, f"{path}.")
            value, why = entry.get(value_key), entry.get("source")
        else:
            value, why = entry, None
        if not isinstance(why, str) or not why.strip():
            check.add(f"{path}.source", "say where the figure comes from (source = ...)", "missing")
            why = ""
        why = check.text(why, f"{path}.source") or ""
        percent = check.percent(value, f"{path}.{value_key}", rate=kind == "rates")
        if code is None or percent is None:
            continue
        if code in found:
            check.add(path, f"{code} is given twice", "duplicate")
        found[code] = (percent, why.strip())
    return found


def _basis(check: _Checker, data: Mapping[str, Any], organisations: Mapping[str, str]) -> RateBasis:
    table = _table(check, data, "basis")
    _unknown_keys(check, table, {"missing_rates", "non_members", "rates", "fixed"}, "basis.")
    missing = _choice(
        check,
        NonMemberRatePolicy,
        table.get("missing_rates", NonMemberRatePolicy.NOTIONAL_THEN_FLOOR.value),
        "basis.missing_rates",
    )
    treatment = _choice(
        check,
        NonMemberTreatment,
        table.get("non_members", NonMemberTreatment.SCALED.value),
        "basis.non_members",
    )
    given = {
        kind: _figures(check, table, kind, key, organisations)
        for kind, key in (("rates", "rate"), ("fixed", "share"))
    }
    rates = {c: GivenRate(p, why) for c, (p, why) in given["rates"].items()}
    fixed = {c: FixedShare(p, why) for c, (p, why) in given["fixed"].items()}
    for code in sorted(set(rates) & set(fixed)):
        check.add(
            f"basis.fixed.{code}", f"{code} has both a rate and a fixed share: give one", "conflict"
        )
    if sum((v.percent for v in fixed.values()), Decimal(0)) > 100:
        check.add("basis.fixed", "the fixed shares total more than 100 %", "range")
    return RateBasis(
        missing=missing or NonMemberRatePolicy.NOTIONAL_THEN_FLOOR,
        non_members=treatment or NonMemberTreatment.SCALED,
        rates=MappingProxyType(rates),
        fixed=MappingProxyType(fixed),
    )


def _step(
    check: _Checker, item: object, n: int, known_groups: set[str], organisations: Mapping[str, str]
) -> Step | None:
    path = f"steps[{n}]."
    if not isinstance(item, Mapping):
        check.add(path.rstrip("."), f"{item!r} is not a table", "type")
        return None
    kind = item.get("kind")
    if kind not in _STEP_KEYS:
        check.add(f"{path}kind", f"{kind!r} is not one of 'exclude', 'bounds'", "vocabulary")
        return None
    _unknown_keys(check, item, _STEP_KEYS[kind], path)
    name = _text(check, item, "name", path, default="excluded" if kind == "exclude" else "bounded")
    label = _text(check, item, "label", path)
    if name is not None and not _NAME.fullmatch(name):
        check.add(f"{path}name", f"{name!r}: a step name is lower case letters, digits and _")
    if kind == "exclude":
        return _exclude(
            check, item, path=path, name=name or "excluded", label=label or "",
            known_groups=known_groups, organisations=organisations,
        )  # fmt: skip
    return _bounds(
        check, item, path=path, name=name or "bounded", label=label or "",
        known_groups=known_groups, organisations=organisations,
    )  # fmt: skip


def _exclude(
    check: _Checker,
    item: Mapping[str, Any],
    *,
    path: str,
    name: str,
    label: str,
    known_groups: set[str],
    organisations: Mapping[str, str],
) -> Exclude:
    states_given = item.get("states", [])
    if isinstance(states_given, str) or not isinstance(states_given, list):
        check.add(f"{path}states", "give a list of states, e.g. ['AUT']", "type")
        states_given = []
    states = {
        c
        for i, s in enumerate(states_given)
        if (c := check.state(s, f"{path}states[{i}]", organisations))
    }
    group = item.get("group")
    if group is not None:
        group = check.group(group, f"{path}group", known_groups)
    below = None if item.get("below") is None else check.percent(item["below"], f"{path}below")
    inclusive = check.flag(item, "inclusive", path)
    if inclusive and below is None:
        check.add(
            f"{path}inclusive",
            "inclusive applies only to an exclusion by UN rate (below = ...): remove it",
            "conflict",
        )
    given = sum(
        x is not None and x != []
        for x in (item.get("states"), item.get("group"), item.get("below"))
    )
    if given != 1:
        check.add(
            path.rstrip("."), "an exclusion names exactly one of states, group or below", "conflict"
        )
    return Exclude(label, name, frozenset(states), group, below, inclusive)


def _bounds(
    check: _Checker,
    item: Mapping[str, Any],
    *,
    path: str,
    name: str,
    label: str,
    known_groups: set[str],
    organisations: Mapping[str, str],
) -> Bounds:
    ceiling = (
        None if item.get("ceiling") is None else check.percent(item["ceiling"], f"{path}ceiling")
    )
    floor = None if item.get("floor") is None else check.percent(item["floor"], f"{path}floor")
    if ceiling is not None and floor is not None and floor > ceiling:
        check.add(f"{path}floor", f"the floor {floor} % is above the ceiling {ceiling} %", "range")
    groups: dict[str, Decimal] = {}
    for group, value in _table(check, item, "group_ceilings", path).items():
        if check.group(group, f"{path}group_ceilings.{group}", known_groups) is None:
            continue
        percent = check.percent(value, f"{path}group_ceilings.{group}")
        if percent is not None:
            groups[group] = percent
    pinned: dict[str, Decimal] = {}
    for state, value in _table(check, item, "pinned", path).items():
        code = check.state(state, f"{path}pinned.{state}", organisations)
        percent = check.percent(value, f"{path}pinned.{state}")
        if code is not None and percent is not None:
            if code in pinned:
                check.add(f"{path}pinned.{state}", f"{code} is pinned twice", "duplicate")
            pinned[code] = percent
    if sum(pinned.values(), Decimal(0)) > 100:
        check.add(f"{path}pinned", "the pinned shares total more than 100 %", "range")
    keep = check.flag(item, "keep_minimum", path)
    return Bounds(
        label, name, ceiling, floor, MappingProxyType(groups), MappingProxyType(pinned), keep
    )


def _groups(
    check: _Checker, data: Mapping[str, Any], organisations: Mapping[str, str]
) -> dict[str, frozenset[str]]:
    found: dict[str, frozenset[str]] = {}
    for name, table in _table(check, data, "groups").items():
        path = f"groups.{name}"
        if not isinstance(name, str) or not _GROUP.fullmatch(name):
            check.add(path, f"{shown(name)}: a group name is letters, digits, '_' and '-'", "key")
            continue
        if name in SHIPPED_GROUPS:
            check.add(path, f"{name!r} is a shipped group; give yours another name", "conflict")
            continue
        if not isinstance(table, Mapping):
            check.add(
                path,
                f"give the group as a table of its states, e.g. {{'states': ['AUT', 'BEL']}} "
                f"([groups.{name}] states = [...] in a file), not {shown(table)}",
                "type",
            )
            continue
        states = table.get("states")
        if not isinstance(states, list) or not states:
            check.add(f"{path}.states", "give the group's states as a list", "type")
            continue
        found[name] = frozenset(
            c
            for i, s in enumerate(states)
            if (c := check.state(s, f"{path}.states[{i}]", organisations))
        )
    return found


def _parse(data: Mapping[str, Any], source: str) -> dict[str, Any]:
    """The validated parts of a rule set from its plain data; every problem in one error."""
    check = _Checker()
    if not isinstance(data, Mapping):
        raise RuleSetError(source, [Problem("a rule set is a table of fields", code="type")])
    _unknown_keys(check, data, set(_TOP) | {"extends"}, "")
    organisations = _organisations(check, data)
    rule_id = _text(check, data, "id", default="custom") or "custom"
    if not _ID.fullmatch(rule_id):
        check.add("id", f"{rule_id!r}: an id is lower case letters, digits and '-'")
    title = _text(check, data, "title", default="custom rule set") or ""
    rule_source = _text(check, data, "source", default="") or ""
    basis = _basis(check, data, organisations)
    groups = _groups(check, data, organisations)
    known_groups = set(SHIPPED_GROUPS) | set(groups)
    items = data.get("steps", [])
    if not isinstance(items, list):
        check.add("steps", "give the steps as a list of tables ([[steps]])", "type")
        items = []
    steps = [
        s
        for n, item in enumerate(items, start=1)
        if (s := _step(check, item, n, known_groups, organisations)) is not None
    ]
    publishing = _table(check, data, "publishing")
    _unknown_keys(check, publishing, {"decimals", "rounding"}, "publishing.")
    decimals = publishing.get("decimals", 3)
    if (
        isinstance(decimals, bool)
        or not isinstance(decimals, int)
        or not 0 <= decimals <= MAX_DECIMALS
    ):
        check.add(
            "publishing.decimals",
            f"{decimals!r} is not a whole number from 0 to {MAX_DECIMALS}",
            "range",
        )
        decimals = 3
    rounding = _choice(
        check, RateRounding, publishing.get("rounding", "half_up"), "publishing.rounding"
    )
    amounts = _table(check, data, "amounts")
    _unknown_keys(check, amounts, {"from", "unit"}, "amounts.")
    amount_basis = _choice(check, AmountBasis, amounts.get("from", "exact_shares"), "amounts.from")
    unit = _choice(check, RoundingUnit, amounts.get("unit", "minor"), "amounts.unit")
    groups_on = data.get("groups_on", GROUP_DATE_DEFAULT)
    if isinstance(groups_on, str) and groups_on != GROUP_DATE_DEFAULT:
        try:
            groups_on = dt.date.fromisoformat(groups_on)
        except ValueError:
            check.add("groups_on", f"{groups_on!r} is not 'scale_start' or a date (YYYY-MM-DD)")
            groups_on = GROUP_DATE_DEFAULT
    elif not isinstance(groups_on, str | dt.date) or isinstance(groups_on, dt.datetime):
        check.add("groups_on", f"{groups_on!r} is not 'scale_start' or a date", "type")
        groups_on = GROUP_DATE_DEFAULT
    uncertain = _choice(
        check, UncertainMembers, data.get("uncertain_members", "error"), "uncertain_members"
    )
    for problem in _structure_problems(steps, basis, organisations):
        check.problems.append(problem)
    check.raise_if_any(source)
    return {
        "id": rule_id,
        "title": title,
        "source": rule_source,
        "basis": basis,
        "steps": tuple(steps),
        "publishing": Publishing(decimals, rounding),
        "amounts": Amounts(amount_basis, unit),
        "groups_on": groups_on,
        "uncertain_members": uncertain,
        "groups": MappingProxyType(groups),
        "organisations": MappingProxyType(organisations),
    }


TABLE_COLUMNS = (
    "iso3", "state", "role", "un_rate", "rate_source", "share", "bound", "excluded", "rate",
    "amount", "amount_minor",
)  # fmt: skip
"""The columns of an assessment's table besides the steps' (``Assessment.to_frame``): a step
titled like one of them would overwrite it, so no step label may be one."""


def _structure_problems(
    steps: list[Step], basis: RateBasis, organisations: Mapping[str, str]
) -> list[Problem]:
    """Problems of the rule set as a whole: unique step names and labels, none a column of
    the table; no state both pinned and given a fixed share, and no more than 100 % held."""
    problems: list[Problem] = []
    fixed_total = sum((v.percent for v in basis.fixed.values()), Decimal(0))
    for n, step in enumerate(steps, start=1):
        if not isinstance(step, Bounds):
            continue
        for state in sorted(set(step.pinned) & set(basis.fixed)):
            problems.append(
                Problem(
                    f"{state} has a fixed share ({basis.fixed[state].percent} %, basis.fixed) "
                    f"and is pinned at {step.pinned[state]} %: give it one of the two",
                    where=f"field 'steps[{n}].pinned.{state}'",
                    field=f"steps[{n}].pinned.{state}",
                    code="conflict",
                )
            )
        held = sum(step.pinned.values(), Decimal(0)) + fixed_total
        if step.pinned and fixed_total and held > 100:
            problems.append(
                Problem(
                    f"the pinned shares and the fixed shares total {held} %, more than 100 %",
                    where=f"field 'steps[{n}].pinned'",
                    field=f"steps[{n}].pinned",
                    code="range",
                )
            )
    for attr in ("name", "label"):
        seen: set[str] = set()
        for n, step in enumerate(steps, start=1):
            value = getattr(step, attr)
            if value in seen or (attr == "name" and value == "pro_rata"):
                problems.append(
                    Problem(
                        f"the step {attr} {value!r} is used twice (pro_rata is the first column's)",
                        where=f"field 'steps[{n}].{attr}'",
                        field=f"steps[{n}].{attr}",
                        code="duplicate",
                    )
                )
            seen.add(value)
        for n, step in enumerate(steps, start=1):
            if attr == "label" and step.label.strip().lower() in TABLE_COLUMNS:
                problems.append(
                    Problem(
                        f"the step label {step.label!r} is a column of the assessment table "
                        f"({', '.join(TABLE_COLUMNS)}): give the step another title",
                        where=f"field 'steps[{n}].label'",
                        field=f"steps[{n}].label",
                        code="reserved",
                    )
                )
            if attr == "label" and not step.label:
                problems.append(
                    Problem(
                        "give the step's column title (label = ...)",
                        where=f"field 'steps[{n}].label'",
                        field=f"steps[{n}].label",
                        code="missing",
                    )
                )
    return problems


def _check_kinds(rules: RuleSet) -> None:
    """The parts of a rule set built in Python are of the right kinds (before their values
    are checked through the same path as a file's)."""
    problems: list[Problem] = []
    if not isinstance(rules.basis, RateBasis):
        problems.append(
            Problem(f"basis {rules.basis!r} is not a RateBasis", field="basis", code="type")
        )
    if not isinstance(rules.steps, tuple) or not all(
        isinstance(s, Exclude | Bounds) for s in rules.steps
    ):
        problems.append(
            Problem("steps must be a tuple of Exclude and Bounds", field="steps", code="type")
        )
    if not isinstance(rules.publishing, Publishing) or not isinstance(rules.amounts, Amounts):
        problems.append(
            Problem(
                "publishing and amounts must be Publishing and Amounts",
                field="publishing",
                code="type",
            )
        )
    if problems:
        raise RuleSetError("RuleSet(...)", problems)


# ----------------------------------------------------------------------------- replace()


def _last_bounds(data: dict[str, Any]) -> dict[str, Any]:
    for step in reversed(data["steps"]):
        if step["kind"] == "bounds":
            return step  # type: ignore[no-any-return]
    step = {"kind": "bounds", "name": "bounded", "label": "After ceiling, floor and pinned shares"}
    data["steps"].append(step)
    return step


def _with_source(value: object, default_source: str, key: str) -> dict[str, str]:
    if isinstance(value, tuple) and len(value) == 2:
        return {key: str(value[0]), "source": str(value[1])}
    return {key: str(value), "source": default_source}


def _set(path: tuple[str, ...]) -> Any:
    def apply(data: dict[str, Any], value: object) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value.value if isinstance(value, StrEnum) else value

    return apply


def _set_rates(kind: str, key: str, default_source: str) -> Any:
    def apply(data: dict[str, Any], value: object) -> None:
        if not isinstance(value, Mapping):
            raise RuleSetError(
                "replace()",
                [
                    Problem(
                        f"{kind} must map states to percentages, e.g. {{'COK': '0.001'}}",
                        field=kind,
                        code="type",
                    )
                ],
            )
        data["basis"][kind].update(
            {str(k): _with_source(v, default_source, key) for k, v in value.items()}
        )

    return apply


def _set_bound(key: str) -> Any:
    def apply(data: dict[str, Any], value: object) -> None:
        step = _last_bounds(data)
        if isinstance(value, Mapping):
            step[key] = {**step.get(key, {}), **{str(k): str(v) for k, v in value.items()}}
        elif value is None:
            step.pop(key, None)
        else:
            step[key] = value if isinstance(value, bool) else str(value)

    return apply


_REPLACE_KEYS: dict[str, Any] = {
    **{k: _set((k,)) for k in _TOP},
    "decimals": _set(("publishing", "decimals")),
    "rounding": _set(("publishing", "rounding")),
    "amounts_from": _set(("amounts", "from")),
    "unit": _set(("amounts", "unit")),
    "missing_rates": _set(("basis", "missing_rates")),
    "non_members": _set(("basis", "non_members")),
    "rates": _set_rates("rates", "rate", "given by the caller"),
    "fixed": _set_rates("fixed", "share", "given by the caller"),
    "ceiling": _set_bound("ceiling"),
    "floor": _set_bound("floor"),
    "pinned": _set_bound("pinned"),
    "group_ceilings": _set_bound("group_ceilings"),
    "keep_minimum": _set_bound("keep_minimum"),
}
"""What :meth:`RuleSet.replace` can change, each applied to the plain data."""


def share_of(percent: Decimal) -> Fraction:
    """A percentage as an exact share of 1."""
    return Fraction(percent) / 100


_CHANGED = " [changed: "


def changed_title(title: str, changes: Iterable[str]) -> str:
    """The title of a rule set changed from another (by :meth:`RuleSet.replace`,
    :meth:`RuleSet.then` or a file's ``extends``), naming what changed, so that its
    provenance does not read as the unchanged one's: ``"... [changed: ceiling, floor]"``,
    the list merged over repeated changes."""
    base, _, named = title.partition(_CHANGED)
    keys = {k for k in named.rstrip("]").split(", ") if k} | set(changes)
    return f"{base}{_CHANGED}{', '.join(sorted(keys))}]"
