"""ccm_costs: who pays how much for a meeting of the Convention on Cluster Munitions.

The data flow: a UN scale of assessment (:func:`load_scale`) -> the states that bear a cost ->
adjusted exact shares -> amounts exact to the minor unit (:func:`apportion`, or
:func:`assess` for a CCM meeting) -> an :class:`Assessment` with a pandas table
(``to_frame()``) and an Excel workbook (``to_excel()``, :func:`write_workbook`), which
:func:`check_workbook` can verify.
"""

from ._ledger_schema import LedgerError
from .adjustment import AdjustmentRules, GroupCeiling
from .allocation import TIE_RULE, allocate
from .apportion import apportion
from .assessment import Assessment, AssessmentLine
from .contributions import ContributionStatus, status_of_contributions
from .errors import (
    CcmCostsError,
    InfeasibleBoundsError,
    InvalidInputError,
    MeetingError,
    MissingRateError,
    ScaleValidationError,
    UnknownPeriodError,
    UnknownStateError,
)
from .excel import write_workbook
from .ledger import AssessmentKind, ImportResult, Ledger, LedgerSnapshot, StoredAssessment
from .ledger_excel import write_ledger_workbook
from .meetings import Meeting, MeetingPart, assess, get_meeting, load_meeting, load_meetings
from .membership import (
    MembershipRecord,
    MembershipStatus,
    deposited_not_bound_on,
    deposited_on,
    entry_into_force,
    membership,
    parties_on,
    signatories_on,
    status_on,
)
from .money import RoundingUnit, currency_exponent, to_minor_units
from .participation import NonMemberRatePolicy
from .payment_rule import PaymentOrder
from .payments import Payment, PaymentImportError, read_payments
from .published_rates import AmountBasis, RateRounding
from .reconcile import Reconciliation, ReconciliationLine, reconcile
from .scale import (
    Scale,
    available_periods,
    load_scale,
    notional_rates,
    scale_from_csv,
    scale_from_excel,
    scale_from_frame,
)
from .scenario_engine import apportion_many, iter_apportion_many
from .scenarios import monte_carlo, sensitivity
from .states import resolve_state, state_name
from .un_workbook import read_un_workbook
from .workbook_check import WorkbookCheck, check_workbook, read_assessment_table

__all__ = [
    "TIE_RULE",
    "AdjustmentRules",
    "AmountBasis",
    "Assessment",
    "AssessmentKind",
    "AssessmentLine",
    "CcmCostsError",
    "ContributionStatus",
    "GroupCeiling",
    "ImportResult",
    "InfeasibleBoundsError",
    "InvalidInputError",
    "Ledger",
    "LedgerError",
    "LedgerSnapshot",
    "Meeting",
    "MeetingError",
    "MeetingPart",
    "MembershipRecord",
    "MembershipStatus",
    "MissingRateError",
    "NonMemberRatePolicy",
    "Payment",
    "PaymentImportError",
    "PaymentOrder",
    "RateRounding",
    "Reconciliation",
    "ReconciliationLine",
    "RoundingUnit",
    "Scale",
    "ScaleValidationError",
    "StoredAssessment",
    "UnknownPeriodError",
    "UnknownStateError",
    "WorkbookCheck",
    "allocate",
    "apportion",
    "apportion_many",
    "assess",
    "available_periods",
    "check_workbook",
    "currency_exponent",
    "deposited_not_bound_on",
    "deposited_on",
    "entry_into_force",
    "get_meeting",
    "iter_apportion_many",
    "load_meeting",
    "load_meetings",
    "load_scale",
    "membership",
    "monte_carlo",
    "notional_rates",
    "parties_on",
    "read_assessment_table",
    "read_payments",
    "read_un_workbook",
    "reconcile",
    "resolve_state",
    "scale_from_csv",
    "scale_from_excel",
    "scale_from_frame",
    "sensitivity",
    "signatories_on",
    "state_name",
    "status_of_contributions",
    "status_on",
    "to_minor_units",
    "write_ledger_workbook",
    "write_workbook",
]
