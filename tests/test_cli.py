"""The command line in subprocesses: periods, scale, apportion, and bad input with exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ccm_costs", *args], capture_output=True, text=True, check=False
    )


def test_periods() -> None:
    result = run("periods")
    assert result.returncode == 0
    assert result.stdout.split() == [
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
    assert len(result.stdout.splitlines()) == 194  # header and 193 states


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
        (["assess", "13MSP", "--total", "1"], "no meeting '13MSP'"),
        (["assess", "12MSP", "--total", "1", "--observers", "EU"], "international organisation"),
        (["assess", "12MSP", "--total", "-1"], "total"),
        (["assess", "12MSP"], "total"),
        (["apportion", "--scale", "2031", "--total", "1", "AUT"], "no UN scale"),
        (["apportion", "--scale", "2020", "--total", "x", "AUT"], "not a number"),
        (["apportion", "--scale", "2020", "--total", "1", "Austira"], "Austria (AUT)"),
        (["apportion", "--scale", "2020", "--total", "1", "AUT", "COK"], "extra_rates"),
        (["apportion", "--scale", "2020", "--total", "1", "--pin", "AUT", "AUT"], "STATE=PERCENT"),
        (["scale", "1999"], "no UN scale"),
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
