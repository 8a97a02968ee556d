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
from .._core.allocation import TIE_RULE
from .._core.money import from_minor_units
from .._reference.states import state_order
from ..errors import InvalidInputError
from .xlsx import (
    BOLD,
    CENTRED,
    INDENTED,
    LINE_HEIGHT,
    TITLE_FONT,
    TOTAL_BORDER,
    FormulaCache,
    Money,
    Page,
    check_paper,
    decimal_format,
    finish_table,
    money_format,
    print_landscape_one_page_wide,
    save_with_cached_values,
    sheet_title,
    wrapped_lines,
    write_certification,
    write_header,
    write_money,
    write_note,
    write_notes,
    write_number,
    write_text,
    write_title_block,
)

UN_RATE_FORMAT = "0.000"
METHOD_WIDTH = 110
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
    path: str | Path,
    assessments: Assessments,
    *,
    produced: dt.date | None = None,
    issued: dt.date | None = None,
    paper: str = "a4",
) -> Path:
    """Write one or several assessments to an ``.xlsx`` workbook at ``path``.

    ``assessments`` is one :class:`Assessment`, a sequence, or a mapping of sheet label to
    assessment (e.g. ``{"Estimate": a, "Final": b}``; each sheet's title names its label).
    ``produced`` is the date printed as "Produced" (default today); ``issued`` the date of
    issue, printed in the title block and the footer (left out when not given). ``paper``
    is ``"a4"`` (default) or ``"letter"``; every sheet prints landscape, one page wide, with
    "Page x of y". Returns the path written.
    """
    labelled = _labelled(assessments)
    day = produced or dt.date.today()
    paper = check_paper(paper)
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty default sheet
    cache = FormulaCache()
    page = Page(paper, issued, day)
    for label, assessment in labelled.items():
        _assessment_sheet(wb, label, assessment, cache, page, titled=len(labelled) > 1)
    if len(labelled) > 1:
        _side_by_side_sheet(wb, labelled, cache, page)
    _method_sheet(wb, labelled, page)
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


def _title_items(assessment: Assessment, page: Page) -> list[tuple[str, str | Money]]:
    context = assessment.context
    items: list[tuple[str, str | Money]] = [
        (label, context[key]) for key, label in TITLE_LABELS.items() if key in context
    ]
    items += [
        ("Total", Money(assessment.total_minor, assessment.currency)),
        ("Currency", assessment.currency),
        ("UN scale of assessment", assessment.scale_period),
        ("GA resolution", assessment.resolution or "none (scale supplied by the user)"),
        *([("Date of issue", page.issued.isoformat())] if page.issued else []),
        ("Produced", page.produced.isoformat()),
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
    wb: Workbook,
    label: str,
    assessment: Assessment,
    cache: FormulaCache,
    page: Page,
    *,
    titled: bool,
) -> None:
    ws = wb.create_sheet(sheet_title(wb, label))
    title = _title(assessment, label if titled else None)
    headers = _headers(assessment)
    header_row = write_title_block(ws, title, _title_items(assessment, page), span=len(headers))
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
        write_number(ws, r, 1, n + 1, "0").alignment = CENTRED
        write_text(ws, r, 2, line.state).alignment = INDENTED
        write_text(ws, r, 3, line.iso3).alignment = INDENTED
        write_text(ws, r, 4, line.role or "").alignment = INDENTED
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
        write_text(ws, r, amount_col + 1, _line_note(assessment, n)).alignment = INDENTED
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
    span = len(headers)
    row = total_row + 2
    for note in _table_notes(assessment):
        write_note(ws, row, note, span=span)
        row += 1
    row = write_notes(ws, row + 1, assessment.provenance(), heading="Provenance", span=span)
    write_certification(ws, row)
    widths = [6, 30, 7, 12, 16, *([18] * len(assessment.step_names)), 16, 18, 30]
    finish_table(
        ws,
        header_row=header_row,
        last_row=total_row,
        widths=widths,
        footer=page.footer(title.removeprefix("Assessed contributions: ")),
        paper=page.paper,
    )


def _table_notes(assessment: Assessment) -> list[str]:
    """What a reader of the table asks: why the rates do not total 100, why two states of
    the same rate pay a cent apart; and that the amounts are exact."""
    notes = [
        "Amounts are exact to the minor unit and sum to the total; the spreadsheet computes "
        "shares in binary floating point, the library in exact fractions."
    ]
    if assessment.rate_total != 100:
        rounding = assessment.rule_set.publishing.rounding
        notes.append(
            f"The adjusted rates total {assessment.rate_total}, not 100: each is rounded "
            f"{'half-up ' if rounding == 'half_up' else ''}on its own from the exact share "
            f"(rule set {assessment.rule_set.id!r}); the amounts follow the exact shares and "
            "total the amount assessed. Rounding the rates by largest remainder (the rule "
            'set\'s publishing.rounding = "largest_remainder"; on the command line '
            "--rate-rounding largest_remainder) publishes rates that total 100 exactly."
        )
    pairs = _cent_apart(assessment)
    if pairs:
        shown = "; ".join(f"{a} and {b}" for a, b in pairs[:3]) + (
            f" and {len(pairs) - 3} more" if len(pairs) > 3 else ""
        )
        notes.append(
            f"States with the same share may pay one minor unit apart ({shown}): the units "
            "left after rounding down go to the largest remainders, and among equal ones by "
            f"the tie rule ({TIE_RULE})."
        )
    return notes


def _cent_apart(assessment: Assessment) -> list[tuple[str, str]]:
    """Pairs of states with the same exact share whose amounts differ (by one unit)."""
    by_share: dict[Fraction, list[tuple[str, int]]] = {}
    for line in assessment.lines:
        by_share.setdefault(line.share, []).append((line.state, line.amount_minor))
    pairs = []
    for group in by_share.values():
        amounts = {amount for _, amount in group}
        if len(amounts) > 1:
            low = min(amounts)
            pairs.append(
                (
                    next(state for state, amount in group if amount == low),
                    next(state for state, amount in group if amount != low),
                )
            )
    return pairs


def _title(assessment: Assessment, label: str | None) -> str:
    """The sheet's title: what is assessed, and the sheet's label when there are several
    (so that an Estimate and a Final never print alike)."""
    meeting = assessment.context.get("meeting")
    what = f"{meeting}" if meeting else f"{assessment.total:,} {assessment.currency}"
    return f"Assessed contributions: {what}" + (f" ({label})" if label else "")


def _side_by_side_sheet(
    wb: Workbook, labelled: Mapping[str, Assessment], cache: FormulaCache, page: Page
) -> None:
    """Every state of any assessment, one amount column per assessment (blank when absent),
    and for two assessments the difference (second minus first); titled with the meeting."""
    ws = wb.create_sheet(sheet_title(wb, "Side by side"))
    currencies = {a.currency for a in labelled.values()}
    currency = currencies.pop() if len(currencies) == 1 else None
    meetings = list(dict.fromkeys(a.context.get("meeting", "") for a in labelled.values()))
    what = meetings[0] if len(meetings) == 1 and meetings[0] else "the assessments"
    items: list[tuple[str, str | Money]] = []
    if len(meetings) == 1 and meetings[0]:
        items.append(("Meeting", meetings[0]))
    items.append(
        (
            "Assessments",
            ", ".join(f"{label} ({a.total:,} {a.currency})" for label, a in labelled.items()),
        )
    )
    if currency is None:
        items.append(("Note", "the assessments are in different currencies"))
    title = f"Assessments side by side: {what}"
    labels = list(labelled)
    two = len(labels) == 2 and currency is not None
    headers = [
        "No.",
        "State",
        "ISO3",
        *(f"{label} ({a.currency})" for label, a in labelled.items()),
        *([f"Difference: {labels[1]} - {labels[0]} ({currency})"] if two else []),
    ]
    header_row = write_title_block(ws, title, items, span=len(headers))
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
        write_number(ws, r, 1, n + 1, "0").alignment = CENTRED
        write_text(ws, r, 2, states[code]).alignment = INDENTED
        write_text(ws, r, 3, code).alignment = INDENTED
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
        ws,
        header_row=header_row,
        last_row=total_row,
        widths=[6, 30, 7, *[18] * (len(headers) - 3)],
        footer=page.footer(title),
        paper=page.paper,
    )


def _amount(assessment: Assessment, code: str) -> int:
    line = assessment.line_of(code)
    return 0 if line is None else line.amount_minor


def _method_sheet(wb: Workbook, labelled: Mapping[str, Assessment], page: Page) -> None:
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
            # the label at the top of its row, beside the first line of its wrapped value
            write_text(ws, row, 1, name).alignment = Alignment(vertical="top")
            write_text(ws, row, 2, text).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = LINE_HEIGHT * wrapped_lines(text, METHOD_WIDTH)
        row += 2
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = METHOD_WIDTH
    meetings = ", ".join(dict.fromkeys(a.context.get("meeting", "") for a in labelled.values()))
    print_landscape_one_page_wide(
        ws,
        paper=page.paper,
        footer=page.footer(f"Method and sources: {meetings or 'the assessments'}"),
    )
