"""``ccm-costs notices``: every example of its --help runs, the PDFs of a ledger's assessment
hold its amounts, and existing notices are replaced only with --force."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shlex
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

import ccm_costs as cc
from ccm_costs._cli.main import EXAMPLES
from ccm_costs._cli.main import main as cli
from ccm_costs._cli.notices import NOTICES_EXAMPLE, STATUS_REPORT_EXAMPLE


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run(*args: str) -> tuple[int, str]:
    """Run the command line in process: its exit status and what it said on stderr."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            status = cli(list(args))
        except SystemExit as exit_:
            status = int(exit_.code or 0)
    return status, err.getvalue()


def examples(help_text: str, command: str = "") -> list[list[str]]:
    """The commands of --help examples (continued lines joined, comments dropped)."""
    text = help_text.replace("\\\n", " ")
    commands = []
    for line in map(str.strip, text.splitlines()):
        if line.startswith(f"ccm-costs {command}"):
            commands.append(shlex.split(re.sub(r"\s{2,}\(.*$", "", line))[1:])
    return commands


def ledger_in(folder: Path) -> Path:
    """ccm.sqlite: the 12MSP estimate (#1) and the final that supersedes it (#2)."""
    path = folder / "ccm.sqlite"
    meeting = cc.get_meeting("12MSP")
    with cc.Ledger.open(path) as ledger:
        ledger.record_assessment(cc.assess(meeting, total="500000.00"),
                                 issued=dt.date(2024, 6, 3))  # fmt: skip
        ledger.record_assessment(
            cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00"),
            kind="final", supersedes=1, issued=dt.date(2024, 11, 15),
        )  # fmt: skip
    return path


def test_the_help_examples_write_what_they_say(tmp_path: Path) -> None:
    # (tests/cli/test_help_examples.py runs every example; this checks what they wrote)
    commands = examples(NOTICES_EXAMPLE)
    assert len(commands) == 7
    commands += examples(STATUS_REPORT_EXAMPLE)[1:]  # the ledger is recorded already
    assert len(commands) == 9
    told = []
    with inside(tmp_path):
        for command in commands:
            status, said = run(*command)
            assert status == 0, (command, said)
            told.append(said)
    (tmp_path / "main").mkdir()
    with inside(tmp_path / "main"):  # the example of ccm-costs --help
        (command,) = examples(EXAMPLES, "notices")
        assert run(*command)[0] == 0
    assert (tmp_path / "office" / "notice_settings.toml").is_file()
    assert len(list((tmp_path / "notices").glob("CCM-12MSP-1-*.pdf"))) == 112
    assert len(list((tmp_path / "final").glob("CCM-12MSP-2-*.pdf"))) == 114
    # the second draft had no observers: the first one's notices to them are named, not deleted
    assert len(list((tmp_path / "draft").glob("CCM-12MSP-2024-06-03-*.pdf"))) == 114
    assert "also holds 2 other notices" in told[6] and "2024-06-03-AGO.pdf" in told[6]
    assert (tmp_path / "status.pdf").is_file()


def test_the_office_is_told_of_placeholders_and_how_to_replace_them(tmp_path: Path) -> None:
    status, said = run("notices", "12MSP", "--total", "1000.00", "-o", str(tmp_path))
    assert status == 0
    assert "--settings" in said and "[BANK NAME]" in said and "--starter FOLDER" in said


def test_the_status_report_is_never_written_over_the_ledger(tmp_path: Path) -> None:
    path = ledger_in(tmp_path)
    before = path.read_bytes()
    status, said = run("status-report", str(path), "-o", str(path), "--force")
    assert status == 2 and "is the ledger this command reads" in said
    assert path.read_bytes() == before
    report = tmp_path / "status.pdf"
    assert run("status-report", str(path), "-o", str(report))[0] == 0
    status, said = run("status-report", str(path), "-o", str(report))
    assert status == 2 and "add --force to replace it" in said


def test_notices_of_a_ledger_assessment_hold_its_amounts(tmp_path: Path) -> None:
    path = ledger_in(tmp_path)
    status, said = run("notices", "--ledger", str(path), "--assessment", "1",
                       "-o", str(tmp_path / "n"))  # fmt: skip
    assert status == 0, said
    with cc.Ledger.open(path, create=False) as ledger:
        stored = ledger.assessment(1)
    total = Decimal(0)
    for line in stored.lines:
        text = " ".join(PdfReader(tmp_path / "n" / f"CCM-12MSP-1-{line.iso3}.pdf")
                        .pages[0].extract_text().split())  # fmt: skip
        amount = f"{Decimal(line.amount_minor).scaleb(-2):,}"
        assert f"Amount assessed to {line.state} {amount}" in text
        total += Decimal(line.amount_minor).scaleb(-2)
    assert total == stored.total
    assert said.startswith(f"112 notices in {tmp_path / 'n'} (112 assessment notices)")


def test_existing_notices_are_replaced_only_with_force(tmp_path: Path) -> None:
    args = ["notices", "12MSP", "--total", "500000.00", "--issued", "2024-06-03",
            "-o", str(tmp_path)]  # fmt: skip
    assert run(*args)[0] == 0
    first = tmp_path / "CCM-12MSP-2024-06-03-AUT.pdf"
    before = first.stat().st_mtime_ns
    status, said = run(*args)
    assert status == 2
    assert "add --force to replace them" in said and "force=True" not in said
    assert first.stat().st_mtime_ns == before
    assert run(*args, "--force")[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["notices", "12MSP", "--total", "1.00"], "give the folder to write the notices into"),
        (["notices", "--assessment", "1", "-o", "x"], "give --ledger too"),
        (["notices", "--ledger", "absent.sqlite", "-o", "x"], "absent.sqlite"),
        (["notices", "12MSP", "--total", "1.00", "-o", ""], "-o '' is empty: give the folder"),
        (["notices", "12MSP", "--total", "1.00", "-o", " "], "-o ' ' is empty: give the folder"),
        (["notices", "--starter", ""], "--starter '' is empty: give the folder to create"),
        (["status-report", "absent.sqlite", "-o", "s.xlsx"], "status-report writes a PDF"),
    ],
)
def test_wrong_options_are_named(args: list[str], message: str, tmp_path: Path) -> None:
    with inside(tmp_path):
        status, said = run(*args)
    assert status == 2 and message in said, said
    assert not (tmp_path / "x").exists()
    assert list(tmp_path.iterdir()) == []  # nothing written in the current folder


def test_the_starter_wants_a_folder_not_a_file(tmp_path: Path) -> None:
    workbook = tmp_path / "12MSP.xlsx"
    workbook.write_bytes(b"not to be touched")
    status, said = run("notices", "--starter", str(workbook))
    assert status == 2
    assert f"--starter {workbook} is a file: --starter wants a folder to create" in said
    assert "File exists" not in said and workbook.read_bytes() == b"not to be touched"


def test_a_settings_file_that_leaves_placeholders_is_named_with_them(tmp_path: Path) -> None:
    settings = tmp_path / "office.toml"
    settings.write_text(
        'letterhead = ["ISU"]\npayment_instructions = ["Quote {reference}."]\n'
        '[signature]\nclosing = "For the ISU"\nname = "A. Officer"\ntitle = "Finance"\n'
        '[bank]\n"Bank" = "[BANK NAME]"\n',
        encoding="utf-8",
    )
    status, said = run("notices", "12MSP", "--total", "1000.00", "--settings", str(settings),
                       "-o", str(tmp_path / "n"))  # fmt: skip
    assert status == 0, said
    assert f"still print 1 placeholder that {settings} does not replace" in said
    assert "(bank.Bank: [BANK NAME]): give those keys in" in said
    assert "--starter" not in said and "give your office's text" not in said


@pytest.mark.parametrize("command", ["notices", "status-report"])
def test_a_template_must_be_a_typst_file_that_uses_the_data(command: str, tmp_path: Path) -> None:
    ledger = ledger_in(tmp_path)
    csv_file = tmp_path / "statement.csv"
    csv_file.write_text("date,state,amount\n2024-06-20,Austria,10000.00\n", encoding="utf-8")
    fixed = tmp_path / "fixed.typ"
    fixed.write_text("Always the same page.\n", encoding="utf-8")
    head = (["notices", "--ledger", str(ledger), "--assessment", "1", "-o", str(tmp_path / "n")]
            if command == "notices"
            else ["status-report", str(ledger), "-o", str(tmp_path / "s.pdf")])  # fmt: skip
    unused = "does not use the data (it never reads sys.inputs)"
    for template, why in ((csv_file, "is not a typst template"), (fixed, unused)):
        status, said = run(*head, "--template", str(template))
        assert status == 2, said
        assert f"--template {template} {why}: give a typst file (.typ)" in said
        assert "template=" not in said and "--starter FOLDER" in said
    assert not (tmp_path / "n").exists() and not (tmp_path / "s.pdf").exists()
