"""The status of contributions: figures per state, assessment and year, and the workbook."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from ledger_strategies import assessment
from openpyxl import load_workbook

import ccm_costs as cc
from ccm_costs import write_ledger_workbook
from ccm_costs.ledger import Ledger, Payment, status_of_contributions
from ccm_costs.ledger._status import NOT_PAID, PAID, PART_PAID

D = dt.date


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    """Two meetings in two years; AUT pays all and more, BEL part, KEN nothing."""
    ledger = Ledger.open(tmp_path / "ccm.sqlite")
    ledger.record_assessment(
        assessment(["AUT", "BEL", "KEN"], 300_000), meeting="11MSP", issued=D(2023, 6, 1)
    )
    ledger.record_assessment(
        assessment(["AUT", "BEL", "KEN"], 200_000), meeting="12MSP", issued=D(2024, 6, 1)
    )
    ledger.import_payments(
        [
            Payment("P1", "AUT", D(2023, 6, 20), 10**6, "USD"),
            Payment("P2", "BEL", D(2024, 7, 10), 1000, "USD"),
        ]
    )
    return ledger


def test_status_per_state(ledger: Ledger) -> None:
    status = status_of_contributions(ledger, D(2024, 12, 31))
    rows = status.by_state.set_index("iso3")
    assessed = {code: int(rows.loc[code, "assessed_minor"]) for code in ["AUT", "BEL", "KEN"]}
    assert sum(assessed.values()) == 500_000
    assert int(rows.loc["AUT", "credit_minor"]) == 10**6 - assessed["AUT"]
    assert int(rows.loc["BEL", "outstanding_minor"]) == assessed["BEL"] - 1000
    assert rows.loc["AUT", "status"] == PAID and rows.loc["BEL", "status"] == PART_PAID
    assert rows.loc["KEN", "status"] == NOT_PAID
    assert int(rows.loc["KEN", "days_overdue"]) == (D(2024, 12, 31) - D(2023, 7, 1)).days
    assert status.counts == {PAID: 1, PART_PAID: 1, NOT_PAID: 1}
    assert status.totals["received_minor"] == 10**6 + 1000
    assert all(str(status.by_state[c].dtype) == "int64" for c in status.totals)
    assert "1 state(s) paid in full, 1 part paid, 1 not paid" in status.summary()


def test_status_per_assessment_and_year_and_as_at_an_earlier_date(ledger: Ledger) -> None:
    status = status_of_contributions(ledger, D(2024, 12, 31))
    years = status.by_year.set_index("year")
    assert list(years.index) == [2023, 2024]
    assert int(years.loc[2023, "assessed_minor"]) == 300_000
    bel = status.by_assessment[status.by_assessment["iso3"] == "BEL"]
    assert list(bel["received_minor"]) == [1000, 0]  # the oldest first
    earlier = status_of_contributions(ledger, D(2023, 12, 31))
    assert earlier.totals["assessed_minor"] == 300_000
    assert earlier.totals["received_minor"] == 10**6
    assert int(earlier.by_state.set_index("iso3").loc["BEL", "days_overdue"]) == 183


STATUS_SHEETS = ("Status by state", "By assessment", "By year", "Ageing", "By convention")


def test_status_workbook_in_the_assessment_style(ledger: Ledger, tmp_path: Path) -> None:
    status = status_of_contributions(ledger, D(2024, 12, 31))
    path = cc.write_status_workbook(tmp_path / "status.xlsx", status, produced=D(2025, 1, 2))
    wb = load_workbook(path)
    assert wb.sheetnames == [*STATUS_SHEETS]
    ws = wb["Status by state"]
    assert ws["A1"].value == "Status of contributions as at 2024-12-31"
    header_row = next(r for r in range(1, 20) if ws.cell(r, 1).value == "State")
    assert ws.freeze_panes == f"A{header_row + 1}"
    assert ws.auto_filter.ref.startswith(f"A{header_row}:I")  # 9 columns: credit, unapplied
    total_row = header_row + 4
    assert ws.cell(total_row, 1).value == "Total"
    assert ws.cell(total_row, 3).value == f"=SUM(C{header_row + 1}:C{header_row + 3})"
    assert "#,##0.00" in ws.cell(header_row + 1, 3).number_format
    notes = [ws.cell(r, 1).value for r in range(total_row + 2, ws.max_row + 1)]
    assert "Provenance" in notes and any(str(n).startswith("payment rule: oldest") for n in notes)
    cached = pd.read_excel(path, sheet_name="Status by state", header=header_row - 1)
    assert float(cached.iloc[3, 2]) == 5000.0  # the cached SUM: 500,000 cents


def test_whole_ledger_workbook(ledger: Ledger, tmp_path: Path) -> None:
    path = write_ledger_workbook(tmp_path / "ledger.xlsx", ledger, as_at=D(2024, 12, 31))
    wb = load_workbook(path)
    assert wb.sheetnames == [
        *STATUS_SHEETS,
        "Assessments",
        "Assessment lines",
        "Payments",
        "Refunds and transfers",
        "Applications",
        "Provenance",
    ]
    payments = wb["Payments"]
    header = next(r for r in range(1, 20) if payments.cell(r, 1).value == "Reference")
    assert [payments.cell(header + n, 1).value for n in (1, 2)] == ["P1", "P2"]
    assert payments.cell(header + 1, 2).number_format == "yyyy-mm-dd"
    provenance = wb["Provenance"]
    assert any(cell.value == "scale" for row in provenance.iter_rows() for cell in row)
