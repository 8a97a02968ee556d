"""ccm_costs: who pays how much for a meeting of the Convention on Cluster Munitions.

The data flow: a UN scale of assessment (:func:`load_scale`) -> the states that bear a cost ->
adjusted exact shares -> amounts exact to the minor unit (:func:`apportion`, or
:func:`assess` for a CCM meeting) -> an :class:`Assessment` with a pandas table
(``to_frame()``) and an Excel workbook (``to_excel()``, :func:`write_workbook`), which
:func:`check_workbook` can verify.
"""

from .adjustment import AdjustmentRules, GroupCeiling
from .allocation import TIE_RULE, allocate
from .apportion import apportion
from .assessment import Assessment, AssessmentLine
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
from .published_rates import AmountBasis, RateRounding
from .scale import (
    Scale,
    available_periods,
    load_scale,
    notional_rates,
    scale_from_csv,
    scale_from_excel,
    scale_from_frame,
)
from .states import resolve_state, state_name
from .un_workbook import read_un_workbook
from .workbook_check import WorkbookCheck, check_workbook, read_assessment_table

__all__ = [
    "TIE_RULE",
    "AdjustmentRules",
    "AmountBasis",
    "Assessment",
    "AssessmentLine",
    "CcmCostsError",
    "GroupCeiling",
    "InfeasibleBoundsError",
    "InvalidInputError",
    "Meeting",
    "MeetingError",
    "MeetingPart",
    "MembershipRecord",
    "MembershipStatus",
    "MissingRateError",
    "NonMemberRatePolicy",
    "RateRounding",
    "RoundingUnit",
    "Scale",
    "ScaleValidationError",
    "UnknownPeriodError",
    "UnknownStateError",
    "WorkbookCheck",
    "allocate",
    "apportion",
    "assess",
    "available_periods",
    "check_workbook",
    "currency_exponent",
    "deposited_not_bound_on",
    "deposited_on",
    "entry_into_force",
    "get_meeting",
    "load_meeting",
    "load_meetings",
    "load_scale",
    "membership",
    "notional_rates",
    "parties_on",
    "read_assessment_table",
    "read_un_workbook",
    "resolve_state",
    "scale_from_csv",
    "scale_from_excel",
    "scale_from_frame",
    "signatories_on",
    "state_name",
    "status_on",
    "to_minor_units",
    "write_workbook",
]
