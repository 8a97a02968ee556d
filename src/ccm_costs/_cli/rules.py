"""``ccm-costs rules``: the rule-set presets with their sources, and one preset (or file) in
full, in words and as the TOML a user can copy and edit."""

from __future__ import annotations

import argparse

import ccm_costs as cc

from .common import add_format_option, emit, output_format

RULES_EXAMPLE = """examples:
  ccm-costs rules                       (every preset, with its title and source)
  ccm-costs rules show who              (one preset in words, and as TOML)
  ccm-costs rules show my_rules.toml --format toml > copy.toml"""


def add_rules_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``rules`` (and ``rules show``) to the command line."""
    parser = commands.add_parser(
        "rules",
        help="list the rule-set presets, or show one",
        description="The rule sets that say how UN rates become shares and shares money: "
        "the presets shipped with the library (each with its source), or one in full.",
        epilog=RULES_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(dest="rules_command", metavar="show")
    show = actions.add_parser(
        "show",
        help="one preset or rule set file in words, and as TOML",
        description="One preset (or a .toml rule set file) in words, then as TOML.",
        epilog=RULES_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    show.add_argument("rules", metavar="ID|FILE", help="a preset id (e.g. who) or a .toml file")
    show.add_argument(
        "--format", choices=["table", "toml"], help="words and TOML (default), or TOML only"
    )
    add_format_option(parser, ("table", "csv", "json"))


def run_rules(args: argparse.Namespace) -> int:
    """Run ``ccm-costs rules``."""
    if getattr(args, "rules_command", None) == "show":
        rules = cc.rules.load(args.rules)
        toml = cc.rules.to_toml(rules)
        if args.format == "toml":
            emit(toml, None)
        else:
            emit("\n".join([*rules.describe(), "", toml]), None)
        return 0
    presets = cc.rules.available()
    table = cc.TextTable(
        (cc.TextColumn("id"), cc.TextColumn("title"), cc.TextColumn("source")),
        tuple((rule_id, r.title, r.source) for rule_id, r in presets.items()),
        heading=f"{len(presets)} rule-set presets (ccm-costs rules show ID for one in full)",
    )
    emit(cc.render(table, output_format(args)), args.output)
    return 0
