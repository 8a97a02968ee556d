"""What if, exactly: many scenarios at once, Monte Carlo over observer attendance, and
one-at-a-time sensitivity.

Every scenario equals what :func:`~ccm_costs.apportion` gives for the same states, to the
rounding unit. Under plain pro rata the scenarios run on :func:`~ccm_costs.apportion_many`;
under any other rule set on the bounded engine (``_core/bounded_engine.py``: a float pass
finds each scenario's binding set, int64 arithmetic verifies it and shares the money), and the
few scenarios it leaves (and rule sets of a shape it does not run) go through ``apportion``.

Monte Carlo statistics are exact and need memory independent of the number of runs. Under
plain pro rata a state's amount in a run is the floor or the ceiling of ``total * rate / W``,
where ``W`` is the sum of the rates of the states attending; so the runs are tallied per
distinct ``W`` and each state's exact distribution is rebuilt from the tally. Under other rule
sets the runs are tallied per state and amount.
"""

from __future__ import annotations

import itertools
import math
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from numpy.typing import NDArray
from tqdm import tqdm

from ._apportion import apportion, basis_rates, column_rules, rates_summary
from ._assessment import Assessment
from ._core.bounded_engine import ColumnRules, bounded_many
from ._core.engine import apportion_many
from ._core.money import RoundingUnit, currency_exponent, from_minor_units, to_minor_units
from ._core.numbers import AmountLike, exact_value
from ._core.provenance import provenance, scale_items
from ._core.publishing import AmountBasis
from ._reference.scales import PeriodLike, Scale, load_scale
from ._reference.states import resolve_distinct, state_name, state_order
from .conventions import Meeting, Payers, assess, get_convention
from .errors import CcmCostsError, InvalidInputError
from .rules._files import resolve
from .rules._ruleset import RuleSet

if TYPE_CHECKING:
    import pandas as pd

ProbabilityLike = float | Fraction | Decimal | str | int
Int64Array = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_INT64_MAX = int(np.iinfo(np.int64).max)
MONTE_CARLO_CHUNK = 4096
"""Runs drawn and apportioned at once: a few MB, whatever the number of runs."""


@dataclass(frozen=True)
class EngineOptions:
    """How scenarios are computed, not what: runs drawn and apportioned at once
    (``chunk_size``), threads in the engine (``workers``), and a progress bar on stderr
    (``progress``: by default only when stderr is a terminal). None changes a result."""

    chunk_size: int = MONTE_CARLO_CHUNK
    workers: int = 1
    progress: bool | None = None


@dataclass(frozen=True)
class _Setting:
    """The states that may pay (the engine's columns, in the order given), their basis, the total
    and the rule set."""

    codes: list[str]
    units: Int64Array
    names: dict[str, str]
    rates_summary: str
    scale: Scale
    total_minor: int
    step: int
    """Minor units per rounding unit: the engine shares ``total_minor // step`` units."""
    currency: str
    rules: RuleSet
    pro_rata: bool
    """Whether every scenario is plain pro rata on integer rates (:func:`apportion_many`)."""
    columns: ColumnRules | None
    """The rule set as the bounded engine reads it (None: a shape it does not run)."""

    @property
    def units_total(self) -> int:
        return self.total_minor // self.step

    def display(self, minor: int) -> Decimal:
        return from_minor_units(minor, self.currency)

    def provenance(self, analysis: str, context: Mapping[str, str] | None = None) -> dict[str, str]:
        """The scenarios' provenance: ``context`` (the meeting, when there is one) first."""
        unit = "whole unit" if self.step > 1 else "minor unit"
        return provenance(
            context or {},
            {
                "analysis": analysis,
                "total": f"{self.display(self.total_minor)} {self.currency}",
            },
            scale_items(self.scale.period, self.scale.resolution),
            {
                "non-member rates": self.rates_summary,
                "rules": "; ".join(self.rules.describe()),
                "amounts": f"by largest remainder to one {unit} of {self.currency}, per scenario",
            },
        )

    def amounts(
        self, present: NDArray[np.bool_], workers: int = 1, first_row: int = 0
    ) -> Int64Array:
        """Each scenario's amounts in minor units (rows: scenarios; columns: ``codes``):
        plain pro rata by :func:`apportion_many`, other rule sets by the bounded engine, and
        the rows it leaves (or every row of a rule set it does not run) by :func:`apportion`.
        ``first_row`` is the number of the first row, for error messages."""
        if self.pro_rata:
            try:
                amounts = apportion_many(
                    self.units_total, present, rates=self.units, keys=self.codes, workers=workers
                )
            except CcmCostsError as error:
                if first_row:
                    error.add_note(f"rows counted from scenario {first_row}")
                raise
            return amounts * self.step
        if self.columns is None:
            out, done = np.zeros(present.shape, dtype=np.int64), np.zeros(len(present), bool)
        else:
            out, done = bounded_many(self.units_total, present, self.columns, workers=workers)
            out *= self.step
        for i in np.flatnonzero(~done):
            out[i] = self._interpreted(present[i], first_row + int(i))
        return out

    def _interpreted(self, row: NDArray[np.bool_], index: int) -> list[int]:
        """One scenario by the interpreter (its errors name the scenario)."""
        payers = [c for c, here in zip(self.codes, row, strict=True) if here]
        try:
            result = apportion(
                self.display(self.total_minor),
                payers,
                scale=self.scale,
                rules=self.rules,
                currency=self.currency,
            )
        except CcmCostsError as error:
            error.add_note(f"in scenario {index} (row {index} of the scenarios)")
            raise
        return [result.table.amounts.get(c, 0) for c in self.codes]


def _setting(
    total: AmountLike,
    codes: list[str],
    *,
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None,
    currency: str,
) -> _Setting:
    """The basis of ``codes`` as ``apportion`` finds it, and the total in rounding units."""
    scale_obj = scale if isinstance(scale, Scale) else load_scale(scale)
    rule_set = resolve(rules)
    total_minor = to_minor_units(total, currency, unit=rule_set.amounts.unit)
    basis = basis_rates(codes, scale_obj, rule_set)
    ordered = list(codes)  # the caller's order: ties go by key (ISO3), whatever the order
    exponent = currency_exponent(currency)
    pro_rata = (
        rule_set.is_pro_rata
        and rule_set.amounts.basis is AmountBasis.EXACT_SHARES
        and all(b.fixed is None for b in basis.values())
    )
    return _Setting(
        codes=ordered,
        units=np.array([basis[c].units or 0 for c in ordered], dtype=np.int64),
        names={c: scale_obj.names.get(c) or state_name(c, rule_set.organisations) for c in ordered},
        rates_summary=rates_summary(basis, rule_set, scale_obj),
        scale=scale_obj,
        total_minor=total_minor,
        step=10**exponent if rule_set.amounts.unit is RoundingUnit.MAJOR else 1,
        currency=currency.strip().upper(),
        rules=rule_set,
        pro_rata=pro_rata,
        columns=None if pro_rata else column_rules(ordered, scale_obj, rule_set),
    )


def _state_codes(states: Iterable[str], argument: str, *, allow_empty: bool = False) -> list[str]:
    """ISO3 codes of distinct states; organisations the CCM never charges are refused."""
    return resolve_distinct(
        states,
        argument=argument,
        refuse=get_convention().check_chargeable,
        allow_empty=allow_empty,
    )


def _by_name(setting: _Setting) -> list[int]:
    """Column indexes in the order of the state names (as in an assessment's table)."""
    return sorted(
        range(len(setting.codes)),
        key=lambda j: state_order(setting.names[setting.codes[j]], setting.codes[j]),
    )


# ---------------------------------------------------------------------------- many at once


def apportion_scenarios(
    total: AmountLike,
    states: Iterable[str],
    present: Any,
    *,
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    currency: str = "USD",
    engine: EngineOptions | None = None,
) -> Int64Array:
    """Many what-if apportionments at once: row ``i`` is what :func:`apportion` gives when
    the states present in row ``i`` share ``total``, to the minor unit.

    Args:
        total: the cost in currency units, as for :func:`apportion` (``"550000.00"``).
        states: names or ISO3 codes, each once: the columns of ``present``.
        present: an S x len(states) bool matrix (numpy, or nested lists, columns in the
            order of ``states``; or a pandas DataFrame whose columns are labelled by state,
            matched by label): who pays in each scenario. Every scenario needs someone
            present; a masked array is refused (its mask would be ignored).
        scale, rules, currency: as for :func:`apportion`.
        engine: threads (``workers``) and rows per chunk; they never change a result.

    Returns an S x len(states) int64 array of amounts in minor units (cents for USD), the
    columns in the order of ``states``, 0 where a state is absent. Under plain pro rata the
    rows go through :func:`apportion_many`; under any other rule set through the bounded
    engine, whose every row is verified exactly (the rare rows it cannot settle, and rule sets
    with more than one bounds step or a step after it, are computed by :func:`apportion`). A
    scenario with no state present is an error naming it, under every rule set; one that
    :func:`apportion` would refuse (bounds that cannot be met) raises its error, with a note
    naming the row.
    """
    options = engine or EngineOptions()
    _positive_int(options.chunk_size, "chunk_size")
    _positive_int(options.workers, "workers")
    rule_set = resolve(rules)
    codes = resolve_distinct(states, organisations=rule_set.organisations)
    matrix = _presence(present, codes, rule_set.organisations)
    setting = _setting(total, codes, scale=scale, rules=rule_set, currency=currency)
    result = np.empty(matrix.shape, dtype=np.int64)  # the setting's columns are ``codes``
    for start in range(0, len(matrix), options.chunk_size):
        block = matrix[start : start + options.chunk_size]
        result[start : start + len(block)] = setting.amounts(
            block, options.workers, first_row=start
        )
    return result


def _presence(present: Any, codes: list[str], organisations: Mapping[str, str]) -> BoolArray:
    """``present`` as a checked S x len(codes) bool matrix, columns in the order of ``codes``.

    A DataFrame's columns are matched to the states by label (and reordered), never by
    position; a masked array is refused (its mask would be ignored); every scenario must
    have someone present, as :func:`apportion` needs a payer."""
    if isinstance(present, np.ma.MaskedArray):
        raise InvalidInputError(
            "present is a masked array, whose mask would be ignored: fill it first, e.g. "
            "present.filled(False) (a masked state does not pay)"
        )
    labels = getattr(present, "columns", None)
    if labels is not None and hasattr(present, "to_numpy"):
        present = _by_label(present, [str(c) for c in labels], codes, organisations)
    try:
        matrix = np.asarray(present)
    except ValueError as err:  # rows of different lengths ("inhomogeneous shape")
        raise InvalidInputError(
            f"present cannot be a matrix: {err}; give every scenario {len(codes)} entries, one "
            "per state given"
        ) from None
    if matrix.ndim != 2 or matrix.shape[1] != len(codes):
        raise InvalidInputError(
            f"present must be a bool matrix with one row per scenario and {len(codes)} "
            f"columns, one per state given; got shape {matrix.shape}"
        )
    if matrix.dtype.kind != "b":
        hint = " (0/1 values: present.astype(bool))" if matrix.dtype.kind in "iuf" else ""
        raise InvalidInputError(
            f"present must be a bool matrix (True where a state pays), not {matrix.dtype}{hint}"
        )
    nobody = np.flatnonzero(~matrix.any(axis=1))
    if len(nobody):
        rows = ", ".join(str(int(i)) for i in nobody[:5]) + (", ..." if len(nobody) > 5 else "")
        which = (
            f"scenario {rows} has" if len(nobody) == 1 else f"{len(nobody)} scenarios ({rows}) have"
        )
        raise InvalidInputError(
            f"{which} no state present (rows counted from 0): a scenario needs at least one "
            "payer; drop the row or mark a state present"
        )
    return matrix


def _by_label(
    frame: Any, labels: list[str], codes: list[str], organisations: Mapping[str, str]
) -> NDArray[Any]:
    """A DataFrame's values with its columns (state names or codes) in the order of
    ``codes``; its labels must name exactly the states given."""
    resolved = resolve_distinct(labels, "the columns of present", organisations=organisations)
    missing = [c for c in codes if c not in resolved]
    extra = [label for label, c in zip(labels, resolved, strict=True) if c not in codes]
    if missing or extra:
        parts = [f"no column for {', '.join(missing)}"] if missing else []
        parts += [f"columns {', '.join(extra)} are not among the states given"] if extra else []
        raise InvalidInputError(
            f"present's columns must be the states given: {'; '.join(parts)}; label the "
            "columns by state, or pass a numpy array in the order of the states"
        )
    values: NDArray[Any] = frame.to_numpy()[:, [resolved.index(c) for c in codes]]
    return values


# ------------------------------------------------------------------------------ a meeting

PARTY_ROLE = "State Party"
"""The role of a party in the frames of the call forms without a meeting (as in assessments)."""
OBSERVER_ROLE = "observer"
"""The role of a State not party taking part, in the frames of the call forms without a
meeting (as in assessments)."""


def _total_given(first: AmountLike | None, total: AmountLike | None, caller: str) -> AmountLike:
    """The total of the call forms without a meeting: given first, or as ``total=``."""
    if first is not None and total is not None:
        raise InvalidInputError(
            f"the total is given twice ({first!r} and total={total!r}): give it once"
        )
    amount = first if first is not None else total
    if amount is None:
        raise InvalidInputError(
            f"give the total to share, e.g. {caller}('500000.00', ...) or "
            f"{caller}(total='500000.00', ...), or a Meeting: {caller}(meeting, ...)"
        )
    return amount


def _scale_given(scale: Scale | PeriodLike | None, caller: str) -> Scale | PeriodLike:
    if scale is None:
        raise InvalidInputError(
            f"give the UN scale, e.g. {caller}(..., scale='2022-2024') (a period, year or date), "
            f"or a Meeting, whose date gives it: {caller}(meeting, ...)"
        )
    return scale


def _no_currency(currency: str | None, meeting: Meeting, caller: str) -> None:
    if currency is not None:
        raise InvalidInputError(
            f"{caller}(meeting, ...) shares the cost in the meeting's currency "
            f"({meeting.currency}): to change it, give meeting.replace(currency={currency!r})"
        )


def _meeting_assessments(
    meeting: Meeting,
    extra: Iterable[str],
    *,
    total: AmountLike | None,
    scale: Scale | PeriodLike | None,
    rules: RuleSet | str | None,
    caller: str,
) -> tuple[Assessment, Assessment, Scale, RuleSet]:
    """The meeting's assessment as given and with the states ``extra`` (ISO3) taking part too
    (States not party as observers; parties, for a cost only participating parties bear, as
    participants), the scale and the rule set both were computed on."""
    if total is None and meeting.total is None:
        raise InvalidInputError(
            f"meeting {meeting.name!r} has no total (no cost is recorded for it): give one, e.g. "
            f"{caller}(meeting, total='500000.00', ...), or set 'total' in the meeting"
        )
    convention = get_convention(meeting.convention)
    cost = convention.cost_type(meeting.cost_type)
    bound = convention.parties_on(meeting.membership_day)
    base = assess(meeting, total=total, scale=scale, rules=rules)
    paying = set(base.table.codes)
    joining = [c for c in extra if c not in paying]
    others = [c for c in joining if c not in bound]
    parties = [c for c in joining if c in bound]
    if others and not cost.charges_non_parties:
        raise InvalidInputError(
            f"{', '.join(others)} would not pay: the {cost.id!r} cost of {meeting.name!r} "
            f"({cost.article}) is borne by {cost.borne_by}; States not party are not charged"
        )
    if parties and Payers.PARTICIPATING_PARTIES not in cost.payers:  # pragma: no cover
        raise InvalidInputError(  # every party bound pays such a cost: it is among the payers
            f"{', '.join(parties)} cannot join the payers of {meeting.name!r}"
        )
    wider = base
    if joining:
        extended = meeting.replace(
            observers=[*meeting.observers, *others],
            participants=[*meeting.participants, *parties],
        )
        wider = assess(extended, total=total, scale=scale, rules=rules)
    scale_obj = (
        scale
        if isinstance(scale, Scale)
        else load_scale(meeting.scale_basis if scale is None else scale)
    )
    rule_set = meeting.rule_set if rules is None else resolve(rules)
    return base, wider, scale_obj, rule_set


def _meeting_context(assessment: Assessment) -> dict[str, str]:
    """What the meeting's assessment says it assessed, first in a scenario's provenance
    (the non-member rates are the scenarios' own, over every possible payer)."""
    return {k: v for k, v in assessment.context.items() if k != "non-member rates"}


@dataclass(frozen=True)
class _Attendance:
    """Who may pay in a Monte Carlo: the setting over every possible payer, those attending
    every run, the probabilities of the others, each state's role, and the meeting's
    provenance (empty without a meeting)."""

    setting: _Setting
    always: list[str]
    probabilities: dict[str, Fraction]
    roles: dict[str, str]
    context: dict[str, str]


def _meeting_attendance(
    meeting: Meeting,
    observers: Mapping[str, ProbabilityLike],
    *,
    total: AmountLike | None,
    scale: Scale | PeriodLike | None,
    rules: RuleSet | str | None,
) -> _Attendance:
    """A meeting's payers, attending every run unless ``observers`` gives a probability."""
    convention = get_convention(meeting.convention)
    codes = resolve_distinct(
        observers, argument="observers", refuse=convention.check_chargeable, allow_empty=True
    )
    probabilities = {
        code: _probability(value, f"the probability of {name!r}")
        for code, (name, value) in zip(codes, observers.items(), strict=True)
    }
    cost = convention.cost_type(meeting.cost_type)
    if Payers.PARTIES in cost.payers:
        day = meeting.membership_day
        always = [c for c in codes if c in convention.parties_on(day)]
        if always:
            listed = ", ".join(f"{state_name(c)} ({c})" for c in always)
            raise InvalidInputError(
                f"{listed}: {convention.party_plural} of the {convention.short_name} on {day}, "
                "paying in every run; give probabilities only for States not party (observers)"
            )
    base, wider, scale_obj, rule_set = _meeting_assessments(
        meeting, codes, total=total, scale=scale, rules=rules, caller="monte_carlo"
    )
    setting = _setting(
        wider.total,
        list(wider.table.codes),
        scale=scale_obj,
        rules=rule_set,
        currency=meeting.currency,
    )
    return _Attendance(
        setting,
        [c for c in wider.table.codes if c not in probabilities],
        probabilities,
        dict(wider.table.roles),
        _meeting_context(base),
    )


# ------------------------------------------------------------------------------ Monte Carlo


@overload
def monte_carlo(
    meeting: Meeting,
    /,
    *,
    observers: Mapping[str, ProbabilityLike] | None = None,
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
    rules: RuleSet | str | None = None,
    runs: int = 10_000,
    seed: int = 0,
    quantiles: Sequence[ProbabilityLike] = (0.05, 0.5, 0.95),
    engine: EngineOptions | None = None,
) -> pd.DataFrame: ...


@overload
def monte_carlo(
    total: AmountLike,
    /,
    parties: Iterable[str],
    observers: Mapping[str, ProbabilityLike],
    *,
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    runs: int = 10_000,
    seed: int = 0,
    quantiles: Sequence[ProbabilityLike] = (0.05, 0.5, 0.95),
    currency: str | None = None,
    engine: EngineOptions | None = None,
) -> pd.DataFrame: ...


@overload
def monte_carlo(
    *,
    total: AmountLike,
    parties: Iterable[str],
    observers: Mapping[str, ProbabilityLike],
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    runs: int = 10_000,
    seed: int = 0,
    quantiles: Sequence[ProbabilityLike] = (0.05, 0.5, 0.95),
    currency: str | None = None,
    engine: EngineOptions | None = None,
) -> pd.DataFrame: ...


def monte_carlo(
    meeting_or_total: Meeting | AmountLike | None = None,
    /,
    parties: Iterable[str] | None = None,
    observers: Mapping[str, ProbabilityLike] | None = None,
    *,
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
    rules: RuleSet | str | None = None,
    runs: int = 10_000,
    seed: int = 0,
    quantiles: Sequence[ProbabilityLike] = (0.05, 0.5, 0.95),
    currency: str | None = None,
    engine: EngineOptions | None = None,
) -> pd.DataFrame:
    """The distribution of each state's amount when observers attend at random.

    Two call forms:

    - ``monte_carlo(meeting, observers={"Kenya": "0.3"}, runs=..., seed=...)``: the total,
      scale, rules, currency and payers come from the meeting (what :func:`assess` gives for
      it; ``total``, ``scale`` and ``rules`` replace the meeting's own, as in ``assess``).
      Every state that bears the meeting's cost attends every run, except those given a
      probability: the meeting's own observers, other States not party (which take part as
      observers, where the meeting's cost type charges them) and, for a cost only the
      participating parties bear, parties that may participate. The roles are those of the
      meeting's assessment.
    - ``monte_carlo(total, parties, observers, scale=...)``: the ``parties`` (role "State
      Party") always attend and pay with the observers (role "observer") that attend, on
      ``scale`` under ``rules`` in ``currency`` (default USD).

    Each observer attends in each run with its own probability (``observers`` maps a name or
    ISO3 code to a probability in [0, 1], e.g. ``"0.3"``, ``"1/3"``, ``0.3``), independently,
    drawn with ``numpy.random.default_rng(seed)``: the same seed gives the same result,
    whatever ``engine``. Each run is an exact apportionment of the total over the states
    attending; an absent observer pays 0 that run.

    Returns one row per state (index ``iso3``, in the order of the names) with ``state``,
    ``role`` (as in an assessment: "State Party" or "observer"), ``probability``,
    ``attended_runs``, ``attended_share`` (a float: a share of runs, not money), and the
    amount over all runs in currency units as ``Decimal``: ``min``, one column per quantile
    (``q5``, ``q50``, ``q95``; the smallest amount with at least that share of runs at or
    below it, so always an amount that occurs) and ``max``, all exact; ``mean`` (rounded
    half-even to two decimals more than the currency has) with ``mean_exact`` (a
    ``Fraction``) and ``mean_if_attending``. ``attrs["provenance"]`` holds the meeting (when
    given), the runs, seed, probabilities, scale and rules.

    ``rules`` is the rule set of every run (default: the meeting's, else ``"un-pro-rata"``).
    The runs are drawn and apportioned ``engine.chunk_size`` at a time, so memory does not
    grow with ``runs``: under plain pro rata by :func:`apportion_many`, tallied per sum of
    attending rates; under any other rule set by the bounded engine (see
    :func:`apportion_scenarios`), each distinct attendance of a chunk once, tallied per state
    and amount. ``engine`` (:class:`EngineOptions`) also sets the engine's threads and the
    progress bar; it never changes a result.
    """
    runs = _positive_int(runs, "runs")
    if engine is not None and not isinstance(engine, EngineOptions):
        raise InvalidInputError(
            f"engine must be an EngineOptions, e.g. cc.EngineOptions(workers=2), not {engine!r}"
        )
    options = engine or EngineOptions()
    _positive_int(options.chunk_size, "chunk_size")
    _positive_int(options.workers, "workers")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInputError(f"seed must be an int of 0 or more, not {seed!r}")
    if observers is not None and not isinstance(observers, Mapping):
        raise InvalidInputError(
            "observers must map each observer to its probability of attending, e.g. "
            "{'Kenya': '0.5', 'Angola': 0.25}"
        )
    levels = _quantile_levels(quantiles)
    if isinstance(meeting_or_total, Meeting):
        if parties is not None:
            raise InvalidInputError(
                "monte_carlo(meeting, ...) takes the States Parties from the meeting: give "
                "only the observers' probabilities, by keyword: monte_carlo(meeting, "
                "observers={'Kenya': '0.3'})"
            )
        _no_currency(currency, meeting_or_total, "monte_carlo")
        found = _meeting_attendance(
            meeting_or_total, observers or {}, total=total, scale=scale, rules=rules
        )
    else:
        amount = _total_given(meeting_or_total, total, "monte_carlo")
        if parties is None:
            raise InvalidInputError(
                "give the States Parties that always attend (parties=[...]) and the observers' "
                "probabilities, or a Meeting: monte_carlo(meeting, observers={'Kenya': '0.3'})"
            )
        party_codes = _state_codes(parties, "parties")
        chances = observers or {}
        observer_codes = _state_codes(chances, "observers", allow_empty=True)
        probabilities = {
            code: _probability(value, f"the probability of {name!r}")
            for code, (name, value) in zip(observer_codes, chances.items(), strict=True)
        }
        resolve_distinct([*party_codes, *observer_codes])  # a state listed twice is an error
        setting = _setting(
            amount,
            party_codes + observer_codes,
            scale=_scale_given(scale, "monte_carlo"),
            rules=rules,
            currency=currency or "USD",
        )
        roles = {
            **dict.fromkeys(party_codes, PARTY_ROLE),
            **dict.fromkeys(observer_codes, OBSERVER_ROLE),
        }
        found = _Attendance(setting, party_codes, probabilities, roles, {})
    setting = found.setting
    if abs(setting.total_minor) * runs > _INT64_MAX:
        raise InvalidInputError(
            f"{runs} runs of a total of {abs(setting.total_minor)} minor units exceed the exact "
            "int64 tally; use fewer runs"
        )
    draws = _Draws(
        setting, found.always, found.probabilities, runs=runs, seed=seed, options=options
    )
    outcome = _Tally.of(draws) if setting.pro_rata else _ValueTally.of(draws)
    return _monte_carlo_frame(found, outcome, levels, seed)


def _positive_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidInputError(f"{what} must be a positive int, not {value!r}")
    return value


def _probability(value: ProbabilityLike, what: str) -> Fraction:
    """A probability (or quantile) in [0, 1], exactly as written ("0.3", "1/3", 0.3)."""
    if isinstance(value, str):
        try:
            exact = Fraction(value.strip())
        except (ValueError, ZeroDivisionError):
            raise InvalidInputError(
                f"{what} {value!r} is not a number from 0 to 1: write it like '0.3' or '1/3'"
            ) from None
    else:
        exact = exact_value(value, what)
    if not 0 <= exact <= 1:
        raise InvalidInputError(f"{what} is {value!r}: give a number from 0 to 1")
    return exact


class _Draws:
    """The runs, drawn chunk by chunk from one seeded generator: the observers' attendance."""

    def __init__(
        self,
        setting: _Setting,
        parties: list[str],
        probabilities: Mapping[str, Fraction],
        *,
        runs: int,
        seed: int,
        options: EngineOptions,
    ) -> None:
        self.setting = setting
        columns = {c: j for j, c in enumerate(setting.codes)}
        self.observer_columns = np.array([columns[c] for c in probabilities], dtype=np.int64)
        self.party_columns = np.array([columns[c] for c in parties], dtype=np.int64)
        self.chances = np.array([float(p) for p in probabilities.values()])
        self.runs, self.seed, self.options = runs, seed, options

    def chunks(self) -> Iterator[NDArray[np.bool_]]:
        """The attendance of every run, ``chunk_size`` runs at a time."""
        rng = np.random.default_rng(self.seed)
        size, runs = self.options.chunk_size, self.runs
        show = sys.stderr.isatty() if self.options.progress is None else self.options.progress
        with tqdm(total=runs, unit="run", disable=not show, file=sys.stderr) as bar:
            for start in range(0, runs, size):
                count = min(size, runs - start)
                yield rng.random((count, len(self.chances))) < self.chances
                bar.update(count)

    def present(self, attend: NDArray[np.bool_]) -> NDArray[np.bool_]:
        """Who is present in each run: the parties always, the observers as drawn."""
        present = np.zeros((len(attend), len(self.setting.codes)), dtype=bool)
        present[:, self.party_columns] = True
        present[:, self.observer_columns] = attend
        return present


@dataclass(frozen=True)
class _Outcome:
    """What the statistics need: the runs, each state's exact distribution of amounts (in
    rounding units) and how many runs it attended."""

    runs: int
    distributions: list[_Distribution]
    attended: Int64Array


@dataclass
class _Tally:
    """Runs tallied per sum of attending rates W (index ``W - W_min``): how many runs, the
    amounts summed per state, and the runs each observer attended. Its size depends on the
    observers' rates, not on the number of runs (pro rata only: a state's amount in a run is
    the floor or the ceiling of ``total * rate / W``)."""

    runs: Int64Array
    amounts: Int64Array
    attended: Int64Array
    smallest_sum: int
    observer_columns: Int64Array

    @classmethod
    def of(cls, draws: _Draws) -> _Outcome:
        """Apportion the draws with the vectorised engine, tally them, and read the outcome."""
        setting = draws.setting
        observer_units = setting.units[draws.observer_columns]
        width = int(observer_units.sum()) + 1
        tally = cls(
            runs=np.zeros(width, dtype=np.int64),
            amounts=np.zeros((width, len(setting.codes)), dtype=np.int64),
            attended=np.zeros((width, len(draws.observer_columns)), dtype=np.int64),
            smallest_sum=int(setting.units[draws.party_columns].sum()),
            observer_columns=draws.observer_columns,
        )
        for attend in draws.chunks():
            amounts = apportion_many(
                setting.units_total,
                draws.present(attend),
                rates=setting.units,
                keys=setting.codes,
                workers=draws.options.workers,
            )
            tally.add(attend @ observer_units, amounts, attend)
        observed = np.flatnonzero(tally.runs)
        return _Outcome(
            int(tally.runs.sum()),
            _distributions(setting, tally),
            tally.presence(observed).sum(axis=0),
        )

    def add(self, sums: Int64Array, amounts: Int64Array, attend: NDArray[np.bool_]) -> None:
        """Add a chunk of runs: ``sums`` are their ``W - W_min``, ``attend`` the observers'
        attendance."""
        order = np.argsort(sums, kind="stable")
        ordered = sums[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        groups = ordered[starts]
        self.runs[groups] += np.diff(np.r_[starts, len(ordered)])
        self.amounts[groups] += np.add.reduceat(amounts[order], starts, axis=0)
        self.attended[groups] += np.add.reduceat(attend[order].astype(np.int64), starts, axis=0)

    def presence(self, groups: Int64Array) -> Int64Array:
        """How many runs of each group each state attended (groups x states)."""
        present = np.repeat(self.runs[groups][:, None], self.amounts.shape[1], axis=1)
        present[:, self.observer_columns] = self.attended[groups]
        return present


class _ValueTally:
    """Runs tallied per state and amount, for any rule set: the distinct attendances of each
    chunk are apportioned once (by the bounded engine where it runs, else the interpreter)
    and each state's amounts are counted with their runs. Memory grows with the number of
    distinct amounts, not with the number of runs."""

    @staticmethod
    def of(draws: _Draws) -> _Outcome:
        setting = draws.setting
        width = len(setting.codes)
        attended = np.zeros(width, dtype=np.int64)
        runs = 0
        tallies: list[_Counts] = []
        for attend in draws.chunks():
            rows, times = np.unique(attend, axis=0, return_counts=True)
            present = draws.present(rows)
            amounts = setting.amounts(present, draws.options.workers) // setting.step
            attended += times.astype(np.int64) @ present
            runs += int(times.sum())
            tallies.append(_Counts.of(amounts, times))
            if sum(len(t.values) for t in tallies) > _COMPACT_AT:
                tallies = [_Counts.merged(tallies)]
        counts = _Counts.merged(tallies)
        starts = np.searchsorted(counts.columns, np.arange(width + 1))
        distributions = [
            _Distribution(counts.values[a:b], counts.counts[a:b])
            for a, b in itertools.pairwise(starts)
        ]
        return _Outcome(runs, distributions, attended)


_COMPACT_AT = 1 << 20
"""Tallied (state, amount) entries kept before they are merged."""


@dataclass(frozen=True)
class _Counts:
    """How many runs gave each (state column, amount): sorted by column, then amount."""

    columns: Int64Array
    values: Int64Array
    counts: Int64Array

    @classmethod
    def of(cls, amounts: Int64Array, times: NDArray[np.integer[Any]]) -> _Counts:
        """The tally of a block of scenarios (rows) each run ``times`` times."""
        order = np.argsort(amounts, axis=0, kind="stable")
        values = np.take_along_axis(amounts, order, axis=0).T.ravel()
        runs = times.astype(np.int64)[order].T.ravel()
        columns = np.repeat(np.arange(amounts.shape[1]), amounts.shape[0])
        return cls._runs(columns, values, runs)

    @classmethod
    def merged(cls, tallies: list[_Counts]) -> _Counts:
        columns = np.concatenate([t.columns for t in tallies])
        values = np.concatenate([t.values for t in tallies])
        counts = np.concatenate([t.counts for t in tallies])
        order = np.lexsort((values, columns))
        return cls._runs(columns[order], values[order], counts[order])

    @classmethod
    def _runs(cls, columns: Int64Array, values: Int64Array, counts: Int64Array) -> _Counts:
        """Sorted entries with equal (column, value) summed."""
        if not len(values):
            return cls(columns, values, counts)
        change = (columns[1:] != columns[:-1]) | (values[1:] != values[:-1])
        starts = np.flatnonzero(np.r_[True, change])
        return cls(columns[starts], values[starts], np.add.reduceat(counts, starts))


@dataclass(frozen=True)
class _Distribution:
    """One state's amounts over the runs: distinct values (rounding units), sorted, with the
    number of runs of each."""

    values: NDArray[Any]
    counts: Int64Array

    def quantile(self, level: Fraction, runs: int) -> int:
        """The smallest value with at least ``level`` of the runs at or below it."""
        rank = max(1, math.ceil(level * runs))
        return int(self.values[np.searchsorted(np.cumsum(self.counts), rank)])

    def smallest(self) -> int:
        return int(self.values[0])

    def largest(self) -> int:
        return int(self.values[-1])

    def total(self) -> int:
        """The sum over all runs (exact: bounded by ``|total| * runs``, checked to fit)."""
        return int(np.dot(self.values, self.counts))


def _distributions(setting: _Setting, tally: _Tally) -> list[_Distribution]:
    """Each state's exact distribution from the tally: at each W, the states attending have
    the floor of ``total * rate / W`` or one more; the tallied sum says how many had more."""
    observed = np.flatnonzero(tally.runs)
    sums = tally.smallest_sum + observed
    magnitude, sign = abs(setting.units_total), (-1 if setting.units_total < 0 else 1)
    if magnitude * int(setting.units.max()) <= _INT64_MAX:
        floors: NDArray[Any] = (magnitude * setting.units)[None, :] // sums[:, None]
    else:  # exact in Python ints
        floors = (setting.units.astype(object) * magnitude)[None, :] // sums[:, None]
    present = tally.presence(observed)
    more = sign * tally.amounts[observed] - present * floors
    runs = int(tally.runs.sum())
    result = []
    for j in range(len(setting.codes)):
        values = np.concatenate([floors[:, j], floors[:, j] + 1, [0]])
        absent = runs - present[:, j].sum()
        counts = np.concatenate([present[:, j] - more[:, j], more[:, j], [absent]])
        distinct, where = np.unique(sign * values[counts > 0], return_inverse=True)
        tallied = np.zeros(len(distinct), dtype=np.int64)
        np.add.at(tallied, where, counts[counts > 0].astype(np.int64))
        result.append(_Distribution(distinct, tallied))
    return result


def _monte_carlo_frame(
    found: _Attendance,
    outcome: _Outcome,
    levels: list[Fraction],
    seed: int,
) -> pd.DataFrame:
    setting, probabilities = found.setting, found.probabilities
    runs = outcome.runs
    distributions = outcome.distributions
    attended_runs = outcome.attended
    exponent = currency_exponent(setting.currency)
    places = Decimal(1).scaleb(-(exponent + 2))
    step = setting.step

    def mean(total_units: int, count: int) -> tuple[Decimal, Fraction]:
        exact = Fraction(total_units * step, count) / 10**exponent
        rounded = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            places, rounding=ROUND_HALF_EVEN
        )
        return rounded, exact

    rows = []
    for j in _by_name(setting):
        code, dist = setting.codes[j], distributions[j]
        attended = int(attended_runs[j])
        average, exact = mean(dist.total(), runs)
        row: dict[str, object] = {
            "iso3": code,
            "state": setting.names[code],
            "role": found.roles.get(code),
            "probability": probabilities.get(code, Fraction(1)),
            "attended_runs": attended,
            "attended_share": attended / runs,
            "mean": average,
            "mean_exact": exact,
            "mean_if_attending": mean(dist.total(), attended)[0] if attended else None,
            "min": setting.display(dist.smallest() * step),
        }
        for level in levels:
            row[_quantile_label(level)] = setting.display(dist.quantile(level, runs) * step)
        row["max"] = setting.display(dist.largest() * step)
        rows.append(row)
    frame = _frame(rows)
    frame.attrs["provenance"] = {
        **setting.provenance("Monte Carlo over the attendance of observers", context=found.context),
        "runs": str(runs),
        "seed": f"{seed} (numpy.random.default_rng, numpy {np.__version__})",
        "probabilities": "; ".join(f"{c} {p}" for c, p in probabilities.items()) or "none",
        "statistics": (
            "exact, over all runs (an absent observer pays 0 in that run); quantile q: the "
            "smallest amount with at least q of the runs at or below it"
        ),
    }
    return frame


def _quantile_levels(quantiles: Iterable[ProbabilityLike]) -> list[Fraction]:
    """The quantiles, exact; two that would title one column are an error (not one dropped)."""
    if isinstance(quantiles, str | bytes) or not isinstance(quantiles, Iterable):
        raise InvalidInputError(
            f"quantiles must be a list of numbers from 0 to 1, e.g. (0.05, 0.5, 0.95), not "
            f"{quantiles!r}"
        )
    given_levels = list(quantiles)
    levels = [_probability(q, "a quantile") for q in given_levels]
    seen: dict[str, ProbabilityLike] = {}
    for given, level in zip(given_levels, levels, strict=True):
        label = _quantile_label(level)
        if label in seen:
            raise InvalidInputError(
                f"quantiles {seen[label]!r} and {given!r} would both be the column {label!r}: "
                "give each quantile once, differing in the first six digits of the percent"
            )
        seen[label] = given
    return levels


def _quantile_label(level: Fraction) -> str:
    percent = level * 100
    return f"q{percent.numerator}" if percent.denominator == 1 else f"q{float(percent):g}"


# ------------------------------------------------------------------------------ sensitivity


@overload
def sensitivity(
    meeting: Meeting,
    /,
    *,
    candidates: Iterable[str],
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
    rules: RuleSet | str | None = None,
) -> pd.DataFrame: ...


@overload
def sensitivity(
    total: AmountLike,
    /,
    payers: Iterable[str],
    candidates: Iterable[str],
    *,
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    currency: str | None = None,
) -> pd.DataFrame: ...


@overload
def sensitivity(
    *,
    total: AmountLike,
    payers: Iterable[str],
    candidates: Iterable[str],
    scale: Scale | PeriodLike,
    rules: RuleSet | str | None = None,
    currency: str | None = None,
) -> pd.DataFrame: ...


def sensitivity(
    meeting_or_total: Meeting | AmountLike | None = None,
    /,
    payers: Iterable[str] | None = None,
    candidates: Iterable[str] | None = None,
    *,
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
    rules: RuleSet | str | None = None,
    currency: str | None = None,
) -> pd.DataFrame:
    """What each state's amount becomes when one candidate joins or leaves, one at a time.

    Two call forms:

    - ``sensitivity(meeting, candidates=["Kenya", "Germany"])``: the payers, total, scale,
      rules and currency come from the meeting (what :func:`assess` gives for it; ``total``,
      ``scale`` and ``rules`` replace the meeting's own, as in ``assess``); a candidate that
      does not pay joins as its convention says (a State not party as an observer, where the
      meeting's cost type charges observers), and the roles are those of the assessment.
    - ``sensitivity(total, payers, candidates, scale=...)``: the ``payers`` (role "State
      Party") share ``total`` on ``scale`` under ``rules`` in ``currency`` (default USD); a
      candidate joins as an "observer".

    A candidate not among the payers joins them; one among them leaves. Returns one row per
    state (payers and joining candidates, index ``iso3``, in the order of the names) with
    ``state``, ``role`` (as in an assessment: "State Party" or "observer"), ``candidate``
    ("joins", "leaves", or "" for a state that is not a candidate), ``base`` (the amount with
    the payers as given, ``Decimal`` currency units) and one column per candidate, named
    ``+ISO3`` (joins) or ``-ISO3`` (leaves), holding the change of each amount (``Decimal``);
    each such column sums to 0, as the total is fixed. ``attrs["provenance"]`` holds the
    meeting (when given), the scale and rules.
    """
    if isinstance(meeting_or_total, Meeting):
        meeting = meeting_or_total
        if payers is not None:
            raise InvalidInputError(
                "sensitivity(meeting, ...) takes the payers from the meeting: give the "
                "candidates by keyword: sensitivity(meeting, candidates=['Kenya'])"
            )
        _no_currency(currency, meeting, "sensitivity")
        convention = get_convention(meeting.convention)
        changed = _candidates(candidates, convention.check_chargeable)
        assessed, wider, scale_obj, rule_set = _meeting_assessments(
            meeting, changed, total=total, scale=scale, rules=rules, caller="sensitivity"
        )
        base = list(assessed.table.codes)
        setting = _setting(
            wider.total,
            list(wider.table.codes),
            scale=scale_obj,
            rules=rule_set,
            currency=meeting.currency,
        )
        roles = dict(wider.table.roles)
        context = _meeting_context(assessed)
    else:
        amount = _total_given(meeting_or_total, total, "sensitivity")
        if payers is None:
            raise InvalidInputError(
                "give the payers (payers=[...]) and the candidates, or a Meeting: "
                "sensitivity(meeting, candidates=['Kenya'])"
            )
        base = _state_codes(payers, "payers")
        changed = _candidates(candidates, get_convention().check_chargeable)
        everyone = base + [c for c in changed if c not in base]
        setting = _setting(
            amount,
            everyone,
            scale=_scale_given(scale, "sensitivity"),
            rules=rules,
            currency=currency or "USD",
        )
        roles = {c: PARTY_ROLE if c in base else OBSERVER_ROLE for c in everyone}
        context = {}
    return _sensitivity_frame(setting, base, changed, roles, context)


def _candidates(candidates: Iterable[str] | None, refuse: Callable[[object], str]) -> list[str]:
    changed = (
        []
        if candidates is None
        else resolve_distinct(candidates, argument="candidates", refuse=refuse, allow_empty=True)
    )
    if not changed:
        raise InvalidInputError(
            "no candidates given: name at least one state that joins or leaves, e.g. "
            "candidates=['Kenya']"
        )
    return changed


def _sensitivity_frame(
    setting: _Setting,
    base: list[str],
    changed: list[str],
    roles: Mapping[str, str],
    context: Mapping[str, str],
) -> pd.DataFrame:
    """Apportion the base and each candidate's change at once, and lay them out."""
    column = {c: j for j, c in enumerate(setting.codes)}
    present = np.zeros((1 + len(changed), len(setting.codes)), dtype=bool)
    present[:, [column[c] for c in base]] = True
    for i, code in enumerate(changed, start=1):
        present[i, column[code]] = code not in base
    lonely = [c for c, row in zip(changed, present[1:], strict=True) if not row.any()]
    if lonely:
        raise InvalidInputError(
            f"{lonely[0]} is the only payer, so it cannot leave: add payers or drop it from "
            "the candidates"
        )
    amounts = setting.amounts(present)
    paying = set(base)
    rows = []
    for j in _by_name(setting):
        code = setting.codes[j]
        row: dict[str, object] = {
            "iso3": code,
            "state": setting.names[code],
            "role": roles.get(code),
            "candidate": ("leaves" if code in paying else "joins") if code in changed else "",
            "base": setting.display(int(amounts[0, j])),
        }
        for i, candidate in enumerate(changed, start=1):
            label = ("-" if candidate in paying else "+") + candidate
            row[label] = setting.display(int(amounts[i, j] - amounts[0, j]))
        rows.append(row)
    frame = _frame(rows)
    frame.attrs["provenance"] = {
        **setting.provenance(
            "one-at-a-time sensitivity: each candidate joins or leaves", context=context
        ),
        "payers": f"{len(base)} states",
        "candidates": ", ".join(changed),
    }
    return frame


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(rows).set_index("iso3")
