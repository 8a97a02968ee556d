"""``ccm-costs reconcile``: the three sources give the same figures, JSON and the workbook
name both sources, and the output never lands on an input (its ``--help`` examples run in
``test_help_examples.py``, with every command's)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import ccm_costs as cc
from ccm_costs._cli.main import main

MEETINGS = """\
[[meetings]]
name = "MSP-estimate"
title = "Meeting of States Parties, as budgeted"
total = "500000.00"
observers = ["Angola"]

[[meetings.dates]]
start = 2024-09-10
end = 2024-09-13

[[meetings]]
name = "MSP-final"
title = "Meeting of States Parties, as held"
total = "480000.00"
observers = ["Kenya"]

[[meetings.dates]]
start = 2024-09-10
end = 2024-09-13
"""


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(argv))
        except SystemExit as stop:
            status = stop.code if isinstance(stop.code, int) else 2
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The files the examples name: the estimate and final workbooks of 12MSP, both in one
    workbook, a ledger holding the estimate (No. 1) and the final (No. 2), a meetings file."""
    monkeypatch.chdir(tmp_path)
    for argv in (
        "assess 12MSP --total 500000.00 -o estimate.xlsx --issued 2024-06-03",
        "assess 12MSP --total 480000.00 --observers Angola,Kenya -o final.xlsx",
        "ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03",
        "ledger record ccm.sqlite 12MSP --total 480000.00 --observers Angola,Kenya "
        "--kind final --supersedes 1 --issued 2024-11-15",
    ):
        status, _, err = run(*argv.split())
        assert status == 0, err
    meeting = cc.get_meeting("12MSP")
    cc.write_workbook(
        tmp_path / "both.xlsx",
        {
            "Estimate": cc.assess(meeting, total="500000.00"),
            "Final": cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00"),
        },
    )
    (tmp_path / "meetings.toml").write_text(MEETINGS)
    return tmp_path


def _csv(*argv: str) -> list[dict[str, str]]:
    status, out, err = run("reconcile", *argv, "--format", "csv")
    assert status == 0, err
    return list(csv.DictReader(io.StringIO(out)))


def test_the_three_sources_give_the_same_figures(folder: Path) -> None:
    from_meetings = _csv(
        "12MSP",
        "--estimate-total",
        "500000.00",
        "--final-total",
        "480000.00",
        "--final-observers",
        "Angola,Kenya",
    )
    from_workbooks = _csv("--estimate", "estimate.xlsx", "--final", "final.xlsx")
    from_ledger = _csv("12MSP", "--ledger", "ccm.sqlite")
    mixed = _csv("--ledger", "ccm.sqlite", "--estimate", "estimate.xlsx", "--final", "2")
    assert from_meetings == from_workbooks == from_ledger == mixed
    assert len(from_ledger) == 114
    differences = sum(Decimal(row["difference"]) for row in from_ledger)
    assert differences == Decimal("-20000.00")  # exactly: CSV keeps every figure
    presence = {row["iso3"]: row["presence"] for row in from_ledger}
    assert presence["AGO"] == presence["KEN"] == "final only: not in the estimate"


def test_json_and_the_workbook_name_both_sources(folder: Path) -> None:
    status, out, _ = run("reconcile", "--ledger", "ccm.sqlite", "--estimate", "1", "--final", "2",
                         "--format", "json")  # fmt: skip
    assert status == 0
    provenance = json.loads(out)["provenance"]
    assert provenance["estimate source"].startswith("No. 1 of the ledger ccm.sqlite")
    assert provenance["final source"].startswith("No. 2 of the ledger ccm.sqlite")
    status, _, err = run("reconcile", "--estimate", "estimate.xlsx", "--final", "final.xlsx",
                         "-o", "r.xlsx", "--issued", "2024-11-15", "--paper", "letter")  # fmt: skip
    assert status == 0, err
    ws = openpyxl.load_workbook(folder / "r.xlsx")["Reconciliation"]
    assert ws.page_setup.paperSize == 1
    title = {ws.cell(r, 2).value: ws.cell(r, 3).value for r in range(2, 20)}
    assert title["Estimate"] == "estimate.xlsx, sheet 'Assessment', issued 2024-06-03"
    assert title["Final assessment"] == "final.xlsx, sheet 'Assessment'"
    assert title["Date of issue"] == "2024-11-15"


def test_the_output_is_never_an_input_and_is_replaced_only_with_force(folder: Path) -> None:
    ledger = (folder / "ccm.sqlite").read_bytes()
    estimate = (folder / "estimate.xlsx").read_bytes()
    status, _, err = run("reconcile", "12MSP", "--ledger", "ccm.sqlite", "-o", "ccm.sqlite",
                         "--format", "csv", "--force")  # fmt: skip
    assert status == 2 and "is the ledger this command reads" in err
    status, _, err = run("reconcile", "--estimate", "estimate.xlsx", "--final", "final.xlsx",
                         "-o", "estimate.xlsx", "--force")  # fmt: skip
    assert status == 2 and "is the estimate this command reads" in err
    assert (folder / "ccm.sqlite").read_bytes() == ledger
    assert (folder / "estimate.xlsx").read_bytes() == estimate
    argv = ("reconcile", "12MSP", "--ledger", "ccm.sqlite", "-o", "r.csv")
    assert run(*argv)[0] == 0
    status, _, err = run(*argv)
    assert status == 2 and "r.csv exists: add --force" in err
    assert run(*argv, "--force")[0] == 0


def test_pairs_that_cannot_be_an_estimate_and_a_final_are_refused(tmp_path: Path) -> None:
    book = tmp_path / "est.xlsx"
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="500000.00")
    cc.write_workbook(book, estimate)
    (tmp_path / "statement.csv").write_text("date,state,amount\n", encoding="utf-8")
    ledger = tmp_path / "l.sqlite"
    with cc.Ledger.open(ledger) as recorded:
        first = recorded.record_assessment(estimate, issued=dt.date(2024, 6, 3))
        final = cc.assess(meeting.replace(observers=["Kenya"]), total="480000.00")
        recorded.record_assessment(
            final, kind="final", supersedes=first.id, issued=dt.date(2024, 11, 15)
        )
    cases = [
        (["--estimate", str(book), "--final", str(book)], "are the same workbook"),
        (
            ["--estimate", str(tmp_path / "statement.csv"), "--final", str(book)],
            "give an assessment workbook (.xlsx)",
        ),
        (["--estimate", "1", "--final", "2"], "needs the ledger that holds it: add --ledger"),
        (
            ["--ledger", str(ledger), "--estimate", "2", "--final", "1"],
            "comes before the estimate No. 2 (12MSP final, issued 2024-11-15): give --estimate 1 "
            "--final 2",
        ),
        (["NOPE"], "the shipped meetings of the CCM: field 'name': no meeting 'NOPE'"),
    ]
    for args, words in cases:
        code, _, err = run("reconcile", *args)
        assert code == 2 and words in err, (args, err)
