"""The shipped UN scales (golden figures), period look-up, notional rates, and users' own scales
through the same validation, which reports every problem of a scale in one error."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import ccm_costs as cc
from ccm_costs._reference.scales import PeriodLike, period_of

DATA = Path(__file__).resolve().parents[2] / "data" / "un_scale_of_assessment"

# period -> (resolution, number of rows)
PERIODS = {
    "2010-2012": ("A/RES/64/248", 192),
    "2013-2015": ("A/RES/67/238", 193),
    "2016-2018": ("A/RES/70/245", 193),
    "2019-2021": ("A/RES/73/271", 193),
    "2022-2024": ("A/RES/76/238", 193),
    "2025-2027": ("A/RES/79/249", 193),
}

# Anchors confirmed in data/un_scale_of_assessment/SOURCES.md.
ANCHORS = {
    "2019-2021": {
        "USA": "22.000",
        "CHN": "12.005",
        "JPN": "8.564",
        "DEU": "6.090",
        "GBR": "4.567",
        "FRA": "4.427",
    },
    "2022-2024": {
        "USA": "22.000",
        "CHN": "15.254",
        "JPN": "8.033",
        "DEU": "6.111",
        "GBR": "4.375",
        "FRA": "4.318",
    },
    "2025-2027": {"USA": "22.000", "CHN": "20.004", "JPN": "6.930", "DEU": "5.692"},
}

HEADER = ["member_state", "iso3", "rate_percent"]


def shipped_rows(period: str) -> list[dict[str, str]]:
    """The rows of a shipped CSV, read directly (not through the library)."""
    path = DATA / f"scale_{period.replace('-', '_')}.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Rates"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def problem_at(err: cc.ScaleValidationError, where: str) -> str:
    """The one problem reported for a row (``where`` like ``"row 3"``)."""
    found = [p for p in err.problems if p.startswith(f"{where} (")]
    assert len(found) == 1, f"expected one problem at {where}, got {found} in {err.problems}"
    return found[0]


# ------------------------------------------------------------------------ golden figures


def test_available_periods() -> None:
    assert cc.available_periods() == tuple(PERIODS)


@pytest.mark.parametrize("period", list(PERIODS))
def test_rows_total_and_resolution(period: str) -> None:
    resolution, count = PERIODS[period]
    scale = cc.load_scale(period)
    assert scale.period == period
    assert len(scale) == count
    assert len(scale.units) == len(scale.names) == len(scale.order) == count
    assert scale.total_units == 100_000
    assert sum(scale.rates.values()) == Decimal("100.000")
    assert scale.resolution == resolution
    assert resolution in scale.source


@pytest.mark.parametrize("period", list(PERIODS))
def test_rates_are_the_published_strings(period: str) -> None:
    scale = cc.load_scale(period)
    rows = shipped_rows(period)
    assert list(scale.order) == [r["iso3"] for r in rows]
    for row in rows:
        iso3 = row["iso3"]
        rate = scale.rates[iso3]
        assert isinstance(rate, Decimal)
        assert rate.as_tuple().exponent == -3, (iso3, rate)
        assert str(rate) == row["rate_percent"]
        units = scale.units[iso3]
        assert type(units) is int
        assert units == int(rate * 1000)
        assert Decimal(units) / 1000 == rate
        assert scale.names[iso3] == row["member_state"]


@pytest.mark.parametrize("period", list(ANCHORS))
def test_anchors(period: str) -> None:
    scale = cc.load_scale(period)
    for iso3, rate in ANCHORS[period].items():
        assert scale.rates[iso3] == Decimal(rate), iso3
        assert str(scale.rates[iso3]) == rate


def test_south_sudan_not_in_2010_2012() -> None:
    assert "SSD" not in cc.load_scale("2010-2012")
    assert "SSD" in cc.load_scale("2013-2015")


def test_non_members_are_not_in_the_scale() -> None:
    scale = cc.load_scale("2019-2021")
    for iso3 in ("VAT", "PSE", "COK", "NIU"):
        assert iso3 not in scale


def test_scale_is_read_only() -> None:
    scale = cc.load_scale("2019-2021")
    with pytest.raises(TypeError):
        scale.units["USA"] = 1  # type: ignore[index]


# ------------------------------------------------------------------------ periods


@pytest.mark.parametrize(
    "when",
    [
        "2019-2021",
        "2019\u20132021",  # en dash
        " 2019 - 2021 ",
        2019,
        2020,
        2021,
        "2020",
        dt.date(2020, 11, 25),
        dt.datetime(2021, 9, 20, 10, 0),
    ],
    ids=repr,
)
def test_load_scale_accepts_labels_years_and_dates(when: PeriodLike) -> None:
    scale = cc.load_scale(when)
    assert scale.period == "2019-2021"
    assert scale.resolution == "A/RES/73/271"
    assert scale.units["CHN"] == 12_005


@pytest.mark.parametrize("when", [2009, 2028, "2019-2022", "abc", "", "2018-2020", True])
def test_unknown_period(when: object) -> None:
    with pytest.raises(cc.UnknownPeriodError) as info:
        cc.load_scale(when)
    err = info.value
    assert isinstance(err, KeyError)
    assert isinstance(err, cc.CcmCostsError)
    message = str(err)
    assert repr(when) in message
    for period in PERIODS:
        assert period in message
    assert not message.startswith(("'", '"')), "the message must not be quoted like a KeyError"


@pytest.mark.parametrize(
    ("when", "period"),
    [
        (2010, "2010-2012"),
        (2012, "2010-2012"),
        (2013, "2013-2015"),
        (2018, "2016-2018"),
        (2019, "2019-2021"),
        (2027, "2025-2027"),
        (dt.date(2012, 12, 31), "2010-2012"),
        (dt.date(2013, 1, 1), "2013-2015"),
        ("2022\u20132024", "2022-2024"),
        ("2022_2024", "2022-2024"),
        ("2022/2024", "2022-2024"),
    ],
)
def test_period_of(when: PeriodLike, period: str) -> None:
    assert period_of(when) == period


# ------------------------------------------------------------------------ notional rates


def test_notional_rates_2019_2021() -> None:
    assert dict(cc.notional_rates("2019-2021")) == {
        "VAT": Decimal("0.001"),
        "PSE": Decimal("0.008"),
    }
    assert dict(cc.notional_rates(2020)) == dict(cc.notional_rates("2019-2021"))


@pytest.mark.parametrize("period", ["2022-2024", "2025-2027"])
def test_notional_rates_palestine_0_011(period: str) -> None:
    assert dict(cc.notional_rates(period)) == {
        "VAT": Decimal("0.001"),
        "PSE": Decimal("0.011"),
    }


@pytest.mark.parametrize("period", ["2010-2012", "2013-2015", "2016-2018"])
def test_no_notional_rates_before_2019(period: str) -> None:
    assert dict(cc.notional_rates(period)) == {}


@pytest.mark.parametrize("when", [*PERIODS, 2018, 2019, 2020, 2021, 2022, 2023])
def test_who_figures_are_not_ga_notional_rates(when: PeriodLike) -> None:
    rates = cc.notional_rates(when)
    assert "COK" not in rates
    assert "NIU" not in rates


def test_notional_rates_unknown_period() -> None:
    with pytest.raises(cc.UnknownPeriodError, match="2025-2027"):
        cc.notional_rates(2030)


# ------------------------------------------------------------------------ users' scales: valid


def test_csv_round_trip(tmp_path: Path) -> None:
    shipped = cc.load_scale("2022-2024")
    path = tmp_path / "scale.csv"
    shipped.to_frame().to_csv(path, index=False)
    scale = cc.scale_from_csv(path, period="mine")
    assert scale.units == shipped.units
    assert scale.names == shipped.names
    assert scale.order == shipped.order
    assert scale.period == "mine"
    assert scale.resolution is None
    assert str(path) in scale.source


def test_csv_with_bom_and_iso3_only(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_text("iso3,rate\naut,60.000\n BEL ,40\n", encoding="utf-8-sig")
    scale = cc.scale_from_csv(path)
    assert dict(scale.units) == {"AUT": 60_000, "BEL": 40_000}


def test_csv_with_names_only(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "names.csv",
        [["Türkiye", "70.000"], ["Cote d'Ivoire", "30.000"]],
        header=["state", "rate_percent"],
    )
    scale = cc.scale_from_csv(path)
    assert dict(scale.units) == {"TUR": 70_000, "CIV": 30_000}
    assert scale.names["TUR"] == "Türkiye"


def test_frame_round_trip() -> None:
    shipped = cc.load_scale("2019-2021")
    frame = shipped.to_frame()
    assert list(frame.columns) == HEADER
    assert all(isinstance(v, Decimal) for v in frame["rate_percent"])
    scale = cc.scale_from_frame(frame)
    assert scale.units == shipped.units
    assert scale.order == shipped.order
    assert scale.source == "DataFrame"


def test_frame_with_float_rates() -> None:
    shipped = cc.load_scale("2025-2027")
    frame = shipped.to_frame()
    frame["rate_percent"] = frame["rate_percent"].astype(float)
    assert cc.scale_from_frame(frame).units == shipped.units


def test_excel_round_trip(tmp_path: Path) -> None:
    shipped = cc.load_scale("2016-2018")
    frame = shipped.to_frame()
    rows = [[n, i, float(r)] for n, i, r in frame.itertuples(index=False)]
    path = write_xlsx(tmp_path / "scale.xlsx", rows)
    scale = cc.scale_from_excel(path, sheet="Rates")
    assert scale.units == shipped.units
    assert scale.order == shipped.order
    assert "Rates" in scale.source


def test_excel_float_representation_errors_accepted(tmp_path: Path) -> None:
    assert 0.1 + 0.2 != 0.3  # the value Excel and Python really hold
    path = write_xlsx(
        tmp_path / "floats.xlsx",
        [["Austria", "AUT", 0.1 + 0.2], ["Belgium", "BEL", 99.7], ["France", "FRA", 1.1 - 1.1]],
    )
    scale = cc.scale_from_excel(path)
    assert dict(scale.units) == {"AUT": 300, "BEL": 99_700, "FRA": 0}


@pytest.mark.parametrize("rate", [0.0015, 0.300001, 0.3 + 1e-8])
def test_excel_float_off_the_grid_rejected(tmp_path: Path, rate: float) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", [["Austria", "AUT", rate], ["Belgium", "BEL", 99.7]])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_excel(path, check_total=False)
    (problem,) = info.value.problems
    assert "row 2 (Austria)" in problem
    assert "multiple of 0.001" in problem


def test_excel_unknown_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "s.xlsx", [["Austria", "AUT", 100.0]])
    with pytest.raises(cc.InvalidInputError) as info:
        cc.scale_from_excel(path, sheet="Scale")
    assert "'Scale'" in str(info.value)
    assert "Rates" in str(info.value)


def test_check_total_false_accepts_a_partial_scale(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "partial.csv", [["Austria", "AUT", "0.679"]])
    scale = cc.scale_from_csv(path, check_total=False)
    assert scale.total_units == 679
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    (problem,) = info.value.problems
    assert "0.679" in problem
    assert "100.000" in problem
    assert "check_total=False" in problem


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "blank.csv", [["Austria", "AUT", "50"], ["", "", ""], ["", "BEL", "50"]]
    )
    assert dict(cc.scale_from_csv(path).units) == {"AUT": 50_000, "BEL": 50_000}


# ------------------------------------------------------------------------ users' scales: errors


def test_every_problem_in_one_error(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["Austria", "AUT", "50.000"],  # row 2: fine
        ["Belgium", "BEL", "0.0015"],  # row 3: not a multiple of 0.001
        ["France", "FRA", "-1.000"],  # row 4: negative
        ["Germany", "DEU", "abc"],  # row 5: not a number
        ["Italy", "ITA", ""],  # row 6: missing
        ["", "XXX", "1.000"],  # row 7: unknown ISO3
        ["Austria", "BEL", "1.000"],  # row 8: name and ISO3 disagree
        ["Austria", "AUT", "2.000"],  # row 9: duplicate of row 2
        ["Japan", "JPN", "1e30"],  # row 10: absurdly large
        ["Narnia", "", "3.000"],  # row 11: unknown name, no code
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    err = info.value
    assert isinstance(err, ValueError)
    assert isinstance(err, cc.InvalidInputError)
    assert err.source == str(path)
    assert len(err.problems) == 10, err.problems

    assert "'0.0015'" in problem_at(err, "row 3")
    assert "multiple of 0.001" in problem_at(err, "row 3")
    assert "negative" in problem_at(err, "row 4")
    assert "'abc'" in problem_at(err, "row 5")
    assert "not a number" in problem_at(err, "row 5")
    assert "missing" in problem_at(err, "row 6")
    assert "'XXX'" in problem_at(err, "row 7")
    assert "ISO 3166-1 alpha-3" in problem_at(err, "row 7")
    mismatch = problem_at(err, "row 8")
    assert "AUT" in mismatch
    assert "BEL" in mismatch
    duplicate = problem_at(err, "row 9")
    assert "duplicate" in duplicate
    assert "AUT" in duplicate
    assert "row 2" in duplicate
    assert "1e30" in problem_at(err, "row 10")
    assert "Narnia" in problem_at(err, "row 11")
    (total,) = [p for p in err.problems if not p.startswith("row ")]
    assert "50.000" in total
    assert "100.000" in total

    message = str(err)
    assert str(path) in message
    assert "10 problem(s)" in message
    for problem in err.problems:
        assert problem in message


def test_row_problems_are_reported_even_without_the_total_check(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "bad.csv", [["Austria", "AUT", "0.0015"], ["Belgium", "BEL", "1"]])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path, check_total=False)
    assert len(info.value.problems) == 1
    assert "row 2 (Austria)" in info.value.problems[0]


def test_missing_rate_column(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "norate.csv", [["Austria", "AUT", "100"]], ["member_state", "iso3", "share"]
    )
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    (problem,) = info.value.problems
    assert "rate column" in problem
    assert "'member_state', 'iso3', 'share'" in problem


def test_missing_state_column(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "nostate.csv", [["Austria", "100"]], ["country", "rate_percent"])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    (problem,) = info.value.problems
    assert "state column" in problem
    assert "'country', 'rate_percent'" in problem


def test_missing_both_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "neither.csv", [["x", "y"]], ["a", "b"])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    assert len(info.value.problems) == 2
    assert all("'a', 'b'" in p for p in info.value.problems)


def test_header_only_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "empty.csv", [])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    (problem,) = info.value.problems
    assert "empty" in problem


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.csv"
    path.write_bytes(b"")
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_csv(path)
    assert len(info.value.problems) == 2
    assert all("columns found are: none" in p for p in info.value.problems)


def test_empty_excel_sheet(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "empty.xlsx", [])
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_excel(path)
    (problem,) = info.value.problems
    assert "empty" in problem


def test_excel_problems_name_the_row(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [["Austria", "AUT", 50.0], ["Belgium", "BEL", -0.5], ["France", "FRA", "n/a"]],
    )
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_excel(path)
    err = info.value
    assert len(err.problems) == 3
    assert "negative" in problem_at(err, "row 3")
    assert "not a number" in problem_at(err, "row 4")
    assert "[Rates]" in err.source


def test_frame_problems() -> None:
    frame = pd.DataFrame(
        {
            "member_state": ["Austria", "Belgium", "France", "Austria"],
            "iso3": ["AUT", "BEL", "FRA", "BEL"],
            "rate_percent": [100.0, float("nan"), 0.0015, 1.0],
        }
    )
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_frame(frame)
    err = info.value
    assert len(err.problems) == 3, err.problems
    assert "missing" in problem_at(err, "row 2")  # an empty pandas cell (NaN)
    assert "multiple of 0.001" in problem_at(err, "row 3")
    assert "BEL" in problem_at(err, "row 4")
    assert err.source == "DataFrame"


def test_frame_without_rate_column() -> None:
    frame = pd.DataFrame({"iso3": ["AUT"], "amount": [100]})
    with pytest.raises(cc.ScaleValidationError) as info:
        cc.scale_from_frame(frame)
    (problem,) = info.value.problems
    assert "rate column" in problem
    assert "'iso3', 'amount'" in problem


def test_empty_frame() -> None:
    frame = pd.DataFrame({"iso3": [], "rate_percent": []})
    with pytest.raises(cc.ScaleValidationError, match="empty"):
        cc.scale_from_frame(frame)


def test_errors_subclass_value_error() -> None:
    assert issubclass(cc.ScaleValidationError, ValueError)
    assert issubclass(cc.ScaleValidationError, cc.InvalidInputError)
    assert issubclass(cc.InvalidInputError, ValueError)
    assert issubclass(cc.UnknownPeriodError, KeyError)
