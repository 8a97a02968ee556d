"""The ``ccm-costs`` command line: scale periods and scales, parties on a date, assessments of
a meeting (terminal table, CSV, JSON or XLSX), apportioning a total, checking a workbook."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError

from .common import (
    Parser,
    add_convention_option,
    add_format_option,
    add_meeting_options,
    add_print_options,
    add_rule_options,
    add_scale_options,
    check_print_options,
    comma_list,
    covered,
    emit,
    emit_table,
    error_exit,
    meeting_assessment,
    meeting_from_args,
    output_format,
    rules_from_args,
    say,
    scale_from_args,
)
from .conventions import add_conventions_parser, run_conventions
from .ledger import add_ledger_parser, run_ledger
from .notices import add_notices_parser, add_status_report_parser, run_notices, run_status_report
from .reconcile import add_reconcile_parser, run_reconcile
from .rules import add_rules_parser, run_rules

EXIT_DIFFERENCES = 1
EXAMPLES = """examples:
  ccm-costs periods
  ccm-costs scale 2025-2027
  ccm-costs parties --date 2025-09-01
  ccm-costs parties --convention apmbc --date 2026-03-01
  ccm-costs conventions
  ccm-costs assess 12MSP --total 500000.00 --observers Angola,Kenya -o 12MSP.xlsx
  ccm-costs assess --date 2026-09-14 --total 480000.00 --format csv
  ccm-costs apportion --scale 2019-2021 --total 550000.00 --extra-rate COK=0.001 Austria COK
  ccm-costs apportion --scale 2022-2024 --total 1000000 --rules mlf-replenishment USA Japan France
  ccm-costs rules
  ccm-costs check received.xlsx --meeting 12MSP --total 500000.00
  ccm-costs notices 12MSP --total 500000.00 --issued 2024-06-03 -o notices
  ccm-costs reconcile --estimate estimate.xlsx --final final.xlsx -o reconciliation.xlsx

exit status: 0 success; 1 the checked workbook differs, or `ledger verify` finds the
ledger changed; 2 bad input (message on stderr)"""
ASSESS_EXAMPLE = """examples:
  ccm-costs assess 12MSP --total 500000.00 --observers Angola,Kenya
  ccm-costs assess 12MSP --total 500000.00 -o 12MSP.xlsx        (format from the suffix)
  ccm-costs assess 3RC --total 350000.00 --format json
  ccm-costs assess MyMeeting --file meetings.toml --format csv -o my.csv
  ccm-costs assess --date 2026-09-14 --total 480000.00 --cost-type secretariat"""
APPORTION_EXAMPLE = """example:
  ccm-costs apportion --scale 2019-2021 --total 550000.00 --extra-rate COK=0.001 Austria COK"""
CHECK_EXAMPLE = """examples:
  ccm-costs check received.xlsx --meeting 12MSP --total 500000.00
  ccm-costs check table.xlsx --scale 2022-2024 --total 500000.00 --states Austria,Belgium
  ccm-costs check ours.xlsx                 (recomputed from what the workbook states)
  ccm-costs check both.xlsx --meeting 12MSP --all-sheets    (every sheet with a table)

with --meeting and no --observers, the observers are those the workbook lists (its Role
column, else its Participants line), and the total is the meeting's, else the one the
workbook states; the report says which it used

exit status: 0 no differences; 1 differences found; 2 bad input"""


def _subparser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    help_text: str,
    epilog: str | None = None,
) -> argparse.ArgumentParser:
    return commands.add_parser(
        name,
        help=help_text,
        description=help_text,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _parser() -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = Parser(
        prog="ccm-costs",
        description="Who pays how much for a meeting of the Convention on Cluster Munitions "
        "(Article 14) and of its sister conventions (--convention): the UN scale of "
        "assessment adjusted to the states that pay, exact to the cent. Run "
        "'ccm-costs COMMAND --help' for a command's options.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    periods = _subparser(
        commands,
        "periods",
        "list the UN scale periods shipped with the library, with their GA resolutions",
        "example:\n  ccm-costs periods --format csv",
    )
    add_format_option(periods)
    show = _subparser(
        commands,
        "scale",
        "print the UN scale of a period, year or date",
        "example:\n  ccm-costs scale 2022-2024 --format csv",
    )
    show.add_argument("period", help="e.g. 2019-2021, 2020 or 2020-06-30")
    add_format_option(show)
    parties = _subparser(
        commands,
        "parties",
        "list the States Parties bound by the Convention on a date",
        "example:\n  ccm-costs parties --date 2025-03-06",
    )
    parties.add_argument("--date", help="YYYY-MM-DD (default: today)")
    add_convention_option(parties)
    add_format_option(parties)
    meeting = _subparser(
        commands,
        "assess",
        "assess a CCM meeting (Article 14): its States Parties and observers pay",
        ASSESS_EXAMPLE,
    )
    add_meeting_options(meeting)
    add_format_option(meeting)
    add_print_options(meeting)
    run = _subparser(
        commands,
        "apportion",
        "share a total over states on an adjusted UN scale",
        APPORTION_EXAMPLE,
    )
    run.add_argument("states", nargs="+", help="names or ISO3 codes of the states that pay")
    run.add_argument("--total", required=True, help="the cost in currency units, e.g. 550000.00")
    add_scale_options(run, "scale period, year or date, e.g. 2019-2021", required=True)
    run.add_argument("--currency", help="ISO 4217 currency code (default USD)")
    add_rule_options(run)
    add_format_option(run)
    add_print_options(run)
    check = _subparser(
        commands,
        "check",
        "check an assessment workbook someone produced: recompute it, list every difference",
        CHECK_EXAMPLE,
    )
    check.add_argument("workbook", help="the .xlsx file to check")
    check.add_argument("--sheet", help="the sheet with the table (default: the first that has one)")
    check.add_argument(
        "--all-sheets",
        action="store_true",
        help="check every sheet that holds an assessment table, not only the first",
    )
    check.add_argument(
        "--meeting", help="compare with this meeting's assessment (with --file, --total, ...)"
    )
    check.add_argument("--file", help="a TOML or JSON meetings file for --meeting")
    check.add_argument("--observers", help="comma-separated observers for --meeting")
    check.add_argument("--total", help="the total the workbook should share out")
    add_scale_options(check, "the UN scale period, if the workbook does not state it")
    check.add_argument("--states", help="comma-separated states that should pay")
    add_rule_options(check)
    add_format_option(check)
    add_reconcile_parser(commands)
    add_ledger_parser(commands)
    add_notices_parser(commands)
    add_status_report_parser(commands)
    add_rules_parser(commands)
    add_conventions_parser(commands)
    return parser


def _write_assessment(assessment: cc.Assessment, args: argparse.Namespace) -> None:
    fmt = output_format(args)
    check_print_options(args, fmt)
    if fmt == "xlsx":
        path = cc.write_workbook(args.output, assessment, issued=args.issued, paper=args.paper)
        say(
            f"wrote {path} ({len(assessment)} states, {assessment.total:,} {assessment.currency})",
            sys.stderr,
        )
    else:
        emit(cc.render(assessment, fmt), args.output)


def _check(args: argparse.Namespace) -> int:
    meeting = meeting_from_args(args) if args.meeting is not None else None
    sheets: list[str | None] = [args.sheet]
    reports = []
    while sheets:
        sheet = sheets.pop(0)
        if meeting is not None:
            result = cc.check_workbook(
                args.workbook, meeting=meeting, total=args.total, sheet=sheet
            )
        else:
            result = cc.check_workbook(
                args.workbook,
                sheet=sheet,
                scale=scale_from_args(args),
                total=args.total,
                states=None if args.states is None else comma_list(args.states),
                rules=rules_from_args(args),
            )
        reports.append(result)
        if args.all_sheets and sheet is None:
            sheets += result.table.other_sheets
    fmt = output_format(args)
    if fmt == "table":
        emit("\n\n".join(r.summary() for r in reports), args.output)
    else:
        found = sum(len(r.differences) for r in reports)
        title = f"Check of {Path(args.workbook).name}: {found} differences"
        emit_table(_differences(reports), fmt, args, sheet="Differences", title=title)
    return 0 if all(r.ok for r in reports) else EXIT_DIFFERENCES


def _differences(reports: list[cc.WorkbookCheck]) -> object:
    """Every report's differences, with a sheet column when there are several."""
    import pandas as pd

    if len(reports) == 1:
        return reports[0].differences
    frames = [r.differences.assign(sheet=r.table.sheet) for r in reports]
    return pd.concat(frames, ignore_index=True)


def _run(args: argparse.Namespace) -> int:
    fmt = output_format(args)
    if args.command == "periods":
        periods = cc.available_periods()
        table = cc.TextTable(
            (cc.TextColumn("period"), cc.TextColumn("resolution")),
            tuple((p, cc.resolution_of(p) or "") for p in periods),
        )
        emit_table(table, fmt, args, sheet="Periods")
    elif args.command == "scale":
        emit_table(cc.load_scale(args.period), fmt, args, sheet="Scale")
    elif args.command == "parties":
        _parties(args, fmt)
    elif args.command == "assess":
        _write_assessment(meeting_assessment(args), args)
    elif args.command == "apportion":
        scale = scale_from_args(args)
        if scale is None:  # argparse requires one of the two: a guard for the type checker
            raise InvalidInputError("give --scale PERIOD or --scale-file FILE")
        assessment = cc.apportion(
            args.total,
            args.states,
            scale=scale,
            rules=rules_from_args(args),
            currency=args.currency or "USD",
        )
        _write_assessment(covered(assessment, scale, args), args)
    elif args.command == "check":
        return _check(args)
    return 0


def _parties(args: argparse.Namespace, fmt: str) -> None:
    day = dt.date.today() if args.date is None else cc.parse_date(args.date, "--date")
    convention = cc.get_convention(args.convention) if args.convention else cc.get_convention()
    codes = convention.parties_on(day)
    records = sorted(
        (r for r in convention.membership() if r.iso3 in codes),
        key=lambda r: cc.state_order(r.state, r.iso3),
    )
    table = cc.TextTable(
        tuple(
            cc.TextColumn(name)
            for name in ("iso3", "state", "instrument", "deposit_date", "entry_into_force")
        ),
        tuple(
            (
                r.iso3,
                r.state,
                r.instrument or "",
                str(r.deposit_date or ""),
                str(r.entry_into_force_date or ""),
            )
            for r in records
        ),
        heading=f"{len(records)} {convention.party_plural} of the {convention.short_name} on "
        f"{day}"
        + "".join(
            f"; {r.iso3} counted from its notification of succession (no date of effect)"
            for r in convention.successors_without_date(day)
        ),
    )
    emit_table(table, fmt, args, sheet="Parties")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line. Bad input prints ``ccm-costs: error: ...`` on stderr and
    returns 2; ``check`` returns 1 when the workbook differs."""
    args = _parser().parse_args(argv)
    runners = {
        "ledger": run_ledger,
        "reconcile": run_reconcile,
        "notices": run_notices,
        "status-report": run_status_report,
        "rules": run_rules,
        "conventions": run_conventions,
    }
    try:
        return runners.get(args.command, _run)(args)
    except (CcmCostsError, OSError) as err:
        return error_exit(err)


if __name__ == "__main__":
    sys.exit(main())
