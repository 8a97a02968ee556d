"""The money cycle: the ledger (assessments, payments, voids, refunds and transfers of credit
in an SQLite file that seals every row), payment files, the payment rule, the status of
contributions, and estimate-against-final reconciliation. Names load on first use."""

import typing as _typing

from .._public import lazy_loader as _lazy_loader
from ..errors import LedgerError, PaymentImportError

if _typing.TYPE_CHECKING:
    from ._entries import (
        CreditMove,
        ImportResult,
        LedgerSnapshot,
        StoredAssessment,
        StoredLine,
        Void,
    )
    from ._kinds import AssessmentKind
    from ._payment_rule import PaymentOrder
    from ._payments import Payment, PaymentFile, read_payments
    from ._reconcile import Reconciliation, ReconciliationLine, reconcile, reconcile_recorded
    from ._status import ContributionStatus, status_of_contributions
    from ._store import DUE_DAYS, Ledger

_NAMES = {
    "AssessmentKind": "._kinds",
    "PaymentOrder": "._payment_rule",
    **dict.fromkeys(["Payment", "PaymentFile", "read_payments"], "._payments"),
    **dict.fromkeys(
        ["Reconciliation", "ReconciliationLine", "reconcile", "reconcile_recorded"],
        "._reconcile",
    ),
    **dict.fromkeys(["ContributionStatus", "status_of_contributions"], "._status"),
    **dict.fromkeys(
        ["CreditMove", "ImportResult", "LedgerSnapshot", "StoredAssessment", "StoredLine", "Void"],
        "._entries",
    ),
    **dict.fromkeys(["DUE_DAYS", "Ledger"], "._store"),
}

__all__ = [
    "DUE_DAYS",
    "AssessmentKind",
    "ContributionStatus",
    "CreditMove",
    "ImportResult",
    "Ledger",
    "LedgerError",
    "LedgerSnapshot",
    "Payment",
    "PaymentFile",
    "PaymentImportError",
    "PaymentOrder",
    "Reconciliation",
    "ReconciliationLine",
    "StoredAssessment",
    "StoredLine",
    "Void",
    "read_payments",
    "reconcile",
    "reconcile_recorded",
    "status_of_contributions",
]

_load = _lazy_loader(globals(), _NAMES)


def __getattr__(name: str) -> object:
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)
