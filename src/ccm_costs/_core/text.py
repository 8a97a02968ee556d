"""Text users give: names checked where they enter, and shown safely in messages and terminals.

A control character (a terminal escape sequence, a bell, a NUL) or a bidirectional override
in a name would reach a terminal raw, or be refused by Excel when the workbook is written; such
names are refused where they enter (:func:`checked_text`), and any text shown on a terminal is
cleaned at that edge (:func:`printable`). Counts in messages and reports agree with their
noun (:func:`counted`: ``1 state``, ``2 states``).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from ..errors import InvalidInputError

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 and C1 control characters except tab and line feed, and the bidirectional overrides
and isolates (which reorder what a terminal shows)."""
_SHOWN = 60


def shown(value: object) -> str:
    """A value for a message: its ``repr`` (control characters escaped), a long one cut to
    its start with its length, a huge integer by its number of digits; a date as it is
    written (``2028-09-11``, the one date format, not ``datetime.date(2028, 9, 11)``), in
    words both a Python and a command-line user read."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return f"(an integer of about {int(value.bit_length() * 0.30103):,} digits)"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = repr(value)
    if len(text) <= _SHOWN:
        return text
    length = f"{len(value):,} characters" if isinstance(value, str) else "cut"
    return f"{text[:_SHOWN]}... ({length})"


def checked_text(value: str, what: str, *, lines: bool = False) -> str:
    """``value`` unchanged, or an :class:`InvalidInputError` naming the control character it
    holds. A tab or a line break is refused too, unless ``lines`` (notes, sources)."""
    for index, char in enumerate(value):
        if CONTROL_CHARACTERS.match(char) or (not lines and char in "\t\n"):
            name = unicodedata.name(char, "a control character")
            kind = "text" if lines else "plain text on one line"
            raise InvalidInputError(
                f"{what} {shown(value)} holds U+{ord(char):04X} ({name}) at position "
                f"{index + 1}: remove it ({what.removeprefix('the ')} must be {kind})"
            )
    return value


def printable(text: str) -> str:
    """``text`` with every control character and bidirectional override shown as an escape
    (``\\x1b``), so that nothing a file or a user gave can drive the terminal; tabs and line
    breaks are kept."""
    return CONTROL_CHARACTERS.sub(lambda m: repr(m.group(0))[1:-1], text)


def counted(n: int, word: str, words: str | None = None) -> str:
    """``1 state``, ``2 states`` (``words``: the plural when it is not ``word + "s"``)."""
    return f"{n} {word if n == 1 else words or word + 's'}"
