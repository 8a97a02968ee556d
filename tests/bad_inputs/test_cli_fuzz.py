"""A fuzz test of the command line: random argument lists and random file contents never end
in a traceback, and the exit status is 0, 2, or 1 for ``check`` only.

The command line runs in-process (``main(argv)`` with stdout and stderr captured), so each
example takes milliseconds. Arguments follow each command's grammar loosely (its positionals
and options, with values drawn from good, bad and hostile words and from files), with random
words added, so that the examples reach past the argument parser; the files are written with
random bytes, random text, or a good file whole, cut short or with a byte changed. Half the
examples start from a good command line. The ``ledger`` commands have a fuzz test of
their own, over good, changed and foreign ledger files, in ``test_ledger_cases.py``.
``CCM_COSTS_FUZZ_EXAMPLES`` sets the number of examples (default 150, about 3 s).
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

from corpus import cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("CCM_COSTS_FUZZ_EXAMPLES", "150"))
OUTPUT = ["--format", "-o"]
# fmt: off
RULE_OPTIONS = [
    "--rules", "--ceiling", "--floor", "--pin", "--extra-rate", "--fixed",
    "--non-member-rates", "--rate-decimals", "--rate-rounding", "--amounts-from", "--unit",
]
MEETING_OPTIONS = [
    "--file", "--total", "--date", "--observers", "--participants", "--cost-type",
    "--convention", "--scale", "--currency", *RULE_OPTIONS,
]
GRAMMAR = {  # command -> (positionals, options)
    "periods": ([], OUTPUT),
    "scale": (["period"], OUTPUT),
    "parties": ([], ["--date", "--convention", *OUTPUT]),
    "assess": (["meeting"], [*MEETING_OPTIONS, *OUTPUT]),
    "apportion": (["state", "state"], ["--total", "--scale", "--currency", *RULE_OPTIONS, *OUTPUT]),
    "check": (["file"], ["--sheet", "--meeting", "--file", "--observers", "--total", "--scale",
                         "--states", *RULE_OPTIONS, *OUTPUT]),
    "reconcile": (["meeting"], ["--estimate", "--final", "--ledger", "--file", "--convention",
                                "--estimate-total", "--final-total", "--estimate-observers",
                                "--final-observers", "--estimate-sheet", "--final-sheet",
                                "--issued", "--paper", "--force", *OUTPUT]),
    "rules": (["show", "rules"], OUTPUT),
    "conventions": (["show", "convention"], ["--date", *OUTPUT]),
    # not among the templates: a good notices command writes a hundred PDFs
    "notices": (["meeting"], [*MEETING_OPTIONS, "--settings", "--template", "--issued", "-o",
                              "--starter"]),
}
WORDS = [
    "12MSP", "2RC", "Austria", "AUT", "KEN", "Kenya", "Angola,Kenya", "EU", "COK", "Narnia",
    "2022-2024", "2020", "1800", "2024-09-10", "2010-05-01", "500000.00", "1e30", "-1", "0",
    "1.005", "abc", "", " ", "1,5", "COK=200", "USA=22", "EU=2.5", "AUT=abc", "=", "who",
    "bogus", "un-pro-rata", "show", "apmbc", "tpnw", "bwc", "csv", "json", "table", "xlsx",
    "toml", "minor", "major", "cents", "half_up", "largest_remainder", "notional_only",
    "published_rates", "99", "3", "22", "\x1b[31m", "a\u202eb", "ü", "meeting", "secretariat",
    "x" * 300,
]
# fmt: on
FILES = ["in.csv", "in.xlsx", "in.toml", "in.json", "out.csv", "out.xlsx", "missing.xlsx"]
WRITTEN = FILES[:4]
TEMPLATES = [  # good command lines, which the examples start from half the time
    ["assess", "12MSP", "--total", "500000.00"],
    ["assess", "M", "--file", "in.toml"],
    ["assess", "--date", "2024-09-10", "--total", "1000.00", "-o", "out.xlsx"],
    ["apportion", "--scale", "2022-2024", "--total", "1000.00", "AUT", "BEL"],
    ["apportion", "--scale", "2022-2024", "--total", "100", "--rules", "in.toml", "AUT"],
    ["check", "in.xlsx", "--scale", "2022-2024", "--total", "1000.00"],
    ["check", "in.xlsx", "--meeting", "12MSP", "--total", "500000.00", "--format", "csv"],
    ["scale", "2022-2024", "-o", "out.csv"],
    ["rules", "show", "in.toml"],
    ["reconcile", "--estimate", "in.xlsx", "--final", "in.xlsx"],
    ["reconcile", "12MSP", "--estimate-total", "1.00", "--final-total", "2.00", "-o", "out.xlsx"],
    ["reconcile", "--file", "in.toml", "--estimate", "M", "--final", "M", "--format", "csv"],
]


def _workbooks() -> list[bytes]:
    """A good assessment workbook as the library writes it, and the same stored without
    compression (so that a changed byte changes its XML, not its zip stream)."""
    import ccm_costs as cc

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.xlsx"
        cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024").to_excel(path)
        written = path.read_bytes()
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(written)) as source, zipfile.ZipFile(stored, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename), zipfile.ZIP_STORED)
    return [written, stored.getvalue()]


GOOD = {  # file -> good contents for it
    "in.csv": [b"member_state,iso3,rate_percent\nAustria,AUT,60\nBelgium,BEL,40\n"],
    "in.toml": [
        b'[[meetings]]\nname = "M"\ndates = [2024-09-10]\ntotal = "1.00"\n',
        b'extends = "un-pro-rata"\n[publishing]\ndecimals = 4\n',
    ],
    "in.json": [b'{"meetings": [{"name": "M", "dates": ["2024-09-10"], "total": "1.00"}]}'],
    "in.xlsx": _workbooks(),
}


@st.composite
def contents(draw: st.DrawFn, name: str) -> bytes:
    """The good file for ``name`` with a byte changed, cut short or whole, or random bytes or
    text (each as likely: hypothesis would otherwise favour the simplest)."""
    how = draw(st.sampled_from(["flip", "cut", "whole", "bytes", "text"]))
    if how == "bytes":
        return draw(st.binary(max_size=300))
    if how == "text":
        return draw(st.text(max_size=300)).encode("utf-8")
    good = draw(st.sampled_from(GOOD[name]))
    at = draw(st.integers(0, 2**32)) % len(good)  # anywhere: hypothesis favours small ints
    if how == "cut":
        return good[:at]
    if how == "flip":
        return good[:at] + bytes([draw(st.integers(0, 255))]) + good[at + 1 :]
    return good


values = st.one_of(st.sampled_from(WORDS), st.sampled_from(FILES))


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """A good command line or a command with some of its positionals, then some of its
    options each with a value, and maybe a stray word."""
    if draw(st.booleans()):
        argv = list(draw(st.sampled_from(TEMPLATES)))
        positionals, options = GRAMMAR[argv[0]]
    else:
        command = draw(st.sampled_from(sorted(GRAMMAR)))
        positionals, options = GRAMMAR[command]
        argv = [command]
        for slot in positionals:
            if draw(st.booleans()):
                argv.append("show" if slot == "show" else draw(values))
    for option in draw(st.lists(st.sampled_from(options), max_size=3)):
        argv += [option, draw(values)]
    argv += draw(st.lists(st.one_of(values, st.sampled_from([*options, "--help"])), max_size=1))
    return argv


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(argv=command_lines(), files=st.fixed_dictionaries({n: contents(n) for n in WRITTEN}))
def test_random_arguments_and_files_never_end_in_a_traceback(
    argv: list[str], files: dict[str, bytes]
) -> None:
    with tempfile.TemporaryDirectory() as folder, contextlib.chdir(folder):  # -o WORD lands here
        base = Path(folder)
        for name, data in files.items():
            (base / name).write_bytes(data)
        argv = [str(base / word) if word in FILES else word for word in argv]
        status, out, err = cli(argv)
        allowed = {0, 1, 2} if argv[0] == "check" else {0, 2}
        assert status in allowed, (argv, status, err)
        assert "Traceback" not in err, (argv, err)
        if status == 2:
            assert "error:" in err, (argv, err)
        assert "\x1b" not in out + err, (argv, out, err)  # escapes are shown, never sent
        assert not list(base.glob(".*.part")), argv  # no partial file is left behind
