"""Dated groups of states (the UN list of least developed countries, or a user's own): who is a
member on a date, and who cannot be said to be one or not.

A member row has the day it joined and the day it left, each as precise as the source that
gives it (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``). A date inside an imprecise period, or on or
after a scheduled graduation that no source confirms, makes the state *uncertain* on that date;
the caller decides what an uncertain member is (never the data silently).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .._core.dates import first_of_month
from ..errors import DataFileError, InvalidInputError, Problem
from .files import data_dir, read_data_csv
from .reading import file_path, read_csv
from .states import resolve_state

SHIPPED_GROUPS = {"LDC": "ldc"}
"""Group name -> its folder in ``data/groups/``."""


@dataclass(frozen=True)
class Period:
    """A date as precise as its source: a day, a month or a year (the first and last day)."""

    first: dt.date
    last: dt.date
    text: str

    @classmethod
    def parse(cls, text: str, what: str) -> Period:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        value = text.strip()
        try:
            if re.fullmatch(r"\d{4}", value):
                year = int(value)
                return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), value)
            if re.fullmatch(r"\d{4}-\d{2}", value):
                start = dt.date(int(value[:4]), int(value[5:]), 1)
                return cls(start, first_of_month(start, 1) - dt.timedelta(days=1), value)
            day = dt.date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None:
            raise InvalidInputError(
                f"{what} {text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
            )
        return cls(day, day, value)

    @property
    def exact(self) -> bool:
        return self.first == self.last


@dataclass(frozen=True)
class GroupMember:
    """One state's membership of a group."""

    iso3: str
    name: str
    included: Period | None
    """When it joined (None: a member from the start)."""
    left: Period | None
    """When it left (None: still a member)."""
    scheduled_exit: Period | None = None
    """A departure that is scheduled but not confirmed by the sources."""
    source: str = ""

    def on(self, day: dt.date) -> bool | None:
        """Whether the state is a member on ``day``; None when the data cannot say."""
        if self.included is not None:
            if day < self.included.first:
                return False
            if day <= self.included.last and not self.included.exact:
                return None
        if self.left is not None:
            if day > self.left.last or (self.left.exact and day >= self.left.first):
                return False  # the day it left is its first day outside the group
            if day >= self.left.first:
                return None
        if self.scheduled_exit is not None and day >= self.scheduled_exit.first:
            return None
        return True


@dataclass(frozen=True)
class DatedGroup:
    """A named group of states whose membership changes over time."""

    name: str
    members: tuple[GroupMember, ...]
    source: str
    """Where the list comes from (a data file, a rule set)."""

    def on(self, day: dt.date) -> GroupOnDate:
        """The members on ``day``, and the states whose membership that day is uncertain."""
        member: list[str] = []
        uncertain: list[str] = []
        for row in self.members:
            answer = row.on(day)
            if answer is None:
                uncertain.append(row.iso3)
            elif answer:
                member.append(row.iso3)
        return GroupOnDate(self.name, day, frozenset(member), tuple(sorted(uncertain)), self.source)


@dataclass(frozen=True)
class GroupOnDate:
    """A group read on one day."""

    name: str
    day: dt.date
    members: frozenset[str]
    uncertain: tuple[str, ...] = ()
    source: str = field(default="", repr=False)


_COLUMNS = {"iso3", "name", "included", "graduated", "source"}


def _member(row: Mapping[str, str], scheduled: Mapping[str, Period]) -> GroupMember:
    iso3 = resolve_state((row.get("iso3") or "").strip() or (row.get("name") or ""))
    included = (row.get("included") or "").strip()
    left = (row.get("graduated") or "").strip()
    return GroupMember(
        iso3=iso3,
        name=(row.get("name") or "").strip() or iso3,
        included=Period.parse(included, "included") if included else None,
        left=Period.parse(left, "graduated") if left else None,
        scheduled_exit=scheduled.get(iso3),
        source=(row.get("source") or "").strip(),
    )


def read_group(
    path: str | Path, name: str, *, scheduled: Mapping[str, Period] | None = None
) -> DatedGroup:
    """A dated group from a CSV file with the columns ``iso3,name,included,graduated,source``
    (``included`` empty: a member from the start); every problem in one error."""
    file = file_path(path)
    source = str(file)

    def fail(problem: Problem) -> DataFileError:
        return DataFileError(source, [problem])

    table = read_csv(file, fail)
    header = set(table.header)
    rows = [(row.line, {k: v or "" for k, v in row.cells.items()}) for row in table.rows]
    problems: list[Problem] = list(table.problems)
    if not {"iso3", "included"} <= header and not {"name", "included"} <= header:
        problems.append(
            Problem(f"needs the columns {sorted(_COLUMNS)}; found {sorted(header)}", code="column")
        )
    members: list[GroupMember] = []
    seen: set[str] = set()
    for line, row in rows:
        try:
            member = _member(row, scheduled or {})
        except (InvalidInputError, KeyError) as err:
            problems.append(Problem(str(err), where=f"line {line}", code="row"))
            continue
        if member.iso3 in seen:
            problems.append(
                Problem(f"{member.iso3} is listed twice", where=f"line {line}", code="duplicate")
            )
        seen.add(member.iso3)
        members.append(member)
    if problems:
        raise DataFileError(source, problems)
    return DatedGroup(name, tuple(members), source)


def group_of_states(name: str, states: Iterable[str], source: str) -> DatedGroup:
    """A group whose members are always members (a list a rule set gives)."""
    members = tuple(GroupMember(code, code, None, None) for code in sorted(set(states)))
    return DatedGroup(name, members, source)


@cache
def shipped_group(name: str) -> DatedGroup:
    """A group shipped in ``data/groups/`` (``"LDC"``: the UN list of least developed
    countries, with its unconfirmed scheduled graduations)."""
    folder = SHIPPED_GROUPS.get(name.upper())
    if folder is None:
        raise InvalidInputError(
            f"no group {name!r}: the shipped groups are {', '.join(SHIPPED_GROUPS)}; declare "
            "your own in the rule set ([groups.NAME]) or read one with rules.load_group()"
        )
    base = data_dir() / "groups" / folder
    scheduled: dict[str, Period] = {}
    planned = base / "scheduled_graduations.csv"
    if planned.exists():
        for row in read_data_csv(planned, f"data/groups/{folder}/{planned.name}"):
            when = (row.get("scheduled_graduation") or "").strip()
            if when:
                scheduled[resolve_state(row["iso3"])] = Period.parse(when, "scheduled")
    return read_group(base / "members.csv", name.upper(), scheduled=scheduled)
