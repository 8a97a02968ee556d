"""Every convention's counts by date, as its SOURCES.md gives them with their cross-checks
(collected in convention_counts.toml), reproduced from the shipped data by generic code."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

import ccm_costs as cc

COUNTS = tomllib.loads((Path(__file__).parent / "convention_counts.toml").read_text("utf-8"))
ROWS = [(convention, row) for convention, rows in COUNTS.items() for row in rows]


def test_every_shipped_convention_has_counts_to_check() -> None:
    assert set(COUNTS) == set(cc.available_conventions())
    assert len(ROWS) >= 70


@pytest.mark.parametrize(("convention", "row"), ROWS, ids=[f"{c}-{r['date']}" for c, r in ROWS])
def test_counts_by_date(convention: str, row: dict[str, object]) -> None:
    found = cc.get_convention(convention)
    day = row["date"]
    assert isinstance(day, dt.date)
    if "deposited" in row:
        assert len(found.deposited_on(day)) == row["deposited"], row["check"]
    if "bound" in row:
        assert len(found.parties_on(day)) == row["bound"], row["check"]
    if "signatories" in row:
        assert len(found.signatories_on(day)) == row["signatories"], row["check"]
