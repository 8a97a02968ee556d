"""The status of contributions as a PDF report: one section per convention, as at a date.

Each section lists per state what the convention's assessments in force billed, what was
received and applied to them, what is outstanding and for how long, with totals and the same
by year of assessment. A payment is the state's, not a convention's, so what no assessment
took is a credit of the state, listed once after the sections. The report's totals are those
of :func:`~ccm_costs.ledger.status_of_contributions` (a test asserts it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .._core.dates import parse_date
from .._core.money import from_minor_units
from .._reference.reading import file_path
from .._reference.states import state_order
from ..errors import InvalidInputError
from ..ledger import Ledger, status_of_contributions
from .pdf import Compiler, load_settings, load_template, words_date
from .xlsx import write_atomically

UNKNOWN_CONVENTION = "Convention not recorded"
MONEY_KEYS = ("assessed_minor", "received_minor", "outstanding_minor")


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
    conventions = {
        a.id: a.provenance().get("convention", UNKNOWN_CONVENTION) for a in ledger.history()
    }

    def money(minor: int) -> str:
        return f"{from_minor_units(minor, currency):,}"

    sections: dict[str, dict[str, _Sums]] = {}
    years: dict[str, dict[int, _Sums]] = {}
    for row in status.by_assessment.to_dict("records"):
        name = conventions.get(int(row["assessment_id"]), UNKNOWN_CONVENTION)
        amounts = [int(row[key]) for key in MONEY_KEYS]
        iso3 = str(row["iso3"])
        states = sections.setdefault(name, {})
        states.setdefault(iso3, _Sums(str(row["state"]))).add(amounts, int(row["days_overdue"]))
        years.setdefault(name, {}).setdefault(int(row["year"]), _Sums("")).add(amounts, 0)
    report_sections = []
    for name in sorted(sections):
        states = sections[name]
        codes = sorted(states, key=lambda c: state_order(states[c].state, c))
        total = _Sums("Total")
        for code in codes:
            total.add(states[code].amounts, 0)
        report_sections.append(
            {
                "title": name,
                "note": f"{len(codes)} states assessed; amounts in {currency}; received: what "
                "the state's payments settled of these assessments (credits are listed after "
                "the sections)",
                "header": ["State", "Assessed", "Received", "Outstanding", "Days overdue",
                           "Status"],
                "rows": [
                    [states[c].state, *map(money, states[c].amounts), states[c].overdue(),
                     states[c].standing()]
                    for c in codes
                ],
                "total": ["Total", *map(money, total.amounts), "", ""],
                "year_header": ["Year", "Assessed", "Received", "Outstanding"],
                "years": [
                    [str(year), *map(money, sums.amounts)]
                    for year, sums in sorted(years[name].items())
                ],
                "year_total": ["Total", *map(money, total.amounts)],
            }
        )  # fmt: skip
    credits = [
        (str(row["state"]), int(row["credit_minor"]))
        for row in status.by_state.to_dict("records")
        if int(row["credit_minor"])
    ]
    office = load_settings(settings)
    printed = dt.date.today() if issued is None else parse_date(issued, "issued")
    data = {
        "settings": office.for_notice(""),
        "report": {
            "title": f"Status of contributions as at {words_date(day)}",
            "subtitle": f"assessments issued and payments received by {words_date(day)}",
            "currency": currency,
            "issued": words_date(printed),
            "footer": f"ledger {ledger.path.name}",
            "sections": report_sections,
            "credits": [[state, money(minor)] for state, minor in credits],
            "credit_total": ["Total", money(sum(m for _, m in credits))],
            "credit_note": "received and not applied to any assessment in force: it settles "
            "the state's next assessments, whichever convention they are of",
            "notes": [f"{label}: {text}" for label, text in status.provenance.items()],
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
        _, received, outstanding = self.amounts
        if outstanding == 0:
            return "paid in full"
        return "part paid" if received else "not paid"
