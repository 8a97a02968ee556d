"""Monte Carlo attendance and sensitivity: exact statistics, reproducible, equal to apportion."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction
from typing import cast

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm_costs as cc
from ccm_costs import EngineOptions, monte_carlo, sensitivity
from ccm_costs._core.money import from_minor_units
from ccm_costs._scenarios import ProbabilityLike

SCALE = cc.load_scale("2022-2024")
PARTIES_2024 = sorted(cc.parties_on(dt.date(2024, 9, 10)))
UN_PARTIES = [c for c in PARTIES_2024 if c in SCALE]
NON_PARTIES = sorted(c for c in SCALE.units if c not in PARTIES_2024)
OBSERVERS: dict[str, ProbabilityLike] = {
    "Angola": "0.5",
    "Kenya": 0.3,
    "USA": "1/10",
    "Indonesia": Decimal("0.25"),
}


def brute_force(
    total_minor: int, parties: list[str], chances: dict[str, Fraction], runs: int, seed: int
) -> dict[str, list[int]]:
    """Every run drawn as monte_carlo draws it, apportioned one by one with allocate()."""
    draws = np.random.default_rng(seed).random((runs, len(chances)))
    attend = draws < np.array([float(p) for p in chances.values()])
    amounts: dict[str, list[int]] = {c: [] for c in [*parties, *chances]}
    for row in attend:
        payers = parties + [c for c, here in zip(chances, row, strict=True) if here]
        parts = cc.allocate(total_minor, {c: SCALE.units[c] for c in payers})
        for code, values in amounts.items():
            values.append(parts.get(code, 0))
    return amounts


def cents(minor: int) -> Decimal:
    return from_minor_units(minor)


# -------------------------------------------------------------------- exact statistics


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(UN_PARTIES), min_size=1, max_size=12, unique=True),
    st.dictionaries(
        st.sampled_from(NON_PARTIES),
        st.fractions(min_value=0, max_value=1, max_denominator=20),
        max_size=5,
    ),
    st.integers(min_value=-(10**9), max_value=10**9),
    st.tuples(  # runs, seed, chunk size
        st.integers(min_value=1, max_value=300),
        st.integers(min_value=0, max_value=2**32),
        st.integers(min_value=1, max_value=64),
    ),
)
def test_statistics_equal_those_of_every_run_apportioned_one_by_one(
    parties: list[str],
    chances: dict[str, Fraction],
    total_minor: int,
    run: tuple[int, int, int],
) -> None:
    runs, seed, chunk = run
    levels = (Fraction(0), Fraction(1, 10), Fraction(1, 2), Fraction(9, 10), Fraction(1))
    frame = monte_carlo(
        cents(total_minor),
        parties,
        chances,
        scale=SCALE,
        runs=runs,
        seed=seed,
        quantiles=levels,
        engine=EngineOptions(chunk_size=chunk),
    )
    for code, values in brute_force(total_minor, parties, chances, runs, seed).items():
        row = frame.loc[code]
        ordered = sorted(values)
        assert row["min"] == cents(ordered[0]) and row["max"] == cents(ordered[-1])
        for level, label in zip(levels, ["q0", "q10", "q50", "q90", "q100"], strict=True):
            assert row[label] == cents(ordered[max(1, math.ceil(level * runs)) - 1])
        assert row["mean_exact"] == Fraction(sum(values), runs) / 100
        assert row["mean"] == round(Decimal(sum(values)) / runs / 100, 4)


def test_attendance_counts_match_the_draws() -> None:
    chances = {"AGO": Fraction(1, 2), "KEN": Fraction(3, 10)}
    frame = monte_carlo("1000.00", ["AUT", "BEL"], chances, scale=SCALE, runs=1000, seed=5)
    draws = np.random.default_rng(5).random((1000, 2)) < [0.5, 0.3]
    assert frame.loc["AGO", "attended_runs"] == draws[:, 0].sum()
    assert frame.loc["KEN", "attended_runs"] == draws[:, 1].sum()
    assert frame.loc["AUT", "attended_runs"] == 1000
    assert frame.loc["KEN", "attended_share"] == draws[:, 1].sum() / 1000


def test_whole_units_and_credits() -> None:
    frame = monte_carlo(
        "-5000",
        ["AUT", "BEL", "DEU"],
        {"KEN": "0.5"},
        scale=SCALE,
        runs=200,
        rules=cc.rules.load("un-pro-rata").replace(unit="major"),
    )
    values = brute_force(-5000, ["AUT", "BEL", "DEU"], {"KEN": Fraction(1, 2)}, 200, 0)
    for code, amounts in values.items():
        assert frame.loc[code, "min"] == Decimal(min(amounts)).quantize(Decimal("0.01"))
        assert frame.loc[code, "max"] == Decimal(max(amounts)).quantize(Decimal("0.01"))
        assert frame.loc[code, "mean_exact"] == Fraction(sum(amounts), 200)


# ------------------------------------------------------------------- reproducible, exact


def test_the_same_seed_gives_the_same_result_whatever_the_chunk_size() -> None:
    args = ("500000.00", PARTIES_2024, OBSERVERS)
    first = monte_carlo(*args, scale="2022-2024", runs=3000, seed=11)
    again = monte_carlo(
        *args,
        scale="2022-2024",
        runs=3000,
        seed=11,
        engine=EngineOptions(chunk_size=7, workers=2),
    )
    other = monte_carlo(*args, scale="2022-2024", runs=3000, seed=12)
    pd.testing.assert_frame_equal(first, again)
    assert first.attrs == again.attrs
    assert not first["attended_runs"].equals(other["attended_runs"])


@pytest.mark.parametrize("chance", ["1", 0])
def test_certain_attendance_equals_the_deterministic_assessment(chance: str | int) -> None:
    observers = ["Angola", "Kenya"]
    frame = monte_carlo(
        "500000.00", PARTIES_2024, dict.fromkeys(observers, chance), scale="2022-2024", runs=50
    )
    attending = observers if chance == "1" else []
    meeting = cc.Meeting(
        name="test", dates=[dt.date(2024, 9, 10)], cost_type="meeting", observers=attending
    )
    expected = {line.iso3: line.amount for line in cc.assess(meeting, total="500000.00")}
    for code, row in frame.iterrows():
        amount = expected.get(str(code), Decimal("0.00"))
        assert row["min"] == row["q50"] == row["max"] == row["mean"] == amount
    assert set(frame.loc[frame["role"] == "observer"].index) == {"AGO", "KEN"}
    if chance == 0:
        assert frame.loc["KEN", "mean_if_attending"] is None
        assert frame.loc["KEN", "attended_runs"] == 0


def test_the_frame_has_its_columns_and_provenance() -> None:
    frame = monte_carlo(
        "1000.00", ["Austria", "BEL"], {"Kenya": "1/3"}, scale="2022-2024", runs=10, seed=3
    )
    assert list(frame.columns) == [
        "state",
        "role",
        "probability",
        "attended_runs",
        "attended_share",
        "mean",
        "mean_exact",
        "mean_if_attending",
        "min",
        "q5",
        "q50",
        "q95",
        "max",
    ]
    assert list(frame.index) == ["AUT", "BEL", "KEN"] and frame.index.name == "iso3"
    assert frame.loc["KEN", "probability"] == Fraction(1, 3)
    assert isinstance(frame.loc["AUT", "q50"], Decimal)
    provenance = frame.attrs["provenance"]
    assert provenance["runs"] == "10" and provenance["seed"].startswith("3 ")
    assert provenance["probabilities"] == "KEN 1/3"
    assert provenance["scale"] == "UN scale of assessment 2022-2024"


def test_progress_is_shown_only_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    monte_carlo("100.00", ["AUT"], {"KEN": 0.5}, scale=SCALE, runs=20)
    assert capsys.readouterr().err == ""
    monte_carlo(
        "100.00", ["AUT"], {"KEN": 0.5}, scale=SCALE, runs=20, engine=EngineOptions(progress=True)
    )
    assert "20/20" in capsys.readouterr().err


# -------------------------------------------------------------------------- sensitivity


def test_sensitivity_changes_sum_to_zero_and_match_two_apportionments() -> None:
    payers = PARTIES_2024
    frame = sensitivity("500000.00", payers, ["Kenya", "Germany", "USA"], scale="2022-2024")
    assert list(frame.columns) == ["state", "role", "candidate", "base", "+KEN", "-DEU", "+USA"]

    def scalar(states: list[str]) -> cc.Assessment:
        # The default non-member policy: GA notional rates (PSE, VAT), else the floor.
        return cc.apportion("500000.00", states, scale=SCALE)

    base = scalar(payers)
    for column in ["+KEN", "-DEU", "+USA"]:
        assert frame[column].sum() == 0
        code = column[1:]
        states = [*payers, code] if column[0] == "+" else [c for c in payers if c != code]
        after = scalar(states)
        for iso3, row in frame.iterrows():
            before = base[str(iso3)].amount if str(iso3) in payers else Decimal("0.00")
            now = after[str(iso3)].amount if str(iso3) in states else Decimal("0.00")
            assert row[column] == now - before
    # the roles of assessments; who is a candidate in its own column
    assert frame.loc["KEN", "role"] == "observer" and frame.loc["KEN", "base"] == 0
    assert frame.loc["KEN", "candidate"] == "joins" and frame.loc["DEU", "candidate"] == "leaves"
    assert frame.loc["DEU", "role"] == frame.loc["AUT", "role"] == "State Party"
    assert frame.loc["AUT", "candidate"] == ""
    leaving = cast(Decimal, frame.loc["DEU", "-DEU"])
    assert leaving == -cast(Decimal, frame.loc["DEU", "base"])


def test_sensitivity_provenance() -> None:
    frame = sensitivity("100.00", ["AUT", "BEL"], ["KEN"], scale="2022-2024")
    assert frame.attrs["provenance"]["candidates"] == "KEN"
    assert frame.attrs["provenance"]["analysis"].startswith("one-at-a-time")


# ---------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"observers": {"KEN": "1.5"}}, cc.InvalidInputError, "probability of 'KEN' is '1.5'"),
        ({"observers": {"KEN": "x/2"}}, cc.InvalidInputError, "is not a number from 0 to 1"),
        ({"observers": {"KEN": -0.1}}, cc.InvalidInputError, "from 0 to 1"),
        ({"observers": ["KEN"]}, cc.InvalidInputError, "observers must map each observer"),
        ({"observers": {"ICRC": 0.5}}, cc.InvalidInputError, "international organisation"),
        ({"observers": {"Narnia": 0.5}}, cc.UnknownStateError, "unknown state 'Narnia'"),
        ({"observers": {"AUT": 0.5}}, cc.InvalidInputError, "duplicate states"),
        ({"parties": "AUT"}, cc.InvalidInputError, "parties must be a list"),
        ({"parties": []}, cc.InvalidInputError, "no states given"),
        ({"runs": 0}, cc.InvalidInputError, "runs must be a positive int"),
        (
            {"engine": EngineOptions(chunk_size=1.5)},
            cc.InvalidInputError,  # type: ignore[arg-type]
            "chunk_size must be a positive int",
        ),
        ({"seed": -1}, cc.InvalidInputError, "seed must be an int of 0 or more"),
        ({"quantiles": (2,)}, cc.InvalidInputError, "a quantile is 2"),
        ({"total": "1.001"}, cc.InvalidInputError, "finer than the rounding unit"),
        ({"total": "1e13", "runs": 10_000}, cc.InvalidInputError, "exceed the exact int64 tally"),
        ({"rules": "nonsense"}, cc.RuleSetError, "no preset 'nonsense'"),
        (
            {
                "rules": cc.rules.load("un-pro-rata").replace(missing_rates="explicit"),
                "parties": ["COK"],
            },
            cc.MissingRateError,
            "COK",
        ),
    ],
)
def test_monte_carlo_bad_input(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    args: dict[str, object] = {
        "total": "100.00",
        "parties": ["AUT", "BEL"],
        "observers": {"KEN": 0.5},
        "scale": "2022-2024",
        "runs": 10,
    }
    with pytest.raises(error, match=message):
        monte_carlo(**{**args, **kwargs})  # type: ignore[arg-type]


def test_sensitivity_bad_input() -> None:
    with pytest.raises(cc.InvalidInputError, match="AUT is the only payer, so it cannot leave"):
        sensitivity("100.00", ["AUT"], ["AUT"], scale=SCALE)
    with pytest.raises(cc.InvalidInputError, match="duplicate states"):
        sensitivity("100.00", ["AUT"], ["KEN", "Kenya"], scale=SCALE)
    with pytest.raises(cc.InvalidInputError, match="candidates must be a list"):
        sensitivity("100.00", ["AUT"], "KEN", scale=SCALE)
    with pytest.raises(cc.InvalidInputError, match="international organisation"):
        sensitivity("100.00", ["AUT"], ["European Union"], scale=SCALE)
    with pytest.raises(cc.InvalidInputError, match="no candidates given"):
        sensitivity("100.00", ["AUT"], [], scale=SCALE)
