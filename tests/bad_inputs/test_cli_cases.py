"""Bad command lines: every one exits with status 2 and an error on stderr naming the option
or the file (the command line's words, not Python's), prints nothing on stdout, never a
traceback, and writes nothing. Run in-process; ``tests/cli`` runs the real executable."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import (
    GOOD_SCALE_CSV,
    CliCase,
    check_cli,
    cli,
    cp1252,
    cut,
    good_scale_xlsx,
    utf8,
    xlsx,
    zip_bomb,
)

APPORTION = ("apportion", "--scale", "2022-2024", "--total", "1000.00")
MEETING = '[[meetings]]\nname = "M"\ndates = [2024-09-10]\ntotal = "1.00"\n'
CASES = [
    # ------------------------------------------------------------- check: the file
    CliCase(
        "check a CSV file",
        ("check", "{dir}/x.csv"),
        ("x.csv is a text file (CSV?)",),
        {"x.csv": GOOD_SCALE_CSV},
    ),
    CliCase(
        "check text named .xlsx",
        ("check", "{dir}/x.xlsx", "--scale", "2020"),
        ("x.xlsx is a text file",),
        {"x.xlsx": b"hello"},
    ),
    CliCase(
        "check a cut workbook",
        ("check", "{dir}/x.xlsx"),
        ("damaged zip file",),
        {"x.xlsx": cut(good_scale_xlsx())},
    ),
    CliCase("check a zip bomb", ("check", "{dir}/x.xlsx"), ("zip bomb",), {"x.xlsx": zip_bomb()}),
    CliCase(
        "check a missing workbook", ("check", "{dir}/none.xlsx"), ("none.xlsx does not exist",)
    ),
    CliCase(
        "check a workbook with no table",
        ("check", "{dir}/x.xlsx"),
        ("no assessment table",),
        {"x.xlsx": good_scale_xlsx()},
    ),
    CliCase(
        "check with an unknown sheet",
        ("check", "{dir}/x.xlsx", "--sheet", "Nope"),
        ("no sheet 'Nope'",),
        {"x.xlsx": good_scale_xlsx()},
    ),
    # -------------------------------------------------------------------- totals
    CliCase("a total of 1e30", (*APPORTION[:-1], "1e30", "AUT"), ("'1e30'", "beyond the largest")),
    CliCase("a total that is text", (*APPORTION[:-1], "lots", "AUT"), ("'lots' is not a number",)),
    CliCase("a total with a comma", (*APPORTION[:-1], "1,000.00", "AUT"), ("comma",)),
    CliCase(
        "a meeting total beyond the limit",
        ("assess", "12MSP", "--total", "1e16"),
        ("beyond the largest amount",),
    ),
    CliCase(
        "an ad hoc meeting with a negative total",
        ("assess", "--date", "2024-09-10", "--total", "-5"),
        ("negative",),
    ),
    # ------------------------------------------------------------- rule options
    CliCase(
        "an extra rate of 200 %",
        (*APPORTION, "--extra-rate", "COK=200", "COK", "AUT"),
        ("--extra-rate COK", "'200' is above 100 %"),
    ),
    CliCase(
        "an extra rate finer than 0.001",
        (*APPORTION, "--extra-rate", "COK=0.0001", "COK"),
        ("--extra-rate COK", "multiple of 0.001"),
    ),
    CliCase(
        "an extra rate twice",
        (*APPORTION, "--extra-rate", "COK=1", "--extra-rate", "COK=2", "COK"),
        ("--extra-rate gives COK twice",),
    ),
    CliCase(
        "a pin twice",
        (*APPORTION, "--pin", "AUT=1", "--pin", "AUT=2", "AUT", "BEL"),
        ("--pin gives AUT twice",),
    ),
    CliCase("a pin without a value", (*APPORTION, "--pin", "AUT", "AUT"), ("STATE=PERCENT",)),
    CliCase(
        "a fixed share of 120 %",
        (*APPORTION, "--fixed", "EU=120", "AUT", "EU"),
        ("--fixed EU", "not a percentage from 0 to 100"),
    ),
    CliCase("a ceiling of 150", (*APPORTION, "--ceiling", "150", "AUT"), ("--ceiling",)),
    CliCase("a floor that is text", (*APPORTION, "--floor", "low", "AUT"), ("--floor", "'low'")),
    CliCase(
        "rate decimals of 99",
        (*APPORTION, "--rate-decimals", "99", "AUT"),
        ("--rate-decimals", "99"),
    ),
    CliCase(
        "rate decimals as text",
        (*APPORTION, "--rate-decimals", "three", "AUT"),
        ("--rate-decimals", "'three'"),
    ),
    CliCase(
        "a unit of cents",
        (*APPORTION, "--unit", "cents", "AUT"),
        ("--unit", "'cents'", "'minor', 'major'"),
    ),
    CliCase(
        "an unknown rounding",
        (*APPORTION, "--rate-rounding", "bankers", "AUT"),
        ("--rate-rounding", "'bankers'"),
    ),
    CliCase("an unknown preset", (*APPORTION, "--rules", "nope", "AUT"), ("no preset 'nope'",)),
    CliCase(
        "a rule file in Windows-1252",
        (*APPORTION, "--rules", "{dir}/r.toml", "AUT"),
        ("r.toml", "not UTF-8"),
        {"r.toml": cp1252('title = "Règles"\n')},
    ),
    CliCase(
        "a missing rule file", (*APPORTION, "--rules", "{dir}/none.toml", "AUT"), ("none.toml",)
    ),
    CliCase("the EU without a share", (*APPORTION, "AUT", "EU"), ("--fixed EUU=2.5",)),
    CliCase(
        "explicit rates and a state the scale lacks",
        (*APPORTION, "--non-member-rates", "explicit", "COK"),
        ("--extra-rate COK=0.001",),
    ),
    # ---------------------------------------------------------------- states, scale
    CliCase("an unknown state", (*APPORTION, "Narnia"), ("unknown state 'Narnia'",)),
    CliCase("a state twice", (*APPORTION, "AUT", "Austria"), ("both AUT",)),
    CliCase("a scale period with no scale", ("scale", "1800"), ("'1800'", "2022-2024")),
    CliCase(
        "a period that is a word",
        ("apportion", "--scale", "soon", "--total", "1", "AUT"),
        ("'soon'",),
    ),
    CliCase("an unknown currency", (*APPORTION, "--currency", "XYZ", "AUT"), ("'XYZ'",)),
    CliCase("a date that is no date", ("parties", "--date", "2024-02-30"), ("2024-02-30",)),
    CliCase(
        "an unknown convention", ("parties", "--convention", "nope"), ("no convention 'nope'",)
    ),
    CliCase("show an unknown convention", ("conventions", "show", "nope"), ("'nope'",)),
    CliCase("show an unknown preset", ("rules", "show", "nope"), ("no preset 'nope'",)),
    # ------------------------------------------------------------- meetings
    CliCase(
        "a meeting file in Windows-1252",
        ("assess", "M", "--file", "{dir}/m.toml"),
        ("m.toml", "not UTF-8"),
        {"m.toml": cp1252(MEETING.replace('"M"', '"Réunion"'))},
    ),
    CliCase(
        "a meeting file that is binary",
        ("assess", "M", "--file", "{dir}/m.json"),
        ("m.json", "not UTF-8"),
        {"m.json": b"\xff\xfe\xfd"},
    ),
    CliCase(
        "a meeting file that is missing",
        ("assess", "M", "--file", "{dir}/none.toml"),
        ("none.toml", "does not exist"),
    ),
    CliCase(
        "a meeting the file lacks",
        ("assess", "X", "--file", "{dir}/m.toml"),
        ("no meeting 'X'",),
        {"m.toml": utf8(MEETING)},
    ),
    CliCase(
        "a meeting name with an escape sequence",
        ("assess", "M", "--file", "{dir}/m.toml"),
        ("U+001B",),
        {"m.toml": utf8(MEETING.replace('"M"', '"M\\u001b[2J"'))},
    ),
    CliCase(
        "a State Party as an observer",
        ("assess", "12MSP", "--total", "1", "--observers", "Austria"),
        ("Austria (AUT) is a State Party",),
    ),
    CliCase(
        "an unknown cost type",
        ("assess", "12MSP", "--total", "1", "--cost-type", "travel"),
        ("no cost type 'travel'",),
    ),
    CliCase(
        "an ad hoc meeting on a day that is none",
        ("assess", "--date", "2024-02-30", "--total", "1"),
        ("--date: '2024-02-30' is not a date",),
    ),
    CliCase(
        "a scale that is no period",
        ("assess", "12MSP", "--total", "1", "--scale", "soon"),
        ("--scale: 'soon' is not a scale period",),
    ),
    CliCase(
        "an ad hoc meeting of an unknown convention",
        ("assess", "--date", "2024-09-10", "--total", "1", "--convention", "nope"),
        ("--convention: no convention 'nope'",),
    ),
    CliCase(
        "an ad hoc meeting without a date", ("assess", "--total", "1"), ("--date and --total",)
    ),
    # ---------------------------------------------------------------- outputs
    CliCase(
        "xlsx to the terminal",
        ("assess", "12MSP", "--total", "1", "--format", "xlsx"),
        ("--output",),
    ),
    CliCase(
        "an output in a missing folder",
        ("scale", "2020", "-o", "{dir}/no/x.csv"),
        ("no/x.csv", "not written"),
    ),
    CliCase("an output that is a folder", ("scale", "2020", "-o", "{dir}"), ("is a folder",)),
    CliCase(
        "a workbook in a missing folder",
        ("assess", "12MSP", "--total", "1", "-o", "{dir}/no/a.xlsx"),
        ("no/a.xlsx",),
    ),
    CliCase(
        "an unknown option",
        ("scale", "2020", "--colour", "red"),
        ("unrecognized arguments: --colour", "ccm-costs --help"),
    ),
    CliCase("an unknown command", ("budget",), ("invalid choice: 'budget'",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_command_line(case: CliCase, tmp_path: Path) -> None:
    check_cli(case, tmp_path)


def test_a_checked_workbook_that_differs_exits_1_with_its_names_escaped(tmp_path: Path) -> None:
    """``check`` keeps exit status 1 for differences found; a terminal escape sequence in
    the workbook (C1 CSI) is printed as its escape."""
    path = tmp_path / "x.xlsx"
    path.write_bytes(
        xlsx([["State", "ISO3", "Amount"], ["Aus\x9b2J", "AUT", 1], ["\x9b", "KEN", 0]])
    )
    status, out, err = cli(["check", str(path), "--scale", "2022-2024", "--states", "AUT"])
    assert status == 1 and err == ""
    assert "\x9b" not in out and "row 3: \\x9b (KEN) is in the workbook" in out


def test_a_message_holding_a_control_character_is_printed_escaped(tmp_path: Path) -> None:
    """A file named with an escape sequence: the error names it, escaped."""
    name = tmp_path / "bad\x1b[2J.toml"
    status, _out, err = cli(["assess", "M", "--file", str(name)])
    assert status == 2 and "\x1b" not in err and "bad\\x1b[2J.toml" in err
