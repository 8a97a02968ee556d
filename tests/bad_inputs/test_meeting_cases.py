"""Bad meetings: files (``load_meetings``, ``load_meeting``, ``get_meeting``) and ``Meeting``
objects built in Python; each a ``MeetingError`` naming the file, the meeting and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from corpus import Case, check, cp1252, good_scale_xlsx, utf8

import ccm_costs as cc

Error = cc.MeetingError
GOOD = '[[meetings]]\nname = "M"\ndates = [2024-09-10]\ntotal = "1.00"\n'


def file_case(
    id: str, text: str | bytes, says: tuple[str, ...], name: str = "m.toml", **limits: int
) -> Case:
    """``load_meetings`` of a file holding ``text``."""
    data = text if isinstance(text, bytes) else utf8(text)
    return Case(
        id, lambda d: cc.load_meetings(d / name), Error, (name, *says), {name: data}, limits
    )


def meeting_case(id: str, says: tuple[str, ...], **fields: Any) -> Case:
    """``Meeting(...)`` with good fields and ``fields`` changed."""
    given = {"name": "M", "dates": ["2024-09-10"], "total": "1.00", **fields}
    return Case(id, lambda d: cc.Meeting(**given), Error, says)


def entry(line: str) -> str:
    """The good meeting file with one more line in the meeting."""
    return GOOD + line + "\n"


CASES = [
    # ------------------------------------------------------------------ the file itself
    file_case("windows-1252", cp1252(GOOD.replace('"M"', '"Réunion"')), ("not UTF-8", "0xe9")),
    file_case("utf-16", GOOD.encode("utf-16"), ("UTF-16",)),
    file_case("a workbook given as meetings", good_scale_xlsx(), ("not a text file",)),
    file_case("larger than the limit", GOOD, ("larger than",), MAX_TEXT_BYTES=20),
    file_case("not TOML", "[[meetings]\nname = 1\n", ("not valid TOML",)),
    file_case("TOML nested too deeply", "x = " + "[" * 100_000, ("nested too deeply",)),
    file_case("JSON nested too deeply", "[" * 100_000, ("nested too deeply",), name="m.json"),
    file_case("not JSON", '{"meetings": [}', ("not valid JSON",), name="m.json"),
    file_case("neither TOML nor JSON", GOOD, ("ends in .toml or .json",), name="m.txt"),
    file_case("meetings is not a list", 'meetings = "M"\n', ("field 'meetings'", "a list")),
    file_case("unknown top-level key", 'colour = "red"\n' + GOOD, ("unknown top-level keys",)),
    file_case("a meeting that is not a table", "meetings = [1]\n", ("meeting 1 is not a table",)),
    file_case("a name twice", GOOD + GOOD, ("meeting 'M'", "given twice")),
    file_case("an unknown field", entry('venue = "Geneva"'), ("field 'venue'", "unknown field")),
    file_case(
        "escape sequence in the name",
        GOOD.replace('"M"', '"M\\u001b[2J"'),
        ("field 'name'", "U+001B"),
    ),
    file_case(
        "a total beyond ten trillion",
        entry("").replace('"1.00"', "1e30"),
        ("field 'total'", "beyond the largest amount"),
    ),
    file_case(
        "a total finer than a cent",
        entry("").replace('"1.00"', '"1.005"'),
        ("finer than the rounding unit",),
    ),
    file_case("a negative total", entry("").replace('"1.00"', '"-1.00"'), ("negative",)),
    file_case(
        "a date that is no date",
        entry("").replace("2024-09-10", '"2024-02-30"'),
        ("field 'dates[0].start'", "'2024-02-30' is not a date"),
    ),
    file_case(
        "a date and time",
        entry("").replace("2024-09-10", "2024-09-10T09:00:00"),
        ("has a time of day",),
    ),
    file_case(
        "a State Party as an observer",
        entry('observers = ["Austria"]'),
        ("Austria (AUT) is a State Party",),
    ),
    file_case(
        "an organisation as an observer", entry('observers = ["ICRC"]'), ("field 'observers'",)
    ),
    file_case("an unknown observer", entry('observers = ["Narnia"]'), ("unknown state 'Narnia'",)),
    file_case("observers as text", entry('observers = "Kenya"'), ("give a list of states",)),
    file_case("an unknown currency", entry('currency = "XYZ"'), ("unknown currency 'XYZ'",)),
    file_case("an unknown convention", entry('convention = "nope"'), ("no convention 'nope'",)),
    file_case("an unknown cost type", entry('cost_type = "travel"'), ("no cost type 'travel'",)),
    file_case("rules given an unknown preset", entry('rules = "nope"'), ("no preset 'nope'",)),
    file_case(
        "rules with a rate over 100 %",
        entry('[meetings.rules.basis.rates.COK]\nrate = "200"\nsource = "x"'),
        ("'200' is above 100 %",),
    ),
    file_case(
        "a scale period that is none",
        entry('scale_period = "soon"'),
        ("'soon' is not a scale period",),
    ),
    Case("a folder", cc.load_meetings, Error, ("ends in .toml or .json",)),
    Case(
        "no such file",
        lambda d: cc.load_meetings(d / "none.toml"),
        Error,
        ("none.toml", "does not exist"),
    ),
    Case(
        "a file of two meetings as one",
        lambda d: cc.load_meeting(d / "m.toml"),
        Error,
        ("holds 2 meetings",),
        {"m.toml": utf8(GOOD + GOOD.replace('"M"', '"N"'))},
    ),
    Case(
        "a meeting the file lacks",
        lambda d: cc.get_meeting("X", d / "m.toml"),
        Error,
        ("no meeting 'X'", "the meetings are M"),
        {"m.toml": utf8(GOOD)},
    ),
    Case(
        "a shipped meeting that is none",
        lambda d: cc.get_meeting("99MSP"),
        Error,
        ("no meeting '99MSP'", "12MSP"),
    ),
    # --------------------------------------------------------------- Meeting in Python
    meeting_case("bell in the title", ("field 'title'", "U+0007"), title="Meeting\x07"),
    meeting_case("NUL in the notes", ("field 'notes'", "U+0000"), notes="a\x00b"),
    meeting_case(
        "escape in a place",
        ("dates[0].place", "U+001B"),
        dates=[{"start": "2024-09-10", "place": "Geneva\x1b[5m"}],
    ),
    meeting_case("escape in a source", ("field 'sources'", "U+001B"), sources=["\x1b]8;;x"]),
    meeting_case(
        "parts out of order", ("give the parts in date order",), dates=["2024-09-12", "2024-09-10"]
    ),
    meeting_case(
        "a part ending before it starts", ("before it starts",), dates=["2024-09-12/2024-09-10"]
    ),
    meeting_case("no part", ("give at least one part",), dates=[]),
    meeting_case("a total given as a list", ("field 'total'", "[1]"), total=[1]),
    meeting_case("a total of True", ("field 'total'", "bool"), total=True),
    meeting_case("a datetime", ("has a time of day",), dates=[dt.datetime(2024, 9, 10, 9)]),
    meeting_case("an empty name", ("field 'name'",), name=""),
    meeting_case("a name that is no text", ("field 'name'",), name=12),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_meeting(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
