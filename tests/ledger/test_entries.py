"""Entries beyond assessments and payments: duplicate assessments refused, voids, refunds and
transfers of credit, unapplied receipts, payment files with thousands separators and ragged
rows, payment dates outside the ledger's life."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from ledger_strategies import assessment

from ccm_costs.errors import InvalidInputError
from ccm_costs.ledger import Ledger, Payment, PaymentImportError, PaymentOrder
from ccm_costs.ledger import status_of_contributions as status_of

D = dt.date


def pay(ref: str, iso3: str, day: D, minor: int, applies_to: int | None = None) -> Payment:
    return Payment(ref, iso3, day, minor, "USD", applies_to=applies_to)


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    ledger = Ledger.open(tmp_path / "ccm.sqlite")
    ledger.record_assessment(
        assessment(["AUT", "BEL", "KEN"], 300_000), meeting="M", issued=D(2024, 1, 1)
    )
    return ledger


LATER = D(2025, 1, 1)


def state(ledger: Ledger, iso3: str, as_at: D = LATER) -> dict[str, object]:
    frame = status_of(ledger, as_at).by_state.set_index("iso3")
    return frame.loc[iso3].to_dict()


def test_the_same_assessment_twice_is_refused_naming_the_first(ledger: Ledger) -> None:
    again = assessment(["AUT", "BEL", "KEN"], 300_000)
    with pytest.raises(InvalidInputError, match=r"in force as No\. 1 \(M estimate") as caught:
        ledger.record_assessment(again, meeting="M", issued=D(2024, 1, 1))
    assert "duplicate_ok=True" in str(caught.value)
    assert caught.value.cli_message and "--duplicate-ok" in caught.value.cli_message
    assert len(ledger.history()) == 1
    other_day = ledger.record_assessment(again, meeting="M", issued=D(2024, 1, 2))
    on_purpose = ledger.record_assessment(
        again, meeting="M", issued=D(2024, 1, 1), duplicate_ok=True
    )
    assert (other_day.id, on_purpose.id) == (2, 3)


def test_a_void_assessment_no_longer_counts_and_its_payments_become_credit(
    ledger: Ledger,
) -> None:
    ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), 5_000)])
    void = ledger.void(1, reason="issued in error", on=D(2024, 3, 1))
    assert (void.assessment_id, void.reason, void.voided) == (1, "issued in error", D(2024, 3, 1))
    assert state(ledger, "AUT", D(2024, 2, 15))["credit_minor"] == 0  # before the void
    after = state(ledger, "AUT")
    assert (after["assessed_minor"], after["received_minor"], after["credit_minor"]) == (
        0,
        5_000,
        5_000,
    )
    assert len(ledger.history()) == 1 and ledger.voids() == [void]
    with pytest.raises(InvalidInputError, match=r"already void since 2024-03-01"):
        ledger.void(1, reason="again")
    with pytest.raises(InvalidInputError, match=r"#1 is void since 2024-03-01"):
        ledger.record_assessment(
            assessment(["AUT"], 100), meeting="M", kind="final", supersedes=1, issued=D(2024, 4, 1)
        )


def test_voids_are_checked(ledger: Ledger) -> None:
    final = ledger.record_assessment(
        assessment(["AUT", "BEL"], 200_000), meeting="M", kind="final", supersedes=1,
        issued=D(2024, 6, 1),
    )  # fmt: skip
    with pytest.raises(InvalidInputError, match=r"superseded by No\. 2: void No\. 2"):
        ledger.void(1, reason="wrong")
    with pytest.raises(InvalidInputError, match=r"say why"):
        ledger.void(final.id, reason="  ")
    with pytest.raises(InvalidInputError, match=r"before assessment No\. 2 was issued"):
        ledger.void(final.id, reason="wrong", on=D(2024, 5, 1))
    with pytest.raises(InvalidInputError, match=r"no assessment #9"):
        ledger.void(9, reason="wrong")


def test_refunds_and_transfers_take_money_out_of_a_credit(ledger: Ledger) -> None:
    share = ledger.assessment(1).line_of("AUT")
    assert share
    ledger.import_payments([pay("R1", "AUT", D(2024, 2, 1), share.amount_minor + 900)])
    assert state(ledger, "AUT")["credit_minor"] == 900
    with pytest.raises(
        InvalidInputError, match=r"more than Austria's credit on 2024-03-01 \(9\.00"
    ):
        ledger.refund("Austria", "9.01", on=D(2024, 3, 1))
    refund = ledger.refund("Austria", "4.00", on=D(2024, 3, 1), note="wire")
    out = ledger.transfer("AUT", "2.00", to_convention="APMBC", on=D(2024, 3, 2))
    assert (refund.reference, out.reference, out.leaves_ledger) == (
        "refund No. 1",
        "transfer No. 2",
        True,
    )
    after = state(ledger, "AUT")
    assert (after["received_minor"], after["credit_minor"]) == (share.amount_minor + 300, 300)
    new = ledger.record_assessment(
        assessment(["AUT", "BEL"], 100_000), meeting="N", issued=D(2024, 6, 1)
    )
    with pytest.raises(InvalidInputError, match=r"credit on 2024-06-02 \(0\.00 USD\)"):
        ledger.transfer("Austria", "3.00", to_assessment=new.id, on=D(2024, 6, 2))  # used by N
    moved = ledger.transfer("Austria", "3.00", to_assessment=new.id, on=D(2024, 5, 1))
    applied = [a for a in ledger.snapshot().applications if a.reference == moved.reference]
    assert [(a.assessment_id, a.amount_minor) for a in applied] == [(new.id, 300)]
    assert ledger.verify() == []


def test_transfers_are_checked(ledger: Ledger) -> None:
    ledger.import_payments([pay("R1", "NZL", D(2024, 2, 1), 500)])  # NZL is not assessed
    with pytest.raises(InvalidInputError, match=r"goes to one place") as caught:
        ledger.transfer("NZL", "1.00")
    assert caught.value.cli_message and "--to-assessment N or --to-convention" in (
        caught.value.cli_message
    )
    with pytest.raises(InvalidInputError, match=r"No\. 1 does not assess New Zealand"):
        ledger.transfer("NZL", "1.00", to_assessment=1, on=D(2024, 3, 1))
    with pytest.raises(InvalidInputError, match=r"no assessment #7"):
        ledger.transfer("NZL", "1.00", to_assessment=7, on=D(2024, 3, 1))
    for amount in ("0", "-100"):  # one message for both
        with pytest.raises(InvalidInputError, match=r"a refund is more than 0\.00 USD"):
            ledger.refund("NZL", amount, on=D(2024, 3, 1))
    ledger.refund("NZL", "5.00", on=D(2024, 3, 1))  # unapplied receipts can go back
    assert "NZL" not in set(status_of(ledger, D(2025, 1, 1)).by_state["iso3"])


def test_a_payment_from_a_state_not_assessed_is_held_unapplied(ledger: Ledger) -> None:
    result = ledger.import_payments([pay("R1", "NZL", D(2024, 2, 1), 500)])
    assert result.unapplied == {"NZL"}
    assert "held unapplied 5.00: nothing in the ledger assesses NZL" in str(result)
    row = state(ledger, "NZL")
    assert (row["received_minor"], row["credit_minor"], row["unapplied_minor"], row["status"]) == (
        0,
        0,
        500,
        "unapplied receipt",
    )
    summary = status_of(ledger, D(2025, 1, 1)).summary()
    assert "unapplied 5.00 (from states the ledger does not assess)" in summary


def test_payment_dates_outside_the_ledger_are_refused_unless_confirmed(ledger: Ledger) -> None:
    early, late = pay("R1", "AUT", D(2023, 12, 31), 100), pay("R2", "AUT", D(2024, 5, 2), 100)
    with pytest.raises(PaymentImportError) as caught:
        ledger.import_payments([early, late], today=D(2024, 5, 1))
    assert list(caught.value.problems) == [
        "payment 'R1': date 2023-12-31 is before the ledger's first assessment (issued "
        "2024-01-01): check it, or confirm it (confirm_dates=True)",
        "payment 'R2': date 2024-05-02 is after today (2024-05-01): check it, or confirm it "
        "(confirm_dates=True)",
    ]
    assert caught.value.cli_message and "--confirm-dates" in caught.value.cli_message
    assert ledger.payments() == []
    result = ledger.import_payments([early, late], today=D(2024, 5, 1), confirm_dates=True)
    assert len(result.recorded) == 2


def test_thousands_separators_in_quotes_are_read_and_ragged_rows_refused(
    ledger: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "date,state,amount,currency,reference\n"
        '2024-03-01,Austria,"1,000.00",USD,R1\n'
        "2024-03-02,Belgium,1,000.00,USD,R2\n"
        "2024-03-03,Kenya,5.00\n"
    )
    with pytest.raises(PaymentImportError) as caught:
        ledger.import_payments(path)
    hint = 'quote a cell that holds the separator, as "1,000.00"'
    assert list(caught.value.problems) == [
        f"row 3: 6 cells where the header has 5: {hint}",
        f"row 4: 3 cells where the header has 5: {hint}",
    ]
    path.write_text('date,state,amount,currency,reference\n2024-03-01,austria,"1,000.00",USD,R1\n')
    dry = ledger.import_payments(path, dry_run=True)
    assert dry.recorded[0].amount_minor == 100_000
    assert "names matched:\n  'austria' -> AUT (Austria)" in str(dry)


def test_payment_order_and_kind_of_a_bad_name_are_the_librarys_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"payment order 'bad' is not known: give one of"):
        PaymentOrder("bad")
