"""``ccm-costs notices``: one assessment notice (PDF) per paying state, and the control list;
``ccm-costs status-report``: the status of contributions of a ledger as a PDF.

The assessment is the one ``assess`` computes from the meeting options, or one recorded in a
ledger (``--ledger L --assessment N``: its meeting, total and observers are taken from the
ledger, and its amounts must be the ones computed again). A final that supersedes an estimate
gives notices of the difference: additional bills and credits.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import ccm_costs as cc
from ccm_costs.errors import InvalidInputError

from .common import (
    add_meeting_options,
    claim_output,
    date_option,
    meeting_assessment,
    say,
    write_file,
)

NOTICES_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs notices --ledger ccm.sqlite --assessment 1 -o notices     (as recorded: meeting,
                                                   total, observers, dates; each state's account)
  ccm-costs ledger record ccm.sqlite 12MSP --total 480000.00 --observers Angola,Kenya \\
      --kind final --supersedes 1 --issued 2024-11-15
  ccm-costs notices --ledger ccm.sqlite --assessment 2 -o final     (a final that supersedes an
                                                   estimate: additional bills and credits)
  ccm-costs notices 12MSP --total 500000.00 --observers Angola,Kenya --issued 2024-06-03 -o draft
  ccm-costs notices --starter office        (copies the settings file and the templates to edit)
  ccm-costs notices 12MSP --total 500000.00 --issued 2024-06-03 \\
      --settings office/notice_settings.toml --template office/notice.typ -o draft --force

writes FOLDER/<reference>.pdf for each state with something to pay (or a credit) and
FOLDER/<reference>-control.csv and .xlsx (e.g. CCM-12MSP-1-control.csv), whose amounts add up
to the total (after a final: to the difference)"""


STATUS_REPORT_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs status-report ccm.sqlite --as-at 2025-01-31 -o status.pdf
  ccm-costs status-report ccm.sqlite --as-at 2025-01-31 --issued 2025-02-03 -o status.pdf --force

one section per convention (per state: assessed, received, outstanding, days overdue, status;
the same by year), then the credits held"""


def add_status_report_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """Add ``status-report`` to the command line."""
    parser = commands.add_parser(
        "status-report",
        help="write the status of contributions of a ledger as a PDF report (A4)",
        description="Write the status of contributions of a ledger as at a date as a PDF "
        "report (A4 landscape): one section per convention, then the credits held.",
        epilog=STATUS_REPORT_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("ledger", help="the ledger file")
    parser.add_argument("--as-at", type=date_option("--as-at"), help="YYYY-MM-DD (default today)")
    parser.add_argument(
        "--issued", type=date_option("--issued"), help="the date printed (default today)"
    )
    parser.add_argument("--settings", help="a TOML file with the letterhead (see notices)")
    parser.add_argument("--template", help="your own typst template (a copy of status_report.typ)")
    parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
    parser.add_argument("--force", action="store_true", help="replace --output if it exists")


def run_status_report(args: argparse.Namespace) -> int:
    """Run ``ccm-costs status-report``."""
    path = claim_output(args)
    if path is not None and path.suffix.lower() != ".pdf":
        raise InvalidInputError(
            f"--output {args.output}: status-report writes a PDF: give a .pdf name (for a "
            "workbook: ccm-costs ledger status LEDGER -o status.xlsx)"
        )
    with cc.Ledger.open(args.ledger, create=False) as ledger:
        written = cc.write_status_report(
            path or args.output,
            ledger,
            args.as_at,
            settings=args.settings,
            template=args.template,
            issued=args.issued,
        )
    say(f"wrote {written}", sys.stderr)
    return 0


def add_notices_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``notices`` to the command line."""
    parser = commands.add_parser(
        "notices",
        help="write one assessment notice (PDF, A4) per paying state, and the control list",
        description="Write one assessment notice (PDF, A4) per paying state into a folder, "
        "with the control list (a CSV file). The office's letterhead, signature block, bank "
        "details and payment instructions come from --settings (the shipped file holds "
        "placeholders such as [BANK NAME]; the command lists those still printed).",
        epilog=NOTICES_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_meeting_options(parser)
    parser.add_argument(
        "--ledger",
        help="a ledger file: each notice shows the state's account in it (arrears by year, "
        "credit) on the date of issue",
    )
    parser.add_argument(
        "--assessment",
        type=int,
        metavar="N",
        help="the number of the assessment in --ledger to write notices of (its meeting, "
        "total and observers unless given; its date of issue and due date)",
    )
    parser.add_argument(
        "--issued",
        type=date_option("--issued"),
        help="YYYY-MM-DD: the date of issue (default today; with --assessment, the ledger's)",
    )
    parser.add_argument("--settings", help="a TOML file: letterhead, signature, bank details")
    parser.add_argument("--template", help="your own typst template (a copy of notice.typ)")
    parser.add_argument("-o", "--output", metavar="FOLDER", help="the folder to write into")
    parser.add_argument(
        "--force", action="store_true", help="replace notices that exist in the folder"
    )
    parser.add_argument(
        "--starter",
        metavar="FOLDER",
        help="copy the shipped settings file and template into FOLDER to edit, and stop",
    )


def run_notices(args: argparse.Namespace) -> int:
    """Run ``ccm-costs notices``."""
    if args.starter is not None:
        if not args.starter.strip():
            raise InvalidInputError(
                "--starter '' is empty: give the folder to create, e.g. --starter office"
            )
        return _starter(Path(args.starter), force=args.force)
    if args.output is None:
        raise InvalidInputError("give the folder to write the notices into: -o FOLDER")
    if not args.output.strip():
        raise InvalidInputError(
            f"-o {args.output!r} is empty: give the folder to write the notices into, e.g. "
            "-o notices (nothing was written)"
        )
    if args.assessment is not None and args.ledger is None:
        raise InvalidInputError("--assessment names an assessment of a ledger: give --ledger too")
    if args.ledger is None:
        return _write(args, None)
    with cc.Ledger.open(args.ledger, create=False) as ledger:
        if args.assessment is not None:
            _as_recorded(args, ledger.assessment(args.assessment))
        return _write(args, ledger)


def _as_recorded(args: argparse.Namespace, stored: cc.StoredAssessment) -> None:
    """The meeting options a recorded assessment implies, where the caller gave none: its
    meeting, its total and the states that paid other than as parties (its observers)."""
    if args.meeting is None:
        args.meeting = stored.meeting
    if args.total is None:
        args.total = str(stored.total)
    if args.observers is None:
        party = cc.get_convention(args.convention or "ccm").party_role
        args.observers = ",".join(line.iso3 for line in stored.lines if line.role != party)


def _write(args: argparse.Namespace, ledger: cc.Ledger | None) -> int:
    assessment = meeting_assessment(args)
    try:
        batch = cc.write_notices(
            args.output,
            assessment,
            ledger=ledger,
            assessment_id=args.assessment,
            settings=args.settings,
            template=args.template,
            issued=args.issued,
            force=args.force,
        )
    except InvalidInputError as err:
        raise err.for_cli(_cli_words(err.cli_message or str(err))) from None
    say(
        batch.summary().replace(
            "in a settings file",
            "with --settings (ccm-costs notices --starter FOLDER copies the shipped one to edit)",
        ),
        sys.stderr,
    )
    return 0


def _cli_words(message: str) -> str:
    """A message of ``write_notices`` in the words of the command line."""
    return (
        message.replace("give force=True", "add --force")
        .replace("leave the date of issue out", "leave --issued out")
        .replace("assess the meeting with", "give the meeting, --total, --observers and --rules")
        .replace(" the total, observers and rules recorded with it", " recorded with it")
    )


def _starter(folder: Path, *, force: bool) -> int:
    """Copy the shipped settings and template into ``folder``."""
    sources = cc.notice_template_files()
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(
            f"--starter {folder} is a file: --starter wants a folder to create (or one that "
            "holds them already), e.g. --starter office; nothing was written"
        )
    targets = [folder / source.name for source in sources]
    existing = [t for t in targets if t.exists()]
    if existing and not force:
        raise InvalidInputError(
            f"{', '.join(map(str, existing))} {'exists' if len(existing) == 1 else 'exist'}: "
            "add --force to replace, or choose another folder"
        )
    folder.mkdir(parents=True, exist_ok=True)
    for source, target in zip(sources, targets, strict=True):
        write_file(target, source.read_bytes())
        say(f"wrote {target}", sys.stderr)
    return 0
