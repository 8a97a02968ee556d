"""Membership on a date: the golden counts of SOURCES.md, Article 17 dates, statuses, bad data."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

import ccm_costs as cc
from ccm_costs.conventions._membership import records_from_rows

SOURCES_MD = Path(__file__).resolve().parents[2] / "data" / "conventions" / "ccm" / "SOURCES.md"
D = dt.date.fromisoformat
CCM_RULES = cc.get_convention("ccm").membership_rules


def golden_counts() -> list[tuple[dt.date, int, int]]:
    """(date, deposited, bound) from the counts table of data/conventions/ccm/SOURCES.md."""
    text = SOURCES_MD.read_text()
    section = text[text.index("## Counts by date") :]
    section = section[: section.index("\n## ", 3)]
    rows = re.findall(r"^\| (\d{4}-\d{2}-\d{2})[^|]*\| (\d+) \| (\d+) \|", section, re.M)
    return [(D(day), int(deposited), int(bound)) for day, deposited, bound in rows]


def test_the_golden_table_is_read() -> None:
    # Guards the parametrised test below against a table the regex no longer finds.
    days = [day for day, _, _ in golden_counts()]
    assert len(days) == 17
    assert D("2025-03-05") in days and D("2025-03-06") in days


@pytest.mark.parametrize(("day", "deposited", "bound"), golden_counts(), ids=str)
def test_counts_by_date_match_sources_md(day: dt.date, deposited: int, bound: int) -> None:
    assert len(cc.parties_on(day)) == bound
    assert len(cc.deposited_on(day)) == deposited
    assert cc.deposited_not_bound_on(day) == cc.deposited_on(day) - cc.parties_on(day)


def test_contract_example() -> None:
    parties = cc.parties_on(dt.date(2024, 9, 10))
    assert isinstance(parties, frozenset)
    assert len(parties) == 112
    assert {"AUT", "VAT", "PSE", "COK", "NIU", "LTU", "SSD"} <= parties
    assert not {"USA", "VUT", "KEN"} & parties


def test_lithuania_is_a_party_until_its_withdrawal_takes_effect() -> None:
    before, on = D("2025-03-05"), D("2025-03-06")
    assert "LTU" in cc.parties_on(before)
    assert "LTU" not in cc.parties_on(on)
    assert len(cc.parties_on(before)) - len(cc.parties_on(on)) == 1
    assert cc.status_on("Lithuania", before) is cc.MembershipStatus.PARTY
    assert cc.status_on("Lithuania", on) is cc.MembershipStatus.WITHDRAWN
    # A withdrawn state is not "deposited": it counts nowhere.
    assert "LTU" not in cc.deposited_on(on) | cc.signatories_on(on)


def test_vanuatu_acceded_in_2025_and_is_bound_from_march_2026() -> None:
    record = cc.membership()[[r.iso3 for r in cc.membership()].index("VUT")]
    assert record.instrument == "accession"
    assert record.deposit_date == D("2025-09-05")
    assert record.entry_into_force_date == D("2026-03-01")
    assert cc.status_on("VUT", D("2025-09-04")) is cc.MembershipStatus.NONE
    assert cc.status_on("VUT", D("2025-09-05")) is cc.MembershipStatus.DEPOSITED
    assert cc.status_on("VUT", D("2026-02-28")) is cc.MembershipStatus.DEPOSITED
    assert cc.status_on("VUT", D("2026-03-01")) is cc.MembershipStatus.PARTY


# ------------------------------------------------------------------------------- Article 17


@pytest.mark.parametrize(
    ("deposit", "entry"),
    [
        ("2008-12-03", "2010-08-01"),  # Norway, Sierra Leone: at the Oslo signing
        ("2010-02-16", "2010-08-01"),  # the 29th and 30th instruments
        ("2010-03-01", "2010-09-01"),  # first month after the first 30
        ("2010-04-28", "2010-10-01"),  # Samoa
        ("2010-07-30", "2011-01-01"),  # over the year end
        ("2010-11-05", "2011-05-01"),  # Lebanon
        ("2012-12-31", "2013-06-01"),
        ("2025-09-05", "2026-03-01"),  # Vanuatu
    ],
)
def test_article_17_rule(deposit: str, entry: str) -> None:
    assert cc.entry_into_force(D(deposit)) == D(entry)


def test_computed_entry_into_force_equals_the_data() -> None:
    # Since the 2026 corrections every row has a deposit date (Liechtenstein and Palestine
    # were the two without one), so the rule is checked on all 113.
    deposited = [r for r in cc.membership() if r.instrument is not None]
    checked = [r for r in deposited if r.deposit_date is not None]
    skipped = sorted(r.iso3 for r in deposited if r.deposit_date is None)
    assert skipped == []
    assert len(checked) == 113
    wrong = [
        (r.iso3, r.deposit_date, r.entry_into_force_date, cc.entry_into_force(r.deposit_date))
        for r in checked
        if r.deposit_date is not None
        and cc.entry_into_force(r.deposit_date) != r.entry_into_force_date
    ]
    assert wrong == []


def test_the_first_thirty_instruments() -> None:
    first = [
        r
        for r in cc.membership()
        if r.deposit_date is not None and r.deposit_date <= D("2010-02-16")
    ]
    assert len(first) == 30
    assert {r.entry_into_force_date for r in first} == {D("2010-08-01")}
    assert len(cc.deposited_on(D("2010-02-16"))) == 30
    assert len(cc.deposited_on(D("2010-02-15"))) < 30


def test_the_2026_corrections_give_liechtenstein_and_palestine_their_deposit_days() -> None:
    assert cc.status_on("LIE", D("2013-03-03")) is cc.MembershipStatus.SIGNATORY  # ratified
    assert cc.status_on("LIE", D("2013-03-04")) is cc.MembershipStatus.DEPOSITED
    assert cc.status_on("LIE", D("2013-09-01")) is cc.MembershipStatus.PARTY
    assert cc.status_on("Palestine", D("2015-01-01")) is cc.MembershipStatus.NONE
    assert cc.status_on("Palestine", D("2015-01-02")) is cc.MembershipStatus.DEPOSITED
    assert cc.status_on("Palestine", D("2015-07-01")) is cc.MembershipStatus.PARTY


def test_a_missing_deposit_day_uses_the_month_the_entry_into_force_implies() -> None:
    # The rule still serves rows that give the entry into force but not the deposit.
    row = {"state": "Liechtenstein", "iso3": "LIE", "instrument": "ratification",
           "entry_into_force_date": "2013-09-01"}  # fmt: skip
    (record,) = records_from_rows([row], "t", deposited=True, rules=CCM_RULES)
    assert record.deposited_from == D("2013-03-01")
    assert record.status_on(D("2013-02-28")) is cc.MembershipStatus.SIGNATORY


# ------------------------------------------------------------------------ data and statuses


def test_instrument_counts() -> None:
    kinds = [r.instrument for r in cc.membership() if r.instrument is not None]
    assert len(kinds) == 113
    assert kinds.count("ratification") == 95
    assert kinds.count("acceptance") == 1
    assert kinds.count("accession") == 17


@pytest.mark.parametrize(
    ("day", "count"),
    [("2018-08-01", 17), ("2019-02-28", 14), ("2022-12-31", 13), ("2023-02-28", 12)],
)
def test_signatory_counts(day: str, count: int) -> None:
    assert len(cc.signatories_on(D(day))) == count


def test_signatories() -> None:
    assert sum(r.signed for r in cc.membership()) == 108
    assert cc.signatories_on(D("2024-09-10")) == {
        "AGO", "CAF", "CYP", "COD", "DJI", "HTI", "IDN", "JAM", "KEN", "LBR", "TZA", "UGA",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("state", "day", "status"),
    [
        ("Nigeria", "2022-12-31", "signatory"),
        ("Nigeria", "2023-02-28", "deposited-not-in-force"),
        ("Nigeria", "2023-08-01", "party"),
        ("South Sudan", "2023-09-11", "deposited-not-in-force"),
        ("Kenya", "2024-09-10", "signatory"),
        ("Kenya", "2008-12-02", "none"),
        ("Liberia", "2008-12-03", "signatory"),  # signed at Oslo (read in 2026)
        ("Liberia", "2008-12-02", "none"),
        ("Mexico", "2009-06-30", "deposited-not-in-force"),
        ("United States", "2024-09-10", "none"),
        ("Austria", "2010-07-31", "deposited-not-in-force"),
    ],
)
def test_status_on(state: str, day: str, status: str) -> None:
    assert cc.status_on(state, D(day)) == cc.MembershipStatus(status)


def test_statuses_partition_the_states() -> None:
    day = D("2023-09-11")
    sets = [cc.parties_on(day), cc.deposited_not_bound_on(day), cc.signatories_on(day)]
    assert sum(map(len, sets)) == len(set().union(*sets))
    assert cc.deposited_not_bound_on(day) == {"SSD"}


def test_dates_as_iso_strings_and_bad_dates() -> None:
    assert cc.parties_on("2024-09-10") == cc.parties_on(D("2024-09-10"))
    with pytest.raises(cc.InvalidInputError, match="not a date"):
        cc.parties_on("10/09/2024")
    with pytest.raises(cc.InvalidInputError, match="time of day"):
        cc.parties_on(dt.datetime(2024, 9, 10, 12))


def test_bad_rows_are_all_reported() -> None:
    def row(state: str, iso3: str, deposit: str, instrument: str) -> dict[str, str]:
        return {
            "state": state,
            "iso3": iso3,
            "deposit_date": deposit,
            "instrument": instrument,
            "entry_into_force_date": "2011-06-01",
        }

    rows = [
        row("Austria", "DEU", "2009-04-02", "ratification"),
        row("Belgium", "BEL", "2009-13-01", "ratification"),
        row("Chile", "CHL", "2010-12-16", "signed"),
        {"state": "Narnia", "iso3": "NAR", "instrument": "ratification"},
        {**row("Denmark", "DNK", "2010-02-12", "ratification"), "entry_into_force_date": ""},
    ]
    with pytest.raises(cc.InvalidInputError) as err:
        records_from_rows(rows, "test.csv", deposited=True, rules=CCM_RULES)
    message = str(err.value)
    assert (
        "test.csv line 2 (Austria): the name means AUT, but the iso3 column says 'DEU'" in message
    )
    assert "line 3 (Belgium): deposit_date '2009-13-01' is not a date" in message
    assert "line 4 (Chile): instrument 'signed'" in message
    assert "line 5 (Narnia): unknown state 'Narnia'" in message
    assert "line 6 (Denmark): no entry_into_force_date" in message
    good = records_from_rows(
        [row("Chile", "CHL", "2010-12-16", "ratification")], "t", deposited=True, rules=CCM_RULES
    )
    assert good[0].deposit_date == D("2010-12-16")
