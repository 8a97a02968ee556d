"""``ccm-costs ledger``: record assessments, import payments, print and export the status of
contributions, from an SQLite ledger file."""

from __future__ import annotations

import argparse
import sqlite3

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError
from ccm_costs.ledger import AssessmentKind, PaymentOrder

from .common import (
    add_format_option,
    add_meeting_options,
    add_output_option,
    claim_output,
    date_option,
    emit,
    error_exit,
    meeting_assessment,
    output_format,
)

LEDGER_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs ledger import ccm.sqlite statement.csv --dry-run
  ccm-costs ledger status ccm.sqlite --as-at 2024-12-31
  ccm-costs ledger export ccm.sqlite -o ledger.xlsx"""
RECORD_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs ledger record ccm.sqlite 12MSP --total 480000.00 --observers Angola,Kenya \\
      --kind final --supersedes 1 --issued 2024-11-15 --due 2024-12-15

A final or corrected assessment is a new version: --supersedes N names the one it replaces
(see `ccm-costs ledger history`), which stays in the ledger but no longer counts as due."""
IMPORT_EXAMPLE = """example:
  ccm-costs ledger import ccm.sqlite statement.csv --dry-run

The file (CSV, or .xlsx) has a header row with the columns date (YYYY-MM-DD), state (name or
ISO3 code), amount (e.g. 1250.00), currency and reference, and optionally note and assessment
(the ledger number of the assessment the payment is for). Any bad row rejects the whole file,
with every problem listed; a reference already recorded with the same data is skipped."""
STATUS_EXAMPLE = """examples:
  ccm-costs ledger status ccm.sqlite --as-at 2024-12-31
  ccm-costs ledger status ccm.sqlite --by assessment --format csv -o status.csv
  ccm-costs ledger status ccm.sqlite -o status.xlsx"""
EXPORT_EXAMPLE = """example:
  ccm-costs ledger export ccm.sqlite -o ledger.xlsx --as-at 2024-12-31"""
HISTORY_EXAMPLE = """example:
  ccm-costs ledger history ccm.sqlite"""


def _subparser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    epilog: str,
) -> argparse.ArgumentParser:
    parser = commands.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("ledger", help="the ledger file (SQLite), e.g. ccm.sqlite")
    return parser


def _add_order_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--payment-order",
        choices=[order.value for order in PaymentOrder],
        help=f"{what}: oldest_first (UN practice: a payment settles the oldest outstanding "
        "assessment first) or named_first (the assessment a payment names first)",
    )


def add_ledger_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``ledger`` and its subcommands to the ``ccm-costs`` command line."""
    ledger = commands.add_parser(
        "ledger",
        help="record assessments and payments; the status of contributions",
        description="Keep assessments and payments in an SQLite ledger file and report the "
        "status of contributions: assessed, received, outstanding, credit.",
        epilog=LEDGER_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = ledger.add_subparsers(dest="ledger_command", required=True)

    record = _subparser(
        actions, "record", "assess a meeting and record the assessment", RECORD_EXAMPLE
    )
    add_meeting_options(record)
    record.add_argument(
        "--kind",
        choices=[kind.value for kind in AssessmentKind],
        default=AssessmentKind.ESTIMATE.value,
        help="estimate (before the meeting, the default), final (actual costs and "
        "participants) or correction (must give --supersedes)",
    )
    record.add_argument(
        "--supersedes", type=int, metavar="N", help="the number of the assessment it replaces"
    )
    record.add_argument(
        "--issued", type=date_option("--issued"), help="issue date, YYYY-MM-DD (default today)"
    )
    record.add_argument(
        "--due",
        type=date_option("--due"),
        help="due date, YYYY-MM-DD (default 30 days after issue)",
    )
    record.add_argument("--label", help="a label for the assessment (default 'MEETING KIND')")
    _add_order_option(record, "for a new ledger, the payment rule it keeps (default oldest_first)")

    payments = _subparser(
        actions, "import", "record the payments of a bank-statement file", IMPORT_EXAMPLE
    )
    payments.add_argument("file", help="a CSV or .xlsx file of payments")
    payments.add_argument("--sheet", help="the sheet of an .xlsx file (default the first)")
    payments.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and show what would be recorded and what it would settle, "
        "without writing anything",
    )

    status = _subparser(
        actions, "status", "print the status of contributions as at a date", STATUS_EXAMPLE
    )
    status.add_argument("--as-at", type=date_option("--as-at"), help="YYYY-MM-DD (default today)")
    status.add_argument(
        "--by",
        choices=["state", "assessment", "year"],
        default="state",
        help="one row per state (default), per assessment and state, or per year of issue",
    )
    _add_order_option(status, "what-if: another payment rule than the ledger's")
    add_format_option(status)

    history = _subparser(
        actions, "history", "list every assessment recorded, superseded ones too", HISTORY_EXAMPLE
    )
    add_format_option(history, ("table", "csv", "json"))

    export = _subparser(
        actions, "export", "write the whole ledger and its status to .xlsx", EXPORT_EXAMPLE
    )
    add_output_option(export, "the .xlsx file to write", required=True)
    export.add_argument("--as-at", type=date_option("--as-at"), help="YYYY-MM-DD (default today)")


def run_ledger(args: argparse.Namespace) -> int:
    """Run a ``ccm-costs ledger`` subcommand; bad input prints an error and returns 2."""
    try:
        if args.ledger_command == "record":
            return _record(args)
        with cc.Ledger.open(args.ledger, create=False) as ledger:
            if args.ledger_command == "import":
                result = ledger.import_payments(
                    cc.read_payments(args.file, sheet=args.sheet, currency=ledger.currency),
                    dry_run=args.dry_run,
                )
                print(result)
            elif args.ledger_command == "status":
                _status(ledger, args)
            elif args.ledger_command == "history":
                _history(ledger, args)
            else:
                claim_output(args)
                path = cc.write_ledger_workbook(args.output, ledger, as_at=args.as_at)
                print(f"wrote {path}")
    except (CcmCostsError, OSError) as err:
        return error_exit(err)
    except sqlite3.Error as err:
        return error_exit(InvalidInputError(f"the ledger {args.ledger}: {err}"))
    return 0


def _record(args: argparse.Namespace) -> int:
    assessment = meeting_assessment(args)
    with cc.Ledger.open(
        args.ledger,
        currency=assessment.currency,
        payment_order=args.payment_order or PaymentOrder.OLDEST_FIRST,
    ) as ledger:
        stored = ledger.record_assessment(
            assessment,
            meeting=args.meeting,
            kind=args.kind,
            label=args.label,
            issued=args.issued,
            due=args.due,
            supersedes=args.supersedes,
        )
    replaced = f", superseding No. {stored.supersedes}" if stored.supersedes else ""
    print(
        f"recorded No. {stored.id}: {stored.label}, {stored.total:,} {stored.currency} over "
        f"{len(stored.lines)} states, issued {stored.issued}, due {stored.due}{replaced}"
    )
    return 0


def _status(ledger: cc.Ledger, args: argparse.Namespace) -> None:
    fmt = output_format(args)
    status = cc.status_of_contributions(ledger, args.as_at, order=args.payment_order)
    if fmt == "xlsx":
        print(f"wrote {cc.write_status_workbook(args.output, status)}")
        return
    emit(cc.render(status, fmt, by=args.by), args.output)


def _history(ledger: cc.Ledger, args: argparse.Namespace) -> None:
    fmt = output_format(args)
    snapshot = ledger.snapshot()
    columns = (
        cc.TextColumn("no", "number"),
        cc.TextColumn("meeting"),
        cc.TextColumn("label"),
        cc.TextColumn("kind"),
        cc.TextColumn("issued"),
        cc.TextColumn("due"),
        cc.TextColumn("supersedes", "number"),
        cc.TextColumn("standing"),
        cc.TextColumn("total", "money"),
    )
    rows = tuple(
        (
            a.id,
            a.meeting,
            a.label,
            a.kind.value,
            str(a.issued),
            str(a.due),
            a.supersedes or "",
            f"superseded by No. {snapshot.superseded_by[a.id]}"
            if a.id in snapshot.superseded_by
            else "in force",
            a.total,
        )
        for a in snapshot.assessments
    )
    if fmt == "table" and not rows:
        emit("no assessments recorded", args.output)
    else:
        emit(cc.render(cc.TextTable(columns, rows), fmt), args.output)
