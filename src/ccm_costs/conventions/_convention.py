"""A convention as data: ``data/conventions/<id>/`` read by generic code.

Each folder holds ``convention.toml`` (names, depositary, cost types and who bears each, the
entry-into-force, withdrawal and succession rules, the default rule set, the organisations
never charged), ``parties.csv`` and ``signatories.csv`` (a source per row), ``meetings.toml``
(where known) and ``SOURCES.md``. Adding a convention is adding a folder.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from types import MappingProxyType

from .._core.dates import DateLike, parse_date
from .._reference.files import data_dir, read_data_csv
from .._reference.reading import read_text
from .._reference.states import normalize_name, resolve_state
from ..errors import DataFileError, InvalidInputError, Problem
from ._membership import MembershipRecord, MembershipRules, MembershipStatus, records_from_rows
from ._rules import (
    CostType,
    EntryIntoForceKind,
    EntryIntoForceRule,
    NotCharged,
    Payers,
    SuccessionPolicy,
    WithdrawalRule,
)

DEFAULT_CONVENTION = "ccm"
"""The convention every shortcut (``cc.parties_on``, ``cc.assess`` ...) uses by default."""


@dataclass(frozen=True)
class Convention:
    """A treaty whose meetings are assessed: its rules, its parties on any date, its meetings.

    Load one with :func:`get_convention`; every field comes from its ``convention.toml``.
    """

    id: str
    name: str
    short_name: str
    concluded: str
    party_role: str
    """The role a party has in an assessment ("State Party", "High Contracting Party")."""
    party_plural: str
    default_rules: str
    depositary: str
    depositary_record: str
    membership_rules: MembershipRules = field(repr=False)
    cost_types: Mapping[str, CostType] = field(repr=False)
    not_charged: NotCharged = field(repr=False)
    folder: Path = field(repr=False)
    succession_text: str = field(default="", repr=False)

    @property
    def entry_into_force_rule(self) -> EntryIntoForceRule:
        """When the convention enters into force for a state, from its deposit."""
        return self.membership_rules.entry_into_force

    @property
    def withdrawal_rule(self) -> WithdrawalRule:
        """When a withdrawal takes effect."""
        return self.membership_rules.withdrawal

    @property
    def succession_policy(self) -> SuccessionPolicy:
        """When a successor state whose record gives no date of effect counts as a party."""
        return self.membership_rules.succession

    # ------------------------------------------------------------------------- membership

    @cached_property
    def _records(self) -> tuple[MembershipRecord, ...]:
        files = {
            kind: (self.folder / f"{kind}.csv", f"data/conventions/{self.id}/{kind}.csv")
            for kind in ("parties", "signatories")
        }
        parties = records_from_rows(
            read_data_csv(*files["parties"]),
            files["parties"][1],
            deposited=True,
            rules=self.membership_rules,
        )
        signatories = records_from_rows(
            read_data_csv(*files["signatories"]),
            files["signatories"][1],
            deposited=False,
            rules=self.membership_rules,
        )
        records = parties + signatories
        codes = [r.iso3 for r in records]
        repeated = sorted({c for c in codes if codes.count(c) > 1})
        if repeated:
            raise DataFileError(
                f"data/conventions/{self.id}",
                [Problem(f"lists {', '.join(repeated)} more than once", code="duplicate")],
            )
        return records

    @cached_property
    def _by_iso3(self) -> Mapping[str, MembershipRecord]:
        return MappingProxyType({r.iso3: r for r in self._records})

    def membership(self) -> tuple[MembershipRecord, ...]:
        """Every state that deposited an instrument or signed, from the shipped files."""
        return self._records

    def record_of(self, state: str) -> MembershipRecord | None:
        """The record of a state (name or ISO3), or None if it never signed or joined."""
        return self._by_iso3.get(resolve_state(state))

    def status_on(self, state: str, when: DateLike) -> MembershipStatus:
        """A state's standing on ``when``: party, deposited-not-in-force, signatory, withdrawn,
        none."""
        record = self.record_of(state)
        return MembershipStatus.NONE if record is None else record.status_on(when)

    def _with_status(self, when: DateLike, *statuses: MembershipStatus) -> frozenset[str]:
        day = parse_date(when)
        return frozenset(r.iso3 for r in self._records if r.status_on(day) in statuses)

    def parties_on(self, when: DateLike) -> frozenset[str]:
        """ISO3 codes of the parties bound on ``when`` (entry into force <= when < withdrawal;
        successors as the succession policy says)."""
        return self._with_status(when, MembershipStatus.PARTY)

    def deposited_not_bound_on(self, when: DateLike) -> frozenset[str]:
        """States that have deposited an instrument not yet in force for them on ``when``."""
        return self._with_status(when, MembershipStatus.DEPOSITED)

    def deposited_on(self, when: DateLike) -> frozenset[str]:
        """States with an instrument deposited on ``when``, bound or not, withdrawals excluded."""
        return self._with_status(when, MembershipStatus.PARTY, MembershipStatus.DEPOSITED)

    def signatories_on(self, when: DateLike) -> frozenset[str]:
        """Signatories that have not deposited an instrument by ``when``."""
        return self._with_status(when, MembershipStatus.SIGNATORY)

    def successors_without_date(self, when: DateLike) -> tuple[MembershipRecord, ...]:
        """The parties by succession on ``when`` whose record gives no date of effect: the
        states the succession policy decides for, named in every assessment's provenance."""
        day = parse_date(when)
        return tuple(
            r
            for r in self._records
            if r.by_succession
            and r.entry_into_force_date is None
            and r.deposit_date is not None
            and r.deposit_date <= day
            and r.status_on(day) is not MembershipStatus.WITHDRAWN
        )

    def entry_into_force(self, deposit: DateLike) -> dt.date:
        """The day the convention enters into force for a state depositing on ``deposit``."""
        return self.entry_into_force_rule.date_for(parse_date(deposit, "deposit"))

    # ------------------------------------------------------------------------- costs

    def cost_type(self, cost_type: str) -> CostType:
        """A cost type by id (``"meeting"``, ``"secretariat"`` ...), or an error listing them."""
        found = self.cost_types.get(cost_type)
        if found is None:
            ids = " or ".join(repr(c) for c in self.cost_types)
            articles = "; ".join(f"{c.id}: {c.article}" for c in self.cost_types.values())
            raise InvalidInputError(
                f"the {self.short_name} has no cost type {cost_type!r}: give {ids} ({articles})"
            )
        return found

    def payers(
        self,
        cost_type: str,
        when: DateLike,
        *,
        observers: tuple[str, ...] = (),
        participants: tuple[str, ...] = (),
    ) -> dict[str, str]:
        """Who bears a cost type on ``when``, ISO3 -> role (the party role, or the observers'
        role): every party bound that day, or only the ``participants`` (parties), and, where
        the cost type charges them, the ``observers`` (states not party taking part)."""
        cost = self.cost_type(cost_type)
        bound = self.parties_on(when)
        if Payers.PARTIES in cost.payers:
            parties = sorted(bound)
        elif Payers.PARTICIPATING_PARTIES in cost.payers:
            if not participants:
                raise InvalidInputError(
                    f"the {cost.id!r} cost of the {self.short_name} is borne by the "
                    f"{self.party_plural} participating: list them in 'participants' (command "
                    "line: --participants)"
                )
            outside = sorted(set(participants) - bound)
            if outside:
                raise InvalidInputError(
                    f"{', '.join(outside)} are not {self.party_plural} of the {self.short_name}"
                    f" on {parse_date(when)}: list states not party as observers"
                )
            parties = sorted(participants)
        else:
            parties = []
        roles = dict.fromkeys(parties, self.party_role)
        if cost.charges_non_parties:
            roles.update(dict.fromkeys(observers, cost.non_party_role))
        return roles

    def check_chargeable(self, name: object) -> str:
        """``name`` unchanged, or an error if it names an organisation the convention never
        charges (the EU, the ICRC, NGOs ...)."""
        return self.not_charged.check(name)

    def describe(self) -> dict[str, str]:
        """The convention's rules in words, for provenance and ``ccm-costs conventions``."""
        withdrawal = self.withdrawal_rule
        return {
            "convention": f"{self.name} ({self.short_name}), {self.concluded}",
            "depositary": f"{self.depositary}; {self.depositary_record}",
            "entry into force": self.entry_into_force_rule.describe(),
            "withdrawal": f"{withdrawal.article}: {withdrawal.count} months after notice"
            + (", deferred during an armed conflict" if withdrawal.armed_conflict_deferral else ""),
            "succession": f"{self.succession_policy.value}: {self.succession_text}",
            "cost types": "; ".join(
                f"{c.id}: {c.article} ({c.basis_text}), {c.borne_by}"
                for c in self.cost_types.values()
            ),
        }


# ----------------------------------------------------------------------------- the files

_MISSING: object = object()


def _is_text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_day(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_texts(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class _Reader:
    """Typed values from a parsed TOML table, every problem collected with its field path."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, field: str, message: str, code: str = "invalid") -> None:
        self.problems.append(Problem(message, where=f"field {field!r}", field=field, code=code))

    def _value(
        self,
        table: Mapping[str, object],
        key: str,
        path: str,
        default: object,
        *,
        wanted: str,
        check: Callable[[object], bool],
    ) -> object:
        if key not in table:
            if default is _MISSING:
                self.problem(f"{path}{key}", "missing", "missing")
                return None
            return default
        value = table[key]
        if check(value):
            return value
        self.problem(f"{path}{key}", f"{value!r} is not {wanted}", "type")
        return None

    def text(
        self, table: Mapping[str, object], key: str, path: str = "", default: object = _MISSING
    ) -> str | None:
        """Non-empty text, stripped."""
        value = self._value(table, key, path, default, wanted="text", check=_is_text)
        return value.strip() if isinstance(value, str) else None

    def whole(
        self, table: Mapping[str, object], key: str, path: str = "", default: object = _MISSING
    ) -> int | None:
        """A whole number of 0 or more."""
        wanted = "a whole number of 0 or more"
        value = self._value(table, key, path, default, wanted=wanted, check=_is_whole)
        return value if isinstance(value, int) else None

    def flag(self, table: Mapping[str, object], key: str, path: str = "") -> bool | None:
        """``true`` or ``false``."""
        value = self._value(
            table, key, path, _MISSING, wanted="true or false", check=lambda v: isinstance(v, bool)
        )
        return value if isinstance(value, bool) else None

    def day(
        self, table: Mapping[str, object], key: str, path: str = "", default: object = _MISSING
    ) -> dt.date | None:
        """A TOML date (``2010-08-01``, unquoted)."""
        wanted = "a date (YYYY-MM-DD, unquoted)"
        value = self._value(table, key, path, default, wanted=wanted, check=_is_day)
        return value if isinstance(value, dt.date) else None

    def texts(
        self, table: Mapping[str, object], key: str, path: str = "", default: object = _MISSING
    ) -> list[str]:
        """A list of texts (empty when missing or wrong, the problem recorded)."""
        value = self._value(table, key, path, default, wanted="a list of texts", check=_is_texts)
        return [str(v).strip() for v in value] if isinstance(value, list) else []

    def table(
        self, table: Mapping[str, object], key: str, *, required: bool = True
    ) -> Mapping[str, object]:
        """A sub-table (empty when missing or wrong, the problem recorded)."""
        value = self._value(
            table,
            key,
            "",
            _MISSING if required else {},
            wanted="a table",
            check=lambda v: isinstance(v, dict),
        )
        return value if isinstance(value, dict) else {}


_COST_KEYS = frozenset(
    {"id", "title", "article", "basis", "payers", "non_party_role", "borne_by", "text"}
)


def _cost_type(reader: _Reader, item: Mapping[str, object], path: str) -> CostType | None:
    for extra in sorted(set(item) - _COST_KEYS):
        reader.problem(f"{path}{extra}", f"unknown key; the keys are {sorted(_COST_KEYS)}", "key")
    values = {
        k: reader.text(item, k, path)
        for k in ("id", "title", "article", "basis", "borne_by", "text")
    }
    role = reader.text(item, "non_party_role", path, default="observer") or "observer"
    payers: set[Payers] = set()
    for payer in reader.texts(item, "payers", path):
        try:
            payers.add(Payers(payer))
        except ValueError:
            options = ", ".join(repr(p.value) for p in Payers)
            reader.problem(f"{path}payers", f"{payer!r} is not one of {options}", "vocabulary")
    if values["basis"] not in (None, "treaty", "practice"):
        reader.problem(f"{path}basis", f"{values['basis']!r} is not 'treaty' or 'practice'")
        return None
    if not payers:
        reader.problem(f"{path}payers", "name at least one group of payers", "missing")
        return None
    if any(v is None for v in values.values()):
        return None
    return CostType(
        id=str(values["id"]),
        title=str(values["title"]),
        article=str(values["article"]),
        basis=str(values["basis"]),
        payers=frozenset(payers),
        borne_by=str(values["borne_by"]),
        text=str(values["text"]),
        non_party_role=role,
    )


def _cost_types(reader: _Reader, document: Mapping[str, object]) -> dict[str, CostType]:
    items = document.get("cost_types")
    if not isinstance(items, list) or not items:
        reader.problem("cost_types", "give at least one [[cost_types]] table", "missing")
        return {}
    found: dict[str, CostType] = {}
    for n, item in enumerate(items, start=1):
        path = f"cost_types[{n}]."
        if not isinstance(item, dict):
            reader.problem(path.rstrip("."), "is not a table", "type")
            continue
        cost = _cost_type(reader, item, path)
        if cost is not None and cost.id in found:
            reader.problem(f"{path}id", f"cost type {cost.id!r} is given twice", "duplicate")
        elif cost is not None:
            found[cost.id] = cost
    return found


def _entry_into_force(reader: _Reader, table: Mapping[str, object]) -> EntryIntoForceRule | None:
    path = "entry_into_force."
    rule = reader.text(table, "rule", path)
    kinds = {k.value: k for k in EntryIntoForceKind}
    if rule is not None and rule not in kinds:
        listed = ", ".join(map(repr, kinds))
        reader.problem(f"{path}rule", f"{rule!r} is not one of {listed}", "vocabulary")
    count = reader.whole(table, "count", path, default=0)
    article = reader.text(table, "article", path)
    text = reader.text(table, "text", path)
    general = reader.day(table, "general_date", path, default=None)
    until = reader.day(table, "general_until", path, default=None)
    month_end = reader.text(table, "month_end", path, default="clip")
    if month_end not in ("clip", "next"):
        reader.problem(f"{path}month_end", f"{month_end!r} is not 'clip' or 'next'", "vocabulary")
    if (general is None) != (until is None):
        reader.problem(f"{path}general_until", "give general_date and general_until together")
    if rule not in kinds or article is None or text is None or count is None:
        return None
    return EntryIntoForceRule(
        kind=kinds[rule],
        count=count,
        article=article,
        text=text,
        general_date=general,
        general_until=until,
        month_end=month_end or "clip",
    )


def _withdrawal(reader: _Reader, table: Mapping[str, object]) -> WithdrawalRule | None:
    path = "withdrawal."
    rule = reader.text(table, "rule", path)
    if rule is not None and rule != "months_after_notice":
        reader.problem(f"{path}rule", f"{rule!r} is not 'months_after_notice'", "vocabulary")
    count = reader.whole(table, "count", path)
    article = reader.text(table, "article", path)
    text = reader.text(table, "text", path)
    deferral = reader.flag(table, "armed_conflict_deferral", path)
    if count is None or article is None or text is None or deferral is None:
        return None
    return WithdrawalRule(count=count, article=article, text=text, armed_conflict_deferral=deferral)


def _not_charged(reader: _Reader, table: Mapping[str, object]) -> NotCharged:
    path = "not_charged."
    return NotCharged(
        why=reader.text(table, "why", path, default="only states are charged") or "",
        names=frozenset(normalize_name(n) for n in reader.texts(table, "names", path, [])),
        prefixes=tuple(reader.texts(table, "prefixes", path, [])),
        words=frozenset(reader.texts(table, "words", path, [])),
    )


_TEXT_KEYS = (
    "id",
    "name",
    "short_name",
    "concluded",
    "party_role",
    "party_plural",
    "default_rules",
)
_TOP_KEYS = frozenset(
    {
        *_TEXT_KEYS,
        "instruments",
        "depositary",
        "entry_into_force",
        "signature",
        "withdrawal",
        "succession",
        "cost_types",
        "not_charged",
    }
)


def _parse(convention_id: str, folder: Path) -> Convention:
    """The convention of a folder, or one :class:`DataFileError` listing every problem."""
    source = f"data/conventions/{convention_id}/convention.toml"
    reader = _Reader()

    def fail(problem: Problem) -> DataFileError:
        return DataFileError(source, [problem])

    text = read_text(folder / "convention.toml", fail)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise fail(Problem(f"is not valid TOML: {err}", code="syntax")) from None
    except RecursionError:
        raise fail(Problem("is nested too deeply to be a convention file", code="syntax")) from None
    for extra in sorted(set(document) - _TOP_KEYS):
        reader.problem(extra, f"unknown key; the keys are {sorted(_TOP_KEYS)}", "key")
    texts = {k: reader.text(document, k) for k in _TEXT_KEYS}
    if texts["id"] is not None and texts["id"] != convention_id:
        reader.problem("id", f"{texts['id']!r} is not the folder's name {convention_id!r}")
    instruments = reader.texts(document, "instruments")
    depositary = reader.table(document, "depositary")
    dep_name = reader.text(depositary, "name", "depositary.")
    dep_record = reader.text(depositary, "record", "depositary.")
    entry = _entry_into_force(reader, reader.table(document, "entry_into_force"))
    withdrawal = _withdrawal(reader, reader.table(document, "withdrawal"))
    succession = reader.table(document, "succession")
    policy = reader.text(succession, "policy", "succession.")
    policies = {p.value: p for p in SuccessionPolicy}
    if policy is not None and policy not in policies:
        listed = ", ".join(map(repr, policies))
        reader.problem("succession.policy", f"{policy!r} is not one of {listed}", "vocabulary")
    succession_text = reader.text(succession, "text", "succession.", default="") or ""
    signature = reader.table(document, "signature", required=False)
    open_until = reader.day(signature, "open_until", "signature.", default=None)
    cost_types = _cost_types(reader, document)
    not_charged = _not_charged(reader, reader.table(document, "not_charged"))
    if reader.problems or entry is None or withdrawal is None or policy not in policies:
        raise DataFileError(source, reader.problems)
    return Convention(
        id=convention_id,
        name=str(texts["name"]),
        short_name=str(texts["short_name"]),
        concluded=str(texts["concluded"]),
        party_role=str(texts["party_role"]),
        party_plural=str(texts["party_plural"]),
        default_rules=str(texts["default_rules"]),
        depositary=str(dep_name),
        depositary_record=str(dep_record),
        membership_rules=MembershipRules(
            instruments=tuple(instruments),
            entry_into_force=entry,
            withdrawal=withdrawal,
            succession=policies[policy],
            signature_open_until=open_until,
        ),
        cost_types=MappingProxyType(cost_types),
        not_charged=not_charged,
        folder=folder,
        succession_text=succession_text,
    )


def available_conventions() -> tuple[str, ...]:
    """The ids of the conventions shipped with the library (one folder each), sorted."""
    root = data_dir() / "conventions"
    return tuple(sorted(p.name for p in root.iterdir() if (p / "convention.toml").is_file()))


def get_convention(convention: str | Convention = DEFAULT_CONVENTION) -> Convention:
    """A shipped convention by id (``"ccm"``, ``"apmbc"`` ...), read from its data folder."""
    if isinstance(convention, Convention):
        return convention
    if not isinstance(convention, str) or convention not in available_conventions():
        raise InvalidInputError(
            f"no convention {convention!r}: the conventions are "
            f"{', '.join(available_conventions())}"
        )
    return _load(convention)


@cache
def _load(convention: str) -> Convention:
    return _parse(convention, data_dir() / "conventions" / convention)
