"""A real spreadsheet engine recalculates our workbooks: LibreOffice headless opens each file
with recalculation forced, saves it again, and every formula's result must equal the library's.

The cached results are first overwritten with a wrong number, so a value can only be right if
LibreOffice recalculated it. Run alone with ``pytest -m libreoffice``; CI installs LibreOffice.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest

import ccm_costs as cc
from ccm_costs import write_workbook

pytestmark = pytest.mark.libreoffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
if SOFFICE is None and os.environ.get("CI"):
    raise RuntimeError("CI must install LibreOffice (soffice): see .ci/run")
requires_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui); CI has it",
)
POISON = "-999"
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def poison_cached_values(path: Path) -> int:
    """Replace every formula's cached value with -999; return how many there were."""
    count = 0
    source = zipfile.ZipFile(path)
    entries = {info.filename: source.read(info.filename) for info in source.infolist()}
    source.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries.items():
            written = data
            if name.startswith("xl/worksheets/"):
                written, n = re.subn(
                    rb"(</f>)<v>[^<]*</v>", rb"\1<v>" + POISON.encode() + b"</v>", data
                )
                count += n
            target.writestr(name, written)
    return count


def recalculate(path: Path, workdir: Path) -> Path:
    """Open ``path`` in LibreOffice with recalculation on load forced, save it as xlsx."""
    profile = workdir / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS)
    out = workdir / "out"
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    result = out / path.name
    assert result.exists(), f"LibreOffice wrote nothing for {path.name}"
    return result


def library_values(path: Path) -> dict[tuple[str, str], float]:
    """The cached value the library wrote for each formula cell, by (sheet, cell)."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    found = {}
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    value = values[ws.title][cell.coordinate].value
                    assert isinstance(value, int | float), (ws.title, cell.coordinate, value)
                    found[(ws.title, cell.coordinate)] = float(value)
    return found


@requires_soffice
def test_libreoffice_recalculation_equals_the_library(tmp_path: Path) -> None:
    final = cc.assess(
        cc.get_meeting("12MSP").replace(observers=["Angola", "Kenya"]), total="500000.00"
    )
    estimate = cc.assess(cc.get_meeting("12MSP"), total="480000.00")
    bounded = cc.apportion(
        "98765.43",
        ["USA", "CHN", "JPN", "AUT", "KEN"],
        scale="2022-2024",
        rules=cc.rules.load("un-pro-rata").replace(ceiling="22"),
    )
    path = write_workbook(
        tmp_path / "workbook.xlsx",
        {"Estimate": estimate, "Final": final, "Bounded": bounded},
        produced=dt.date(2026, 11, 28),
    )
    expected = library_values(path)
    assert len(expected) > len(estimate) + len(final) + len(bounded)  # pro rata and totals
    # the cached values are the library's exact figures, as the nearest double
    final_sheet = openpyxl.load_workbook(path, data_only=True)["Final"]
    top = next(r for r in range(1, 40) if final_sheet.cell(row=r, column=1).value == "No.")
    share = final.lines[0].steps["pro_rata"] * 100
    assert expected[("Final", f"F{top + 1}")] == float(share)
    assert expected[("Final", f"H{top + 1 + len(final)}")] == float(final.total)

    poisoned = tmp_path / "poisoned" / path.name
    poisoned.parent.mkdir()
    shutil.copy(path, poisoned)
    assert poison_cached_values(poisoned) == len(expected)
    recalculated = openpyxl.load_workbook(recalculate(poisoned, tmp_path), data_only=True)
    for (sheet, ref), value in expected.items():
        got = recalculated[sheet][ref].value
        assert isinstance(got, int | float), (sheet, ref, got)
        assert got != float(POISON), f"{sheet}!{ref} was not recalculated"
        # binary floating point in the spreadsheet against the library's exact value
        assert got == pytest.approx(value, rel=1e-12, abs=1e-9), (sheet, ref, got, value)
    amount_total = recalculated["Final"][f"H{top + 1 + len(final)}"].value
    assert Decimal(str(round(Fraction(amount_total), 2))) == Decimal("500000.00")


@requires_soffice
def test_libreoffice_recalculates_the_reconciliation_workbook_to_the_library(
    tmp_path: Path,
) -> None:
    """Every difference, additional bill, credit and total, recalculated by LibreOffice, is
    the library's figure (one-sided states included: their blank cell counts as 0)."""
    meeting = cc.get_meeting("12MSP")
    result = cc.reconcile(
        cc.assess(meeting.replace(observers=["Angola"]), total="500000.00"),
        cc.assess(meeting.replace(observers=["Kenya"]), total="480000.01"),
    )
    path = cc.write_reconciliation_workbook(tmp_path / "reconciliation.xlsx", result)
    expected = library_values(path)
    assert len(expected) == 3 * len(result.lines) + 5
    poisoned = tmp_path / "poisoned" / path.name
    poisoned.parent.mkdir()
    shutil.copy(path, poisoned)
    assert poison_cached_values(poisoned) == len(expected)
    recalculated = openpyxl.load_workbook(recalculate(poisoned, tmp_path), data_only=True)
    for (sheet, ref), value in expected.items():
        got = recalculated[sheet][ref].value
        assert isinstance(got, int | float) and got != float(POISON), (sheet, ref, got)
        assert got == pytest.approx(value, rel=1e-12, abs=1e-9), (sheet, ref, got, value)
