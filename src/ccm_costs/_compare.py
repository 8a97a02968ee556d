"""Scenarios side by side: the amount of every state under each named assessment, exactly.

:func:`compare` takes assessments named by the caller (``{"base": a, "Kenya attends": b}``)
and returns one row per state with the amount under each and the difference of each from the
first. Every amount is an integer of minor units underneath, so each column sums to its
scenario's total and each difference column to the difference of the totals, exactly. (The
estimate and the final assessment of a meeting, for the ledger, are :func:`reconcile`'s.)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from ._assessment import Assessment
from ._core.money import from_minor_units
from ._core.provenance import provenance
from ._reference.states import state_order
from .errors import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd


def difference_label(name: str, first: str) -> str:
    """The column of the difference of scenario ``name`` from the first one."""
    return f"{name} - {first}"


def compare(named: Mapping[str, Assessment]) -> pd.DataFrame:
    """Assessments side by side: per state its amount under each named scenario and the
    difference of each from the first.

    ``named`` maps the caller's name of each scenario to its :class:`~ccm_costs.Assessment`,
    at least two, all in one currency; the first is the one the others are compared with.

    Returns one row per state assessed in any scenario (index ``iso3``, in the order of the
    names, as in an assessment's table) with ``state``, one column per scenario (its name;
    the amount, ``Decimal`` currency units, 0 where the state is not assessed in it) and one
    column per other scenario named ``"<name> - <first>"`` (the difference, ``Decimal``).
    Each scenario column sums to that scenario's total, each difference column to the
    difference of the totals. ``attrs`` holds ``currency``, ``scenarios`` (the names, in
    order), ``differences`` (difference column -> scenario), ``totals`` (scenario ->
    ``Decimal``) and ``provenance`` (each scenario's, its keys prefixed with its name).
    """
    import pandas as pd

    scenarios = _checked(named)
    names = list(scenarios)
    first = names[0]
    currency = scenarios[first].currency
    differences = {difference_label(n, first): n for n in names[1:]}
    titles = ["state", *names, *differences]
    clash = sorted({t for t in titles if titles.count(t) > 1})
    if clash:
        raise InvalidInputError(
            f"the scenario name(s) {clash} would title two columns of the comparison (the "
            f"state, a scenario, or a difference such as {next(iter(differences))!r}): "
            "rename the scenarios"
        )
    amounts = {n: a.table.amounts for n, a in scenarios.items()}
    state_names: dict[str, str] = {}
    for assessment in reversed(scenarios.values()):  # the first scenario's name wins
        state_names.update(assessment.table.names)
    codes = sorted(state_names, key=lambda c: state_order(state_names[c], c))
    minor = {n: [amounts[n].get(c, 0) for c in codes] for n in names}

    index = pd.Index(codes, name="iso3", dtype=object)

    def money(values: list[int]) -> pd.Series:
        # object dtype keeps the Decimals exact
        return pd.Series([from_minor_units(v, currency) for v in values], index, dtype=object)

    columns: dict[str, pd.Series] = {
        "state": pd.Series([state_names[c] for c in codes], index, dtype=object)
    }
    for n in names:
        columns[n] = money(minor[n])
    for label, n in differences.items():
        columns[label] = money([b - a for a, b in zip(minor[first], minor[n], strict=True)])
    frame = pd.DataFrame(columns, index=index)
    frame.attrs["currency"] = currency
    frame.attrs["scenarios"] = names
    frame.attrs["differences"] = differences
    frame.attrs["totals"] = {n: a.total for n, a in scenarios.items()}
    frame.attrs["provenance"] = provenance(
        {
            "analysis": (
                f"{len(names)} scenarios side by side ({', '.join(names)}); differences from "
                f"{first!r}; a state not assessed in a scenario shows 0 there"
            ),
            "currency": currency,
        },
        *({f"{n}: {k}": v for k, v in a.provenance().items()} for n, a in scenarios.items()),
        tie_rule=None,
    )
    return frame


def _checked(named: object) -> dict[str, Assessment]:
    """The scenarios, in order: a mapping of at least two names to assessments in one
    currency."""
    if not isinstance(named, Mapping):
        raise InvalidInputError(
            f"compare() takes a mapping of scenario names to assessments, e.g. "
            f"{{'base': a, 'Kenya attends': b}}, not {type(named).__name__}"
        )
    scenarios: dict[str, Assessment] = {}
    for name, value in named.items():
        if not isinstance(name, str) or not name.strip():
            raise InvalidInputError(
                f"scenario names are non-empty text (the column titles), not {name!r}"
            )
        if not isinstance(value, Assessment):
            raise InvalidInputError(
                f"scenario {name!r} is a {type(value).__name__}, not an Assessment: give what "
                "cc.assess() or cc.apportion() returns"
            )
        scenarios[name] = value
    if len(scenarios) < 2:
        raise InvalidInputError(
            f"compare() needs at least two scenarios to set side by side, got {len(scenarios)}: "
            "add one, e.g. {'base': a, 'Kenya attends': b}"
        )
    currencies = {a.currency for a in scenarios.values()}
    if len(currencies) > 1:
        found = ", ".join(f"{n!r} in {a.currency}" for n, a in scenarios.items())
        raise InvalidInputError(
            f"the scenarios are in different currencies ({found}): compare assessments in one "
            "currency"
        )
    return scenarios
