"""compare(): named assessments side by side, exact, in the one name order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import SCALE_2019, money_strings, participants

import ccm_costs as cc
from ccm_costs._reference.states import state_order

MEETING = cc.Meeting(name="12MSP test", dates=[dt.date(2024, 9, 10)], total="500000.00")


def test_side_by_side_with_differences_from_the_first() -> None:
    base = cc.assess(MEETING)
    kenya = cc.assess(MEETING.replace(observers=["Kenya"]))
    dearer = cc.assess(MEETING.replace(observers=["Kenya", "Angola"]), total="600000.00")
    frame = cc.compare({"base": base, "Kenya attends": kenya, "both, dearer": dearer})
    assert list(frame.columns) == [
        "state",
        "base",
        "Kenya attends",
        "both, dearer",
        "Kenya attends - base",
        "both, dearer - base",
    ]
    assert frame.index.name == "iso3"
    assert len(frame) == len(base) + 2
    # a state absent from a scenario shows 0 there; the differences follow
    assert frame.loc["KEN", "base"] == Decimal("0.00")
    assert frame.loc["KEN", "Kenya attends"] == kenya["KEN"].amount
    assert frame.loc["AGO", "Kenya attends"] == 0 and frame.loc["AGO", "both, dearer"] > 0
    assert frame.loc["KEN", "Kenya attends - base"] == kenya["KEN"].amount
    assert frame.loc["JPN", "both, dearer - base"] == dearer["JPN"].amount - base["JPN"].amount
    assert all(isinstance(v, Decimal) for v in frame["Kenya attends - base"])
    # the columns add up to the totals
    assert sum(frame["base"]) == Decimal("500000.00") == frame.attrs["totals"]["base"]
    assert sum(frame["both, dearer"]) == Decimal("600000.00")
    assert sum(frame["both, dearer - base"]) == Decimal("100000.00")
    assert sum(frame["Kenya attends - base"]) == 0
    assert frame.attrs["scenarios"] == ["base", "Kenya attends", "both, dearer"]
    assert frame.attrs["differences"] == {
        "Kenya attends - base": "Kenya attends",
        "both, dearer - base": "both, dearer",
    }
    assert frame.attrs["currency"] == "USD"


def test_rows_in_the_one_name_order_and_names_from_the_first_scenario() -> None:
    # Türkiye was "Turkey" on the 2019-2021 scale: the first scenario's name is shown.
    old = cc.apportion("100.00", ["TUR", "AUT", "CIV"], scale="2019-2021")
    new = cc.apportion("100.00", ["TUR", "BEL"], scale="2022-2024")
    frame = cc.compare({"old": old, "new": new})
    assert frame.loc["TUR", "state"] == old["TUR"].state
    names = dict(zip(frame.index, frame["state"], strict=True))
    assert list(frame.index) == sorted(names, key=lambda c: state_order(names[c], c))
    assert list(frame.index) == ["AUT", "BEL", "CIV", "TUR"]


def test_provenance_names_each_scenario() -> None:
    states = ["AUT", "BEL", "DEU", "FRA", "ITA", "JPN"]
    a = cc.apportion("100.00", states, scale=2020)
    b = cc.apportion("100.00", states, scale=2020, rules="who")
    provenance = cc.compare({"UN": a, "WHO": b}).attrs["provenance"]
    assert provenance["analysis"].startswith("2 scenarios side by side (UN, WHO)")
    assert provenance["UN: scale"] == "UN scale of assessment 2019-2021"
    assert "WHO: rules" in provenance and "UN: rules" in provenance
    assert provenance["library"].startswith("ccm_costs ")


def test_a_mapping_keeps_its_order_and_the_first_is_the_reference() -> None:
    a = cc.apportion("100.00", ["AUT", "BEL"], scale=2020)
    b = cc.apportion("90.00", ["AUT", "BEL"], scale=2020)
    frame = cc.compare({"b": b, "a": a})
    assert list(frame.columns) == ["state", "b", "a", "a - b"]
    assert sum(frame["a - b"]) == Decimal("10.00")


@pytest.mark.parametrize(
    ("named", "message"),
    [
        ([], "takes a mapping of scenario names to assessments"),
        ({}, "at least two scenarios"),
        ({"only": "A"}, "'only' is a str, not an Assessment"),
        ({"a": "A", "b": "B"}, "'a' is a str, not an Assessment"),
        ({"": "A"}, "non-empty text"),
        ({3: "A"}, "non-empty text"),
    ],
)
def test_bad_input(named: object, message: str) -> None:
    with pytest.raises(cc.InvalidInputError, match=message):
        cc.compare(named)  # type: ignore[arg-type]


def test_one_scenario_is_not_a_comparison() -> None:
    a = cc.apportion("100.00", ["AUT"], scale=2020)
    with pytest.raises(cc.InvalidInputError, match=r"at least two scenarios .* got 1"):
        cc.compare({"a": a})


def test_mixed_currencies_are_refused() -> None:
    usd = cc.apportion("100.00", ["AUT", "BEL"], scale=2020)
    chf = cc.apportion("100.00", ["AUT", "BEL"], scale=2020, currency="CHF")
    with pytest.raises(cc.InvalidInputError, match=r"'usd' in USD, 'chf' in CHF"):
        cc.compare({"usd": usd, "chf": chf})


def test_names_that_would_title_two_columns_are_refused() -> None:
    a = cc.apportion("100.00", ["AUT"], scale=2020)
    with pytest.raises(cc.InvalidInputError, match=r"\['state'\]"):
        cc.compare({"state": a, "b": a})
    with pytest.raises(cc.InvalidInputError, match=r"\['b - a'\]"):
        cc.compare({"a": a, "b": a, "b - a": a})


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        # five states at least: WHO's 22 % ceiling needs them
        st.tuples(participants(min_size=5, max_size=25), money_strings, st.booleans()),
        min_size=2,
        max_size=4,
    )
)
def test_every_column_sums_to_its_total_and_every_difference_to_the_difference(
    scenarios: list[tuple[list[str], str, bool]],
) -> None:
    assessed = {
        f"s{i}": cc.apportion(
            total, states, scale=SCALE_2019, rules="who" if bounded else "un-pro-rata"
        )
        for i, (states, total, bounded) in enumerate(scenarios)
    }
    frame = cc.compare(assessed)
    first = assessed["s0"]
    for name, assessment in assessed.items():
        assert sum(frame[name], Decimal(0)) == assessment.total
        for code, amount in frame[name].items():
            line = assessment.line_of(str(code))
            assert amount == (line.amount if line else 0)
        if name != "s0":
            difference = frame[f"{name} - s0"]
            assert sum(difference, Decimal(0)) == assessment.total - first.total
            assert (difference == frame[name] - frame["s0"]).all()
    every = set().union(*(a.table.codes for a in assessed.values()))
    assert set(frame.index) == every and frame.index.is_unique
