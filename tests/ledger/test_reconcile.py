"""Reconciliation of an estimate with a final assessment: labels, exact differences."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import money_strings, participants

import ccm_costs as cc
from ccm_costs.errors import InvalidInputError
from ccm_costs.ledger import Ledger, reconcile, reconcile_recorded
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


# ----------------------------------------------------------------- from a ledger


def _recorded(tmp_path: Path) -> Ledger:
    """12MSP: estimate No. 1, its correction No. 2, the final No. 3 (superseding No. 2) and
    the final's correction No. 4; 13MSP: an estimate No. 5 alone."""
    meeting = cc.get_meeting("12MSP")
    ledger = Ledger.open(tmp_path / "ccm.sqlite")
    day = dt.date(2024, 6, 3)
    ledger.record_assessment(cc.assess(meeting, total="500000.00"), issued=day)
    ledger.record_assessment(
        cc.assess(meeting, total="510000.00"), kind="correction", supersedes=1, issued=day
    )
    final = meeting.replace(observers=["Angola", "Kenya"])
    ledger.record_assessment(
        cc.assess(final, total="480000.00"),
        kind="final",
        supersedes=2,
        issued=dt.date(2024, 11, 15),
    )
    ledger.record_assessment(
        cc.assess(final, total="480000.01"),
        kind="correction",
        supersedes=3,
        issued=dt.date(2024, 11, 20),
    )
    ledger.record_assessment(cc.assess(cc.get_meeting("13MSP"), total="1000.00"), issued=day)
    return ledger


def test_a_meeting_in_the_ledger_is_its_estimate_as_corrected_against_its_final_in_force(
    tmp_path: Path,
) -> None:
    with _recorded(tmp_path) as ledger:
        result = reconcile_recorded(ledger, "12MSP")
        by_numbers = reconcile_recorded(ledger, estimate=2, final=4)
        direct = reconcile(ledger.assessment(2), ledger.assessment(4))
    assert result.estimated_total_minor == 51_000_000
    assert result.final_total_minor == 48_000_001
    assert result.lines == by_numbers.lines == direct.lines
    assert result.estimate_source.startswith("No. 2 of the ledger ")
    assert "12MSP correction, issued 2024-06-03" in result.estimate_source
    assert result.final_source.startswith("No. 4 of the ledger ")
    assert result.meeting == "12MSP: Twelfth Meeting of States Parties"
    assert result.provenance()["estimate source"] == result.estimate_source
    assert direct.estimate_source == "No. 2 of the ledger: 12MSP correction, issued 2024-06-03"


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda lg: reconcile_recorded(lg, "13MSP"), ("13MSP has no final assessment", "No. 5")),
        (lambda lg: reconcile_recorded(lg, "9MSP"), ("no assessment of '9MSP'", "12MSP, 13MSP")),
        (lambda lg: reconcile_recorded(lg, estimate=1, final=5), ("for 12MSP", "for 13MSP")),
        (lambda lg: reconcile_recorded(lg, estimate=4, final=4), ("both No. 4",)),
        (lambda lg: reconcile_recorded(lg, estimate=9, final=4), ("no assessment No. 9", "1, 2")),
        (lambda lg: reconcile_recorded(lg, estimate=1), ("estimate=N and final=M",)),
        (lambda lg: reconcile_recorded(lg, "12MSP", final=4), ("not both",)),
    ],
)
def test_what_the_ledger_cannot_reconcile_is_named(
    tmp_path: Path, call: Callable[[Ledger], object], says: tuple[str, ...]
) -> None:
    with _recorded(tmp_path) as ledger, pytest.raises(InvalidInputError) as caught:
        call(ledger)
    for words in says:
        assert words in str(caught.value)


def test_two_estimates_in_force_are_named_not_chosen(tmp_path: Path) -> None:
    meeting = cc.get_meeting("12MSP")
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        ledger.record_assessment(cc.assess(meeting, total="1.00"), issued=dt.date(2024, 6, 3))
        ledger.record_assessment(cc.assess(meeting, total="2.00"), issued=dt.date(2024, 6, 4))
        with pytest.raises(InvalidInputError, match=r"2 assessments in force .*No\. 1.*No\. 2"):
            reconcile_recorded(ledger, "12MSP")


@settings(max_examples=15, deadline=None)
@given(
    before=participants(max_size=15),
    after=participants(max_size=15),
    estimated=money_strings,
    actual=money_strings,
)
def test_the_ledger_reconciles_what_was_recorded_exactly(
    before: list[str], after: list[str], estimated: str, actual: str
) -> None:
    estimate = cc.apportion(estimated, before, scale="2019-2021", context={"meeting": "M"})
    final = cc.apportion(actual, after, scale="2019-2021", context={"meeting": "M"})
    if estimate.total_minor < 0 or final.total_minor < 0:
        return  # a ledger records no negative assessment
    with tempfile.TemporaryDirectory() as folder, Ledger.open(Path(folder) / "l.sqlite") as lg:
        first = lg.record_assessment(estimate, issued=dt.date(2024, 6, 3))
        lg.record_assessment(final, kind="final", supersedes=first.id, issued=dt.date(2024, 11, 1))
        result = reconcile_recorded(lg, "M")
    assert result.lines == reconcile(estimate, final).lines
    assert sum(ln.difference_minor for ln in result.lines) == (
        final.total_minor - estimate.total_minor
    )
