"""The ledger's workbooks on paper and in their totals: A4, the footer, the header row on every
page, columns as wide as their longest value, the convention and the date named (not the
ledger's file), every status sheet with the same totals, superseded and void assessments
apart from those in force."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

import ccm_costs as cc
from ccm_costs.ledger import Ledger, Payment

D = dt.date
LONGEST_NAME = "United Kingdom of Great Britain and Northern Ireland"
STATUS_SHEETS = ("Status by state", "By assessment", "By year", "By convention")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("ledger")
    meeting = cc.get_meeting("12MSP")
    with Ledger.open(folder / "secret-name.sqlite") as ledger:
        estimate = ledger.record_assessment(
            cc.assess(meeting, total="500000.00"), issued=D(2024, 6, 3)
        )
        ledger.record_assessment(
            cc.assess(meeting.replace(observers=["Kenya"]), total="480000.00"),
            kind="final",
            supersedes=estimate.id,
            issued=D(2024, 11, 15),
        )
        other = ledger.record_assessment(
            cc.apportion("1000.00", ["Austria", "Chad"], scale="2022-2024"),
            meeting="X",
            issued=D(2024, 7, 1),
        )
        ledger.void(other.id, reason="issued in error", on=D(2024, 7, 2))
        ledger.import_payments(
            [
                Payment("B-1", "AUT", D(2024, 6, 20), 1_000_000, "USD"),
                Payment("B-2", "GBR", D(2024, 12, 1), 500_000, "USD"),
            ]
        )
        ledger.refund("Austria", "100.00", on=D(2024, 12, 20))
        return cc.write_ledger_workbook(folder / "ledger.xlsx", ledger, as_at=D(2025, 1, 31))


def header(ws: Worksheet) -> int:
    """The header row: the row printed on every page."""
    return int(str(ws.print_title_rows).split(":")[0].strip("$"))


def totals(ws: Worksheet) -> dict[str, object]:
    """Header -> the cached value of the Total row, for the money columns."""
    top = header(ws)
    row = next(r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Total")
    titles = [ws.cell(top, c).value for c in range(1, ws.max_column + 1)]
    return {
        str(t).split(" (")[0]: ws.cell(row, n).value
        for n, t in enumerate(titles, start=1)
        if t and "(USD)" in str(t)
    }


def test_every_sheet_prints_on_a4_with_a_footer_and_the_header_row_repeated(export: Path) -> None:
    wb = openpyxl.load_workbook(export)
    for ws in wb:
        assert ws.page_setup.paperSize == 9, ws.title
        assert ws.oddFooter.right.text == "Page &P of &N", ws.title
        assert "as at 2025-01-31" in (ws.oddFooter.left.text or ""), ws.title
        assert "Convention on Cluster Munitions" in (ws.oddFooter.left.text or ""), ws.title
        top = header(ws)
        assert ws.print_title_rows == f"${top}:${top}", ws.title
        assert top > 5 and ws.cell(top, 1).value, ws.title  # after the title block, once


def test_status_sheets_name_the_convention_and_date_never_the_file(export: Path) -> None:
    wb = openpyxl.load_workbook(export)
    for ws in wb:
        text = [str(c.value) for row in ws.iter_rows(max_row=12) for c in row if c.value]
        assert not any("secret-name" in t for t in text), ws.title
        assert "Convention on Cluster Munitions (CCM)" in text, ws.title
    ws = wb["Status by state"]
    width = ws.column_dimensions["A"].width
    assert width is not None and width >= len(LONGEST_NAME)
    assert any(c.value == LONGEST_NAME for c in ws["A"])


def test_every_status_sheet_has_the_same_totals(export: Path) -> None:
    wb = openpyxl.load_workbook(export, data_only=True)
    found = {name: totals(wb[name]) for name in STATUS_SHEETS}
    by_state = found["Status by state"]
    assert set(by_state) == {"Assessed", "Received", "Outstanding", "Credit", "Unapplied"}
    for name, sums in found.items():
        assert {k: sums[k] for k in by_state} == by_state, name
    ageing = totals(wb["Ageing"])
    assert ageing["Outstanding"] == by_state["Outstanding"]


def test_superseded_and_void_assessments_are_not_totalled_with_those_in_force(
    export: Path,
) -> None:
    wb = openpyxl.load_workbook(export, data_only=True)
    sums = totals(wb["Assessments"])
    assert sums == {"In force": 480000, "Superseded or void": 501000}
    assert sums["In force"] == totals(wb["Status by state"])["Assessed"]
    assert totals(wb["Assessment lines"]) == sums
    ws = wb["Assessments"]
    top = header(ws)
    standing = [ws.cell(r, 8).value for r in range(top + 1, top + 4)]
    assert standing == ["superseded by No. 2", "in force", "void on 2024-07-02: issued in error"]


def test_text_beside_a_number_stands_one_space_off(export: Path) -> None:
    ws = openpyxl.load_workbook(export)["Status by state"]
    top = header(ws)
    status = ws.cell(top + 1, 9)  # Status, right of Days overdue
    assert (status.value, status.alignment.horizontal, status.alignment.indent) == (
        "not paid",
        "left",
        1,
    )
    assert ws.column_dimensions["H"].width >= len("Days overdue")
