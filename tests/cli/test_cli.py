"""The command line in subprocesses: periods, scale, apportion, and bad input with exit 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

import ccm_costs as cc


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccm_costs", *args], capture_output=True, text=True, check=False
    )


def test_periods() -> None:
    result = run("periods", "--format", "csv")
    assert result.returncode == 0
    assert result.stdout.splitlines()[1] == "2010-2012,A/RES/64/248"
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == [
        "2010-2012",
        "2013-2015",
        "2016-2018",
        "2019-2021",
        "2022-2024",
        "2025-2027",
    ]


def test_scale() -> None:
    result = run("scale", "2020")
    assert result.returncode == 0
    assert "United States of America" in result.stdout and "22.000" in result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "UN scale of assessments 2019-2021 (A/RES/73/271)"
    assert "UN scale 2019-2021 (%)" in lines[1]
    # title, header, rule, 193 states, rule, total
    assert len(lines) == 198
    assert lines[-1].split()[-1] == "100.000"


def test_apportion_prints_a_table_with_totals_and_provenance() -> None:
    result = run(
        "apportion",
        "--scale",
        "2019-2021",
        "--total",
        "550000.00",
        "--extra-rate",
        "COK=0.001",
        "Austria",
        "Belgium",
        "COK",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[2].split()[-1] == "248,398.93"
    total_line = next(line for line in lines if line.startswith("Total"))
    assert total_line.split()[-2:] == ["100.000", "550,000.00"]
    assert "resolution: A/RES/73/271" in result.stdout


def test_assess_a_shipped_meeting() -> None:
    result = run("assess", "12MSP", "--total", "500000.00", "--observers", "Angola,Kenya")
    assert result.returncode == 0, result.stderr
    roles = [line for line in result.stdout.splitlines() if " State Party " in line]
    observers = [line for line in result.stdout.splitlines() if " observer " in line]
    assert len(roles) == 112 and len(observers) == 2
    total_line = next(line for line in result.stdout.splitlines() if line.startswith("Total"))
    assert total_line.split()[-1] == "500,000.00"
    assert "article: Article 14(1)" in result.stdout


def test_assess_secretariat_costs_charge_parties_only() -> None:
    result = run(
        "assess",
        "12MSP",
        "--total",
        "1000.00",
        "--observers",
        "Kenya",
        "--cost-type",
        "secretariat",
    )
    assert result.returncode == 0, result.stderr
    assert " observer " not in result.stdout
    assert "Article 14(2)" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["assess", "14MSP", "--total", "1"], "no meeting '14MSP'"),
        (["assess", "12MSP", "--total", "1", "--observers", "EU"], "international organisation"),
        (["assess", "12MSP", "--total", "-1"], "total"),
        (["assess", "12MSP"], "total"),
        (["apportion", "--scale", "2031", "--total", "1", "AUT"], "no UN scale"),
        (["apportion", "--scale", "2020", "--total", "x", "AUT"], "not a number"),
        (["apportion", "--scale", "2020", "--total", "1", "Austira"], "Austria (AUT)"),
        (
            [
                "apportion",
                "--scale",
                "2020",
                "--total",
                "1",
                "--non-member-rates",
                "explicit",
                "AUT",
                "COK",
            ],
            "--extra-rate COK=0.001",
        ),
        (["apportion", "--scale", "2020", "--total", "1", "--pin", "AUT", "AUT"], "STATE=PERCENT"),
        (["scale", "1999"], "no UN scale"),
        (
            ["apportion", "--scale", "2020", "--total", "1", "--ceiling", "10", "AUT", "BEL"],
            "at most 20 %, but 100 % must be shared: raise the ceilings or include more states "
            "(set by --ceiling or by the rule set)",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_help_shows_an_example() -> None:
    result = run("apportion", "--help")
    assert result.returncode == 0
    assert "example:" in result.stdout and "--extra-rate COK=0.001" in result.stdout


def test_parties_on_a_date() -> None:
    result = run("parties", "--date", "2025-03-06", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "iso3,state,instrument,deposit_date,entry_into_force"
    assert {line.split(",")[0] for line in lines[1:]} == set(cc.parties_on("2025-03-06"))
    table = run("parties", "--date", "2025-03-06")
    assert table.stdout.startswith(f"{len(lines) - 1} States Parties of the CCM on 2025-03-06")


def test_scale_as_json() -> None:
    result = run("scale", "2025-2027", "--format", "json")
    rows = json.loads(result.stdout)
    assert len(rows) == 193 and {"member_state", "iso3", "rate_percent"} <= set(rows[0])


def test_assess_as_csv_and_json_add_up_exactly() -> None:
    args = ("assess", "12MSP", "--total", "500000.00", "--observers", "Kenya")
    csv_out = run(*args, "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    rows = list(csv.DictReader(io.StringIO(csv_out.stdout)))
    assert len(rows) == 113
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal("500000.00")
    document = json.loads(run(*args, "--format", "json").stdout)
    assert document["provenance"]["article"].startswith("Article 14(1)")
    assert sum(Decimal(row["amount"]) for row in document["rows"]) == Decimal("500000.00")


def test_assess_to_xlsx_then_check_it(tmp_path: Path) -> None:
    path = tmp_path / "12MSP.xlsx"
    written = run("assess", "12MSP", "--total", "500000.00", "-o", str(path))
    assert written.returncode == 0, written.stderr
    assert f"wrote {path}" in written.stderr and written.stdout == ""
    checked = run("check", str(path), "--meeting", "12MSP", "--total", "500000.00")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No differences" in checked.stdout
    wrong = run("check", str(path), "--meeting", "12MSP", "--total", "500000.01")
    assert wrong.returncode == 1
    assert "differences" in wrong.stdout
    as_csv = run("check", str(path), "--meeting", "12MSP", "--total", "1", "--format", "csv")
    assert as_csv.returncode == 1
    assert as_csv.stdout.startswith("row,state,iso3,check,workbook,expected,difference,message")


def test_check_takes_the_observers_the_workbook_lists_and_every_sheet(tmp_path: Path) -> None:
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="480000.00")
    final = cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="500000.00")
    path = cc.write_workbook(tmp_path / "both.xlsx", {"Estimate": estimate, "Final": final})
    final_only = run("check", str(path), "--meeting", "12MSP", "--sheet", "Final")
    assert final_only.returncode == 0, final_only.stdout + final_only.stderr
    assert "with the 2 observers the workbook lists (AGO, KEN)" in final_only.stdout
    both = run("check", str(path), "--meeting", "12MSP", "--all-sheets", "--format", "csv")
    assert both.returncode == 0, both.stdout + both.stderr
    summary = run("check", str(path), "--meeting", "12MSP", "--all-sheets").stdout
    assert "sheet 'Estimate'" in summary and "sheet 'Final'" in summary
    against_final = run("check", str(path), "--meeting", "12MSP", "--observers", "Angola,Kenya",
                        "--total", "500000.00", "--all-sheets", "--format", "csv")  # fmt: skip
    assert against_final.returncode == 1
    assert set(next(iter(csv.DictReader(io.StringIO(against_final.stdout)))).keys()) >= {
        "sheet",
        "check",
    }


def test_assess_an_ad_hoc_meeting_from_options() -> None:
    result = run("assess", "--date", "2026-09-14", "--total", "480000.00", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(cc.parties_on("2026-09-14"))
    assert sum(Decimal(row["amount"]) for row in rows) == Decimal("480000.00")


def test_assess_rule_options_reach_the_engine() -> None:
    result = run(
        "assess", "12MSP", "--total", "1000.00", "--ceiling", "10", "--rate-rounding",
        "largest_remainder", "--format", "json",
    )  # fmt: skip
    document = json.loads(result.stdout)
    assert max(Decimal(row["rate"]) for row in document["rows"]) == Decimal("10.000")
    assert sum(Decimal(row["rate"]) for row in document["rows"]) == 100


def test_csv_output_neutralises_formula_text(tmp_path: Path) -> None:
    meetings = tmp_path / "m.toml"
    meetings.write_text(
        '[[meetings]]\nname = "=HYPERLINK(1)"\ndates = ["2024-09-10"]\ntotal = "10.00"\n'
    )
    result = run("assess", "=HYPERLINK(1)", "--file", str(meetings), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "\n=" not in result.stdout and ",=" not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parties", "--date", "someday"], "someday"),
        (["assess", "12MSP", "--total", "1", "--format", "xlsx"], "--output"),
        (["assess", "--total", "1"], "--date and --total"),
        (["assess", "12MSP", "--total", "1", "--file", "/nonexistent.toml"], "nonexistent"),
        (["check", "/nonexistent.xlsx", "--scale", "2020"], "does not exist"),
        (["scale", "2020", "-o", "/nonexistent/dir/x.csv"], "nonexistent"),
    ],
)
def test_more_bad_input_exits_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


@pytest.mark.parametrize("command", ["periods", "scale", "parties", "assess", "apportion", "check"])
def test_every_subcommand_explains_itself(command: str) -> None:
    result = run(command, "--help")
    assert result.returncode == 0
    assert "example" in result.stdout and "--format" in result.stdout


def test_rules_lists_the_presets_with_their_sources_and_shows_one() -> None:
    listing = run("rules")
    assert listing.returncode == 0, listing.stderr
    for preset in ("un-pro-rata", "who", "mlf-replenishment", "montreal-trust-fund",
                   "cbd-trust-fund", "unfccc-indicative"):  # fmt: skip
        assert preset in listing.stdout
    assert "WHA56.33" in listing.stdout
    shown = run("rules", "show", "montreal-trust-fund", "--format", "toml")
    assert shown.returncode == 0, shown.stderr
    assert '[[steps]]\nkind = "exclude"' in shown.stdout
    assert cc.rules.from_toml(shown.stdout) == cc.rules.load("montreal-trust-fund")
    bad = run("rules", "show", "nonsense")
    assert bad.returncode == 2 and "no preset 'nonsense'" in bad.stderr


def test_rule_options_change_the_rule_set_in_one_place() -> None:
    result = run("apportion", "--scale", "2022-2024", "--total", "1000", "--rules",
                 "mlf-replenishment", "--format", "json", "USA", "Japan", "France")  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = {r["iso3"]: r for r in json.loads(result.stdout)["rows"]}
    assert rows["USA"]["rate"] == "22.0000" and rows["USA"]["amount"] == "220.00"
    capped = run("apportion", "--scale", "2022-2024", "--total", "1000", "--ceiling", "40",
                 "--rate-decimals", "1", "--format", "json", "USA", "Japan", "France")  # fmt: skip
    rows = {r["iso3"]: r for r in json.loads(capped.stdout)["rows"]}
    assert rows["USA"]["rate"] == "40.0" and rows["USA"]["bound"] == "ceiling"
    wrong = run("apportion", "--scale", "2022-2024", "--total", "1", "--rate-decimals", "13",
                "USA")  # fmt: skip
    assert wrong.returncode == 2 and "--rate-decimals" in wrong.stderr


def test_a_bad_rules_file_is_named_with_its_option(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text("foo = 1\n", encoding="utf-8")
    result = run("apportion", "--scale", "2020", "--total", "1", "--rules", str(path), "AUT")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"ccm-costs: error: --rules {path}: the rule set from")
    assert "field 'foo': unknown key" in result.stderr
