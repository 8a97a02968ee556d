"""Bad convention data: a copy of the CCM's folder (``data/conventions/ccm/``) with one file
broken, read as a convention folder is (``convention.toml``, then ``parties.csv`` and
``signatories.csv`` when membership is asked); each a ``DataFileError`` naming the file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import DATA
from corpus import Case, check, cp1252, utf8

from ccm_costs.conventions._convention import _parse

SHIPPED = DATA / "conventions" / "ccm"
FILES = {p.name: p.read_bytes() for p in SHIPPED.iterdir() if p.is_file()}
TOML = FILES["convention.toml"].decode("utf-8")
PARTIES = FILES["parties.csv"].decode("utf-8")
PARTIES_HEADER, FIRST_PARTY = PARTIES.splitlines()[:2]


def folder_case(
    id: str, name: str, data: bytes, says: tuple[str, ...], where: str = "", **limits: int
) -> Case:
    """The CCM's folder with ``name`` holding ``data``; its parties on a day asked. The
    message names ``where``, by default the file."""
    files = {f"ccm/{k}": v for k, v in FILES.items()} | {f"ccm/{name}": data}

    def call(folder: Path) -> object:
        return _parse("ccm", folder / "ccm").parties_on("2024-09-10")

    from ccm_costs import DataFileError

    return Case(id, call, DataFileError, (where or name, *says), files, limits)


def toml_with(change: Callable[[str], str]) -> bytes:
    return utf8(change(TOML))


def parties_with(*rows: str) -> bytes:
    return utf8("\n".join([PARTIES_HEADER, *rows]) + "\n")


CASES = [
    folder_case(
        "convention.toml in Windows-1252",
        "convention.toml",
        cp1252(TOML.replace("Convention on Cluster Munitions", "Convention é")),
        ("not UTF-8",),
    ),
    folder_case(
        "convention.toml not TOML", "convention.toml", utf8(TOML + "\n[[\n"), ("not valid TOML",)
    ),
    folder_case(
        "convention.toml with an unknown key",
        "convention.toml",
        toml_with(lambda t: 'colour = "red"\n' + t),
        ("field 'colour'", "unknown key"),
    ),
    folder_case(
        "convention.toml without its cost types",
        "convention.toml",
        toml_with(lambda t: t.replace("[[cost_types]]", "[[other]]")),
        ("cost_types",),
    ),
    folder_case(
        "convention.toml for another folder",
        "convention.toml",
        toml_with(lambda t: t.replace('id = "ccm"', 'id = "apmbc"', 1)),
        ("'apmbc' is not the folder's name 'ccm'",),
    ),
    folder_case(
        "convention.toml too large",
        "convention.toml",
        FILES["convention.toml"],
        ("larger than",),
        MAX_TEXT_BYTES=100,
    ),
    folder_case("parties.csv in Windows-1252", "parties.csv", cp1252(PARTIES), ("not UTF-8",)),
    folder_case(
        "parties.csv with shifted cells",
        "parties.csv",
        parties_with(FIRST_PARTY + ",extra"),
        ("line 2", "cells are shifted"),
    ),
    folder_case(
        "parties.csv with a column twice",
        "parties.csv",
        utf8(PARTIES_HEADER + ",iso3\n"),
        ("'iso3' is given twice",),
    ),
    folder_case(
        "parties.csv naming an unknown state",
        "parties.csv",
        parties_with(FIRST_PARTY.replace(FIRST_PARTY.split(",")[0], "XXX", 1)),
        ("XXX",),
    ),
    folder_case(
        "parties.csv with a state twice",
        "parties.csv",
        parties_with(FIRST_PARTY, FIRST_PARTY),
        ("AFG more than once",),
        where="data/conventions/ccm",
    ),  # a state may be in either list: the folder
    folder_case(
        "signatories.csv that is binary",
        "signatories.csv",
        b"\x89PNG\r\n\x1a\n\0\0",
        ("not UTF-8",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_convention_data(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
