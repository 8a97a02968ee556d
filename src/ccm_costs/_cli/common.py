"""Pieces shared by the ``ccm-costs`` subcommands: the meeting options, output formats, the
one way errors are reported (one line on stderr, exit status 2), and the terminal's edge:
everything printed has its control characters shown as escapes, and a file written with
``--output`` is replaced only once complete, never onto one of the command's own input files,
and over an existing file only with ``--force``."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import os
import re
import secrets
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import ccm_costs as cc
from ccm_costs.errors import CcmCostsError, InvalidInputError
from ccm_costs.rules import NonMemberRatePolicy

if TYPE_CHECKING:
    from ccm_costs.rules import RuleSet

if TYPE_CHECKING:
    from ccm_costs import Assessment
    from ccm_costs.conventions import Meeting

EXIT_BAD_INPUT = 2
FORMATS = ("table", "csv", "json", "xlsx")
FILE_FORMATS = ("csv", "json", "xlsx", "pdf")
"""Suffixes that say what a file holds: an output named so is written in that format, or
refused (never a terminal table in a file named .pdf)."""


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""What never reaches the terminal raw: control characters (but tab and line feed) and the
bidirectional overrides, as the library's own renderer cleans them."""


def say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` (to stdout by default) with every control character shown as an escape
    (``\x1b``): a name in a file someone sent cannot drive the terminal."""
    print(_CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text), file=stream or sys.stdout)


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line on stderr (exit status 2), naming the
    command's ``--help``, like every other error of the command line."""

    def error(self, message: str) -> NoReturn:
        say(f"{self.prog}: error: {message} (see {self.prog} --help)", sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def error_exit(err: CcmCostsError | OSError) -> int:
    """Report ``err`` on stderr, without a traceback: one line, and for an error that lists
    its problems one more line per problem; return 2 (a closed stdout: nothing, see
    :func:`broken_pipe`)."""
    if isinstance(err, BrokenPipeError):
        return broken_pipe()
    if isinstance(err, CcmCostsError):
        message = err.cli_message or str(err)
        if isinstance(err, cc.InfeasibleBoundsError) and err.constraint in _BOUND_OPTIONS:
            message += f" (set by {_BOUND_OPTIONS[err.constraint]} or by the rule set)"
    elif err.filename is not None:
        message = f"{err.filename}: {err.strerror or err}"
    else:
        message = str(err.strerror or err)
    say(f"ccm-costs: error: {message}", sys.stderr)
    return EXIT_BAD_INPUT


_BOUND_OPTIONS = {"ceiling": "--ceiling", "floor": "--floor", "pinned": "--pin"}
"""The option that sets each bound an ``InfeasibleBoundsError`` can name."""

EXIT_BROKEN_PIPE = 128 + 13
"""The status of a command whose reader went away (``ccm-costs scale 2025 | head``), as
other Unix tools killed by SIGPIPE report it."""


def broken_pipe() -> int:
    """The reader of stdout has gone: stop quietly (no message, no traceback when Python
    flushes stdout at exit) and return :data:`EXIT_BROKEN_PIPE`."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(devnull, sys.stdout.fileno())
    return EXIT_BROKEN_PIPE


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
        "--participants",
        help="comma-separated parties that participate, for a cost only they bear (the BWC "
        "Review Conferences)",
    )
    parser.add_argument(
        "--cost-type",
        help="the convention's cost type (CCM: meeting, Art. 14(1), parties and observers pay; "
        "secretariat, Art. 14(2), parties only); see 'ccm-costs conventions'",
    )
    parser.add_argument(
        "--name", help="the name of an ad hoc meeting (default 'ad hoc meeting'), e.g. 1ESM"
    )
    parser.add_argument(
        "--title", help="the meeting's title, printed on the workbook (replaces a meeting's own)"
    )
    add_convention_option(parser)
    add_scale_options(parser, "UN scale period, year or date (default: the meeting's)")
    parser.add_argument("--currency", help="ISO 4217 currency code (default USD)")
    add_rule_options(parser)


def add_scale_options(
    parser: argparse.ArgumentParser, help: str, *, required: bool = False
) -> None:
    """``--scale PERIOD`` or ``--scale-file FILE`` (one of them when ``required``)."""
    group = parser.add_mutually_exclusive_group(required=required)
    group.add_argument("--scale", help=help)
    group.add_argument(
        "--scale-file",
        metavar="FILE",
        help="your own scale: a CSV or .xlsx file with the columns iso3 and rate_percent "
        "(state optional), e.g. a scale adopted after the shipped ones; its rates must total "
        "100 unless --partial-scale",
    )
    parser.add_argument(
        "--partial-scale",
        action="store_true",
        help="the --scale-file lists only some states: do not require its rates to total 100",
    )


def scale_from_args(args: argparse.Namespace) -> cc.Scale | str | None:
    """The scale of ``--scale-file`` (a CSV file, or a workbook by its suffix, its total
    checked unless ``--partial-scale``), else the period of ``--scale`` (``None`` without
    either)."""
    file = getattr(args, "scale_file", None)
    if file is None:
        scale: str | None = getattr(args, "scale", None)
        return scale
    whole = not getattr(args, "partial_scale", False)
    try:
        if Path(file).suffix.lower() in (".xlsx", ".xlsm"):
            return cc.scale_from_excel(file, check_total=whole)
        return cc.scale_from_csv(file, check_total=whole)
    except cc.ScaleValidationError as err:
        raise err.for_cli(
            str(err).replace("pass check_total=False", "add --partial-scale")
        ) from None


def add_convention_option(parser: argparse.ArgumentParser) -> None:
    """``--convention ID``: which convention (default the CCM; see ``ccm-costs conventions``)."""
    parser.add_argument(
        "--convention",
        metavar="ID",
        help=f"the convention (default {cc.conventions.DEFAULT_CONVENTION}): "
        + ", ".join(cc.available_conventions()),
    )


def _pair(option: str) -> Callable[[str], tuple[str, str]]:
    """An argparse type: ``STATE=PERCENT``."""

    def parse(text: str) -> tuple[str, str]:
        state, sep, value = text.partition("=")
        if not sep or not state.strip() or not value.strip():
            raise argparse.ArgumentTypeError(
                f"{option} {text!r}: write STATE=PERCENT, e.g. {option} COK=0.001"
            )
        return state.strip(), value.strip()

    return parse


def add_rule_options(parser: argparse.ArgumentParser) -> None:
    """``--rules`` and the options that change it, shared by ``assess``, ``apportion``,
    ``check`` and ``ledger record``; :func:`rules_from_args` maps them onto a rule set."""
    group = parser.add_argument_group(
        "rules",
        "the rule set (default: the meeting's or the convention's, else un-pro-rata), "
        "and changes to it; see 'ccm-costs rules'",
    )
    group.add_argument("--rules", metavar="ID|FILE", help="a preset (e.g. who) or a .toml file")
    group.add_argument("--ceiling", help="ceiling in percent on each adjusted share, e.g. 22")
    group.add_argument("--floor", help="floor in percent on each adjusted share, e.g. 0.001")
    group.add_argument(
        "--pin",
        action="append",
        type=_pair("--pin"),
        default=[],
        metavar="STATE=PERCENT",
        help="fix a state's adjusted share, e.g. USA=22 (repeatable)",
    )
    group.add_argument(
        "--extra-rate",
        action="append",
        type=_pair("--extra-rate"),
        default=[],
        metavar="STATE=PERCENT",
        help="a rate for a state the scale lacks, e.g. COK=0.001 (repeatable)",
    )
    group.add_argument(
        "--fixed",
        action="append",
        type=_pair("--fixed"),
        default=[],
        metavar="STATE=PERCENT",
        help="a fixed share, not scaled, e.g. EU=2.5 (repeatable)",
    )
    group.add_argument(
        "--non-member-rates",
        choices=[policy.value for policy in NonMemberRatePolicy],
        help="the rate of a paying state the UN scale lacks (default notional_then_floor)",
    )
    group.add_argument("--rate-decimals", type=int, help="decimals of the published rates")
    group.add_argument(
        "--rate-rounding",
        choices=["half_up", "largest_remainder"],
        help="round each rate on its own (default), or so that the rates total exactly 100",
    )
    group.add_argument(
        "--amounts-from",
        choices=["exact_shares", "published_rates"],
        help="what the amounts are proportional to (default exact_shares)",
    )
    group.add_argument(
        "--unit",
        choices=["minor", "major"],
        help="round to cents (minor, the default) or to whole currency units (major)",
    )


RULE_OPTIONS = {
    "ceiling": "ceiling",
    "floor": "floor",
    "pin": "pinned",
    "extra_rate": "rates",
    "fixed": "fixed",
    "non_member_rates": "missing_rates",
    "rate_decimals": "decimals",
    "rate_rounding": "rounding",
    "amounts_from": "amounts_from",
    "unit": "unit",
}
"""Command-line option (argparse dest) -> the change of ``RuleSet.replace`` it makes."""
_OPTION_NAMES = {dest: "--" + dest.replace("_", "-") for dest in RULE_OPTIONS}


def rules_from_args(args: argparse.Namespace, base: RuleSet | None = None) -> RuleSet | None:
    """The one mapping of the command-line rule options onto a rule set: ``--rules`` (or
    ``base``, the meeting's) with every change the options give; None when none is given.
    A problem of a change is reported with its option's name."""
    changes: dict[str, object] = {}
    for dest, change in RULE_OPTIONS.items():
        value = getattr(args, dest, None)
        if value in (None, []):
            continue
        if isinstance(value, list):
            option = _OPTION_NAMES[dest]
            pairs = _pairs(option, value)
            with_source = change in ("rates", "fixed")  # a rate or share says where it is from
            changes[change] = (
                {k: (v, f"given with {option}") for k, v in pairs.items()} if with_source else pairs
            )
        else:
            changes[change] = value
    name = getattr(args, "rules", None)
    if name is None and not changes:
        return None
    try:
        rules = cc.rules.load(name) if name is not None else (base or cc.rules.load("un-pro-rata"))
    except cc.RuleSetError as err:
        message = str(err)
        preset = f"load({name!r})"
        raise err.for_cli(
            message.replace(preset, f"--rules {name}")
            if preset in message
            else f"--rules {name}: {message}"
        ) from None
    try:
        return rules.replace(**changes) if changes else rules
    except cc.RuleSetError as err:
        raise err.for_cli(_cli_words(str(err))) from None


def _pairs(option: str, pairs: list[tuple[str, str]]) -> dict[str, str]:
    """``STATE=PERCENT`` pairs of a repeated option; a state given twice is an error (one of
    the two would otherwise be dropped)."""
    found: dict[str, str] = {}
    for state, value in pairs:
        if state in found:
            raise InvalidInputError(
                f"{option} gives {state} twice ({state}={found[state]}, {state}={value}): "
                "give each state once"
            )
        found[state] = value
    return found


_RULE_WORDS = (
    (r"field 'publishing\.decimals'", "--rate-decimals"),
    (r"field 'publishing\.rounding'", "--rate-rounding"),
    (r"field 'amounts\.from'", "--amounts-from"),
    (r"field 'amounts\.unit'", "--unit"),
    (r"field 'basis\.missing_rates'", "--non-member-rates"),
    (r"field 'basis\.rates\.([^.']*)(\.rate|\.source)?'", r"--extra-rate \1"),
    (r"field 'basis\.fixed\.([^.']*)(\.share|\.source)?'", r"--fixed \1"),
    (r"field 'steps\[\d+\]\.ceiling'", "--ceiling"),
    (r"field 'steps\[\d+\]\.floor'", "--floor"),
    (r"field 'steps\[\d+\]\.pinned\.([^']*)'", r"--pin \1"),
    (r"field 'steps\[\d+\]\.pinned'", "--pin"),
)
"""A rule set's field -> the option that sets it, for messages about the rule options."""


def _cli_words(message: str) -> str:
    """A rule-set message in the words of the command line: option names, not fields."""
    return _option_words(message, _RULE_WORDS).replace("replace()", "the rule options")


def _option_words(message: str, words: Sequence[tuple[str, str]]) -> str:
    """``message`` with each field pattern of ``words`` replaced by its option, on one line."""
    for field, option in words:
        message = re.sub(field, option, message)
    return message.replace("\n", " ")


_MEETING_WORDS = (
    (r"field 'observers'", "--observers"),
    (r"field 'participants'", "--participants"),
    (r"field 'cost_type'", "--cost-type"),
    (r"field 'scale_period'", "--scale"),
    (r"field 'currency'", "--currency"),
    (r"field 'membership_date'", "--date"),
)
"""A meeting's field -> the option that changes it."""
_AD_HOC_WORDS = (
    *_MEETING_WORDS,
    (r"field 'total'", "--total"),
    (r"field 'dates\[0\]\.(start|end)'", "--date"),
    (r"field 'convention'", "--convention"),
)
"""An ad hoc meeting's field -> the option that gives it."""


MEETING_FIELDS = {
    "observers": "observers",
    "participants": "participants",
    "cost_type": "cost_type",
    "scale": "scale_period",
    "currency": "currency",
    "title": "title",
}
"""Command-line option -> Meeting field."""


def meeting_from_args(args: argparse.Namespace) -> Meeting:
    """The named meeting with the options applied, or an ad hoc meeting from the options.

    Options a subcommand does not have count as not given."""
    from ccm_costs.conventions import Meeting, get_meeting

    changes: dict[str, object] = {}
    given = {name: getattr(args, name, None) for name in MEETING_FIELDS}
    lists = ("observers", "participants")
    for name in lists:
        listed = given[name]
        if listed is not None:
            changes[name] = comma_list(str(listed))
    changes.update(
        {
            field: given[name]
            for name, field in MEETING_FIELDS.items()
            if name not in lists and given[name] is not None
        }
    )
    convention = getattr(args, "convention", None)
    date = getattr(args, "date", None)
    if args.meeting is None:
        if date is None or args.total is None:
            raise InvalidInputError(
                "give a meeting name (e.g. 12MSP), or --date and --total for an ad hoc meeting"
            )
        if convention is not None:
            changes["convention"] = convention
        name = getattr(args, "name", None) or "ad hoc meeting"
        try:
            meeting = Meeting(name=name, dates=[date], total=args.total, **changes)
        except cc.MeetingError as err:
            raise err.for_cli(_option_words(str(err), _AD_HOC_WORDS)) from None
    else:
        if getattr(args, "name", None) is not None:
            raise InvalidInputError(
                f"--name names an ad hoc meeting; {args.meeting} has its name: leave out "
                "--name, or use --title to change what the workbook prints"
            )
        if date is not None:
            changes["membership_date"] = date
        file = getattr(args, "file", None)
        found = get_meeting(args.meeting, file, convention=None if file else convention)
        try:
            meeting = found.replace(**changes)
        except cc.MeetingError as err:  # the file's meeting was valid: a change is wrong
            raise err.for_cli(_option_words(str(err), _MEETING_WORDS)) from None
    rules = rules_from_args(args, meeting.rule_set)
    return meeting if rules is None else meeting.replace(rules=rules)


def meeting_assessment(args: argparse.Namespace) -> Assessment:
    """The assessment that the meeting options describe."""
    from ccm_costs.conventions import assess

    meeting = meeting_from_args(args)
    if args.total is None and meeting.total is None:
        raise InvalidInputError(
            f"meeting {meeting.name!r} has no total (no cost is recorded for it): give one "
            "with --total, e.g. --total 500000.00 (or set total in a meetings file, --file)"
        )
    # --scale sets the meeting's period (MEETING_FIELDS); --scale-file gives assess() the scale
    scale = scale_from_args(args) if getattr(args, "scale_file", None) else None
    return covered(assess(meeting, total=args.total, scale=scale), scale, args)


def covered(
    assessment: Assessment, scale: cc.Scale | str | None, args: argparse.Namespace
) -> Assessment:
    """``assessment``, once sure that the scale of a ``--scale-file`` (``scale``, as read)
    gives every paying UN Member its rate: a Member the file leaves out would otherwise pay
    the floor rate of a state the UN scale lacks (0.001 %), a silently wrong figure. States
    that are not UN Members (the Cook Islands, say) are left to the rule set's policy, as with
    the shipped scales."""
    if not isinstance(scale, cc.Scale):  # a shipped period: no file to check
        return assessment
    members = cc.load_scale(cc.available_periods()[-1]).rates
    missing = [
        line.iso3 for line in assessment if line.iso3 in members and line.iso3 not in scale.rates
    ]
    file = args.scale_file
    if missing:
        shown = ", ".join(missing[:12]) + (
            f" and {len(missing) - 12} more" if len(missing) > 12 else ""
        )
        raise InvalidInputError(
            f"--scale-file {file} has no rate for {len(missing)} paying UN Member(s): {shown}; "
            "add their rows (a Member left out would pay the floor rate of 0.001 %)"
        )
    return assessment


def add_format_option(parser: argparse.ArgumentParser, formats: Sequence[str] = FORMATS) -> None:
    """``--format`` and ``--output``; the format defaults to the output file's suffix."""
    parser.add_argument(
        "--format",
        choices=list(formats),
        help="output format (default: from the --output suffix, else table)",
    )
    parser.set_defaults(formats=tuple(formats))
    add_output_option(parser, "write to this file instead of the terminal (needed for xlsx)")


def add_print_options(parser: argparse.ArgumentParser) -> None:
    """What an ``.xlsx`` workbook prints beyond its figures: the date of issue, the paper."""
    group = parser.add_argument_group("printing (xlsx)")
    group.add_argument(
        "--issued",
        type=date_option("--issued"),
        help="the date of issue, YYYY-MM-DD, printed in the title block and the footer",
    )
    group.add_argument(
        "--paper", choices=("a4", "letter"), default="a4", help="paper size (default a4)"
    )


def check_print_options(args: argparse.Namespace, fmt: str) -> None:
    """``--issued`` and ``--paper`` are for a workbook: given with another format, an error
    (never silently dropped)."""
    if fmt != "xlsx" and (args.issued is not None or args.paper != "a4"):
        given = "--issued" if args.issued is not None else "--paper"
        raise InvalidInputError(
            f"{given} is for a workbook: add -o FILE.xlsx (or --format xlsx -o FILE)"
        )


def add_output_option(
    parser: argparse.ArgumentParser, help: str, *, required: bool = False
) -> None:
    """``-o``/``--output`` and ``--force`` (an existing output file is replaced only with it)."""
    parser.add_argument("-o", "--output", required=required, help=help)
    parser.add_argument(
        "--force", action="store_true", help="replace the --output file if it exists"
    )


INPUT_OPTIONS = {
    "ledger": "the ledger",
    "file": "the input file",
    "workbook": "the workbook",
    "scale_file": "the scale file (--scale-file)",
    "rules": "the rules file (--rules)",
    "settings": "the settings file (--settings)",
    "template": "the template (--template)",
    "estimate": "the estimate",
    "final": "the final",
}
"""The arguments that may name a file a command reads, with how its messages call them: an
output is never written onto one of them, ``--force`` or not."""


def claim_output(
    args: argparse.Namespace, option: str = "--output", *, value: str | None = None
) -> Path | None:
    """The path of ``--output`` (or ``value``, given as ``option``), checked before anything is
    written: it is not one of the command's inputs (a ledger, a workbook, a meetings file...),
    and it does not exist unless ``--force`` was given. ``None`` when no output was asked for."""
    text = getattr(args, "output", None) if value is None else value
    if text is None:
        return None
    path = Path(text)
    for dest, words in INPUT_OPTIONS.items():
        given = getattr(args, dest, None)
        for name in given if isinstance(given, list) else [given]:
            if isinstance(name, str) and same_file(path, Path(name)):
                raise InvalidInputError(
                    f"{option} {text} is {words} this command reads: choose another file "
                    "to write (nothing was written)"
                )
    if path.is_dir():
        raise InvalidInputError(
            f"{option} {text} is a folder: give the name of a file to write (nothing was written)"
        )
    if path.exists() and not getattr(args, "force", False):
        raise InvalidInputError(
            f"{option} {text} exists: add --force to replace it, or choose another name "
            "(nothing was written)"
        )
    return path


def same_file(one: Path, other: Path) -> bool:
    """Whether two paths name one existing file (however they are spelled)."""
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def output_format(args: argparse.Namespace) -> str:
    """The format asked for, or the one the output file's suffix names; the output file is
    checked first (:func:`claim_output`)."""
    claim_output(args)
    suffix = "" if args.output is None else Path(args.output).suffix.lower().lstrip(".")
    formats = getattr(args, "formats", FORMATS)
    if suffix in FILE_FORMATS and suffix not in formats:
        raise InvalidInputError(
            f"--output {args.output}: this command writes {', '.join(formats)}, not {suffix}; "
            "give the file a suffix it writes (or .txt for the terminal table)"
        )
    if args.format is not None:
        fmt: str = args.format
        if suffix in FILE_FORMATS and suffix != fmt:
            raise InvalidInputError(
                f"--output {args.output} names a .{suffix} file but --format is {fmt}: make "
                "them agree, or leave out --format"
            )
    elif suffix in formats:
        fmt = suffix
    else:
        fmt = "table"
    if fmt == "xlsx" and args.output is None:
        raise InvalidInputError(
            "--format xlsx writes a file: give its name with --output, e.g. -o assessment.xlsx"
        )
    return fmt


def emit_table(
    result: object, fmt: str, args: argparse.Namespace, *, sheet: str, title: str | None = None
) -> None:
    """Print or write ``result`` as ``fmt``: a terminal table, CSV, JSON, or an ``.xlsx``
    sheet named ``sheet`` headed ``title`` (``--output`` was checked by
    :func:`output_format`)."""
    if fmt == "xlsx":
        path = cc.write_table_workbook(args.output, result, sheet=sheet, title=title)
        say(f"wrote {path}", sys.stderr)
    else:
        emit(cc.render(result, fmt), args.output)


def emit(text: str, output: str | None) -> None:
    """Print ``text``, or write it to ``output`` (as UTF-8, replaced only once complete)."""
    if output is None:
        say(text.removesuffix("\n"))
    else:
        write_file(Path(output), text.encode("utf-8"))
        say(f"wrote {output}", sys.stderr)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` through a temporary file beside ``path``, renamed over it once complete:
    a full disk leaves ``path`` as it was and no partial file (as the library writes
    workbooks). An ``OSError`` names ``path``."""
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file to write", str(path))
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.part")
    try:
        with open(temporary, "xb") as out:  # mode "x": a new file, the umask applied
            out.write(data)
        if path.exists():
            os.chmod(temporary, path.stat().st_mode)
        os.replace(temporary, path)
    except OSError as err:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise OSError(err.errno, f"not written: {err.strerror or err}", str(path)) from None


def date_option(option: str) -> Callable[[str], dt.date]:
    """An argparse type: a date in the one date format, the message naming ``option``."""

    def parse(text: str) -> dt.date:
        try:
            return cc.parse_date(text, option)
        except CcmCostsError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return parse
