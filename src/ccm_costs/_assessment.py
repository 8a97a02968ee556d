"""The result of an apportionment: per state the rate, each adjustment step, share and amount.

An :class:`Assessment` carries everything needed to audit it: the UN rate used and why, the
shares after each adjustment step, the exact share, the published rate, the amount in minor
units, and the provenance (scale period and resolution, rules, rounding, tie rule, version).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from ._core.allocation import TIE_RULE
from ._core.bounds import Shares
from ._core.money import RoundingUnit, from_minor_units
from ._core.provenance import provenance, scale_items
from ._core.publishing import AmountBasis, RateRounding, rate_decimal
from ._reference.scales import units_to_percent
from ._reference.states import resolve_state
from .errors import UnknownStateError
from .rules._ruleset import RuleSet

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class AssessmentLine:
    """One state's line: its basis rate, shares after each step, published rate and amount."""

    iso3: str
    state: str
    un_rate: Decimal | None
    """The rate in percent the adjustment started from (the UN rate, or a rate given or
    assumed for it); None for a payer with a fixed share (e.g. the European Union)."""
    rate_source: str
    """Where ``un_rate`` (or the fixed share) comes from: the UN scale, a GA notional rate, the
    UN floor, or the rule set."""
    steps: Mapping[str, Fraction]
    """Each column's exact value as a fraction of 1, by step name, in order (``pro_rata``,
    then the rule set's steps: shares, or for an exclusion the UN rates still counted)."""
    share: Fraction
    """The exact adjusted share of 1 (the last step)."""
    bound: str | None
    """The bound the state sits at after adjustment (``ceiling``, ``floor``, ``pinned`` …)."""
    rate: Decimal
    """The published adjusted rate in percent."""
    amount_minor: int
    """The amount in minor units of the currency (cents for USD)."""
    amount: Decimal
    """The amount in currency units, for display."""
    role: str | None = None
    """The state's role when the caller gives one (e.g. "State Party", "observer")."""
    excluded: str | None = None
    """Why the state pays nothing, when a step of the rule set excluded it."""


@dataclass(frozen=True)
class StepColumn:
    """A column of the adjustment: its step name, its title (the body's own), and whether it
    holds shares of the cost or the UN rates still counted (an exclusion)."""

    name: str
    label: str
    kind: str = "share"


@dataclass(frozen=True)
class ExactTable:
    """The exact result, compactly: what the interpreter computed, in integers, per payer.

    An :class:`Assessment` builds its :class:`AssessmentLine` objects from it when they are
    first read, so an apportionment costs what it computes, not what it displays.
    """

    codes: tuple[str, ...]
    """The payers, in the one "by name" order."""
    names: Mapping[str, str]
    basis_units: Mapping[str, int | None]
    """The basis rate in 0.001 % units (None: a fixed share)."""
    sources: Mapping[str, str]
    columns: Mapping[str, Shares]
    """Step name -> each payer's value in that column, as a fraction of 1."""
    shares: Shares
    rate_units: Mapping[str, int]
    """The published rates, in ``10**-decimals`` percent."""
    amounts: Mapping[str, int]
    """Minor units."""
    bounds: Mapping[str, str] = field(default_factory=dict)
    excluded: Mapping[str, str] = field(default_factory=dict)
    roles: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, repr=False)
class Assessment:
    """Who pays how much: one line per state, with totals, the rule set and provenance."""

    table: ExactTable
    total_minor: int
    currency: str
    scale_period: str
    resolution: str | None
    scale_source: str
    rule_set: RuleSet
    step_columns: tuple[StepColumn, ...]
    notes: tuple[str, ...]
    """What applying the rule set here involved (groups read, rules not applied)."""
    version: str
    tie_rule: str = TIE_RULE
    context: Mapping[str, str] = field(default_factory=dict)
    """What is assessed (meeting, cost type, article) as labelled text; first in provenance."""
    convention: str | None = None
    """The id of the convention whose cost this is (``"ccm"``, ``"apmbc"`` ...), when known."""

    def __repr__(self) -> str:
        return (
            f"<Assessment of {self.total} {self.currency} over {len(self)} states, "
            f"UN scale {self.scale_period}>"
        )

    @property
    def total(self) -> Decimal:
        """The total in currency units."""
        return from_minor_units(self.total_minor, self.currency)

    @property
    def step_names(self) -> tuple[str, ...]:
        """The adjustment columns' step names, in order (``pro_rata`` first)."""
        return tuple(c.name for c in self.step_columns)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule set in words, then what applying it here involved."""
        return (*self.rule_set.describe(), *self.notes)

    @property
    def unit(self) -> RoundingUnit:
        """The rounding unit of the amounts (minor: cents; major: whole currency units)."""
        return self.rule_set.amounts.unit

    @property
    def rate_decimals(self) -> int:
        """Decimals of the published rates."""
        return self.rule_set.publishing.decimals

    @property
    def rate_rounding(self) -> RateRounding:
        """How the published rates are rounded."""
        return self.rule_set.publishing.rounding

    @property
    def amounts_from(self) -> AmountBasis:
        """What the amounts are proportional to."""
        return self.rule_set.amounts.basis

    @cached_property
    def lines(self) -> tuple[AssessmentLine, ...]:
        """One line per payer, in the order of the names (built from :attr:`table` once)."""
        table, decimals = self.table, self.rate_decimals
        columns = table.columns
        lines = []
        for code in table.codes:
            units = table.basis_units[code]
            amount = table.amounts[code]
            lines.append(
                AssessmentLine(
                    iso3=code,
                    state=table.names[code],
                    un_rate=None if units is None else units_to_percent(units),
                    rate_source=table.sources[code],
                    steps=MappingProxyType({n: c.fraction(code) for n, c in columns.items()}),
                    share=table.shares.fraction(code),
                    bound=table.bounds.get(code),
                    rate=rate_decimal(table.rate_units[code], decimals),
                    amount_minor=amount,
                    amount=from_minor_units(amount, self.currency),
                    role=table.roles.get(code),
                    excluded=table.excluded.get(code),
                )
            )
        return tuple(lines)

    @cached_property
    def _by_iso3(self) -> dict[str, AssessmentLine]:
        return {line.iso3: line for line in self.lines}

    def __getitem__(self, state: str) -> AssessmentLine:
        """The line of a state given by ISO3 code or name."""
        iso3 = resolve_state(state, self.rule_set.organisations)
        try:
            return self._by_iso3[iso3]
        except KeyError:
            raise UnknownStateError(
                {
                    f"{state} (not among the states assessed)": [
                        f"{line.state} ({line.iso3})" for line in self.lines[:5]
                    ]
                }
            ) from None

    def line_of(self, iso3: str) -> AssessmentLine | None:
        """The line of the state with this ISO3 code, or None if it is not assessed."""
        return self._by_iso3.get(iso3)

    def __iter__(self) -> Iterator[AssessmentLine]:
        return iter(self.lines)

    def __len__(self) -> int:
        return len(self.table.codes)

    @property
    def amounts(self) -> dict[str, Decimal]:
        """ISO3 -> amount in currency units."""
        return {line.iso3: line.amount for line in self.lines}

    @property
    def un_rate_total(self) -> Decimal:
        """Sum of the UN (basis) rates of the states assessed, in percent (fixed shares aside)."""
        units = self.table.basis_units.values()
        return units_to_percent(sum(u for u in units if u is not None))

    @property
    def rate_total(self) -> Decimal:
        """Sum of the published rates (exactly 100 under largest remainder)."""
        return rate_decimal(sum(self.table.rate_units.values()), self.rate_decimals)

    def provenance(self) -> dict[str, str]:
        """Where the figures come from and how they were computed, as labelled text."""
        return provenance(
            self.context,
            scale_items(self.scale_period, self.resolution, self.scale_source),
            {
                "rules": "; ".join(self.rules),
                "published rates": (
                    f"{self.rate_decimals} decimals, {self.rate_rounding.value.replace('_', ' ')}"
                ),
                "amounts": (
                    f"from the {self.amounts_from.value.replace('_', ' ')}, by largest remainder"
                ),
                "rounding unit": (
                    f"one {'whole unit' if self.unit is RoundingUnit.MAJOR else 'minor unit'} "
                    f"of {self.currency}"
                ),
            },
            tie_rule=self.tie_rule,
            version=self.version,
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per state, in the order of the state names.

        Columns: iso3, state, role (when roles were given), un_rate, rate_source, one column
        per adjustment step named by its label (the pro-rata column first; the exact value in
        percent, a ``Fraction``), share (the exact share of 1, a ``Fraction``), bound,
        excluded (when a step excluded payers), rate (``Decimal`` percent), amount
        (``Decimal``), amount_minor (``int``). ``attrs["provenance"]`` holds the provenance.
        """
        import pandas as pd

        lines = self.lines

        def column(values: list[object]) -> pd.Series:
            # object dtype keeps Fraction, Decimal and None exactly as they are
            return pd.Series(values, dtype=object)

        columns: dict[str, pd.Series] = {
            "iso3": column([line.iso3 for line in lines]),
            "state": column([line.state for line in lines]),
        }
        if any(line.role is not None for line in lines):
            columns["role"] = column([line.role for line in lines])
        columns["un_rate"] = column([line.un_rate for line in lines])
        columns["rate_source"] = column([line.rate_source for line in lines])
        for step in self.step_columns:
            columns[step.label] = column([line.steps[step.name] * 100 for line in lines])
        columns["share"] = column([line.share for line in lines])
        columns["bound"] = column([line.bound for line in lines])
        if any(line.excluded for line in lines):
            columns["excluded"] = column([line.excluded for line in lines])
        columns["rate"] = column([line.rate for line in lines])
        columns["amount"] = column([line.amount for line in lines])
        columns["amount_minor"] = pd.Series([line.amount_minor for line in lines], dtype="int64")
        frame = pd.DataFrame(columns)
        frame.attrs["provenance"] = self.provenance()
        return frame

    def to_excel(
        self,
        path: str | Path,
        *,
        produced: dt.date | None = None,
        issued: dt.date | None = None,
        paper: str = "a4",
    ) -> Path:
        """Write this assessment as an ``.xlsx`` workbook (see :func:`write_workbook`, whose
        ``produced``, ``issued`` and ``paper`` these are): an Assessment sheet with formulas
        and totals, and a Method sheet."""
        from ._outputs.assessment_workbook import write_workbook

        return write_workbook(path, self, produced=produced, issued=issued, paper=paper)

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter: title, per-state lines (with their role, when any state
        has one, as in the terminal table) with totals, and provenance."""
        head = (
            f"<p><b>Assessment of {html.escape(str(self.total))} {self.currency}</b> on the UN "
            f"scale {html.escape(self.scale_period)}, {len(self.lines)} states</p>"
        )
        with_roles = any(line.role is not None for line in self.lines)

        def role(text: str | None) -> str:
            return f"<td>{html.escape(text or '')}</td>" if with_roles else ""

        cells = "".join(
            "<tr>"
            f"<td>{html.escape(line.state)}</td><td>{line.iso3}</td>{role(line.role)}"
            f"<td style='text-align:right'>{'' if line.un_rate is None else line.un_rate}</td>"
            f"<td style='text-align:right'>{line.rate}</td>"
            f"<td style='text-align:right'>{line.amount:,}</td>"
            f"<td>{html.escape(line.bound or '')}</td>"
            "</tr>"
            for line in self.lines
        )
        totals = (
            f"<tr style='font-weight:bold'><td>Total</td><td></td>{role('')}"
            f"<td style='text-align:right'>{self.un_rate_total}</td>"
            f"<td style='text-align:right'>{self.rate_total}</td>"
            f"<td style='text-align:right'>{self.total:,}</td><td></td></tr>"
        )
        header = (
            "<tr><th>State</th><th>ISO3</th>"
            + ("<th>Role</th>" if with_roles else "")
            + f"<th>UN scale {html.escape(self.scale_period)} (%)</th>"
            "<th>Adjusted rate (%)</th>"
            f"<th>Amount ({self.currency})</th><th>Bound</th></tr>"
        )
        notes = "".join(
            f"<li>{html.escape(k)}: {html.escape(v)}</li>" for k, v in self.provenance().items()
        )
        return f"{head}<table>{header}{cells}{totals}</table><ul>{notes}</ul>"
