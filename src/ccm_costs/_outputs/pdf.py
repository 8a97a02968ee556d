"""PDF documents from plain typst templates: the settings a user gives them, and the compiler.

A template is a typst text file (shipped in ``templates/``, or the user's own copy) that reads
its data as JSON from ``sys.inputs``; the library formats every figure exactly beforehand, so
a template only places text and can never change an amount. The office's own text
(letterhead, signature block, bank details, payment instructions) comes from a settings file
(TOML) whose shipped version holds placeholders such as ``[BANK NAME]``, never real details.

typst (its Python binding ships the compiler) is imported only when a document is compiled,
so the rest of the library and the light commands never load it.
"""

from __future__ import annotations

import datetime as dt
import importlib.resources
import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._core.text import checked_text, shown
from .._reference.reading import file_path, read_text
from ..errors import DataFileError, InvalidInputError, Problem

if TYPE_CHECKING:
    import typst

TEMPLATES = importlib.resources.files("ccm_costs._outputs") / "templates"
SETTINGS_FILE = "notice_settings.toml"
SHIPPED_SETTINGS = f"the shipped {SETTINGS_FILE}"
"""The source of settings when none are given (:attr:`NoticeSettings.source`)."""
_PLACEHOLDER = re.compile(r"\[[A-Z][A-Z0-9 /,.'&-]*\]")
"""A shipped placeholder: upper-case text in square brackets, e.g. ``[BANK NAME]``."""
_SIGNATURE_KEYS = ("closing", "name", "title")


def notice_template_files() -> tuple[Path, ...]:
    """The shipped files to copy and edit: the notice template (``notice.typ``), the status
    report template (``status_report.typ``) and the settings (``notice_settings.toml``)."""
    return tuple(
        Path(str(TEMPLATES / name)) for name in ("notice.typ", "status_report.typ", SETTINGS_FILE)
    )


@dataclass(frozen=True)
class NoticeSettings:
    """What an office prints on its notices: letterhead lines, the signature block, the bank
    details (label, value, in order) and the payment instructions (``{reference}`` in a line
    is replaced by the notice's reference number)."""

    letterhead: tuple[str, ...]
    signature: Mapping[str, str]
    bank: tuple[tuple[str, str], ...]
    payment_instructions: tuple[str, ...]
    source: str

    def placeholders(self) -> tuple[str, ...]:
        """Every shipped placeholder still in these settings (``bank: [IBAN]``), in order."""
        found = [
            *(f"letterhead: {t}" for line in self.letterhead for t in _PLACEHOLDER.findall(line)),
            *(
                f"signature.{key}: {t}"
                for key, line in self.signature.items()
                for t in _PLACEHOLDER.findall(line)
            ),
            *(f"bank.{label}: {t}" for label, v in self.bank for t in _PLACEHOLDER.findall(v)),
            *(
                f"payment_instructions: {t}"
                for line in self.payment_instructions
                for t in _PLACEHOLDER.findall(line)
            ),
        ]
        return tuple(found)

    def for_notice(self, reference: str) -> dict[str, object]:
        """The settings as the template reads them, for the notice ``reference``."""
        return {
            "letterhead": list(self.letterhead),
            "signature": dict(self.signature),
            "bank": [list(pair) for pair in self.bank],
            "payment_instructions": [
                line.replace("{reference}", reference) for line in self.payment_instructions
            ],
        }


def load_settings(path: str | Path | None = None) -> NoticeSettings:
    """The shipped settings (placeholders), with those of the TOML file ``path`` over them.

    A key of the file replaces the shipped one as a whole (``letterhead``, ``bank``,
    ``payment_instructions``), or one line of it (``signature.name``); a key the shipped file
    does not have, or a value of the wrong kind, is a :class:`DataFileError` listing every
    problem, so nothing given is ignored."""
    shipped = tomllib.loads((TEMPLATES / SETTINGS_FILE).read_text(encoding="utf-8"))
    if path is None:
        return _settings(shipped, SHIPPED_SETTINGS)
    source = file_path(path, "settings")
    where = str(source)

    def fail(problem: Problem) -> DataFileError:
        return DataFileError(where, [problem])

    try:
        given = tomllib.loads(read_text(source, fail))
    except tomllib.TOMLDecodeError as err:
        raise fail(Problem(f"is not valid TOML: {err}", code="syntax")) from None
    problems = _settings_problems(given)
    if problems:
        raise DataFileError(where, problems)
    merged = {**shipped, **{k: v for k, v in given.items() if k != "signature"}}
    merged["signature"] = {**shipped["signature"], **given.get("signature", {})}
    return _settings(merged, where)


def _settings(document: Mapping[str, Any], source: str) -> NoticeSettings:
    return NoticeSettings(
        letterhead=tuple(document["letterhead"]),
        signature={key: document["signature"][key] for key in _SIGNATURE_KEYS},
        bank=tuple((str(k), v) for k, v in document["bank"].items()),
        payment_instructions=tuple(document["payment_instructions"]),
        source=source,
    )


def _settings_problems(given: Mapping[str, Any]) -> list[Problem]:
    """What is wrong with a user's settings: unknown keys, values of the wrong kind, and text
    with a control character or a bidirectional override (which would print unseen)."""
    problems = [*_text_problems(given)]
    lists = ("letterhead", "payment_instructions")
    for key, value in given.items():
        if key in lists:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(
                    Problem('give a list of text lines, e.g. ["...", "..."]', field=key)
                )
        elif key == "signature":
            if not isinstance(value, dict):
                problems.append(Problem('give a table: [signature] name = "..."', field=key))
                continue
            for sub, text in value.items():
                if sub not in _SIGNATURE_KEYS:
                    problems.append(
                        Problem(
                            f"unknown key: give {', '.join(_SIGNATURE_KEYS)}",
                            field=f"signature.{sub}",
                            code="unknown",
                        )
                    )
                elif not isinstance(text, str):
                    problems.append(Problem("give text", field=f"signature.{sub}"))
        elif key == "bank":
            if not isinstance(value, dict) or not value:
                problems.append(Problem('give a table: [bank] "Label" = "value"', field=key))
                continue
            problems += [
                Problem("give text", field=f"bank.{label}")
                for label, text in value.items()
                if not isinstance(text, str)
            ]
        else:
            known = ", ".join((*lists, "signature", "bank"))
            problems.append(Problem(f"unknown key: the settings are {known}", field=key,
                                    code="unknown"))  # fmt: skip
    return problems


def _text_problems(given: Mapping[str, Any]) -> list[Problem]:
    """Every line of text in ``given`` that holds a control character, by its field."""
    found = []
    for key, value in given.items():
        items: list[tuple[str, object]]
        if isinstance(value, list):
            items = [(f"{key}[{i}]", v) for i, v in enumerate(value)]
        elif isinstance(value, dict):
            items = [(f"{key}.{k}", v) for k, v in value.items()]
            items += [(f"{key} label {shown(k)}", k) for k in value]
        else:
            items = [(key, value)]
        for field, text in items:
            if isinstance(text, str):
                try:
                    checked_text(text, "the text")
                except InvalidInputError as err:
                    found.append(Problem(str(err), field=field, code="control_character"))
    return found


@dataclass(frozen=True)
class Template:
    """A typst template: its text and the folder its own files (images, fonts) come from."""

    source: str
    text: bytes
    root: Path | None


def load_template(name: str, path: str | Path | None = None) -> Template:
    """The user's template ``path``, else the shipped template ``name`` (``notice.typ``)."""
    if path is None:
        return Template(f"the shipped {name}", (TEMPLATES / name).read_bytes(), None)
    source = file_path(path, "template")

    def fail(problem: Problem) -> InvalidInputError:
        return InvalidInputError(f"the template {source}: {problem}")

    fix = f"give a typst file (.typ) that reads its data from sys.inputs, a copy of {name}"
    if source.suffix.lower() != ".typ":
        raise InvalidInputError(
            f"template={str(source)!r} is not a typst template: {fix} "
            "(cc.notice_template_files() lists it)"
        ).for_cli(
            f"--template {source} is not a typst template: {fix} (ccm-costs notices --starter "
            "FOLDER copies it)"
        )
    text = read_text(source, fail)
    if "sys.inputs" not in text:  # it would print the same page whatever the data
        raise InvalidInputError(
            f"template={str(source)!r} does not use the data (it never reads sys.inputs): {fix}"
        ).for_cli(
            f"--template {source} does not use the data (it never reads sys.inputs): {fix} "
            "(ccm-costs notices --starter FOLDER copies it)"
        )
    return Template(str(source), text.encode("utf-8"), source.resolve().parent)


class Compiler:
    """One template compiled once per document, each with its own data (JSON)."""

    def __init__(self, template: Template) -> None:
        import typst  # loaded here, when a document is written

        self.template = template
        self._typst = typst
        # the source is given with each document: a compiler made with bytes compiles them
        # only once (typst-py 0.15 then looks for its virtual file on disk)
        self._compiler: typst.Compiler = typst.Compiler(root=template.root)

    def pdf(self, key: str, data: Mapping[str, object], issued: dt.date) -> bytes:
        """The PDF of ``data`` (given to the template as ``sys.inputs[key]``), dated
        ``issued`` (so the same data gives the same file)."""
        stamp = dt.datetime(issued.year, issued.month, issued.day, tzinfo=dt.UTC)
        try:
            out = self._compiler.compile(
                input=self.template.text,
                format="pdf",
                sys_inputs={key: json.dumps(data, ensure_ascii=False)},
                timestamp=stamp,
            )
        except self._typst.TypstError as err:
            raise InvalidInputError(
                f"{self.template.source} cannot be typeset: {err.message}"
                + "".join(f"; hint: {h}" for h in err.hints)
                + (f" ({err.diagnostic.strip()})" if err.diagnostic.strip() else "")
            ) from None
        if not isinstance(out, bytes):  # one document gives one PDF
            raise InvalidInputError(f"{self.template.source} gave no PDF: {shown(out)}")
        return out


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
"""English month names, whatever the machine's locale."""


def words_date(day: dt.date) -> str:
    """A date as a letter prints it: ``3 June 2024``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def joined(items: Sequence[str]) -> str:
    """``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
