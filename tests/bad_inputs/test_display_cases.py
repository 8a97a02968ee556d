"""Outputs that were silently wrong: a negative amount in CSV taken for a formula, a control
character reaching the terminal raw or making Excel refuse the workbook. Text that enters
through a path (a file's name is in the provenance) is shown, never sent."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl

import ccm_costs as cc


def test_a_negative_amount_in_csv_is_a_number_and_text_is_still_guarded() -> None:
    credit = cc.apportion(
        "-100.00", ["AUT", "DEU"], scale="2022-2024", roles={"AUT": "-1+1", "DEU": "=cmd"}
    )
    rows = list(csv.DictReader(io.StringIO(cc.render(credit, "csv"))))
    assert [r["amount"] for r in rows] == ["-10.00", "-90.00"]
    assert [r["amount_minor"] for r in rows] == ["-1000", "-9000"]
    assert [r["role"] for r in rows] == ["'-1+1", "'=cmd"]


def test_a_control_character_in_a_file_name_is_shown_in_the_terminal(tmp_path: Path) -> None:
    path = tmp_path / "scale\x1b[2J\x07.csv"
    path.write_text("iso3,rate_percent\nAUT,60\nBEL,40\n")
    assessment = cc.apportion("100.00", ["AUT", "BEL"], scale=cc.scale_from_csv(path))
    text = cc.render(assessment)
    assert "\x1b" not in text and "\x07" not in text
    assert "scale\\x1b[2J\\x07.csv" in text


def test_a_control_character_in_a_file_name_does_not_stop_the_workbook(tmp_path: Path) -> None:
    source = tmp_path / "scale\x07.csv"
    source.write_text("iso3,rate_percent\nAUT,60\nBEL,40\n")
    assessment = cc.apportion("100.00", ["AUT", "BEL"], scale=cc.scale_from_csv(source))
    path = cc.write_workbook(tmp_path / "a.xlsx", assessment)
    texts = [c.value for r in openpyxl.load_workbook(path)["Assessment"].iter_rows() for c in r]
    assert any(isinstance(t, str) and "scale\\x07.csv" in t for t in texts)
