"""The reconciliation workbook, read back from the saved file: per state the estimate, the final,
the difference as an additional bill or a credit, one-sided states labelled, ``=SUM`` totals
whose cached values add up exactly; and assessment workbooks read back for reconciling."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.worksheet import Worksheet
from strategies import money_strings, participants

import ccm_costs as cc
from ccm_costs.ledger._reconcile import BOTH, ESTIMATE_ONLY, FINAL_ONLY

COLUMNS = ("No.", "State", "ISO3", "Estimate", "Final", "Difference", "Additional bill",
           "Credit", "Note")  # fmt: skip


def header_row(ws: Worksheet) -> int:
    return next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")


def minor(value: object) -> int:
    """A cached cell value (the nearest double of an amount in cents) as cents, exactly."""
    assert isinstance(value, int | float), value
    cents = Decimal(repr(value)) * 100
    assert cents == cents.to_integral_value(), value
    return int(cents)


def read_back(path: Path) -> tuple[Worksheet, Worksheet, int, int]:
    """The sheet with formulas, the sheet with cached values, the first and the total row."""
    formulas = openpyxl.load_workbook(path)["Reconciliation"]
    values = openpyxl.load_workbook(path, data_only=True)["Reconciliation"]
    top = header_row(formulas)
    total = next(
        r for r in range(top + 1, formulas.max_row + 1) if formulas.cell(r, 2).value == "Total"
    )
    return formulas, values, top + 1, total


def check_workbook_figures(path: Path, result: cc.Reconciliation) -> None:
    """Every figure of the saved workbook against the reconciliation, and its totals."""
    formulas, values, first, total = read_back(path)
    headers = [formulas.cell(first - 1, c).value for c in range(1, 10)]
    assert [str(h).split(" (")[0].split(":")[0] for h in headers] == list(COLUMNS)
    assert total - first == len(result.lines)
    for n, line in enumerate(result.lines):
        r = first + n
        assert values.cell(r, 2).value == line.state and values.cell(r, 3).value == line.iso3
        estimate, final = values.cell(r, 4).value, values.cell(r, 5).value
        assert (estimate is None) == (line.presence == FINAL_ONLY)
        assert (final is None) == (line.presence == ESTIMATE_ONLY)
        assert (0 if estimate is None else minor(estimate)) == line.estimated_minor
        assert (0 if final is None else minor(final)) == line.final_minor
        assert formulas.cell(r, 6).value == f"=N(E{r})-N(D{r})"
        assert minor(values.cell(r, 6).value) == line.difference_minor
        assert minor(values.cell(r, 7).value) == max(line.difference_minor, 0)
        assert minor(values.cell(r, 8).value) == max(-line.difference_minor, 0)
        note = values.cell(r, 9).value
        assert note == (None if line.presence == BOTH else line.presence)
    last = total - 1
    for column, letter in zip(range(4, 9), "DEFGH", strict=True):
        assert formulas.cell(total, column).value == f"=SUM({letter}{first}:{letter}{last})"
    cached = {c: minor(values.cell(total, c).value) for c in range(4, 9)}
    assert cached[4] == result.estimated_total_minor
    assert cached[5] == result.final_total_minor
    # the differences sum to the final total less the estimated total, exactly
    assert cached[6] == result.final_total_minor - result.estimated_total_minor
    assert sum(minor(values.cell(r, 6).value) for r in range(first, total)) == cached[6]
    assert cached[7] - cached[8] == cached[6]


@settings(max_examples=25, deadline=None)
@given(
    before=participants(max_size=20),
    after=participants(max_size=20),
    estimated=money_strings,
    actual=money_strings,
    currency=st.sampled_from(["USD", "EUR"]),
)
def test_the_workbook_read_back_adds_up_exactly(
    before: list[str], after: list[str], estimated: str, actual: str, currency: str
) -> None:
    estimate = cc.apportion(estimated, before, scale="2019-2021", currency=currency)
    final = cc.apportion(actual, after, scale="2019-2021", currency=currency)
    with tempfile.TemporaryDirectory() as folder:
        # through the assessment workbooks, read back: the same reconciliation
        estimate.to_excel(Path(folder) / "e.xlsx")
        final.to_excel(Path(folder) / "f.xlsx")
        read = [cc.read_assessment_workbook(Path(folder) / n) for n in ("e.xlsx", "f.xlsx")]
        result = cc.reconcile(*read)
        assert result.lines == cc.reconcile(estimate, final).lines
        assert [r.total_minor for r in read] == [estimate.total_minor, final.total_minor]
        path = cc.write_reconciliation_workbook(Path(folder) / "r.xlsx", result)
        check_workbook_figures(path, result)


@pytest.fixture(scope="module")
def meeting_pair() -> tuple[cc.Assessment, cc.Assessment]:
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting.replace(observers=["Angola"]), total="500000.00")
    final = cc.assess(meeting.replace(observers=["Kenya"]), total="480000.00")
    return estimate, final


def test_one_sided_states_are_labelled_and_both_sources_are_named(
    meeting_pair: tuple[cc.Assessment, cc.Assessment], tmp_path: Path
) -> None:
    estimate, final = meeting_pair
    estimate.to_excel(tmp_path / "estimate.xlsx", issued=dt.date(2024, 6, 3))
    result = cc.reconcile(cc.read_assessment_workbook(tmp_path / "estimate.xlsx"), final)
    path = cc.write_reconciliation_workbook(
        tmp_path / "r.xlsx", result, issued=dt.date(2024, 11, 15), produced=dt.date(2024, 11, 16)
    )
    check_workbook_figures(path, result)
    _, values, first, total = read_back(path)
    title = {values.cell(r, 2).value: values.cell(r, 3).value for r in range(2, header_row(values))}
    assert title["Meeting"] == "12MSP: Twelfth Meeting of States Parties"
    assert title["Estimate"] == "estimate.xlsx, sheet 'Assessment', issued 2024-06-03"
    assert title["Final assessment"] == "the assessment of 12MSP: Twelfth Meeting of States Parties"
    assert title["Final only (not in the estimate)"] == "Kenya"
    assert title["Estimate only (did not participate)"] == "Angola"
    assert minor(title["Difference, final less estimate (USD)"]) == -2_000_000
    assert title["Date of issue"] == "2024-11-15" and title["Produced"] == "2024-11-16"
    assert title["Library"] == f"ccm_costs {cc.__version__}"
    rows = {values.cell(r, 3).value: r for r in range(first, total)}
    assert values.cell(rows["AGO"], 5).value is None
    assert values.cell(rows["AGO"], 9).value == ESTIMATE_ONLY
    assert minor(values.cell(rows["AGO"], 8).value) == estimate["AGO"].amount_minor
    assert values.cell(rows["KEN"], 4).value is None
    assert minor(values.cell(rows["KEN"], 7).value) == final["KEN"].amount_minor
    text = [str(values.cell(r, 1).value) for r in range(total + 1, values.max_row + 1)]
    assert "Provenance of the estimate" in text and "Provenance of the final assessment" in text
    assert any(t.startswith("workbook: ") and "estimate.xlsx" in t for t in text)
    assert "Certified correct" in text
    assert any("Additional bills less credits" in t and "-20,000.00 USD" in t for t in text)


def test_it_prints_as_the_other_workbooks_do(
    meeting_pair: tuple[cc.Assessment, cc.Assessment], tmp_path: Path
) -> None:
    result = cc.reconcile(*meeting_pair)
    path = cc.write_reconciliation_workbook(
        tmp_path / "r.xlsx", result, issued=dt.date(2024, 11, 15)
    )
    ws = openpyxl.load_workbook(path)["Reconciliation"]
    top = header_row(ws)
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert ws.oddFooter.left.text == "12MSP: Twelfth Meeting of States Parties - issued 2024-11-15"
    assert ws.print_title_rows == f"${top}:${top}" and ws.freeze_panes == f"A{top + 1}"
    widest = max(len(line.state) for line in result.lines)
    assert ws.column_dimensions["B"].width >= widest + 2  # no state name is cut
    letter = cc.write_reconciliation_workbook(tmp_path / "us.xlsx", result, paper="letter")
    assert openpyxl.load_workbook(letter).active.page_setup.paperSize == 1
    with pytest.raises(cc.InvalidInputError, match="paper 'A5' is not known"):
        cc.write_reconciliation_workbook(tmp_path / "a5.xlsx", result, paper="A5")
    with pytest.raises(cc.InvalidInputError, match="not a Reconciliation"):
        cc.write_reconciliation_workbook(tmp_path / "x.xlsx", meeting_pair[0])  # type: ignore[arg-type]
    assert not (tmp_path / "a5.xlsx").exists() and not (tmp_path / "x.xlsx").exists()


def test_a_workbook_of_estimate_and_final_is_read_sheet_by_sheet(
    meeting_pair: tuple[cc.Assessment, cc.Assessment], tmp_path: Path
) -> None:
    estimate, final = meeting_pair
    path = cc.write_workbook(tmp_path / "both.xlsx", {"Estimate": estimate, "Final": final})
    with pytest.raises(cc.InvalidInputError, match=r"2 assessment sheets.*sheet='Estimate'"):
        cc.read_assessment_workbook(path)
    read = cc.read_assessment_workbook(path, sheet="Final")
    assert read.source == "both.xlsx, sheet 'Final'"
    assert {ln.iso3: ln.amount_minor for ln in read.lines} == {
        ln.iso3: ln.amount_minor for ln in final.lines
    }
    assert read.line_of("KEN") is not None and read.line_of("AGO") is None
    assert read.total == final.total and read.currency == "USD"
    assert read.provenance()["meeting"] == "12MSP: Twelfth Meeting of States Parties"
    assert read.provenance()["resolution"] == "A/RES/76/238"
    # the provenance written under the table, read back whole
    assert final.provenance().items() <= read.provenance().items()
