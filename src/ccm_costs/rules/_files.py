"""Rule sets as TOML files: the shipped presets (``data/rules/<id>.toml``), users' own files,
``extends`` (a preset built on another), and writing a rule set back as TOML."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from .._core.text import shown
from .._reference.files import data_dir
from .._reference.groups import DatedGroup, read_group
from .._reference.reading import read_text
from ..errors import Problem, RuleSetError
from ._ruleset import RuleSet, changed_title

DEFAULT_RULES = "un-pro-rata"
"""The rule set used when none is given: plain pro rata (UNODA practice), rates at 3 decimals."""
_MAX_EXTENDS = 8


def _presets_dir() -> Path:
    return data_dir() / "rules"


@cache
def _preset_ids() -> tuple[str, ...]:
    """The ids of the shipped presets, sorted: read once (every ``apportion`` asks)."""
    return tuple(sorted(p.stem for p in _presets_dir().glob("*.toml")))


def available() -> dict[str, RuleSet]:
    """The shipped presets by id (each with its ``title`` and ``source``), sorted by id."""
    return {rule_id: _preset(rule_id) for rule_id in _preset_ids()}


def _read_toml(path: Path, source: str) -> dict[str, Any]:
    def fail(problem: Problem) -> RuleSetError:
        return RuleSetError(source, [problem])

    return _parse_toml(read_text(path, fail), source)


def _parse_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise RuleSetError(source, [Problem(f"is not valid TOML: {err}", code="syntax")]) from None
    except RecursionError:
        raise RuleSetError(
            source, [Problem("is nested too deeply to be a rule set", code="syntax")]
        ) from None


def _merged(base: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """``child`` over ``base``: tables merge key by key, anything else (steps) is replaced."""
    out = dict(base)
    for key, value in child.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merged(out[key], value)
        else:
            out[key] = value
    return out


def resolved(data: Mapping[str, Any], source: str = "rule set", depth: int = 0) -> dict[str, Any]:
    """The plain data with its ``extends`` chain applied."""
    parent = data.get("extends")
    if parent is None:
        return dict(data)
    if not isinstance(parent, str) or depth >= _MAX_EXTENDS:
        raise RuleSetError(
            source,
            [
                Problem(
                    f"extends {parent!r}: give the id of a preset (at most {_MAX_EXTENDS} deep)",
                    where="field 'extends'",
                    field="extends",
                    code="extends",
                )
            ],
        )
    base = resolved(_preset_data(parent, source), source, depth + 1)
    child = {k: v for k, v in data.items() if k != "extends"}
    merged = _merged(base, child)
    if not {"id", "title"} & child.keys() and isinstance(merged.get("title"), str):
        # the parent's id and title, with changes: say so (as replace() does)
        merged["title"] = changed_title(merged["title"], child)
    return merged


def _preset_data(rule_id: str, asked_by: str) -> dict[str, Any]:
    _check_preset(rule_id, asked_by, "extends")
    return _read_toml(_presets_dir() / f"{rule_id}.toml", f"data/rules/{rule_id}.toml")


def _check_preset(rule_id: str, asked_by: str, field: str) -> None:
    """An error listing the presets when ``rule_id`` is none of them."""
    known = _preset_ids()
    if rule_id not in known:
        raise RuleSetError(
            asked_by,
            [
                Problem(
                    f"no preset {shown(rule_id)}; the presets are {', '.join(known)}"
                    + ("" if field == "extends" else " (or give a path to a .toml file)"),
                    where=f"field {field!r}" if field else "",
                    field=field,
                    code="unknown_preset",
                )
            ],
        )


@cache
def _preset(rule_id: str) -> RuleSet:
    source = f"data/rules/{rule_id}.toml"
    return RuleSet.from_dict(resolved(_preset_data(rule_id, source), source), source=source)


def load(rules: str | Path) -> RuleSet:
    """A rule set: a preset id (``"who"``; see :func:`available`) or a path to a TOML file."""
    if isinstance(rules, Path) or str(rules).lower().endswith(".toml") or "/" in str(rules):
        path = Path(rules)
        source = str(path)
        if not path.is_file():
            raise RuleSetError(source, [Problem("no such file", code="read")])
        return RuleSet.from_dict(resolved(_read_toml(path, source), source), source=source)
    if not isinstance(rules, str):
        raise RuleSetError(
            "load()",
            [
                Problem(
                    f"{shown(rules)} is not a preset id or a path to a rule set file", code="type"
                )
            ],
        )
    rule_id = rules.strip()
    _check_preset(rule_id, f"load({rule_id!r})", "")
    return _preset(rule_id)


def from_toml(text: str, *, source: str = "TOML text") -> RuleSet:
    """A rule set from TOML text (``extends`` allowed)."""
    if not isinstance(text, str):
        raise RuleSetError(source, [Problem(f"{shown(text)} is not TOML text", code="type")])
    return RuleSet.from_dict(resolved(_parse_toml(text, source), source), source=source)


def resolve(rules: RuleSet | str | Path | None, default: str = DEFAULT_RULES) -> RuleSet:
    """The rule set an entry point was given: a RuleSet, a preset id, a path, or None (the
    ``default`` preset)."""
    if isinstance(rules, RuleSet):
        return rules
    return load(default if rules is None else rules)


def load_group(path: str | Path, name: str) -> DatedGroup:
    """A dated group of your own from a CSV file (``iso3,name,included,graduated,source``)."""
    return read_group(path, name)


# ----------------------------------------------------------------------------- writing TOML


def _toml_string(text: str) -> str:
    # A JSON string is a TOML basic string, once DEL is escaped as TOML asks.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        inner = ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"cannot write {value!r} as TOML")


def _toml_key(key: str) -> str:
    return (
        key
        if key.replace("_", "").replace("-", "").isalnum() and key.isascii()
        else _toml_string(key)
    )


def to_toml(rules: RuleSet) -> str:
    """The rule set as a TOML file (``[[steps]]`` tables), which :func:`load` reads back."""
    if not isinstance(rules, RuleSet):
        raise RuleSetError("to_toml()", [Problem(f"{shown(rules)} is not a RuleSet", code="type")])
    data = rules.to_dict()
    lines: list[str] = []
    scalars = {k: v for k, v in data.items() if not isinstance(v, Mapping | list)}
    lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in scalars.items()]
    for key, value in data.items():
        if isinstance(value, Mapping) and value:
            lines += ["", f"[{key}]"]
            lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items() if v != {}]
    for step in data["steps"]:
        lines += ["", "[[steps]]"]
        lines += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in step.items()]
    return "\n".join(lines) + "\n"
