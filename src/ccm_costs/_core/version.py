"""The installed version of ccm_costs, recorded in every result's provenance."""

from __future__ import annotations

from functools import cache
from importlib import metadata


@cache
def library_version() -> str:
    """The installed version of ccm_costs (``"unknown"`` in a source tree never installed)."""
    try:
        return metadata.version("ccm-costs")
    except metadata.PackageNotFoundError:
        return "unknown"
