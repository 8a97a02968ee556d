"""Every example that a ``--help`` shows runs, in process, and succeeds.

The examples are collected from every parser of the command line (the top level and each
subcommand, however deep), so a new command's examples are run as soon as it has them. Each
parser's examples run in order in a fresh folder holding the files they name (a meetings
file, workbooks to check or reconcile, a bank statement, a rule file); a ledger example
(``ledger``, or ``reconcile --ledger``) that does not record first finds the ledger the
``ledger record`` examples make. ``> FILE`` writes the printed output to FILE.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

import ccm_costs as cc
from ccm_costs._cli.main import _parser, main

MEETINGS = """
[[meetings]]
name = "MyMeeting"
total = "100000.00"
observers = ["Kenya"]

[[meetings.dates]]
start = 2025-09-01
end = 2025-09-03

[[meetings]]
name = "MSP-estimate"
total = "500000.00"
observers = ["Angola"]
dates = [2024-09-10]

[[meetings]]
name = "MSP-final"
total = "480000.00"
observers = ["Kenya"]
dates = [2024-09-10]
"""
STATEMENT = """date,state,amount,currency,reference
2024-06-20,Austria,10000.00,USD,B-1
2024-12-01,France,30000.00,USD,B-2
"""
COMMENT = re.compile(r"\s{2,}\(.*$")
"""An example's explanation: two spaces or more, then words in parentheses."""


def _parsers(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def examples(parser: argparse.ArgumentParser) -> list[str]:
    """The ``ccm-costs`` lines of a parser's epilog, continuations joined, explanations cut."""
    text = (parser.epilog or "").replace("\\\n", " ")
    lines = (COMMENT.sub("", line).strip() for line in text.splitlines())
    return [line for line in lines if line.startswith("ccm-costs ")]


EXAMPLES = {" ".join(path) or "ccm-costs": examples(p) for path, p in _parsers(_parser())}
RECORD = EXAMPLES["ledger record"]


def test_every_command_shows_examples() -> None:
    empty = [name for name, found in EXAMPLES.items() if not found]
    assert not empty, f"--help without an example: {empty}"


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The workbooks the check examples name, written by the library."""
    folder = tmp_path_factory.mktemp("books")
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="500000.00")
    final = cc.assess(meeting.replace(observers=["Kenya"]), total="480000.00")
    pair = cc.apportion("500000.00", ["Austria", "Belgium"], scale="2022-2024")
    written = {
        "received.xlsx": estimate,
        "ours.xlsx": final,
        "table.xlsx": pair,
        "both.xlsx": {"Estimate": estimate, "Final": final},
        "estimate.xlsx": estimate,
        "final.xlsx": final,
    }
    for name, what in written.items():
        cc.write_workbook(folder / name, what)  # type: ignore[arg-type]
    return {name: (folder / name).read_bytes() for name in written}


def _run(line: str) -> tuple[int, str, str]:
    words = shlex.split(line)[1:]
    target = None
    if ">" in words:
        at = words.index(">")
        words, target = words[:at], words[at + 1]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(words)
        except SystemExit as stop:
            code = int(stop.code or 0)
    if target is not None:
        Path(target).write_text(out.getvalue(), encoding="utf-8")
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("command", sorted(EXAMPLES))
def test_every_help_example_runs(command: str, tmp_path: Path, workbooks: dict[str, bytes]) -> None:
    for name, data in workbooks.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "meetings.toml").write_text(MEETINGS, encoding="utf-8")
    (tmp_path / "statement.csv").write_text(STATEMENT, encoding="utf-8")
    (tmp_path / "my_rules.toml").write_text(
        cc.rules.to_toml(cc.rules.load("who")), encoding="utf-8"
    )
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        lines = EXAMPLES[command]
        if any(
            " ledger " in f" {line} " or " --ledger " in f" {line} " for line in lines
        ) and not lines[0].startswith("ccm-costs ledger record"):
            lines = [*RECORD, *lines]
        for line in lines:
            code, _, err = _run(line)
            assert code == 0, f"{line!r} exited {code}: {err}"
    finally:
        os.chdir(before)
