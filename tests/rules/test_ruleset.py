"""The rule interpreter: rule sets as data (round trips, every problem named), and the
invariants every rule set keeps, whatever its steps."""

from __future__ import annotations

import random
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from strategies import SCALE_2019, money_strings, participants, rule_data, rule_payers

import ccm_costs as cc

DEFAULT = cc.rules.load("un-pro-rata")


def assessed(total: str, payers: list[str], rules: cc.RuleSet) -> cc.Assessment:
    """The assessment, or a rejected example when these bounds cannot hold for these payers
    (or every published rate rounds to 0 and the amounts are to follow them)."""
    if rules.amounts.unit is cc.RoundingUnit.MAJOR:
        total = str(int(Decimal(total)))
    try:
        return cc.apportion(total, payers, scale=SCALE_2019, rules=rules)
    except (cc.InfeasibleBoundsError, cc.MissingRateError):
        assume(False)
        raise
    except cc.InvalidInputError as err:
        assume("every published rate is zero" not in str(err))
        assume("every payer is excluded" not in str(err))
        raise


# ------------------------------------------------------------------------ rules as data


@given(rule_data())
def test_a_rule_set_survives_dict_and_toml_round_trips(data: dict[str, object]) -> None:
    rules = cc.RuleSet.from_dict(data)
    assert cc.RuleSet.from_dict(rules.to_dict()) == rules
    assert cc.rules.from_toml(cc.rules.to_toml(rules)) == rules
    assert rules.replace() == rules


def test_every_preset_loads_round_trips_and_names_its_source() -> None:
    presets = cc.rules.available()
    assert set(presets) == {
        "un-pro-rata", "who", "mlf-replenishment", "montreal-trust-fund", "cbd-trust-fund",
        "unfccc-indicative", "unfccc-indicative-pre-2019",
    }  # fmt: skip
    for rule_id, rules in presets.items():
        assert rules.id == rule_id and rules.title and rules.source
        assert cc.rules.from_toml(cc.rules.to_toml(rules)) == rules
        assert cc.rules.load(rule_id) is rules
    # extends: the pre-2019 UNFCCC preset is the 2019 one with the non-members scaled.
    before, after = presets["unfccc-indicative-pre-2019"], presets["unfccc-indicative"]
    assert before.steps == after.steps and before.basis.fixed == after.basis.fixed
    assert (before.basis.non_members, after.basis.non_members) == (
        cc.rules.NonMemberTreatment.SCALED,
        cc.rules.NonMemberTreatment.FIXED,
    )


def test_every_problem_of_a_rule_file_in_one_error_naming_the_file_and_field(
    tmp_path: Path,
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        """
id = "Mine!"
extends = "un-pro-rata"
colour = "blue"

[basis.rates]
COK = { rate = "0.0005", source = "me" }
Narnia = { rate = "0.001", source = "me" }

[[steps]]
kind = "bounds"
label = "Bounded"
ceiling = "120"
pinned = { USA = "x" }

[[steps]]
kind = "shuffle"

[publishing]
decimals = 13
rounding = "bankers"
""",
        encoding="utf-8",
    )
    with pytest.raises(cc.RuleSetError) as caught:
        cc.rules.load(path)
    err = caught.value
    assert err.source == str(path) and str(path) in str(err)
    fields = {p.field for p in err.problems}
    assert {
        "id", "colour", "basis.rates.COK.rate", "basis.rates.Narnia", "steps[1].ceiling",
        "steps[1].pinned.USA", "steps[2].kind", "publishing.decimals", "publishing.rounding",
    } <= fields  # fmt: skip
    assert {p.code for p in err.problems} >= {"key", "unknown_state", "range", "vocabulary"}
    assert isinstance(err, ValueError)
    frame = err.to_frame()
    assert list(frame.columns) == ["where", "field", "code", "message"]


def test_a_changed_preset_says_so_in_its_title_and_provenance() -> None:
    capped = DEFAULT.replace(ceiling="22")
    assert capped.id == DEFAULT.id
    assert capped.title == f"{DEFAULT.title} [changed: ceiling]"
    assert capped.describe()[0].startswith(f"rule set 'un-pro-rata': {DEFAULT.title} [changed")
    assert capped.replace(floor="0.01", ceiling="20").title.endswith("[changed: ceiling, floor]")
    assert DEFAULT.replace(decimals=DEFAULT.publishing.decimals).title == DEFAULT.title
    assert DEFAULT.replace(ceiling="22", title="Capped").title == "Capped"


def test_then_and_extends_mark_the_title_too(tmp_path: Path) -> None:
    step = cc.rules.Exclude(label="Without small payers", name="small", below="0.1")
    assert DEFAULT.then(step).title == f"{DEFAULT.title} [changed: then small]"
    path = tmp_path / "mine.toml"
    path.write_text('extends = "who"\n[publishing]\ndecimals = 4\n', encoding="utf-8")
    mine = cc.rules.load(path)
    assert mine.id == "who" and mine.title.endswith("[changed: publishing]")
    path.write_text('extends = "who"\ntitle = "Mine"\n', encoding="utf-8")
    assert cc.rules.load(path).title == "Mine"
    assert cc.rules.load("who").title == "World Health Assembly scale of assessments"


@pytest.mark.parametrize("label", ["iso3", "Amount", " share ", "bound"])
def test_a_step_label_may_not_be_a_column_of_the_table(label: str) -> None:
    with pytest.raises(cc.RuleSetError, match="is a column of the assessment table"):
        DEFAULT.then(cc.rules.Exclude(label=label, name="small", below="0.1"))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"fixed": {"EUU": "2.5"}, "pinned": {"EUU": "5"}}, "EUU has a fixed share (2.5 %"),
        ({"fixed": {"EUU": "50"}, "pinned": {"AUT": "60"}}, "total 110 %, more than 100 %"),
    ],
)
def test_pinned_and_fixed_shares_that_conflict_are_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(cc.RuleSetError, match=re.escape(message)):
        DEFAULT.replace(**changes)


def test_an_exclusion_by_states_takes_a_list_and_no_inclusive() -> None:
    with pytest.raises(cc.RuleSetError, match="give a list of states"):
        DEFAULT.then(cc.rules.Exclude(label="x", name="s", states="AUT"))  # type: ignore[arg-type]
    with pytest.raises(cc.RuleSetError, match="inclusive applies only to an exclusion by UN"):
        DEFAULT.then(
            cc.rules.Exclude(label="x", name="s", states=frozenset({"AUT"}), inclusive=True)
        )


def test_rules_that_do_not_apply_are_reported_in_the_provenance() -> None:
    absent = DEFAULT.then(cc.rules.Exclude(label="x", name="s", states=frozenset({"KEN"})))
    result = cc.apportion("100.00", ["AUT", "DEU"], scale="2022-2024", rules=absent)
    assert "step 's': not applied to KEN (not among the payers)" in result.provenance()["rules"]
    later = DEFAULT.replace(ceiling="22").then(
        cc.rules.Exclude(label="x", name="small", below="0.5")
    )
    scale = cc.load_scale("2022-2024")
    result = cc.apportion("100.00", sorted(scale.units), scale=scale, rules=later)
    assert (
        "step 'bounded': later steps moved shares past its bounds (USA 24.222139 %); put the "
        "bounds step last to keep them"
    ) in result.provenance()["rules"]
    # a fixed share above the ceiling is held by the bounds step, not moved by later ones
    fixed = DEFAULT.replace(ceiling="22", fixed={"EUU": "30"})
    fixed = fixed.then(cc.rules.Exclude(label="x", name="s", states=frozenset({"FRA"})))
    payers = ["EUU", "DEU", "AUT", "BEL", "ITA", "ESP", "JPN", "GBR", "FRA"]
    notes = cc.apportion("100.00", payers, scale=scale, rules=fixed).provenance()["rules"]
    assert "later steps moved shares past its bounds (JPN 22.182729 %)" in notes


def test_the_reserved_step_labels_are_the_columns_of_the_table() -> None:
    """TABLE_COLUMNS and Assessment.to_frame declare the same columns (with a role and an
    exclusion, every optional column is there)."""
    from ccm_costs.rules._ruleset import TABLE_COLUMNS

    rules = DEFAULT.then(
        cc.rules.Exclude(label="Without Belgium", name="s", states=frozenset({"BEL"}))
    )
    result = cc.apportion(
        "100.00", ["AUT", "BEL", "DEU"], scale="2022-2024", rules=rules, roles={"AUT": "observer"}
    )
    steps = {"Without Belgium", *(c.label for c in result.step_columns)}
    assert [c for c in result.to_frame().columns if c not in steps] == list(TABLE_COLUMNS)


def test_a_group_given_as_a_bare_list_says_how_to_give_it() -> None:
    with pytest.raises(cc.RuleSetError, match=re.escape("field 'groups.MINE': give the group as")):
        DEFAULT.replace(groups={"MINE": ["AUT"]})


def test_replace_then_and_describe() -> None:
    capped = DEFAULT.replace(ceiling="22", decimals=4, rates={"COK": ("0.002", "my source")})
    assert capped.publishing.decimals == 4 and capped.steps[0].ceiling == Decimal("22")
    assert capped.basis.rates["COK"].source == "my source"
    assert DEFAULT.steps == ()  # unchanged: rule sets are frozen values
    twice = capped.then(
        cc.rules.Exclude(label="Without Nepal", name="no_nepal", states=frozenset({"Nepal"}))
    )
    assert [s.name for s in twice.steps] == ["bounded", "no_nepal"]
    assert twice.steps[1].states == frozenset({"NPL"})
    text = "\n".join(twice.describe())
    assert "ceiling 22 % on each share" in text and "NPL pay nothing" in text
    with pytest.raises(cc.RuleSetError, match="unknown change 'ceilling'"):
        DEFAULT.replace(ceilling="22")
    with pytest.raises(cc.RuleSetError, match="used twice"):
        twice.then(cc.rules.Bounds(label="Bounded"))


# ------------------------------------------------------------------- the invariants


@settings(max_examples=150)
@given(money_strings, rule_payers(), rule_data())
def test_amounts_sum_to_the_total_and_excluded_payers_pay_exactly_zero(
    total: str, payers: list[str], data: dict[str, object]
) -> None:
    rules = cc.RuleSet.from_dict(data)
    a = assessed(total, payers, rules)
    assert sum(line.amount_minor for line in a) == a.total_minor
    assert sum(line.share for line in a) == 1
    for line in a:
        if line.excluded:
            assert line.share == 0 and line.amount_minor == 0 and line.rate == 0
    step = 10**2 if rules.amounts.unit is cc.RoundingUnit.MAJOR else 1
    assert all(line.amount_minor % step == 0 for line in a)


@settings(max_examples=150)
@given(rule_payers(), rule_data())
def test_bounds_hold_exactly(payers: list[str], data: dict[str, object]) -> None:
    rules = cc.RuleSet.from_dict(data)
    a = assessed("1000.00", payers, rules)
    bounds = [s for s in rules.steps if isinstance(s, cc.rules.Bounds)]
    if not bounds:
        return
    step = bounds[-1]
    for line in a:
        if line.excluded or line.bound == "pinned" or line.un_rate is None:
            continue
        if step.ceiling is not None:
            assert line.share <= Fraction(step.ceiling) / 100
        if step.floor is not None and line.bound != "at the UN minimum":
            assert line.share >= Fraction(step.floor) / 100
    for code, percent in step.pinned.items():
        if a.line_of(code) is not None and not a[code].excluded:
            assert a[code].share == Fraction(percent) / 100
    if step.keep_minimum:
        for line in a:
            at_minimum = line.un_rate == Decimal("0.001") and line.rate_source.startswith("UN")
            if at_minimum and not line.excluded:
                assert line.share == Fraction(1, 100_000), line.iso3


@settings(max_examples=100)
@given(money_strings, rule_payers(), rule_data())
def test_a_fixed_share_is_exact(total: str, payers: list[str], data: dict[str, object]) -> None:
    rules = cc.RuleSet.from_dict(data)
    a = assessed(total, [*payers, "EUU"] if "EUU" not in payers else payers, rules)
    eu = a["EUU"]
    if not eu.excluded:
        assert eu.share == Fraction(rules.basis.fixed["EUU"].percent) / 100
        assert eu.un_rate is None and eu.rate_source.startswith("fixed share")


@given(money_strings, participants())
def test_an_empty_step_list_is_plain_pro_rata(total: str, codes: list[str]) -> None:
    a = cc.apportion(total, codes, scale=SCALE_2019, rules=DEFAULT)
    units = {c: SCALE_2019.units[c] for c in codes}
    assume(sum(units.values()) > 0)
    for line in a:
        assert line.share == Fraction(units[line.iso3], sum(units.values()))
        assert line.steps["pro_rata"] == line.share


@settings(max_examples=80)
@given(money_strings, rule_payers(), rule_data(), st.randoms())
def test_the_order_of_payers_never_matters(
    total: str, payers: list[str], data: dict[str, object], rnd: random.Random
) -> None:
    rules = cc.RuleSet.from_dict(data)
    first = assessed(total, payers, rules)
    shuffled = payers[:]
    rnd.shuffle(shuffled)
    assert assessed(total, shuffled, rules).lines == first.lines


# ------------------------------------------------------------------- non-state parties


def test_the_european_union_is_a_payer_only_where_a_rule_gives_it_a_share() -> None:
    assert cc.resolve_state("EU") == cc.resolve_state("European Union") == "EUU"
    cbd = cc.apportion("1000.00", [*SCALE_2019.units, "EU"], scale="2022-2024",
                       rules="cbd-trust-fund")  # fmt: skip
    assert cbd["EUU"].share == Fraction(25, 1000) and cbd["EUU"].amount == Decimal("25.00")
    with pytest.raises(cc.MissingRateError, match="fixed share or a rate") as caught:
        cc.apportion("1000.00", ["AUT", "EU"], scale="2022-2024")
    assert "rules.replace(fixed=" in str(caught.value)
    assert "--fixed EUU=2.5" in str(caught.value.cli_message)
    # The CCM never charges the EU, whatever the rules.
    with pytest.raises(cc.MeetingError, match="international organisation"):
        cc.get_meeting("12MSP").replace(observers=["EU"])


def test_a_declared_organisation_pays_its_fixed_share() -> None:
    rules = DEFAULT.replace(
        organisations={"XEC": "Example Economic Community"},
        fixed={"XEC": ("1.5", "the body's decision")},
    )
    a = cc.apportion("200.00", ["AUT", "Example Economic Community"], scale=2020, rules=rules)
    assert a["XEC"].share == Fraction(15, 1000) and a["XEC"].state == "Example Economic Community"


def test_the_ldc_cap_reads_the_dated_list_on_the_scale_start() -> None:
    # CBD: Equatorial Guinea graduated in June 2017: capped on the 2016-2018 scale (read on
    # 2016-01-01), not on 2019-2021.
    payers = ["GNQ", "AUT", "FRA", "DEU", "ITA", "ESP", "BEL", "NLD", "SWE", "CHE", "JPN"]
    capped = cc.apportion("1000.00", payers, scale="2016-2018", rules="cbd-trust-fund")
    assert capped["GNQ"].share == Fraction(1, 10_000)
    assert capped["GNQ"].bound == "group ceiling (LDC)"
    free = cc.apportion("1000.00", payers, scale="2019-2021", rules="cbd-trust-fund")
    assert free["GNQ"].bound is None and free["GNQ"].share > Fraction(1, 10_000)
    assert (
        "group LDC read on 2016-01-01, the first day of the UN scale period"
        in (capped.provenance()["rules"])
    )
