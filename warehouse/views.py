"""The public views researchers and tools rely on (exported by ``gongkai export``)."""

from __future__ import annotations

# contract views first (output_contract.md), then the research views of issue 6
PUBLIC_VIEWS = (
    "reports",
    "cells",
    "checks",
    "fetches",
    "documents",
    "parse_failures",
    "report_wide",
    "applications",
    "agencies",
    "rule_failures",
    "xyear_checks",
    "provenance",
    "narrative",
    "sections",
    "source_runs",
)
