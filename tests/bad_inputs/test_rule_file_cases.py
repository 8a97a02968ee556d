"""Bad rule sets: TOML files (``rules.load``), TOML text (``rules.from_toml``), changes
(``RuleSet.replace``, ``then``) and groups of one's own (``rules.load_group``); each names the
file or call and the field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from corpus import Case, check, cp1252, good_scale_xlsx, utf8

import ccm_costs as cc

Error = cc.RuleSetError
GOOD = 'extends = "un-pro-rata"\n'


def file_case(id: str, text: str | bytes, says: tuple[str, ...], **limits: int) -> Case:
    """``rules.load`` of a file ``r.toml`` holding ``text``."""
    data = text if isinstance(text, bytes) else utf8(text)
    return Case(
        id,
        lambda d: cc.rules.load(d / "r.toml"),
        Error,
        ("r.toml", *says),
        {"r.toml": data},
        limits,
    )


def change_case(id: str, says: tuple[str, ...], **changes: Any) -> Case:
    """``replace(**changes)`` of the default preset."""
    return Case(
        id, lambda d: cc.rules.load("un-pro-rata").replace(**changes), Error, ("replace()", *says)
    )


def group_case(id: str, text: str | bytes, says: tuple[str, ...]) -> Case:
    """``rules.load_group`` of a file ``g.csv`` holding ``text``."""
    data = text if isinstance(text, bytes) else utf8(text)
    return Case(
        id,
        lambda d: cc.rules.load_group(d / "g.csv", "MINE"),
        cc.DataFileError,
        ("g.csv", *says),
        {"g.csv": data},
    )


GROUP = "iso3,name,included,graduated,source\n"
CASES = [
    # ------------------------------------------------------------------------ files
    file_case("windows-1252", cp1252(GOOD + 'title = "Règles"\n'), ("not UTF-8",)),
    file_case("utf-16", GOOD.encode("utf-16"), ("UTF-16",)),
    file_case("a workbook given as rules", good_scale_xlsx(), ("not a text file",)),
    file_case("larger than the limit", GOOD, ("larger than",), MAX_TEXT_BYTES=5),
    file_case("not TOML", "extends = \n", ("not valid TOML",)),
    file_case("nested too deeply", "x = " + "{a = " * 50_000, ("nested too deeply",)),
    file_case("an unknown key", GOOD + 'colour = "red"\n', ("field 'colour'", "unknown key")),
    file_case("extends an unknown preset", 'extends = "nope"\n', ("no preset 'nope'",)),
    file_case("extends a number", "extends = 3\n", ("extends 3",)),
    file_case(
        "a rate over 100 %",
        GOOD + '[basis.rates.COK]\nrate = "200"\nsource = "x"\n',
        ("basis.rates.COK.rate", "'200' is above 100 %"),
    ),
    file_case(
        "a rate finer than 0.001",
        GOOD + '[basis.rates.COK]\nrate = "0.0005"\nsource = "x"\n',
        ("not a multiple of 0.001",),
    ),
    file_case(
        "a rate without its source",
        GOOD + '[basis.rates.COK]\nrate = "0.001"\n',
        ("basis.rates.COK.source",),
    ),
    file_case(
        "a fixed share over 100 %",
        GOOD + "[basis.fixed.EUU]\nshare = 120\nsource = 'x'\n",
        ("basis.fixed.EUU.share", "not a percentage from 0 to 100"),
    ),
    file_case(
        "a step label with an escape sequence",
        GOOD + '[[steps]]\nkind = "bounds"\nlabel = "Capped\\u001b[8m"\nceiling = "22"\n',
        ("steps[1].label", "U+001B"),
    ),
    file_case(
        "a step of an unknown kind",
        GOOD + '[[steps]]\nkind = "cap"\nlabel = "x"\n',
        ("steps[1].kind", "'cap' is not one of"),
    ),
    file_case("steps that are no list", GOOD + 'steps = "cap"\n', ("field 'steps'",)),
    file_case(
        "a ceiling that is no number",
        GOOD + '[[steps]]\nkind = "bounds"\nlabel = "x"\nceiling = "high"\n',
        ("steps[1].ceiling", "'high' is not a number"),
    ),
    file_case(
        "a floor above the ceiling",
        GOOD + '[[steps]]\nkind = "bounds"\nlabel = "x"\nceiling = "1"\nfloor = "2"\n',
        ("floor 2 % is above the ceiling 1 %",),
    ),
    file_case(
        "an organisation's name with a bell",
        GOOD + '[organisations]\nXEC = "Bloc\\u0007"\n',
        ("organisations.XEC", "U+0007"),
    ),
    file_case(
        "a group of an unknown state",
        GOOD + '[groups.MINE]\nstates = ["Narnia"]\n',
        ("groups.MINE.states[0]", "unknown state 'Narnia'"),
    ),
    file_case(
        "decimals out of range",
        GOOD + "[publishing]\ndecimals = 99\n",
        ("publishing.decimals", "99 is not a whole number from 0 to 12"),
    ),
    file_case(
        "an unknown rounding",
        GOOD + '[publishing]\nrounding = "bankers"\n',
        ("'bankers' is not one of 'half_up', 'largest_remainder'",),
    ),
    Case("no such file", lambda d: cc.rules.load(d / "none.toml"), Error, ("none.toml",)),
    Case(
        "an unknown preset",
        lambda d: cc.rules.load("nope"),
        Error,
        ("no preset 'nope'", "un-pro-rata"),
    ),
    Case(
        "a preset id with a NUL",
        lambda d: cc.rules.load("who\x00"),
        Error,
        ("no preset 'who\\x00'",),
    ),
    Case(
        "TOML text that is no text",
        lambda d: cc.rules.from_toml(b"x"),
        Error,  # type: ignore[arg-type]
        ("is not TOML text",),
    ),
    Case(
        "TOML text nested too deeply",
        lambda d: cc.rules.from_toml("x = " + "[" * 100_000),
        Error,
        ("nested too deeply",),
    ),
    # ---------------------------------------------------------------------- changes
    change_case(
        "a rate of 200 %", ("basis.rates.COK.rate", "'200' is above 100 %"), rates={"COK": "200"}
    ),
    change_case("a rate finer than 0.001", ("not a multiple of 0.001",), rates={"COK": "0.0001"}),
    change_case("a rate for an unknown state", ("unknown state 'Narnia'",), rates={"Narnia": "1"}),
    change_case("rates given as a list", ("rates must map states to percentages",), rates=["COK"]),
    change_case("an unknown rounding", ("'bankers' is not one of",), rounding="bankers"),
    change_case("an unknown amount basis", ("'rates' is not one of",), amounts_from="rates"),
    change_case("an unknown unit", ("'cents' is not one of 'minor', 'major'",), unit="cents"),
    change_case("an unknown non-member policy", ("'guess' is not one of",), missing_rates="guess"),
    change_case("an unknown treatment", ("'ignored' is not one of",), non_members="ignored"),
    change_case("decimals as text", ("'3' is not a whole number",), decimals="3"),
    change_case("a ceiling of 150 %", ("not a percentage from 0 to 100",), ceiling="150"),
    change_case("a pinned unknown state", ("unknown state 'Narnia'",), pinned={"Narnia": "1"}),
    change_case("an unknown change", ("unknown change 'colour'",), colour="red"),
    change_case("a title with an escape sequence", ("field 'title'", "U+001B"), title="t\x1b[0m"),
    Case(
        "then() with no step",
        lambda d: cc.rules.load("who").then("cap"),
        Error,  # type: ignore[arg-type]
        ("'cap' is not a step",),
    ),
    # ------------------------------------------------------------ groups of one's own
    group_case("a group file in Windows-1252", cp1252(GROUP + "TUR,Türkiye,,,x\n"), ("not UTF-8",)),
    group_case(
        "a group file with shifted cells",
        GROUP + "AFG,Afghanistan,1971,,a, b\n",
        ("line 2", "cells are shifted"),
    ),
    group_case("a group of an unknown state", GROUP + "XXX,Narnia,,,x\n", ("line 2", "'XXX'")),
    group_case(
        "a group with a bad date",
        GROUP + "AFG,Afghanistan,1971-13,,x\n",
        ("line 2", "'1971-13' is not a date"),
    ),
    group_case("a group without its columns", "state\nAFG\n", ("needs the columns",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_rule_set(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
