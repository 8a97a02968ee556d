"""Every example in the README runs, and says what it shows.

- The Python blocks run in order, in one namespace, in a temporary folder. A line that is an
  expression followed by a comment that reads as a Python value (``scale.period  #
  "2019-2021"``, ``a["Belgium"].amount  # Decimal("301234.16")``) must evaluate to it; a
  comment in words is left alone.
- Each shell block runs in a fresh temporary folder: every ``ccm-costs`` command, through the
  command line in process, must succeed (``check`` may also exit 1: differences found). Lines
  that are not ``ccm-costs`` commands (installing, opening Jupyter) are not run here; the two
  commands at the top of the README are what CI itself runs.
- A block after ``<!-- file: NAME -->`` is not run: it is written as the file NAME in every
  folder before the examples run (a bank statement, a meetings file).
"""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import shlex
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from ccm_costs._cli.main import main as cli

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(
    r"(?:<!-- (?P<mark>[^>]*) -->\n)?```(?P<lang>\w*)\n(?P<body>.*?)^```", re.S | re.M
)
SKIPPED_MARKS = ("main-command", "test-command")
VALUE = re.compile(r"""^(Decimal\(|Fraction\(|["'\d(\[{-]|True\b|False\b|None\b)""")
"""How a comment that states a value starts."""


def blocks() -> list[tuple[str, str, str]]:
    """(language, body, mark) of every fenced block of the README."""
    return [(m["lang"], m["body"], m["mark"] or "") for m in BLOCK.finditer(README.read_text())]


def files() -> dict[str, str]:
    return {
        mark.removeprefix("file: ").strip(): body
        for _, body, mark in blocks()
        if mark.startswith("file: ")
    }


@contextlib.contextmanager
def folder(path: Path) -> Iterator[Path]:
    """Work in ``path``, with the README's files written in it."""
    path.mkdir(parents=True, exist_ok=True)
    for name, text in files().items():
        (path / name).write_text(text, encoding="utf-8")
    before = Path.cwd()
    os.chdir(path)
    try:
        yield path
    finally:
        os.chdir(before)


def expected_value(comment: str, namespace: dict[str, object]) -> tuple[bool, object]:
    """The value a comment states, if it reads as one (else ``(False, None)``)."""
    text = comment.strip()
    if "..." in text or not VALUE.match(text):
        return False, None
    try:
        value = eval(text, {"Decimal": Decimal, "Fraction": Fraction, **namespace})
    except Exception:  # prose that only starts like a value
        return False, None
    return True, value


def run_python(source: str, namespace: dict[str, object], where: str) -> None:
    """Run a block statement by statement, checking the values its comments state."""
    lines = source.splitlines()
    for node in ast.parse(source).body:
        code = ast.get_source_segment(source, node)
        assert code is not None
        last = lines[(node.end_lineno or node.lineno) - 1]
        if isinstance(node, ast.Expr) and "#" in last:
            value = eval(compile(ast.Expression(node.value), where, "eval"), namespace)
            known, expected = expected_value(last.split("#", 1)[1], namespace)
            if known:
                assert value == expected, (
                    f"{where}: {code} gives {value!r}, the README says {expected!r}"
                )
            continue
        exec(compile(ast.Module([node], []), where, "exec"), namespace)


def commands(body: str) -> list[str]:
    """The ``ccm-costs`` commands of a shell block (continuations joined, comments dropped)."""
    joined = body.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] == "ccm-costs":
            found.append(line)
    return found


def python_blocks() -> list[str]:
    return [body for lang, body, mark in blocks() if lang == "python" and not mark]


def shell_blocks() -> list[str]:
    return [
        body
        for lang, body, mark in blocks()
        if lang == "sh" and mark not in SKIPPED_MARKS and commands(body)
    ]


def test_the_readme_has_examples_of_both_kinds() -> None:
    assert len(python_blocks()) >= 5 and shell_blocks()


@pytest.mark.slow
def test_every_python_example_runs_in_order(tmp_path: Path) -> None:
    namespace: dict[str, object] = {"__name__": "readme"}
    with folder(tmp_path), contextlib.redirect_stdout(io.StringIO()):
        for number, body in enumerate(python_blocks(), start=1):
            run_python(body, namespace, f"README python block {number}")


@pytest.mark.parametrize("number", range(len(shell_blocks())))
def test_every_shell_example_runs(number: int, tmp_path: Path) -> None:
    with folder(tmp_path), contextlib.redirect_stdout(io.StringIO()):
        for line in commands(shell_blocks()[number]):
            args = shlex.split(line, comments=True)[1:]
            try:
                code = cli(args)
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 2
            allowed = {0, 1} if args[:1] == ["check"] else {0}
            assert code in allowed, f"README: {line!r} exited {code}"
