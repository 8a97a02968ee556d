"""ccm_costs: who pays how much for a meeting of the Convention on Cluster Munitions and of its
sister disarmament conventions, exactly.

The data flow: a UN scale of assessment (:func:`load_scale`) -> the states that bear a cost
(:mod:`ccm_costs.conventions`) -> adjusted exact shares (:mod:`ccm_costs.rules`) -> amounts
exact to the minor unit (:func:`apportion`, or :func:`assess` for a meeting) -> an
:class:`Assessment` (data, with provenance) -> outputs: workbooks (:func:`write_workbook`),
text, CSV and JSON (:func:`render`), the check of a workbook (:func:`check_workbook`), the
ledger (:mod:`ccm_costs.ledger`) and scenarios (:func:`apportion_many`, :func:`monte_carlo`,
:func:`compare`).

``import ccm_costs`` is light: every name below is loaded when first used (as attrs does), so
pandas, openpyxl and numpy are imported only by what needs them. The exceptions are in
:mod:`ccm_costs.errors`, drawn as a tree there.
"""

import importlib as _importlib
import typing as _typing

from ._public import lazy_loader as _lazy_loader
from ._public import publish as _publish
from .errors import (
    CcmCostsError,
    DataFileError,
    InfeasibleBoundsError,
    InvalidInputError,
    LedgerError,
    MeetingError,
    MissingRateError,
    PaymentImportError,
    Problem,
    ProblemsError,
    RuleSetError,
    ScaleValidationError,
    UnknownPeriodError,
    UnknownStateError,
)

if _typing.TYPE_CHECKING:
    from . import conventions, ledger, rules
    from ._apportion import apportion
    from ._assessment import Assessment, AssessmentLine
    from ._compare import compare
    from ._core.allocation import TIE_RULE, allocate
    from ._core.dates import parse_date
    from ._core.engine import apportion_many, iter_apportion_many
    from ._core.money import RoundingUnit, currency_exponent, to_minor_units
    from ._core.publishing import AmountBasis, RateRounding
    from ._explore import Explorer
    from ._outputs.assessment_workbook import write_workbook
    from ._outputs.check import WorkbookCheck, check_workbook, read_assessment_table
    from ._outputs.ledger_workbooks import write_ledger_workbook, write_status_workbook
    from ._outputs.reconciliation_workbook import write_reconciliation_workbook
    from ._outputs.table_workbook import write_table_workbook
    from ._outputs.tables import render
    from ._outputs.text import TextColumn, TextTable
    from ._outputs.workbook_assessment import WorkbookAssessment, read_assessment_workbook
    from ._reference.scale_files import scale_from_csv, scale_from_excel, scale_from_frame
    from ._reference.scales import (
        Scale,
        available_periods,
        load_scale,
        notional_rates,
        resolution_of,
    )
    from ._reference.states import resolve_state, state_name, state_order
    from ._reference.un_workbook import read_un_workbook
    from ._scenarios import EngineOptions, apportion_scenarios, monte_carlo, sensitivity
    from .conventions import (
        Convention,
        Meeting,
        MeetingPart,
        MembershipRecord,
        MembershipStatus,
        assess,
        available_conventions,
        deposited_not_bound_on,
        deposited_on,
        entry_into_force,
        get_convention,
        get_meeting,
        load_meeting,
        load_meetings,
        membership,
        parties_on,
        signatories_on,
        status_on,
    )
    from .ledger import (
        AssessmentKind,
        ContributionStatus,
        ImportResult,
        Ledger,
        LedgerSnapshot,
        Payment,
        PaymentOrder,
        Reconciliation,
        ReconciliationLine,
        StoredAssessment,
        read_payments,
        reconcile,
        reconcile_recorded,
        status_of_contributions,
    )
    from .rules import NonMemberRatePolicy, RuleSet

    __version__: str

_LAZY: dict[str, str] = {
    **dict.fromkeys(["apportion"], "._apportion"),
    **dict.fromkeys(["Assessment", "AssessmentLine"], "._assessment"),
    **dict.fromkeys(["compare"], "._compare"),
    **dict.fromkeys(["TIE_RULE", "allocate"], "._core.allocation"),
    **dict.fromkeys(["parse_date"], "._core.dates"),
    **dict.fromkeys(["apportion_many", "iter_apportion_many"], "._core.engine"),
    **dict.fromkeys(["RoundingUnit", "currency_exponent", "to_minor_units"], "._core.money"),
    **dict.fromkeys(["AmountBasis", "RateRounding"], "._core.publishing"),
    **dict.fromkeys(["Explorer"], "._explore"),
    **dict.fromkeys(["write_workbook"], "._outputs.assessment_workbook"),
    **dict.fromkeys(["WorkbookCheck", "check_workbook", "read_assessment_table"],
                    "._outputs.check"),
    **dict.fromkeys(["write_ledger_workbook", "write_status_workbook"],
                    "._outputs.ledger_workbooks"),
    **dict.fromkeys(["write_reconciliation_workbook"], "._outputs.reconciliation_workbook"),
    **dict.fromkeys(["render"], "._outputs.tables"),
    "write_table_workbook": "._outputs.table_workbook",
    **dict.fromkeys(["TextColumn", "TextTable"], "._outputs.text"),
    **dict.fromkeys(["WorkbookAssessment", "read_assessment_workbook"],
                    "._outputs.workbook_assessment"),
    **dict.fromkeys(["scale_from_csv", "scale_from_excel", "scale_from_frame"],
                    "._reference.scale_files"),
    **dict.fromkeys(["Scale", "available_periods", "load_scale", "notional_rates",
                     "resolution_of"], "._reference.scales"),
    **dict.fromkeys(["resolve_state", "state_name", "state_order"], "._reference.states"),
    **dict.fromkeys(["read_un_workbook"], "._reference.un_workbook"),
    **dict.fromkeys(["EngineOptions", "apportion_scenarios", "monte_carlo", "sensitivity"],
                    "._scenarios"),
    **dict.fromkeys(["Convention", "Meeting", "MeetingPart", "MembershipRecord",
                     "MembershipStatus", "assess", "available_conventions",
                     "deposited_not_bound_on", "deposited_on", "entry_into_force",
                     "get_convention", "get_meeting", "load_meeting", "load_meetings",
                     "membership", "parties_on", "signatories_on", "status_on"],
                    ".conventions"),
    **dict.fromkeys(["AssessmentKind", "ContributionStatus", "ImportResult", "Ledger",
                     "LedgerSnapshot", "Payment", "PaymentOrder", "Reconciliation",
                     "ReconciliationLine", "StoredAssessment", "read_payments", "reconcile",
                     "reconcile_recorded", "status_of_contributions"], ".ledger"),
    **dict.fromkeys(["NonMemberRatePolicy", "RuleSet"], ".rules"),
}  # fmt: skip
"""Public name -> the module that defines (or publishes) it, loaded on first use."""

_SUBPACKAGES = ("conventions", "ledger", "rules")

__all__ = [
    "TIE_RULE",
    "AmountBasis",
    "Assessment",
    "AssessmentKind",
    "AssessmentLine",
    "CcmCostsError",
    "ContributionStatus",
    "Convention",
    "DataFileError",
    "EngineOptions",
    "Explorer",
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
    "Problem",
    "ProblemsError",
    "RateRounding",
    "Reconciliation",
    "ReconciliationLine",
    "RoundingUnit",
    "RuleSet",
    "RuleSetError",
    "Scale",
    "ScaleValidationError",
    "StoredAssessment",
    "TextColumn",
    "TextTable",
    "UnknownPeriodError",
    "UnknownStateError",
    "WorkbookAssessment",
    "WorkbookCheck",
    "__version__",
    "allocate",
    "apportion",
    "apportion_many",
    "apportion_scenarios",
    "assess",
    "available_conventions",
    "available_periods",
    "check_workbook",
    "compare",
    "conventions",
    "currency_exponent",
    "deposited_not_bound_on",
    "deposited_on",
    "entry_into_force",
    "errors",
    "get_convention",
    "get_meeting",
    "iter_apportion_many",
    "ledger",
    "load_meeting",
    "load_meetings",
    "load_scale",
    "membership",
    "monte_carlo",
    "notional_rates",
    "parse_date",
    "parties_on",
    "read_assessment_table",
    "read_assessment_workbook",
    "read_payments",
    "read_un_workbook",
    "reconcile",
    "reconcile_recorded",
    "render",
    "resolution_of",
    "resolve_state",
    "rules",
    "scale_from_csv",
    "scale_from_excel",
    "scale_from_frame",
    "sensitivity",
    "signatories_on",
    "state_name",
    "state_order",
    "status_of_contributions",
    "status_on",
    "to_minor_units",
    "write_ledger_workbook",
    "write_reconciliation_workbook",
    "write_status_workbook",
    "write_table_workbook",
    "write_workbook",
]


_load = _lazy_loader(globals(), _LAZY)


def __getattr__(name: str) -> _typing.Any:
    """Load a public name on first use, and show it as ``ccm_costs.<name>``."""
    if name == "__version__":
        from ._core.version import library_version

        return library_version()
    if name in _SUBPACKAGES:
        return _importlib.import_module(f"{__name__}.{name}")
    return _load(name)


def __dir__() -> list[str]:
    return sorted(__all__)


_publish(globals(), [n for n in __all__ if n in globals()], __name__)
