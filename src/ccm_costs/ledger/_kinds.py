"""Why an assessment was issued: the kinds the ledger records (light, for the command line)."""

from __future__ import annotations

from enum import StrEnum


class AssessmentKind(StrEnum):
    """Why an assessment was issued."""

    ESTIMATE = "estimate"
    """On estimated costs, before the meeting."""
    FINAL = "final"
    """On actual costs and participants, after the meeting; usually supersedes the estimate."""
    CORRECTION = "correction"
    """A corrected version of an earlier assessment, which it must supersede."""
