"""Reconciliation of an estimate with a final assessment: labels, exact differences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import money_strings, participants

import ccm_costs as cc
from ccm_costs.errors import InvalidInputError
from ccm_costs.ledger import reconcile
from ccm_costs.ledger._reconcile import BOTH, ESTIMATE_ONLY, FINAL_ONLY


def test_estimate_and_final_per_state_with_one_sided_states_labelled() -> None:
    estimate = cc.apportion("1000.00", ["AUT", "BEL", "FRA"], scale="2019-2021")
    final = cc.apportion("1100.00", ["AUT", "BEL", "KEN"], scale="2019-2021")
    result = reconcile(estimate, final)
    lines = {line.iso3: line for line in result.lines}
    assert lines["KEN"].presence == FINAL_ONLY and lines["KEN"].estimated_minor == 0
    assert lines["FRA"].presence == ESTIMATE_ONLY and lines["FRA"].final_minor == 0
    assert lines["FRA"].difference_minor == -estimate["FRA"].amount_minor
    assert lines["FRA"].settlement == "credit"
    assert lines["AUT"].presence == BOTH
    assert lines["AUT"].difference_minor == final["AUT"].amount_minor - estimate["AUT"].amount_minor
    assert result.difference_total_minor == 10000
    assert sum(line.difference_minor for line in result.lines) == 10000
    text = str(result)
    assert "final only: not in the estimate" in text and "estimate only: did not" in text
    assert "difference 100.00 USD" in result.summary()


def test_frame_is_exact_and_keeps_both_provenances() -> None:
    estimate = cc.apportion("1000.00", ["AUT", "BEL"], scale="2019-2021")
    final = cc.apportion("999.99", ["AUT", "BEL"], scale="2022-2024")
    frame = reconcile(estimate, final).to_frame()
    assert str(frame["difference_minor"].dtype) == "int64"
    assert int(frame["difference_minor"].sum()) == -1
    assert frame.attrs["provenance"]["estimate scale"].endswith("2019-2021")
    assert frame.attrs["provenance"]["final scale"].endswith("2022-2024")
    assert list(frame["settlement"]) == [
        "credit" if d < 0 else "additional bill" if d > 0 else "no change"
        for d in frame["difference_minor"]
    ]


def test_different_currencies_are_refused() -> None:
    estimate = cc.apportion("1000.00", ["AUT", "BEL"], scale="2019-2021")
    final = cc.apportion("1000.00", ["AUT", "BEL"], scale="2019-2021", currency="EUR")
    with pytest.raises(InvalidInputError, match="same currency"):
        reconcile(estimate, final)


def test_a_meeting_assessed_before_and_after() -> None:
    meeting = cc.get_meeting("12MSP")
    estimate = cc.assess(meeting, total="500000.00")
    final = cc.assess(meeting.replace(observers=["Angola", "Kenya"]), total="480000.00")
    result = reconcile(estimate, final)
    assert {ln.iso3 for ln in result.lines if ln.presence == FINAL_ONLY} == {"AGO", "KEN"}
    assert sum(ln.difference_minor for ln in result.lines) == -2_000_000


@settings(max_examples=60, deadline=None)
@given(
    before=participants(max_size=25),
    after=participants(max_size=25),
    estimated=money_strings,
    actual=money_strings,
)
def test_differences_sum_exactly_to_the_change_of_total(
    before: list[str], after: list[str], estimated: str, actual: str
) -> None:
    estimate = cc.apportion(estimated, before, scale="2019-2021")
    final = cc.apportion(actual, after, scale="2019-2021")
    result = reconcile(estimate, final)
    assert sum(ln.difference_minor for ln in result.lines) == (
        final.total_minor - estimate.total_minor
    )
    assert {ln.iso3 for ln in result.lines} == set(before) | set(after)
    for line in result.lines:
        assert (line.presence == BOTH) == (line.iso3 in before and line.iso3 in after)
        assert line.estimated_minor == (
            estimate[line.iso3].amount_minor if line.iso3 in before else 0
        )
        assert line.final_minor == (final[line.iso3].amount_minor if line.iso3 in after else 0)


@given(st.sampled_from(["USD", "JPY"]))
def test_totals_match_in_any_currency(currency: str) -> None:
    estimate = cc.apportion("1000", ["AUT", "BEL"], scale="2019-2021", currency=currency)
    final = cc.apportion("1001", ["AUT", "BEL"], scale="2019-2021", currency=currency)
    result = reconcile(estimate, final)
    assert result.currency == currency
    assert result.difference_total_minor == final.total_minor - estimate.total_minor
