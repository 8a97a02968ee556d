"""The largest total, 10^15 minor units (ten trillion US dollars), is exact in every layer: the
amounts, ``to_frame()`` (``int64``), CSV, JSON, and a workbook (a cell holds a double: every
amount is below 2^53 minor units, so it reads back as written); one unit more is refused."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import ccm_costs as cc

LARGEST = "10000000000000.00"
PAYERS = ["AUT", "BEL", "DEU", "FRA", "KEN"]


@pytest.mark.parametrize("total", [LARGEST, f"-{LARGEST}"])
def test_the_largest_total_is_exact_in_every_layer(total: str, tmp_path: Path) -> None:
    a = cc.apportion(total, PAYERS, scale="2022-2024")
    minor = [line.amount_minor for line in a]
    assert sum(minor) == a.total_minor == int(Decimal(total) * 100)
    frame = a.to_frame()
    assert str(frame["amount_minor"].dtype) == "int64"
    assert frame["amount_minor"].tolist() == minor
    rows = list(csv.DictReader(io.StringIO(cc.render(a, "csv"))))
    assert [int(r["amount_minor"]) for r in rows] == minor
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal(total)
    document = json.loads(cc.render(a, "json"))
    assert [r["amount_minor"] for r in document["rows"]] == minor
    assert cc.check_workbook(cc.write_workbook(tmp_path / "a.xlsx", a), a).ok


@pytest.mark.parametrize(
    ("total", "currency"),
    [
        ("10000000000000.01", "USD"),
        ("-10000000000000.01", "USD"),
        ("1000000000000001", "JPY"),
        ("100000000000.0001", "CLF"),
    ],
)
def test_one_minor_unit_more_is_refused(total: str, currency: str) -> None:
    with pytest.raises(cc.InvalidInputError, match="beyond the largest amount"):
        cc.apportion(total, PAYERS, scale="2022-2024", currency=currency)


@pytest.mark.parametrize(("total", "currency"), [("1000000000000000", "JPY"), ("1e11", "CLF")])
def test_the_limit_is_in_minor_units(total: str, currency: str) -> None:
    assert cc.apportion(total, PAYERS, scale="2022-2024", currency=currency).total_minor == 10**15
