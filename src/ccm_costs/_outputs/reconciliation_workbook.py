"""The reconciliation workbook: per state the estimate, the final assessment and the
difference, billed as an additional bill or credited, with totals an auditor can follow.

One sheet, printed as the assessment workbooks are (the shared helpers of :mod:`.xlsx`): a
title block naming both assessments and where each comes from, one row per state assessed in
either (a state in only one of the two labelled, its missing amount left blank), the
difference, additional bill and credit as formulas over the row with the library's exact
values cached, ``=SUM`` totals, notes saying how the columns add up, both provenances and a
certification block.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .._core.money import from_minor_units
from .._core.version import library_version
from ..errors import InvalidInputError
from ..ledger import Reconciliation
from ..ledger._reconcile import BOTH, ESTIMATE_ONLY, FINAL_ONLY
from .xlsx import (
    CENTRED,
    INDENTED,
    TOTAL_BORDER,
    FormulaCache,
    Money,
    Page,
    check_paper,
    finish_table,
    money_format,
    save_with_cached_values,
    sheet_title,
    write_certification,
    write_header,
    write_money,
    write_note,
    write_notes,
    write_number,
    write_text,
    write_title_block,
)

SHEET = "Reconciliation"
NOTE_ALIGNMENT = Alignment(indent=2)
"""A note two spaces from the credit beside it, so that the two never read as one."""
ESTIMATE_COL, FINAL_COL, DIFFERENCE_COL, BILL_COL, CREDIT_COL, NOTE_COL = 4, 5, 6, 7, 8, 9
WIDTHS = [6, 30, 7, 18, 18, 18, 18, 18, 34]


def write_reconciliation_workbook(
    path: str | Path,
    reconciliation: Reconciliation,
    *,
    produced: dt.date | None = None,
    issued: dt.date | None = None,
    paper: str = "a4",
) -> Path:
    """Write ``reconciliation`` (from :func:`~ccm_costs.reconcile`) to an ``.xlsx`` workbook.

    One row per state: the estimate, the final assessment, the difference (final less
    estimate), the additional bill (a positive difference) and the credit (a negative one),
    and a note on a state assessed in only one of the two; totals as ``=SUM`` formulas with
    their values cached. ``produced`` is the date printed as "Produced" (default today),
    ``issued`` the date of issue (title block and footer, left out when not given); ``paper``
    ``"a4"`` (default) or ``"letter"``. Returns the path written.
    """
    if not isinstance(reconciliation, Reconciliation):
        raise InvalidInputError(
            f"not a Reconciliation: {type(reconciliation).__name__}; build one with "
            "cc.reconcile(estimate, final)"
        )
    page = Page(check_paper(paper), issued, produced or dt.date.today())
    wb = Workbook()
    wb.remove(wb.worksheets[0])
    cache = FormulaCache()
    _sheet(wb, reconciliation, cache, page)
    return save_with_cached_values(wb, path, cache)


def _title(reconciliation: Reconciliation) -> str:
    what = reconciliation.meeting or "estimate against final assessment"
    return f"Reconciliation of assessed contributions: {what}"


def _counted(minors: list[int], currency: str) -> str:
    states = f"{len(minors)} state" + ("" if len(minors) == 1 else "s")
    return f"{states}, {from_minor_units(sum(minors), currency):,} {currency}"


def _title_items(reconciliation: Reconciliation, page: Page) -> list[tuple[str, str | Money]]:
    r, c = reconciliation, reconciliation.currency
    bills = [ln.difference_minor for ln in r.lines if ln.difference_minor > 0]
    credits = [-ln.difference_minor for ln in r.lines if ln.difference_minor < 0]
    final_only = [ln.state for ln in r.lines if ln.presence == FINAL_ONLY]
    estimate_only = [ln.state for ln in r.lines if ln.presence == ESTIMATE_ONLY]
    items: list[tuple[str, str | Money]] = [
        *([("Meeting", r.meeting)] if r.meeting else []),
        ("Estimate", r.estimate_source),
        ("Final assessment", r.final_source),
        (f"Estimated total ({c})", Money(r.estimated_total_minor, c)),
        (f"Final total ({c})", Money(r.final_total_minor, c)),
        (f"Difference, final less estimate ({c})", Money(r.difference_total_minor, c)),
        ("Additional bills", _counted(bills, c)),
        ("Credits", _counted(credits, c)),
        *([("Final only (not in the estimate)", ", ".join(final_only))] if final_only else []),
        *(
            [("Estimate only (did not participate)", ", ".join(estimate_only))]
            if estimate_only
            else []
        ),
        ("Currency", c),
        *([("Date of issue", page.issued.isoformat())] if page.issued else []),
        ("Produced", page.produced.isoformat()),
        ("Library", f"ccm_costs {library_version()}"),
    ]
    return items


def _sheet(wb: Workbook, r: Reconciliation, cache: FormulaCache, page: Page) -> None:
    ws = wb.create_sheet(sheet_title(wb, SHEET))
    c = r.currency
    title = _title(r)
    headers = [
        "No.",
        "State",
        "ISO3",
        f"Estimate ({c})",
        f"Final ({c})",
        f"Difference: final less estimate ({c})",
        f"Additional bill ({c})",
        f"Credit ({c})",
        "Note",
    ]
    header_row = write_title_block(ws, title, _title_items(r, page), span=len(headers))
    write_header(ws, header_row, headers)
    money = money_format(c)
    first = header_row + 1
    letter = {col: get_column_letter(col) for col in range(1, len(headers) + 1)}
    for n, line in enumerate(r.lines):
        row = first + n
        write_number(ws, row, 1, n + 1, "0").alignment = CENTRED
        write_text(ws, row, 2, line.state).alignment = INDENTED
        write_text(ws, row, 3, line.iso3).alignment = INDENTED
        if line.presence != FINAL_ONLY:
            write_money(ws, row, ESTIMATE_COL, line.estimated_minor, c)
        if line.presence != ESTIMATE_ONLY:
            write_money(ws, row, FINAL_COL, line.final_minor, c)
        difference = f"{letter[DIFFERENCE_COL]}{row}"
        formulas = (
            (
                DIFFERENCE_COL,
                f"=N({letter[FINAL_COL]}{row})-N({letter[ESTIMATE_COL]}{row})",
                line.difference_minor,
            ),
            (BILL_COL, f"=MAX({difference},0)", max(line.difference_minor, 0)),
            (CREDIT_COL, f"=MAX(-{difference},0)", max(-line.difference_minor, 0)),
        )
        for column, formula, minor in formulas:
            cache.write_formula(
                ws, row, column, formula, value=from_minor_units(minor, c), number_format=money
            )
        if line.presence != BOTH:
            write_text(ws, row, NOTE_COL, line.presence).alignment = NOTE_ALIGNMENT
    last = first + len(r.lines) - 1
    total_row = last + 1
    write_text(ws, total_row, 2, "Total", bold=True)
    totals = {
        ESTIMATE_COL: r.estimated_total_minor,
        FINAL_COL: r.final_total_minor,
        DIFFERENCE_COL: r.difference_total_minor,
        BILL_COL: sum(max(ln.difference_minor, 0) for ln in r.lines),
        CREDIT_COL: sum(max(-ln.difference_minor, 0) for ln in r.lines),
    }
    for column, minor in totals.items():
        cache.write_sum(
            ws,
            total_row,
            column,
            rows=(first, max(last, first)),
            value=from_minor_units(minor, c),
            number_format=money,
        )
    for column in (1, 2, 3, NOTE_COL):
        ws.cell(row=total_row, column=column).border = TOTAL_BORDER
    span = len(headers)
    row = total_row + 2
    for note in _table_notes(r, totals[BILL_COL], totals[CREDIT_COL]):
        write_note(ws, row, note, span=span)
        row += 1
    row = write_notes(
        ws, row + 1, r.estimate_provenance, heading="Provenance of the estimate", span=span
    )
    row = write_notes(
        ws, row, r.final_provenance, heading="Provenance of the final assessment", span=span
    )
    write_certification(ws, row)
    finish_table(
        ws,
        header_row=header_row,
        last_row=total_row,
        widths=WIDTHS,
        footer=page.footer(title.removeprefix("Reconciliation of assessed contributions: ")),
        paper=page.paper,
    )


def _table_notes(r: Reconciliation, bills: int, credits: int) -> list[str]:
    """How the columns add up, in the reader's words."""
    c = r.currency

    def shown(minor: int) -> str:
        return f"{from_minor_units(minor, c):,}"

    return [
        "The difference is the final amount less the estimated amount: a positive difference "
        "is billed to the state as an additional bill, a negative one is credited to it. "
        f"Additional bills less credits ({shown(bills)} - {shown(credits)}) equal the final "
        f"total less the estimated total ({shown(r.final_total_minor)} - "
        f"{shown(r.estimated_total_minor)} = {shown(r.difference_total_minor)} {c}), exactly "
        "to the minor unit.",
        f"A state assessed in only one of the two is labelled in the Note column ('{FINAL_ONLY}'"
        f", '{ESTIMATE_ONLY}'); its other amount is left blank (not assessed) and counts as 0.",
    ]
