"""What goes out on paper: page setup, footers, column widths, titles and notes, read back from
the saved workbook (issue 15's printing findings)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

import ccm_costs as cc

LONGEST_NAME = "United Kingdom of Great Britain and Northern Ireland"


@pytest.fixture(scope="module")
def both() -> dict[str, cc.Assessment]:
    meeting = cc.get_meeting("12MSP")
    return {
        "Estimate": cc.assess(meeting, total="480000.00"),
        "Final": cc.assess(meeting.replace(observers=["Kenya"]), total="500000.00"),
    }


@pytest.fixture(scope="module")
def book(both: dict[str, cc.Assessment], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("print") / "both.xlsx"
    return cc.write_workbook(path, both, issued=dt.date(2024, 11, 15))


def header_row(ws: openpyxl.worksheet.worksheet.Worksheet) -> int:
    return next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")


def test_every_sheet_prints_on_a4_with_page_numbers_and_a_footer(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for ws in wb:
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title
        assert "issued 2024-11-15" in (ws.oddFooter.left.text or ""), ws.title
        assert "12MSP" in (ws.oddFooter.left.text or ""), ws.title


def test_letter_paper_on_request_and_an_unknown_paper_refused(
    both: dict[str, cc.Assessment], tmp_path: Path
) -> None:
    path = cc.write_workbook(tmp_path / "us.xlsx", both["Final"], paper="Letter")
    ws = openpyxl.load_workbook(path).active
    assert ws.page_setup.paperSize == 1  # Letter
    with pytest.raises(cc.InvalidInputError, match="'a4' or 'letter'"):
        cc.write_workbook(tmp_path / "x.xlsx", both["Final"], paper="A5")
    assert not (tmp_path / "x.xlsx").exists()


def test_the_title_block_prints_once_and_the_header_row_on_every_page(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    for title in ("Estimate", "Final", "Side by side"):
        ws = wb[title]
        row = header_row(ws)
        assert ws.print_title_rows == f"${row}:${row}", title
        assert ws.freeze_panes == f"A{row + 1}"


def test_columns_hold_their_longest_value(book: Path, both: dict[str, cc.Assessment]) -> None:
    wb = openpyxl.load_workbook(book)
    for title in ("Estimate", "Side by side"):
        ws = wb[title]
        assert LONGEST_NAME in [c.value for c in ws["B"]], title
        assert ws.column_dimensions["B"].width >= len(LONGEST_NAME), title
        amount = next(
            c for c in range(1, ws.max_column + 1)
            if str(ws.cell(row=header_row(ws), column=c).value).startswith(("Amount", "Final"))
        )  # fmt: skip
        letter = openpyxl.utils.get_column_letter(amount)
        assert ws.column_dimensions[letter].width >= len("500,000.00") + 2


def test_text_beside_numbers_has_its_gap(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Final"]
    row = header_row(ws) + 1
    assert ws.cell(row=row, column=1).alignment.horizontal == "center"
    assert ws.cell(row=row, column=2).alignment.indent == 1


def test_the_header_row_is_as_tall_as_its_wrapped_titles(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Final"]
    row = header_row(ws)
    assert ws.row_dimensions[row].height >= 3 * 15  # "UN scale of assessment 2022-2024 (%)"


def test_sheets_say_which_assessment_and_meeting_they_show(book: Path) -> None:
    wb = openpyxl.load_workbook(book)
    titles = {ws.title: ws["A1"].value for ws in wb}
    assert titles["Estimate"] != titles["Final"]
    assert titles["Estimate"].endswith("(Estimate)") and titles["Final"].endswith("(Final)")
    assert "12MSP" in titles["Side by side"]
    block = {
        ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value
        for ws in [wb["Final"]]
        for r in range(2, 14)
    }
    assert block["Date of issue"] == "2024-11-15"


def test_notes_say_why_rates_do_not_total_100_and_why_equal_rates_pay_apart(
    book: Path, both: dict[str, cc.Assessment]
) -> None:
    ws = openpyxl.load_workbook(book)["Final"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    final = both["Final"]
    if final.rate_total != 100:
        assert f"total {final.rate_total}, not 100" in text
        assert "largest_remainder" in text
    assert "tie rule" in text
    assert "Certified correct" in text
    notes = [r for r in ws.merged_cells.ranges if r.min_col == 1]
    assert notes and all(r.max_col == ws.max_column for r in notes)  # wrapped across the table


def test_the_method_labels_stand_beside_the_first_line_of_their_values(book: Path) -> None:
    ws = openpyxl.load_workbook(book)["Method"]
    rows = [r for r in range(4, ws.max_row + 1) if ws.cell(row=r, column=2).value]
    assert rows
    for r in rows:
        assert ws.cell(row=r, column=1).alignment.vertical == "top"
        assert ws.cell(row=r, column=2).alignment.vertical == "top"
