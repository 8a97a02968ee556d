"""The ``ccm-costs`` command line: list scale periods, show a scale, apportion a total."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .apportion import apportion
from .assessment import Assessment
from .errors import CcmCostsError, InvalidInputError
from .meetings import assess, get_meeting
from .scale import available_periods, load_scale

EXAMPLE = (
    "example:\n  ccm-costs apportion --scale 2019-2021 --total 550000.00 "
    "--extra-rate COK=0.001 Austria Belgium COK"
)
ASSESS_EXAMPLE = (
    "example:\n  ccm-costs assess 12MSP --total 500000.00 --observers Angola,Kenya\n"
    "  ccm-costs assess MyMeeting --file meetings.toml"
)


def _pairs(values: Sequence[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        state, sep, rate = value.partition("=")
        if not sep or not state.strip() or not rate.strip():
            raise InvalidInputError(f"{option} {value!r}: write STATE=PERCENT, e.g. COK=0.001")
        pairs[state.strip()] = rate.strip()
    return pairs


def format_table(assessment: Assessment) -> str:
    """The assessment as a plain-text table with a totals row and provenance lines."""
    header = (
        "State",
        "ISO3",
        "Role",
        f"UN {assessment.scale_period} %",
        "Adjusted %",
        f"Amount {assessment.currency}",
    )
    rows = [
        (
            line.state,
            line.iso3,
            line.role or "",
            str(line.un_rate),
            str(line.rate),
            f"{line.amount:,}",
        )
        for line in assessment
    ]
    rows.append(("Total", "", "", "", str(assessment.rate_total), f"{assessment.total:,}"))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: Sequence[str]) -> str:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths[:3], strict=True)]
        cells += [cell.rjust(width) for cell, width in zip(row[3:], widths[3:], strict=True)]
        return "  ".join(cells)

    rule = "  ".join("-" * w for w in widths)
    body = [fmt(header), rule, *(fmt(r) for r in rows[:-1]), rule, fmt(rows[-1])]
    notes = [f"{key}: {value}" for key, value in assessment.provenance().items()]
    return "\n".join([*body, "", *notes])


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ccm-costs",
        description="Who pays how much for a meeting of the Convention on Cluster Munitions.",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("periods", help="list the UN scale periods shipped with the library")
    show = commands.add_parser("scale", help="print the UN scale of a period, year or date")
    show.add_argument("period", help="e.g. 2019-2021 or 2020")
    meeting = commands.add_parser(
        "assess",
        help="assess a CCM meeting (Article 14): its States Parties and observers pay",
        epilog=ASSESS_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    meeting.add_argument("meeting", help="a meeting name, e.g. 12MSP (see --file)")
    meeting.add_argument(
        "--file", help="a TOML or JSON meetings file (default: the shipped meetings 2019-2024)"
    )
    meeting.add_argument("--total", help="the cost in currency units, if the file has none")
    meeting.add_argument(
        "--observers",
        help="comma-separated States not party that participated (replaces the file's)",
    )
    meeting.add_argument(
        "--cost-type",
        choices=["meeting", "secretariat"],
        help="meeting: Art. 14(1), parties and observers pay; "
        "secretariat: Art. 14(2), parties only",
    )
    run = commands.add_parser(
        "apportion",
        help="share a total over states on an adjusted UN scale",
        epilog=EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("states", nargs="+", help="names or ISO3 codes of the states that pay")
    run.add_argument("--total", required=True, help="the cost in currency units, e.g. 550000.00")
    run.add_argument("--scale", required=True, help="scale period, year or date, e.g. 2019-2021")
    run.add_argument(
        "--extra-rate",
        action="append",
        default=[],
        metavar="STATE=PERCENT",
        help="a rate for a state the scale lacks, e.g. COK=0.001 (repeatable)",
    )
    run.add_argument(
        "--notional-rates",
        action="store_true",
        help="use the GA notional rates for the Holy See and the State of Palestine",
    )
    run.add_argument("--ceiling", help="ceiling in percent on each adjusted share, e.g. 22")
    run.add_argument("--floor", help="floor in percent on each adjusted share, e.g. 0.001")
    run.add_argument(
        "--pin",
        action="append",
        default=[],
        metavar="STATE=PERCENT",
        help="fix a state's adjusted share, e.g. USA=22 (repeatable)",
    )
    run.add_argument("--rate-decimals", type=int, default=3, help="decimals of published rates")
    run.add_argument(
        "--rate-rounding",
        choices=["half_up", "largest_remainder"],
        default="half_up",
        help="round each rate on its own, or so that rates total exactly 100",
    )
    run.add_argument(
        "--amounts-from",
        choices=["exact_shares", "published_rates"],
        default="exact_shares",
        help="what the amounts are proportional to",
    )
    run.add_argument("--currency", default="USD", help="ISO 4217 currency code (default USD)")
    run.add_argument(
        "--unit",
        choices=["minor", "major"],
        default="minor",
        help="round to cents (minor) or whole currency units (major)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; bad input prints one line to stderr and returns 2."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "periods":
            print("\n".join(available_periods()))
        elif args.command == "scale":
            scale = load_scale(args.period)
            print(scale.to_frame().to_string(index=False))
        elif args.command == "assess":
            found = get_meeting(args.meeting, args.file)
            changes: dict[str, object] = {}
            if args.observers is not None:
                changes["observers"] = [s.strip() for s in args.observers.split(",") if s.strip()]
            if args.cost_type is not None:
                changes["cost_type"] = args.cost_type
            print(format_table(assess(found.replace(**changes), total=args.total)))
        else:
            assessment = apportion(
                args.total,
                args.states,
                scale=args.scale,
                extra_rates=_pairs(args.extra_rate, "--extra-rate"),
                use_notional_rates=args.notional_rates,
                ceiling=args.ceiling,
                floor=args.floor,
                pinned=_pairs(args.pin, "--pin"),
                rate_decimals=args.rate_decimals,
                rate_rounding=args.rate_rounding,
                amounts_from=args.amounts_from,
                currency=args.currency,
                unit=args.unit,
            )
            print(format_table(assessment))
    except CcmCostsError as err:
        print(f"ccm-costs: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
