"""Assessment workbooks: values read back equal the Assessment, formulas where an auditor
expects them, print setup, several assessments, and no formula injection from user text."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.worksheet.worksheet import Worksheet
from strategies import participants

import ccm_costs as cc
from ccm_costs import write_workbook

DAY = dt.date(2026, 11, 28)
FORMULA = re.compile(r"^=(SUM\([A-Z]+\d+:[A-Z]+\d+\)|E\d+/\$E\$\d+\*100|N\(E\d+\)-N\(D\d+\))$")


@pytest.fixture(scope="module")
def assessment() -> cc.Assessment:
    meeting = cc.get_meeting("12MSP").replace(observers=["Angola", "Kenya"])
    return cc.assess(meeting, total="500000.00")


def header_row(ws: Worksheet) -> int:
    return next(r for r in range(1, 40) if ws.cell(row=r, column=1).value == "No.")


def as_decimal(value: object) -> Decimal:
    assert isinstance(value, int | float), value
    return Decimal(repr(value))


def test_values_read_back_equal_the_assessment(tmp_path: Path, assessment: cc.Assessment) -> None:
    path = assessment.to_excel(tmp_path / "a.xlsx", produced=DAY)
    ws = openpyxl.load_workbook(path, data_only=True)["Assessment"]
    top = header_row(ws)
    headers = [c.value for c in ws[top]]
    assert headers[:5] == ["No.", "State", "ISO3", "Role", "UN scale of assessment 2022-2024 (%)"]
    assert headers[5] == "Pro-rata share of the UN scale 2022-2024 (%)"
    assert headers[6:8] == ["Adjusted rate (%), 3 decimals", "Amount (USD)"]
    for n, line in enumerate(assessment.lines):
        row = [c.value for c in ws[top + 1 + n]]
        assert row[:4] == [n + 1, line.state, line.iso3, line.role]
        assert as_decimal(row[4]) == line.un_rate
        assert row[5] == float(line.steps["pro_rata"] * 100)  # the cached formula value
        assert as_decimal(row[6]) == line.rate
        assert as_decimal(row[7]) == line.amount
    totals = [c.value for c in ws[top + 1 + len(assessment)]]
    assert totals[1] == "Total"
    assert as_decimal(totals[4]) == sum(line.un_rate for line in assessment)
    assert totals[5] == 100.0
    assert as_decimal(totals[6]) == assessment.rate_total
    assert as_decimal(totals[7]) == assessment.total == Decimal("500000.00")


def test_title_block_states_meeting_article_total_scale_and_date(
    tmp_path: Path, assessment: cc.Assessment
) -> None:
    path = assessment.to_excel(tmp_path / "a.xlsx", produced=DAY)
    ws = openpyxl.load_workbook(path, data_only=True)["Assessment"]
    block = {row[1]: row[2] for row in ws.iter_rows(max_row=header_row(ws) - 1, values_only=True)}
    assert str(block["Meeting"]).startswith("12MSP")
    assert str(block["Cost type and article"]).startswith("Article 14(1)")
    assert block["Total"] == 500000
    assert block["Currency"] == "USD"
    assert block["UN scale of assessment"] == "2022-2024"
    assert block["GA resolution"] == "A/RES/76/238"
    assert block["Produced"] == "2026-11-28"
    assert "AGO, KEN" in str(block["Participants"])


def test_totals_and_pro_rata_shares_are_formulas(tmp_path: Path, assessment: cc.Assessment) -> None:
    path = assessment.to_excel(tmp_path / "a.xlsx", produced=DAY)
    ws = openpyxl.load_workbook(path)["Assessment"]
    top = header_row(ws)
    first, last = top + 1, top + len(assessment)
    total = last + 1
    assert ws.cell(row=first, column=6).value == f"=E{first}/$E${total}*100"
    for column in "EFGH":
        assert ws[f"{column}{total}"].value == f"=SUM({column}{first}:{column}{last})"
    assert isinstance(ws.cell(row=first, column=8).value, Decimal | float | int)


def test_layout_freeze_filter_print_setup(tmp_path: Path, assessment: cc.Assessment) -> None:
    path = assessment.to_excel(tmp_path / "a.xlsx", produced=DAY)
    ws = openpyxl.load_workbook(path)["Assessment"]
    top = header_row(ws)
    assert ws.freeze_panes == f"A{top + 1}"
    assert ws.auto_filter.ref == f"A{top}:I{top + len(assessment) + 1}"
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr is not None
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${top}:${top}"  # the header row, the title block once
    assert ws.column_dimensions["B"].width >= 30
    assert "#,##0.00" in ws.cell(row=top + 1, column=8).number_format
    assert ws.cell(row=top + 1, column=5).number_format == "0.000"


def test_method_sheet_has_rules_rounding_tie_rule_policy_sources_and_version(
    tmp_path: Path, assessment: cc.Assessment
) -> None:
    path = assessment.to_excel(tmp_path / "a.xlsx", produced=DAY)
    text = "\n".join(
        str(value)
        for row in openpyxl.load_workbook(path)["Method"].iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    for expected in (
        "rules\nrule set 'un-pro-rata'",
        "pro rata over the payers that share the cost",
        "tie rule\nlargest remainder",
        "non-member rates\n",
        "resolution\nA/RES/76/238",
        "ccm_costs",
        "UN scale 2022-2024",
        "GA notional rate",  # the Holy See's rate source
    ):
        assert expected in text


def test_several_assessments_side_by_side(tmp_path: Path, assessment: cc.Assessment) -> None:
    estimate = cc.assess(cc.get_meeting("12MSP"), total="480000.00")
    path = write_workbook(tmp_path / "ab.xlsx", {"Estimate": estimate, "Final": assessment})
    wb = openpyxl.load_workbook(path, data_only=True)
    assert wb.sheetnames == ["Estimate", "Final", "Side by side", "Method"]
    ws = wb["Side by side"]
    top = header_row(ws)
    rows = list(ws.iter_rows(min_row=top + 1, values_only=True))
    by_code = {row[2]: row for row in rows if row[2]}
    assert by_code["AGO"][3] is None and as_decimal(by_code["AGO"][4]) == assessment["AGO"].amount
    deu = by_code["DEU"]
    assert as_decimal(deu[5]) == assessment["DEU"].amount - estimate["DEU"].amount
    totals = rows[len(by_code)]
    assert totals[1] == "Total"
    assert as_decimal(totals[5]) == Decimal("20000.00")
    formulas = openpyxl.load_workbook(path)["Side by side"]
    assert formulas.cell(row=top + 1, column=6).value == f"=N(E{top + 1})-N(D{top + 1})"


def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    attacks = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(1)", "=cmd|' /C calc'!A0"]
    codes = ["AUT", "BEL", "CHE", "DNK", "EST"]
    # a scale's state names must name its states, so the hostile text comes in as roles
    assessment = cc.apportion(
        "1000.00", codes, scale="2022-2024", roles=dict(zip(codes, attacks, strict=True)),
        context={"meeting": "=1+1 meeting", "notes": "@evil"},
    )  # fmt: skip
    path = assessment.to_excel(tmp_path / "h.xlsx", produced=DAY)
    wb = openpyxl.load_workbook(path)
    formulas = [
        cell.value for ws in wb for row in ws.iter_rows() for cell in row if cell.data_type == "f"
    ]
    assert formulas and all(FORMULA.match(str(f)) for f in formulas), formulas
    texts = {cell.value for ws in wb for row in ws.iter_rows() for cell in row}
    assert set(attacks) <= texts and "=1+1 meeting" in texts
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets"))
    assert "cmd|" not in re.sub(r"<is>.*?</is>", "", xml)  # only ever inside inline text


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(states=participants(min_size=5, max_size=25))
def test_cached_totals_equal_the_library_for_any_participants(
    tmp_path_factory: pytest.TempPathFactory, states: list[str]
) -> None:
    ceiling = cc.rules.load("un-pro-rata").replace(ceiling="22")
    assessment = cc.apportion("123456.78", states, scale="2019-2021", rules=ceiling)
    path = assessment.to_excel(tmp_path_factory.mktemp("x") / "a.xlsx", produced=DAY)
    ws = openpyxl.load_workbook(path, data_only=True)["Assessment"]
    top = header_row(ws)
    column = [c.value for c in ws[top]].index("Amount (USD)") + 1
    assert [c.value for c in ws[top]][column - 3] == "After ceiling, floor and pinned shares (%)"
    rows = range(top + 1, top + 1 + len(states))
    amounts = [as_decimal(ws.cell(row=r, column=column).value) for r in rows]
    assert amounts == [line.amount for line in assessment]
    total = ws.cell(row=top + 1 + len(states), column=column).value
    assert as_decimal(total) == Decimal("123456.78")


def test_no_assessment_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(cc.InvalidInputError, match="at least one"):
        write_workbook(tmp_path / "x.xlsx", {})


def test_a_montreal_style_workbook_shows_one_column_per_published_step(tmp_path: Path) -> None:
    scale = cc.load_scale("2010-2012")
    a = cc.apportion("4276933", [*scale.units, "EU"], scale=scale, rules="montreal-trust-fund")
    ws = openpyxl.load_workbook(write_workbook(tmp_path / "m.xlsx", a))["Assessment"]
    header = next([str(c.value) for c in row] for row in ws.iter_rows() if row[0].value == "No.")
    steps = header[header.index("UN scale of assessment 2010-2012 (%)") + 1 :]
    assert steps[:3] == [
        "Pro-rata share of the UN scale 2010-2012 (%)",
        "Adjusted UN scale to exclude non-contributors (%)",
        "Adjusted UN scale with 22% maximum assessment rate considered (%)",
    ]
    rows = {row[2].value: row for row in ws.iter_rows() if row[2].value in {"DZA", "AFG", "AUS"}}
    column = header.index("Adjusted UN scale to exclude non-contributors (%)")
    assert rows["AFG"][column].value == 0 and "excluded" in str(rows["AFG"][-1].value)
    assert round(rows["AUS"][column].value, 9) == 1.933  # the UN rate still counted
