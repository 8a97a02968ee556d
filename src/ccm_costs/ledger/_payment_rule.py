"""Which assessment a payment pays: the rule that turns payments into applications.

UN practice (and the default, :attr:`PaymentOrder.OLDEST_FIRST`): a state's payment settles its
oldest outstanding assessment first, then the next oldest, and whatever is left is held as a
credit that settles the state's next assessments. :attr:`PaymentOrder.NAMED_FIRST` lets a payment
name the assessment it is for: it settles that one first, the rest goes oldest first.

The functions here are pure (no database): the ledger hands them the assessments in force, oldest
first, and the payments in the order they were received.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class PaymentOrder(StrEnum):
    """The order in which a payment settles a state's outstanding assessments."""

    OLDEST_FIRST = "oldest_first"
    """The oldest outstanding assessment first (by due date, then issue date): UN practice."""
    NAMED_FIRST = "named_first"
    """The assessment the payment names first (if any and still outstanding), then oldest first."""


@dataclass(frozen=True)
class Charge:
    """What one assessment asks of one state, in minor units."""

    assessment_id: int
    iso3: str
    amount_minor: int


@dataclass(frozen=True)
class Receipt:
    """A payment as the rule sees it: who paid how much, and the assessment it names."""

    reference: str
    iso3: str
    amount_minor: int
    applies_to: int | None = None


@dataclass(frozen=True)
class Application:
    """Part of a payment that settles part of an assessment."""

    reference: str
    assessment_id: int
    iso3: str
    amount_minor: int


def apply_payments(
    charges: Sequence[Charge],
    receipts: Iterable[Receipt],
    order: PaymentOrder | str = PaymentOrder.OLDEST_FIRST,
) -> list[Application]:
    """Apply each receipt, in the order given, to the charges of its state.

    ``charges`` are oldest first. A receipt never settles more than is outstanding: the part of
    it that no charge needs is the state's credit (its amount less its applications).
    """
    rule = PaymentOrder(order)
    outstanding = {(c.assessment_id, c.iso3): c.amount_minor for c in charges}
    by_state: dict[str, list[int]] = {}
    for charge in charges:
        by_state.setdefault(charge.iso3, []).append(charge.assessment_id)
    applications: list[Application] = []
    for receipt in receipts:
        targets = by_state.get(receipt.iso3, [])
        named = receipt.applies_to
        if rule is PaymentOrder.NAMED_FIRST and named in targets:
            targets = [named, *(t for t in targets if t != named)]
        left = receipt.amount_minor
        for assessment_id in targets:
            if left == 0:
                break
            key = (assessment_id, receipt.iso3)
            paid = min(left, outstanding[key])
            if paid:
                outstanding[key] -= paid
                left -= paid
                applications.append(
                    Application(receipt.reference, assessment_id, receipt.iso3, paid)
                )
    return applications
