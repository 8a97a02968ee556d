"""monte_carlo and sensitivity of a Meeting: payers, total, scale, rules, currency and roles
from the meeting's assessment, equal to the call forms without a meeting."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm_costs as cc

DAY = dt.date(2024, 9, 10)
MEETING = cc.Meeting(name="12MSP", dates=[DAY], total="500000.00", observers=["Angola"])
PARTIES = sorted(cc.parties_on(DAY))
SIGNATORIES = sorted(cc.signatories_on(DAY))


def amounts(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The figures of a frame, without its provenance."""
    result = frame[columns].copy()
    result.attrs = {}
    return result


MC_COLUMNS = ["state", "role", "probability", "attended_runs", "mean_exact", "min", "q50", "max"]


# -------------------------------------------------------------------------- Monte Carlo


def test_a_meeting_gives_what_its_payers_give_without_it() -> None:
    frame = cc.monte_carlo(MEETING, observers={"Kenya": "0.3", "USA": "1/10"}, runs=500, seed=4)
    plain = cc.monte_carlo(
        "500000.00",
        [*PARTIES, "AGO"],  # the meeting's own observer attends every run
        {"KEN": "0.3", "USA": "1/10"},
        scale="2022-2024",
        runs=500,
        seed=4,
    )
    plain.loc["AGO", "role"] = "observer"  # the meeting says what Angola is
    pd.testing.assert_frame_equal(amounts(frame, MC_COLUMNS), amounts(plain, MC_COLUMNS))
    assert frame.loc["AGO", "attended_runs"] == 500 and frame.loc["AGO", "probability"] == 1
    assert frame.loc["KEN", "role"] == frame.loc["USA", "role"] == "observer"
    assert frame.loc["AUT", "role"] == "State Party"


def test_the_meetings_own_observers_attend_unless_given_a_probability() -> None:
    frame = cc.monte_carlo(MEETING, observers={"Angola": 0}, runs=50)
    assert frame.loc["AGO", "attended_runs"] == 0 and frame.loc["AGO", "max"] == 0
    alone = cc.monte_carlo(MEETING, runs=20)  # no probabilities: every run is the meeting
    expected = cc.assess(MEETING)
    for line in expected:
        row = alone.loc[line.iso3]
        assert row["min"] == row["max"] == row["mean"] == line.amount
        assert row["role"] == line.role
    assert set(alone.index) == set(expected.table.codes)


@pytest.mark.parametrize("chance", ["1", 0])
def test_certain_attendance_is_the_meetings_assessment(chance: str | int) -> None:
    frame = cc.monte_carlo(MEETING, observers=dict.fromkeys(["KEN", "CYP"], chance), runs=30)
    came = ["Angola", "KEN", "CYP"] if chance == "1" else ["Angola"]
    expected = cc.assess(MEETING.replace(observers=came))
    for code, row in frame.iterrows():
        line = expected.line_of(str(code))
        assert row["min"] == row["max"] == (line.amount if line else Decimal("0.00"))


def test_total_scale_and_rules_come_from_the_meeting_or_replace_them() -> None:
    who = MEETING.replace(rules="who", total="300000.00")
    frame = cc.monte_carlo(who, observers={"USA": "1/2"}, runs=200, seed=2)
    plain = cc.monte_carlo(
        "300000.00", [*PARTIES, "AGO"], {"USA": "1/2"}, scale=2024, rules="who", runs=200, seed=2
    )
    plain.loc["AGO", "role"] = "observer"
    pd.testing.assert_frame_equal(amounts(frame, MC_COLUMNS), amounts(plain, MC_COLUMNS))
    replaced = cc.monte_carlo(
        who, observers={"USA": "1/2"}, total="250000.00", rules="un-pro-rata", runs=200, seed=2
    )
    again = cc.monte_carlo(
        "250000.00", [*PARTIES, "AGO"], {"USA": "1/2"}, scale=2024, runs=200, seed=2
    )
    assert (replaced["mean_exact"] == again["mean_exact"]).all()
    older = cc.monte_carlo(MEETING, observers={"KEN": "1"}, scale="2019-2021", runs=5)
    assert older.attrs["provenance"]["scale"] == "UN scale of assessment 2019-2021"


def test_provenance_starts_with_the_meeting() -> None:
    frame = cc.monte_carlo(MEETING.replace(currency="CHF"), observers={"KEN": "1/4"}, runs=10)
    provenance = frame.attrs["provenance"]
    assert next(iter(provenance)) == "meeting" and provenance["meeting"] == "12MSP"
    assert provenance["article"].startswith("Article 14(1)")
    assert provenance["total"] == "500000.00 CHF"
    assert provenance["probabilities"] == "KEN 1/4"
    assert provenance["analysis"].startswith("Monte Carlo")


def test_a_party_that_participates_by_chance_for_a_cost_only_participants_bear() -> None:
    # BWC review conferences: only the parties participating pay; one more may come.
    bwc_day = dt.date(2022, 11, 28)
    bwc = sorted(cc.get_convention("bwc").parties_on(bwc_day))
    meeting = cc.Meeting(
        name="9RC",
        convention="bwc",
        cost_type="review_conference",
        dates=[bwc_day],
        total="100000.00",
        participants=bwc[:20],
    )
    maybe = bwc[25]
    frame = cc.monte_carlo(meeting, observers={maybe: "1"}, runs=10)
    expected = cc.assess(meeting.replace(participants=[*bwc[:20], maybe]))
    assert frame.loc[maybe, "role"] == expected[maybe].role == "State Party"
    assert frame.loc[maybe, "min"] == expected[maybe].amount
    with pytest.raises(cc.InvalidInputError, match="States not party are not charged"):
        cc.monte_carlo(meeting, observers={"ISR": "0.5"}, runs=10)


@pytest.mark.parametrize(
    ("meeting", "kwargs", "message"),
    [
        (MEETING.replace(total=None), {}, r"has no total .* monte_carlo\(meeting, total="),
        (MEETING, {"observers": {"AUT": 0.5}}, r"Austria \(AUT\): States Parties of the CCM"),
        (MEETING, {"observers": {"ICRC": 0.5}}, "international organisation"),
        (MEETING, {"observers": {"KEN": 2}}, "probability of 'KEN' is 2"),
        (MEETING, {"observers": ["KEN"]}, "observers must map each observer"),
        (MEETING, {"parties": ["AUT"]}, "takes the States Parties from the meeting"),
        (MEETING, {"currency": "EUR"}, r"meeting.replace\(currency='EUR'\)"),
        (
            MEETING.replace(cost_type="secretariat"),
            {"observers": {"KEN": 0.5}},
            r"KEN would not pay: the 'secretariat' cost of '12MSP' \(Article 14\(2\)\)",
        ),
    ],
)
def test_monte_carlo_of_a_meeting_bad_input(
    meeting: cc.Meeting, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(cc.InvalidInputError, match=message):
        cc.monte_carlo(meeting, runs=10, **kwargs)  # type: ignore[call-overload]


def test_the_forms_without_a_meeting_say_what_is_missing() -> None:
    with pytest.raises(cc.InvalidInputError, match=r"give the total to share"):
        cc.monte_carlo(parties=["AUT"], observers={}, scale=2024)  # type: ignore[call-overload]
    with pytest.raises(cc.InvalidInputError, match=r"the total is given twice"):
        cc.monte_carlo("1.00", ["AUT"], {}, total="2.00", scale=2024)  # type: ignore[call-overload]
    with pytest.raises(cc.InvalidInputError, match=r"scale='2022-2024'"):
        cc.monte_carlo("1.00", ["AUT"], {})  # type: ignore[call-overload]
    with pytest.raises(cc.InvalidInputError, match=r"give the States Parties"):
        cc.monte_carlo("1.00", observers={}, scale=2024)  # type: ignore[call-overload]
    keyword = cc.monte_carlo(total="1.00", parties=["AUT"], observers={"KEN": 1}, scale=2024)
    assert keyword.loc["AUT", "role"] == "State Party" and keyword.loc["KEN", "role"] == "observer"


# -------------------------------------------------------------------------- sensitivity

SENSITIVITY = ["state", "role", "candidate", "base", "+KEN", "-AGO", "-DEU"]


def test_sensitivity_of_a_meeting_is_that_of_its_payers() -> None:
    frame = cc.sensitivity(MEETING, candidates=["Kenya", "Angola", "Germany"])
    assert list(frame.columns) == SENSITIVITY
    plain = cc.sensitivity("500000.00", [*PARTIES, "AGO"], ["KEN", "AGO", "DEU"], scale=2024)
    plain.loc["AGO", "role"] = "observer"
    pd.testing.assert_frame_equal(amounts(frame, SENSITIVITY), amounts(plain, SENSITIVITY))
    base = cc.assess(MEETING)
    kenya = cc.assess(MEETING.replace(observers=["Angola", "Kenya"]))
    for code, row in frame.iterrows():
        before, after = base.line_of(str(code)), kenya.line_of(str(code))
        assert row["base"] == (before.amount if before else 0)
        assert row["+KEN"] == (after.amount if after else 0) - row["base"]
        assert row["role"] == (after.role if after else None)
    assert frame.loc["AGO", "candidate"] == "leaves" and frame.loc["KEN", "candidate"] == "joins"
    assert frame.loc["AGO", "-AGO"] == -base["AGO"].amount
    assert frame.attrs["provenance"]["meeting"] == "12MSP"


def test_sensitivity_of_a_meeting_bad_input() -> None:
    with pytest.raises(cc.InvalidInputError, match=r"sensitivity\(meeting, total="):
        cc.sensitivity(MEETING.replace(total=None), candidates=["KEN"])
    with pytest.raises(cc.InvalidInputError, match=r"candidates by keyword"):
        cc.sensitivity(MEETING, ["KEN"])  # type: ignore[call-overload]
    with pytest.raises(cc.InvalidInputError, match="no candidates given"):
        cc.sensitivity(MEETING)  # type: ignore[call-overload]
    with pytest.raises(cc.InvalidInputError, match="States not party are not charged"):
        cc.sensitivity(MEETING.replace(cost_type="secretariat"), candidates=["KEN"])
    with pytest.raises(cc.InvalidInputError, match="international organisation"):
        cc.sensitivity(MEETING, candidates=["European Union"])


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from(SIGNATORIES), max_size=3, unique=True),
    st.lists(st.sampled_from([*SIGNATORIES, *PARTIES[:30]]), min_size=1, max_size=4, unique=True),
    st.sampled_from(["un-pro-rata", "who", "cbd-trust-fund"]),
    st.integers(min_value=0, max_value=10**9),
)
def test_every_sensitivity_column_is_two_assessments_of_the_meeting(
    observers: list[str], candidates: list[str], rules: str, cents: int
) -> None:
    meeting = MEETING.replace(observers=observers, rules=rules)
    total = Decimal(cents).scaleb(-2)
    frame = cc.sensitivity(meeting, candidates=candidates, total=total)
    base = cc.assess(meeting, total=total)
    for code in candidates:
        if code in base.table.codes:  # leaves: the payers without it
            payers = [c for c in base.table.codes if c != code]
            after = cc.apportion(total, payers, scale=2024, rules=rules)
            column = frame[f"-{code}"]
        else:
            after = cc.assess(meeting.replace(observers=[*observers, code]), total=total)
            column = frame[f"+{code}"]
        assert sum(column, Decimal(0)) == 0
        for iso3, change in column.items():
            now, before = after.line_of(str(iso3)), base.line_of(str(iso3))
            assert change == (now.amount if now else 0) - (before.amount if before else 0)


def test_legacy_probabilities_are_exact_fractions() -> None:
    frame = cc.monte_carlo(MEETING, observers={"KEN": "1/3"}, runs=10)
    assert frame.loc["KEN", "probability"] == Fraction(1, 3)
