"""The status of contributions as a PDF report: one section per convention, as at a date.

Each section lists per state what the convention's assessments in force billed, what was
received (as the status counts it: what no assessment took yet, the state's credit, included,
and said so), what is outstanding and for how long, with totals and the same by year of
assessment. The credits are listed again after the sections (a payment is the state's, not a
convention's), with the receipts of states the ledger does not assess (in no section), and the
totals of the whole status. Those totals, and the sum of the sections', are those of
:func:`~ccm_costs.ledger.status_of_contributions` (a test asserts it). Like every status view,
the report names the convention(s) and the date, never the ledger's file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .._core.dates import parse_date
from .._core.money import from_minor_units
from .._core.text import counted
from .._reference.reading import file_path
from .._reference.states import state_order
from ..errors import InvalidInputError
from ..ledger import Ledger, status_of_contributions
from ..ledger._status import MONEY_COLUMNS
from .pdf import Compiler, load_settings, load_template, words_date
from .xlsx import write_atomically

UNKNOWN_CONVENTION = "Convention not recorded"
MONEY_KEYS = ("assessed_minor", "received_minor", "outstanding_minor")
UNAPPLIED_KIND = "unapplied"
"""The kind of the status rows of receipts from states the ledger does not assess."""
TOTAL_HEADERS = ("Assessed", "Received", "Outstanding", "Credit", "Unapplied")
"""The status totals (:data:`~ccm_costs.ledger._status.MONEY_COLUMNS`), as headed."""


def write_status_report(
    path: str | Path,
    ledger: Ledger,
    as_at: dt.date | str | None = None,
    *,
    settings: str | Path | None = None,
    template: str | Path | None = None,
    issued: dt.date | str | None = None,
) -> Path:
    """Write the status of contributions of ``ledger`` as at ``as_at`` (default today) as a
    PDF (A4 landscape) to ``path``: one section per convention (named in each assessment's
    provenance), then the credits held. ``settings`` gives the letterhead (see
    :func:`write_notices`), ``template`` your own typst template (a copy of the shipped
    ``status_report.typ``), ``issued`` the date printed (default today). Returns the path.
    """
    if not isinstance(ledger, Ledger):
        raise InvalidInputError(
            "write_status_report takes the ledger (cc.Ledger.open(path)): the conventions of "
            "its assessments name the sections"
        )
    target = file_path(path)
    day = dt.date.today() if as_at is None else parse_date(as_at, "as_at")
    status = status_of_contributions(ledger, day)
    currency = status.currency

    def money(minor: int) -> str:
        return f"{from_minor_units(minor, currency):,}"

    sections: dict[str, dict[str, _Sums]] = {}
    years: dict[str, dict[int, _Sums]] = {}
    held: dict[str, int] = {}
    for row in status.by_assessment.to_dict("records"):
        if row["kind"] == UNAPPLIED_KIND:  # no convention's: listed with the credits
            continue
        name = str(row["convention"]) or UNKNOWN_CONVENTION
        amounts = [int(row[key]) for key in MONEY_KEYS]
        states = sections.setdefault(name, {})
        sums = states.setdefault(str(row["iso3"]), _Sums(str(row["state"])))
        sums.add(amounts, int(row["days_overdue"]))
        if int(row["assessment_id"]) == 0:  # a credit: received, of no year of assessment
            held[name] = held.get(name, 0) + int(row["credit_minor"])
        else:
            years.setdefault(name, {}).setdefault(int(row["year"]), _Sums("")).add(amounts, 0)
    report_sections = []
    for name in sorted(sections):
        states = sections[name]
        codes = sorted(states, key=lambda c: state_order(states[c].state, c))
        total = _Sums("Total")
        for code in codes:
            total.add(states[code].amounts, 0)
        credit = held.get(name, 0)
        by_year = [
            [str(year), *map(money, sums.amounts)]
            for year, sums in sorted(years.get(name, {}).items())
        ]
        if credit:
            by_year.append(["Held as credit", money(0), money(credit), money(0)])
        assessed = len([c for c in codes if states[c].amounts[0]])
        report_sections.append(
            {
                "title": name,
                "note": f"{counted(assessed, 'state')} assessed; amounts in {currency}; "
                "received: the state's payments less refunds and transfers out"
                + (
                    f", including {money(credit)} that no assessment took yet: a credit, "
                    "listed again under Credits held"
                    if credit
                    else ""
                ),
                "header": ["State", "Assessed", "Received", "Outstanding", "Days overdue",
                           "Status"],
                "rows": [
                    [states[c].state, *map(money, states[c].amounts), states[c].overdue(),
                     states[c].standing()]
                    for c in codes
                ],
                "total": ["Total", *map(money, total.amounts), "", ""],
                "year_header": ["Year", "Assessed", "Received", "Outstanding"],
                "years": by_year,
                "year_total": ["Total", *map(money, total.amounts)],
            }
        )  # fmt: skip
    by_state = status.by_state.to_dict("records")
    credits = [(str(r["state"]), int(r["credit_minor"])) for r in by_state if r["credit_minor"]]
    unapplied = [
        (str(r["state"]), int(r["unapplied_minor"])) for r in by_state if r["unapplied_minor"]
    ]
    totals = status.totals
    office = load_settings(settings)
    printed = dt.date.today() if issued is None else parse_date(issued, "issued")
    named = "; ".join(sorted(sections)) or "no assessment"
    data = {
        "settings": office.for_notice(""),
        "report": {
            "title": f"Status of contributions as at {words_date(day)}",
            "subtitle": f"assessments issued and payments received by {words_date(day)}",
            "currency": currency,
            "issued": words_date(printed),
            "footer": named,  # after the title, which has the date
            "sections": report_sections,
            "credits": [[state, money(minor)] for state, minor in credits],
            "credit_total": ["Total", money(sum(m for _, m in credits))],
            "credit_note": "received and not applied to any assessment in force (counted in "
            "the convention's Received above): it settles the state's next assessments, "
            "whichever convention they are of",
            "unapplied": [[state, money(minor)] for state, minor in unapplied],
            "unapplied_total": ["Total", money(sum(m for _, m in unapplied))],
            "unapplied_note": "received from states no assessment of the ledger bills: not "
            "a credit, and in no convention's Received; refunded, or applied to the state's "
            "first assessment",
            "totals_header": ["", *TOTAL_HEADERS],
            "totals": ["All conventions", *(money(totals[key]) for key in MONEY_COLUMNS)],
            "notes": [
                f"{label}: {text}"
                for label, text in status.provenance.items()
                if label != "ledger"  # a status names the convention(s), never the file
            ],
        },
    }
    compiler = Compiler(load_template("status_report.typ", template))
    write_atomically(target, compiler.pdf("report", data, printed))
    return target


@dataclass
class _Sums:
    """Assessed, received and outstanding (minor units) of one state (or year) summed over
    a convention's assessments, with the longest days overdue."""

    state: str
    amounts: list[int] = field(default_factory=lambda: [0, 0, 0])
    days: int = 0

    def add(self, amounts: list[int], days: int) -> None:
        self.amounts = [a + b for a, b in zip(self.amounts, amounts, strict=True)]
        self.days = max(self.days, days)

    def overdue(self) -> str:
        return str(self.days) if self.amounts[2] else ""

    def standing(self) -> str:
        assessed, received, outstanding = self.amounts
        if assessed == 0:
            return "credit held" if received else "nothing assessed"
        if outstanding == 0:
            return "paid in full"
        return "part paid" if received else "not paid"
