"""The UN Committee on Contributions' workbook: the real one (when ../shared is beside the
checkout) reproduces the shipped CSVs; a small synthetic one in the same layout always runs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import SHARED, requires_shared

import ccm_costs as cc
from ccm_costs._reference.un_workbook import clean_workbook_name

WORKBOOK = (
    SHARED
    / "data"
    / "un_scale_of_assessment"
    / "un_workbook"
    / "Scale of Assessments for RB 1946-2027.xlsx"
)

needs_workbook = requires_shared(WORKBOOK)

PERIODS = [
    "2010-2012",
    "2013-2015",
    "2016-2018",
    "2019-2021",
    "2022-2024",
    "2025-2027",
]


# ------------------------------------------------------------------------ the real workbook


@needs_workbook
@pytest.mark.parametrize("period", PERIODS)
def test_real_workbook_reproduces_the_shipped_scale(period: str) -> None:
    shipped = cc.load_scale(period)
    scale = cc.read_un_workbook(WORKBOOK, period)
    assert scale.period == period
    assert dict(scale.units) == dict(shipped.units)
    assert scale.total_units == 100_000
    assert scale.resolution == shipped.resolution
    assert WORKBOOK.name in scale.source
    assert period in scale.source


@needs_workbook
@pytest.mark.parametrize(
    ("when", "period"),
    [
        (2020, "2019-2021"),
        ("2020", "2019-2021"),
        ("2019\u20132021", "2019-2021"),
        (dt.date(2023, 6, 1), "2022-2024"),
        (dt.datetime(2027, 12, 31, 23, 59), "2025-2027"),
        (2010, "2010-2012"),
    ],
)
def test_real_workbook_period_as_year_or_date(when: object, period: str) -> None:
    scale = cc.read_un_workbook(WORKBOOK, when)  # type: ignore[arg-type]
    assert scale.period == period
    assert scale.units == cc.load_scale(period).units


@needs_workbook
def test_real_workbook_resolution_recorded() -> None:
    assert cc.read_un_workbook(WORKBOOK, 2020).resolution == "A/RES/73/271"
    assert cc.read_un_workbook(WORKBOOK, 2025).resolution == "A/RES/79/249"


@needs_workbook
def test_real_workbook_names_are_cleaned() -> None:
    scale = cc.read_un_workbook(WORKBOOK, "2025-2027")
    assert scale.names["DEU"] == "Germany"
    assert scale.names["TUR"] == "Türkiye"
    assert scale.names["SRB"] == "Serbia"
    assert scale.names["MMR"] == "Myanmar"
    assert scale.names["MKD"] == "North Macedonia"
    assert not any("/" in n or "formerly" in n for n in scale.names.values())


@needs_workbook
@pytest.mark.parametrize("when", [2030, "2028-2030", "2019-2022", 1900])
def test_real_workbook_period_not_in_it(when: object) -> None:
    with pytest.raises(cc.UnknownPeriodError) as info:
        cc.read_un_workbook(WORKBOOK, when)  # type: ignore[arg-type]
    message = str(info.value)
    assert isinstance(info.value, KeyError)
    assert repr(when) in message
    assert WORKBOOK.name in message
    assert "2025-2027" in message


# ------------------------------------------------------------------------ names


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Germany    e/", "Germany"),
        ("German Democratic Republic  e/", "German Democratic Republic"),
        ("Türkiye (formerly Turkey)", "Türkiye"),
        ("Serbia (formerly Yugoslavia) f/", "Serbia"),
        ("Myanmar (formerly  Burma)", "Myanmar"),
        ("North Macedonia (formerly the former Yugoslav Republic of Macedonia)", "North Macedonia"),
        ("Bolivia (Plurinational State of)", "Bolivia (Plurinational State of)"),
        ("Iran (Islamic Republic of)", "Iran (Islamic Republic of)"),
        ("  Guinea-Bissau ", "Guinea-Bissau"),
        ("Côte d'Ivoire", "Côte d'Ivoire"),
    ],
)
def test_clean_workbook_name(raw: str, clean: str) -> None:
    assert clean_workbook_name(raw) == clean


# ------------------------------------------------------------------------ a synthetic workbook

DASH = "          -"
# Columns: A names, B a single year (1946), C 2019-2021, D 2022-2024; years stacked in three
# header rows ending with "Member State", as in the UN's workbook.
LAYOUT: list[list[object]] = [
    [None, None, 2019, 2022],
    [None, None, 2020, 2023],
    ["Member State", 1946, 2021, 2024],
    [None, "=", "=", "="],
    ["China", 58.8, DASH, None],  # row 5
    ["German Democratic Republic  e/", DASH, "-", None],  # row 6
    ["Germany    e/", DASH, 50.0, 40.0],  # row 7
    ["Serbia (formerly Yugoslavia) f/", 0.4, DASH, 10.0],  # row 8
    ["Türkiye (formerly Turkey)", 0.91, 28.0, 28.0],  # row 9
    ["United States of America", 39.89, 22.0, 22.0],  # row 10
    [None, None, None, None],
    ["Total", "=SUM(B5:B10)", "=SUM(C5:C10)", "=SUM(D5:D10)"],
    [None, None, None, None],
    ["e/  Through the accession of the German Democratic Republic ...", None, None, None],
    ["f/  Socialist Federal Republic of Yugoslavia ...", 12.345, None, None],
]


def write_workbook(
    path: Path, rows: list[list[object]], title: str = "Scale Assessments RB 1946-2027"
) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def with_cell(row: int, column: int, value: object) -> list[list[object]]:
    """LAYOUT with one cell changed (``row`` as numbered in Excel, ``column`` 0-based)."""
    rows = [list(r) for r in LAYOUT]
    rows[row - 1][column] = value
    return rows


@pytest.fixture
def synthetic(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "scale.xlsx", LAYOUT)


def test_synthetic_2019_2021(synthetic: Path) -> None:
    scale = cc.read_un_workbook(synthetic, "2019-2021")
    assert scale.period == "2019-2021"
    assert dict(scale.units) == {"DEU": 50_000, "TUR": 28_000, "USA": 22_000}
    assert scale.order == ("DEU", "TUR", "USA")
    assert scale.names["DEU"] == "Germany"
    assert scale.names["TUR"] == "Türkiye"
    assert scale.resolution == "A/RES/73/271"
    assert "column C" in scale.source
    assert "Scale Assessments RB 1946-2027" in scale.source


@pytest.mark.parametrize("when", [2023, "2022", dt.date(2024, 12, 31), "2022\u20132024"])
def test_synthetic_by_year_or_date(synthetic: Path, when: object) -> None:
    scale = cc.read_un_workbook(synthetic, when)  # type: ignore[arg-type]
    assert scale.period == "2022-2024"
    assert dict(scale.units) == {"DEU": 40_000, "SRB": 10_000, "TUR": 28_000, "USA": 22_000}
    assert scale.names["SRB"] == "Serbia"
    assert "column D" in scale.source


def test_synthetic_single_year_column(synthetic: Path) -> None:
    scale = cc.read_un_workbook(synthetic, 1946)
    assert scale.period == "1946"
    assert scale.resolution is None
    assert dict(scale.units) == {"CHN": 58_800, "SRB": 400, "TUR": 910, "USA": 39_890}


def test_synthetic_period_not_in_it(synthetic: Path) -> None:
    with pytest.raises(cc.UnknownPeriodError) as info:
        cc.read_un_workbook(synthetic, 2025)
    message = str(info.value)
    assert "2025" in message
    assert "scale.xlsx" in message
    assert "2022-2024" in message


def test_synthetic_bad_rate_names_the_row(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "bad.xlsx", with_cell(7, 2, 50.0005))
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.read_un_workbook(path, "2019-2021")
    err = info.value
    assert isinstance(err, ValueError)
    assert len(err.problems) == 2, err.problems  # the rate, and hence the total
    rate_problem, total_problem = err.problems
    assert rate_problem.startswith("row 7 (Germany)")
    assert "50.0005" in rate_problem
    assert "multiple of 0.001" in rate_problem
    assert "50.000" in total_problem
    assert "100.000" in total_problem
    assert "column C" in str(err)


def test_synthetic_text_rate_and_unknown_state(tmp_path: Path) -> None:
    rows = with_cell(10, 2, "22,000")
    rows[7][0] = "Narnia (formerly Archenland)"  # row 8, a dash in 2019-2021: never read
    rows[8][0] = "Narnia"  # row 9
    path = write_workbook(tmp_path / "bad.xlsx", rows)
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.read_un_workbook(path, "2019-2021")
    problems = info.value.problems
    assert len(problems) == 3, problems
    assert problems[0].startswith("row 9 (Narnia)")
    assert "unknown state 'Narnia'" in problems[0]
    assert problems[1].startswith("row 10 (United States of America)")
    assert "'22,000'" in problems[1]
    assert "not a number" in problems[1]
    assert "50.000" in problems[2]


def test_synthetic_without_member_state_header(tmp_path: Path) -> None:
    rows = with_cell(3, 0, "State")
    path = write_workbook(tmp_path / "other.xlsx", rows, title="Sheet1")
    with pytest.raises(cc.InvalidInputError) as info:
        cc.read_un_workbook(path, 2020)
    message = str(info.value)
    assert "'Member State'" in message
    assert "'Sheet1'" in message
    assert "other.xlsx" in message
    assert not isinstance(info.value, cc.ScaleValidationError)
