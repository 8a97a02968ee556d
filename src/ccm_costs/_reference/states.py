"""States keyed by ISO 3166-1 alpha-3: resolve the names users type, and display UN names.

A name is accepted in any form a user would type: an ISO3 code, the UN name of any scale
period (from the shipped scales), an ISO 3166 name (from ``pycountry``) or a common short name
from our alias table (``data/states/aliases.csv``), in any case and with or without accents.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import cache, lru_cache

from .._core.text import shown
from ..errors import InvalidInputError, UnknownStateError
from .files import read_rows

_SCALE_FILES = (
    "scale_2010_2012",
    "scale_2013_2015",
    "scale_2016_2018",
    "scale_2019_2021",
    "scale_2022_2024",
    "scale_2025_2027",
)


@lru_cache(maxsize=4096)
def normalize_name(name: str) -> str:
    """Fold a name for matching: no accents, no case, no punctuation, 'St' as 'Saint'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = plain.replace("&", " and ")
    words = re.sub(r"[^0-9a-z]+", " ", plain).split()
    words = ["saint" if w == "st" else w for w in words]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class _StateIndex:
    """Lookup tables built once: normalized name -> ISO3, and ISO3 -> display names."""

    def __init__(self) -> None:
        self.by_name: dict[str, str] = {}
        self.ambiguous: dict[str, set[str]] = {}
        self.un_names: dict[str, list[str]] = {}  # ISO3 -> UN names, oldest period first
        self.other_names: dict[str, str] = {}
        self.codes: set[str] = set()
        self.organisations: dict[str, str] = {}

        for row in read_rows("states/aliases.csv"):
            self._add(row["alias"], row["iso3"])
        for stem in _SCALE_FILES:
            for row in read_rows(f"un_scale_of_assessment/{stem}.csv"):
                self._add(row["member_state"], row["iso3"])
                names = self.un_names.setdefault(row["iso3"], [])
                if row["member_state"] not in names:
                    names.append(row["member_state"])
        for row in read_rows("un_scale_of_assessment/non_member_states.csv"):
            self._add(row["state"], row["iso3"])
            self.other_names.setdefault(row["iso3"], row["state"])
        for row in read_rows("states/organisations.csv"):
            # Non-state parties (the European Union): payers of some treaties, never in a UN scale.
            self.organisations[row["key"]] = row["name"]
            self.other_names[row["key"]] = row["name"]
            for name in [row["name"], *filter(None, row["aliases"].split(";"))]:
                self._add(name, row["key"])
        import pycountry  # loaded with the index, not at import

        for country in pycountry.countries:
            code = str(country.alpha_3)
            self.codes.add(code)
            self.other_names.setdefault(code, str(getattr(country, "common_name", country.name)))
            for attr in ("name", "official_name", "common_name"):
                value = getattr(country, attr, None)
                if value:
                    self._add(str(value), code)
        self.codes.update(self.un_names)
        self.codes.update(self.organisations)

    def _add(self, name: str, iso3: str) -> None:
        key = normalize_name(name)
        current = self.by_name.get(key)
        if current is None:
            self.by_name[key] = iso3
        elif current != iso3:
            # First source wins (our aliases, then UN names, then ISO); remember the clash.
            self.ambiguous.setdefault(key, {current}).add(iso3)

    def display_name(self, iso3: str) -> str:
        names = self.un_names.get(iso3)
        if names:
            return names[-1]
        return self.other_names.get(iso3, iso3)

    def suggestions(self, query: str, limit: int = 5) -> list[str]:
        key = normalize_name(query)
        found: list[str] = []
        words = set(key.split())
        if words:
            for name, iso3 in self.by_name.items():
                if words <= set(name.split()) and iso3 not in found:
                    found.append(iso3)
        for name in difflib.get_close_matches(key, list(self.by_name), n=limit, cutoff=0.6):
            if self.by_name[name] not in found:
                found.append(self.by_name[name])
        upper = query.strip().upper()
        if len(upper) == 3 and upper.isalpha():
            for code in difflib.get_close_matches(upper, sorted(self.codes), n=3, cutoff=0.6):
                if code not in found:
                    found.append(code)
        return [f"{self.display_name(c)} ({c})" for c in found[:limit]]


@cache
def _index() -> _StateIndex:
    return _StateIndex()


def resolve_state(name: str, organisations: Mapping[str, str] | None = None) -> str:
    """The ISO3 code of a state given by code or by any name a user would type, or the key of
    a non-state party (the European Union: ``EUU``, "EU"; or one of ``organisations``, key ->
    name, that a rule set declares).

    Raises :class:`UnknownStateError` (a ``KeyError``) with the closest matches when nothing fits.
    """
    if not isinstance(name, str):
        raise UnknownStateError({repr(name): ()})
    index = _index()
    stripped = name.strip()
    for key, full in (organisations or {}).items():
        if stripped.upper() == key or normalize_name(stripped) == normalize_name(full):
            return key
    if len(stripped) == 3 and stripped.upper() in index.codes:
        return stripped.upper()
    key = normalize_name(stripped)
    iso3 = index.by_name.get(key)
    if iso3 is None:
        raise UnknownStateError({name: index.suggestions(stripped)})
    return iso3


def resolve_states(names: Iterable[str]) -> list[str]:
    """Resolve many names at once, reporting every unknown one in a single error."""
    codes: list[str] = []
    unknown: dict[str, tuple[str, ...]] = {}
    for name in names:
        try:
            codes.append(resolve_state(name))
        except UnknownStateError as err:
            unknown.update(err.unknown)
    if unknown:
        raise UnknownStateError(unknown)
    return codes


def state_name(iso3: str, organisations: Mapping[str, str] | None = None) -> str:
    """The name to display for a state: its latest UN scale name, else its ISO 3166 name (a
    non-state party: its name)."""
    if organisations and iso3 in organisations:
        return organisations[iso3]
    return _index().display_name(resolve_state(iso3))


def is_organisation(key: str) -> bool:
    """Whether ``key`` is a shipped non-state party (the European Union), not a state."""
    return key in _index().organisations


def state_order(name: str, iso3: str) -> tuple[str, str]:
    """The one "by name" ordering of every table and workbook: names compared without accents
    and case (so "Côte d'Ivoire" sorts with the Cs), then the ISO3 code."""
    return normalize_name(name), iso3


def resolve_distinct(
    names: Iterable[object],
    what: str = "states",
    *,
    argument: str | None = None,
    refuse: Callable[[object], str] | None = None,
    allow_empty: bool = False,
    organisations: Mapping[str, str] | None = None,
) -> list[str]:
    """ISO3 codes of a list of distinct states, in the order given: the one payer check.

    ``argument`` names the caller's argument in the message for a single string (default
    ``what``). ``refuse`` is the caller's check of a name (a convention refusing organisations); it
    returns the name or raises :class:`InvalidInputError`. A single string (not a list), an
    empty list (unless ``allow_empty``), every refused or unknown name and every state named
    twice are reported in one error: :class:`UnknownStateError` when the only problems are
    unknown names, else :class:`InvalidInputError` listing them all.
    """
    if isinstance(names, str):
        raise InvalidInputError(
            f"{argument or what} must be a list of names or codes, not the single string "
            f"{names!r}; write [{names!r}]"
        )
    if not isinstance(names, Iterable) or isinstance(names, bytes):
        raise InvalidInputError(
            f"{argument or what} must be a list of names or codes, e.g. ['AUT', 'Belgium'], "
            f"not {shown(names)}"
        )
    given = list(names)
    if not given and not allow_empty:
        raise InvalidInputError(f"no {what} given: at least one state must bear the cost")
    codes: list[str] = []
    first: dict[str, object] = {}
    problems: list[str] = []
    duplicates: list[str] = []
    unknown: dict[str, tuple[str, ...]] = {}
    known = _index().codes
    for name in given:
        try:
            checked = refuse(name) if refuse is not None else name
            if type(checked) is str and len(checked) == 3 and checked in known:
                code = checked  # an ISO3 code as given: the common case, looked up once
            else:
                code = resolve_state(checked, organisations)  # type: ignore[arg-type]
        except UnknownStateError as err:
            unknown.update(err.unknown)
            continue
        except InvalidInputError as err:
            problems.append(str(err))
            continue
        if code in first:
            duplicates.append(f"{first[code]!r} and {name!r} are both {code}")
            continue
        first[code] = name
        codes.append(code)
    if unknown and not problems and not duplicates:
        raise UnknownStateError(unknown)
    if duplicates:
        problems.append(f"duplicate {what}: " + "; ".join(duplicates) + " (name each once)")
    if unknown:
        problems.append(str(UnknownStateError(unknown)))
    if problems:
        raise InvalidInputError("; ".join(problems))
    return codes
