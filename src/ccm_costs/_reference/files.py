"""Where the shipped data files are: inside the installed wheel, or at the top of a source tree."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from ..errors import DataFileError, Problem
from .reading import read_csv


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
    """Rows of a shipped CSV file as dictionaries of strings (a missing cell is ``""``)."""
    return read_data_csv(data_dir() / relative, f"data/{relative}")


def read_data_csv(path: Path, source: str) -> list[dict[str, str]]:
    """Rows of a data file (shipped, or a folder of the same layout) as dictionaries of
    strings; a file that cannot be read, or of the wrong shape, is a :class:`DataFileError`."""

    def fail(problem: Problem) -> DataFileError:
        return DataFileError(source, [problem])

    table = read_csv(path, fail)
    if table.problems:
        raise DataFileError(source, table.problems)
    return [{k: v or "" for k, v in row.cells.items()} for row in table.rows]
