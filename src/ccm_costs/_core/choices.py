"""Closed vocabularies given as text: a value of an enumeration, or an error listing them."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from ..errors import InvalidInputError
from .text import shown

E = TypeVar("E", bound=StrEnum)


def choice(enum: type[E], value: object, what: str) -> E:
    """``value`` as a member of ``enum`` (a member, or its text), or an
    :class:`InvalidInputError` naming ``what`` and every allowed value."""
    if isinstance(value, enum):
        return value
    if isinstance(value, str) and value in {member.value for member in enum}:
        return enum(value)
    allowed = ", ".join(repr(member.value) for member in enum)
    raise InvalidInputError(f"{what} {shown(value)} is not one of {allowed}")
