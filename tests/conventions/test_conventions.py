"""The sister conventions as data on the same engine: rules from convention.toml, parties on a
date, the 2025-2026 Mine Ban withdrawals, successions, who bears which cost."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ccm_costs as cc

D = dt.date.fromisoformat
CONVENTIONS = cc.available_conventions()


def test_the_shipped_conventions() -> None:
    assert CONVENTIONS == ("apmbc", "bwc", "ccm", "ccw", "ccw_apii", "ccw_pv", "tpnw")
    for convention in CONVENTIONS:
        found = cc.get_convention(convention)
        assert found.id == convention and found.cost_types and found.membership()
        assert cc.get_convention(convention) is found  # read once


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_the_entry_into_force_rule_gives_every_stated_date(convention: str) -> None:
    found = cc.get_convention(convention)
    checked = 0
    for record in found.membership():
        if record.deposit_date is None or record.entry_into_force_date is None:
            continue
        assert found.entry_into_force(record.deposit_date) == record.entry_into_force_date, (
            record.iso3
        )
        checked += 1
    assert checked >= 0.9 * len([r for r in found.membership() if r.instrument])


@pytest.mark.parametrize(
    ("state", "effective"),
    [("EST", "2025-12-27"), ("LVA", "2025-12-27"), ("LTU", "2025-12-27"),
     ("FIN", "2026-01-10"), ("POL", "2026-02-20")],
)  # fmt: skip
def test_the_2025_mine_ban_withdrawals_on_the_day_before_and_the_day_of_effect(
    state: str, effective: str
) -> None:
    apmbc = cc.get_convention("apmbc")
    day = D(effective)
    assert state in apmbc.parties_on(day - dt.timedelta(days=1))
    assert state not in apmbc.parties_on(day)
    assert apmbc.status_on(state, day) is cc.MembershipStatus.WITHDRAWN
    record = apmbc.record_of(state)
    assert record is not None and record.withdrawal_notification_date is not None
    assert apmbc.withdrawal_rule.effective(record.withdrawal_notification_date) == day


def test_ukraine_stays_a_mine_ban_party_its_suspension_is_no_withdrawal() -> None:
    apmbc = cc.get_convention("apmbc")
    assert "UKR" in apmbc.parties_on("2026-12-01")
    record = apmbc.record_of("UKR")
    assert record is not None and record.withdrawal_notification_date is None
    assert "suspension" in record.notes


def test_mine_ban_parties_on_1_march_2026_with_the_successors_named() -> None:
    apmbc = cc.get_convention("apmbc")
    parties = apmbc.parties_on("2026-03-01")
    assert len(parties) == 161
    successors = [r.iso3 for r in apmbc.successors_without_date("2026-03-01")]
    assert successors == ["MNE", "SSD"]
    dated = [r for r in apmbc.membership() if r.iso3 in parties and r.entry_into_force_date]
    assert len(dated) == 159


def test_the_cli_lists_the_mine_ban_parties() -> None:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "ccm_costs", "parties", "--convention", "apmbc", "--date",
         "2026-03-01", "--format", "csv"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 162  # the header and 161 States Parties


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(CONVENTIONS), st.dates(dt.date(1972, 1, 1), dt.date(2027, 12, 31)))
def test_a_state_is_never_both_a_party_and_a_signatory_not_party(
    convention: str, day: dt.date
) -> None:
    found = cc.get_convention(convention)
    parties, signatories = found.parties_on(day), found.signatories_on(day)
    pending = found.deposited_not_bound_on(day)
    assert not parties & signatories and not parties & pending and not pending & signatories


@pytest.mark.parametrize("convention", CONVENTIONS)
def test_counts_never_jump_by_more_than_the_instruments_of_that_day(convention: str) -> None:
    found = cc.get_convention(convention)
    events = Counter[dt.date]()
    for r in found.membership():
        for day in (r.bound_from, r.withdrawn_from, r.deposited_from):
            if day is not None:
                events[day] += 1
    days = sorted(events)
    for before, day in itertools.pairwise(days):
        change = len(found.parties_on(day)) - len(found.parties_on(before))
        assert abs(change) <= events[day], (convention, day)


# ------------------------------------------------------------------------ who bears which cost


def test_a_tpnw_9_1_meeting_charges_observers_and_a_9_2_cost_does_not() -> None:
    meeting = cc.Meeting(
        convention="tpnw", name="MSP", dates=["2025-03-03"], total="100000.00",
        observers=["Germany", "Norway"],
    )  # fmt: skip
    charged = cc.assess(meeting)
    assert {charged["DEU"].role, charged["NOR"].role} == {"observer"}
    assert charged.provenance()["article"].startswith("Article 9(1)")
    assert "Treaty on the Prohibition of Nuclear Weapons" in charged.provenance()["convention"]
    secretariat = cc.assess(meeting.replace(cost_type="secretariat"))
    assert secretariat.line_of("DEU") is None and secretariat.line_of("NOR") is None
    assert "are not charged" in secretariat.provenance()["participants"]


def test_an_apmbc_meeting_from_a_file_is_assessed_as_a_ccm_meeting_is(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "apmbc.toml"
    path.write_text(
        '[[meetings]]\nname = "23MSP"\nconvention = "apmbc"\ncost_type = "meeting"\n'
        'total = "250000.00"\nobservers = ["United States"]\n'
        '[[meetings.dates]]\nstart = 2026-12-01\nend = 2026-12-04\nplace = "Geneva"\n',
        encoding="utf-8",
    )
    a = cc.assess(cc.load_meeting(path))
    assert len(a) == 162 and a["USA"].role == "observer"
    assert a.convention == "apmbc"
    assert a.provenance()["article"].startswith("Article 14(1)")
    assert "MNE, SSD" in a.provenance()["participants"]  # successors, by the policy, named
    assert "EST" not in {line.iso3 for line in a}  # withdrawn on 27 Dec 2025
    workbook = cc.write_workbook(tmp_path / "a.xlsx", a)
    import openpyxl

    text = " ".join(str(c.value) for row in openpyxl.load_workbook(workbook).active.iter_rows()
                    for c in row if c.value)  # fmt: skip
    assert "Article 14(1)" in text and "Anti-Personnel Mine Ban Convention" in text


def test_practice_not_treaty_text_is_said_for_the_ccw_and_the_bwc() -> None:
    for convention, cost in (("ccw", "meeting"), ("bwc", "annual_meeting")):
        m = cc.Meeting(convention=convention, cost_type=cost, name="M", dates=["2024-11-13"],
                       total="1000.00")  # fmt: skip
        a = cc.assess(m)
        assert a.provenance()["cost basis"].startswith("practice, not treaty text")


def test_a_cost_borne_by_the_participating_parties_needs_their_list() -> None:
    m = cc.Meeting(convention="bwc", cost_type="review_conference", name="RC", dates=["2022-11-28"],
                   total="1000.00")  # fmt: skip
    with pytest.raises(cc.MeetingError, match="list them in 'participants'"):
        cc.assess(m)
    a = cc.assess(m.replace(participants=["France", "Japan", "Kenya"]))
    assert {line.iso3 for line in a} == {"FRA", "JPN", "KEN"}


def test_high_contracting_parties_and_unknown_cost_types() -> None:
    m = cc.Meeting(convention="ccw_pv", cost_type="conference", name="P5", dates=["2024-11-12"],
                   total="1000.00")  # fmt: skip
    assert {line.role for line in cc.assess(m)} == {"High Contracting Party"}
    assert cc.Meeting(convention="ccw_pv", name="P5", dates=["2024-11-12"]).cost_type == (
        "conference"  # a meeting that names no cost type has its convention's first
    )
    with pytest.raises(cc.MeetingError, match=r"has no cost type 'meeting': give 'conference'"):
        cc.Meeting(convention="ccw_pv", cost_type="meeting", name="P5", dates=["2024-11-12"])
    with pytest.raises(cc.MeetingError, match="no convention 'xyz'"):
        cc.Meeting(convention="xyz", name="X", dates=["2024-11-12"])


def test_a_state_whose_name_begins_like_an_organisation_is_still_a_state() -> None:
    # "United States" begins with "un...": only names beginning with the word "UN" or
    # "United Nations" are refused.
    m = cc.get_meeting("12MSP").replace(observers=["United States", "United Arab Emirates"])
    assert m.observers == ("USA", "ARE")
    with pytest.raises(cc.MeetingError, match="international organisation"):
        cc.get_meeting("12MSP").replace(observers=["UN Women"])
