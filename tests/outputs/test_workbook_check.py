"""check_workbook finds every difference: a one-cent change, a swapped state, a missing state,
an extra or unknown state, in our own workbooks and in plain tables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ccm_costs as cc
from ccm_costs import check_workbook, read_assessment_table


@pytest.fixture(scope="module")
def assessment() -> cc.Assessment:
    return cc.assess(cc.get_meeting("12MSP").replace(observers=["Kenya"]), total="500000.00")


@pytest.fixture
def ours(tmp_path: Path, assessment: cc.Assessment) -> Path:
    return assessment.to_excel(tmp_path / "ours.xlsx", produced=dt.date(2026, 11, 28))


def edit(path: Path, change: str) -> Path:
    """Change our workbook as a careless colleague would, and save it under a new name."""
    wb = openpyxl.load_workbook(path)
    ws = wb["Assessment"]
    top = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")
    first = top + 1
    if change == "cent":
        cell = ws.cell(row=first + 3, column=8)
        cell.value = Decimal(str(cell.value)) + Decimal("0.01")
    elif change == "swap":  # Austria's and Belgium's names and codes change places
        aut = next(r for r in range(first, first + 200) if ws.cell(row=r, column=3).value == "AUT")
        bel = next(r for r in range(first, first + 200) if ws.cell(row=r, column=3).value == "BEL")
        for column in (2, 3):
            a, b = ws.cell(row=aut, column=column), ws.cell(row=bel, column=column)
            a.value, b.value = b.value, a.value
    elif change == "missing":
        ws.delete_rows(first + 5)
    out = path.with_name(f"{change}.xlsx")
    wb.save(out)  # openpyxl keeps no cached values: the formulas are read as formulas
    return out


def test_our_own_workbook_checks_clean(ours: Path, assessment: cc.Assessment) -> None:
    result = check_workbook(ours)
    assert result.ok, result.summary()
    assert "No differences" in result.summary()
    assert result.differences.empty
    assert check_workbook(ours, assessment).ok


def test_a_one_cent_change_is_found(ours: Path, assessment: cc.Assessment) -> None:
    result = check_workbook(edit(ours, "cent"), assessment)
    found = result.differences
    assert list(found["check"]) == ["amount", "total"]
    line = assessment.lines[3]
    assert found.iloc[0]["iso3"] == line.iso3
    assert found.iloc[0]["difference"] == Decimal("0.01")
    assert found.iloc[0]["expected"] == line.amount
    assert f"{line.state} ({line.iso3}) amount" in result.summary()
    assert not result.ok


def test_a_swapped_state_is_found(ours: Path, assessment: cc.Assessment) -> None:
    found = check_workbook(edit(ours, "swap"), assessment).differences
    amounts = found[found["check"] == "amount"]
    assert sorted(amounts["iso3"]) == ["AUT", "BEL"]
    both = amounts.set_index("iso3")["difference"]
    assert both["AUT"] == -both["BEL"] != 0
    assert "total" not in set(found["check"])  # the amounts still add up


def test_a_missing_state_is_found(ours: Path, assessment: cc.Assessment) -> None:
    gone = assessment.lines[5]
    found = check_workbook(edit(ours, "missing"), assessment).differences
    missing = found[found["check"] == "missing"]
    assert list(missing["iso3"]) == [gone.iso3]
    assert missing.iloc[0]["expected"] == gone.amount
    assert "total" in set(found["check"])


def test_a_plain_table_with_extra_unknown_and_repeated_states(tmp_path: Path) -> None:
    expected = cc.apportion("1000.00", ["Austria", "Belgium", "Chile"], scale="2022-2024")
    rows = [
        ("Austria", expected["AUT"].amount),
        ("Belgium", expected["BEL"].amount),
        ("Belgium", expected["BEL"].amount),
        ("Chle", expected["CHL"].amount),
        ("Kenya", Decimal("1.00")),
    ]
    path = tmp_path / "plain.xlsx"
    pd.DataFrame(
        {"Country": [r[0] for r in rows], "Contribution": [float(r[1]) for r in rows]}
    ).to_excel(path, index=False)
    result = check_workbook(path, expected)
    checks = list(result.differences["check"])
    assert checks.count("duplicate") == 1
    assert checks.count("unknown state") == 1 and "did you mean 'Chile" in result.summary()
    assert checks.count("extra") == 1 and checks.count("missing") == 1  # Kenya in, Chile out
    assert result.differences.iloc[0]["row"] == 4


def test_a_plain_table_recomputed_from_scale_and_total(tmp_path: Path) -> None:
    expected = cc.apportion("1000.00", ["Austria", "Belgium", "Chile"], scale="2022-2024")
    path = tmp_path / "plain.xlsx"
    pd.DataFrame(
        {"State": ["Austria", "Belgium", "Chile"], "Amount": [float(x.amount) for x in expected]}
    ).to_excel(path, index=False)
    assert check_workbook(path, scale="2022-2024", total="1000.00").ok
    off = check_workbook(path, scale="2022-2024", total="1000.01")
    assert set(off.differences["check"]) >= {"total"}
    with pytest.raises(cc.InvalidInputError, match="scale="):
        check_workbook(path)  # a plain table states no scale


def test_a_formula_without_a_stored_value_is_a_finding(ours: Path, tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(ours)
    ws = wb["Assessment"]
    top = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")
    ws.cell(row=top + 1, column=8).value = "=1+1"
    wb.save(tmp_path / "formula.xlsx")
    result = check_workbook(tmp_path / "formula.xlsx")
    unreadable = result.differences[result.differences["check"] == "unreadable"]
    assert list(unreadable["row"]) == [top + 1]
    assert "open and save the file" in unreadable["message"].iloc[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "does not exist"), (b"not a zip file", "not an .xlsx workbook")],
)
def test_bad_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.xlsx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(cc.InvalidInputError, match=message):
        check_workbook(path)


def test_a_sheet_without_a_table_and_an_unknown_sheet(tmp_path: Path, ours: Path) -> None:
    path = tmp_path / "empty.xlsx"
    pd.DataFrame({"a": [1]}).to_excel(path, index=False)
    with pytest.raises(cc.InvalidInputError, match="no assessment table"):
        read_assessment_table(path)
    with pytest.raises(cc.InvalidInputError, match="no sheet 'Nope'; its sheets are"):
        read_assessment_table(ours, sheet="Nope")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(min_value=0, max_value=112), cents=st.sampled_from([-100, -1, 1, 7]))
def test_any_changed_amount_is_found_and_only_that(
    tmp_path_factory: pytest.TempPathFactory, assessment: cc.Assessment, index: int, cents: int
) -> None:
    folder = tmp_path_factory.mktemp("w")
    path = assessment.to_excel(folder / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["Assessment"]
    top = next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")
    cell = ws.cell(row=top + 1 + index, column=8)
    cell.value = Decimal(str(cell.value)) + Decimal(cents) / 100
    wb.save(folder / "b.xlsx")
    found = check_workbook(folder / "b.xlsx", assessment).differences
    assert list(found["check"]) == ["amount", "total"]
    assert found.iloc[0]["iso3"] == assessment.lines[index].iso3
    assert found.iloc[0]["difference"] == found.iloc[1]["difference"] == Decimal(cents) / 100


# ----------------------------------------------- what a delegation's budget officer runs into


def row_of(ws: openpyxl.worksheet.worksheet.Worksheet, iso3: str) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=3).value == iso3)


@pytest.mark.parametrize("name", ["Nigeria", "Nigerr"])
def test_a_name_that_is_not_its_codes_state_is_a_finding(
    ours: Path, tmp_path: Path, name: str
) -> None:
    wb = openpyxl.load_workbook(ours)
    ws = wb["Assessment"]
    ner = row_of(ws, "NER")
    ws.cell(row=ner, column=2).value = name  # Niger renamed, its code NER kept
    wb.save(tmp_path / "renamed.xlsx")
    result = check_workbook(tmp_path / "renamed.xlsx")
    assert list(result.differences["check"]) == ["name"]
    finding = result.differences.iloc[0]
    assert finding["row"] == ner and finding["iso3"] == "NER"
    assert "NER" in finding["message"] and name in finding["message"]
    assert "No differences" not in result.summary()


def test_a_text_amount_is_a_finding_and_the_rest_is_still_checked(
    ours: Path, tmp_path: Path, assessment: cc.Assessment
) -> None:
    wb = openpyxl.load_workbook(ours)
    ws = wb["Assessment"]
    aut, bel = row_of(ws, "AUT"), row_of(ws, "BEL")
    ws.cell(row=aut, column=8).value = f"{assessment['AUT'].amount:,}"  # typed as text
    ws.cell(row=bel, column=8).value = float(assessment["BEL"].amount) + 0.01
    wb.save(tmp_path / "text.xlsx")
    result = check_workbook(tmp_path / "text.xlsx")
    found = result.differences.set_index("check")
    assert found.loc["unreadable", "row"] == aut
    assert "typed as text" in found.loc["unreadable", "message"] or "comma" in str(
        found.loc["unreadable", "message"]
    )
    assert found.loc["amount", "iso3"] == "BEL"  # the rows after it are still checked
    assert result.summary().startswith("text.xlsx, sheet 'Assessment'")


def test_the_multilateral_funds_layout_is_read(tmp_path: Path) -> None:
    expected = cc.apportion("1000.00", ["Austria", "Belgium", "Chile"], scale="2022-2024")
    path = tmp_path / "mlf.xlsx"
    pd.DataFrame(
        {
            "No.": [1, 2, 3],
            "Party": [line.state for line in expected],
            "UN scale": [float(line.un_rate) for line in expected],
            "Adjusted scale": [float(line.rate) for line in expected],
            "Contribution": [float(line.amount) for line in expected],
        }
    ).to_excel(path, index=False)
    table = read_assessment_table(path)
    assert [row.state for row in table.rows] == [line.state for line in expected]
    assert all(row.un_rate is not None and row.rate is not None for row in table.rows)
    assert check_workbook(path, expected).ok
    for header in ("Country", "Member State", "State"):
        pd.DataFrame({header: ["Austria"], "Amount": [1.0]}).to_excel(path, index=False)
        assert read_assessment_table(path).rows[0].state == "Austria", header


def test_every_sheet_with_a_table_is_named_and_can_be_checked(tmp_path: Path) -> None:
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="480000.00")
    final = cc.assess(meeting.replace(observers=["Kenya"]), total="500000.00")
    path = cc.write_workbook(tmp_path / "both.xlsx", {"Estimate": estimate, "Final": final})
    first = check_workbook(path, estimate)
    assert first.table.sheet == "Estimate" and first.table.other_sheets == ("Final",)
    assert "'Final'" in first.summary()
    assert check_workbook(path, final, sheet="Final").ok


def test_a_meeting_without_observers_takes_those_the_workbook_lists(ours: Path) -> None:
    result = check_workbook(ours, meeting=cc.get_meeting("12MSP"))
    assert result.ok, result.summary()
    assert "with the 1 observer the workbook lists (KEN)" in result.basis
    assert "the total the workbook states" in result.basis
    told = check_workbook(ours, meeting=cc.get_meeting("12MSP").replace(observers=["Angola"]))
    assert {"missing", "extra"} <= set(told.differences["check"])  # what the caller said wins
    with pytest.raises(cc.InvalidInputError, match="not both"):
        check_workbook(ours, told.expected, meeting=cc.get_meeting("12MSP"))
