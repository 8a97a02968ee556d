"""Which assessment a payment pays: the rule that turns payments into applications.

UN practice (and the default, :attr:`PaymentOrder.OLDEST_FIRST`): a state's payment settles its
oldest outstanding assessment first, then the next oldest, and whatever is left is held as a
credit that settles the state's next assessments. :attr:`PaymentOrder.NAMED_FIRST` lets a payment
name the assessment it is for: it settles that one first, the rest goes oldest first.

The functions here are pure (no database): the ledger hands them the parts of the bills in force,
oldest first (a final keeps the estimate's part at the estimate's due date, see
:func:`bill_parts`), and the receipts in the order they were received, refunds and transfers of
credit already taken out of them (:func:`net_receipts`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from ..errors import InvalidInputError


class PaymentOrder(StrEnum):
    """The order in which a payment settles a state's outstanding assessments."""

    OLDEST_FIRST = "oldest_first"
    """The oldest outstanding assessment first (by due date, then issue date): UN practice."""
    NAMED_FIRST = "named_first"
    """The assessment the payment names first (if any and still outstanding), then oldest first."""

    @classmethod
    def _missing_(cls, value: object) -> PaymentOrder:
        choices = ", ".join(repr(order.value) for order in cls)
        raise InvalidInputError(
            f"payment order {value!r} is not known: give one of {choices}"
        ).for_cli(f"--payment-order {value}: give one of {choices}")


@dataclass(frozen=True)
class Charge:
    """What one assessment asks of one state, in minor units; ``part`` numbers the parts of a
    state's bill that fall due on different dates (0, the oldest, unless the bill is split)."""

    assessment_id: int
    iso3: str
    amount_minor: int
    part: int = 0


@dataclass(frozen=True)
class Version:
    """One version of an assessment as :func:`bill_parts` reads it."""

    id: int
    due: dt.date
    year: int
    amounts: Mapping[str, int]


@dataclass(frozen=True)
class BillPart:
    """Part of a state's bill under the assessment in force, billed by one of its versions."""

    charge: Charge
    billed_in: int
    """The version that billed this part (the estimate, for what the estimate already billed)."""
    due: dt.date
    year: int


def bill_parts(versions: Sequence[Version]) -> list[BillPart]:
    """The parts of each state's bill under the last of ``versions`` (oldest version first).

    What an earlier version billed keeps its due date (arrears keep their age): a later version
    that asks more of a state adds a part for the difference, due on its own due date; one that
    asks less cuts the newest parts first (the state's payments beyond it become its credit).
    A state the last version assesses at 0 has one part of 0.
    """
    parts: dict[str, list[tuple[int, dt.date, int, int]]] = {}
    for version in versions:
        for iso3 in set(parts) - set(version.amounts):
            del parts[iso3]  # not in this version: what it was billed is no longer due
        for iso3, amount in version.amounts.items():
            held = parts.setdefault(iso3, [])
            billed = sum(p[3] for p in held)
            if amount > billed:
                held.append((version.id, version.due, version.year, amount - billed))
            while billed > amount:
                cut = min(held[-1][3], billed - amount)
                billed -= cut
                last = held.pop()
                if last[3] > cut:
                    held.append((*last[:3], last[3] - cut))
    head = versions[-1]
    for held in parts.values():
        if not held:  # assessed nothing: one part of 0, so that the state keeps its line
            held.append((head.id, head.due, head.year, 0))
    return [
        BillPart(Charge(head.id, iso3, amount, n), billed_in, due, year)
        for iso3, held in parts.items()
        for n, (billed_in, due, year, amount) in enumerate(held)
    ]


@dataclass(frozen=True)
class Receipt:
    """A payment as the rule sees it: who paid how much, and the assessment it names."""

    reference: str
    iso3: str
    amount_minor: int
    applies_to: int | None = None
    earmarked: bool = False
    """A credit transferred to ``applies_to``: it settles that assessment first under any rule."""


@dataclass(frozen=True)
class Application:
    """Part of a payment that settles part of an assessment (``part`` of the state's bill)."""

    reference: str
    assessment_id: int
    iso3: str
    amount_minor: int
    part: int = 0


def net_receipts(
    receipts: Sequence[tuple[dt.date, Receipt]], taken: Iterable[tuple[dt.date, str, int]]
) -> list[Receipt]:
    """The receipts (in order of receipt) less the money taken out of a state's credit by
    refunds and transfers: each ``(date, iso3, amount)`` comes out of the state's latest
    receipts up to its date (a credit is the money most recently received). Receipts taken
    whole are dropped."""
    left = [r.amount_minor for _, r in receipts]
    for day, iso3, amount in taken:
        need = amount
        for n in range(len(receipts) - 1, -1, -1):
            received, receipt = receipts[n]
            if need == 0:
                break
            if receipt.iso3 == iso3 and received <= day and not receipt.earmarked:
                out = min(need, left[n])
                left[n] -= out
                need -= out
    return [
        replace(receipt, amount_minor=kept)
        for (_, receipt), kept in zip(receipts, left, strict=True)
        if kept
    ]


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
    outstanding = {(c.assessment_id, c.iso3, c.part): c.amount_minor for c in charges}
    by_state: dict[str, list[tuple[int, int]]] = {}
    for charge in charges:
        by_state.setdefault(charge.iso3, []).append((charge.assessment_id, charge.part))
    applications: list[Application] = []
    for receipt in receipts:
        targets = by_state.get(receipt.iso3, [])
        named = receipt.applies_to
        if rule is PaymentOrder.NAMED_FIRST or receipt.earmarked:
            targets = [t for t in targets if t[0] == named] + [t for t in targets if t[0] != named]
        left = receipt.amount_minor
        for assessment_id, part in targets:
            if left == 0:
                break
            key = (assessment_id, receipt.iso3, part)
            paid = min(left, outstanding[key])
            if paid:
                outstanding[key] -= paid
                left -= paid
                applications.append(
                    Application(receipt.reference, assessment_id, receipt.iso3, paid, part)
                )
    return applications
