"""``ccm-costs conventions``: the conventions shipped as data, with who bears which cost."""

from __future__ import annotations

import argparse
import datetime as dt

import ccm_costs as cc

from .common import add_format_option, emit, output_format

CONVENTIONS_EXAMPLE = """examples:
  ccm-costs conventions                    (each convention, its parties today, its costs)
  ccm-costs conventions show apmbc         (its rules in words: entry into force, withdrawal,
                                            succession, cost types with who bears each)"""


def add_conventions_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``conventions`` (and ``conventions show``) to the command line."""
    parser = commands.add_parser(
        "conventions",
        help="list the conventions shipped as data, or show one's rules",
        description="The conventions whose costs can be assessed: each is a folder of data "
        "(data/conventions/ID/), read by the same code.",
        epilog=CONVENTIONS_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="conventions_command", metavar="show")
    show = actions.add_parser(
        "show", help="one convention's rules in words", epilog=CONVENTIONS_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    show.add_argument("convention", metavar="ID", help="e.g. apmbc")
    parser.add_argument("--date", help="count the parties on this day (default today)")
    add_format_option(parser, ("table", "csv", "json"))


def run_conventions(args: argparse.Namespace) -> int:
    """Run ``ccm-costs conventions``."""
    if getattr(args, "conventions_command", None) == "show":
        found = cc.get_convention(args.convention)
        emit("\n".join(f"{label}: {text}" for label, text in found.describe().items()), None)
        return 0
    day = dt.date.today() if args.date is None else cc.parse_date(args.date, "--date")
    rows = []
    for convention in cc.available_conventions():
        found = cc.get_convention(convention)
        costs = "; ".join(f"{c.id} ({c.article})" for c in found.cost_types.values())
        rows.append((found.id, found.short_name, len(found.parties_on(day)), costs))
    table = cc.TextTable(
        (
            cc.TextColumn("id"),
            cc.TextColumn("convention"),
            cc.TextColumn(f"parties on {day}", "number"),
            cc.TextColumn("cost types (ccm-costs conventions show ID for the rules)"),
        ),
        tuple(rows),
    )
    emit(cc.render(table, output_format(args)), args.output)
    return 0
