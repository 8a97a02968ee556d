"""Meetings: what is assessed (convention, dates, cost type, total, observers), from files too.

A :class:`Meeting` is validated on construction (every problem named by its field in one
:class:`MeetingError`) and loads from TOML or JSON files; :func:`ccm_costs.assess` turns it
into the states that pay and apportions its total.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    InstanceOf,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .._core.dates import parse_date
from .._core.money import currency_exponent, from_minor_units, to_minor_units
from .._core.text import checked_text, shown
from .._reference.reading import file_path, read_text
from .._reference.scales import PeriodLike, parse_period
from .._reference.states import resolve_distinct, state_name
from ..errors import CcmCostsError, MeetingError, Problem
from ..rules._files import load as load_rules
from ..rules._files import resolved as resolved_rules
from ..rules._ruleset import RuleSet
from ._convention import DEFAULT_CONVENTION, Convention, get_convention


def _state_codes(names: Iterable[object], convention: Convention) -> list[str]:
    """ISO3 codes of state names: every organisation, unknown name and duplicate reported (as
    the ``ValueError`` pydantic names by its field)."""
    try:
        return resolve_distinct(
            names, "states", refuse=convention.check_chargeable, allow_empty=True
        )
    except CcmCostsError as err:
        raise ValueError(str(err)) from None


def _date(value: object) -> dt.date:
    return parse_date(value, "")  # an InvalidInputError is a ValueError: pydantic names the field


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

    @field_validator("place")
    @classmethod
    def one_line(cls, value: str | None) -> str | None:
        """Plain text on one line: no control character."""
        return None if value is None else checked_text(value, "the place")

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
    """A meeting (or another shared cost) of a convention to be assessed.

    Fields: ``name``, ``title``; ``convention`` (default ``"ccm"``); ``cost_type``, one of the
    convention's (for the CCM ``"meeting"``, Article 14(1), observers pay, or
    ``"secretariat"``, Article 14(2), States Parties only); ``dates``, one part per item (a date,
    ``"start/end"``, or a table with ``start``, ``end``, ``place``); ``total`` (exact, 0 or
    more; may be absent) in ``currency``; ``observers``, the States not party participating;
    ``participants``, the parties that take part (for a cost only they bear); ``rules``, the
    rule set (a :class:`~ccm_costs.rules.RuleSet`, a preset id, a path to a rule set file, or
    in a meeting file a table of rules; default: the convention's); ``sources``, ``notes``.

    Date rules: the parties are those bound on ``membership_date`` (default: the first day of
    the first part); the UN scale period is that of ``scale_period`` (a period, year or date;
    default: the first day of the first part). Invalid input raises :class:`MeetingError`
    naming each field.
    """

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, arbitrary_types_allowed=True
    )

    name: str = Field(min_length=1)
    title: str | None = None
    convention: str = DEFAULT_CONVENTION
    cost_type: str = ""
    dates: tuple[MeetingPart, ...]
    membership_date: dt.date | None = None
    scale_period: str | None = None
    currency: str = "USD"
    rules: InstanceOf[RuleSet] | None = None
    total: Decimal | None = None
    observers: tuple[str, ...] = ()
    participants: tuple[str, ...] = ()
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

    @field_validator("name", "title")
    @classmethod
    def check_name(cls, value: str | None, info: ValidationInfo) -> str | None:
        """Plain text on one line: a control character (a terminal escape sequence) is
        refused."""
        return None if value is None else checked_text(value, f"the {info.field_name}")

    @field_validator("notes")
    @classmethod
    def check_notes(cls, value: str | None) -> str | None:
        """Text that may hold line breaks, but no other control character."""
        return None if value is None else checked_text(value, "the notes", lines=True)

    @field_validator("sources")
    @classmethod
    def check_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        """Each source: text that may hold line breaks, but no other control character."""
        return tuple(checked_text(text, "a source", lines=True) for text in value)

    @model_validator(mode="before")
    @classmethod
    def default_cost_type(cls, data: Any) -> Any:
        """A meeting that names no cost type has its convention's first (for the CCM,
        ``"meeting"``)."""
        if isinstance(data, dict) and data.get("cost_type") is None:
            try:
                found = get_convention(data.get("convention", DEFAULT_CONVENTION))
            except CcmCostsError:
                return data  # the convention is wrong: reported there
            return {**data, "cost_type": next(iter(found.cost_types))}
        return data

    @field_validator("convention", mode="before")
    @classmethod
    def check_convention(cls, value: object) -> str:
        """The id of a shipped convention (``"ccm"``, ``"apmbc"`` ...)."""
        try:
            return get_convention(value).id  # type: ignore[arg-type]
        except CcmCostsError as err:
            raise ValueError(str(err)) from None

    @field_validator("cost_type", mode="before")
    @classmethod
    def check_cost_type(cls, value: object, info: ValidationInfo) -> str:
        """One of the convention's cost types."""
        if "convention" not in info.data:
            return str(value)  # the convention is wrong: reported there
        try:
            return get_convention(info.data["convention"]).cost_type(value).id  # type: ignore[arg-type]
        except CcmCostsError as err:
            raise ValueError(str(err)) from None

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
        if value is None or "currency" not in info.data or "rules" not in info.data:
            return None  # no total, or the currency or rules are wrong (reported there)
        currency = str(info.data["currency"])
        rules = info.data["rules"] or _default_rules(info.data.get("convention"))
        minor = to_minor_units(
            str(value) if isinstance(value, Decimal) else value,  # type: ignore[arg-type]
            currency,
            unit=rules.amounts.unit,
            what="the total",
            allow_negative=False,
        )
        return from_minor_units(minor, currency)

    @field_validator("rules", mode="before")
    @classmethod
    def read_rules(cls, value: object) -> RuleSet | None:
        """A rule set, a preset id, a path to a rule set file, or a table of rules."""
        if value is None or isinstance(value, RuleSet):
            return value
        try:
            if isinstance(value, Mapping):
                return RuleSet.from_dict(resolved_rules(dict(value)), source="the meeting's rules")
            if isinstance(value, str | Path):
                return load_rules(value)
        except CcmCostsError as err:
            raise ValueError(str(err)) from None
        raise ValueError(
            f"{value!r} is not a rule set: give a preset id such as 'un-pro-rata', a path to a "
            "rule set file, or a table of rules"
        )

    @field_validator("observers", mode="before")
    @classmethod
    def check_observers(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        """ISO3 codes of States not party participating; a State Party among them is an error."""
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError(f"give a list of states, e.g. [{value!r}], not {value!r}")
        if "convention" not in info.data:
            return tuple(str(v) for v in value)  # the convention is wrong: reported there
        convention = get_convention(info.data["convention"])
        codes = _state_codes(value, convention)
        if "dates" in info.data and "membership_date" in info.data:
            when = info.data["membership_date"] or info.data["dates"][0].start
            bound = convention.parties_on(when)
            already = [f"{state_name(c)} ({c})" for c in codes if c in bound]
            if already:
                verb = "is a State Party" if len(already) == 1 else "are States Parties"
                raise ValueError(
                    f"{', '.join(already)} {verb} on {when}, the membership date; States Parties "
                    "pay as parties, so list only States not party as observers"
                )
        return tuple(codes)

    @field_validator("participants", mode="before")
    @classmethod
    def check_participants(cls, value: object, info: ValidationInfo) -> tuple[str, ...]:
        """ISO3 codes of the parties that participate (for a cost only they bear)."""
        if value is None:
            return ()
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError(f"give a list of states, e.g. [{value!r}], not {value!r}")
        if "convention" not in info.data:
            return tuple(str(v) for v in value)
        return tuple(_state_codes(value, get_convention(info.data["convention"])))

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
            return parse_date(self.scale_period)
        except CcmCostsError:
            return self.scale_period

    @property
    def rule_set(self) -> RuleSet:
        """The meeting's rules, or its convention's default rule set."""
        return self.rules or _default_rules(self.convention)

    @property
    def article(self) -> str:
        """The article (or practice) under which the cost is shared, e.g. ``"Article 14(1)"``."""
        return get_convention(self.convention).cost_type(self.cost_type).article

    def replace(self, **changes: Any) -> Meeting:
        """A copy with some fields changed, validated again."""
        fields = {name: getattr(self, name) for name in type(self).model_fields}
        fields["dates"] = [part.model_dump() for part in self.dates]
        return Meeting(**{**fields, **changes})


def _default_rules(convention: object) -> RuleSet:
    """The default rule set of a convention (the CCM's when it is unknown or wrong)."""
    try:
        found = get_convention(convention if isinstance(convention, str) else DEFAULT_CONVENTION)
    except CcmCostsError:
        found = get_convention(DEFAULT_CONVENTION)
    return load_rules(found.default_rules)


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
            message = f"{error['msg']} (got {shown(error['input'])})"
        if (error["loc"][:-1], message) not in seen:  # a one-day part's end repeats its start
            seen.add((error["loc"][:-1], message))
            found.append((field.lstrip("."), message))
    return found


def _fields_of(loc: tuple[int | str, ...]) -> list[str]:
    model = MeetingPart if len(loc) > 1 and loc[0] == "dates" else Meeting
    return list(model.model_fields)


# ------------------------------------------------------------------------------------ files


def _shipped(convention: str) -> Path:
    return get_convention(convention).folder / "meetings.toml"


def _read_document(path: Path) -> object:
    """The parsed TOML or JSON file (UTF-8, within the size limit), numbers with decimals as
    exact ``Decimal``."""
    source = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise MeetingError([("", "a meeting file ends in .toml or .json")], source=source)

    def fail(problem: Problem) -> MeetingError:
        return MeetingError([problem], source=source)

    text = read_text(path, fail)
    try:
        if suffix == ".toml":
            return tomllib.loads(text, parse_float=Decimal)
        return json.loads(text, parse_float=Decimal)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise MeetingError([_syntax_problem(text, suffix, err)], source=source) from None
    except RecursionError:
        raise MeetingError(
            [("", f"its {suffix[1:].upper()} is nested too deeply to be a meeting file")],
            source=source,
        ) from None


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


def _meeting_from(table: object, source: str, n: int, convention: str | None) -> Meeting:
    if not isinstance(table, dict):
        raise MeetingError([("", f"meeting {n} is not a table of fields")], source=source)
    if convention is not None:
        named = table.get("convention", convention)
        if named != convention:
            raise MeetingError(
                [("convention", f"is {named!r} in a file of the {convention!r} meetings")],
                meeting=str(table.get("name", f"#{n}")),
                source=source,
            )
        table = {**table, "convention": convention}
    try:
        return Meeting(**table)
    except MeetingError as err:
        if err.meeting is None:
            raise err.of_meeting(f"#{n}").in_file(source) from None
        raise err.in_file(source) from None


def load_meetings(
    path: str | Path | None = None, *, convention: str | None = None
) -> dict[str, Meeting]:
    """The meetings of a TOML or JSON file by name.

    Without ``path``, the meetings shipped for ``convention`` (default the CCM's:
    ``data/conventions/ccm/meetings.toml``, 9MSP to 3RC, without totals). With ``convention``,
    a meeting that names no convention is one of it, and one that names another is an error.
    """
    if path is None:
        convention = convention or DEFAULT_CONVENTION
        file = _shipped(convention)
        if not file.exists():
            return {}
    else:
        file = file_path(path, "the meetings file")
    source = str(file)
    meetings: dict[str, Meeting] = {}
    for n, table in enumerate(_meeting_tables(_read_document(file), source), start=1):
        meeting = _meeting_from(table, source, n, convention)
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


def get_meeting(
    name: str, path: str | Path | None = None, *, convention: str | None = None
) -> Meeting:
    """A meeting by name from a file (by default the shipped meetings of ``convention``,
    the CCM unless given)."""
    meetings = load_meetings(path, convention=convention)
    if name not in meetings:
        shipped = f"the shipped meetings of the {(convention or DEFAULT_CONVENTION).upper()}"
        where = path if path is not None else shipped
        listed = ", ".join(meetings) if meetings else "none"
        raise MeetingError(
            [("name", f"no meeting {name!r}; the meetings are {listed}")], source=str(where)
        )
    return meetings[name]
