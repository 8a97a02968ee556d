"""Assessment workbooks a treaty finance officer would sign: one sheet per assessment (title
block, one column per adjustment step, totals), a side-by-side sheet when there are several,
and a Method sheet with the rules and sources.

The totals are ``=SUM`` formulas and the pro-rata share is a formula over the UN rates, so the
sheet recomputes itself; every formula also carries the library's value as its cached result.
All text goes in as literal text, so a name beginning with ``=`` can never run as a formula.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .._assessment import Assessment
from .._core.money import from_minor_units
from .._reference.states import state_order
from ..errors import InvalidInputError
from .xlsx import (
    BOLD,
    TITLE_FONT,
    TOTAL_BORDER,
    FormulaCache,
    Money,
    decimal_format,
    finish_table,
    money_format,
    print_landscape_one_page_wide,
    save_with_cached_values,
    sheet_title,
    write_header,
    write_money,
    write_notes,
    write_number,
    write_text,
    write_title_block,
)

UN_RATE_FORMAT = "0.000"
SHARE_FORMAT = "0.000000000"  # shares in percent, shown to 9 decimals; the cell holds more
TITLE_LABELS = {
    "meeting": "Meeting",
    "dates": "Dates",
    "article": "Cost type and article",
    "participants": "Participants",
}
"""Context items shown in the title block, in this order; the rest go to the Method sheet."""

Assessments = Assessment | Mapping[str, Assessment] | Sequence[Assessment]


def write_workbook(
    path: str | Path, assessments: Assessments, *, produced: dt.date | None = None
) -> Path:
    """Write one or several assessments to an ``.xlsx`` workbook at ``path``.

    ``assessments`` is one :class:`Assessment`, a sequence, or a mapping of sheet label to
    assessment (e.g. ``{"Estimate": a, "Final": b}``). ``produced`` is the date printed as
    "Produced" (default today). Returns the path written.
    """
    labelled = _labelled(assessments)
    day = produced or dt.date.today()
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty default sheet
    cache = FormulaCache()
    for label, assessment in labelled.items():
        _assessment_sheet(wb, label, assessment, cache, day)
    if len(labelled) > 1:
        _side_by_side_sheet(wb, labelled, cache)
    _method_sheet(wb, labelled)
    return save_with_cached_values(wb, path, cache)


def _labelled(assessments: Assessments) -> dict[str, Assessment]:
    if isinstance(assessments, Assessment):
        return {"Assessment": assessments}
    if isinstance(assessments, Mapping):
        labelled = {str(label): a for label, a in assessments.items()}
    else:
        items = list(assessments)
        labelled = {
            ("Assessment" if len(items) == 1 else f"Assessment {n}"): a
            for n, a in enumerate(items, start=1)
        }
    if not labelled:
        raise InvalidInputError("no assessment to write: give at least one")
    wrong = [label for label, a in labelled.items() if not isinstance(a, Assessment)]
    if wrong:
        raise InvalidInputError(f"not an Assessment: {', '.join(map(repr, wrong))}")
    return labelled


def _title_items(assessment: Assessment, day: dt.date) -> list[tuple[str, str | Money]]:
    context = assessment.context
    items: list[tuple[str, str | Money]] = [
        (label, context[key]) for key, label in TITLE_LABELS.items() if key in context
    ]
    items += [
        ("Total", Money(assessment.total_minor, assessment.currency)),
        ("Currency", assessment.currency),
        ("UN scale of assessment", assessment.scale_period),
        ("GA resolution", assessment.resolution or "none (scale supplied by the user)"),
        ("Produced", day.isoformat()),
        ("Library", f"ccm_costs {assessment.version}"),
    ]
    return items


def _headers(assessment: Assessment) -> list[str]:
    period = assessment.scale_period
    return [
        "No.",
        "State",
        "ISO3",
        "Role",
        f"UN scale of assessment {period} (%)",
        *(_percent_header(step.label) for step in assessment.step_columns),
        f"Adjusted rate (%), {assessment.rate_decimals} decimals",
        f"Amount ({assessment.currency})",
        "Notes",
    ]


def _percent_header(label: str) -> str:
    """A step's column title, as the body titles it, saying that it is in percent."""
    return label if label.rstrip().endswith("(%)") else f"{label} (%)"


def _line_note(assessment: Assessment, n: int) -> str:
    line = assessment.lines[n]
    notes = []
    if line.excluded:
        notes.append(line.excluded)
    if not line.rate_source.startswith("UN scale"):
        notes.append(f"rate: {line.rate_source}")
    if line.bound:
        notes.append(f"at the {line.bound}")
    return "; ".join(notes)


def _assessment_sheet(
    wb: Workbook, label: str, assessment: Assessment, cache: FormulaCache, day: dt.date
) -> None:
    ws = wb.create_sheet(sheet_title(wb, label))
    header_row = write_title_block(ws, _title(assessment), _title_items(assessment, day))
    headers = _headers(assessment)
    write_header(ws, header_row, headers)
    first = header_row + 1
    last = first + len(assessment.lines) - 1
    total_row = last + 1
    un_col, first_step_col = 5, 6
    rate_col = first_step_col + len(assessment.step_names)
    amount_col = rate_col + 1
    un_letter = get_column_letter(un_col)
    money = money_format(assessment.currency)
    rate_format = decimal_format(assessment.rate_decimals)
    # The pro-rata column is a formula over the UN rates when every payer is scaled by them
    # (no fixed share): what the sheet computes is then what the library computed.
    pro_rata_formula = all(line.un_rate is not None for line in assessment.lines)
    for n, line in enumerate(assessment.lines):
        r = first + n
        write_number(ws, r, 1, n + 1, "0")
        write_text(ws, r, 2, line.state)
        write_text(ws, r, 3, line.iso3)
        write_text(ws, r, 4, line.role or "")
        if line.un_rate is not None:
            write_number(ws, r, un_col, line.un_rate, UN_RATE_FORMAT)
        for k, (step, share) in enumerate(line.steps.items()):
            column = first_step_col + k
            if step == "pro_rata" and pro_rata_formula:
                formula = f"={un_letter}{r}/${un_letter}${total_row}*100"
                cache.write_formula(
                    ws, r, column, formula, value=share * 100, number_format=SHARE_FORMAT
                )
            else:
                write_number(ws, r, column, share * 100, SHARE_FORMAT)
        write_number(ws, r, rate_col, line.rate, rate_format)
        write_money(ws, r, amount_col, line.amount_minor, assessment.currency)
        write_text(ws, r, amount_col + 1, _line_note(assessment, n))
    write_text(ws, total_row, 2, "Total", bold=True)
    rows = (first, last)
    cache.write_sum(
        ws,
        total_row,
        un_col,
        rows=rows,
        value=assessment.un_rate_total,
        number_format=UN_RATE_FORMAT,
    )
    for k, step in enumerate(assessment.step_names):
        step_total = sum((line.steps[step] for line in assessment.lines), Fraction(0))
        cache.write_sum(
            ws,
            total_row,
            first_step_col + k,
            rows=rows,
            value=step_total * 100,
            number_format=SHARE_FORMAT,
        )
    cache.write_sum(
        ws, total_row, rate_col, rows=rows, value=assessment.rate_total, number_format=rate_format
    )
    cache.write_sum(
        ws, total_row, amount_col, rows=rows, value=assessment.total, number_format=money
    )
    for column in (1, 2, 3, 4, amount_col + 1):
        ws.cell(row=total_row, column=column).border = TOTAL_BORDER
    notes_row = write_notes(ws, total_row + 2, assessment.provenance(), heading="Provenance")
    write_text(
        ws,
        notes_row - 1,
        1,
        "Amounts are exact to the minor unit and sum to the total; the spreadsheet computes "
        "shares in binary floating point, the library in exact fractions.",
    )
    widths = [6, 34, 15, 14, 16, *([18] * len(assessment.step_names)), 16, 18, 40]
    finish_table(ws, header_row=header_row, last_row=total_row, widths=widths)


def _title(assessment: Assessment) -> str:
    meeting = assessment.context.get("meeting")
    what = f"{meeting}" if meeting else f"{assessment.total:,} {assessment.currency}"
    return f"Assessed contributions: {what}"


def _side_by_side_sheet(
    wb: Workbook, labelled: Mapping[str, Assessment], cache: FormulaCache
) -> None:
    """Every state of any assessment, one amount column per assessment (blank when absent),
    and for two assessments the difference (second minus first)."""
    ws = wb.create_sheet(sheet_title(wb, "Side by side"))
    currencies = {a.currency for a in labelled.values()}
    currency = currencies.pop() if len(currencies) == 1 else None
    items = [("Assessments", ", ".join(labelled))]
    if currency is None:
        items.append(("Note", "the assessments are in different currencies"))
    row = write_title_block(ws, "Assessments side by side", items)
    header_row = row
    labels = list(labelled)
    two = len(labels) == 2 and currency is not None
    headers = [
        "No.",
        "State",
        "ISO3",
        *(f"{label} ({a.currency})" for label, a in labelled.items()),
        *([f"Difference: {labels[1]} - {labels[0]} ({currency})"] if two else []),
    ]
    write_header(ws, header_row, headers)
    states: dict[str, str] = {}
    for a in labelled.values():
        for line in a.lines:
            states.setdefault(line.iso3, line.state)
    order = sorted(states, key=lambda code: state_order(states[code], code))
    first = header_row + 1
    last = first + len(order) - 1
    for n, code in enumerate(order):
        r = first + n
        write_number(ws, r, 1, n + 1, "0")
        write_text(ws, r, 2, states[code])
        write_text(ws, r, 3, code)
        for k, a in enumerate(labelled.values()):
            found = a.line_of(code)
            if found is not None:
                write_money(ws, r, 4 + k, found.amount_minor, a.currency)
        if two and currency is not None:
            a0, a1 = (labelled[label] for label in labels)
            diff = _amount(a1, code) - _amount(a0, code)
            cache.write_formula(
                ws,
                r,
                6,
                f"=N(E{r})-N(D{r})",
                value=from_minor_units(diff, currency),
                number_format=money_format(currency),
            )
    total_row = last + 1
    write_text(ws, total_row, 2, "Total", bold=True)
    for k, a in enumerate(labelled.values()):
        cache.write_sum(
            ws,
            total_row,
            4 + k,
            rows=(first, last),
            value=a.total,
            number_format=money_format(a.currency),
        )
    if two and currency is not None:
        a0, a1 = (labelled[label] for label in labels)
        cache.write_sum(
            ws,
            total_row,
            6,
            rows=(first, last),
            value=a1.total - a0.total,
            number_format=money_format(currency),
        )
    ws.cell(row=total_row, column=2).font = BOLD
    finish_table(
        ws, header_row=header_row, last_row=total_row, widths=[6, 34, 7, *[20] * (len(headers) - 3)]
    )


def _amount(assessment: Assessment, code: str) -> int:
    line = assessment.line_of(code)
    return 0 if line is None else line.amount_minor


def _method_sheet(wb: Workbook, labelled: Mapping[str, Assessment]) -> None:
    """How each assessment was computed: rules, rounding, tie rule, rate policy, sources;
    one labelled item a row, the text wrapped, printed landscape one page wide."""
    ws: Worksheet = wb.create_sheet(sheet_title(wb, "Method"))
    write_text(ws, 1, 1, "Method and sources").font = TITLE_FONT
    row = 3
    for label, assessment in labelled.items():
        sources = sorted({line.rate_source for line in assessment.lines})
        items = [
            *assessment.provenance().items(),
            *((f"rate source {n}", source) for n, source in enumerate(sources, start=1)),
        ]
        write_text(ws, row, 1, label, bold=True)
        for name, text in items:
            row += 1
            write_text(ws, row, 1, name)
            write_text(ws, row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = 15 * (1 + len(text) // 110)
        row += 2
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 110
    print_landscape_one_page_wide(ws)
