"""Meetings: the model and its files, who pays under Article 14(1) and 14(2), and at what rate."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm_costs as cc

NOT_STATES = cc.get_convention("ccm").not_charged.names

D = dt.date.fromisoformat
SHIPPED = cc.load_meetings()


def non_parties(meeting: cc.Meeting) -> list[str]:
    """UN members (all with a rate of at least 0.001) that are not bound on the meeting's day."""
    scale = cc.load_scale(meeting.scale_basis)
    return sorted(set(scale.units) - cc.parties_on(meeting.membership_day))


CANDIDATES = {name: non_parties(m) for name, m in SHIPPED.items()}
totals = st.integers(min_value=0, max_value=10**11).map(lambda c: f"{c // 100}.{c % 100:02d}")


@st.composite
def meetings_with_observers(draw: st.DrawFn, max_observers: int = 6) -> cc.Meeting:
    """A shipped meeting with a total and some States not party participating."""
    meeting = draw(st.sampled_from(list(SHIPPED.values())))
    observers = draw(
        st.lists(st.sampled_from(CANDIDATES[meeting.name]), unique=True, max_size=max_observers)
    )
    return meeting.replace(observers=observers, total=draw(totals))


def write(tmp_path: Path, text: str, name: str = "meetings.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------- the contract


def test_contract_example() -> None:
    m = cc.Meeting(
        name="12MSP",
        dates=[dt.date(2024, 9, 10)],
        cost_type="meeting",
        total="500000.00",
        observers=["Angola", "Kenya"],
    )
    a = cc.assess(m)
    assert isinstance(a, cc.Assessment)
    frame = a.to_frame()
    assert "role" in frame.columns
    roles = dict(zip(frame["iso3"], frame["role"], strict=True))
    assert len(roles) == 114
    assert roles["AGO"] == roles["KEN"] == "observer"
    assert {r for c, r in roles.items() if c not in {"AGO", "KEN"}} == {"State Party"}
    assert set(roles) - {"AGO", "KEN"} == cc.parties_on(dt.date(2024, 9, 10))
    assert sum(line.amount for line in a) == Decimal("500000.00")
    assert a.scale_period == "2022-2024"
    provenance = list(a.provenance().items())
    assert [k for k, _ in provenance[:7]] == [
        "meeting",
        "dates",
        "cost type",
        "article",
        "participants",
        "scale period",
        "non-member rates",
    ]
    context = dict(provenance)
    assert context["article"].startswith("Article 14(1)")
    assert "112 States Parties bound on 2024-09-10" in context["participants"]
    assert "2 States not party participating as observers (AGO, KEN)" in context["participants"]


def test_non_member_parties_default_policy_is_visible() -> None:
    a = cc.assess(SHIPPED["12MSP"], total="500000.00")
    assert a["VAT"].un_rate == Decimal("0.001")
    assert a["PSE"].un_rate == Decimal("0.011")
    assert "GA notional rate" in a["PSE"].rate_source
    assert "A/RES/76/238" in a["VAT"].rate_source
    for code in ("COK", "NIU"):
        assert a[code].un_rate == Decimal("0.001")
        assert "no UN or GA notional rate: the floor of the UN scale, 0.001 %" in (
            a[code].rate_source
        )
        assert "'notional_then_floor'" in a[code].rate_source
    summary = a.provenance()["non-member rates"]
    assert summary == (
        "policy 'notional_then_floor'; GA notional rates for PSE, VAT; "
        "the UN scale floor 0.001 % for COK, NIU"
    )


def rules(**changes: object) -> cc.RuleSet:
    """The CCM's default rule set with some changes."""
    return cc.rules.load("un-pro-rata").replace(**changes)


def test_notional_only_policy_needs_rates_for_cook_islands_and_niue() -> None:
    m = SHIPPED["12MSP"].replace(rules=rules(missing_rates="notional_only"), total="1000.00")
    with pytest.raises(cc.MissingRateError, match="policy 'notional_only'") as err:
        cc.assess(m)
    assert err.value.states == ("COK", "NIU")
    given = rules(missing_rates="notional_only", rates={"Cook Islands": "0.002", "NIU": "0.001"})
    a = cc.assess(m.replace(rules=given))
    assert a["COK"].un_rate == Decimal("0.002")
    assert a["COK"].rate_source == "given rate: given by the caller"
    assert "GA notional rate" in a["PSE"].rate_source


def test_explicit_policy_assumes_no_rate() -> None:
    m = SHIPPED["12MSP"].replace(rules=rules(missing_rates="explicit"), total="1000.00")
    with pytest.raises(cc.MissingRateError) as err:
        cc.assess(m)
    assert err.value.states == ("COK", "NIU", "PSE", "VAT")
    rates = {"COK": "0.001", "NIU": "0.001", "PSE": "0.005", "VAT": "0.001"}
    a = cc.assess(m.replace(rules=rules(missing_rates="explicit", rates=rates)))
    assert a["PSE"].un_rate == Decimal("0.005")
    assert {a[c].rate_source for c in rates} == {"given rate: given by the caller"}


def test_given_rates_win_over_the_notional_rate() -> None:
    m = SHIPPED["12MSP"].replace(rules=rules(rates={"Palestine": "0.020"}))
    a = cc.assess(m, total="1000")
    assert a["PSE"].un_rate == Decimal("0.020")
    assert a["PSE"].rate_source == "given rate: given by the caller"


def test_a_rate_for_a_state_in_the_scale_or_not_paying_is_reported() -> None:
    m = SHIPPED["12MSP"].replace(rules=rules(rates={"Austria": "0.5"}))
    a = cc.assess(m, total="1000")
    assert (
        "rates given for AUT not used: the UN scale 2022-2024 has theirs"
        in (a.provenance()["non-member rates"])
    )
    assert a["AUT"].un_rate == Decimal("0.679")
    m = SHIPPED["9MSP"].replace(rules=rules(rates={"Niue": "0.001"}))  # Niue acceded in 2020
    a = cc.assess(m, total="1000")
    assert "rates given for NIU not used: not among the payers" in a.provenance()["rules"]


def test_apportion_records_why_a_supplied_rate_was_used() -> None:
    given = rules(rates={"COK": ("0.001", "the WHO rate")})
    a = cc.apportion("100.00", ["AUT", "COK"], scale="2019-2021", rules=given)
    assert a["COK"].rate_source == "given rate: the WHO rate"
    assert a["AUT"].rate_source == "UN scale 2019-2021 (A/RES/73/271)"
    with pytest.raises(cc.RuleSetError, match=r"field 'basis.rates.COK.source': say where"):
        cc.RuleSet.from_dict({"basis": {"rates": {"COK": {"rate": "0.001"}}}})


# ------------------------------------------------------------------------- Article 14(2)


@settings(max_examples=40, deadline=None)
@given(meetings_with_observers())
def test_secretariat_costs_never_charge_an_observer(meeting: cc.Meeting) -> None:
    a = cc.assess(meeting.replace(cost_type="secretariat"))
    charged = {line.iso3 for line in a}
    assert charged == cc.parties_on(meeting.membership_day)
    assert not charged & set(meeting.observers)
    assert {line.role for line in a} == {"State Party"}
    assert a.provenance()["article"].startswith("Article 14(2)")
    if meeting.observers:
        assert "are not charged" in a.provenance()["participants"]
    assert sum(line.amount_minor for line in a) == a.total_minor


def test_secretariat_costs_ignore_rates_given_for_observers() -> None:
    m = SHIPPED["11MSP"].replace(
        cost_type="secretariat", observers=["South Sudan", "Kenya"], total="1000.00"
    )
    a = cc.assess(m)
    assert "SSD" not in {line.iso3 for line in a}
    assert len(a) == 111


# ------------------------------------------------------------------- adding an observer


@settings(max_examples=40, deadline=None)
@given(data=st.data(), meeting=meetings_with_observers())
def test_adding_an_observer_lowers_every_share(data: st.DataObject, meeting: cc.Meeting) -> None:
    others = [c for c in CANDIDATES[meeting.name] if c not in meeting.observers]
    newcomer = data.draw(st.sampled_from(others))
    before = cc.assess(meeting)
    after = cc.assess(meeting.replace(observers=[*meeting.observers, newcomer]))
    assert len(after) == len(before) + 1
    assert after[newcomer].role == "observer"
    for line in before:
        assert after[line.iso3].share < line.share
        assert after[line.iso3].amount_minor <= line.amount_minor + 1


def test_an_observer_that_is_a_state_party_is_reported() -> None:
    with pytest.raises(cc.MeetingError) as err:
        cc.Meeting(name="12MSP", dates=["2024-09-10"], observers=["Kenya", "Austria"])
    assert str(err.value) == (
        "meeting '12MSP': field 'observers': Austria (AUT) is a State Party on 2024-09-10, the "
        "membership date; States Parties pay as parties, so list only States not party as "
        "observers"
    )
    assert isinstance(err.value, cc.InvalidInputError)
    assert isinstance(err.value, ValueError)
    # Lithuania: a State Party on its last day, a State not party the day after.
    with pytest.raises(cc.MeetingError, match="Lithuania"):
        cc.Meeting(name="X", dates=["2025-03-05"], observers=["Lithuania"])
    m = cc.Meeting(name="X", dates=["2025-03-06"], observers=["Lithuania"], total="100.00")
    assert cc.assess(m)["LTU"].role == "observer"


def test_states_not_yet_bound_participate_as_observers() -> None:
    m = SHIPPED["11MSP"].replace(observers=["South Sudan"], total="1000.00")
    a = cc.assess(m)
    assert a["SSD"].role == "observer"
    assert len(a) == 112


@pytest.mark.parametrize(
    "name",
    [
        "European Union",
        "EU",
        "ICRC",
        "International Committee of the Red Cross",
        "UNDP",
        "UNICEF",
        "Cluster Munition Coalition",
        "CMC",
        "GICHD",
        "United Nations",
        "United Nations Office for Disarmament Affairs",
        "some NGO",
    ],
)
def test_organisations_are_never_charged(name: str) -> None:
    with pytest.raises(cc.MeetingError) as err:
        cc.Meeting(name="12MSP", dates=["2024-09-10"], observers=["Kenya", name])
    assert f"{name!r} is an international organisation / NGO; only states are charged" in str(
        err.value
    )
    assert "field 'observers'" in str(err.value)


def test_no_organisation_name_shadows_a_state() -> None:
    # The European Union is a non-state party of other treaties (key EUU); the CCM still
    # refuses it as an observer (test_organisations_are_refused). No other name resolves.
    european_union = {"european union", "eu"}
    for key in NOT_STATES - european_union:
        with pytest.raises(cc.UnknownStateError):
            cc.resolve_state(key)
    assert {cc.resolve_state(name) for name in european_union} == {"EUU"}


# ------------------------------------------------------------------------ dates and scale


def test_shipped_meetings() -> None:
    assert list(SHIPPED) == ["9MSP", "2RC", "10MSP", "11MSP", "12MSP", "13MSP", "3RC"]
    assert all(m.total is None and m.observers == () for m in SHIPPED.values())
    assert all(m.cost_type == "meeting" and m.sources for m in SHIPPED.values())
    rc = SHIPPED["2RC"]
    assert [(p.start, p.end) for p in rc.dates] == [
        (D("2020-11-25"), D("2020-11-27")),
        (D("2021-09-20"), D("2021-09-21")),
    ]
    assert rc.dates[1].place == "Geneva"
    expected = {"9MSP": 106, "2RC": 108, "10MSP": 110, "11MSP": 111, "12MSP": 112,
                "13MSP": 111, "3RC": 112}  # fmt: skip
    periods = {"9MSP": "2019-2021", "2RC": "2019-2021", "10MSP": "2022-2024",
               "13MSP": "2025-2027", "3RC": "2025-2027"}  # fmt: skip
    for name, m in SHIPPED.items():
        a = cc.assess(m, total="100000.00")
        assert len(a) == expected[name]
        assert a.scale_period == periods.get(name, "2022-2024")
    assert cc.get_meeting("12MSP") == SHIPPED["12MSP"]


def test_a_meeting_without_a_total_asks_for_one() -> None:
    with pytest.raises(cc.InvalidInputError, match="meeting '9MSP' has no total"):
        cc.assess(SHIPPED["9MSP"])


def test_membership_and_scale_date_rules_for_the_second_review_conference() -> None:
    rc = SHIPPED["2RC"]
    first = cc.assess(rc, total="1000.00")
    assert (
        "108 States Parties bound on 2020-11-25 (the first day of the first part)"
        in (first.provenance()["participants"])
    )
    assert first.provenance()["scale period"] == (
        "2020-11-25, the first day of the first part: UN scale 2019-2021"
    )
    second = cc.assess(rc.replace(membership_date="2021-09-20"), total="1000.00")
    assert len(second) == 110
    assert {"NIU", "LCA"} <= {line.iso3 for line in second} - {line.iso3 for line in first}
    assert "(membership_date set in the meeting)" in second.provenance()["participants"]
    later = cc.assess(rc.replace(scale_period="2022-2024"), total="1000.00")
    assert later.scale_period == "2022-2024"
    assert later.provenance()["scale period"] == (
        "scale_period set in the meeting (2022-2024): 2022-2024"
    )
    by_year = rc.replace(scale_period=2021)
    assert by_year.scale_period == "2021"
    assert cc.assess(by_year, total="1").scale_period == "2019-2021"
    by_date = rc.replace(scale_period=dt.date(2022, 1, 1))
    assert cc.assess(by_date, total="1").scale_period == "2022-2024"
    own = cc.assess(rc, total="1", scale=cc.load_scale("2016-2018"))
    assert own.provenance()["scale period"] == "scale given to assess(): 2016-2018"


def test_a_meeting_outside_the_shipped_scales_loads_but_needs_a_scale() -> None:
    m = cc.Meeting(name="20MSP", dates=["2032-09-01"], total="1.00")
    with pytest.raises(cc.UnknownPeriodError):
        cc.assess(m)
    assert len(cc.assess(m, scale="2025-2027")) == 112


def test_totals_are_exact_and_checked() -> None:
    m = cc.Meeting(name="X", dates=["2024-09-10"], total=Decimal("9876543210987.65"))
    assert m.total == Decimal("9876543210987.65")
    assert cc.assess(m).total_minor == 987654321098765
    assert cc.assess(m, total=5).total == Decimal("5.00")
    with pytest.raises(cc.InvalidInputError, match="negative"):
        cc.assess(m, total="-1.00")
    with pytest.raises(cc.InvalidInputError, match="finer than the rounding unit"):
        cc.assess(m, total="1.005")
    whole = cc.Meeting(
        name="X", dates=["2024-09-10"], total="100", rules=rules(unit="major"), currency="chf"
    )
    assert whole.currency == "CHF"
    assert all(line.amount_minor % 100 == 0 for line in cc.assess(whole))


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"dates": ["2024-13-01"]}, "dates[0].start", "'2024-13-01' is not a date"),
        ({"dates": [dt.datetime(2024, 9, 10, 9)]}, "dates[0].start", "has a time of day"),
        ({"dates": ["2024-09-12/2024-09-10"]}, "dates[0]", "ends on 2024-09-10, before it"),
        ({"dates": ["2024-09-10", "2024-09-01"]}, "dates", "give the parts in date order"),
        ({"dates": []}, "dates", "give at least one part"),
        ({"total": "-5"}, "total", "the total '-5' is negative"),
        ({"total": "1e3.5"}, "total", "is not a number"),
        ({"currency": "ABC"}, "currency", "unknown currency 'ABC'"),
        ({"observers": ["Narnia"]}, "observers", "unknown state 'Narnia'"),
        ({"observers": "Kenya"}, "observers", "give a list of states"),
        ({"observers": ["Kenya", "KEN"]}, "observers", "'Kenya' and 'KEN' are both KEN"),
        ({"cost_type": "travel"}, "cost_type", "'meeting' or 'secretariat'"),
        ({"scale_period": "soon"}, "scale_period", "is not a scale period"),
        ({"membership_date": "2024-02-30"}, "membership_date", "is not a date"),
        ({"rules": {"basis": {"rates": {"COK": "0.0005"}}}}, "rules", "not a multiple of 0.001"),
        (
            {"rules": {"steps": [{"kind": "bounds", "label": "x", "ceiling": "120"}]}},
            "rules",
            "from 0 to 100",
        ),
        ({"rules": {"publishing": {"decimals": 13}}}, "rules", "whole number from 0 to 12"),
        ({"rules": {"basis": {"missing_rates": "free"}}}, "rules", "'notional_then_floor'"),
        ({"rules": "nonsense"}, "rules", "no preset 'nonsense'"),
        ({"venue": "Geneva"}, "venue", "unknown field; the fields are name, title"),
    ],
)
def test_bad_fields_are_named(changes: dict[str, object], field: str, text: str) -> None:
    with pytest.raises(cc.MeetingError) as err:
        cc.Meeting(**{"name": "X", "dates": ["2024-09-10"], **changes})
    message = str(err.value)
    assert message.startswith(f"meeting 'X': field {field!r}: "), message
    assert text in message
    assert [p.field for p in err.value.problems] == [field]  # one problem, not repeated


# ---------------------------------------------------------------------------------- files

GOOD_TOML = """
[[meetings]]
name = "13MSP"
title = "Thirteenth Meeting of States Parties"
cost_type = "meeting"
total = 9876543210987.65
currency = "USD"
observers = ["Angola", "Kenya"]
rules = "un-pro-rata"
sources = ["https://example.org/13msp"]

[[meetings.dates]]
start = 2025-09-15
end = 2025-09-18
place = "Geneva"

[[meetings]]
name = "Art7-2025"
cost_type = "secretariat"
total = "12000.00"
dates = [2025-01-01]
"""


def test_toml_and_json_files_load_the_same_meetings(tmp_path: Path) -> None:
    from_toml = cc.load_meetings(write(tmp_path, GOOD_TOML))
    assert list(from_toml) == ["13MSP", "Art7-2025"]
    m = from_toml["13MSP"]
    assert m.total == Decimal("9876543210987.65")  # a TOML float, read exactly
    assert m.observers == ("AGO", "KEN")
    assert m.dates[0] == cc.MeetingPart(start=D("2025-09-15"), end=D("2025-09-18"), place="Geneva")
    document = {
        "meetings": [
            {
                "name": "13MSP",
                "title": "Thirteenth Meeting of States Parties",
                "total": "TOTAL",
                "observers": ["Angola", "Kenya"],
                "rules": "un-pro-rata",
                "sources": ["https://example.org/13msp"],
                "dates": [{"start": "2025-09-15", "end": "2025-09-18", "place": "Geneva"}],
            },
            {
                "name": "Art7-2025",
                "cost_type": "secretariat",
                "total": "12000.00",
                "dates": ["2025-01-01"],
            },
        ]
    }
    text = json.dumps(document).replace('"TOTAL"', "9876543210987.65")  # a JSON float
    from_json = cc.load_meetings(write(tmp_path, text, "meetings.json"))
    assert from_json == from_toml
    a = cc.assess(from_toml["Art7-2025"])
    assert a.provenance()["article"].startswith("Article 14(2)")
    assert len(a) == 112  # Lithuania still bound on 1 Jan 2025; Vanuatu not yet


def test_one_meeting_files(tmp_path: Path) -> None:
    path = write(tmp_path, 'name = "Solo"\ndates = ["2024-09-10/2024-09-13"]\n', "solo.toml")
    m = cc.load_meeting(path)
    assert (m.name, m.dates[0].end) == ("Solo", D("2024-09-13"))
    with pytest.raises(cc.MeetingError, match="holds 2 meetings"):
        cc.load_meeting(write(tmp_path, GOOD_TOML))
    with pytest.raises(cc.MeetingError, match="no meeting '99MSP'; the meetings are 9MSP, 2RC"):
        cc.get_meeting("99MSP")


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ('name = "A"\ndates = ["2024-13-01"]', "dates[0].start", "'2024-13-01' is not a date"),
        ('name = "A"\ndates = [2024-13-01]', "dates", "not valid TOML ('dates = [2024-13-01]')"),
        ('name = "A"\ndates = [2024-09-10]\nobservers = ["Narnia"]', "observers", "'Narnia'"),
        ('name = "A"\ndates = [2024-09-10]\ntotal = -500.00', "total", "-500.00' is negative"),
        ('name = "A"\ndates = [2024-09-10]\ntotal = "-1"', "total", "'-1' is negative"),
    ],
)
def test_file_errors_name_the_file_the_meeting_and_the_field(
    tmp_path: Path, body: str, field: str, text: str
) -> None:
    path = write(tmp_path, "[[meetings]]\n" + body + "\n")
    with pytest.raises(cc.MeetingError) as err:
        cc.load_meetings(path)
    message = str(err.value)
    assert message.startswith(f"{path}: "), message
    assert f"field {field!r}: " in message
    assert text in message
    assert err.value.source == str(path)
    if "TOML" not in text:
        assert "meeting 'A': " in message


def test_json_file_errors(tmp_path: Path) -> None:
    bad = {"meetings": [{"name": "A", "dates": ["2024-09-10"], "total": -5.5}]}
    path = write(tmp_path, json.dumps(bad), "m.json")
    with pytest.raises(
        cc.MeetingError, match=r"m.json: meeting 'A': field 'total': the total '-5.5'"
    ):
        cc.load_meetings(path)
    nameless = write(tmp_path, json.dumps([{"dates": ["2024-09-10"]}]), "n.json")
    with pytest.raises(
        cc.MeetingError, match=r"n.json: meeting '#1': field 'name': Field required"
    ):
        cc.load_meetings(nameless)


def test_file_level_errors(tmp_path: Path) -> None:
    twice = GOOD_TOML + '\n[[meetings]]\nname = "13MSP"\ndates = [2025-01-01]\n'
    with pytest.raises(cc.MeetingError, match="meeting '13MSP': field 'name': given twice"):
        cc.load_meetings(write(tmp_path, twice))
    with pytest.raises(cc.MeetingError, match=r"ends in \.toml or \.json"):
        cc.load_meetings(write(tmp_path, "name: A", "m.yaml"))
    with pytest.raises(cc.MeetingError, match=r"unknown top-level keys \['extra'\]"):
        cc.load_meetings(write(tmp_path, 'extra = 1\n[[meetings]]\nname = "A"\n'))
    with pytest.raises(cc.MeetingError, match="meeting 1 is not a table"):
        cc.load_meetings(write(tmp_path, "[1, 2]", "m.json"))


def test_readme_example_loads(tmp_path: Path) -> None:
    example = """
[[meetings]]
name = "12MSP"
title = "Twelfth Meeting of States Parties"
cost_type = "meeting"            # Article 14(1); "secretariat" for 14(2)
total = "500000.00"              # exact; a TOML float such as 500000.00 is read exactly too
observers = ["Angola", "Kenya"]  # States not party participating
# membership_date = 2024-09-10   # default: the first day of the first part
# scale_period = "2022-2024"     # default: the period of the first day of the first part
# non_member_policy = "notional_then_floor"
# extra_rates = { "Cook Islands" = "0.001" }

[[meetings.dates]]
start = 2024-09-10
end = 2024-09-13
place = "Geneva (Palais des Nations)"
"""
    m = cc.load_meeting(write(tmp_path, example))
    a = cc.assess(m)
    assert a["KEN"].role == "observer"
    assert a.total == Decimal("500000.00")
