"""The one date parser: a ``datetime.date`` or an ISO ``YYYY-MM-DD`` string, checked."""

from __future__ import annotations

import datetime as dt

from ..errors import InvalidInputError

DateLike = dt.date | str
"""A ``datetime.date`` or an ISO ``YYYY-MM-DD`` string."""


def parse_date(value: object, what: str = "date", *, time_of_day: str = "refuse") -> dt.date:
    """``value`` as a date, or an :class:`InvalidInputError` naming ``what`` and the fix.

    Accepts a ``datetime.date`` and an ISO ``YYYY-MM-DD`` string (spaces around it are
    ignored). A ``datetime`` (or an ISO date-time string) has a time of day: with
    ``time_of_day="refuse"`` (the default) it is an error, with ``"drop"`` its date is taken
    (what a spreadsheet cell holding a date reads as).
    """
    named = f"{what} {value!r}" if what else repr(value)
    if isinstance(value, dt.datetime):
        if time_of_day == "drop":
            return value.date()
        raise InvalidInputError(f"{named} has a time of day: give a date (YYYY-MM-DD)")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
        if time_of_day == "drop":
            try:
                return dt.datetime.fromisoformat(text).date()
            except ValueError:
                pass
    raise InvalidInputError(f"{named} is not a date: write it as YYYY-MM-DD")


def add_months(day: dt.date, months: int, *, month_end: str = "clip") -> dt.date:
    """The same day ``months`` later; a day the month lacks (31 Aug + 6 months) is the last
    day of that month with ``month_end="clip"``, or the first day of the next month with
    ``"next"``."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    try:
        return dt.date(year, month + 1, day.day)
    except ValueError:
        first_of_next = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
        if month_end == "next":
            return first_of_next
        return first_of_next - dt.timedelta(days=1)


def first_of_month(day: dt.date, months_after: int = 0) -> dt.date:
    """The first day of the month ``months_after`` months after the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months_after
    return dt.date(index // 12, index % 12 + 1, 1)
