"""Pieces shared by the ``ccm-costs`` subcommands: the meeting options, output formats, and
the one way errors are reported (one line on stderr, exit status 2)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError
from ccm_costs.rules import NonMemberRatePolicy

if TYPE_CHECKING:
    from ccm_costs import Assessment
    from ccm_costs.conventions import Meeting

EXIT_BAD_INPUT = 2
FORMATS = ("table", "csv", "json", "xlsx")


def error_exit(err: CcmCostsError | OSError) -> int:
    """Report ``err`` on stderr in one or two lines, without a traceback; return 2."""
    message = str(err) if isinstance(err, CcmCostsError) else f"{err.strerror}: {err.filename}"
    print(f"ccm-costs: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def comma_list(value: str) -> list[str]:
    """``"Angola, Kenya"`` -> ``["Angola", "Kenya"]``."""
    return [item.strip() for item in value.split(",") if item.strip()]


def add_meeting_options(parser: argparse.ArgumentParser) -> None:
    """The options that say which meeting is assessed and by which rules."""
    parser.add_argument(
        "meeting",
        nargs="?",
        help="a meeting name, e.g. 12MSP (shipped meetings, or those of --file); leave it out "
        "to assess an ad hoc meeting given by --date and --total",
    )
    parser.add_argument(
        "--file", help="a TOML or JSON meetings file (default: the shipped meetings 2019-2024)"
    )
    parser.add_argument("--total", help="the cost in currency units, e.g. 500000.00")
    parser.add_argument(
        "--date",
        help="YYYY-MM-DD: the States Parties bound on this day pay (for an ad hoc meeting, "
        "its first day, which also chooses the UN scale period)",
    )
    parser.add_argument(
        "--observers",
        help="comma-separated States not party that participate, e.g. Angola,Kenya "
        "(replaces the meeting's list; '' for none)",
    )
    parser.add_argument(
        "--cost-type",
        choices=["meeting", "secretariat"],
        help="meeting: Art. 14(1), parties and observers pay; "
        "secretariat: Art. 14(2), parties only",
    )
    parser.add_argument("--scale", help="UN scale period, year or date (default: the meeting's)")
    parser.add_argument(
        "--non-member-rates",
        choices=[policy.value for policy in NonMemberRatePolicy],
        help="the rate of a paying state the UN scale lacks (default notional_then_floor)",
    )
    add_rule_options(parser)


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """Ceiling, floor and rounding options, shared by ``assess`` and ``apportion``."""
    parser.add_argument("--ceiling", help="ceiling in percent on each adjusted share, e.g. 22")
    parser.add_argument("--floor", help="floor in percent on each adjusted share, e.g. 0.001")
    parser.add_argument(
        "--rate-decimals", type=int, help="decimals of the published rates (default 3)"
    )
    parser.add_argument(
        "--rate-rounding",
        choices=["half_up", "largest_remainder"],
        help="round each rate on its own (default), or so that the rates total exactly 100",
    )
    parser.add_argument(
        "--amounts-from",
        choices=["exact_shares", "published_rates"],
        help="what the amounts are proportional to (default exact_shares)",
    )
    parser.add_argument("--currency", help="ISO 4217 currency code (default USD)")
    parser.add_argument(
        "--unit",
        choices=["minor", "major"],
        help="round to cents (minor, the default) or to whole currency units (major)",
    )


RULE_FIELDS = ("ceiling", "floor", "rate_decimals", "rate_rounding", "amounts_from", "currency",
               "unit")  # fmt: skip


def rule_options(args: argparse.Namespace) -> dict[str, object]:
    """The rule options the user gave (absent or None means "keep the default")."""
    given = {name: getattr(args, name, None) for name in RULE_FIELDS}
    return {name: value for name, value in given.items() if value is not None}


MEETING_FIELDS = {
    "observers": "observers",
    "cost_type": "cost_type",
    "scale": "scale_period",
    "non_member_rates": "non_member_policy",
}
"""Command-line option -> Meeting field."""


def meeting_from_args(args: argparse.Namespace) -> Meeting:
    """The named meeting with the options applied, or an ad hoc meeting from the options.

    Options a subcommand does not have count as not given."""
    from ccm_costs.conventions import Meeting, get_meeting
    changes: dict[str, object] = rule_options(args)
    given = {name: getattr(args, name, None) for name in MEETING_FIELDS}
    if given["observers"] is not None:
        changes["observers"] = comma_list(given["observers"])
    changes.update(
        {field: given[name] for name, field in MEETING_FIELDS.items()
         if name != "observers" and given[name] is not None}
    )  # fmt: skip
    date = getattr(args, "date", None)
    if args.meeting is None:
        if date is None or args.total is None:
            raise InvalidInputError(
                "give a meeting name (e.g. 12MSP), or --date and --total for an ad hoc meeting"
            )
        return Meeting(name="ad hoc meeting", dates=[date], total=args.total, **changes)
    if date is not None:
        changes["membership_date"] = date
    return get_meeting(args.meeting, getattr(args, "file", None)).replace(**changes)


def meeting_assessment(args: argparse.Namespace) -> Assessment:
    """The assessment that the meeting options describe."""
    from ccm_costs.conventions import assess

    return assess(meeting_from_args(args), total=args.total)


def add_format_option(parser: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    """``--format`` and ``--output``; the format defaults to the output file's suffix."""
    parser.add_argument(
        "--format",
        choices=list(formats),
        help="output format (default: from the --output suffix, else table)",
    )
    parser.add_argument(
        "-o", "--output", help="write to this file instead of the terminal (needed for xlsx)"
    )


def output_format(args: argparse.Namespace) -> str:
    """The format asked for, or the one the output file's suffix names."""
    if args.format is not None:
        fmt: str = args.format
    elif args.output is not None and Path(args.output).suffix.lower().lstrip(".") in FORMATS:
        fmt = Path(args.output).suffix.lower().lstrip(".")
    else:
        fmt = "table"
    if fmt == "xlsx" and args.output is None:
        raise InvalidInputError(
            "--format xlsx writes a file: give its name with --output, e.g. -o assessment.xlsx"
        )
    return fmt


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it to ``output``."""
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        Path(output).write_text(text, encoding="utf-8")
        print(f"wrote {output}", file=sys.stderr)


def date_option(option: str) -> Callable[[str], dt.date]:
    """An argparse type: a date in the one date format, the message naming ``option``."""

    def parse(text: str) -> dt.date:
        try:
            return cc.parse_date(text, option)
        except CcmCostsError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return parse
