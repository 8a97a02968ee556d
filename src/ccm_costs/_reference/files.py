"""Where the shipped data files are: inside the installed wheel, or at the top of a source tree."""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir() -> Path:
    """The folder holding ``un_scale_of_assessment/``, ``states/`` and ``conventions/``.

    A built wheel carries the repository's ``data/`` as ``ccm_costs/data``; an editable
    install of a source checkout reads the repository's ``data/`` directly.
    """
    packaged = Path(str(resources.files("ccm_costs"))) / "data"
    if (packaged / "un_scale_of_assessment").is_dir():
        return packaged
    source_tree = Path(__file__).resolve().parents[3] / "data"
    if (source_tree / "un_scale_of_assessment").is_dir():
        return source_tree
    raise FileNotFoundError(
        f"ccm_costs data files not found in {packaged} or {source_tree}; reinstall the package"
    )


def read_rows(relative: str) -> list[dict[str, str]]:
    """Rows of a shipped CSV file as dictionaries of strings."""
    with (data_dir() / relative).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
