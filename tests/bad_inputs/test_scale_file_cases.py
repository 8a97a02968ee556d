"""Bad scale files (``scale_from_csv``, ``scale_from_excel``, ``scale_from_frame``): each a
``ScaleValidationError`` naming the file and the fix, and nothing written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from corpus import (
    GOOD_SCALE_CSV,
    OLE,
    SCALE_ROWS,
    Case,
    check,
    corrupt_xml,
    cp1252,
    cut,
    good_scale_xlsx,
    ods_like,
    styles_bomb,
    thousand_parts,
    utf8,
    with_part,
    xlsx,
    zip_bomb,
)

import ccm_costs as cc

Error = cc.ScaleValidationError


def csv_case(
    id: str, data: bytes, says: tuple[str, ...], *, check_total: bool = True, **limits: int
) -> Case:
    """``scale_from_csv`` of a file ``s.csv`` holding ``data``."""
    return Case(
        id,
        lambda d: cc.scale_from_csv(d / "s.csv", check_total=check_total),
        Error,
        ("s.csv", *says),
        {"s.csv": data},
        limits,
    )


def excel_case(id: str, data: bytes, says: tuple[str, ...], **limits: int) -> Case:
    """``scale_from_excel`` of a file ``s.xlsx`` holding ``data``."""
    return Case(
        id,
        lambda d: cc.scale_from_excel(d / "s.xlsx"),
        Error,
        ("s.xlsx", *says),
        {"s.xlsx": data},
        limits,
    )


HEADER = "member_state,iso3,rate_percent\n"
CASES = [
    # ----------------------------------------------------------------- the file itself
    csv_case("windows-1252", cp1252(HEADER + "Côte d'Ivoire,CIV,100\n"), ("not UTF-8", "0xf4")),
    csv_case(
        "latin-1 on line 3",
        cp1252(HEADER + "Austria,AUT,50\nTürkiye,TUR,50\n"),
        ("line 3", "save it as UTF-8"),
    ),
    csv_case(
        "a UTF-8 byte order mark, then Windows-1252",
        b"\xef\xbb\xbf" + cp1252(HEADER + "Côte d'Ivoire,CIV,100\n"),
        ("byte 0xf4 on line 2",),
    ),
    csv_case("utf-16", (HEADER + "Austria,AUT,100\n").encode("utf-16"), ("UTF-16", "UTF-8")),
    csv_case("an xlsx given as csv", good_scale_xlsx(), ("Excel workbook", "not a text file")),
    csv_case("nul bytes", utf8(HEADER + "Aus\0tria,AUT,100\n"), ("NUL",)),
    csv_case("empty file", b"", ("missing a rate column",)),
    csv_case("header only", utf8(HEADER), ("no rows with a rate",)),
    csv_case("larger than 10 MiB", utf8(HEADER) + b"#" * (10 * 2**20), ("larger than 10.0 MiB",)),
    csv_case("larger than a lowered limit", GOOD_SCALE_CSV, ("larger than",), MAX_TEXT_BYTES=10),
    csv_case(
        "cell over the csv limit",
        utf8(HEADER + "A" * 140_000 + ",AUT,100\n"),
        ("line 2", "131,072 characters"),
    ),
    csv_case(
        "unclosed quote", utf8(HEADER + '"Austria,AUT,100\n' + "x" * 140_000), ("closing quote",)
    ),
    csv_case(
        "the rate column twice",
        utf8("member_state,rate_percent,rate_percent\nAustria,1,100\n"),
        ("'rate_percent' is given twice", "columns 2 and 3"),
    ),
    csv_case(
        "the state column twice, in other case",
        utf8("ISO3,iso3,rate_percent\nAUT,BEL,100\n"),
        ("given twice",),
    ),
    csv_case(
        "decimal comma shifts the cells",
        utf8(HEADER + "Austria,AUT,0,679\nGermany,DEU,99,321\n"),
        ("line 2", "has 4 cells but the header has 3", "0,679"),
    ),
    csv_case(
        "decimal comma, partial scale",
        utf8(HEADER + "Austria,AUT,0,679\n"),
        ("decimal comma",),
        check_total=False,
    ),
    csv_case(
        "quoted decimal comma",
        utf8(HEADER + 'Austria,AUT,"0,679"\n'),
        ("'0,679' is not a number", "'.' as the decimal point"),
        check_total=False,
    ),
    csv_case(
        "unquoted comma in a name",
        utf8(HEADER + "Korea, Republic of,KOR,100\n"),
        ("cells are shifted", "Quote text"),
    ),
    # --------------------------------------------------------------------- its rows
    csv_case(
        "name and code disagree",
        utf8(HEADER + "Atlantis,AFG,100\n"),
        ("'Atlantis' is not a name of AFG (Afghanistan)",),
    ),
    csv_case(
        "name of another state",
        utf8(HEADER + "France,DEU,100\n"),
        ("the name means FRA but the ISO3 column says DEU",),
    ),
    csv_case(
        "escape sequence in a name",
        utf8(HEADER + "Austria\x1b[2J,AUT,100\n"),
        ("U+001B", "position 8"),
    ),
    csv_case("bell in a name", utf8(HEADER + "Aus\x07tria,AUT,100\n"), ("U+0007",)),
    csv_case(
        "right-to-left override in a name",
        utf8(HEADER + "Aus\u202etria,AUT,100\n"),
        ("U+202E", "RIGHT-TO-LEFT OVERRIDE"),
    ),
    csv_case(
        "rate over 100 % in a partial scale",
        utf8(HEADER + "Austria,AUT,200\n"),
        ("'200' is above 100 %",),
        check_total=False,
    ),
    csv_case(
        "negative rate", utf8(HEADER + "Austria,AUT,-1\nBelgium,BEL,101\n"), ("'-1' is negative",)
    ),
    csv_case("rate not a number", utf8(HEADER + "Austria,AUT,abc\n"), ("'abc' is not a number",)),
    csv_case(
        "rate finer than 0.001",
        utf8(HEADER + "Austria,AUT,99.9995\nBelgium,BEL,0.0005\n"),
        ("not a multiple of 0.001",),
    ),
    csv_case(
        "rate of a huge exponent",
        utf8(HEADER + "Austria,AUT,1e999999999\n"),
        ("above 100 %",),
        check_total=False,
    ),
    csv_case("unknown code", utf8(HEADER + ",XXX,100\n"), ("'XXX' is not an ISO 3166-1",)),
    csv_case(
        "unknown name", utf8("member_state,rate_percent\nNarnia,100\n"), ("unknown state 'Narnia'",)
    ),
    csv_case(
        "state twice", utf8(HEADER + "Austria,AUT,50\nAustria,AUT,50\n"), ("duplicate ISO3 AUT",)
    ),
    csv_case("total not 100", utf8(HEADER + "Austria,AUT,99.9\n"), ("sum to 99.900, not 100.000",)),
    csv_case(
        "missing rate", utf8(HEADER + "Austria,AUT,\nBelgium,BEL,100\n"), ("the rate is missing",)
    ),
    csv_case(
        "no state column",
        utf8("country,rate_percent\nAustria,100\n"),
        ("missing a state column", "'country'"),
    ),
    # ----------------------------------------------------------------- not a file
    Case("a folder", cc.scale_from_csv, Error, ("is a folder",)),
    Case(
        "no such file",
        lambda d: cc.scale_from_csv(d / "none.csv"),
        Error,
        ("none.csv", "does not exist"),
    ),
    # ------------------------------------------------------------------------- Excel
    excel_case("text given as xlsx", GOOD_SCALE_CSV, ("a text file (CSV?), not an .xlsx",)),
    excel_case("cut short", cut(good_scale_xlsx()), ("damaged zip file", "cut short")),
    excel_case(
        "corrupt XML", corrupt_xml(good_scale_xlsx()), ("cannot be read as an .xlsx workbook",)
    ),
    excel_case("zip bomb", zip_bomb(), ("unpacks to 60.0 MiB", "zip bomb")),
    excel_case("styles bomb", styles_bomb(), ("'xl/styles.xml'", "11.0 MiB")),
    excel_case("1,001 parts", thousand_parts(), ("parts",)),
    excel_case("old .xls", OLE, ("Excel 97-2003 (.xls)", "without a password")),
    excel_case("an OpenDocument file", ods_like(), ("OpenDocument",)),
    excel_case(
        "no content types",
        with_part(good_scale_xlsx(), "[Content_Types].xml", None),
        ("not an .xlsx workbook",),
    ),
    excel_case("empty", b"", ("is empty",)),
    excel_case(
        "larger than 20 MiB", b"PK\x03\x04" + b"\0" * (20 * 2**20), ("larger than 20.0 MiB",)
    ),
    excel_case("too many cells", good_scale_xlsx(), ("more than 4 cells",), MAX_SHEET_CELLS=4),
    excel_case(
        "uncalculated formula as rate",
        xlsx([*SCALE_ROWS[:2], ["Belgium", "BEL", "=100-60"]]),
        ("the formula '=100-60'", "never calculated", "save it"),
    ),
    excel_case(
        "rate cell with text",
        xlsx([*SCALE_ROWS[:2], ["Belgium", "BEL", "forty"]]),
        ("'forty' is not a number",),
    ),
    excel_case(
        "header twice", xlsx([["iso3", "rate", "Rate"], ["AUT", 100, 100]]), ("given twice",)
    ),
    Case(
        "unknown sheet",
        lambda d: cc.scale_from_excel(d / "s.xlsx", sheet="Nope"),
        Error,
        ("no sheet 'Nope'", "'Sheet'"),
        {"s.xlsx": good_scale_xlsx()},
    ),
    # ---------------------------------------------------------------------- DataFrame
    Case(
        "frame with the rate column twice",
        lambda d: cc.scale_from_frame(
            pd.DataFrame([["AUT", "60", "40"]], columns=["iso3", "rate", "rate"])
        ),
        Error,
        ("'rate' is given twice",),
    ),
    Case(
        "frame with a control character in a name",
        lambda d: cc.scale_from_frame(
            pd.DataFrame({"member_state": ["Aus\x00tria"], "rate_percent": ["100"]})
        ),
        Error,
        ("U+0000",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_scale_file(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
