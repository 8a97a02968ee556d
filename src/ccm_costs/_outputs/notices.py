"""Assessment notices: one PDF (A4) per paying state, and the control list of the batch.

Each notice gives its reference number, the state, the convention, the meeting and its dates,
the article that applies, the total, the state's UN rate, adjusted rate and amount, how the
amount was computed (its rate over the participants' total, and whether the largest-remainder
rule gave it one more cent), the due date and the rule that sets it, the state's open
position in the ledger when one is given, payment instructions and a signature block. After a
final assessment the notices are of the difference (an additional bill or a credit), so what
was billed on the estimate is never billed twice. The control list (CSV and xlsx) has one row
per state and adds up to what the notices bill: the assessment's total, or the difference.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from .._assessment import Assessment, AssessmentLine
from .._core.dates import parse_date
from .._core.money import currency_exponent, from_minor_units
from .._core.text import counted, shown
from .._reference.reading import file_path
from ..errors import InvalidInputError
from ..ledger import Ledger, StoredAssessment, reconcile, status_of_contributions
from ..ledger._store import DUE_DAYS
from .pdf import (
    SHIPPED_SETTINGS,
    Compiler,
    joined,
    load_settings,
    load_template,
    words_date,
)
from .table_workbook import write_table_workbook
from .text import TextColumn, TextTable, render_table
from .xlsx import write_atomically

if TYPE_CHECKING:
    import pandas as pd

    from ..ledger import Reconciliation

ASSESSMENT = "assessment"
ADDITIONAL = "additional assessment"
CREDIT = "credit"
TITLES = {
    ASSESSMENT: "Assessment notice",
    ADDITIONAL: "Additional assessment",
    CREDIT: "Credit note",
}
CONTROL_SUFFIX = "-control"
"""The control list is named after the batch: ``CCM-12MSP-1-control.csv`` and ``.xlsx``."""
DUE_RULE = f"{DUE_DAYS} days after the date of issue (UN Financial Regulation 3.4)"
"""The rule that sets the due date (the ledger's :data:`DUE_DAYS`), as a notice states it."""
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class OpenPosition:
    """A state's account in the ledger on a date, apart from the assessment of the notice."""

    arrears: tuple[tuple[int, int], ...]
    """(year of issue, amount overdue in minor units) of the other assessments in force."""
    not_yet_due_minor: int
    """Outstanding on other assessments whose due date has not come."""
    credit_minor: int
    """Received and not applied: held in the state's favour."""
    applied_minor: int | None
    """Received and applied to the notice's own assessment (None: it is not in the ledger)."""


def open_positions(
    ledger: Ledger, as_at: dt.date, assessment_id: int | None
) -> dict[str, OpenPosition]:
    """Every state's open position in ``ledger`` as at ``as_at``, from the status of
    contributions (by assessment and by state), leaving out the assessment ``assessment_id``
    (that of the notices) from the arrears. The one place the notices read the ledger."""
    status = status_of_contributions(ledger, as_at)
    overdue: dict[str, dict[int, int]] = {}
    pending: dict[str, int] = {}
    applied: dict[str, int] = {}
    for row in status.by_assessment.to_dict("records"):
        iso3, outstanding, year = str(row["iso3"]), int(row["outstanding_minor"]), int(row["year"])
        if int(row["assessment_id"]) == assessment_id:
            applied[iso3] = int(row["received_minor"])
        elif outstanding and row["due"] < as_at:
            years = overdue.setdefault(iso3, {})
            years[year] = years.get(year, 0) + outstanding
        elif outstanding:
            pending[iso3] = pending.get(iso3, 0) + outstanding
    credit = {
        str(row["iso3"]): int(row["credit_minor"]) for row in status.by_state.to_dict("records")
    }
    codes = {*overdue, *pending, *applied, *credit}
    return {
        code: OpenPosition(
            arrears=tuple(sorted(overdue.get(code, {}).items())),
            not_yet_due_minor=pending.get(code, 0),
            credit_minor=credit.get(code, 0),
            applied_minor=applied.get(code, 0 if assessment_id is not None else None),
        )
        for code in codes
    }


@dataclass(frozen=True)
class ControlLine:
    """One state in the control list: what its notice bills (a credit is negative)."""

    reference: str
    iso3: str
    state: str
    role: str
    un_rate: Decimal | None
    rate: Decimal | None
    assessed_minor: int
    """The state's amount in the assessment of the notices (the final, after a final)."""
    billed_before_minor: int | None
    """After a final: what the estimate billed; otherwise None."""
    amount_minor: int
    """What the notice bills: the amount assessed, or the difference (negative: a credit)."""
    kind: str
    file: str
    """The notice's file name in the folder ("" where no notice is written: nothing to pay)."""


@dataclass(frozen=True)
class NoticeBatch:
    """The notices written into a folder, and their control list."""

    folder: Path
    currency: str
    total_minor: int
    """What the notices add up to: the assessment's total, or after a final the difference."""
    control: tuple[ControlLine, ...]
    control_file: Path
    """The control list as CSV (exact decimals, the total the last row)."""
    control_workbook: Path
    """The same as an ``.xlsx`` workbook (A4, the total in bold)."""
    settings_source: str
    template_source: str
    placeholders: tuple[str, ...]
    """Placeholders of the settings still printed on the notices (``bank.Bank: [BANK NAME]``)."""
    others: tuple[Path, ...]
    """Notices of the same reference prefix in the folder that this batch did not write
    (left from an earlier run with other payers): never deleted, but named in the summary."""

    @property
    def paths(self) -> tuple[Path, ...]:
        """The PDF files written, in the order of the state names."""
        return tuple(self.folder / line.file for line in self.control if line.file)

    @property
    def total(self) -> Decimal:
        """:attr:`total_minor` in currency units."""
        return from_minor_units(self.total_minor, self.currency)

    def summary(self) -> str:
        """How many notices, what they add up to, and the placeholders still printed."""
        kinds: dict[str, int] = {}
        for line in self.control:
            if line.file:
                kinds[line.kind] = kinds.get(line.kind, 0) + 1
        kinds_text = ", ".join(counted(n, TITLES[k].lower()) for k, n in kinds.items()) or "none"
        text = (
            f"{counted(len(self.paths), 'notice')} in {self.folder} ({kinds_text}), adding up "
            f"to {self.total:,} {self.currency}; control list {self.control_file.name} and "
            f"{self.control_workbook.name}"
        )
        if self.others:
            names = ", ".join(p.name for p in self.others[:5])
            text += (
                f"\nwarning: {self.folder} also holds {counted(len(self.others), 'other notice')}"
                f" of this batch's reference that it did not write ({names}): they are not in "
                "the control list; remove them before sending"
            )
        if self.placeholders:
            found = counted(len(self.placeholders), "placeholder")
            if self.settings_source == SHIPPED_SETTINGS:
                tokens = dict.fromkeys(p.partition(": ")[2] for p in self.placeholders)
                text += (
                    f"\nwarning: the notices still print {found} of {self.settings_source} "
                    f"({', '.join(tokens)}): give your office's text in a settings file"
                )
            else:  # the user's file left these keys out: they keep the shipped text
                text += (
                    f"\nwarning: the notices still print {found} that {self.settings_source} "
                    f"does not replace ({'; '.join(self.placeholders)}): give those keys in "
                    f"{self.settings_source}"
                )
        return text

    def to_frame(self) -> pd.DataFrame:
        """The control list: one row per state, amounts as ints of minor units."""
        import pandas as pd

        return pd.DataFrame([vars(line) for line in self.control])


def write_notices(
    folder: str | Path,
    assessment: Assessment,
    *,
    ledger: Ledger | None = None,
    assessment_id: int | None = None,
    estimate: Assessment | StoredAssessment | None = None,
    settings: str | Path | None = None,
    template: str | Path | None = None,
    issued: dt.date | str | None = None,
    force: bool = False,
) -> NoticeBatch:
    """Write one notice (PDF, A4) per state that pays into ``folder``, and the control list
    (``CCM-12MSP-1-control.csv``: one row per state, adding up to what the notices bill).

    Args:
        folder: created if absent; an existing notice of the same name is an error unless
            ``force``.
        assessment: what the notices bill (the amounts, rates and how they were computed).
        ledger: the ledger whose open position (arrears by year, credit) each notice shows,
            as at the date of issue.
        assessment_id: the number of ``assessment`` in ``ledger``: the notices take their
            reference number, date of issue and due date from it (its amounts must be those of
            ``assessment``), and when it supersedes an estimate they bill the difference.
        estimate: what was billed before (an ``Assessment`` or a ``StoredAssessment``): the
            notices are then additional bills and credits (``reconcile(estimate,
            assessment)``); a state with no difference gets none.
        settings: a TOML file with the letterhead, signature block, bank details and payment
            instructions (default: the shipped placeholders, listed in the result).
        template: your own typst template (default: the shipped ``notice.typ``).
        issued: the date of issue (a date or ``"YYYY-MM-DD"``; default today, or the
            ledger's); due :data:`DUE_DAYS` later.
        force: replace notices that exist.
    """
    if not isinstance(assessment, Assessment):
        raise InvalidInputError(
            f"assessment must be an Assessment (e.g. cc.assess(meeting)), not {shown(assessment)}"
        )
    if isinstance(folder, str) and not folder.strip():  # Path("") would be the current folder
        raise InvalidInputError(
            f"folder={folder!r} is empty: give the folder to write the notices into"
        ).for_cli(f"-o {folder!r} is empty: give the folder to write the notices into")
    target = file_path(folder, "folder")
    day_given = None if issued is None else parse_date(issued, "issued")
    stored = _stored(ledger, assessment_id, assessment, day_given)
    if stored is not None:
        day, due = stored.issued, stored.due
        recorded = f"recorded with assessment #{stored.id} in the ledger"
        due_rule = (
            f"the due date is {DUE_RULE}, as {recorded}"
            if due == day + dt.timedelta(days=DUE_DAYS)
            else f"the due date is the one {recorded}"
        )
        if estimate is None and stored.supersedes is not None and ledger is not None:
            estimate = ledger.assessment(stored.supersedes)
    else:
        day = day_given or dt.date.today()
        due, due_rule = day + dt.timedelta(days=DUE_DAYS), f"the due date is {DUE_RULE}"
    recon = None if estimate is None else reconcile(estimate, assessment)
    positions = {} if ledger is None else open_positions(ledger, day, assessment_id)
    office = load_settings(settings)
    shipped = load_template("notice.typ", template)
    context = _Context(assessment, stored, estimate, recon, day, due, due_rule, ledger)
    lines = context.control_lines()
    paths = [target / line.file for line in lines if line.file]
    prefix = _file_name(context.reference("")).removesuffix(".pdf")
    stem = prefix + CONTROL_SUFFIX
    control, workbook = target / f"{stem}.csv", target / f"{stem}.xlsx"
    _claim(target, [*paths, control, workbook], force)
    compiler = Compiler(shipped)
    # every notice typeset before any is written: a template that fails on one state's
    # data leaves the folder as it was
    pdfs = {
        line.file: compiler.pdf(
            "notice",
            {
                "settings": office.for_notice(line.reference),
                "notice": context.notice(line, positions.get(line.iso3)),
            },
            day,
        )
        for line in lines
        if line.file
    }
    target.mkdir(parents=True, exist_ok=True)
    for name, pdf in pdfs.items():
        write_atomically(target / name, pdf)
    what = "additional assessments and credits" if recon else "assessment notices"
    heading = f"Control list: {context.meeting} {what} of {words_date(day)}"
    table = control_table(lines, assessment.currency, heading)
    write_atomically(control, _control_csv(table))
    write_table_workbook(workbook, table, sheet="Control list", produced=day)
    return NoticeBatch(
        folder=target,
        currency=assessment.currency,
        total_minor=sum(line.amount_minor for line in lines),
        control=tuple(lines),
        control_file=control,
        control_workbook=workbook,
        settings_source=office.source,
        template_source=shipped.source,
        placeholders=office.placeholders(),
        others=tuple(sorted(set(target.glob(f"{prefix}-*.pdf")) - set(paths))),
    )


def _stored(
    ledger: Ledger | None,
    assessment_id: int | None,
    assessment: Assessment,
    issued: dt.date | None,
) -> StoredAssessment | None:
    """The ledger's assessment ``assessment_id``, checked to hold the same amounts."""
    if assessment_id is None:
        return None
    if ledger is None:
        raise InvalidInputError("assessment_id names an assessment of a ledger: give ledger= too")
    stored = ledger.assessment(assessment_id)
    if issued is not None and issued != stored.issued:
        raise InvalidInputError(
            f"assessment #{assessment_id} was issued on {stored.issued}, not {issued}: leave "
            "the date of issue out (it is the ledger's)"
        )
    given = {line.iso3: line.amount_minor for line in assessment.lines}
    kept = {line.iso3: line.amount_minor for line in stored.lines}
    if given != kept or stored.currency != assessment.currency:
        differ = sorted(c for c in {*given, *kept} if given.get(c) != kept.get(c))
        shown_codes = ", ".join(differ[:5]) + (" ..." if len(differ) > 5 else "")
        raise InvalidInputError(
            f"assessment #{assessment_id} of the ledger is not this assessment: the amounts "
            f"of {len(differ)} state(s) differ ({shown_codes}); assess the meeting with the "
            "total, observers and rules recorded with it"
        )
    return stored


def _claim(folder: Path, paths: Sequence[Path], force: bool) -> None:
    """Refuse a folder that is a file, and files that exist unless ``force``."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"{folder} is a file: give a folder for the notices")
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        names = ", ".join(p.name for p in existing[:3]) + (" ..." if len(existing) > 3 else "")
        raise InvalidInputError(
            f"{folder} already holds {len(existing)} of these notices ({names}): give "
            "force=True to replace them, or another folder"
        )


def _money(minor: int, currency: str) -> str:
    return f"{from_minor_units(minor, currency):,}"


@dataclass(frozen=True)
class _Context:
    """What every notice of a batch shares, and how each one's text is made."""

    assessment: Assessment
    stored: StoredAssessment | None
    estimate: Assessment | StoredAssessment | None
    recon: Reconciliation | None
    issued: dt.date
    due: dt.date
    due_rule: str
    ledger: Ledger | None

    @property
    def meeting(self) -> str:
        name = self.assessment.context.get("meeting", "").split(":")[0].strip()
        return name or (self.stored.meeting if self.stored else "") or "assessment"

    def reference(self, iso3: str) -> str:
        from ..conventions import get_convention

        convention = self.assessment.convention
        short = get_convention(convention).short_name if convention else ""
        number = str(self.stored.id) if self.stored else self.issued.isoformat()
        return "/".join(p for p in (short, self.meeting, number, iso3) if p)

    def control_lines(self) -> list[ControlLine]:
        a = self.assessment
        lines = []
        if self.recon is None:
            for line in a.lines:
                ref = self.reference(line.iso3)
                lines.append(
                    ControlLine(
                        reference=ref,
                        iso3=line.iso3,
                        state=line.state,
                        role=line.role or "",
                        un_rate=line.un_rate,
                        rate=line.rate,
                        assessed_minor=line.amount_minor,
                        billed_before_minor=None,
                        amount_minor=line.amount_minor,
                        kind=ASSESSMENT if line.amount_minor >= 0 else CREDIT,
                        file=_file_name(ref) if line.amount_minor else "",
                    )
                )
            return lines
        for item in self.recon.lines:
            found = a.line_of(item.iso3)
            ref = self.reference(item.iso3)
            difference = item.difference_minor
            lines.append(
                ControlLine(
                    reference=ref,
                    iso3=item.iso3,
                    state=item.state,
                    role=(found.role if found else self._estimate_role(item.iso3)) or "",
                    un_rate=found.un_rate if found else None,
                    rate=found.rate if found else None,
                    assessed_minor=item.final_minor,
                    billed_before_minor=item.estimated_minor,
                    amount_minor=difference,
                    kind=ADDITIONAL if difference > 0 else CREDIT,
                    file=_file_name(ref) if difference else "",
                )
            )
        return lines

    def _in_estimate(self, iso3: str) -> bool:
        """Whether the estimate billed the state (one new in the final it did not)."""
        lines = () if self.estimate is None else self.estimate.lines
        return any(line.iso3 == iso3 for line in lines)

    def _estimate_role(self, iso3: str) -> str | None:
        """The role a state had in the estimate (one the final does not assess)."""
        lines = () if self.estimate is None else self.estimate.lines
        return next((line.role for line in lines if line.iso3 == iso3), None)

    def notice(self, line: ControlLine, position: OpenPosition | None) -> dict[str, object]:
        """The data of one notice, as the template reads it: every figure as text."""
        a, cur = self.assessment, self.assessment.currency
        found = a.line_of(line.iso3)
        context = a.context
        credit = line.kind == CREDIT
        rows = [
            [
                f"Total cost, shared among {sum(1 for x in a if x.share)} states",
                _money(a.total_minor, cur),
            ],
        ]
        if found is None:
            rows.append([f"Amount assessed to {line.state} in the final", _money(0, cur)])
        else:
            rows += self._rate_rows(found)
            rows.append(
                [f"Amount assessed to {line.state}", _money(found.amount_minor, cur),
                 "" if self.recon else "strong"]
            )  # fmt: skip
        adjustment = ""
        if self.recon is not None:
            before = self.estimate
            label = (
                f"assessment #{before.id} of {words_date(before.issued)}"
                if isinstance(before, StoredAssessment)
                else "the estimate"
            )
            billed_before = self._in_estimate(line.iso3)
            if billed_before:  # a state new in the final was billed nothing before
                rows.append(
                    [f"Less: billed on {label}", _money(-(line.billed_before_minor or 0), cur)]
                )
            rows.append(
                [
                    "Credit in favour of " + line.state if credit else "Additional amount due",
                    _money(abs(line.amount_minor), cur),
                    "strong",
                ]
            )
            adjustment = (
                "This notice settles the final assessment against the estimate: what the "
                "estimate billed keeps its own due date; only the difference is "
                + ("credited here." if credit else "billed here.")
                if billed_before
                else f"{line.state} was not assessed on {label}: this notice bills its whole "
                "amount in the final assessment."
            )
        if credit:
            due_line = (
                f"{cur} {_money(-line.amount_minor, cur)} is credited to the account of "
                f"{line.state}."
            )
            due_rule = (
                "the credit reduces what the estimate billed; what was paid above the final "
                "amount settles the state's next assessments, oldest first, or is refunded on "
                "request"
                if self.recon is not None
                else "a credit settles the state's next assessments, oldest first, or is "
                "refunded on request"
            )
        else:
            amount = _money(line.amount_minor, cur)
            due_line = f"Please pay {cur} {amount} by {words_date(self.due)}."
            due_rule = self.due_rule
        return {
            "title": TITLES[line.kind],
            "reference": line.reference,
            "issued": words_date(self.issued),
            "due": "not applicable" if credit else words_date(self.due),
            "state": line.state,
            "iso3": line.iso3,
            "role": line.role or "payer",
            "convention": context.get("convention", ""),
            "meeting": _meeting_title(context.get("meeting", "")),
            "dates": _ISO_DATE.sub(_date_words, context.get("dates", "")),
            "article": context.get("article", "").split(":")[0],
            "basis": _basis(context),
            "currency": cur,
            "rows": rows,
            "computation": self._computation(found, line),
            "adjustment": adjustment,
            "due_line": due_line,
            "due_rule": due_rule,
            "position": self._position(line, position),
            "pays": not credit,
            "credit_terms": _credit_terms(line, cur, self.recon is not None) if credit else [],
            "footer": f"{self.meeting}: {TITLES[line.kind].lower()} of {words_date(self.issued)}",
        }

    def _rate_rows(self, line: AssessmentLine) -> list[list[str]]:
        a = self.assessment
        scale = f"UN scale of assessment {a.scale_period}" + (
            f" ({a.resolution})" if a.resolution else ""
        )
        rows = []
        if line.un_rate is not None:
            rows.append([f"{scale}: rate of {line.state}", f"{line.un_rate} %"])
            if len(a.step_columns) == 1:  # plain pro rata: the rate over this total
                rows.append(
                    [f"Total UN rate of the {len(a)} states sharing the cost",
                     f"{a.un_rate_total} %"]
                )  # fmt: skip
        else:
            rows.append([f"Fixed share of {line.state} ({line.rate_source})", ""])
        rows.append([f"Adjusted rate of {line.state}", f"{line.rate} %"])
        return rows

    def _computation(self, found: AssessmentLine | None, line: ControlLine) -> str:
        if found is None:
            return (
                f"{line.state} is not assessed in the final assessment (it did not "
                "participate), so all it was billed on the estimate is credited."
            )
        return computation(self.assessment, found)

    def _position(self, line: ControlLine, position: OpenPosition | None) -> object:
        if self.ledger is None:
            return None
        cur = self.assessment.currency
        rows = [
            [f"Arrears: assessments of {year}, overdue", _money(amount, cur)]
            for year, amount in (position.arrears if position else ())
        ]
        if position and position.not_yet_due_minor:
            rows.append(
                ["Outstanding on other assessments, not yet due",
                 _money(position.not_yet_due_minor, cur)]
            )  # fmt: skip
        if position and position.credit_minor:
            rows.append(["Credit held in your favour", _money(position.credit_minor, cur)])
        if position is not None and position.applied_minor is not None and self.stored:
            applied = position.applied_minor
            numbers = f"assessment #{self.stored.id}"
            if isinstance(self.estimate, StoredAssessment) and self._in_estimate(line.iso3):
                numbers = f"assessments #{self.estimate.id} and #{self.stored.id}"
            rows.append(
                [f"Received and applied to {self.meeting} ({numbers})",
                 _money(applied, cur)]
            )  # fmt: skip
            balance = line.assessed_minor - applied
            rows.append([f"Balance due for {self.meeting} after this notice", _money(balance, cur)])
            if position.arrears or position.not_yet_due_minor:
                others = sum(m for _, m in position.arrears) + position.not_yet_due_minor
                rows.append(["Total outstanding, with the arrears", _money(others + balance, cur)])
        if not rows:
            rows.append(["No arrears, no credit held", _money(0, cur)])
        return {
            "as_at": words_date(self.issued),
            "source": "as the ledger records it: assessments issued and payments received by "
            "that day",
            "rows": rows,
        }


def _credit_terms(line: ControlLine, currency: str, after_estimate: bool) -> list[str]:
    """What a credit note says in place of the payment instructions: no payment is asked
    for, how the credit is applied, and how to have it refunded instead."""
    amount = f"{currency} {_money(-line.amount_minor, currency)}"
    applied = (
        f"The credit of {amount} first reduces what the estimate billed {line.state}; what "
        "was paid above the final amount is held in its favour and settles its next "
        "assessments, oldest first, whichever convention they are of."
        if after_estimate
        else f"The credit of {amount} settles the next assessments of {line.state}, oldest "
        "first, whichever convention they are of."
    )
    return [
        "No payment is requested: nothing is to be paid on this notice.",
        applied,
        "To have what is held in its favour refunded instead, write to the office quoting "
        f"the reference {line.reference}.",
    ]


def computation(a: Assessment, line: AssessmentLine) -> str:
    """How one state's amount was computed, in one sentence: its rate over the participants'
    total (or the rule set's steps), the exact amount, and whether the largest-remainder rule
    gave it one more rounding unit."""
    cur = a.currency
    exact = a.exact_amounts[line.iso3]
    step = a.rounding_step
    unit = "whole unit" if step > 1 else ("cent" if currency_exponent(cur) == 2 else "unit")
    plain = len(a.step_columns) == 1 and line.un_rate is not None
    if plain:
        share = (
            f"{line.un_rate} / {a.un_rate_total} (its UN rate over the total of the states "
            "sharing the cost)"
        )
    elif line.un_rate is None:
        share = f"its fixed share of {_percent(line.share)} %"
    else:
        labels = joined([c.label for c in a.step_columns[1:]])
        share = f"its share of {_percent(line.share)} % after {labels}" + (
            f" (at the {line.bound})" if line.bound else ""
        )
    if a.amounts_from.value == "published_rates":
        share = f"its published rate {line.rate} % over the published rates' total {a.rate_total} %"
    rounded = (
        f"given one more {unit} by the largest-remainder rule, so that the amounts add up to "
        "the total"
        if a.rounded_up(line.iso3)
        else "rounded down (the largest-remainder rule gave the units left over to larger "
        "remainders)"
        if exact.denominator != 1
        else "exact"
    )
    return (
        f"{_money(a.total_minor, cur)} \u00d7 {share} = {_exact_money(exact, cur)} {cur}, "
        f"{rounded}: {_money(line.amount_minor, cur)} {cur}."
    )


def _percent(share: Fraction) -> str:
    """A share of 1 in percent to 6 decimals (the exact share is in the workbook)."""
    return f"{Decimal(share.numerator * 100) / Decimal(share.denominator):.6f}"


def _exact_money(minor: Fraction, currency: str) -> str:
    """An exact amount in minor units shown to four more decimals, cut with "…" if longer."""
    digits = currency_exponent(currency) + 4
    scaled = minor * 10**4
    cut = abs(scaled.numerator) // scaled.denominator * (1 if minor >= 0 else -1)
    text = f"{Decimal(cut).scaleb(-digits):,}"
    return text + ("…" if scaled.denominator != 1 else "")


def _date_words(match: re.Match[str]) -> str:
    return words_date(dt.date(*map(int, match.groups())))


def _meeting_title(text: str) -> str:
    """``12MSP: Twelfth Meeting of States Parties`` -> ``Twelfth Meeting of States Parties
    (12MSP)``."""
    name, sep, title = text.partition(":")
    return f"{title.strip()} ({name.strip()})" if sep else text


def _basis(context: Mapping[str, str]) -> str:
    """What the article provides, from the assessment's context: the treaty text quoted."""
    basis = context.get("cost basis", "")
    article = context.get("article", "")
    text = basis.split(":", 1)[1].strip() if ":" in basis else basis
    if len(text) > 1 and text.startswith('"') and text.endswith('"'):
        text = "\u201c" + text[1:-1] + "\u201d"  # a quotation, as printed
    return text or article.partition(":")[2].strip()


def _file_name(reference: str) -> str:
    return _UNSAFE.sub("-", reference.replace("/", "-")).strip("-") + ".pdf"


def control_table(lines: Sequence[ControlLine], currency: str, heading: str) -> TextTable:
    """The control list: one row per state (a state with nothing to pay has no file), and
    the totals of its money columns (what the notices bill, and after a final what the final
    and the estimate billed); amounts exact, in currency units."""
    adjusted = any(line.billed_before_minor is not None for line in lines)
    names = ["reference", "iso3", "state", "role", "un_rate", "adjusted_rate"]
    money = ["final", "billed_before", "amount"] if adjusted else ["amount"]
    columns = (
        *(TextColumn(n) for n in names[:4]),
        TextColumn("un_rate", "number"),
        TextColumn("adjusted_rate", "number"),
        *(TextColumn(n, "money") for n in money),
        TextColumn("currency"),
        TextColumn("kind"),
        TextColumn("file"),
    )

    def units(minor: int | None) -> Decimal | None:
        return None if minor is None else from_minor_units(minor, currency)

    rows = []
    for line in lines:
        amounts = (
            [units(line.assessed_minor), units(line.billed_before_minor), units(line.amount_minor)]
            if adjusted
            else [units(line.amount_minor)]
        )
        rows.append(
            (line.reference, line.iso3, line.state, line.role, line.un_rate, line.rate,
             *amounts, currency, line.kind if line.file else "no notice: nothing to pay",
             line.file)
        )  # fmt: skip
    total = units(sum(line.amount_minor for line in lines))
    before = [  # after a final every money column is totalled: final - billed before = amount
        units(sum(line.assessed_minor for line in lines)),
        units(sum(line.billed_before_minor or 0 for line in lines)),
    ]
    head = ("Total", "", "", "", None, None, *(before if adjusted else []))
    return TextTable(
        columns,
        tuple(rows),
        total=(*head, total, currency, "", ""),
        heading=heading,
    )


def _control_csv(table: TextTable) -> bytes:
    """The control list as CSV, its total the last row (CSV has no totals row of its own)."""
    total = () if table.total is None else (table.total,)
    return render_table(replace(table, rows=(*table.rows, *total)), "csv").encode("utf-8")
