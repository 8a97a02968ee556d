"""Dated groups: the UN list of least developed countries on a date, imprecise dates flagged,
never guessed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import ccm_costs as cc
from ccm_costs._reference.groups import Period, shipped_group

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("day", "members", "uncertain"),
    [
        # The counts on the scale adoption dates in data/groups/SOURCES.md (49, 49, 48, 47, 46,
        # 44); on 24 Dec 2012 South Sudan's inclusion is known only to the year 2012.
        ("2009-12-24", 49, ()),
        ("2012-12-24", 48, ("SSD",)),
        ("2015-12-23", 48, ()),
        ("2018-12-22", 47, ()),
        ("2021-12-24", 46, ()),
        ("2024-12-24", 44, ()),
    ],
)
def test_ldc_counts_on_the_scale_adoption_dates(
    day: str, members: int, uncertain: tuple[str, ...]
) -> None:
    read = shipped_group("LDC").on(D(day))
    assert len(read.members) == members
    assert read.uncertain == uncertain
    assert len(read.members) + len(read.uncertain) == {
        "2009": 49, "2012": 49, "2015": 48, "2018": 47, "2021": 46, "2024": 44,
    }[day[:4]]  # fmt: skip


def test_graduations_and_unconfirmed_scheduled_ones() -> None:
    ldc = shipped_group("LDC")
    assert "GNQ" in ldc.on(D("2017-06-03")).members  # graduated on 4 June 2017
    assert "GNQ" not in ldc.on(D("2017-06-04")).members
    assert "BWA" in ldc.on(D("1994-12-01")).uncertain  # graduated in December 1994: day unknown
    assert "BWA" not in ldc.on(D("1995-01-01")).members | set(ldc.on(D("1995-01-01")).uncertain)
    late = ldc.on(D("2026-12-01"))  # Bangladesh, Lao PDR, Nepal: scheduled 24 Nov 2026
    assert {"BGD", "LAO", "NPL"} <= set(late.uncertain)
    assert "AGO" in late.members  # deferred, no date: still an LDC


def test_an_uncertain_member_is_an_error_unless_the_rule_set_says() -> None:
    rules = cc.rules.load("cbd-trust-fund").replace(groups_on="2026-12-01")
    payers = ["NPL", "AUT", "FRA", "DEU", "ITA", "ESP", "BEL", "NLD", "SWE", "CHE", "JPN"]
    with pytest.raises(cc.InvalidInputError, match=r"cannot say whether BGD, LAO, NPL"):
        cc.apportion("100.00", payers, scale="2025-2027", rules=rules)
    member = cc.apportion(
        "100.00", payers, scale="2025-2027", rules=rules.replace(uncertain_members="member")
    )
    assert member["NPL"].bound == "group ceiling (LDC)"
    assert "uncertain, counted as member: BGD, LAO, NPL" in member.provenance()["rules"]


def test_periods_keep_their_precision() -> None:
    assert Period.parse("2014-01", "x").first == D("2014-01-01")
    assert Period.parse("2014-01", "x").last == D("2014-01-31")
    assert Period.parse("1981", "x").last == D("1981-12-31")
    with pytest.raises(cc.InvalidInputError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        Period.parse("Dec 1994", "graduated")


def test_a_group_of_your_own_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("iso3,name,included,graduated,source\nAUT,Austria,,2020-01-01,me\n"
                    "Narnia,Narnia,,,me\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(cc.DataFileError, match="line 3"):
        cc.rules.load_group(path, "MINE")
    path.write_text("iso3,name,included,graduated,source\nAUT,Austria,,2020-01-01,me\n",
                    encoding="utf-8")  # fmt: skip
    group = cc.rules.load_group(path, "MINE")
    assert group.on(D("2019-12-31")).members == {"AUT"}
    assert group.on(D("2020-01-01")).members == frozenset()
