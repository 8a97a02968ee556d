"""Bad workbooks to check (``check_workbook``, ``read_assessment_table``): each an
``InvalidInputError`` naming the file, the sheet or the cell, and the fix."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from corpus import (
    GOOD_SCALE_CSV,
    OLE,
    Case,
    check,
    corrupt_xml,
    cut,
    styles_bomb,
    xlsx,
    zip_bomb,
)

import ccm_costs as cc

Error = cc.InvalidInputError
HEADER = ["State", "ISO3", "Amount"]


@cache
def ours() -> bytes:
    """An assessment workbook as the library writes it."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ours.xlsx"
        cc.apportion("1000.00", ["AUT", "BEL"], scale="2022-2024").to_excel(path)
        return path.read_bytes()


def check_case(id: str, data: bytes, says: tuple[str, ...], **limits: int) -> Case:
    """``check_workbook`` of ``w.xlsx`` holding ``data``, recomputed on the 2022-2024 scale."""
    return Case(
        id,
        lambda d: cc.check_workbook(d / "w.xlsx", scale="2022-2024", total="1000.00"),
        Error,
        says,
        {"w.xlsx": data},
        limits,
    )


CASES = [
    check_case("a CSV file", GOOD_SCALE_CSV, ("w.xlsx is a text file (CSV?)", "save it as .xlsx")),
    check_case("cut short", cut(ours()), ("w.xlsx is a damaged zip file",)),
    check_case("corrupt XML", corrupt_xml(ours()), ("w.xlsx cannot be read as an .xlsx",)),
    check_case("zip bomb", zip_bomb(), ("w.xlsx unpacks to 60.0 MiB",)),
    check_case("styles bomb", styles_bomb(), ("'xl/styles.xml'",)),
    check_case("old .xls", OLE, ("Excel 97-2003",)),
    check_case("empty file", b"", ("w.xlsx is empty",)),
    check_case("too many cells", ours(), ("more than 50 cells",), MAX_SHEET_CELLS=50),
    check_case("no table", xlsx([["a", "b"], [1, 2]]), ("no assessment table", "'Sheet'")),
    check_case(
        "a state formula never calculated",
        xlsx([HEADER, ["=A3", "AUT", 100], ["Belgium", "BEL", 900]]),
        ("the state in row 2", "'=A3'"),
    ),
    Case(
        "an unknown sheet",
        lambda d: cc.read_assessment_table(d / "w.xlsx", sheet="Nope"),
        Error,
        ("no sheet 'Nope'", "'Assessment'"),
        {"w.xlsx": ours()},
    ),
    Case(
        "no such workbook",
        lambda d: cc.check_workbook(d / "none.xlsx"),
        Error,
        ("none.xlsx does not exist",),
    ),
    Case("a folder", cc.check_workbook, Error, ("is a folder",)),
    Case(
        "no scale stated or given",
        lambda d: cc.check_workbook(d / "w.xlsx"),
        Error,
        ("w.xlsx does not say which UN scale", "scale='2022-2024'"),
        {"w.xlsx": xlsx([HEADER, ["Austria", "AUT", 100]])},
    ),
    Case(
        "no state rows",
        lambda d: cc.check_workbook(d / "w.xlsx", scale="2022-2024"),
        Error,
        ("no state rows",),
        {"w.xlsx": xlsx([HEADER])},
    ),
]


CELL_CASES = [
    (
        "an amount formula never calculated",
        xlsx([HEADER, ["Austria", "AUT", "=1000*0.1"], ["Belgium", "BEL", 900]]),
        ("the amount in row 2", "'=1000*0.1'", "open and save"),
    ),
    (
        "an amount that is text",
        xlsx([HEADER, ["Austria", "AUT", "lots"]]),
        ("the amount in row 2", "'lots' is not a number"),
    ),
    (
        "an amount beyond 10^15 units",
        xlsx([HEADER, ["Austria", "AUT", 1e300]]),
        ("the amount in row 2", "beyond the largest amount"),
    ),
    (
        "an amount with a decimal comma",
        xlsx([HEADER, ["Austria", "AUT", "100,50"]]),
        ("the amount in row 2", "comma"),
    ),
    (
        "a rate that is a date",
        xlsx(
            [["State", "Amount", "Rate"], ["Austria", 100, __import__("datetime").date(2024, 1, 1)]]
        ),
        ("the rate in row 2",),
    ),
]
"""A cell that holds no number where one belongs: a finding on its row, the rest checked."""


@pytest.mark.parametrize(("id", "data", "says"), CELL_CASES, ids=[c[0] for c in CELL_CASES])
def test_a_cell_without_a_number_is_a_finding_on_its_row(
    id: str, data: bytes, says: tuple[str, ...], tmp_path: Path
) -> None:
    path = tmp_path / "w.xlsx"
    path.write_bytes(data)
    result = cc.check_workbook(path, scale="2022-2024", total="1000.00")
    found = result.differences
    unreadable = found[found["check"] == "unreadable"]
    assert list(unreadable["row"]) == [2], id
    message = unreadable["message"].iloc[0]
    for words in says:
        assert words.replace(" in row 2", "") in message, (id, words, message)
    assert message.startswith("row 2: ")
    assert not result.ok and path.read_bytes() == data


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_workbook_to_check(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)


def test_names_in_a_checked_workbook_never_reach_the_terminal_raw(tmp_path: Path) -> None:
    """A workbook someone sent with a terminal escape sequence (C1 CSI) and a bidirectional
    override in its state names: the findings show them as escapes."""
    path = tmp_path / "w.xlsx"
    path.write_bytes(
        xlsx(
            [HEADER, ["Aus\x9b2Jtria", "", 100], ["Bel\u202egium", "BEL", 900], ["\x9b", "KEN", 0]]
        )
    )
    result = cc.check_workbook(path, scale="2022-2024", total="1000.00", states=["AUT", "BEL"])
    summary = result.summary()
    assert "\x9b" not in summary and "\u202e" not in summary
    assert "row 2: unknown state 'Aus\\x9b2Jtria'" in summary
    assert "row 4: \\x9b (KEN) is in the workbook" in summary
