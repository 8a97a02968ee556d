"""apportion(): real scales, exact shares and amounts, golden cases and every bad input."""

from __future__ import annotations

import datetime as dt
import random
import re
from decimal import Decimal
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import CODES_2019, SCALE_2019, money_strings, participants

import ccm_costs as cc

BASE = cc.rules.load("un-pro-rata")


def rules(**changes: object) -> cc.RuleSet:
    """The default rule set with some changes."""
    return BASE.replace(**changes)


def exact_minor(a: cc.Assessment, iso3: str) -> Fraction:
    return a[iso3].share * a.total_minor


# ----------------------------------------------------------------------------- golden cases


def test_hand_checked_three_states() -> None:
    # 550,000.00 over Austria 0.677, Belgium 0.821 and the Cook Islands 0.001 (given): 1.499.
    # Exact: AUT 248,398.9326.., BEL 301,234.1561.., COK 366.9112..; floors leave one cent,
    # which goes to the largest remainder (BEL, .61 of a cent).
    a = cc.apportion(
        "550000.00",
        ["AUT", "Belgium", "COK"],
        scale="2019-2021",
        rules=rules(rates={"COK": "0.001"}),
    )
    assert [(line.iso3, line.amount) for line in a] == [
        ("AUT", Decimal("248398.93")),
        ("BEL", Decimal("301234.16")),
        ("COK", Decimal("366.91")),
    ]
    assert [line.share for line in a] == [
        Fraction(677, 1499),
        Fraction(821, 1499),
        Fraction(1, 1499),
    ]
    assert [line.rate for line in a] == [Decimal("45.163"), Decimal("54.770"), Decimal("0.067")]
    assert a["COK"].rate_source == "given rate: given by the caller"
    assert a["AUT"].rate_source == "UN scale 2019-2021 (A/RES/73/271)"
    assert a.total == Decimal("550000.00")


def test_hand_checked_ceiling_case() -> None:
    # 2019-2021: USA 22.000, France 4.427, Germany 6.090; ceiling 50 %: the USA is fixed at
    # 50 % and France and Germany share the other half 4427:6090.
    a = cc.apportion("1000.00", ["USA", "FRA", "DEU"], scale=2020, rules=rules(ceiling="50"))
    assert a["USA"].share == Fraction(1, 2)
    assert a["USA"].bound == "ceiling"
    assert a["FRA"].share == Fraction(4427, 2 * 10517)
    assert a["USA"].steps["pro_rata"] == Fraction(22000, 32517)
    assert a["USA"].amount == Decimal("500.00")
    assert a["FRA"].amount + a["DEU"].amount == Decimal("500.00")
    assert a["FRA"].amount == Decimal("210.47")  # 500 * 4427 / 10517 = 210.469...


def test_notional_rate_is_used_only_when_asked_and_says_so() -> None:
    explicit = rules(missing_rates="explicit")
    with pytest.raises(cc.MissingRateError, match="GA notional rates exist for VAT") as caught:
        cc.apportion("100.00", ["AUT", "Holy See"], scale="2022-2024", rules=explicit)
    assert caught.value.states == ("VAT",)
    assert isinstance(caught.value, KeyError)
    notional = rules(missing_rates="notional_only")
    a = cc.apportion("100.00", ["AUT", "Holy See", "PSE"], scale=2023, rules=notional)
    assert a["PSE"].un_rate == Decimal("0.011")
    assert "notional" in a["PSE"].rate_source
    assert "A/RES/76/238" in a["PSE"].rate_source


def test_extra_rate_wins_over_notional_rate() -> None:
    given = rules(missing_rates="notional_only", rates={"VAT": "0.002"})
    a = cc.apportion("100.00", ["AUT", "VAT"], scale=2020, rules=given)
    assert a["VAT"].un_rate == Decimal("0.002")
    assert a["VAT"].rate_source == "given rate: given by the caller"


def test_frame_columns_and_types() -> None:
    a = cc.apportion("550000.00", ["AUT", "BEL"], scale=2020, rules=rules(ceiling="60"))
    frame = a.to_frame()
    assert list(frame.columns) == [
        "iso3",
        "state",
        "un_rate",
        "rate_source",
        "Pro-rata share of the UN scale 2019-2021",
        "After ceiling, floor and pinned shares",
        "share",
        "bound",
        "rate",
        "amount",
        "amount_minor",
    ]
    assert isinstance(frame["share"][0], Fraction)
    assert isinstance(frame["rate"][0], Decimal)
    assert isinstance(frame["amount"][0], Decimal)
    assert frame["amount_minor"].sum() == 55_000_000
    assert frame.attrs["provenance"]["resolution"] == "A/RES/73/271"
    assert "tie rule" in frame.attrs["provenance"]


def test_roles_and_context_show_in_the_table_and_provenance() -> None:
    a = cc.apportion(
        "10.00",
        ["AUT", "KEN"],
        scale=2024,
        roles={"Kenya": "observer", "AUT": "State Party"},
        context={"meeting": "12MSP"},
    )
    frame = a.to_frame()
    assert list(frame["role"]) == ["State Party", "observer"]
    assert next(iter(a.provenance().items())) == ("meeting", "12MSP")
    with pytest.raises(cc.InvalidInputError, match="not among the states"):
        cc.apportion("10.00", ["AUT"], scale=2024, roles={"KEN": "observer"})


def test_html_table_for_notebooks() -> None:
    html = cc.apportion("10.00", ["AUT", "BEL"], scale=2020)._repr_html_()
    assert "<table>" in html and "Austria" in html and "10.00" in html
    assert "UN scale 2019-2021 (%)" in html and "A/RES/73/271" in html
    assert html_rows(html)[0] == [
        "State",
        "ISO3",
        "UN scale 2019-2021 (%)",
        "Adjusted rate (%)",
        "Amount (USD)",
        "Bound",
    ]  # fmt: skip  (no role given: no role column)


class _Cells(HTMLParser):
    """The text of each cell of each table row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def html_rows(html: str) -> list[list[str]]:
    parser = _Cells()
    parser.feed(html)
    return parser.rows


def test_html_table_shows_roles_as_the_terminal_table_does() -> None:
    meeting = cc.Meeting(name="t", dates=[dt.date(2024, 9, 10)], observers=["Kenya"])
    a = cc.assess(meeting, total="500000.00")
    rows = html_rows(a._repr_html_())
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:4] == ["State", "ISO3", "Role", "UN scale 2022-2024 (%)"]
    assert all(len(row) == len(header) for row in rows)
    roles = {row[1]: row[2] for row in body}
    assert roles["KEN"] == "observer" and roles["AUT"] == "State Party"
    assert {row[1]: row[2] for row in body} == {line.iso3: line.role for line in a}
    assert total[0] == "Total" and total[2] == "" and total[5] == "500,000.00"
    # the same columns as the terminal table, in the same order
    terminal = cc.render(a).splitlines()
    assert "Role" in terminal[0] and terminal[0].index("ISO3") < terminal[0].index("Role")


def test_lines_are_found_by_name_or_code_and_unknown_ones_say_so() -> None:
    a = cc.apportion("10.00", ["AUT", "BEL"], scale=2020)
    assert a["Austria"] is a["aut"]
    with pytest.raises(cc.UnknownStateError, match="not among the states assessed"):
        a["France"]


def test_whole_currency_units_and_other_currencies() -> None:
    a = cc.apportion("1000", ["AUT", "BEL", "FRA"], scale=2020, rules=rules(unit="major"))
    assert all(line.amount_minor % 100 == 0 for line in a)
    assert sum(line.amount_minor for line in a) == 100_000
    yen = cc.apportion("1001", ["AUT", "BEL"], scale=2020, currency="jpy")
    assert yen.currency == "JPY"
    assert sum(line.amount_minor for line in yen) == 1001
    assert str(yen["AUT"].amount) == str(int(yen["AUT"].amount))  # no decimals for JPY


# ----------------------------------------------------------------------------- properties


@given(money_strings, participants())
def test_amounts_sum_to_the_total_each_within_one_cent(total: str, codes: list[str]) -> None:
    a = cc.apportion(total, codes, scale=SCALE_2019)
    assert sum(line.amount_minor for line in a) == a.total_minor
    assert sum(line.share for line in a) == 1
    for line in a:
        assert abs(line.amount_minor - exact_minor(a, line.iso3)) < 1


@given(money_strings, participants(), st.randoms())
def test_input_order_does_not_change_any_amount(
    total: str, codes: list[str], rnd: random.Random
) -> None:
    shuffled = codes[:]
    rnd.shuffle(shuffled)
    first = cc.apportion(total, codes, scale=SCALE_2019)
    second = cc.apportion(total, shuffled, scale=SCALE_2019)
    assert first.lines == second.lines


@given(money_strings, participants(min_size=2))
def test_equal_rates_get_amounts_at_most_one_cent_apart(total: str, codes: list[str]) -> None:
    a = cc.apportion(total, codes, scale=SCALE_2019)
    by_rate: dict[Decimal, list[int]] = {}
    for line in a:
        by_rate.setdefault(line.un_rate, []).append(line.amount_minor)
    for amounts in by_rate.values():
        assert max(amounts) - min(amounts) <= 1


@given(money_strings, participants(max_size=40), st.sampled_from(CODES_2019))
def test_adding_a_state_never_raises_another_share(total: str, codes: list[str], new: str) -> None:
    if new in codes:
        return
    before = cc.apportion(total, codes, scale=SCALE_2019)
    after = cc.apportion(total, [*codes, new], scale=SCALE_2019)
    for line in before:
        assert after[line.iso3].share < line.share
        assert after[line.iso3].amount_minor <= line.amount_minor + 1


@given(money_strings, participants(), st.integers(min_value=2, max_value=1000))
def test_scaling_the_total_scales_the_exact_amounts(total: str, codes: list[str], k: int) -> None:
    base = cc.apportion(total, codes, scale=SCALE_2019)
    scaled = cc.apportion(Decimal(total) * k, codes, scale=SCALE_2019)
    assert scaled.total_minor == k * base.total_minor
    for line in base:
        assert scaled[line.iso3].share == line.share
        assert abs(scaled[line.iso3].amount_minor - k * exact_minor(base, line.iso3)) < 1


@given(money_strings, participants())
def test_credits_mirror_charges(total: str, codes: list[str]) -> None:
    charge = cc.apportion(total, codes, scale=SCALE_2019)
    credit = cc.apportion(f"-{total}", codes, scale=SCALE_2019)
    assert [line.amount_minor for line in credit] == [-line.amount_minor for line in charge]
    assert [line.share for line in credit] == [line.share for line in charge]


@settings(max_examples=50)
@given(participants(min_size=2), st.integers(min_value=0, max_value=6))
def test_published_rates_under_both_policies(codes: list[str], decimals: int) -> None:
    exact = cc.apportion("1.00", codes, scale=SCALE_2019, rules=rules(decimals=decimals))
    half_unit = Fraction(1, 2 * 10**decimals)
    for line in exact:
        assert abs(Fraction(line.rate) - line.share * 100) <= half_unit
        assert line.rate.as_tuple().exponent == -decimals
    balanced = cc.apportion(
        "1.00",
        codes,
        scale=SCALE_2019,
        rules=rules(decimals=decimals, rounding="largest_remainder"),
    )
    assert balanced.rate_total == 100
    for line in balanced:
        assert abs(Fraction(line.rate) - line.share * 100) < 2 * half_unit


@given(money_strings, participants(min_size=2))
def test_amounts_from_published_rates_follow_the_rates(total: str, codes: list[str]) -> None:
    a = cc.apportion(total, codes, scale=SCALE_2019, rules=rules(amounts_from="published_rates"))
    assert sum(line.amount_minor for line in a) == a.total_minor
    rate_sum = sum(Fraction(line.rate) for line in a)
    for line in a:
        exact = a.total_minor * Fraction(line.rate) / rate_sum
        assert abs(line.amount_minor - exact) < 1


# ------------------------------------------------------------------------------ bad input


@pytest.mark.parametrize(
    ("total", "message"),
    [
        ("nan", "NaN"),
        (float("nan"), "finite"),
        (float("inf"), "finite"),
        ("Infinity", "finite"),
        ("abc", "not a number"),
        ("550,000.00", "comma"),
        ("1.001", "finer than the rounding unit of USD"),
        (None, "must be a number"),
        (True, "must be a number"),
    ],
)
def test_bad_totals_are_refused(total: object, message: str) -> None:
    with pytest.raises(cc.InvalidInputError, match=message) as caught:
        cc.apportion(total, ["AUT", "BEL"], scale=2020)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)


def test_negative_total_where_not_allowed() -> None:
    with pytest.raises(cc.InvalidInputError, match="negative"):
        cc.to_minor_units("-5.00", allow_negative=False)
    assert cc.to_minor_units("-5.00") == -500
    assert cc.to_minor_units(0.1) == 10


@pytest.mark.parametrize(
    ("states", "error", "message"),
    [
        ([], cc.InvalidInputError, "no states given"),
        ("AUT", cc.InvalidInputError, "single string"),
        (["AUT", "Austria"], cc.InvalidInputError, "'AUT' and 'Austria' are both AUT"),
        (["AUT", "Austira"], cc.UnknownStateError, "did you mean 'Austria (AUT)'"),
        (["AUT", "Foo", "Bar"], cc.UnknownStateError, "'Bar'"),
    ],
)
def test_bad_state_lists_are_refused(states: object, error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        cc.apportion("10.00", states, scale=2020)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"rates": {"COK": "-0.001"}}, cc.InvalidInputError, "negative"),
        ({"rates": {"COK": "x"}}, cc.InvalidInputError, "not a number"),
        ({"rates": {"COK": "0.0005"}}, cc.InvalidInputError, "multiple of 0.001"),
        ({"ceiling": "30"}, cc.InfeasibleBoundsError, "lets the 3 states carry at most 90 %"),
        (
            {"floor": "50"},
            cc.InfeasibleBoundsError,
            "for 3 states needs 150 %, but only 100 % is shared",
        ),
        (
            {"ceiling": "20", "pinned": {"AUT": "50"}},
            cc.InfeasibleBoundsError,
            "lets the 2 states not pinned carry at most 40 %, but 50 % must",
        ),
        ({"ceiling": "101"}, cc.InvalidInputError, "0 to 100"),
        ({"decimals": 13}, cc.InvalidInputError, "0 to 12"),
        ({"rounding": "bankers"}, ValueError, "bankers"),
        ({"group_ceilings": ["LDC"]}, cc.InvalidInputError, "is not a table"),
    ],
)
def test_bad_options_are_refused(changes: dict[str, object], error: type, message: str) -> None:
    with pytest.raises(error, match=re.escape(message)):
        given = rules(**{"rates": {"COK": "0.001"}, **changes})
        cc.apportion("10.00", ["AUT", "BEL", "COK"], scale=2020, rules=given)


@pytest.mark.parametrize(("currency", "message"), [("XAU", "minor unit"), ("QQQ", "ISO 4217")])
def test_bad_currencies_are_refused(currency: str, message: str) -> None:
    with pytest.raises(cc.InvalidInputError, match=re.escape(message)):
        cc.apportion("10.00", ["AUT", "BEL"], scale=2020, currency=currency)


def test_rules_for_states_that_do_not_pay_or_have_a_rate_are_reported_not_dropped() -> None:
    # A rule set is reusable: a rate or pin for a state that is not a payer, or a rate for a
    # state the scale rates, does not apply here, and the provenance says so.
    given = rules(
        rates={"COK": "0.001", "NIU": "0.001", "AUT": "1"}, pinned={"FRA": "1"}, fixed={"EUU": "2"}
    )
    a = cc.apportion("10.00", ["AUT", "BEL", "COK"], scale=2020, rules=given)
    notes = a.provenance()["rules"]
    assert "rates given for AUT not used: the UN scale 2019-2021 has theirs" in notes
    assert "rates given for NIU not used: not among the payers" in notes
    assert "fixed shares given for EUU not used: not among the payers" in notes
    assert "not applied to FRA (not among the payers that share the cost)" in notes
    assert a["AUT"].un_rate == Decimal("0.677")


def test_a_state_the_scale_lacks_gets_the_floor_by_default_and_an_error_when_asked() -> None:
    a = cc.apportion("10.00", ["AUT", "NIU"], scale=2020)
    assert a["NIU"].un_rate == Decimal("0.001")
    assert "the floor of the UN scale" in a["NIU"].rate_source
    with pytest.raises(cc.MissingRateError, match="NIU"):
        cc.apportion("10.00", ["AUT", "NIU"], scale=2020, rules=rules(missing_rates="explicit"))


def test_all_zero_rates_are_refused() -> None:
    with pytest.raises(cc.InvalidInputError, match="zero rate"):
        given = rules(rates={"COK": "0", "NIU": "0"})
        cc.apportion("10.00", ["COK", "NIU"], scale=2020, rules=given)


def test_whole_units_refuse_cents() -> None:
    with pytest.raises(cc.InvalidInputError, match="whole units"):
        cc.apportion("10.50", ["AUT"], scale=2020, rules=rules(unit="major"))


def test_group_ceiling_from_names() -> None:
    group = {"FEW": {"states": ["Afghanistan", "Burundi", "Nepal"]}}
    capped = rules(groups=group, group_ceilings={"FEW": "0.010"})
    assert capped.groups["FEW"] == frozenset({"AFG", "BDI", "NPL"})
    a = cc.apportion("1000.00", ["AFG", "AUT", "FRA"], scale=2020, rules=capped)
    assert a["AFG"].share == Fraction(1, 10_000)
    assert a["AFG"].bound == "group ceiling (FEW)"
    with pytest.raises(cc.InvalidInputError, match="as a list"):
        rules(groups={"FEW": {"states": "Afghanistan"}})


def test_numpy_floats_read_as_the_decimal_they_print() -> None:
    np = pytest.importorskip("numpy")
    assert cc.to_minor_units(np.float64(0.1)) == 10
    given = rules(rates={"COK": np.float64(0.001)})
    a = cc.apportion(np.float64(100.5), ["AUT", "COK"], scale=2020, rules=given)
    assert a["COK"].un_rate == Decimal("0.001")
    assert a.total_minor == 10050


@given(
    money_strings,
    st.booleans(),
    participants(),
    st.sampled_from(["minor", "major"]),
    st.sampled_from(["exact_shares", "published_rates"]),
)
def test_the_largest_remainder_rule_gives_one_more_unit_to_exactly_the_leftover(
    total: str, credit: bool, codes: list[str], unit: str, basis: str
) -> None:
    # what a notice says of each state: its exact amount, rounded down, plus one unit if the
    # rule gave it one; the states given one are as many as the units left over
    money = Decimal(total).quantize(Decimal(1)) if unit == "major" else Decimal(total)
    try:
        a = cc.apportion(-money if credit else money, codes, scale=SCALE_2019,
                         rules=rules(unit=unit, amounts_from=basis))  # fmt: skip
    except cc.InvalidInputError:  # every published rate zero: no amounts from them
        return
    step = a.rounding_step
    assert step == (100 if unit == "major" else 1)
    sign = -1 if a.total_minor < 0 else 1
    floors = {}
    for line in a:
        exact = abs(a.exact_amounts[line.iso3]) / step
        floors[line.iso3] = exact.numerator // exact.denominator
        assert abs(line.amount_minor) == (floors[line.iso3] + a.rounded_up(line.iso3)) * step
        if basis == "exact_shares":
            assert a.exact_amounts[line.iso3] == line.share * a.total_minor
    assert sum(a.exact_amounts.values()) == a.total_minor
    leftover = abs(a.total_minor) // step - sum(floors.values())
    assert sum(a.rounded_up(code) for code in floors) == leftover
    assert sign * sum(abs(line.amount_minor) for line in a) == a.total_minor
