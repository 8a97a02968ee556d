"""Explore a meeting in Jupyter: choose the meeting, the observers, the total and the rule
set, and see the assessment and the largest changes against the meeting's base assessment.

:class:`Explorer` holds the widgets and computes everything with the public functions
(:func:`~ccm_costs.assess`, :func:`~ccm_costs.compare`), so what it shows is what they give;
it is tested from Python, without a browser, by setting the widgets' values. ipywidgets and
matplotlib load when an explorer is built, never with ``import ccm_costs``.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._compare import compare
from ._core.numbers import AmountLike
from ._reference.scales import load_scale, notional_rates_if_any
from ._reference.states import state_name, state_order
from .conventions import Meeting, assess, get_convention, load_meetings
from .errors import CcmCostsError, InvalidInputError
from .rules import available

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from ._assessment import Assessment

ILLUSTRATIVE_TOTAL = "500000.00"
"""The total of a meeting that records none (no CCM meeting cost is public)."""
OWN_RULES = "(the meeting's own)"
"""The rule set choice of a meeting whose rules are not a shipped preset."""
BASE, CHOSEN = "base", "chosen"
"""The scenario names of :attr:`Explorer.comparison`."""
DIFFERENCE = f"{CHOSEN} - {BASE}"

_GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d*)?$")


def _total_text(text: str) -> str:
    """A total as typed: ``400000.00``, or with thousands separators ``400,000.00``."""
    text = text.strip().replace(" ", "")
    return text.replace(",", "") if _GROUPED.match(text) else text


class Explorer:
    """Widgets to explore who pays for a meeting; show it as the last expression of a cell.

    The controls: ``meeting`` (the shipped meetings of ``convention``, and ``meeting`` itself
    if it is a :class:`~ccm_costs.Meeting` of your own), ``observers`` (the States not party
    on the meeting's membership day, signatories first; the meeting's own observers chosen to
    start with), ``total`` (exact text in the meeting's currency; the meeting's total, else
    ``total``, else an illustrative 500,000.00) and ``rules`` (the presets of
    :func:`ccm_costs.rules.available`, and the meeting's own rules when they are not one).
    The views: ``summary``, ``chart`` (the ``top`` largest changes, as a PNG) and ``table``
    (the assessment, as Jupyter shows it). Every change of a control recomputes them.

    The results, for Python: :attr:`assessment` (``cc.assess`` of the meeting with the chosen
    observers, total and rules), :attr:`base` (the meeting's own observers and rules at the
    same total), :attr:`comparison` (``cc.compare({"base": base, "chosen": assessment})``),
    :attr:`changes` (its ``top`` rows with the largest differences, largest first),
    :attr:`figure` (the chart, a matplotlib ``Figure``), :attr:`error` (what is wrong with the
    input, in the words of ``cc.assess``; every result is then None) and :attr:`base_error`
    (why the base cannot be assessed, e.g. cents under the meeting's rules of whole units;
    there is then no comparison).
    """

    def __init__(
        self,
        meeting: str | Meeting = "12MSP",
        *,
        observers: Iterable[str] | None = None,
        total: AmountLike | None = None,
        rules: str | None = None,
        convention: str | None = None,
        top: int = 10,
    ) -> None:
        try:
            import ipywidgets as widgets
        except ImportError as err:
            raise ImportError(
                "cc.Explorer needs ipywidgets (and matplotlib): pip install 'ccm-costs[notebooks]'"
            ) from err
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise InvalidInputError(f"top must be a positive int, not {top!r}")
        self.top = top
        self._meetings: dict[str, Meeting] = dict(load_meetings(convention=convention))
        if isinstance(meeting, Meeting):
            self._meetings[meeting.name] = meeting
            first = meeting
        elif meeting in self._meetings:
            first = self._meetings[meeting]
        else:
            listed = ", ".join(self._meetings) or "none"
            raise InvalidInputError(
                f"no shipped meeting {meeting!r}: give one of {listed}, or a cc.Meeting"
            )
        self._default_total = str(total) if total is not None else ILLUSTRATIVE_TOTAL
        self._presets = available()
        self._quiet = False
        self._shown = first
        """The meeting the controls were last set for."""
        self.assessment: Assessment | None = None
        self.base: Assessment | None = None
        self.comparison: pd.DataFrame | None = None
        self.changes: pd.DataFrame | None = None
        self.figure: Figure | None = None
        self.error: str | None = None
        self.base_error: str | None = None

        wide = {"description_width": "5em"}
        self.meeting: Any = widgets.Dropdown(
            options=[(self._label(m), name) for name, m in self._meetings.items()],
            value=first.name,
            description="Meeting",
            style=wide,
            layout=widgets.Layout(width="34em"),
        )
        self.total: Any = widgets.Text(
            description="Total",
            continuous_update=False,
            style=wide,
            layout=widgets.Layout(width="20em"),
        )
        self.rules: Any = widgets.Dropdown(
            description="Rules", style=wide, layout=widgets.Layout(width="34em")
        )
        self.observers: Any = widgets.SelectMultiple(
            description="Observers",
            rows=12,
            style=wide,
            layout=widgets.Layout(width="30em"),
        )
        self.summary: Any = widgets.HTML()
        self.chart: Any = widgets.Image(format="png")
        self.table: Any = widgets.HTML(
            layout=widgets.Layout(max_height="28em", overflow="auto", border="1px solid #ddd")
        )
        controls = widgets.VBox([self.meeting, self.total, self.rules])
        self.widget: Any = widgets.VBox(
            [widgets.HBox([controls, self.observers]), self.summary, self.chart, self.table]
        )
        self._set_meeting(first, observers=observers, total=total, rules=rules)
        self.meeting.observe(self._meeting_changed, names="value")
        for control in (self.total, self.rules, self.observers):
            control.observe(self._changed, names="value")
        self.refresh()

    # ------------------------------------------------------------------------- controls

    @staticmethod
    def _label(meeting: Meeting) -> str:
        first = meeting.dates[0].start
        return f"{meeting.name}: {meeting.title or meeting.convention.upper()} ({first})"

    @property
    def chosen_meeting(self) -> Meeting:
        """The meeting chosen, as recorded (its own observers, total and rules)."""
        return self._meetings[self.meeting.value]

    def _set_meeting(
        self,
        meeting: Meeting,
        *,
        observers: Iterable[str] | None = None,
        total: AmountLike | None = None,
        rules: str | None = None,
    ) -> None:
        """Set the other controls for ``meeting``, without recomputing on each."""
        self._quiet = True
        try:
            self.observers.options = self._observer_options(meeting)
            chosen = meeting.observers if observers is None else self._codes(meeting, observers)
            self.observers.value = tuple(chosen)
            charged = get_convention(meeting.convention).cost_type(meeting.cost_type)
            self.observers.disabled = not charged.charges_non_parties
            self.total.description = f"Total ({meeting.currency})"
            if total is not None:
                self.total.value = str(total)
            elif meeting.total is not None:
                self.total.value = str(meeting.total)
            elif not self.total.value:
                self.total.value = self._default_total
            own = self._own_rules(meeting)
            kept = self.rules.value  # a preset chosen for the meeting before stays chosen
            options = [(f"{i}: {r.title}", i) for i, r in self._presets.items()]
            if own == OWN_RULES:
                options.insert(0, (f"{OWN_RULES}: {meeting.rule_set.id}", OWN_RULES))
            self.rules.options = options
            if rules is not None:
                self.rules.value = rules
            elif kept in self._presets and kept != self._own_rules(self._shown):
                self.rules.value = kept
            else:
                self.rules.value = own
            self._shown = meeting
        finally:
            self._quiet = False

    def _own_rules(self, meeting: Meeting) -> str:
        """The rules choice that is the meeting's own: its preset id, or :data:`OWN_RULES`."""
        rule_set = meeting.rule_set
        preset = self._presets.get(rule_set.id)
        return rule_set.id if preset == rule_set else OWN_RULES

    @staticmethod
    def _observer_options(meeting: Meeting) -> list[tuple[str, str]]:
        """The States not party on the meeting's membership day: the members of its UN
        scale, the states with a GA notional rate, and every state in the convention's
        records (signatories, states bound later or withdrawn), as (label, ISO3), signatories
        first, each group by name."""
        convention = get_convention(meeting.convention)
        day = meeting.membership_day
        parties = convention.parties_on(day)
        signatories = convention.signatories_on(day)
        scale = load_scale(meeting.scale_basis)
        recorded = {r.iso3 for r in convention.membership()}
        codes = (
            set(scale.units) | set(notional_rates_if_any(scale.period)) | recorded | signatories
        ) - parties
        ordered = sorted(
            codes, key=lambda c: (c not in signatories, *state_order(state_name(c), c))
        )
        return [
            (f"{state_name(c)} ({c})" + (", signatory" if c in signatories else ""), c)
            for c in ordered
        ]

    def _codes(self, meeting: Meeting, observers: Iterable[str]) -> list[str]:
        """ISO3 codes of the observers given to the explorer (names or codes)."""
        return list(meeting.replace(observers=list(observers)).observers)

    def _meeting_changed(self, change: dict[str, Any]) -> None:
        self._set_meeting(self.chosen_meeting)
        self.refresh()

    def _changed(self, change: dict[str, Any]) -> None:
        if not self._quiet:
            self.refresh()

    # -------------------------------------------------------------------------- results

    def refresh(self) -> None:
        """Recompute the assessment, the comparison and the views from the controls."""
        meeting = self.chosen_meeting
        self.assessment = self.base = self.comparison = self.changes = self.figure = None
        self.error = self.base_error = None
        total = _total_text(self.total.value)
        rules = None if self.rules.value == OWN_RULES else self.rules.value
        try:
            chosen = meeting.replace(observers=list(self.observers.value))
            self.assessment = assess(chosen, total=total, rules=rules)
        except CcmCostsError as err:
            self.error = str(err)
            self.summary.value = (
                f"<p style='color:#b00020'><b>Cannot assess {html.escape(meeting.name)}:</b> "
                f"{html.escape(self.error)}</p>"
            )
            self.table.value = ""
            self.chart.value = b""
            return
        try:
            self.base = assess(meeting, total=total)
        except CcmCostsError as err:  # e.g. cents under the meeting's rules of whole units
            self.base_error = str(err)
        else:
            self.comparison = compare({BASE: self.base, CHOSEN: self.assessment})
            self.changes = self._largest(self.comparison)
            self.figure = self._figure(meeting, self.changes)
        self.summary.value = self._summary(meeting, self.assessment)
        self.table.value = self.assessment._repr_html_()
        self.chart.value = b"" if self.figure is None else _png(self.figure)

    def _largest(self, comparison: pd.DataFrame) -> pd.DataFrame:
        """The ``top`` states whose amount changes most (in absolute value), largest first;
        ties in the order of the names."""
        changed = comparison[comparison[DIFFERENCE] != 0]
        order = sorted(range(len(changed)), key=lambda i: (-abs(changed[DIFFERENCE].iloc[i]), i))
        return changed.iloc[order[: self.top]][["state", BASE, CHOSEN, DIFFERENCE]]

    def _summary(self, meeting: Meeting, chosen: Assessment) -> str:
        c = chosen.currency
        text = [
            f"<b>{html.escape(meeting.name)}</b>"
            + (f": {html.escape(meeting.title)}" if meeting.title else "")
            + f", {html.escape('; '.join(p.describe() for p in meeting.dates))}",
            f"Total <b>{chosen.total:,} {c}</b>; rules <b>{html.escape(chosen.rule_set.id)}</b>"
            f"; UN scale {html.escape(chosen.scale_period)}; {len(chosen)} states pay "
            f"({html.escape(_plural_roles(chosen))}).",
        ]
        base = (
            f"the base (the meeting's own observers: {', '.join(meeting.observers) or 'none'}; "
            f"rules {meeting.rule_set.id}; the same total)"
        )
        if self.base_error is not None:
            text.append(f"No comparison with {html.escape(base)}: {html.escape(self.base_error)}")
        elif self.changes is None or self.changes.empty:
            text.append(f"No amount changes against {html.escape(base)}.")
        else:
            moved = int((self.comparison[DIFFERENCE] != 0).sum())  # type: ignore[index]
            first = self.changes.iloc[0]
            text.append(
                f"Against {html.escape(base)}: {moved} amounts change; the largest: "
                f"{html.escape(str(first['state']))} {first[DIFFERENCE]:+,} {c}."
            )
        return "<br>".join(text)

    def _figure(self, meeting: Meeting, changes: pd.DataFrame) -> Figure:
        from matplotlib.figure import Figure
        from matplotlib.ticker import StrMethodFormatter

        currency = self.assessment.currency if self.assessment else meeting.currency
        rows = max(len(changes), 1)
        figure = Figure(figsize=(9, 0.32 * rows + 1.3), layout="constrained")
        ax = figure.add_subplot()
        if changes.empty:
            ax.text(0.5, 0.5, "no amount changes against the base", ha="center", va="center")
            ax.set_axis_off()
            return figure
        names = [
            _short(str(state)) + self._presence(str(code))
            for code, state in zip(changes.index, changes["state"], strict=True)
        ]
        values = [float(v) for v in changes[DIFFERENCE]]  # for the plot only: the figures are exact
        ax.barh(names, values, color=["#c0392b" if v > 0 else "#2e86c1" for v in values])
        ax.invert_yaxis()
        ax.axvline(0, color="0.4", lw=0.8)
        for y, (value, exact) in enumerate(zip(values, changes[DIFFERENCE], strict=True)):
            ax.annotate(
                f"{exact:+,}",
                (value, y),
                xytext=(3 if value >= 0 else -3, 0),
                textcoords="offset points",
                ha="left" if value >= 0 else "right",
                va="center",
                fontsize=8,
            )
        low, high = min(*values, 0.0), max(*values, 0.0)
        pad = (high - low) * 0.18 or 1.0
        ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 else 0))
        ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        ax.tick_params(axis="y", labelsize=9)
        ax.set_xlabel(f"change against the base ({currency}; red: pays more, blue: pays less)")
        chosen = self.assessment
        if chosen is not None:
            what = f"{chosen.total:,} {currency}, rules {chosen.rule_set.id}"
            own = ", ".join(meeting.observers) or "none"
            ax.set_title(
                f"{meeting.name}, {what}: the {len(changes)} largest changes\nagainst the "
                f"meeting's own observers ({own}) and rules ({meeting.rule_set.id})",
                fontsize=10,
            )
        return figure

    def _presence(self, code: str) -> str:
        """ " (joins)" for a state assessed only in the choice, " (leaves)" for one only in
        the base."""
        if self.base is not None and self.base.line_of(code) is None:
            return " (joins)"
        if self.assessment is not None and self.assessment.line_of(code) is None:
            return " (leaves)"
        return ""

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        """Jupyter shows the widgets."""
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        state = f"error: {self.error}" if self.error else repr(self.assessment)
        return f"<Explorer of {self.meeting.value}: {state}>"


def _plural_roles(assessment: Assessment) -> str:
    """ "112 States Parties, 2 observers": how many states pay in each role."""
    counts: dict[str, int] = {}
    for line in assessment:
        role = line.role or "payer"
        counts[role] = counts.get(role, 0) + 1
    plurals = {"State Party": "States Parties"}
    return ", ".join(
        f"{n} {role if n == 1 else plurals.get(role, role + 's')}" for role, n in counts.items()
    )


def _short(name: str) -> str:
    """A state's name for a chart label: the UN's long forms cut at a parenthesis."""
    long_forms = {"United Kingdom of Great Britain and Northern Ireland": "United Kingdom"}
    return long_forms.get(name, name.split(" (", maxsplit=1)[0])


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=96)
    return buffer.getvalue()
