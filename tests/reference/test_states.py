"""State names: every UN name of every period, old names, short names, codes, and helpful errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ccm_costs as cc
from ccm_costs._reference.states import resolve_states

DATA = Path(__file__).resolve().parents[2] / "data"
SCALE_FILES = sorted((DATA / "un_scale_of_assessment").glob("scale_*.csv"))
SCALE_2019 = cc.load_scale("2019-2021")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_there_are_six_scale_files() -> None:
    assert len(SCALE_FILES) == 6


@pytest.mark.parametrize("path", SCALE_FILES, ids=[p.stem for p in SCALE_FILES])
def test_every_un_name_and_code_resolves(path: Path) -> None:
    rows = read_csv(path)
    assert len(rows) >= 192
    wrong = {}
    for row in rows:
        for given_as in (row["member_state"], row["iso3"], row["iso3"].lower()):
            try:
                found = cc.resolve_state(given_as)
            except cc.UnknownStateError as err:
                found = f"error: {err}"
            if found != row["iso3"]:
                wrong[given_as] = (row["iso3"], found)
    assert wrong == {}


def test_every_alias_resolves_to_its_code() -> None:
    rows = read_csv(DATA / "states" / "aliases.csv")
    assert rows
    assert {r["alias"]: cc.resolve_state(r["alias"]) for r in rows} == {
        r["alias"]: r["iso3"] for r in rows
    }


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("Turkey", "TUR"),
        ("Türkiye", "TUR"),
        ("Turkiye", "TUR"),
        ("The former Yugoslav Republic of Macedonia", "MKD"),
        ("North Macedonia", "MKD"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("Netherlands", "NLD"),
        ("Bolivia", "BOL"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Vatican", "VAT"),
        ("Holy See", "VAT"),
        ("Palestine", "PSE"),
        ("State of Palestine", "PSE"),
        ("Cook Islands", "COK"),
        ("Niue", "NIU"),
        ("Czech Republic", "CZE"),
        ("Czechia", "CZE"),
        ("Swaziland", "SWZ"),
        ("Eswatini", "SWZ"),
        ("Cape Verde", "CPV"),
        ("Cabo Verde", "CPV"),
        ("cote d'ivoire", "CIV"),
        ("Côte d\u2019Ivoire", "CIV"),  # typographic apostrophe, as in the resolutions
        ("Côte d'Ivoire", "CIV"),
        ("st kitts and nevis", "KNA"),
        ("Saint Kitts and Nevis", "KNA"),
        ("Democratic People\u2019s Republic of Korea", "PRK"),
        ("United Kingdom", "GBR"),
        ("United States", "USA"),
        ("UNITED STATES OF AMERICA", "USA"),
        ("  germany  ", "DEU"),
        ("gErMaNy", "DEU"),
        ("\tFrance\n", "FRA"),
        ("aut", "AUT"),
        (" fra ", "FRA"),
        ("Vat", "VAT"),
        ("cok", "COK"),
    ],
)
def test_resolve_state(name: str, iso3: str) -> None:
    assert cc.resolve_state(name) == iso3


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Austira", ["Austria (AUT)"]),
        ("Korea", ["Republic of Korea (KOR)", "Democratic People's Republic of Korea (PRK)"]),
        ("Germny", ["Germany (DEU)"]),
        ("Fracne", ["France (FRA)"]),
    ],
)
def test_unknown_state_suggests_the_closest(query: str, expected: list[str]) -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        cc.resolve_state(query)
    err = info.value
    assert isinstance(err, KeyError)
    assert isinstance(err, cc.CcmCostsError)
    assert err.query == query
    message = str(err)
    assert repr(query) in message
    for suggestion in expected:
        assert suggestion in err.suggestions
        assert suggestion in message
    assert err.suggestions[0] == expected[0]


def test_unknown_state_message_is_not_quoted_like_a_key_error() -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        cc.resolve_state("Austira")
    message = str(info.value)
    assert message == info.value.args[0]
    assert message.startswith("unknown state 'Austira'")
    assert not message.startswith(("'", '"'))


def test_unknown_code_suggests_codes() -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        cc.resolve_state("AUX")
    assert any("(AUT)" in s or "(AUS)" in s for s in info.value.suggestions)


@pytest.mark.parametrize("bad", ["", "   ", "zzzzzzzzzzzzz", None, 40])
def test_nothing_like_a_state(bad: object) -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        cc.resolve_state(bad)  # type: ignore[arg-type]
    assert "unknown state" in str(info.value)


def test_no_suggestion_explains_what_to_give() -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        cc.resolve_state("zzzzzzzzzzzzz")
    assert info.value.suggestions == ()
    assert "ISO 3166-1 alpha-3" in str(info.value)


def test_resolve_states_in_order() -> None:
    assert resolve_states(["France", "tur", "Holy See", "Niue"]) == ["FRA", "TUR", "VAT", "NIU"]


def test_resolve_states_reports_every_unknown_name() -> None:
    with pytest.raises(cc.UnknownStateError) as info:
        resolve_states(["Austira", "France", "Korea", "Narnia", "Germany"])
    err = info.value
    assert set(err.unknown) == {"Austira", "Korea", "Narnia"}
    assert "Austria (AUT)" in err.unknown["Austira"]
    assert err.query == "Austira"
    message = str(err)
    for name in ("'Austira'", "'Korea'", "'Narnia'"):
        assert f"unknown state {name}" in message
    assert "France" not in message
    assert "'Germany'" not in message


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("TUR", "Türkiye"),
        ("NLD", "Netherlands (Kingdom of the)"),
        ("MKD", "North Macedonia"),
        ("SWZ", "Eswatini"),
        ("CZE", "Czechia"),
        ("CPV", "Cabo Verde"),
        ("VAT", "Holy See"),
        ("PSE", "State of Palestine"),
        ("COK", "Cook Islands"),
        ("NIU", "Niue"),
        ("USA", "United States of America"),
        ("tur", "Türkiye"),
        ("Turkey", "Türkiye"),
    ],
)
def test_state_name_is_the_latest_un_name(iso3: str, name: str) -> None:
    assert cc.state_name(iso3) == name


def test_state_name_of_every_current_member_is_its_2025_2027_name() -> None:
    latest = cc.load_scale("2025-2027")
    assert {c: cc.state_name(c) for c in latest.units} == dict(latest.names)


def test_state_name_unknown() -> None:
    with pytest.raises(cc.UnknownStateError, match="XYZ"):
        cc.state_name("XYZ")


def _recase(name: str, flips: list[bool]) -> str:
    """``name`` with the case of character i swapped where ``flips[i]`` is true."""
    return "".join(c.swapcase() if i < len(flips) and flips[i] else c for i, c in enumerate(name))


@given(
    iso3=st.sampled_from(sorted(SCALE_2019.units)),
    flips=st.lists(st.booleans(), max_size=60),
    spaces=st.tuples(st.sampled_from(["", " ", "  ", "\t"]), st.sampled_from(["", " ", "\n"])),
)
def test_any_case_of_a_un_name_resolves(
    iso3: str, flips: list[bool], spaces: tuple[str, str]
) -> None:
    name = SCALE_2019.names[iso3]
    typed = spaces[0] + _recase(name, flips) + spaces[1]
    assert cc.resolve_state(typed) == iso3
    assert cc.resolve_state(typed.upper()) == iso3
    assert cc.resolve_state(typed.lower()) == iso3
