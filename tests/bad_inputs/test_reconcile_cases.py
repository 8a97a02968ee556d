"""Bad inputs to reconciliation: workbooks that are not the library's own as it wrote them
(``read_assessment_workbook``), and ``ccm-costs reconcile`` command lines (an option for a
source it does not apply to, a ledger that cannot say which two to compare)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from corpus import Case, CliCase, check, check_cli, xlsx

import ccm_costs as cc

Error = cc.InvalidInputError
TITLE = [["Assessed contributions"], ["Library", "ccm_costs 0.1.0"], ["Currency", "USD"]]
HEADER = ["State", "ISO3", "Amount"]


def forged(*rows: list[object], total: object = 1000) -> bytes:
    """A table under a title block that claims to be the library's."""
    return xlsx([*TITLE, ["Total", total], [], HEADER, *rows])


@cache
def ours() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ours.xlsx"
        cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024").to_excel(path)
        return path.read_bytes()


@cache
def edited() -> bytes:
    """Ours with Austria's amount typed over by hand."""
    wb = openpyxl.load_workbook(io.BytesIO(ours()))
    ws = wb.active
    row = next(r for r in range(1, 40) if ws.cell(r, 3).value == "AUT")
    amount = next(c for c in range(1, 20) if str(ws.cell(row - 1, c).value).startswith("Amount"))
    ws.cell(row, amount).value = 1.00
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@cache
def two_sheets() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "both.xlsx"
        a = cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024")
        cc.write_workbook(path, {"Estimate": a, "Final": a})
        return path.read_bytes()


@cache
def ledger() -> bytes:
    """12MSP's estimate No. 1 and final No. 2; 13MSP's estimate No. 3 alone."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ccm.sqlite"
        meeting, day = cc.get_meeting("12MSP"), dt.date(2024, 6, 3)
        with cc.Ledger.open(path) as book:
            book.record_assessment(cc.assess(meeting, total="100.00"), issued=day)
            book.record_assessment(
                cc.assess(meeting, total="90.00"), kind="final", supersedes=1, issued=day
            )
            book.record_assessment(cc.assess(cc.get_meeting("13MSP"), total="5.00"), issued=day)
        return path.read_bytes()


def read_case(id: str, data: bytes, says: tuple[str, ...], **options: str) -> Case:
    return Case(
        id,
        lambda d: cc.read_assessment_workbook(d / "w.xlsx", **options),
        Error,
        says,
        {"w.xlsx": data},
    )


CASES = [
    read_case(
        "a plain table, not the library's",
        xlsx([["State", "Amount"], ["Austria", 600], ["Belgium", 400]]),
        ("w.xlsx, sheet 'Sheet' was not written by ccm_costs", "check_workbook(path, expected)"),
    ),
    read_case(
        "an amount typed over after it was written",
        edited(),
        ("its amounts sum to", "states a total of 1,000.00 USD", "changed after ccm_costs"),
    ),
    read_case(
        "two assessment sheets and none named",
        two_sheets(),
        ("holds 2 assessment sheets ('Estimate', 'Final')", "sheet='Estimate'"),
    ),
    read_case("an unknown sheet", ours(), ("no sheet 'Nope'",), sheet="Nope"),
    read_case(
        "an amount finer than a cent",
        forged(["Austria", "AUT", 600.005], ["Belgium", "BEL", 399.995]),
        ("row 7: the amount '600.005' of Austria is finer than one minor unit of USD",),
    ),
    read_case(
        "an unknown and a repeated state",
        forged(["Atlantis", "", 600], ["Belgium", "BEL", 200], ["Belgium", "BEL", 200]),
        ("row 7: unknown state 'Atlantis'", "row 9: Belgium (BEL) appears again"),
    ),
    read_case(
        "an amount that is text",
        forged(["Austria", "AUT", "lots"], ["Belgium", "BEL", 400]),
        ("row 7: the amount 'lots' is not a number",),
    ),
    read_case(
        "a name that is not its code's state",
        forged(["Austria", "BEL", 600], ["Belgium", "AUT", 400]),
        ("row 7: the name 'Austria' is AUT", "one of the two is wrong"),
    ),
    read_case(
        "no currency stated",
        xlsx([TITLE[0], TITLE[1], ["Total", 1000], [], HEADER, ["Austria", "AUT", 1000]]),
        ("states no currency",),
    ),
    read_case(
        "no total stated",
        xlsx([*TITLE, [], HEADER, ["Austria", "AUT", 1000]]),
        ("its title block states no total",),
    ),
    Case(
        "a ledger meeting without a final",
        lambda d: cc.reconcile_recorded(cc.Ledger.open(d / "l.sqlite", create=False), "13MSP"),
        Error,
        ("13MSP has no final assessment", "record_assessment(final, kind='final'"),
        {"l.sqlite": ledger()},
    ),
]

R = "reconcile"
WORKBOOKS = (R, "--estimate", "{dir}/e.xlsx", "--final", "{dir}/f.xlsx")
BOTH = {"e.xlsx": ours(), "f.xlsx": ours()}
CLI_CASES = [
    CliCase("nothing to reconcile", (R,), ("give --estimate: a workbook (.xlsx)",)),
    CliCase(
        "a meeting without a total",
        (R, "12MSP", "--final-total", "1.00"),
        ("meeting 12MSP has no total", "--estimate-total 500000.00"),
    ),
    CliCase(
        "a total that is text",
        (R, "12MSP", "--estimate-total", "1.00", "--final-total", "lots"),
        ("--final-total", "'lots' is not a number"),
    ),
    CliCase(
        "a State Party as an observer",
        (R, "12MSP", "--estimate-total", "1", "--final-total", "1", "--final-observers", "AUT"),
        ("--final-observers",),
    ),
    CliCase(
        "a total for a workbook",
        (*WORKBOOKS, "--final-total", "1.00"),
        ("--final-total is for a meeting, but the final is a workbook",),
        BOTH,
    ),
    CliCase(
        "a sheet for a meeting",
        (R, "12MSP", "--estimate-total", "1", "--final-total", "2", "--estimate-sheet", "A"),
        ("--estimate-sheet is for a workbook, but the estimate is a meeting",),
    ),
    CliCase(
        "a MEETING besides both",
        (R, "12MSP", *WORKBOOKS[1:]),
        ("MEETING 12MSP is given with both --estimate and --final",),
        BOTH,
    ),
    CliCase(
        "a plain table, not the library's",
        WORKBOOKS,
        ("e.xlsx, sheet 'Sheet' was not written by ccm_costs", "'ccm-costs check WORKBOOK'"),
        {"e.xlsx": xlsx([["State", "Amount"], ["Austria", 1]]), "f.xlsx": ours()},
    ),
    CliCase(
        "two sheets, none named",
        (R, "--estimate", "{dir}/b.xlsx", "--final", "{dir}/f.xlsx"),
        ("holds 2 assessment sheets", "--estimate-sheet 'Estimate'"),
        {"b.xlsx": two_sheets(), "f.xlsx": ours()},
    ),
    CliCase(
        "a reconciliation workbook as the estimate",
        (R, "--estimate", "{dir}/e.xlsx", "--final", "{dir}/f.xlsx"),
        ("e.xlsx", "no assessment table"),
        {"e.xlsx": xlsx([["State", "Estimate (USD)"]], title="Reconciliation"), "f.xlsx": ours()},
    ),
    CliCase(
        "no ledger file",
        (R, "12MSP", "--ledger", "{dir}/none.sqlite"),
        ("no ledger at", "none.sqlite"),
    ),
    CliCase(
        "a ledger and no meeting or numbers",
        (R, "--ledger", "{dir}/l.sqlite"),
        ("with --ledger give the MEETING",),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "a ledger meeting with a total",
        (R, "12MSP", "--ledger", "{dir}/l.sqlite", "--final-total", "1"),
        ("--final-total does not apply: the final is an assessment recorded in the ledger",),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "a ledger meeting without a final",
        (R, "13MSP", "--ledger", "{dir}/l.sqlite"),
        (
            "13MSP has no final",
            "'ccm-costs ledger record ... --kind final --supersedes N'",
            "--estimate N --final M",
        ),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "a ledger number that is a name",
        (R, "--ledger", "{dir}/l.sqlite", "--estimate", "first", "--final", "2"),
        ("--estimate first: with --ledger give the assessment's number",),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "a ledger number it does not hold",
        (R, "--ledger", "{dir}/l.sqlite", "--estimate", "1", "--final", "9"),
        ("has no assessment No. 9 (its numbers: 1, 2, 3",),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "two meetings' numbers",
        (R, "--ledger", "{dir}/l.sqlite", "--estimate", "1", "--final", "3"),
        ("No. 1 is for 12MSP and No. 3 for 13MSP",),
        {"l.sqlite": ledger()},
    ),
    CliCase(
        "a date of issue for the terminal",
        (*WORKBOOKS, "--issued", "2024-11-15"),
        ("--issued is for a workbook",),
        BOTH,
    ),
    CliCase(
        "the output onto the final",
        (*WORKBOOKS, "-o", "{dir}/f.xlsx", "--force"),
        ("is the final this command reads",),
        BOTH,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_reconciliation_input(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check(case, tmp_path, monkeypatch)


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_bad_reconcile_command_line(case: CliCase, tmp_path: Path) -> None:
    check_cli(case, tmp_path)
