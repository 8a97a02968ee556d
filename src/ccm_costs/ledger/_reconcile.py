"""Estimate against final: per state the additional bill or the credit, exact to the minor unit.

A meeting is assessed on estimated costs before it and on actual costs and the actual
participants after it. :func:`reconcile` compares the two per state; the differences sum to the
final total less the estimated total exactly, because every amount is an integer of minor units.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol

from .._core.money import from_minor_units
from .._reference.states import state_order
from ..errors import InvalidInputError

if TYPE_CHECKING:
    import pandas as pd

BOTH = "in both"
FINAL_ONLY = "final only: not in the estimate"
ESTIMATE_ONLY = "estimate only: did not participate"


class _Line(Protocol):
    @property
    def iso3(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def amount_minor(self) -> int: ...


class Assessed(Protocol):
    """What reconciliation needs of an assessment: an :class:`~ccm_costs.Assessment` or an
    assessment stored in a :class:`~ccm_costs.ledger.Ledger`."""

    @property
    def currency(self) -> str: ...
    @property
    def lines(self) -> Iterable[_Line]: ...
    def provenance(self) -> dict[str, str]: ...


@dataclass(frozen=True)
class ReconciliationLine:
    """One state: estimated and final amounts (0 where absent) and the difference."""

    iso3: str
    state: str
    presence: str
    """:data:`BOTH`, :data:`FINAL_ONLY` or :data:`ESTIMATE_ONLY`."""
    estimated_minor: int
    final_minor: int

    @property
    def difference_minor(self) -> int:
        """Final less estimated: an additional bill if positive, a credit if negative."""
        return self.final_minor - self.estimated_minor

    @property
    def settlement(self) -> str:
        """One of "additional bill", "credit" or "no change"."""
        if self.difference_minor > 0:
            return "additional bill"
        return "credit" if self.difference_minor < 0 else "no change"


@dataclass(frozen=True)
class Reconciliation:
    """The estimate and the final assessment side by side, with both provenances."""

    lines: tuple[ReconciliationLine, ...]
    currency: str
    estimated_total_minor: int
    final_total_minor: int
    estimate_provenance: Mapping[str, str]
    final_provenance: Mapping[str, str]

    @property
    def difference_total_minor(self) -> int:
        """Final total less estimated total (equal to the sum of the differences)."""
        return self.final_total_minor - self.estimated_total_minor

    def money(self, minor: int) -> Decimal:
        """An amount in minor units as a ``Decimal`` in the currency."""
        return from_minor_units(minor, self.currency)

    def provenance(self) -> dict[str, str]:
        """Both provenances, each key prefixed with "estimate" or "final"."""
        return {
            **{f"estimate {k}": v for k, v in self.estimate_provenance.items()},
            **{f"final {k}": v for k, v in self.final_provenance.items()},
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per state: iso3, state, presence, estimated_minor, final_minor,
        difference_minor (ints), difference (``Decimal``) and settlement; provenance in
        ``attrs["provenance"]``."""
        import pandas as pd

        frame = pd.DataFrame(
            {
                "iso3": pd.Series([ln.iso3 for ln in self.lines], dtype=object),
                "state": pd.Series([ln.state for ln in self.lines], dtype=object),
                "presence": pd.Series([ln.presence for ln in self.lines], dtype=object),
                "estimated_minor": pd.Series(
                    [ln.estimated_minor for ln in self.lines], dtype="int64"
                ),
                "final_minor": pd.Series([ln.final_minor for ln in self.lines], dtype="int64"),
                "difference_minor": pd.Series(
                    [ln.difference_minor for ln in self.lines], dtype="int64"
                ),
                "difference": pd.Series(
                    [self.money(ln.difference_minor) for ln in self.lines], dtype=object
                ),
                "settlement": pd.Series([ln.settlement for ln in self.lines], dtype=object),
            }
        )
        frame.attrs["provenance"] = self.provenance()
        frame.attrs["currency"] = self.currency
        return frame

    def summary(self) -> str:
        """Totals, the count of additional bills and credits, and the one-sided states."""
        bills = sum(1 for ln in self.lines if ln.difference_minor > 0)
        credits = sum(1 for ln in self.lines if ln.difference_minor < 0)
        final_only = [ln.state for ln in self.lines if ln.presence == FINAL_ONLY]
        estimate_only = [ln.state for ln in self.lines if ln.presence == ESTIMATE_ONLY]
        c = self.currency
        parts = [
            f"estimated {self.money(self.estimated_total_minor):,} {c}, "
            f"final {self.money(self.final_total_minor):,} {c}, "
            f"difference {self.money(self.difference_total_minor):,} {c}",
            f"{bills} additional bill(s), {credits} credit(s), "
            f"{len(self.lines) - bills - credits} unchanged",
        ]
        if final_only:
            parts.append(f"{FINAL_ONLY}: " + ", ".join(final_only))
        if estimate_only:
            parts.append(f"{ESTIMATE_ONLY}: " + ", ".join(estimate_only))
        return "\n".join(parts)

    def __str__(self) -> str:
        return self.summary()


def reconcile(estimate: Assessed, final: Assessed) -> Reconciliation:
    """Per state the estimated amount, the final amount and the difference.

    States assessed in only one of the two are kept, with 0 for the other and labelled
    :data:`FINAL_ONLY` (e.g. an observer that came unannounced) or :data:`ESTIMATE_ONLY` (e.g. a
    party that stayed away). Both must be in the same currency.
    """
    if estimate.currency.upper() != final.currency.upper():
        raise InvalidInputError(
            f"the estimate is in {estimate.currency} and the final assessment in "
            f"{final.currency}: reconcile assessments in the same currency"
        )
    before = {ln.iso3: ln for ln in estimate.lines}
    after = {ln.iso3: ln for ln in final.lines}
    names = {code: ln.state for code, ln in {**before, **after}.items()}
    lines = []
    for code in sorted(names, key=lambda c: state_order(names[c], c)):
        old, new = before.get(code), after.get(code)
        presence = BOTH if old and new else (FINAL_ONLY if new else ESTIMATE_ONLY)
        lines.append(
            ReconciliationLine(
                iso3=code,
                state=names[code],
                presence=presence,
                estimated_minor=old.amount_minor if old else 0,
                final_minor=new.amount_minor if new else 0,
            )
        )
    return Reconciliation(
        lines=tuple(lines),
        currency=final.currency.upper(),
        estimated_total_minor=sum(ln.estimated_minor for ln in lines),
        final_total_minor=sum(ln.final_minor for ln in lines),
        estimate_provenance=dict(estimate.provenance()),
        final_provenance=dict(final.provenance()),
    )
