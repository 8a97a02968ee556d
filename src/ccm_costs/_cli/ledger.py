"""``ccm-costs ledger``: record and void assessments, import payments, refund and transfer
credits, verify the file, print and export the status of contributions, from an SQLite ledger
file."""

from __future__ import annotations

import argparse
import os
import sqlite3
from decimal import Decimal

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError
from ccm_costs.ledger import AssessmentKind, PaymentOrder

from .common import (
    add_format_option,
    add_meeting_options,
    add_output_option,
    claim_output,
    comma_list,
    date_option,
    emit,
    emit_table,
    error_exit,
    meeting_assessment,
    output_format,
    say,
)

LEDGER_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs ledger import ccm.sqlite statement.csv --dry-run
  ccm-costs ledger status ccm.sqlite --as-at 2024-12-31
  ccm-costs ledger verify ccm.sqlite
  ccm-costs ledger export ccm.sqlite -o ledger.xlsx"""
RECORD_EXAMPLE = """examples:
  ccm-costs ledger record ccm.sqlite 12MSP --total 500000.00 --issued 2024-06-03
  ccm-costs ledger record ccm.sqlite 12MSP --total 480000.00 --observers Angola,Kenya \\
      --kind final --supersedes 1 --issued 2024-11-15 --due 2024-12-15

A final or corrected assessment is a new version: --supersedes N names the one it replaces
(see `ccm-costs ledger history`), which stays in the ledger but no longer counts as due; what
it billed keeps its due date, only the difference is due on the new one's. Recording again an
assessment identical to one in force is refused (it would bill every state twice) unless
--duplicate-ok."""
IMPORT_EXAMPLE = """example:
  ccm-costs ledger import ccm.sqlite statement.csv --dry-run

The file (CSV, or .xlsx) has a header row with the columns date (YYYY-MM-DD), state (name or
ISO3 code), amount (e.g. 1250.00), currency and reference, and optionally note and assessment
(the ledger number of the assessment the payment is for). Any bad row rejects the whole file,
with every problem listed; a reference already recorded with the same data is skipped. A date
before the ledger's first assessment or after today is refused unless --confirm-dates. A
payment from a state the ledger does not assess is held as an unapplied receipt. The dry run
shows how each state's name was matched."""
STATUS_EXAMPLE = """examples:
  ccm-costs ledger status ccm.sqlite --as-at 2024-12-31
  ccm-costs ledger status ccm.sqlite --by assessment --format csv -o status.csv
  ccm-costs ledger status ccm.sqlite -o status.xlsx
  ccm-costs ledger status ccm.sqlite --state Austria --by assessment  (every convention)"""
EXPORT_EXAMPLE = """example:
  ccm-costs ledger export ccm.sqlite -o ledger.xlsx --as-at 2024-12-31"""
HISTORY_EXAMPLE = """examples:
  ccm-costs ledger history ccm.sqlite
  ccm-costs ledger history ccm.sqlite -o history.xlsx"""
VOID_EXAMPLE = """example:
  ccm-costs ledger void ccm.sqlite 2 --reason "recorded twice" --on 2024-12-01

The assessment stays in the history, marked void; from --on it no longer counts as due. What
its states paid becomes their credit (or settles their other assessments, by the payment rule).
Void the version in force: a superseded assessment is withdrawn by voiding its successor. A
void cannot be undone: a date after today is refused unless --confirm-dates."""
VERIFY_EXAMPLE = """example:
  ccm-costs ledger verify ccm.sqlite

Checks the file (SQLite's own check), that its append-only triggers are intact and that every
row matches its seal (a hash chain over every amount, date and name stored). Exit 0 when
intact; 1 with every finding listed when another program changed the file."""
REFUND_EXAMPLE = """examples:
  ccm-costs ledger import ccm.sqlite statement.csv
  ccm-costs ledger refund ccm.sqlite Austria 1000.00 --on 2025-01-15 --note "bank transfer"

Pays back part of a state's credit (or of its unapplied receipts); more than it holds on the
date is refused, and so is a date after today unless --confirm-dates."""
TRANSFER_EXAMPLE = """examples:
  ccm-costs ledger import ccm.sqlite statement.csv
  ccm-costs ledger transfer ccm.sqlite Austria 500.00 --to-convention APMBC --on 2025-01-15
  ccm-costs ledger record ccm.sqlite 13MSP --total 400000.00 --issued 2025-06-02
  ccm-costs ledger transfer ccm.sqlite Austria 200.00 --to-assessment 3 --on 2025-01-15

--to-assessment N applies the credit to assessment N (it settles that one first, whatever the
payment rule), at most what the state has outstanding on it on the date; --to-convention moves
it out of this ledger to another convention's accounts (a convention id, see `ccm-costs
conventions`). A date after today is refused unless --confirm-dates."""


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


def _add_confirm_dates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confirm-dates", action="store_true", help="accept a date after today (--on)"
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
    record.add_argument(
        "--duplicate-ok",
        action="store_true",
        help="record it even if an identical assessment is in force (a second bill, on purpose)",
    )
    _add_order_option(record, "for a new ledger, the payment rule it keeps (default oldest_first)")

    payments = _subparser(
        actions, "import", "record the payments of a bank-statement file", IMPORT_EXAMPLE
    )
    payments.add_argument("file", help="a CSV or .xlsx file of payments")
    payments.add_argument("--sheet", help="the sheet of an .xlsx file (default the first)")
    payments.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and show what would be recorded, what it would settle and how "
        "each name was matched, without writing anything",
    )
    payments.add_argument(
        "--confirm-dates",
        action="store_true",
        help="accept dates before the ledger's first assessment or after today",
    )

    status = _subparser(
        actions, "status", "print the status of contributions as at a date", STATUS_EXAMPLE
    )
    status.add_argument("--as-at", type=date_option("--as-at"), help="YYYY-MM-DD (default today)")
    status.add_argument(
        "--by",
        choices=["state", "assessment", "year", "convention", "ageing"],
        default="state",
        help="one row per state (default), per assessment and state, per year of assessment, "
        "per convention, or the ageing of arrears per state (current, overdue 1-30, 31-90, "
        "91-365 days, over a year; prior years and current year)",
    )
    status.add_argument(
        "--state",
        metavar="STATES",
        help="comma-separated states: only their rows, across every convention of the ledger "
        "(what a delegation owes in all), e.g. --state Austria",
    )
    _add_order_option(status, "what-if: another payment rule than the ledger's")
    add_format_option(status)

    history = _subparser(
        actions, "history", "list every assessment recorded, superseded ones too", HISTORY_EXAMPLE
    )
    add_format_option(history)

    export = _subparser(
        actions, "export", "write the whole ledger and its status to .xlsx", EXPORT_EXAMPLE
    )
    add_output_option(export, "the .xlsx file to write", required=True)
    export.add_argument("--as-at", type=date_option("--as-at"), help="YYYY-MM-DD (default today)")

    void = _subparser(actions, "void", "withdraw an issued assessment, with a reason", VOID_EXAMPLE)
    void.add_argument("number", type=int, help="the number of the assessment (ledger history)")
    void.add_argument("--reason", required=True, help="why it is withdrawn (kept in the ledger)")
    void.add_argument("--on", type=date_option("--on"), help="YYYY-MM-DD (default today)")
    _add_confirm_dates(void)

    _subparser(actions, "verify", "check that no other program changed the ledger", VERIFY_EXAMPLE)

    for name, help_text, epilog in (
        ("refund", "pay back part of a state's credit", REFUND_EXAMPLE),
        ("transfer", "move part of a state's credit to an assessment or convention",
         TRANSFER_EXAMPLE),
    ):  # fmt: skip
        move = _subparser(actions, name, help_text, epilog)
        move.add_argument("state", help="the state (name or ISO3 code)")
        move.add_argument("amount", help="in currency units, e.g. 1250.00")
        move.add_argument("--on", type=date_option("--on"), help="YYYY-MM-DD (default today)")
        move.add_argument("--note", default="", help="a note kept with the entry")
        _add_confirm_dates(move)
        if name == "transfer":
            target = move.add_mutually_exclusive_group(required=True)
            target.add_argument(
                "--to-assessment", type=int, metavar="N", help="an assessment of this ledger"
            )
            target.add_argument(
                "--to-convention",
                metavar="ID",
                help="another convention's accounts: " + ", ".join(cc.available_conventions()),
            )


def run_ledger(args: argparse.Namespace) -> int:
    """Run a ``ccm-costs ledger`` subcommand; bad input prints an error and returns 2."""
    try:
        if args.ledger_command == "record":
            return _record(args)
        if args.ledger_command == "verify":
            return _verify(args)
        with cc.Ledger.open(args.ledger, create=False) as ledger:
            if args.ledger_command == "import":
                _check_not_ledger(args)
                result = ledger.import_payments(
                    cc.read_payments(args.file, sheet=args.sheet, currency=ledger.currency),
                    dry_run=args.dry_run,
                    confirm_dates=args.confirm_dates,
                )
                say(str(result))
            elif args.ledger_command in {"void", "refund", "transfer"}:
                _entry(ledger, args)
            elif args.ledger_command == "status":
                _status(ledger, args)
            elif args.ledger_command == "history":
                _history(ledger, args)
            else:
                claim_output(args)
                path = cc.write_ledger_workbook(args.output, ledger, as_at=args.as_at)
                say(f"wrote {path}")
    except (CcmCostsError, OSError) as err:
        return error_exit(err)
    except sqlite3.Error as err:
        return error_exit(InvalidInputError(f"the ledger {args.ledger}: {err}"))
    return 0


def _check_not_ledger(args: argparse.Namespace) -> None:
    try:
        same = os.path.samefile(args.file, args.ledger)
    except OSError:
        return  # a file that does not exist: the reader names it
    if same:
        raise InvalidInputError(
            f"{args.file} is the ledger itself, not a payment file: give the bank-statement "
            "file (CSV or .xlsx) to import"
        )


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
            duplicate_ok=args.duplicate_ok,
        )
    replaced = f", superseding No. {stored.supersedes}" if stored.supersedes else ""
    say(
        f"recorded No. {stored.id}: {stored.label}, {stored.total:,} {stored.currency} over "
        f"{len(stored.lines)} states, issued {stored.issued}, due {stored.due}{replaced}"
    )
    return 0


def _verify(args: argparse.Namespace) -> int:
    with cc.Ledger.open(args.ledger, create=False, check=False) as ledger:
        findings = ledger.verify()
    if not findings:
        say(f"{args.ledger}: intact (triggers in place, every row matches its seal)")
        return 0
    say(f"{args.ledger}: changed outside ccm_costs, {len(findings)} finding(s):")
    for finding in findings:
        say(f"  - {finding}")
    say("restore the ledger from a backup")
    return 1


def _entry(ledger: cc.Ledger, args: argparse.Namespace) -> None:
    """Record a void, a refund or a transfer, and say what was recorded."""
    if args.ledger_command == "void":
        void = ledger.void(
            args.number, reason=args.reason, on=args.on, confirm_dates=args.confirm_dates
        )
        say(f"voided No. {void.assessment_id} on {void.voided}: {void.reason}")
        return
    if args.ledger_command == "refund":
        move = ledger.refund(
            args.state,
            args.amount,
            on=args.on,
            note=args.note,
            confirm_dates=args.confirm_dates,
        )
        where = "refunded"
    else:
        move = ledger.transfer(
            args.state,
            args.amount,
            to_assessment=args.to_assessment,
            to_convention=args.to_convention,
            on=args.on,
            note=args.note,
            confirm_dates=args.confirm_dates,
        )
        where = (
            f"to assessment No. {move.to_assessment}"
            if move.to_convention is None
            else f"to {move.to_convention}"
        )
    amount = Decimal(move.amount_minor).scaleb(-cc.currency_exponent(ledger.currency))
    say(
        f"recorded {move.reference}: {amount:,} {ledger.currency} of {move.iso3}'s credit "
        f"{where} on {move.moved}"
    )


def _status(ledger: cc.Ledger, args: argparse.Namespace) -> None:
    fmt = output_format(args)
    states = None if args.state is None else comma_list(args.state)
    if states == []:
        raise InvalidInputError(
            f"--state names no state ({args.state!r}): give one or more, e.g. --state Austria"
        )
    try:
        status = cc.status_of_contributions(
            ledger, args.as_at, order=args.payment_order, states=states
        )
    except cc.UnknownStateError as err:
        raise err.for_cli(f"--state: {err}") from None
    if fmt == "xlsx":
        say(f"wrote {cc.write_status_workbook(args.output, status)}")
        return
    emit(cc.render(status, fmt, by=args.by), args.output)


def _standing(snapshot: cc.LedgerSnapshot, assessment_id: int) -> str:
    if assessment_id in snapshot.voids:
        void = snapshot.voids[assessment_id]
        return f"void on {void.voided}: {void.reason}"
    if assessment_id in snapshot.superseded_by:
        return f"superseded by No. {snapshot.superseded_by[assessment_id]}"
    return "in force"


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
        cc.TextColumn("rules"),
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
            _standing(snapshot, a.id),
            a.rules_label,
            a.total,
        )
        for a in snapshot.assessments
    )
    if fmt == "table" and not rows:
        emit("no assessments recorded", args.output)
    else:
        emit_table(
            cc.TextTable(columns, rows), fmt, args, sheet="History", title="Assessments recorded"
        )
