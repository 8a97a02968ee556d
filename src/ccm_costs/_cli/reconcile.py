"""``ccm-costs reconcile``: a meeting's estimate against its final assessment, per state the
additional bill or the credit, from a ledger, from two workbooks, or from two meetings.

``--estimate`` and ``--final`` each name one assessment, read the same way: a workbook this
library wrote (a name ending in ``.xlsx``), an assessment number of ``--ledger``, or else a
meeting (shipped, or of ``--file``) assessed with its ``--estimate-*`` or ``--final-*``
options. A MEETING alone stands for both: with ``--ledger`` its estimate and the final in force
that supersedes it, without it the meeting assessed twice. An option that does not apply to
the assessment it names is an error, never ignored.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError

from .common import (
    add_convention_option,
    add_format_option,
    add_print_options,
    check_print_options,
    comma_list,
    emit,
    error_exit,
    output_format,
    same_file,
    say,
)

DESCRIPTION = (
    "compare a meeting's estimate with its final assessment: per state the estimate, the "
    "final, the difference (an additional bill or a credit) and the states in only one of "
    "the two"
)
EXAMPLES = """examples:
  ccm-costs reconcile 12MSP --estimate-total 500000.00 --final-total 480000.00 \\
      --final-observers Angola,Kenya
  ccm-costs reconcile --estimate estimate.xlsx --final final.xlsx -o reconciliation.xlsx
  ccm-costs reconcile --estimate both.xlsx --estimate-sheet Estimate \\
      --final both.xlsx --final-sheet Final --format csv
  ccm-costs reconcile 12MSP --ledger ccm.sqlite -o 12MSP_reconciliation.xlsx --issued 2024-11-15
  ccm-costs reconcile --ledger ccm.sqlite --estimate 1 --final 2 --format json
  ccm-costs reconcile --file meetings.toml --estimate MSP-estimate --final MSP-final

--estimate and --final each name one assessment:
  a workbook written by ccm-costs (a name ending in .xlsx; --estimate-sheet or --final-sheet
  names its sheet when it holds several), an assessment number of --ledger (see
  'ccm-costs ledger history'), or else a meeting (shipped, or of --file) assessed with
  --estimate-total and --estimate-observers (or --final-total and --final-observers).
A MEETING alone stands for both: with --ledger, its estimate and the final in force that
supersedes it; without, the meeting assessed twice, once with the --estimate-* options and
once with the --final-* options (a meeting's own total and observers where they are not
given). The two may come from different sources, e.g. the workbook sent as the estimate
against the final recorded in the ledger."""


def add_reconcile_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``reconcile`` to the ``ccm-costs`` command line."""
    parser = commands.add_parser(
        "reconcile",
        help=DESCRIPTION,
        description=DESCRIPTION[0].upper() + DESCRIPTION[1:] + ".",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "meeting",
        nargs="?",
        help="the meeting, e.g. 12MSP, for both the estimate and the final (see below)",
    )
    parser.add_argument("--estimate", metavar="WORKBOOK|N|MEETING", help="the estimate (see below)")
    parser.add_argument("--final", metavar="WORKBOOK|N|MEETING", help="the final (see below)")
    parser.add_argument(
        "--ledger", help="the ledger file (SQLite) whose assessments N, or MEETING, name"
    )
    parser.add_argument(
        "--file", help="a TOML or JSON meetings file (default: the shipped meetings)"
    )
    add_convention_option(parser)
    for side in SIDES:
        group = parser.add_argument_group(f"the {side.word}, when it is a meeting or a workbook")
        group.add_argument(
            f"--{side.name}-total",
            metavar="AMOUNT",
            help=f"the {side.cost} in currency units, e.g. 500000.00 (default: the meeting's)",
        )
        group.add_argument(
            f"--{side.name}-observers",
            metavar="STATES",
            help=f"comma-separated States not party {side.attending}, e.g. Angola,Kenya "
            "(replaces the meeting's list; '' for none)",
        )
        group.add_argument(
            f"--{side.name}-sheet",
            metavar="SHEET",
            help=f"the sheet of the {side.word} workbook (default: its one assessment sheet)",
        )
    add_format_option(parser)
    add_print_options(parser)


@dataclass(frozen=True)
class Side:
    """One of the two assessments, and how its options and messages name it."""

    name: str
    word: str
    cost: str
    attending: str


SIDES = (
    Side("estimate", "estimate", "estimated cost", "expected to participate"),
    Side("final", "final", "actual cost", "that participated"),
)


def run_reconcile(args: argparse.Namespace) -> int:
    """Run ``ccm-costs reconcile``; bad input prints an error and returns 2."""
    try:
        fmt = output_format(args)
        check_print_options(args, fmt)
        reconciliation = _reconciliation(args)
        if fmt == "xlsx":
            path = cc.write_reconciliation_workbook(
                args.output, reconciliation, issued=args.issued, paper=args.paper
            )
            say(f"wrote {path} ({reconciliation.summary().splitlines()[0]})", sys.stderr)
        else:
            emit(cc.render(reconciliation, fmt), args.output)
    except (CcmCostsError, OSError) as err:
        return error_exit(err)
    except sqlite3.Error as err:
        return error_exit(InvalidInputError(f"the ledger {args.ledger}: {err}"))
    return 0


def _reconciliation(args: argparse.Namespace) -> cc.Reconciliation:
    given = {side.name: getattr(args, side.name) for side in SIDES}
    if args.meeting is not None and all(given.values()):
        raise InvalidInputError(
            f"MEETING {args.meeting} is given with both --estimate and --final, so it names "
            "neither: leave it out, or leave out one of them"
        )
    if args.ledger is None:
        return _assessed(args, given)
    numbers = [value for value in given.values() if value and value.strip().isdigit()]
    with cc.Ledger.open(args.ledger, create=False) as ledger:
        if not any(given.values()) or len(numbers) == len(SIDES):
            if args.meeting is None and not numbers:
                raise InvalidInputError(
                    "with --ledger give the MEETING (e.g. 12MSP), or --estimate N and --final N"
                )
            _refuse_meeting_options(args)
            try:
                if numbers:
                    estimate, final = (int(n) for n in numbers)
                    return cc.reconcile_recorded(ledger, estimate=estimate, final=final)
                return cc.reconcile_recorded(ledger, args.meeting)
            except InvalidInputError as err:
                raise err.for_cli(_ledger_words(err.cli_message or str(err))) from None
        return _assessed(args, given, ledger)


def _assessed(
    args: argparse.Namespace, given: dict[str, str | None], ledger: cc.Ledger | None = None
) -> cc.Reconciliation:
    books = [given[side.name] for side in SIDES]
    if all(b and b.lower().endswith(".xlsx") for b in books) and _same(books, args):
        raise InvalidInputError(
            f"--estimate and --final are the same workbook ({books[0]}"
            + (f", sheet {args.estimate_sheet}" if args.estimate_sheet else "")
            + "): give the estimate's and the final's workbooks (or sheets)"
        )
    estimate, final = (_one(args, side, given[side.name], ledger) for side in SIDES)
    return cc.reconcile(estimate, final)


def _same(books: list[str | None], args: argparse.Namespace) -> bool:
    """Whether both sides name one sheet of one file."""
    first, second = (Path(str(b)) for b in books)
    return same_file(first, second) and args.estimate_sheet == args.final_sheet


def _one(
    args: argparse.Namespace, side: Side, value: str | None, ledger: cc.Ledger | None
) -> cc.Assessment | cc.WorkbookAssessment | cc.StoredAssessment:
    """The assessment ``--estimate`` or ``--final`` names (or MEETING, when it is not given)."""
    option = f"--{side.name}"
    if value is None and (args.meeting is None or ledger is not None):
        raise InvalidInputError(
            f"give {option}: a workbook (.xlsx), an assessment number of --ledger, or a "
            "meeting; or a MEETING for both the estimate and the final"
        )
    total, observers, sheet = (
        getattr(args, f"{side.name}_{part}") for part in ("total", "observers", "sheet")
    )
    if value is not None and ledger is None and value.strip().isdigit():
        raise InvalidInputError(
            f"{option} {value}: an assessment number needs the ledger that holds it: add "
            "--ledger FILE"
        )
    if value is not None and Path(value).suffix and not value.lower().endswith(".xlsx"):
        raise InvalidInputError(
            f"{option} {value}: give an assessment workbook (.xlsx) written by ccm_costs, an "
            "assessment number of --ledger, or a meeting"
        )
    if value is not None and value.lower().endswith(".xlsx"):
        _refuse(side, "a workbook", total=total, observers=observers)
        try:
            return cc.read_assessment_workbook(value, sheet=sheet)
        except InvalidInputError as err:
            raise err.for_cli(_workbook_words(str(err), side)) from None
    _refuse(side, "a ledger's assessment" if ledger else "a meeting", sheet=sheet)
    if ledger is not None:
        assert value is not None
        _refuse(side, "a ledger's assessment", total=total, observers=observers)
        if not value.strip().isdigit():
            raise InvalidInputError(
                f"{option} {value}: with --ledger give the assessment's number (see "
                "'ccm-costs ledger history'), or a workbook (.xlsx)"
            )
        return ledger.assessment(int(value))
    return _meeting_assessment(args, side, value or str(args.meeting), total, observers)


def _meeting_assessment(
    args: argparse.Namespace, side: Side, name: str, total: str | None, observers: str | None
) -> cc.Assessment:
    meeting = cc.get_meeting(name, args.file, convention=None if args.file else args.convention)
    if observers is not None:
        try:
            meeting = meeting.replace(observers=comma_list(observers))
        except cc.MeetingError as err:
            words = str(err).replace("field 'observers'", f"--{side.name}-observers")
            raise err.for_cli(words.replace("\n", " ")) from None
    if total is None and meeting.total is None:
        raise InvalidInputError(
            f"the {side.word}: meeting {name} has no total: give the {side.cost} with "
            f"--{side.name}-total, e.g. --{side.name}-total 500000.00"
        )
    try:
        return cc.assess(meeting, total=total)
    except InvalidInputError as err:
        raise err.for_cli(f"--{side.name}-total: {err}") from None


def _refuse(side: Side, what: str, **options: str | None) -> None:
    """An option given for a side it does not apply to: an error naming both."""
    for part, value in options.items():
        if value is not None:
            raise InvalidInputError(
                f"--{side.name}-{part} is for a "
                + ("workbook" if part == "sheet" else "meeting")
                + f", but the {side.word} is {what}: leave it out"
            )


def _refuse_meeting_options(args: argparse.Namespace) -> None:
    """Both assessments are the ledger's: no option for a meeting or a workbook applies."""
    for side in SIDES:
        for part in ("total", "observers", "sheet"):
            if getattr(args, f"{side.name}_{part}") is not None:
                raise InvalidInputError(
                    f"--{side.name}-{part} does not apply: the {side.word} is an assessment "
                    f"recorded in the ledger {args.ledger}; leave it out"
                )


def _ledger_words(message: str) -> str:
    """A message of ``reconcile_recorded`` in the words of the command line."""
    message = message.replace("estimate=N and final=M", "--estimate N --final M")
    return message.replace(
        "record_assessment(final, kind='final', supersedes=N)",
        "'ccm-costs ledger record ... --kind final --supersedes N'",
    )


def _workbook_words(message: str, side: Side) -> str:
    """A message of ``read_assessment_workbook`` in the words of the command line."""
    message = re.sub(r"sheet='([^']*)'", rf"--{side.name}-sheet '\1'", message)
    return message.replace("check_workbook(path, expected)", "'ccm-costs check WORKBOOK'")
