"""CCM meetings: what is assessed (dates, cost type, total, observers) and who pays it (Article 14).

A :class:`Meeting` is validated on construction and loads from TOML or JSON files; :func:`assess`
turns it into the set of paying states (Article 14(1): the States Parties and the States not
party participating; 14(2): the States Parties only) and apportions its total with the engine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ._data_files import data_dir
from .adjustment import percent_to_share
from .apportion import apportion
from .assessment import Assessment
from .errors import InvalidInputError, MeetingError, UnknownStateError
from .membership import as_date, parties_on
from .money import AmountLike, RoundingUnit, currency_exponent, from_minor_units, to_minor_units
from .participation import NonMemberRatePolicy, check_is_state_name, non_member_rates
from .published_rates import AmountBasis, RateRounding
from .scale import PeriodLike, Scale, load_scale, parse_period, parse_rate_units, units_to_percent
from .states import resolve_state, state_name

ARTICLES = {"meeting": "Article 14(1)", "secretariat": "Article 14(2)"}
BORNE_BY = {
    "meeting": "the States Parties and the States not party participating bear the costs",
    "secretariat": "the States Parties bear the costs of the Secretary-General (Articles 7, 8)",
}


def _state_codes(names: Iterable[object]) -> list[str]:
    """ISO3 codes of state names, every organisation, unknown name and duplicate reported."""
    codes: list[str] = []
    first: dict[str, object] = {}
    problems: list[str] = []
    for name in names:
        try:
            code = resolve_state(check_is_state_name(name))
        except (InvalidInputError, UnknownStateError) as err:
            problems.append(str(err))
            continue
        if code in first:
            problems.append(f"{first[code]!r} and {name!r} are both {code}")
        first.setdefault(code, name)
        codes.append(code)
    if problems:
        raise ValueError("; ".join(problems))
    return codes


def _date(value: object) -> dt.date:
    return as_date(value, "")  # as_date raises a ValueError that pydantic names by field


class MeetingPart(BaseModel):
    """One part of a meeting: its first and last day, and where it was held."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    start: dt.date
    end: dt.date
    place: str | None = None

    @model_validator(mode="before")
    @classmethod
    def one_day_by_default(cls, data: Any) -> Any:
        """A part without ``end`` lasts one day."""
        if isinstance(data, dict) and "end" not in data:
            return {**data, "end": data.get("start")}
        return data

    @field_validator("start", "end", mode="before")
    @classmethod
    def parse_day(cls, value: object) -> dt.date:
        """A date or ``YYYY-MM-DD``; never a time of day or a number."""
        return _date(value)

    @model_validator(mode="after")
    def check_order(self) -> Self:
        """The part ends on or after the day it starts."""
        if self.end < self.start:
            raise ValueError(f"the part ends on {self.end}, before it starts on {self.start}")
        return self

    def describe(self) -> str:
        """The part's days and place as text."""
        days = str(self.start) if self.end == self.start else f"{self.start} to {self.end}"
        return f"{days}, {self.place}" if self.place else days


def _as_part(item: object) -> object:
    """A date, ``"YYYY-MM-DD"`` or ``"YYYY-MM-DD/YYYY-MM-DD"`` as the fields of a part."""
    if isinstance(item, dt.date):  # a datetime too: parse_day says why it is refused
        return {"start": item}
    if isinstance(item, str):
        start, _, end = item.partition("/")
        return {"start": start, "end": end} if end else {"start": start}
    return item


class Meeting(BaseModel):
    """A CCM meeting (Article 14(1)) or the Secretary-General's costs (14(2)) to be assessed.

    Fields: ``name``, ``title``; ``cost_type`` ``"meeting"`` (14(1), observers pay) or
    ``"secretariat"`` (14(2), States Parties only); ``dates``, one part per item (a date,
    ``"start/end"``, or a table with ``start``, ``end``, ``place``); ``total`` (exact, 0 or
    more; may be absent) in ``currency``; ``observers``, the States not party participating;
    the engine's options (``non_member_policy``, ``extra_rates``, ``ceiling``, ``floor``,
    ``rate_decimals``, ``rate_rounding``, ``amounts_from``, ``unit``); ``sources``, ``notes``.

    Date rules: the parties are those bound on ``membership_date`` (default: the first day of
    the first part); the UN scale period is that of ``scale_period`` (a period, year or date;
    default: the first day of the first part). Invalid input raises :class:`MeetingError`
    naming each field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    title: str | None = None
    cost_type: Literal["meeting", "secretariat"] = "meeting"
    dates: tuple[MeetingPart, ...]
    membership_date: dt.date | None = None
    scale_period: str | None = None
    currency: str = "USD"
    unit: RoundingUnit = RoundingUnit.MINOR
    total: Decimal | None = None
    observers: tuple[str, ...] = ()
    non_member_policy: NonMemberRatePolicy = NonMemberRatePolicy.NOTIONAL_THEN_FLOOR
    extra_rates: dict[str, Decimal] = Field(default_factory=dict)
    ceiling: Decimal | None = None
    floor: Decimal | None = None
    rate_decimals: int = Field(default=3, ge=0, le=12, strict=True)
    rate_rounding: RateRounding = RateRounding.HALF_UP
    amounts_from: AmountBasis = AmountBasis.EXACT_SHARES
    sources: tuple[str, ...] = ()
    notes: str | None = None

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            name = data.get("name")
            raise MeetingError(
                _problems(err), meeting=name if isinstance(name, str) else None
            ) from None

    @field_validator("dates", mode="before")
    @classmethod
    def parse_parts(cls, value: object) -> object:
        """Each part as a date, a ``start/end`` string, or a table with start, end, place."""
        if isinstance(value, list | tuple):
            return tuple(_as_part(item) for item in value)
        return (_as_part(value),) if value is not None else value

    @field_validator("dates")
    @classmethod
    def check_parts_in_order(cls, parts: tuple[MeetingPart, ...]) -> tuple[MeetingPart, ...]:
        """At least one part; parts are given in date order and do not overlap."""
        if not parts:
            raise ValueError("give at least one part, e.g. dates = [2024-09-10]")
        for n, (before, after) in enumerate(itertools.pairwise(parts), start=2):
            if after.start <= before.end:
                raise ValueError(
                    f"part {n} starts on {after.start}, before part {n - 1} ends ({before.end}): "
                    "give the parts in date order"
                )
        return parts

    @field_validator("membership_date", mode="before")
    @classmethod
    def parse_membership_date(cls, value: object) -> dt.date | None:
        """A date or ``YYYY-MM-DD``."""
        return None if value is None else _date(value)

    @field_validator("scale_period", mode="before")
    @classmethod
    def parse_scale_period(cls, value: object) -> str | None:
        """A period (``"2019-2021"``), a year (``2021``) or a date, kept as text."""
        if value is None:
            return None
        if isinstance(value, dt.date | str) and not isinstance(value, dt.datetime):
            try:
                return _date(value).isoformat()
            except ValueError:
                pass
        wanted = parse_period(value)
        if isinstance(wanted, tuple):
            return f"{wanted[0]}-{wanted[1]}"
        if wanted is None:
            raise ValueError(
                f"{value!r} is not a scale period: give a period such as '2019-2021', a year "
                "(2021) or a date (2021-09-20)"
            )
        return str(wanted)

    @field_validator("currency", mode="before")
    @classmethod
    def check_currency(cls, value: object) -> str:
        """An ISO 4217 code with a minor unit."""
        if not isinstance(value, str):
            raise ValueError(f"{value!r} is not a currency code: give one such as 'USD'")
        currency_exponent(value)
        return value.strip().upper()

    @field_validator("total", mode="before")
    @classmethod
    def parse_total(cls, value: object, info: ValidationInfo) -> Decimal | None:
        """The exact total (never through float), 0 or more, no finer than the rounding unit."""
        if value is None or "currency" not in info.data or "unit" not in info.data:
            return None  # no total, or the currency or unit is wrong (reported there)
        currency = str(info.data["currency"])
        minor = to_minor_units(
            str(value) if isinstance(value, Decimal) else value,  # type: ignore[arg-type]
            currency,
            unit=info.data["unit"],
            what="the total",
            allow_negative=False,
        )
        return from_minor_units(minor, currency)

    @field_validator("observers", mode="before")
    @classmethod
    def check_observers(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        """ISO3 codes of States not party participating; a State Party among them is an error."""
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError(f"give a list of states, e.g. [{value!r}], not {value!r}")
        codes = _state_codes(value)
        if "dates" in info.data and "membership_date" in info.data:
            when = info.data["membership_date"] or info.data["dates"][0].start
            bound = parties_on(when)
            already = [f"{state_name(c)} ({c})" for c in codes if c in bound]
            if already:
                verb = "is a State Party" if len(already) == 1 else "are States Parties"
                raise ValueError(
                    f"{', '.join(already)} {verb} on {when}, the membership date; States Parties "
                    "pay as parties, so list only States not party as observers"
                )
        return tuple(codes)

    @field_validator("extra_rates", mode="before")
    @classmethod
    def parse_extra_rates(cls, value: object) -> dict[str, Decimal]:
        """State -> rate in percent (three decimals) for states the UN scale lacks."""
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError('give a table of state = rate in percent, e.g. {COK = "0.001"}')
        codes = _state_codes(value)
        return {
            code: units_to_percent(parse_rate_units(rate, f"the rate of {name!r}"))
            for code, (name, rate) in zip(codes, value.items(), strict=True)
        }

    @field_validator("ceiling", "floor", mode="before")
    @classmethod
    def parse_bound(cls, value: object, info: ValidationInfo) -> Decimal | None:
        """A percentage from 0 to 100, exact."""
        if value is None:
            return None
        share = percent_to_share(value, info.field_name or "bound")  # type: ignore[arg-type]
        percent = share * 100
        exact = Decimal(percent.numerator) / Decimal(percent.denominator)
        if Fraction(exact) != percent:
            raise ValueError(f"{value!r} has too many decimals for a percentage")
        return exact

    # ----------------------------------------------------------------------- derived values

    @property
    def membership_day(self) -> dt.date:
        """The day whose States Parties pay: ``membership_date``, else the first day."""
        return self.membership_date or self.dates[0].start

    @property
    def scale_basis(self) -> PeriodLike:
        """What chooses the UN scale period: ``scale_period``, else the first day."""
        if self.scale_period is None:
            return self.dates[0].start
        try:
            return dt.date.fromisoformat(self.scale_period)
        except ValueError:
            return self.scale_period

    @property
    def article(self) -> str:
        """``"Article 14(1)"`` for a meeting, ``"Article 14(2)"`` for Articles 7 and 8 costs."""
        return ARTICLES[self.cost_type]

    def replace(self, **changes: Any) -> Meeting:
        """A copy with some fields changed, validated again."""
        return Meeting(**{**self.model_dump(), **changes})


def _problems(err: ValidationError) -> list[tuple[str, str]]:
    """(field, message) pairs from a pydantic error, in our words where we wrote them."""
    found: list[tuple[str, str]] = []
    seen: set[tuple[object, str]] = set()
    for error in err.errors(include_url=False):
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        if error["type"] == "value_error":
            message = str(error["ctx"]["error"])
        elif error["type"] == "extra_forbidden":
            message = f"unknown field; the fields are {', '.join(_fields_of(error['loc']))}"
        else:
            message = f"{error['msg']} (got {error['input']!r})"
        if (error["loc"][:-1], message) not in seen:  # a one-day part's end repeats its start
            seen.add((error["loc"][:-1], message))
            found.append((field.lstrip("."), message))
    return found


def _fields_of(loc: tuple[int | str, ...]) -> list[str]:
    model = MeetingPart if len(loc) > 1 and loc[0] == "dates" else Meeting
    return list(model.model_fields)


# ------------------------------------------------------------------------------------ files

SHIPPED = "ccm/meetings.toml"


def _read_document(path: Path) -> object:
    """The parsed TOML or JSON file, numbers with decimals as exact ``Decimal``."""
    text = path.read_text(encoding="utf-8")
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            return tomllib.loads(text, parse_float=Decimal)
        if suffix == ".json":
            return json.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise MeetingError([_syntax_problem(text, suffix, err)], source=str(path)) from None
    raise MeetingError([("", "a meeting file ends in .toml or .json")], source=str(path))


def _syntax_problem(text: str, suffix: str, err: ValueError) -> tuple[str, str]:
    """(field, message) for a file that does not parse, naming the key on the faulty line."""
    found = re.search(r"line (\d+)", str(err))
    lines = text.splitlines()
    if found is None or not 0 < int(found.group(1)) <= len(lines):
        return "", f"not valid {suffix[1:].upper()}: {err}"
    line = lines[int(found.group(1)) - 1].strip()
    key = line.partition("=")[0].strip().strip('"') if "=" in line else ""
    return key, f"not valid {suffix[1:].upper()} ({line!r}): {err}"


def _meeting_tables(document: object, source: str) -> list[object]:
    """The meetings of a file: a ``meetings`` list, a JSON list, or one meeting's fields."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict) and "meetings" in document:
        other = sorted(set(document) - {"meetings"})
        if other:
            raise MeetingError(
                [("", f"unknown top-level keys {other}; put each meeting in 'meetings'")],
                source=source,
            )
        tables = document["meetings"]
        if isinstance(tables, list):
            return tables
        raise MeetingError([("meetings", "must be a list of meetings")], source=source)
    return [document]


def _meeting_from(table: object, source: str, n: int) -> Meeting:
    if not isinstance(table, dict):
        raise MeetingError([("", f"meeting {n} is not a table of fields")], source=source)
    try:
        return Meeting(**table)
    except MeetingError as err:
        if err.meeting is None:
            raise MeetingError(err.problems, meeting=f"#{n}", source=source) from None
        raise err.in_file(source) from None


def load_meetings(path: str | Path | None = None) -> dict[str, Meeting]:
    """The meetings of a TOML or JSON file by name; by default those shipped with the library
    (``data/ccm/meetings.toml``: 9MSP, 2RC, 10MSP, 11MSP, 12MSP, without totals)."""
    file = data_dir() / SHIPPED if path is None else Path(path)
    source = str(file)
    meetings: dict[str, Meeting] = {}
    for n, table in enumerate(_meeting_tables(_read_document(file), source), start=1):
        meeting = _meeting_from(table, source, n)
        if meeting.name in meetings:
            raise MeetingError(
                [("name", "given twice in the file")], meeting=meeting.name, source=source
            )
        meetings[meeting.name] = meeting
    return meetings


def load_meeting(path: str | Path) -> Meeting:
    """The one meeting described in a TOML or JSON file."""
    meetings = load_meetings(path)
    if len(meetings) != 1:
        raise MeetingError(
            [("", f"holds {len(meetings)} meetings; use load_meetings() for several")],
            source=str(path),
        )
    return next(iter(meetings.values()))


def get_meeting(name: str, path: str | Path | None = None) -> Meeting:
    """A meeting by name from a file (by default the shipped meetings)."""
    meetings = load_meetings(path)
    if name not in meetings:
        raise MeetingError(
            [("name", f"no meeting {name!r}; the meetings are {', '.join(meetings)}")],
            source=str(data_dir() / SHIPPED if path is None else path),
        )
    return meetings[name]


# ---------------------------------------------------------------------------------- assess


def _total_of(meeting: Meeting, total: AmountLike | None) -> Decimal:
    if total is not None:
        minor = to_minor_units(
            total, meeting.currency, unit=meeting.unit, what="the total", allow_negative=False
        )
        return from_minor_units(minor, meeting.currency)
    if meeting.total is None:
        raise InvalidInputError(
            f"meeting {meeting.name!r} has no total (no cost is recorded for it): give one, e.g. "
            "assess(meeting, total='500000.00'), or set 'total' in the meeting"
        )
    return meeting.total


def _given_rates(meeting: Meeting, payers: list[str], scale: Scale) -> dict[str, Decimal]:
    """The meeting's extra_rates for paying states; a rate the scale has, or for a state that
    does not pay, is an error (except observers, who do not pay under Article 14(2))."""
    problems = [
        f"{c} has a rate in the UN scale {scale.period}; give rates only for states it lacks"
        for c in meeting.extra_rates
        if c in scale
    ] + [
        f"{c} does not pay for this meeting; remove its rate"
        for c in meeting.extra_rates
        if c not in payers and c not in scale and c not in meeting.observers
    ]
    if problems:
        raise MeetingError([("extra_rates", p) for p in problems], meeting=meeting.name)
    return {c: r for c, r in meeting.extra_rates.items() if c in payers}


def _context(
    meeting: Meeting,
    scale: Scale,
    parties: list[str],
    observers: list[str],
    *,
    rates_summary: str,
    scale_given: bool,
) -> dict[str, str]:
    """What is assessed and by which rules, first in the assessment's provenance."""
    parts = meeting.dates
    day = meeting.membership_day
    rule = (
        "membership_date set in the meeting"
        if meeting.membership_date
        else "the first day of the first part"
    )
    participants = f"the {len(parties)} States Parties bound on {day} ({rule})"
    listed = ", ".join(meeting.observers)
    if meeting.cost_type == "meeting":
        participants += (
            f" and {len(observers)} States not party participating as observers ({listed})"
            if observers
            else " and no States not party participating"
        )
    else:
        participants += " only"
        if listed:
            participants += f"; the States not party listed ({listed}) are not charged"
    if scale_given:
        scale_rule = f"scale given to assess(): {scale.period}"
    elif meeting.scale_period is not None:
        scale_rule = f"scale_period set in the meeting ({meeting.scale_period}): {scale.period}"
    else:
        scale_rule = f"{parts[0].start}, the first day of the first part: UN scale {scale.period}"
    return {
        "meeting": meeting.name + (f": {meeting.title}" if meeting.title else ""),
        "dates": "; ".join(
            f"part {n}: {p.describe()}" if len(parts) > 1 else p.describe()
            for n, p in enumerate(parts, start=1)
        ),
        "cost type": meeting.cost_type,
        "article": f"{meeting.article}: {BORNE_BY[meeting.cost_type]}",
        "participants": participants,
        "scale period": scale_rule,
        "non-member rates": rates_summary,
    }


def assess(
    meeting: Meeting,
    *,
    total: AmountLike | None = None,
    scale: Scale | PeriodLike | None = None,
) -> Assessment:
    """Who pays how much of a meeting's cost under Article 14, as an :class:`Assessment`.

    The States Parties bound on the membership day pay as "State Party"; for a meeting
    (14(1)) the observers pay too, as "observer"; for the Secretary-General's costs (14(2))
    they do not. ``total`` (0 or more) replaces the meeting's own; ``scale`` replaces the
    period its date gives. The provenance starts with the meeting, the article and the rules.
    """
    amount = _total_of(meeting, total)
    scale_obj = (
        scale
        if isinstance(scale, Scale)
        else load_scale(meeting.scale_basis if scale is None else scale)
    )
    parties = sorted(parties_on(meeting.membership_day))
    observers = list(meeting.observers) if meeting.cost_type == "meeting" else []
    payers = parties + observers
    rates = non_member_rates(
        meeting.non_member_policy, payers, scale_obj, _given_rates(meeting, payers, scale_obj)
    )
    roles = {**dict.fromkeys(parties, "State Party"), **dict.fromkeys(observers, "observer")}
    return apportion(
        amount,
        payers,
        scale=scale_obj,
        extra_rates=rates.extra_rates,
        extra_rate_sources=rates.sources,
        use_notional_rates=rates.use_notional_rates,
        ceiling=meeting.ceiling,
        floor=meeting.floor,
        rate_decimals=meeting.rate_decimals,
        rate_rounding=meeting.rate_rounding,
        amounts_from=meeting.amounts_from,
        currency=meeting.currency,
        unit=meeting.unit,
        roles=roles,
        context=_context(
            meeting,
            scale_obj,
            parties,
            observers,
            rates_summary=rates.summary,
            scale_given=scale is not None,
        ),
    )
