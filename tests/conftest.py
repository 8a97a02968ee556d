"""Shared test setup: hypothesis profiles, where the repository and ../shared are, and the one
skip for tests that read third-party files from ../shared (never copied into the repository)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

REPO = Path(__file__).resolve().parents[1]
"""The repository root."""
DATA = REPO / "data"
"""The shipped data folder."""
SHARED = Path(os.environ.get("CCM_COSTS_SHARED", REPO.parent / "shared"))
"""The project's shared folder (the UN workbook, golden tables of other bodies)."""

settings.register_profile("default", deadline=None)
settings.register_profile(
    "ci", deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("quick", deadline=None, max_examples=20)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def requires_shared(path: Path) -> pytest.MarkDecorator:
    """Skip (with the reason) a test that reads a third-party file of ../shared when it is
    absent: such files are read in place, never copied into the repository."""
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"{path} is absent: this test reads a third-party file from the project's "
        "shared folder, which is not beside the checkout (set CCM_COSTS_SHARED to point at it)",
    )
