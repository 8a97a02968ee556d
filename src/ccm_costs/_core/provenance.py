"""The one provenance builder: labelled text saying where a result's figures come from.

Every result (an assessment, a scenario table, a status of contributions) carries its own
items first (what was assessed, by which rules), then the items every result shares, in the
same words: the scale, and, where money was split, the rounding and tie rules, and always the
library version.
"""

from __future__ import annotations

from collections.abc import Mapping

from .allocation import TIE_RULE
from .version import library_version


def scale_items(period: str, resolution: str | None, source: str | None = None) -> dict[str, str]:
    """The scale of assessment a result was computed on, in words."""
    items = {
        "scale": f"UN scale of assessment {period}",
        "resolution": resolution or "none (scale supplied by the user)",
    }
    if source is not None:
        items["scale source"] = source
    return items


def provenance(
    *sections: Mapping[str, str],
    tie_rule: str | None = TIE_RULE,
    version: str | None = None,
) -> dict[str, str]:
    """The sections' items in order, then the tie rule (when money was split; ``None``
    otherwise) and the library version (default: the installed one)."""
    items: dict[str, str] = {}
    for section in sections:
        items.update(section)
    if tie_rule is not None:
        items["tie rule"] = tie_rule
    items["library"] = f"ccm_costs {version or library_version()}"
    return items
