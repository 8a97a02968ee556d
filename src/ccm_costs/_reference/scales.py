"""UN scales of assessment: the shipped periods, users' own scales, and their validation.

A rate is published in percent with three decimals, so it is held exactly as an integer count
of 0.001 % ("units"): 22.000 % is 22000 units and a whole scale is 100000. Every scale, shipped
or supplied, goes through the same validation, which reports all problems in one error.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from .._core.text import checked_text, printable, shown
from ..errors import (
    InvalidInputError,
    Problem,
    ScaleValidationError,
    UnknownPeriodError,
    UnknownStateError,
)
from .files import read_rows
from .reading import UNCALCULATED_FIX, Uncalculated
from .states import resolve_state, state_name

if TYPE_CHECKING:
    import pandas as pd

UNITS_PER_PERCENT = 1000
"""Rates are held as integer counts of 0.001 %: one percent is 1000 units."""
FULL_SCALE = 100 * UNITS_PER_PERCENT
_THOUSANDTH = Decimal("0.001")
# A float read from Excel is accepted as a 3-decimal rate only if it is this close to one.
_FLOAT_TOLERANCE = Decimal("1e-9")


@dataclass(frozen=True)
class Scale:
    """A scale of assessment: ISO3 -> rate, for one period, with where it came from.

    ``units`` holds each rate as an exact integer count of 0.001 %; ``rates`` shows the same
    rates as ``Decimal`` percentages with three decimals, as published.
    """

    period: str
    units: Mapping[str, int]
    names: Mapping[str, str]
    resolution: str | None = None
    source: str = ""
    order: tuple[str, ...] = field(default=(), repr=False)

    @cached_property
    def rates(self) -> Mapping[str, Decimal]:
        """ISO3 -> rate in percent, as published (three decimals)."""
        return MappingProxyType({k: units_to_percent(u) for k, u in self.units.items()})

    @property
    def total_units(self) -> int:
        """Sum of the rates in 0.001 % units (100000 for a complete UN scale)."""
        return sum(self.units.values())

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.units

    def __len__(self) -> int:
        return len(self.units)

    def to_frame(self) -> pd.DataFrame:
        """The scale as a DataFrame: member_state, iso3, rate_percent (Decimal), in source order."""
        import pandas as pd

        return pd.DataFrame(
            {
                "member_state": [self.names[k] for k in self.order],
                "iso3": list(self.order),
                "rate_percent": [self.rates[k] for k in self.order],
            }
        )


def units_to_percent(units: int) -> Decimal:
    """An integer count of 0.001 % as a Decimal percentage with three decimals."""
    return Decimal(units).scaleb(-3)


# --------------------------------------------------------------------------- the shipped periods


@dataclass(frozen=True)
class _PeriodInfo:
    period: str
    file: str
    resolution: str
    first_year: int
    last_year: int


@cache
def _periods() -> tuple[_PeriodInfo, ...]:
    infos = []
    for row in read_rows("un_scale_of_assessment/periods.csv"):
        first, last = (int(y) for y in row["period"].split("-"))
        infos.append(_PeriodInfo(row["period"], row["file"], row["resolution"], first, last))
    return tuple(infos)


def available_periods() -> tuple[str, ...]:
    """The scale periods shipped with the library, oldest first (e.g. ``"2019-2021"``)."""
    return tuple(p.period for p in _periods())


PeriodLike = str | int | dt.date


def parse_period(when: object) -> tuple[int, int] | int | None:
    """What a period argument asks for: ``(first, last)`` years for a label such as
    ``"2019-2021"`` (also with an en dash, ``_`` or ``/``), one year for ``2020``, ``"2020"``
    or a date, and ``None`` for anything else."""
    if isinstance(when, dt.date):
        return when.year
    if isinstance(when, int) and not isinstance(when, bool):
        return when
    if isinstance(when, str):
        match = re.fullmatch(r"\s*(\d{4})\s*(?:[-\u2013_/]\s*(\d{4}))?\s*", when)
        if match and match.group(2):
            return int(match.group(1)), int(match.group(2))
        if match:
            return int(match.group(1))
    return None


def period_of(when: PeriodLike) -> str:
    """The shipped scale period that covers a period label, a year or a date.

    Accepts ``"2019-2021"``, ``2020``, ``"2020"`` or a ``datetime.date``; raises
    :class:`UnknownPeriodError` naming the periods available.
    """
    infos = _periods()
    wanted = parse_period(when)
    for info in infos:
        if wanted == (info.first_year, info.last_year) or (
            isinstance(wanted, int) and info.first_year <= wanted <= info.last_year
        ):
            return info.period
    covered = f"{infos[0].first_year}-{infos[-1].last_year}"
    raise UnknownPeriodError(
        f"no UN scale of assessment for {shown(when)}: the periods available are "
        f"{', '.join(available_periods())} (years {covered}); give one of them, a year or a "
        "date in that range, or load your own scale with scale_from_csv() or read_un_workbook()"
    ).for_cli(
        f"no UN scale of assessment for {shown(when)}: the periods available are "
        f"{', '.join(available_periods())} (years {covered}); give one of them, a year or a "
        "date in that range"
    )


def resolution_of(period: str) -> str | None:
    """The GA resolution that adopted a shipped period's scale (e.g. ``"A/RES/73/271"``)."""
    for info in _periods():
        if info.period == period:
            return info.resolution
    return None


def load_scale(period: PeriodLike) -> Scale:
    """The UN scale of assessments for a period (``"2019-2021"``), a year (``2020``) or a date."""
    return _shipped_scale(period_of(period))


@cache
def _shipped_scale(label: str) -> Scale:
    info = next(p for p in _periods() if p.period == label)
    rows = [
        RawRow(f"line {n}", r["member_state"], r["iso3"], r["rate_percent"])
        for n, r in enumerate(read_rows(f"un_scale_of_assessment/{info.file}"), start=2)
    ]
    return validate_scale(
        rows,
        period=label,
        source=f"UN General Assembly resolution {info.resolution} (data/{info.file})",
        resolution=info.resolution,
    )


@cache
def _notional_rows() -> tuple[dict[str, str], ...]:
    return tuple(read_rows("un_scale_of_assessment/non_member_states.csv"))


def notional_rates(period: PeriodLike) -> Mapping[str, Decimal]:
    """GA notional rates of non-member States for a period: the Holy See and the State of Palestine.

    These are the rates the General Assembly sets as the basis of their flat annual fees, not
    assessments; using them for a treaty meeting is a modelling choice. Periods before 2019
    have none recorded.
    """
    label = period_of(period)
    return MappingProxyType(
        {r["iso3"]: Decimal(r["rate_percent"]) for r in _notional_rows() if r["period"] == label}
    )


def notional_rates_if_any(period: str) -> Mapping[str, Decimal]:
    """The GA notional rates of a period, or none for a period with no shipped scale (a
    user's own scale)."""
    try:
        return notional_rates(period)
    except UnknownPeriodError:
        return MappingProxyType({})


def notional_rate_source(period: PeriodLike, iso3: str) -> str:
    """Where the notional rate of ``iso3`` for ``period`` comes from (resolution and paragraph)."""
    label = period_of(period)
    for row in _notional_rows():
        if row["period"] == label and row["iso3"] == iso3:
            return row["source"]
    raise UnknownStateError({iso3: ()})


# --------------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class RawRow:
    """One row of a scale as read, before validation: where it was, name, code and rate."""

    where: str
    name: str | None
    iso3: str | None
    rate: object


def parse_rate_units(value: object, what: str) -> int:
    """A rate in percent (string, int, Decimal, or a float read from Excel) as 0.001 % units.

    Raises :class:`InvalidInputError` if it is missing, a formula never calculated, not a
    number, negative, above 100 %, or not a multiple of 0.001.
    """
    if isinstance(value, Uncalculated):
        raise InvalidInputError(
            f"{what}: the rate is the formula {shown(value.formula)}, which was never "
            f"calculated (the file holds no result for it): {UNCALCULATED_FIX}"
        )
    if blank(value):  # None, "", or NaN (an empty cell in pandas)
        raise InvalidInputError(f"{what}: the rate is missing")
    if isinstance(value, bool):
        raise InvalidInputError(f"{what}: the rate {value!r} is not a number")
    is_float = isinstance(value, float)
    try:
        if isinstance(value, float):  # float() too: a numpy float's repr is not a number
            number = Decimal(repr(float(value)))
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, str):
            number = Decimal(value.strip())
        else:
            raise InvalidOperation
    except InvalidOperation:
        hint = (
            ": write it with '.' as the decimal point (0.679, not 0,679)"
            if isinstance(value, str) and "," in value
            else ""
        )
        raise InvalidInputError(f"{what}: the rate {shown(value)} is not a number{hint}") from None
    if not number.is_finite():
        raise InvalidInputError(f"{what}: the rate {value!r} is not a finite number")
    if number < 0:
        raise InvalidInputError(f"{what}: the rate {shown(value)} is negative")
    if number > 100:
        raise InvalidInputError(
            f"{what}: the rate {shown(value)} is above 100 % (a rate is a percentage of the "
            "whole scale)"
        )
    rounded = number.quantize(_THOUSANDTH)
    exact = rounded == number or (is_float and abs(rounded - number) < _FLOAT_TOLERANCE)
    if not exact:
        raise InvalidInputError(
            f"{what}: the rate {shown(value)} is not a multiple of 0.001 (UN rates have three "
            "decimals)"
        )
    return int(rounded * UNITS_PER_PERCENT)


def validate_scale(
    rows: Iterable[RawRow],
    *,
    period: str,
    source: str,
    resolution: str | None = None,
    check_total: bool = True,
    problems: Iterable[Problem] = (),
) -> Scale:
    """Check every row and the total; return the :class:`Scale` or raise one error listing all
    (with ``problems``, those its reader found in the file)."""
    problems = list(problems)
    units: dict[str, int] = {}
    names: dict[str, str] = {}
    seen_at: dict[str, str] = {}
    for row in rows:
        label = f"{row.where} ({printable(row.name or row.iso3 or 'no name')})"
        iso3 = _row_iso3(row, label, problems)
        try:
            rate = parse_rate_units(row.rate, label)
        except InvalidInputError as err:
            problems.append(_at(label, str(err).removeprefix(f"{label}: "), "rate"))
            continue
        if iso3 is None:
            continue
        if iso3 in seen_at:
            problems.append(
                _at(label, f"duplicate ISO3 {iso3}, already given at {seen_at[iso3]}", "duplicate")
            )
            continue
        seen_at[iso3] = row.where
        units[iso3] = rate
        names[iso3] = row.name or state_name(iso3)
    if not units and not problems:
        problems.append(Problem("no rows with a rate: the scale is empty", code="empty"))
    total = sum(units.values())
    if check_total and units and total != FULL_SCALE:
        problems.append(
            Problem(
                f"the rates sum to {units_to_percent(total)}, not 100.000 "
                f"({len(units)} rows read); a scale of assessment must total exactly 100.000 "
                "(pass check_total=False for a partial scale)",
                code="total",
            )
        )
    if problems:
        raise ScaleValidationError(source, problems)
    return Scale(
        period=period,
        units=MappingProxyType(units),
        names=MappingProxyType(names),
        resolution=resolution,
        source=source,
        order=tuple(units),
    )


def _at(label: str, message: str, code: str, field: str = "") -> Problem:
    return Problem(message, where=label, code=code, field=field)


def _row_iso3(row: RawRow, label: str, problems: list[Problem]) -> str | None:
    """The row's ISO3 code; when the row gives a name and a code, both must name the state."""
    code = (row.iso3 or "").strip().upper() or None
    if row.name is not None:
        try:
            checked_text(row.name, "the name")
        except InvalidInputError as err:
            problems.append(_at(label, str(err), "control_character", "member_state"))
            return None
    from_name: str | None = None
    name_error: UnknownStateError | None = None
    if row.name:
        try:
            from_name = resolve_state(row.name)
        except UnknownStateError as err:
            name_error = err
    if code is None:
        if name_error is not None:
            problems.append(_at(label, str(name_error), "unknown_state", "member_state"))
        elif from_name is None:
            problems.append(_at(label, "neither a state name nor an ISO3 code", "no_state"))
        return from_name
    try:
        known = resolve_state(code)
    except UnknownStateError:
        problems.append(
            _at(label, f"{code!r} is not an ISO 3166-1 alpha-3 code", "unknown_code", "iso3")
        )
        return None
    if name_error is not None:
        problems.append(
            _at(
                label,
                f"the name {shown(row.name)} is not a name of {known} ({state_name(known)}), "
                f"the ISO3 column's state: correct the name or the code ({name_error})",
                "mismatch",
                "member_state",
            )
        )
        return None
    if from_name is not None and from_name != known:
        problems.append(
            _at(label, f"the name means {from_name} but the ISO3 column says {known}", "mismatch")
        )
        return None
    return known


def blank(value: object) -> bool:
    """Whether a cell is empty: None, blank text, or NaN (pandas' empty cell)."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):  # pandas' empty cell
        return True
    return isinstance(value, str) and not value.strip()
