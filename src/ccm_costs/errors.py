"""The exceptions of ccm_costs: one base class and a few specific kinds.

Every error raised on bad input is a :class:`CcmCostsError`; each kind also subclasses the
built-in exception a Python user would expect (``KeyError`` for a lookup that failed,
``ValueError`` for a value that is wrong), so ``except ValueError`` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class CcmCostsError(Exception):
    """Base class of every error raised by ccm_costs."""

    def __str__(self) -> str:
        # KeyError would show the message quoted; every message here is meant to be read.
        return str(self.args[0]) if self.args else ""


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


class ScaleValidationError(InvalidInputError):
    """A scale of assessment with problems; ``problems`` lists every one found."""

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        listing = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"the scale from {source} has {len(self.problems)} problem(s):\n{listing}")


class InfeasibleBoundsError(CcmCostsError, ValueError):
    """Ceilings, floors and pinned shares that no set of shares summing to 100 % can meet.

    ``constraint`` names the binding constraint (e.g. ``"ceiling"``, ``"floor"``, ``"pinned"``).
    """

    def __init__(self, constraint: str, message: str) -> None:
        self.constraint = constraint
        super().__init__(message)


class MeetingError(InvalidInputError):
    """A meeting description with problems, each named by its field.

    ``problems`` lists ``(field, message)`` pairs (``field`` is ``""`` for a problem of the
    whole file); ``meeting`` is the meeting's name and ``source`` the file, when known.
    """

    def __init__(
        self,
        problems: Sequence[tuple[str, str]],
        *,
        meeting: str | None = None,
        source: str | None = None,
    ) -> None:
        self.problems = tuple(problems)
        self.meeting = meeting
        self.source = source
        prefix = (f"{source}: " if source else "") + (f"meeting {meeting!r}: " if meeting else "")
        super().__init__(
            "\n".join(
                f"{prefix}field {field!r}: {message}" if field else f"{prefix}{message}"
                for field, message in self.problems
            )
        )

    def in_file(self, source: str) -> MeetingError:
        """The same problems, named with the file they were read from."""
        return MeetingError(self.problems, meeting=self.meeting, source=source)
