"""Every exception ccm_costs raises, in one tree.

Every error raised on bad input is a :class:`CcmCostsError`; each kind also subclasses the
built-in exception a Python user would expect (``KeyError`` for a lookup that failed,
``ValueError`` for a value that is wrong), so ``except ValueError`` keeps working::

    CcmCostsError
    ├── UnknownStateError        (KeyError)   a name or code that matches no state
    ├── UnknownPeriodError       (KeyError)   a scale period, year or date with no scale
    ├── MissingRateError         (KeyError)   a paying state with no rate
    ├── InvalidInputError        (ValueError) a value that cannot be used as given
    │   └── ProblemsError                     collect-all: ``.problems``, ``to_frame()``
    │       ├── ScaleValidationError          a scale of assessment (shipped or a user's)
    │       ├── MeetingError                  a meeting or a meeting file
    │       ├── PaymentImportError            a payment (bank statement) file
    │       ├── RuleSetError                  a rule set (a preset, a TOML file, a change)
    │       └── DataFileError                 a membership, convention or other data file
    ├── InfeasibleBoundsError    (ValueError) bounds no shares summing to 100 % can meet
    └── LedgerError                           a ledger file damaged, foreign, newer,
                                              read-only or changed by another program, or a
                                              change the ledger refuses

A collect-all error lists every problem it found, each a :class:`Problem`: a string (the
line a person reads) that also carries ``where`` (file, row or meeting), ``field``, ``code``
(a short reason code such as ``"duplicate"`` or ``"not_a_number"``) and ``message``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "CcmCostsError",
    "DataFileError",
    "InfeasibleBoundsError",
    "InvalidInputError",
    "LedgerError",
    "MeetingError",
    "MissingRateError",
    "PaymentImportError",
    "Problem",
    "ProblemsError",
    "RuleSetError",
    "ScaleValidationError",
    "UnknownPeriodError",
    "UnknownStateError",
]


class CcmCostsError(Exception):
    """Base class of every error raised by ccm_costs.

    ``cli_message``, when set, is the same message in the words of the command line (an
    option such as ``--extra-rate`` where the Python message names a keyword); the command
    line prints it instead.
    """

    cli_message: str | None = None

    def __str__(self) -> str:
        # KeyError would show the message quoted; every message here is meant to be read.
        return str(self.args[0]) if self.args else ""

    def for_cli(self, message: str) -> Self:
        """This error, with its message in the words of the command line."""
        self.cli_message = message
        return self


class UnknownStateError(CcmCostsError, KeyError):
    """State names or codes that match no known state.

    ``unknown`` maps each unknown input to its closest matches; ``query`` and ``suggestions``
    are those of the first one.
    """

    def __init__(self, unknown: Mapping[str, Sequence[str]]) -> None:
        self.unknown = {query: tuple(found) for query, found in unknown.items()}
        self.query, self.suggestions = next(iter(self.unknown.items()), ("", ()))
        parts = []
        for query, found in self.unknown.items():
            hint = (
                "did you mean " + ", ".join(repr(s) for s in found) + "?"
                if found
                else "give an ISO 3166-1 alpha-3 code (e.g. 'AUT') or a UN name"
            )
            parts.append(f"unknown state {query!r}: {hint}")
        super().__init__("; ".join(parts))


class UnknownPeriodError(CcmCostsError, KeyError):
    """A scale period, year or date for which no scale of assessment is available."""


class MissingRateError(CcmCostsError, KeyError):
    """A state that bears a cost but has no rate in the scale and none was supplied."""

    def __init__(self, message: str, states: Sequence[str]) -> None:
        self.states = tuple(states)
        super().__init__(message)


class InvalidInputError(CcmCostsError, ValueError):
    """A value that cannot be used as given: a total, a rate, a list of states, an option."""


class Problem(str):
    """One problem found by a collect-all check: the text a person reads, with its parts.

    A ``Problem`` is a ``str`` (``where: message``), so it prints, joins and compares as the
    line it is; ``where`` names the place (a file row, a meeting), ``field`` the column or
    field, ``code`` a short reason code, ``message`` the explanation on its own.
    """

    where: str
    field: str
    code: str
    message: str

    def __new__(
        cls, message: str, *, where: str = "", field: str = "", code: str = "invalid"
    ) -> Self:
        problem = super().__new__(cls, f"{where}: {message}" if where else message)
        problem.where, problem.field, problem.code, problem.message = where, field, code, message
        return problem

    def __reduce__(self) -> tuple[object, ...]:  # keep the parts through pickle and copy
        return (_problem, (self.message, self.where, self.field, self.code))


def _problem(message: str, where: str, field: str, code: str) -> Problem:
    return Problem(message, where=where, field=field, code=code)


class ProblemsError(InvalidInputError):
    """Every problem found in one input (a file, a table, a meeting), collected in one error.

    ``problems`` holds :class:`Problem` records; ``source`` names the input; ``to_frame()``
    lists the problems as a table with the columns where, field, code and message.
    """

    heading = "has problems"

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems: tuple[Problem, ...] = tuple(
            p if isinstance(p, Problem) else Problem(str(p)) for p in problems
        )
        super().__init__(self._text())

    def _text(self) -> str:
        listing = "\n".join(f"  - {p}" for p in self.problems)
        return f"{self.source} {self.heading} ({len(self.problems)}):\n{listing}"

    def to_frame(self) -> pd.DataFrame:
        """One row per problem: where, field, code, message."""
        import pandas as pd

        return pd.DataFrame(
            [(p.where, p.field, p.code, p.message) for p in self.problems],
            columns=["where", "field", "code", "message"],
        )


class ScaleValidationError(ProblemsError):
    """A scale of assessment with problems; ``problems`` lists every one found."""

    def _text(self) -> str:
        listing = "\n".join(f"  - {p}" for p in self.problems)
        return f"the scale from {self.source} has {len(self.problems)} problem(s):\n{listing}"


class MeetingError(ProblemsError):
    """A meeting description with problems, each named by its field.

    ``problems`` are :class:`Problem` records whose ``field`` names the meeting field (``""``
    for a problem of the whole file); ``meeting`` is the meeting's name and ``source`` the
    file, when known.
    """

    def __init__(
        self,
        problems: Iterable[tuple[str, str] | Problem],
        *,
        meeting: str | None = None,
        source: str | None = None,
        code: str = "invalid",
    ) -> None:
        self.meeting = meeting
        records = [
            p
            if isinstance(p, Problem)
            else Problem(
                f"field {p[0]!r}: {p[1]}" if p[0] else p[1],
                field=p[0],
                code=code,
                where=f"meeting {meeting!r}" if meeting else "",
            )
            for p in problems
        ]
        super().__init__(source or "", records)

    def _text(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        return "\n".join(prefix + p for p in self.problems)

    def in_file(self, source: str) -> MeetingError:
        """The same problems, named with the file they were read from."""
        return MeetingError(self.problems, meeting=self.meeting, source=source)

    def of_meeting(self, meeting: str) -> MeetingError:
        """The same problems, named with the meeting they belong to."""
        records = [
            p
            if p.where
            else Problem(p.message, where=f"meeting {meeting!r}", field=p.field, code=p.code)
            for p in self.problems
        ]
        return MeetingError(records, meeting=meeting, source=self.source or None)


class PaymentImportError(ProblemsError):
    """A payment file that cannot be recorded; ``problems`` lists every one, by row."""

    def _text(self) -> str:
        listing = "\n".join(f"  - {p}" for p in self.problems)
        return f"{self.source}: nothing recorded, {len(self.problems)} problem(s):\n{listing}"


class RuleSetError(ProblemsError):
    """A rule set with problems: every one listed, each naming its field (``steps[2].ceiling``)
    and the file or call it came from."""

    def _text(self) -> str:
        listing = "\n".join(f"  - {p}" for p in self.problems)
        return f"the rule set from {self.source} has {len(self.problems)} problem(s):\n{listing}"


class DataFileError(ProblemsError):
    """A data file (membership, a convention, a rule set) with problems, all of them listed."""


class InfeasibleBoundsError(CcmCostsError, ValueError):
    """Ceilings, floors and pinned shares that no set of shares summing to 100 % can meet.

    ``constraint`` names the binding constraint (e.g. ``"ceiling"``, ``"floor"``, ``"pinned"``).
    """

    def __init__(self, constraint: str, message: str) -> None:
        self.constraint = constraint
        super().__init__(message)


class LedgerError(CcmCostsError):
    """A ledger file that is damaged, foreign, of a newer schema, read-only or changed by
    another program (its triggers or seals), or a change it refuses."""
