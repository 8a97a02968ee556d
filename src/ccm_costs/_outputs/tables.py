"""The library's results as text tables: what the terminal, CSV and JSON show of each.

:func:`render` is the public entry: ``cc.render(assessment)`` prints the table the command
line prints; ``cc.render(assessment, "csv")`` gives every column of ``to_frame()`` exactly.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from typing import TYPE_CHECKING

from .._reference.scales import Scale
from ..errors import InvalidInputError
from .text import TextColumn, TextTable, frame_table, money_view, render_table

if TYPE_CHECKING:  # imported only where used: ``ccm-costs periods`` needs neither
    from .._assessment import Assessment
    from ..ledger import ContributionStatus, Reconciliation


def assessment_table(assessment: Assessment, fmt: str = "table") -> TextTable:
    """Terminal: state, ISO3, role (when any state has one, as the HTML view), UN rate,
    adjusted rate, amount, a totals row and the provenance; CSV and JSON: every column of
    ``to_frame()``."""
    if fmt != "table":
        return frame_table(assessment.to_frame(), notes=assessment.provenance())
    with_roles = any(line.role is not None for line in assessment)
    columns = (
        TextColumn("State"),
        TextColumn("ISO3"),
        *((TextColumn("Role"),) if with_roles else ()),
        TextColumn(f"UN {assessment.scale_period} %", "number"),
        TextColumn("Adjusted %", "number"),
        TextColumn(f"Amount {assessment.currency}", "money"),
    )
    role: tuple[str, ...] = ("",) if with_roles else ()
    rows = tuple(
        (
            line.state,
            line.iso3,
            *((line.role or "",) if with_roles else ()),
            line.un_rate,
            line.rate,
            line.amount,
        )
        for line in assessment
    )
    total = ("Total", "", *role, assessment.un_rate_total, assessment.rate_total, assessment.total)
    return TextTable(columns, rows, total=total, notes=assessment.provenance())


def reconciliation_table(reconciliation: Reconciliation, fmt: str = "table") -> TextTable:
    """Per state: estimated, final, difference and what it is (additional bill or credit)."""
    frame, money = money_view(reconciliation.to_frame(), reconciliation.currency)
    if fmt != "table":
        return frame_table(frame, notes=reconciliation.provenance(), money=money)
    c = reconciliation.currency
    columns = (
        TextColumn("State"),
        TextColumn("ISO3"),
        TextColumn(f"Estimated {c}", "money"),
        TextColumn(f"Final {c}", "money"),
        TextColumn(f"Difference {c}", "money"),
        TextColumn("Settlement"),
        TextColumn("Presence"),
    )
    rows = tuple(
        (
            ln.state,
            ln.iso3,
            reconciliation.money(ln.estimated_minor),
            reconciliation.money(ln.final_minor),
            reconciliation.money(ln.difference_minor),
            ln.settlement,
            "" if ln.presence == "in both" else ln.presence,
        )
        for ln in reconciliation.lines
    )
    total = (
        "Total",
        "",
        reconciliation.money(reconciliation.estimated_total_minor),
        reconciliation.money(reconciliation.final_total_minor),
        reconciliation.money(reconciliation.difference_total_minor),
        "",
        "",
    )
    heading = "\n".join(
        f"{what}: {source}"
        for what, source in (
            ("Estimate", reconciliation.estimate_source),
            ("Final", reconciliation.final_source),
        )
        if source
    )
    return TextTable(columns, rows, total=total, heading=heading, summary=reconciliation.summary())


def status_table(status: ContributionStatus, by: str = "state") -> TextTable:
    """One view of the status of contributions (by state, assessment or year), with the
    summary and the provenance."""
    frame, money = money_view(status.to_frame(by), status.currency)
    table = frame_table(frame, notes=dict(status.provenance), money=money)
    return TextTable(table.columns, table.rows, summary=status.summary(), notes=table.notes)


def scale_table(scale: Scale, fmt: str = "table") -> TextTable:
    """A scale of assessment in source order. Terminal: the period in the header and the
    total; CSV and JSON: ``member_state, iso3, rate_percent``, which ``scale_from_csv`` reads
    back."""
    rows = tuple((scale.names[k], k, scale.rates[k]) for k in scale.order)
    if fmt != "table":
        columns = (TextColumn("member_state"), TextColumn("iso3"), TextColumn("rate_percent"))
        return TextTable(columns, rows)
    columns = (
        TextColumn("Member State"),
        TextColumn("ISO3"),
        TextColumn(f"UN scale {scale.period} (%)", "number"),
    )
    total = ("Total", "", sum((r[2] for r in rows), Decimal(0)))
    heading = f"UN scale of assessments {scale.period}" + (
        f" ({scale.resolution})" if scale.resolution else ""
    )
    return TextTable(columns, rows, total=total, heading=heading)


def render(result: object, fmt: str = "table", *, by: str = "state") -> str:
    """A result of the library as a terminal table, CSV or JSON text.

    ``result`` is a :class:`~ccm_costs.TextTable`, an :class:`~ccm_costs.Assessment`, a
    :class:`~ccm_costs.ledger.Reconciliation`, a :class:`~ccm_costs.ledger.ContributionStatus`
    (``by`` one of "state", "assessment", "year"), a :class:`~ccm_costs.Scale` or a pandas
    DataFrame. CSV and JSON keep every figure exact.
    """
    return render_table(to_table(result, fmt, by=by), fmt)


def to_table(result: object, fmt: str = "table", *, by: str = "state") -> TextTable:
    """The table :func:`render` shows of ``result`` in ``fmt``."""
    if isinstance(result, TextTable):
        table = result
    elif _is(result, "ccm_costs._assessment", "Assessment"):
        table = assessment_table(result, fmt)  # type: ignore[arg-type]
    elif _is(result, "ccm_costs.ledger._reconcile", "Reconciliation"):
        table = reconciliation_table(result, fmt)  # type: ignore[arg-type]
    elif _is(result, "ccm_costs.ledger._status", "ContributionStatus"):
        table = status_table(result, by)  # type: ignore[arg-type]
    elif isinstance(result, Scale):
        table = scale_table(result, fmt)
    elif _is_frame(result):
        table = frame_table(result)  # type: ignore[arg-type]
    else:
        raise InvalidInputError(
            f"cannot render {type(result).__name__}: give an Assessment, a Reconciliation, a "
            "ContributionStatus, a Scale or a DataFrame"
        )
    return table


def _is(value: object, module: str, name: str) -> bool:
    """Whether ``value`` is an instance of ``module.name``, without importing the module (if
    it is not loaded, nothing can be an instance of its classes)."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(value, getattr(loaded, name))


def _is_frame(value: object) -> bool:
    return type(value).__name__ == "DataFrame" and hasattr(value, "itertuples")
