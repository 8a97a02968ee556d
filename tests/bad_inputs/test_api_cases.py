"""Bad values given to the Python API: totals, states, scales, currencies, options, weights,
roles and context, scenarios and renderers; each a ``CcmCostsError`` naming the value and the
allowed ones."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from corpus import Case, check

import ccm_costs as cc

Invalid = cc.InvalidInputError
PARTIES = ["AUT", "BEL", "DEU"]


def apportion_case(id: str, error: type[Exception], says: tuple[str, ...], **given: Any) -> Case:
    """``apportion`` with good arguments and ``given`` changed."""
    arguments: dict[str, Any] = {"total": "1000.00", "states": PARTIES, "scale": "2022-2024"}
    arguments.update(given)
    total, states = arguments.pop("total"), arguments.pop("states")
    return Case(id, lambda d: cc.apportion(total, states, **arguments), error, says)


def case(id: str, call: Callable[[], object], error: type[Exception], *says: str) -> Case:
    return Case(id, lambda d: call(), error, says)


CASES = [
    # --------------------------------------------------------------------- totals
    apportion_case(
        "a total of 1e30",
        Invalid,
        ("'1e30'", "beyond the largest amount", "10,000,000,000,000.00 USD"),
        total="1e30",
    ),
    apportion_case("a credit beyond the limit", Invalid, ("'-1e14'", "beyond"), total="-1e14"),
    apportion_case("a float total of 1e300", Invalid, ("1e+300", "beyond"), total=1e300),
    apportion_case("an int total of 5,000 digits", Invalid, ("5,000 digits",), total=10**5000),
    apportion_case(
        "a total of 1e999999999", Invalid, ("'1e999999999'", "10^1000"), total="1e999999999"
    ),
    apportion_case("a total finer than a cent", Invalid, ("'1.005'", "finer"), total="1.005"),
    apportion_case(
        "a total with a thousands comma", Invalid, ("'1,000.00'", "comma"), total="1,000.00"
    ),
    apportion_case("a total that is text", Invalid, ("'lots'", "not a number"), total="lots"),
    apportion_case("a NaN total", Invalid, ("nan", "finite"), total=float("nan")),
    apportion_case("an infinite total", Invalid, ("Infinity", "finite"), total=Decimal("Infinity")),
    apportion_case("a total of True", Invalid, ("bool",), total=True),
    apportion_case("a total of None", Invalid, ("NoneType",), total=None),
    apportion_case("a total as a list", Invalid, ("list",), total=[1]),
    apportion_case(
        "whole units of a fractional total",
        Invalid,
        ("whole units",),
        total="1000.50",
        rules=cc.rules.load("un-pro-rata").replace(unit="major"),
    ),
    # --------------------------------------------------------------------- states
    apportion_case("states of None", Invalid, ("states must be a list", "None"), states=None),
    apportion_case("states as a number", Invalid, ("states must be a list", "5"), states=5),
    apportion_case(
        "one string of states", Invalid, ("single string 'AUT'", "['AUT']"), states="AUT"
    ),
    apportion_case("no states", Invalid, ("no states given",), states=[]),
    apportion_case("an unknown state", cc.UnknownStateError, ("'Narnia'",), states=["Narnia"]),
    apportion_case(
        "a misspelt state",
        cc.UnknownStateError,
        ("'Austira'", "Austria (AUT)"),
        states=["Austira", "BEL"],
    ),
    apportion_case(
        "a state twice", Invalid, ("'AUT' and 'Austria' are both AUT",), states=["AUT", "Austria"]
    ),
    apportion_case("a state that is a number", cc.UnknownStateError, ("42",), states=[42]),
    apportion_case(
        "the EU without a share",
        cc.MissingRateError,
        ("European Union (EUU)", "fixed share"),
        states=["AUT", "EU"],
    ),
    # ----------------------------------------------------------- scale, currency, rules
    apportion_case(
        "a period with no scale", cc.UnknownPeriodError, ("1800", "2022-2024"), scale=1800
    ),
    apportion_case("a scale that is nothing", cc.UnknownPeriodError, ("None",), scale=None),
    apportion_case("an unknown currency", Invalid, ("'XYZ'", "ISO 4217"), currency="XYZ"),
    apportion_case("gold as currency", Invalid, ("'XAU'", "no minor unit"), currency="XAU"),
    apportion_case("an unknown preset", cc.RuleSetError, ("no preset 'nope'",), rules="nope"),
    apportion_case(
        "a ceiling no shares can meet",
        cc.InfeasibleBoundsError,
        ("ceiling",),
        rules=cc.rules.load("un-pro-rata").replace(ceiling="10"),
    ),
    # -------------------------------------------------------------- roles and context
    apportion_case(
        "a role for a state that does not pay", Invalid, ("'KEN'",), roles={"KEN": "observer"}
    ),
    apportion_case("roles as a list", Invalid, ("roles must map states",), roles=["observer"]),
    apportion_case(
        "a role that is no text", Invalid, ("the role of 'AUT' is 1",), roles={"AUT": 1}
    ),
    apportion_case(
        "a role with an escape sequence",
        Invalid,
        ("the role of 'AUT'", "U+001B"),
        roles={"AUT": "party\x1b[8m"},
    ),
    apportion_case(
        "context with a bell",
        Invalid,
        ("the context 'meeting'", "U+0007"),
        context={"meeting": "12MSP\x07"},
    ),
    apportion_case("context as a list", Invalid, ("context must map labels",), context=["x"]),
    # ---------------------------------------------------------------------- options
    case(
        "an unknown rounding unit",
        lambda: cc.to_minor_units("1", unit="cents"),
        Invalid,
        "unit 'cents' is not one of 'minor', 'major'",
    ),
    case(
        "a currency of None",
        lambda: cc.to_minor_units("1", None),
        Invalid,  # type: ignore[arg-type]
        "unknown currency None",
    ),
    # ------------------------------------------------------------------- allocate
    case(
        "a NaN weight",
        lambda: cc.allocate(100, {"A": float("nan")}),
        Invalid,
        "the weight of 'A' is nan",
    ),
    case(
        "a text weight",
        lambda: cc.allocate(100, {"A": "1"}),
        Invalid,  # type: ignore[dict-item]
        "the weight of 'A' is the text '1'",
    ),
    case("a weight of True", lambda: cc.allocate(100, {"A": True}), Invalid, "bool"),
    case(
        "weights of None",
        lambda: cc.allocate(100, None),
        Invalid,  # type: ignore[arg-type]
        "weights must map keys to numbers",
    ),
    case(
        "weights as a list",
        lambda: cc.allocate(100, [1, 2]),
        Invalid,  # type: ignore[arg-type]
        "weights must map keys",
    ),
    case("a negative weight", lambda: cc.allocate(100, {"A": -1, "B": 2}), Invalid, "A"),
    case(
        "keys that cannot be ordered",
        lambda: cc.allocate(1, {1: 1, "a": 1}),
        Invalid,  # type: ignore[dict-item]
        "cannot be ordered",
    ),
    case(
        "a fractional total to allocate",
        lambda: cc.allocate(1.5, {"A": 1}),
        Invalid,  # type: ignore[arg-type]
        "1.5",
    ),
    case("all weights zero", lambda: cc.allocate(1, {"A": 0}), Invalid, "all weights are zero"),
    # ---------------------------------------------------------- the scenario engine
    case(
        "float weights for many",
        lambda: cc.apportion_many(100, np.array([[0.5, 0.5]])),
        Invalid,
        "float",
    ),
    case(
        "negative weights for many",
        lambda: cc.apportion_many(100, np.array([[-1, 2]])),
        Invalid,
        "negative",
    ),
    case(
        "totals of the wrong length",
        lambda: cc.apportion_many([1, 2, 3], np.array([[1, 2], [3, 4]])),
        Invalid,
        "3",
    ),
    case(
        "a probability of 1.5",
        lambda: cc.monte_carlo("1000.00", PARTIES, {"KEN": "1.5"}, scale="2022-2024", runs=10),
        Invalid,
        "'1.5'",
        "from 0 to 1",
    ),
    case(
        "a probability with a zero denominator",
        lambda: cc.monte_carlo("1000.00", PARTIES, {"KEN": "1/0"}, scale="2022-2024", runs=10),
        Invalid,
        "'1/0'",
        "'0.3' or '1/3'",
    ),
    case(
        "a probability that is text",
        lambda: cc.monte_carlo("1000.00", PARTIES, {"KEN": "half"}, scale="2022-2024", runs=10),
        Invalid,
        "'half'",
        "'0.3' or '1/3'",
    ),
    case(
        "two quantiles that would title one column",
        lambda: cc.monte_carlo(
            "1000.00",
            PARTIES,
            {"KEN": "0.5"},
            scale="2022-2024",
            runs=10,
            quantiles=("0.333333331", "0.333333332"),
        ),
        Invalid,
        "'0.333333331' and '0.333333332'",
        "'q33.3333'",
    ),
    case(
        "quantiles as one string",
        lambda: cc.monte_carlo(
            "1000.00", PARTIES, {"KEN": "0.5"}, scale="2022-2024", runs=10, quantiles="0.5"
        ),
        Invalid,
        "quantiles must be a list",
    ),
    case(
        "scenarios as a masked array",
        lambda: cc.apportion_scenarios(
            "100.00",
            PARTIES,
            np.ma.masked_array(np.ones((1, 3), bool), mask=[[0, 1, 0]]),
            scale="2022-2024",
        ),
        Invalid,
        "masked array",
        "present.filled(False)",
    ),
    case(
        "scenarios of different lengths",
        lambda: cc.apportion_scenarios(
            "100.00", PARTIES, [[True], [True, False, True]], scale="2022-2024"
        ),
        Invalid,
        "present cannot be a matrix",
        "3 entries",
    ),
    case(
        "scenarios as 0/1 ints",
        lambda: cc.apportion_scenarios("100.00", PARTIES, [[1, 0, 1]], scale="2022-2024"),
        Invalid,
        "int64",
        "present.astype(bool)",
    ),
    case(
        "a scenario with nobody present, under pro rata",
        lambda: cc.apportion_scenarios(
            "0", PARTIES, [[True, True, True], [False] * 3], scale="2022-2024"
        ),
        Invalid,
        "scenario 1 has no state present",
    ),
    case(
        "scenarios with nobody present, under a ceiling",
        lambda: cc.apportion_scenarios(
            "100.00",
            PARTIES,
            [[False] * 3, [True] * 3, [False] * 3],
            scale="2022-2024",
            rules="who",
        ),
        Invalid,
        "2 scenarios (0, 2) have no state present",
    ),
    case(
        "no runs",
        lambda: cc.monte_carlo("1000.00", PARTIES, {"KEN": "0.5"}, scale="2022-2024", runs=0),
        Invalid,
        "runs",
    ),
    case(
        "a Monte Carlo total beyond the limit",
        lambda: cc.monte_carlo("1e16", PARTIES, {"KEN": "0.5"}, scale="2022-2024", runs=1),
        Invalid,
        "beyond the largest amount",
    ),
    case(
        "no candidate for sensitivity",
        lambda: cc.sensitivity("1000.00", PARTIES, [], scale="2022-2024"),
        Invalid,
        "candidate",
    ),
    # --------------------------------------------------------------------- results
    case(
        "an unknown format",
        lambda: cc.render(cc.load_scale(2020), "xml"),
        Invalid,
        "format 'xml'",
        "table, csv, json",
    ),
    case(
        "something no renderer knows",
        lambda: cc.render(Fraction(1, 3)),
        Invalid,
        "cannot render Fraction",
    ),
    case(
        "a meeting before any state was bound",
        lambda: cc.assess(cc.Meeting(name="Early", dates=["2010-05-01"], total="1.00")),
        Invalid,
        "the CCM had no States Parties on 2010-05-01",
    ),
    case(
        "a date that is no date",
        lambda: cc.parties_on("2024-02-30"),
        Invalid,
        "'2024-02-30' is not a date",
    ),
    case(
        "an unknown convention",
        lambda: cc.get_convention("nope"),
        Invalid,
        "no convention 'nope'",
        "ccm",
    ),
    # ------------------------------------------------- arguments of the wrong kind
    case(
        "a meeting name given to assess",
        lambda: cc.assess("12MSP"),
        Invalid,
        "assess() takes a Meeting, not '12MSP'",
        "cc.get_meeting('12MSP')",
    ),
    case(
        "a period given as a list", lambda: cc.load_scale([2020]), cc.UnknownPeriodError, "[2020]"
    ),
    case(
        "ragged rows for many",
        lambda: cc.apportion_many(1, [[1, 2], [3]]),
        Invalid,
        "weights cannot be an array",
        "same length",
    ),
    case(
        "engine options that are text",
        lambda: cc.monte_carlo("1", PARTIES, {"KEN": 0.5}, scale=2020, runs=5, engine="x"),
        Invalid,
        "engine must be an EngineOptions",
    ),
    case(
        "TOML of something that is no rule set",
        lambda: cc.rules.to_toml("who"),
        cc.RuleSetError,
        "'who' is not a RuleSet",
    ),
    case(
        "a scale from something that is no DataFrame",
        lambda: cc.scale_from_frame("x"),
        Invalid,
        "takes a pandas DataFrame, not 'x'",
    ),
    case(
        "a scale file of None", lambda: cc.scale_from_csv(None), Invalid, "must be a path", "None"
    ),
    case(
        "a UN workbook of None", lambda: cc.read_un_workbook(None, 2020), Invalid, "must be a path"
    ),
    case(
        "a meetings file of 5",
        lambda: cc.load_meetings(5),
        Invalid,
        "the meetings file must be a path",
        "5",
    ),
    case(
        "a workbook to check of None",
        lambda: cc.check_workbook(None),
        Invalid,
        "the workbook must be a path",
    ),
    case(
        "an expected assessment that is text",
        lambda: cc.check_workbook("x.xlsx", "x"),
        Invalid,
        "expected must be an Assessment",
    ),
    case(
        "a workbook written to None",
        lambda: cc.write_workbook(None, cc.apportion("1", ["AUT"], scale=2020)),
        Invalid,
        "the workbook to write must be a path",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_api_value(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check(case, tmp_path, monkeypatch)
