"""cc.Explorer without a browser: set the widgets' values from Python and check that what it
computes and shows is what cc.assess and cc.compare give."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm_costs as cc

pytest.importorskip("ipywidgets")

MEETING = cc.get_meeting("12MSP")
SIGNATORIES = sorted(cc.signatories_on(MEETING.membership_day))


def same_figures(explorer: cc.Explorer, expected: cc.Assessment, base: cc.Assessment) -> None:
    """The explorer's assessment, comparison, changes and table are those of the library."""
    chosen = explorer.assessment
    assert chosen is not None and explorer.error is None
    assert dict(chosen.table.amounts) == dict(expected.table.amounts)
    assert dict(chosen.table.roles) == dict(expected.table.roles)
    assert chosen.rule_set == expected.rule_set and chosen.total == expected.total
    assert explorer.table.value == expected._repr_html_()
    comparison = cc.compare({"base": base, "chosen": expected})
    pd.testing.assert_frame_equal(explorer.comparison, comparison)
    changed = comparison[comparison["chosen - base"] != 0]
    largest = changed.loc[explorer.changes.index]
    assert len(explorer.changes) == min(explorer.top, len(changed))
    assert (largest["chosen - base"] == explorer.changes["chosen - base"]).all()
    smallest_shown = min((abs(v) for v in explorer.changes["chosen - base"]), default=0)
    left_out = changed.drop(explorer.changes.index)["chosen - base"]
    assert all(abs(v) <= smallest_shown for v in left_out)


def test_it_starts_with_the_meeting_as_recorded() -> None:
    explorer = cc.Explorer("12MSP")
    expected = cc.assess(MEETING, total="500000.00")  # the 12MSP records no total
    same_figures(explorer, expected, expected)
    assert explorer.meeting.value == "12MSP" and explorer.total.value == "500000.00"
    assert explorer.rules.value == "un-pro-rata" and explorer.observers.value == ()
    assert explorer.changes is not None and explorer.changes.empty
    assert "No amount changes against the base" in explorer.summary.value
    assert "112 States Parties" in explorer.summary.value
    assert bytes(explorer.chart.value).startswith(b"\x89PNG")


def test_the_total_changes_every_figure_as_assess_says() -> None:
    explorer = cc.Explorer("12MSP")
    before = explorer.table.value
    explorer.total.value = "400000.00"
    expected = cc.assess(MEETING, total="400000.00")
    same_figures(explorer, expected, expected)
    assert explorer.table.value != before
    assert "Total <b>400,000.00 USD</b>" in explorer.summary.value
    explorer.total.value = "1,250,000.50"  # thousands separators as an analyst types them
    larger = cc.assess(MEETING, total="1250000.50")
    same_figures(explorer, larger, larger)


def test_observers_and_rules_against_the_base() -> None:
    explorer = cc.Explorer("12MSP", top=5)
    explorer.observers.value = ("KEN", "IDN")
    observed = MEETING.replace(observers=["KEN", "IDN"])
    base = cc.assess(MEETING, total="500000.00")
    same_figures(explorer, cc.assess(observed, total="500000.00"), base)
    assert list(explorer.changes.index[:2]) == ["IDN", "JPN"]  # Indonesia joins, Japan gains most
    assert "the largest: Indonesia +" in explorer.summary.value
    assert "114 states pay (112 States Parties, 2 observers)" in explorer.summary.value
    before = explorer.chart.value
    explorer.rules.value = "who"
    same_figures(explorer, cc.assess(observed, total="500000.00", rules="who"), base)
    assert "rules <b>who</b>" in explorer.summary.value
    assert explorer.chart.value != before and explorer.figure is not None
    labels = [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()]
    assert labels[0] == "Indonesia (joins)"


def test_another_meeting_resets_the_observers_and_keeps_the_total() -> None:
    explorer = cc.Explorer("12MSP", observers=["Kenya"], total="300000.00")
    assert explorer.observers.value == ("KEN",)
    explorer.rules.value = "who"
    explorer.meeting.value = "2RC"
    second = cc.get_meeting("2RC")
    expected = cc.assess(second, total="300000.00", rules="who")
    same_figures(explorer, expected, cc.assess(second, total="300000.00"))
    assert explorer.observers.value == second.observers
    assert explorer.rules.value == "who"  # a preset chosen stays chosen
    assert explorer.assessment is not None and explorer.assessment.scale_period == "2019-2021"
    # the observers offered are the States not party on the new meeting's day
    offered = {code for _, code in explorer.observers.options}
    parties = cc.parties_on(second.membership_day)
    assert not offered & parties and "KEN" in offered
    assert cc.parties_on(MEETING.membership_day) - parties <= offered


def test_the_observers_offered_are_the_non_parties_signatories_first() -> None:
    explorer = cc.Explorer("12MSP")
    options = list(explorer.observers.options)
    codes = [code for _, code in options]
    assert codes[: len(SIGNATORIES)] == sorted(
        SIGNATORIES, key=lambda c: cc.state_order(cc.state_name(c), c)
    )
    assert options[codes.index("KEN")][0] == "Kenya (KEN), signatory"
    assert "USA" in codes and "AUT" not in codes and len(codes) == len(set(codes))


def test_wrong_input_is_said_and_then_forgotten() -> None:
    explorer = cc.Explorer("12MSP")
    explorer.total.value = "12.345"
    assert explorer.assessment is None and explorer.comparison is None
    assert explorer.error is not None and "finer than the rounding unit" in explorer.error
    assert "Cannot assess 12MSP" in explorer.summary.value and explorer.table.value == ""
    assert bytes(explorer.chart.value) == b""
    explorer.total.value = "-5"
    assert explorer.error is not None and "negative" in explorer.error
    explorer.total.value = "100.00"
    assert explorer.error is None
    same_figures(explorer, cc.assess(MEETING, total="100.00"), cc.assess(MEETING, total="100.00"))


def test_a_meeting_of_ones_own_with_a_total_and_rules() -> None:
    own = cc.Meeting(
        name="my meeting",
        dates=[dt.date(2025, 9, 15)],
        total="250000.00",
        observers=["Kenya"],
        rules={
            "extends": "un-pro-rata",
            "basis": {"rates": {"COK": {"rate": "0.002", "source": "us"}}},
        },
    )
    explorer = cc.Explorer(own)
    assert explorer.meeting.value == "my meeting" and explorer.total.value == "250000.00"
    assert explorer.rules.value == "(the meeting's own)"
    expected = cc.assess(own)
    same_figures(explorer, expected, expected)
    explorer.observers.value = ()
    same_figures(explorer, cc.assess(own.replace(observers=[])), expected)
    assert explorer.figure is not None
    labels = [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()]
    assert "Kenya (leaves)" in labels


def test_a_base_that_cannot_be_assessed_leaves_the_choice_shown() -> None:
    whole = cc.Meeting(
        name="whole dollars",
        dates=[dt.date(2024, 9, 10)],
        rules=cc.rules.load("un-pro-rata").replace(unit="major"),
    )
    explorer = cc.Explorer(whole, total="1000", rules="un-pro-rata")
    explorer.total.value = "1000.50"  # cents: fine for the choice, not for the meeting's rules
    assert explorer.error is None and explorer.comparison is None and explorer.changes is None
    assert explorer.assessment is not None
    assert explorer.assessment.total == Decimal("1000.50")
    assert explorer.base_error is not None and "whole units" in explorer.base_error
    assert "No comparison with the base" in explorer.summary.value
    assert bytes(explorer.chart.value) == b""
    assert explorer.table.value == explorer.assessment._repr_html_()


def test_bad_arguments() -> None:
    with pytest.raises(cc.InvalidInputError, match="no shipped meeting 'XYZ'"):
        cc.Explorer("XYZ")
    with pytest.raises(cc.InvalidInputError, match="top must be a positive int"):
        cc.Explorer(top=0)


def test_it_shows_as_widgets_in_jupyter() -> None:
    explorer = cc.Explorer()
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert repr(explorer).startswith("<Explorer of 12MSP: <Assessment of 500000.00 USD")


def test_without_ipywidgets_it_says_what_to_install() -> None:
    code = (
        "import sys; sys.modules['ipywidgets'] = None\n"
        "import ccm_costs as cc\n"
        "try:\n    cc.Explorer()\nexcept ImportError as err:\n    print(err)\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "pip install 'ccm-costs[notebooks]'" in found


@settings(max_examples=12, deadline=None)
@given(
    st.lists(st.sampled_from(SIGNATORIES), max_size=4, unique=True),
    st.integers(min_value=0, max_value=10**10),
    st.sampled_from(sorted(cc.rules.available())),
)
def test_any_choice_is_what_assess_and_compare_say(
    observers: list[str], cents: int, rules: str
) -> None:
    explorer = cc.Explorer("12MSP")
    total = f"{Decimal(cents).scaleb(-2):.2f}"
    explorer.total.value = total
    explorer.observers.value = tuple(observers)
    explorer.rules.value = rules
    try:
        chosen = cc.assess(MEETING.replace(observers=observers), total=total, rules=rules)
    except cc.CcmCostsError as err:  # e.g. cents under a rule set of whole units
        assert explorer.error == str(err) and explorer.assessment is None
        return
    same_figures(explorer, chosen, cc.assess(MEETING, total=total))
    assert sum(explorer.comparison["chosen"], Decimal(0)) == chosen.total
