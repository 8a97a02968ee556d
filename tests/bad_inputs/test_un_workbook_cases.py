"""Bad UN scale workbooks (``read_un_workbook``): a file that is not the UN workbook is an
``InvalidInputError``, a column with problems a ``ScaleValidationError`` naming the row."""

from __future__ import annotations

from pathlib import Path

import pytest
from corpus import (
    GOOD_SCALE_CSV,
    OLE,
    Case,
    check,
    corrupt_xml,
    cut,
    good_scale_xlsx,
    xlsx,
    zip_bomb,
)

import ccm_costs as cc

# A small workbook in the UN's layout: years stacked above "Member State", a Total row.
LAYOUT: list[list[object]] = [
    [None, 2022],
    [None, 2023],
    ["Member State", 2024],
    ["Germany    e/", 60.0],
    ["United States of America", 40.0],
    ["Total", "=SUM(B4:B5)"],
]


def changed(row: int, column: int, value: object) -> list[list[object]]:
    """LAYOUT with one cell changed (``row`` as Excel numbers it, ``column`` from 0)."""
    rows = [list(r) for r in LAYOUT]
    rows[row - 1][column] = value
    return rows


def un_case(
    id: str, data: bytes, error: type[Exception], says: tuple[str, ...], period: object = 2023
) -> Case:
    return Case(
        id,
        lambda d: cc.read_un_workbook(d / "un.xlsx", period),  # type: ignore[arg-type]
        error,
        ("un.xlsx", *says),
        {"un.xlsx": data},
    )


Invalid, Scale = cc.InvalidInputError, cc.ScaleValidationError
CASES = [
    un_case("text given as the workbook", GOOD_SCALE_CSV, Invalid, ("a text file (CSV?)",)),
    un_case("cut short", cut(xlsx(LAYOUT)), Invalid, ("damaged zip file",)),
    un_case("corrupt XML", corrupt_xml(xlsx(LAYOUT)), Invalid, ("cannot be read as an .xlsx",)),
    un_case("zip bomb", zip_bomb(), Invalid, ("zip bomb",)),
    un_case("old .xls", OLE, Invalid, ("Excel 97-2003",)),
    un_case("another workbook", good_scale_xlsx(), Invalid, ("no 'Member State' header",)),
    un_case("no years", xlsx([["Member State"], ["Germany", 100.0]]), Invalid, ("no years",)),
    un_case(
        "a period it lacks", xlsx(LAYOUT), cc.UnknownPeriodError, ("2030", "2022-2024"), period=2030
    ),
    un_case(
        "a rate without a state name",
        xlsx(changed(4, 0, None)),
        Scale,
        ("row 4", "has the rate 60 but no state name"),
    ),
    un_case(
        "a formula never calculated",
        xlsx(changed(4, 1, "=100-40")),
        Scale,
        ("row 4 (Germany)", "the formula '=100-40'", "never calculated"),
    ),
    un_case(
        "an unknown state",
        xlsx(changed(4, 0, "Narnia")),
        Scale,
        ("row 4 (Narnia)", "unknown state 'Narnia'"),
    ),
    un_case("a rate over 100 %", xlsx(changed(4, 1, 160.0)), Scale, ("above 100 %",)),
    un_case("a text rate", xlsx(changed(5, 1, "forty")), Scale, ("'forty' is not a number",)),
    # XML holds no C0 control character, but C1's CSI (U+009B) starts an escape sequence too
    un_case(
        "a name with an escape sequence",
        xlsx(changed(5, 0, "United States\x9b31m")),
        Scale,
        ("U+009B",),
    ),
    Case(
        "no such file",
        lambda d: cc.read_un_workbook(d / "none.xlsx", 2023),
        Invalid,
        ("none.xlsx", "does not exist"),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_un_workbook(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
