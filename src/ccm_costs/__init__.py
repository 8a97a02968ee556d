"""ccm_costs: who pays how much for a meeting of the Convention on Cluster Munitions.

The data flow: a UN scale of assessment (:func:`load_scale`) -> the states that bear a cost ->
adjusted exact shares -> amounts exact to the minor unit (:func:`apportion`) -> an
:class:`Assessment` with a pandas table (``to_frame()``).
"""

from .adjustment import AdjustmentRules, GroupCeiling
from .allocation import TIE_RULE, allocate
from .apportion import apportion
from .assessment import Assessment, AssessmentLine
from .errors import (
    CcmCostsError,
    InfeasibleBoundsError,
    InvalidInputError,
    MissingRateError,
    ScaleValidationError,
    UnknownPeriodError,
    UnknownStateError,
)
from .money import RoundingUnit, currency_exponent, to_minor_units
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
    "MissingRateError",
    "RateRounding",
    "RoundingUnit",
    "Scale",
    "ScaleValidationError",
    "UnknownPeriodError",
    "UnknownStateError",
    "allocate",
    "apportion",
    "available_periods",
    "currency_exponent",
    "load_scale",
    "notional_rates",
    "read_un_workbook",
    "resolve_state",
    "scale_from_csv",
    "scale_from_excel",
    "scale_from_frame",
    "state_name",
    "to_minor_units",
]
