"""Command-line options of the terminal issue, in process: an ad hoc meeting's --name and
--title, --scale-file, the workbook's --issued and --paper, xlsx for the table commands, a
closed pipe, and dates in messages as they are written."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

import ccm_costs as cc
from ccm_costs._cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_an_ad_hoc_meeting_has_the_name_and_title_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "a.xlsx"
    code, _, err = _run(capsys, "assess", "--name", "1ESM", "--title", "First Extraordinary",
        "--date", "2026-09-14", "--total", "1000.00", "-o", book, "--issued", "2026-08-01",
        "--paper", "letter")  # fmt: skip
    assert code == 0, err
    ws = load_workbook(book).worksheets[0]
    assert ws["A1"].value == "Assessed contributions: 1ESM: First Extraordinary"
    items = {r[1]: r[2] for r in ws.iter_rows(min_row=2, max_row=14, values_only=True)}
    assert items["Date of issue"] == "2026-08-01"
    assert ws.page_setup.paperSize == 1  # letter
    assert ws.oddFooter.left.text == "1ESM: First Extraordinary - issued 2026-08-01"
    code, _, err = _run(capsys, "assess", "12MSP", "--name", "X", "--total", "1")
    assert code == 2 and "--name names an ad hoc meeting" in err and "--title" in err


def test_issued_and_paper_need_a_workbook(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "assess", "12MSP", "--total", "1", "--issued", "2026-01-01")
    assert code == 2
    assert (
        err == "ccm-costs: error: --issued is for a workbook: add -o FILE.xlsx "
        "(or --format xlsx -o FILE)\n"
    )


def test_a_scale_file_gives_the_rates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    scale = tmp_path / "future.csv"
    scale.write_text("iso3,rate_percent\nAUT,0.600\nBEL,0.900\nFRA,4.000\n", encoding="utf-8")
    code, out, err = _run(capsys, "apportion", "--scale-file", scale, "--total", "100.00",
        "AUT", "BEL", "--format", "csv")  # fmt: skip
    assert code == 2
    assert "the rates sum to 5.500, not 100.000" in err and "add --partial-scale" in err
    code, out, err = _run(capsys, "apportion", "--scale-file", scale, "--partial-scale",
        "--total", "100.00", "AUT", "BEL", "--format", "csv")  # fmt: skip
    assert code == 0, err
    amounts = {line.split(",")[0]: line for line in out.splitlines()[1:]}
    partial = cc.scale_from_csv(scale, check_total=False)
    expected = cc.apportion("100.00", ["AUT", "BEL"], scale=partial)
    assert amounts["AUT"].split(",").count(str(expected["AUT"].amount)) == 1
    with pytest.raises(SystemExit) as exit_:
        main(["apportion", "--scale", "2020", "--scale-file", str(scale), "--total", "1", "AUT"])
    assert exit_.value.code == 2
    assert "argument --scale-file: not allowed with argument --scale" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "sheet", "header"),
    [
        (["periods"], "Periods", ("period", "resolution")),
        (["scale", "2025-2027"], "Scale", ("Member State", "ISO3", "UN scale 2025-2027 (%)")),
        (["parties", "--date", "2025-03-06"], "Parties", ("iso3", "state")),
    ],
)
def test_table_commands_write_a_printable_workbook(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    sheet: str,
    header: tuple[str, ...],
) -> None:
    book = tmp_path / "t.xlsx"
    code, _, err = _run(capsys, *args, "-o", book)
    assert code == 0, err
    assert err == f"wrote {book}\n"
    ws = load_workbook(book).worksheets[0]
    assert ws.title == sheet
    rows = list(ws.iter_rows(values_only=True))
    assert rows[3][: len(header)] == header
    assert ws.print_title_rows == "$4:$4" and ws.page_setup.paperSize == 9
    if sheet == "Scale":
        rates = [Decimal(str(r[2])) for r in rows[4:-1]]
        assert len(rates) == 193 and rows[-1][0] == "Total" and rows[-1][2] == 100
        assert ws.cell(row=5, column=3).number_format == "0.000"


def test_check_writes_its_differences_to_a_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = tmp_path / "a.xlsx"
    cc.assess(cc.get_meeting("12MSP"), total="500000.00").to_excel(book)
    out = tmp_path / "d.xlsx"
    code, _, err = _run(capsys, "check", book, "--total", "400000.00", "-o", out)
    assert code == 1, err  # differences found
    ws = load_workbook(out).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Check of a.xlsx: 113 differences"
    assert rows[3] == ("row", "state", "iso3", "check", "workbook", "expected", "difference",
                       "message")  # fmt: skip
    assert len([r for r in rows[4:] if r[3] == "amount"]) == 112


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader has gone before the first line
    result = subprocess.run(
        [sys.executable, "-m", "ccm_costs", "scale", "2022"],
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    os.close(write)
    assert result.stderr == ""
    assert result.returncode == 141


def test_a_date_in_a_message_is_written_as_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "assess", "--date", "2028-09-11", "--total", "100")
    assert code == 2
    assert err.startswith("ccm-costs: error: no UN scale of assessment for 2028-09-11: ")


def test_a_scale_file_must_rate_every_paying_member(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A UN Member the file leaves out would pay the 0.001 % floor: an error, partial or not."""
    scale = tmp_path / "part.csv"
    scale.write_text("iso3,rate_percent\nAUT,50\nBEL,50\n", encoding="utf-8")
    for partial in ([], ["--partial-scale"]):
        code, _, err = _run(capsys, "assess", "--date", "2028-09-14", "--total", "480000.00",
            "--scale-file", scale, *partial)  # fmt: skip
        assert code == 2
        assert f"--scale-file {scale} has no rate for 106 paying UN Member(s): AFG, " in err
    code, out, err = _run(capsys, "apportion", "--scale-file", scale, "--partial-scale",
        "--total", "10.00", "AUT", "COK")  # fmt: skip
    assert code == 0, err  # the Cook Islands are not a UN Member: the rule set's policy
    assert "Austria" in out and "Cook Islands" in out
