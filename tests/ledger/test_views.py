"""Every view of the status adds up: by state, by assessment, by year, by convention, the
ageing and the export agree, for any history of assessments, payments, voids, refunds and
transfers; and what a final does to the age of arrears."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_strategies import History, assessment, days, histories, payable, record_history

from ccm_costs.errors import InvalidInputError
from ccm_costs.ledger import Ledger, PaymentOrder, status_of_contributions
from ccm_costs.ledger._payment_rule import Version, bill_parts
from ccm_costs.ledger._status import AGE_COLUMNS, BUCKETS, MONEY_COLUMNS

D = dt.date


def apply_moves(ledger: Ledger, data: st.DataObject) -> None:
    """Void some assessments in force, refund and transfer parts of what states hold."""
    for a in ledger.snapshot().in_force:
        if data.draw(st.booleans(), label=f"void No. {a.id}"):
            later = st.integers(0, 200).map(lambda n, start=a.issued: start + dt.timedelta(n))
            ledger.void(a.id, reason="withdrawn", on=data.draw(later))
    for _ in range(data.draw(st.integers(0, 3), label="moves")):
        day = data.draw(days, label="move date")
        snapshot = ledger.snapshot(day)
        holders = sorted({r.iso3 for r in snapshot.receipts if snapshot.held(r.iso3)})
        if not holders:
            return
        iso3 = data.draw(st.sampled_from(holders), label="state")
        minor = data.draw(st.integers(1, snapshot.held(iso3)), label="amount")
        amount = f"{minor // 100}.{minor % 100:02d}"
        targets = [a.id for a in ledger.snapshot().in_force if a.line_of(iso3)]
        kind = data.draw(st.sampled_from(["refund", "convention", "assessment"]), label="kind")
        if kind == "refund":
            ledger.refund(iso3, amount, on=day)
        elif kind == "convention" or not targets:
            ledger.transfer(iso3, amount, to_convention="APMBC", on=day)
        else:
            target = data.draw(st.sampled_from(targets), label="target")
            try:
                moved = ledger.transfer(iso3, amount, to_assessment=target, on=day)
            except InvalidInputError as err:  # refused: it would not settle all it moves
                assert "has outstanding on it" in str(err)
                continue
            settled = [
                (p.assessment_id, p.amount_minor)
                for p in ledger.snapshot().applications
                if p.reference == moved.reference
            ]
            assert settled == [(target, minor)], "a transfer settles all it moves on its target"


@settings(max_examples=40, deadline=None)
@given(
    history=histories(),
    as_at=days,
    order=st.sampled_from(list(PaymentOrder)),
    data=st.data(),
)
def test_every_view_adds_up_to_the_same_totals(
    history: History, as_at: D, order: PaymentOrder, data: st.DataObject
) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        record_history(Path(folder) / "l.sqlite", history, order.value) as ledger,
    ):
        ledger.import_payments(payable(ledger, history), confirm_dates=True)
        apply_moves(ledger, data)
        status = status_of_contributions(ledger, as_at)
        moved_out = sum(
            m.amount_minor for m in ledger.credit_moves() if m.leaves_ledger and m.moved <= as_at
        )
        in_force = sum(a.total_minor for a in ledger.snapshot(as_at).in_force)
        assert ledger.verify() == []
    money = list(MONEY_COLUMNS)
    totals = status.by_state[money].sum().to_dict()
    for view in ("assessment", "year", "convention"):
        assert status.to_frame(view)[money].sum().to_dict() == totals, view
    for frame in (status.by_state, status.by_assessment, status.by_year, status.by_convention):
        assert (
            frame["assessed_minor"] - frame["received_minor"]
            == frame["outstanding_minor"] - frame["credit_minor"]
        ).all()
    for row in status.by_state.itertuples(index=False):
        assert row.outstanding_minor >= 0 and row.credit_minor >= 0
        assert min(row.outstanding_minor, row.credit_minor) == 0
        assert row.unapplied_minor == 0 or row.assessed_minor == row.credit_minor == 0
    ageing = status.ageing
    buckets = [name for name, _ in BUCKETS]
    assert (ageing[buckets].sum(axis=1) == ageing["outstanding_minor"]).all()
    assert (
        ageing["prior_years_minor"] + ageing["current_year_minor"] == ageing["outstanding_minor"]
    ).all()
    assert status.by_convention[list(AGE_COLUMNS)].sum().to_dict() == (
        ageing[list(AGE_COLUMNS)].sum().to_dict()
    )
    received = sum(p.amount_minor for p in history.payments if p.received <= as_at)
    assert totals["received_minor"] + totals["unapplied_minor"] == received - moved_out
    assert totals["assessed_minor"] == in_force


amounts = st.dictionaries(st.sampled_from(["AUT", "BEL", "KEN"]), st.integers(0, 10**6))


@given(versions=st.lists(amounts, min_size=1, max_size=5))
def test_a_bill_keeps_what_earlier_versions_billed_and_adds_only_the_difference(
    versions: list[dict[str, int]],
) -> None:
    chain = [
        Version(n, D(2024, 1, 1) + dt.timedelta(days=30 * n), 2024 + n, v)
        for n, v in enumerate(versions, start=1)
    ]
    parts = bill_parts(chain)
    last = versions[-1]
    for iso3 in last:
        mine = [p for p in parts if p.charge.iso3 == iso3]
        assert sum(p.charge.amount_minor for p in mine) == last[iso3]
        assert all(p.charge.amount_minor > 0 for p in mine) or [
            p.charge.amount_minor for p in mine
        ] == [0]
        assert [p.billed_in for p in mine] == sorted(p.billed_in for p in mine)
        if all(iso3 in v for v in versions) and min(v[iso3] for v in versions):
            first = next(p for p in mine if p.billed_in == 1)  # the oldest part keeps its age
            assert first.charge.amount_minor == min(v[iso3] for v in versions)
            assert first.due == D(2024, 1, 1) + dt.timedelta(days=30)
    assert {p.charge.iso3 for p in parts} == set(last)  # every state of the last version


def test_arrears_billed_in_the_estimate_keep_their_age(tmp_path: Path) -> None:
    """The issue's example: estimate issued 2024-06-03 (due 2024-07-03), final 2024-11-15."""
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        estimate = ledger.record_assessment(
            assessment(["AUT", "BEL", "KEN"], 300_000), meeting="12MSP", issued=D(2024, 6, 3)
        )
        final = ledger.record_assessment(
            assessment(["AUT", "BEL", "KEN", "NZL"], 320_000),
            meeting="12MSP",
            kind="final",
            supersedes=estimate.id,
            issued=D(2024, 11, 15),
        )
        status = status_of_contributions(ledger, D(2024, 11, 16))
    rows = status.by_assessment.set_index("iso3")
    kenya_estimate = estimate.line_of("KEN")
    kenya_final = final.line_of("KEN")
    assert kenya_estimate and kenya_final
    assert rows.at["KEN", "days_overdue"] == 136  # 2024-07-03 to 2024-11-16
    assert rows.at["NZL", "days_overdue"] == 0  # only in the final: due 2024-12-15
    ageing = status.ageing.set_index("iso3")
    billed_before = min(kenya_estimate.amount_minor, kenya_final.amount_minor)
    assert ageing.at["KEN", "overdue_91_365_minor"] == billed_before
    assert ageing.at["KEN", "current_minor"] == kenya_final.amount_minor - billed_before
    assert ageing.at["KEN", "outstanding_minor"] == kenya_final.amount_minor
    assert ageing.at["NZL", "current_minor"] == final.line_of("NZL").amount_minor  # type: ignore[union-attr]
    early = status_of_contributions(ledger_path(tmp_path), D(2024, 11, 14))
    assert early.by_state.set_index("iso3").at["KEN", "days_overdue"] == 134


def ledger_path(tmp_path: Path) -> Ledger:
    return Ledger.open(tmp_path / "l.sqlite", create=False)


def test_outstanding_by_year_of_assessment_prior_and_current(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "l.sqlite") as ledger:
        ledger.record_assessment(
            assessment(["AUT", "KEN"], 100_000), meeting="A", issued=D(2023, 3, 1)
        )
        ledger.record_assessment(
            assessment(["AUT", "KEN"], 50_000), meeting="B", issued=D(2024, 3, 1)
        )
        status = status_of_contributions(ledger, D(2024, 12, 31))
    years = status.by_year.set_index("year")
    assert int(years.at[2023, "outstanding_minor"]) == 100_000
    assert int(years.at[2024, "outstanding_minor"]) == 50_000
    ageing = status.ageing[["prior_years_minor", "current_year_minor"]].sum().to_dict()
    assert ageing == {"prior_years_minor": 100_000, "current_year_minor": 50_000}
    by_convention = status.by_convention.iloc[0]  # one convention: these have none named
    assert (by_convention["convention"], by_convention["outstanding_minor"]) == ("", 150_000)
    assert by_convention["overdue_over_365_minor"] == 100_000  # due 2023-03-31
    assert by_convention["overdue_91_365_minor"] == 50_000  # due 2024-03-31


def sheet_totals(path: Path) -> dict[str, dict[str, object]]:
    """Sheet -> money column header -> the cached value of its Total row."""
    import openpyxl

    found = {}
    for ws in openpyxl.load_workbook(path, data_only=True):
        top = int(str(ws.print_title_rows).split(":")[0].strip("$"))
        total = next(
            (r for r in range(top + 1, ws.max_row + 1) if ws.cell(r, 1).value == "Total"), None
        )
        if total is None:
            continue
        found[ws.title] = {
            str(ws.cell(top, c).value).split(" (")[0]: ws.cell(total, c).value
            for c in range(1, ws.max_column + 1)
            if "(USD)" in str(ws.cell(top, c).value)
        }
    return found


@settings(max_examples=8, deadline=None)
@given(history=histories(max_issues=4, max_payments=5), as_at=days, data=st.data())
def test_the_export_adds_up_as_the_status_does(
    history: History, as_at: D, data: st.DataObject
) -> None:
    import ccm_costs as cc

    with tempfile.TemporaryDirectory() as folder:
        with record_history(Path(folder) / "l.sqlite", history) as ledger:
            ledger.import_payments(payable(ledger, history), confirm_dates=True)
            apply_moves(ledger, data)
            status = status_of_contributions(ledger, as_at)
            path = cc.write_ledger_workbook(Path(folder) / "x.xlsx", ledger, as_at=as_at)
            in_force = sum(a.total_minor for a in ledger.snapshot(as_at).in_force)
        found = sheet_totals(path)
    expected = {
        name.split("_")[0].capitalize(): status.totals[name] / 100 for name in MONEY_COLUMNS
    }
    for sheet in ("Status by state", "By assessment", "By year", "By convention"):
        assert {k: found[sheet][k] for k in expected} == pytest.approx(expected, abs=0.001)
    assert found["Assessments"]["In force"] == pytest.approx(in_force / 100, abs=0.001)
    assert found["Assessment lines"]["In force"] == found["Assessments"]["In force"]


@settings(max_examples=15, deadline=None)
@given(history=histories(max_issues=4, max_payments=6), as_at=days, data=st.data())
def test_one_state_is_its_own_rows_of_every_view(
    history: History, as_at: D, data: st.DataObject
) -> None:
    """``states=`` keeps a state's rows as they are in the whole status (its position does
    not depend on the others'), and the views of the part still add up."""
    with (
        tempfile.TemporaryDirectory() as folder,
        record_history(Path(folder) / "l.sqlite", history) as ledger,
    ):
        ledger.import_payments(payable(ledger, history), confirm_dates=True)
        apply_moves(ledger, data)
        whole = status_of_contributions(ledger, as_at)
        codes = whole.by_state["iso3"].tolist()
        if not codes:
            return
        picked = data.draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        part = status_of_contributions(ledger, as_at, states=picked)
    for view in ("state", "assessment", "ageing"):
        mine = whole.to_frame(view)
        mine = mine[mine["iso3"].isin(picked)].reset_index(drop=True)
        assert part.to_frame(view).equals(mine), view
    for view in ("year", "convention"):
        assert {c: int(part.to_frame(view)[c].sum()) for c in MONEY_COLUMNS} == {
            c: int(part.by_state[c].sum()) for c in MONEY_COLUMNS
        }, view
    assert part.provenance["states"] == "only " + ", ".join(sorted(picked))
