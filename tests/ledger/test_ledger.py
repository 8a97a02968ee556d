"""The ledger: versions that supersede, payment application, file checks, and the invariants
of the status of contributions after any history."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import tempfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_strategies import History, assessment, days, histories, payable, record_history

import ccm_costs as cc
from ccm_costs.errors import InvalidInputError
from ccm_costs.ledger import (
    DUE_DAYS,
    Ledger,
    LedgerError,
    Payment,
    PaymentOrder,
    status_of_contributions,
)
from ccm_costs.ledger._payment_rule import Charge, Receipt, apply_payments

D = dt.date


def pay(ref: str, iso3: str, day: D, minor: int, applies_to: int | None = None) -> Payment:
    return Payment(ref, iso3, day, minor, "USD", applies_to=applies_to)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger.open(tmp_path / "ccm.sqlite")


def status_by_state(ledger: Ledger, as_at: D | None = None) -> dict[str, tuple[int, ...]]:
    frame = status_of_contributions(ledger, as_at or D(2030, 1, 1)).by_state
    columns = ["assessed_minor", "received_minor", "outstanding_minor", "credit_minor"]
    return {
        str(row[0]): tuple(int(v) for v in row[1:])
        for row in frame[["iso3", *columns]].itertuples(index=False)
    }


# -- assessments -------------------------------------------------------------------------------


def test_an_assessment_is_stored_with_its_amounts_and_provenance(ledger: Ledger) -> None:
    a = assessment(["AUT", "BEL", "KEN"], 100_000)
    stored = ledger.record_assessment(a, meeting="12MSP", issued=D(2024, 6, 3))
    assert stored.id == 1 and stored.label == "12MSP estimate"
    assert stored.due == D(2024, 6, 3) + dt.timedelta(days=DUE_DAYS)
    assert {ln.iso3: ln.amount_minor for ln in stored.lines} == {
        ln.iso3: ln.amount_minor for ln in a.lines
    }
    assert stored.total_minor == 100_000 and stored.provenance() == a.provenance()
    rows = sqlite3.connect(ledger.path).execute(
        "SELECT DISTINCT typeof(amount_minor) FROM assessment_lines"
    )
    assert rows.fetchall() == [("integer",)]


def test_a_final_assessment_supersedes_the_estimate_which_stays_in_history(
    ledger: Ledger,
) -> None:
    first = ledger.record_assessment(
        assessment(["AUT", "BEL"], 100_000), meeting="M", issued=D(2024, 1, 1)
    )
    final = ledger.record_assessment(
        assessment(["AUT", "BEL", "KEN"], 90_000),
        meeting="M",
        kind="final",
        supersedes=first.id,
        issued=D(2024, 6, 1),
    )
    assert [a.id for a in ledger.history()] == [first.id, final.id]
    now = ledger.snapshot(D(2024, 7, 1))
    assert [a.id for a in now.in_force] == [final.id] and now.superseded_by == {1: 2}
    before = ledger.snapshot(D(2024, 5, 1))  # the final was not yet issued
    assert [a.id for a in before.in_force] == [first.id]
    assert sum(status_by_state(ledger).get(c, (0,))[0] for c in ["AUT", "BEL", "KEN"]) == 90_000


def test_versions_are_checked(ledger: Ledger) -> None:
    first = ledger.record_assessment(assessment(["AUT"], 100), meeting="M", issued=D(2024, 2, 1))
    with pytest.raises(InvalidInputError, match="must name the assessment it supersedes"):
        ledger.record_assessment(assessment(["AUT"], 100), meeting="M", kind="correction")
    with pytest.raises(InvalidInputError, match="is a correction"):
        ledger.record_assessment(assessment(["AUT"], 100), meeting="M", supersedes=first.id)
    with pytest.raises(InvalidInputError, match="same meeting"):
        ledger.record_assessment(
            assessment(["AUT"], 100), meeting="Other", kind="final", supersedes=first.id
        )
    with pytest.raises(InvalidInputError, match="before #1"):
        ledger.record_assessment(
            assessment(["AUT"], 100), meeting="M", kind="final", supersedes=1, issued=D(2024, 1, 1)
        )
    with pytest.raises(InvalidInputError, match="no assessment #9"):
        ledger.record_assessment(assessment(["AUT"], 100), meeting="M", kind="final", supersedes=9)
    ledger.record_assessment(
        assessment(["AUT"], 200), meeting="M", kind="correction", supersedes=1, issued=D(2024, 3, 1)
    )
    with pytest.raises(InvalidInputError, match="already superseded by #2: supersede #2"):
        ledger.record_assessment(
            assessment(["AUT"], 300), meeting="M", kind="correction", supersedes=1
        )
    with pytest.raises(InvalidInputError, match="name the meeting"):
        ledger.record_assessment(assessment(["AUT"], 100))
    with pytest.raises(InvalidInputError, match="cannot be negative"):
        ledger.record_assessment(
            cc.apportion("-1.00", ["AUT"], scale="2019-2021"),
            meeting="M",
            kind="final",
            supersedes=2,
        )
    assert len(ledger.history()) == 2


def test_rows_cannot_be_edited_or_deleted_and_money_cannot_be_real(ledger: Ledger) -> None:
    ledger.record_assessment(assessment(["AUT"], 100), meeting="M", issued=D(2024, 1, 1))
    ledger.import_payments([pay("R1", "AUT", D(2024, 1, 2), 50)])
    raw = sqlite3.connect(ledger.path)
    for statement in (
        "UPDATE assessments SET total_minor = 1",
        "DELETE FROM assessment_lines",
        "UPDATE payments SET amount_minor = 2",
        "DELETE FROM payments",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            raw.execute(statement)
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: a REAL never lands in a money column
        raw.execute(
            "INSERT INTO payments (reference, iso3, received, amount_minor, currency, note, "
            "recorded_at) VALUES ('R2', 'AUT', '2024-01-03', 12.5, 'USD', '', 'x')"
        )


def test_one_currency_per_ledger(tmp_path: Path) -> None:
    path = tmp_path / "eur.sqlite"
    Ledger.open(path, currency="EUR").close()
    with Ledger.open(path) as ledger:
        assert ledger.currency == "EUR"
        with pytest.raises(InvalidInputError, match="ledger in EUR"):
            ledger.record_assessment(assessment(["AUT"], 100), meeting="M")
    with pytest.raises(LedgerError, match="keeps amounts in EUR, not USD"):
        Ledger.open(path, currency="USD")


# -- payments ----------------------------------------------------------------------------------


def test_payments_settle_the_oldest_first_and_the_excess_is_a_credit(ledger: Ledger) -> None:
    old = ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2023, 1, 1))
    new = ledger.record_assessment(assessment(["AUT"], 500), meeting="B", issued=D(2024, 1, 1))
    ledger.import_payments(
        [pay("R1", "AUT", D(2024, 2, 1), 1200), pay("R2", "AUT", D(2024, 3, 1), 400)]
    )
    applied = Counter()
    for a in ledger.snapshot().applications:
        applied[(a.reference, a.assessment_id)] += a.amount_minor
    assert applied == {("R1", old.id): 1000, ("R1", new.id): 200, ("R2", new.id): 300}
    assert status_by_state(ledger)["AUT"] == (1500, 1600, 0, 100)


def test_a_payment_before_any_assessment_is_held_unapplied_then_settles_it(
    ledger: Ledger,
) -> None:
    ledger.import_payments([pay("ADV", "KEN", D(2024, 1, 5), 700)], confirm_dates=True)
    assert status_by_state(ledger)["KEN"] == (0, 0, 0, 0)  # not a credit: unapplied
    early = status_of_contributions(ledger, D(2024, 5, 1)).by_state.set_index("iso3")
    assert (early.at["KEN", "unapplied_minor"], early.at["KEN", "status"]) == (
        700,
        "unapplied receipt",
    )
    ledger.record_assessment(assessment(["KEN"], 500), meeting="M", issued=D(2024, 6, 1))
    assert status_by_state(ledger)["KEN"] == (500, 700, 0, 200)
    assert status_by_state(ledger, D(2024, 5, 1))["KEN"] == (0, 0, 0, 0)


def test_named_first_settles_the_named_assessment_first(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "n.sqlite", payment_order="named_first") as ledger:
        old = ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2023, 1, 1))
        new = ledger.record_assessment(assessment(["AUT"], 500), meeting="B", issued=D(2024, 1, 1))
        ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 600, applies_to=new.id)])
        applied = {a.assessment_id: a.amount_minor for a in ledger.snapshot().applications}
        assert applied == {new.id: 500, old.id: 100}
        what_if = ledger.snapshot(order=PaymentOrder.OLDEST_FIRST).applications
        assert {a.assessment_id: a.amount_minor for a in what_if} == {old.id: 600}


def test_a_payment_named_for_a_superseded_assessment_follows_its_successor(
    tmp_path: Path,
) -> None:
    with Ledger.open(tmp_path / "n.sqlite", payment_order="named_first") as ledger:
        ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2023, 1, 1))
        est = ledger.record_assessment(assessment(["AUT"], 500), meeting="B", issued=D(2024, 1, 1))
        fin = ledger.record_assessment(
            assessment(["AUT"], 400),
            meeting="B",
            kind="final",
            supersedes=est.id,
            issued=D(2024, 6, 1),
        )
        ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 450, applies_to=est.id)])
        applied = {a.assessment_id: a.amount_minor for a in ledger.snapshot().applications}
        assert applied == {fin.id: 400, 1: 50}


def test_the_same_reference_is_recorded_once(ledger: Ledger) -> None:
    ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2024, 1, 1))
    first = ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 600)])
    again = ledger.import_payments(
        [pay("R1", "AUT", D(2024, 2, 1), 600), pay("R2", "AUT", D(2024, 2, 2), 1)]
    )
    assert len(first.recorded) == 1 and [p.reference for p in again.recorded] == ["R2"]
    assert [p.reference for p in again.already_recorded] == ["R1"]
    assert "already recorded, skipped: 1 payment(s) (R1)" in str(again)
    with pytest.raises(InvalidInputError, match=r"already recorded for AUT, 2024-02-01, 6\.00 USD"):
        ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 601)])
    assert len(ledger.payments()) == 2


def test_a_dry_run_shows_what_would_be_settled_and_writes_nothing(ledger: Ledger) -> None:
    ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2024, 1, 1))
    result = ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 1500)], dry_run=True)
    assert result.dry_run and [a.amount_minor for a in result.applications] == [1000]
    assert "would record 1 payment(s)" in str(result) and "credit 5.00" in str(result)
    assert ledger.payments() == []


def test_one_bad_payment_rejects_all_with_every_problem(ledger: Ledger) -> None:
    ledger.record_assessment(assessment(["AUT"], 1000), meeting="A", issued=D(2024, 1, 1))
    batch = [
        pay("R1", "AUT", D(2024, 2, 1), 100),
        Payment("R2", "AUT", D(2024, 2, 1), 100, "EUR"),
        pay("R1", "AUT", D(2024, 2, 3), 100),
        pay("R3", "BEL", D(2024, 2, 3), 100, applies_to=1),
    ]
    with pytest.raises(InvalidInputError) as caught:
        ledger.import_payments(batch)
    problems = caught.value.problems  # type: ignore[attr-defined]
    assert len(problems) == 3
    assert "EUR is not the ledger's (USD)" in problems[0]
    assert "reference 'R1' is also on row" in problems[1]
    assert "assessment #1 does not assess BEL" in problems[2]
    assert ledger.payments() == []


# -- files that are not ledgers ----------------------------------------------------------------


def test_random_bytes_are_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "noise.sqlite"
    path.write_bytes(random.Random(1).randbytes(8192))
    with pytest.raises(LedgerError, match="not an SQLite database"):
        Ledger.open(path)
    assert path.stat().st_size == 8192


def test_another_applications_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    with pytest.raises(LedgerError, match=r"another application .* tables: notes"):
        Ledger.open(path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA application_id = 1234")
    with pytest.raises(LedgerError, match="application id 1234"):
        Ledger.open(path)


def test_a_newer_ledger_is_refused(ledger: Ledger) -> None:
    ledger.close()
    with sqlite3.connect(ledger.path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(LedgerError, match="newer ccm_costs"):
        Ledger.open(ledger.path)


def test_a_damaged_ledger_is_detected(ledger: Ledger) -> None:
    for n in range(30):
        ledger.record_assessment(assessment(["AUT", "BEL", "KEN"], 1000 + n), meeting=f"M{n}")
    ledger.close()
    data = bytearray(ledger.path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 : 3 * 4096] = random.Random(2).randbytes(2 * 4096)
    ledger.path.write_bytes(bytes(data))
    with pytest.raises(LedgerError, match="damaged"):
        Ledger.open(ledger.path)


def test_a_missing_or_empty_file_is_not_created_unless_asked(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match=r"no ledger at .*record an assessment first"):
        Ledger.open(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()
    (tmp_path / "empty.sqlite").touch()
    with pytest.raises(LedgerError, match="empty file"):
        Ledger.open(tmp_path / "empty.sqlite", create=False)


def test_a_ledger_missing_its_tables_is_damaged(ledger: Ledger) -> None:
    ledger.close()
    with sqlite3.connect(ledger.path) as conn:
        conn.execute("DROP TABLE payments")
    with pytest.raises(LedgerError, match=r"damaged: its ledger tables .* \(payments\)"):
        Ledger.open(ledger.path)


# -- invariants --------------------------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(history=histories(), as_at=days, order=st.sampled_from(list(PaymentOrder)))
def test_assessed_less_received_is_outstanding_less_credit(
    history: History, as_at: D, order: PaymentOrder
) -> None:
    with (
        tempfile.TemporaryDirectory() as folder,
        record_history(Path(folder) / "l.sqlite", history, order.value) as ledger,
    ):
        ledger.import_payments(payable(ledger, history), confirm_dates=True)
        status = status_of_contributions(ledger, as_at)
    for row in status.by_state.itertuples(index=False):
        assessed, received = int(row.assessed_minor), int(row.received_minor)
        outstanding, credit = int(row.outstanding_minor), int(row.credit_minor)
        assert assessed - received == outstanding - credit
        assert outstanding >= 0 and credit >= 0 and min(outstanding, credit) == 0
    expected = sum(p.amount_minor for p in history.payments if p.received <= as_at)
    assert status.totals["received_minor"] + status.totals["unapplied_minor"] == expected
    frame = status.by_assessment
    assert (
        frame["assessed_minor"] - frame["received_minor"]
        == frame["outstanding_minor"] - frame["credit_minor"]
    ).all()
    assert int(frame["outstanding_minor"].sum()) == status.totals["outstanding_minor"]


@settings(max_examples=25, deadline=None)
@given(history=histories(), order=st.sampled_from(list(PaymentOrder)), seed=st.integers(0, 99))
def test_payments_recorded_in_any_order_end_in_the_same_totals(
    history: History, order: PaymentOrder, seed: int
) -> None:
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for n, shuffle in enumerate((False, True)):
            with record_history(Path(folder) / f"{n}.sqlite", history, order.value) as ledger:
                batch = payable(ledger, history)
                if shuffle:
                    random.Random(seed).shuffle(batch)
                for payment in batch:  # one import per payment: recording order differs
                    ledger.import_payments([payment], confirm_dates=True)
                results.append(status_by_state(ledger))
    assert results[0] == results[1]


charges = st.lists(
    st.builds(
        Charge,
        assessment_id=st.integers(1, 6),
        iso3=st.sampled_from(["AUT", "BEL", "KEN"]),
        amount_minor=st.integers(0, 10**6),
    ),
    max_size=12,
    unique_by=lambda c: (c.assessment_id, c.iso3),
)
receipts = st.lists(
    st.builds(
        Receipt,
        reference=st.uuids().map(str),
        iso3=st.sampled_from(["AUT", "BEL", "KEN"]),
        amount_minor=st.integers(1, 10**6),
        applies_to=st.one_of(st.none(), st.integers(1, 6)),
    ),
    max_size=10,
)


@given(
    charges=charges, receipts=receipts, order=st.sampled_from(list(PaymentOrder)), data=st.data()
)
def test_applying_receipts_in_any_order_gives_the_same_totals_per_state(
    charges: list[Charge], receipts: list[Receipt], order: PaymentOrder, data: st.DataObject
) -> None:
    def totals(sequence: list[Receipt]) -> dict[str, tuple[int, int, int, int]]:
        applied = apply_payments(charges, sequence, order)
        out = {}
        for code in ["AUT", "BEL", "KEN"]:
            assessed = sum(c.amount_minor for c in charges if c.iso3 == code)
            received = sum(r.amount_minor for r in sequence if r.iso3 == code)
            settled = sum(a.amount_minor for a in applied if a.iso3 == code)
            out[code] = (assessed, received, assessed - settled, received - settled)
        per_charge = Counter()
        for a in applied:
            per_charge[(a.assessment_id, a.iso3)] += a.amount_minor
        assert all(per_charge[(c.assessment_id, c.iso3)] <= c.amount_minor for c in charges)
        return out

    shuffled = data.draw(st.permutations(receipts))
    first, second = totals(receipts), totals(list(shuffled))
    assert first == second
    for _, _, outstanding, credit in first.values():
        assert min(outstanding, credit) == 0


@given(charges=charges, receipts=receipts, data=st.data())
def test_oldest_first_settles_the_same_per_assessment_in_any_order(
    charges: list[Charge], receipts: list[Receipt], data: st.DataObject
) -> None:
    def settled(sequence: list[Receipt]) -> Counter[tuple[int, str]]:
        out: Counter[tuple[int, str]] = Counter()
        for a in apply_payments(charges, sequence, PaymentOrder.OLDEST_FIRST):
            out[(a.assessment_id, a.iso3)] += a.amount_minor
        return out

    assert settled(receipts) == settled(list(data.draw(st.permutations(receipts))))
