"""What the report shows, as frozen dataclasses (filled by ``collect``, drawn by ``page``)."""

from __future__ import annotations

from dataclasses import dataclass

# fetch outcomes of docs/architecture.md, in the order the report shows them
OUTCOMES = ("ok", "not_modified", "blocked", "gone", "error", "skipped")
PARSE_STATUSES = ("ok", "failed", "not_parsed")
LEVELS = ("province", "prefecture", "county")
UNRESOLVED = "(unresolved)"


@dataclass(frozen=True, slots=True)
class Overview:
    warehouse: str
    generated_at: str
    n_reports: int
    n_primary: int
    n_agencies: int
    n_sources: int
    n_documents: int
    n_fetches: int
    runs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProvinceCoverage:
    province: str  # UNRESOLVED when the agency has no division
    reports: int  # primary reports
    agencies: int
    prefectures_covered: int
    prefectures_total: int
    counties_covered: int
    counties_total: int


@dataclass(frozen=True, slots=True)
class Coverage:
    provinces: tuple[ProvinceCoverage, ...]
    levels: tuple[tuple[str, int, int], ...]  # (level or UNRESOLVED, primary reports, agencies)
    years: tuple[tuple[int | None, int, int], ...]  # (report year or None, primary reports, agencies)
    heat_years: tuple[int | None, ...]
    heat: tuple[tuple[str, tuple[int, ...]], ...]  # province → primary reports per heat year


@dataclass(frozen=True, slots=True)
class SourceFetches:
    source_id: str
    name: str | None
    counts: tuple[int, ...]  # aligned with FetchOutcomes.outcomes
    total: int

    @property
    def problems(self) -> int:
        return self.total - self.counts[0] - self.counts[1]  # not ok and not not_modified


@dataclass(frozen=True, slots=True)
class FetchReason:
    outcome: str
    reason: str | None
    n: int
    sources: int
    example_url: str | None


@dataclass(frozen=True, slots=True)
class SourceRun:
    """How a source ended in its latest run (the ``source_runs`` view)."""

    source_id: str
    name: str | None
    outcome: str  # ok | partial | empty | blocked | down
    reason: str | None
    n_documents: int | None
    run_id: str


@dataclass(frozen=True, slots=True)
class FetchOutcomes:
    outcomes: tuple[str, ...]  # OUTCOMES, then any other value found (kept visible)
    totals: tuple[int, ...]
    sources: tuple[SourceFetches, ...]
    reasons: tuple[FetchReason, ...]
    source_runs: tuple[SourceRun, ...] = ()


@dataclass(frozen=True, slots=True)
class ParseFailure:
    sha256: str
    parser_version: str | None
    error_kind: str | None
    error: str | None
    source_id: str | None
    title: str | None
    format: str | None
    document_url: str | None
    page_url: str | None


@dataclass(frozen=True, slots=True)
class ParseStatus:
    statuses: tuple[tuple[str, int], ...]  # parse_status of every document
    by_format: tuple[tuple[str, tuple[int, ...]], ...]  # format → counts aligned with PARSE_STATUSES
    error_kinds: tuple[tuple[str, int], ...]
    failures: tuple[ParseFailure, ...]  # the first MAX_LISTED
    n_failures: int


@dataclass(frozen=True, slots=True)
class RuleCount:
    rule: str
    severity: str | None
    origin: str
    reports: int


@dataclass(frozen=True, slots=True)
class RuleResults:
    families: tuple[tuple[str, int, int, int], ...]  # rule family, pass, fail, not_assessable
    failing: tuple[RuleCount, ...]
    reports_failing: int  # reports with at least one failed record rule of severity error
    reports_checked: int


@dataclass(frozen=True, slots=True)
class Distribution:
    key: str
    title: str
    bins: tuple[tuple[str, int], ...]
    n: int  # reports with a value
    n_blank: int  # reports where it cannot be computed (a blank cell, never counted as 0)
    stats: tuple[tuple[str, str], ...]  # (name, formatted value)
    note: str


@dataclass(frozen=True, slots=True)
class QualityData:
    overview: Overview
    coverage: Coverage
    fetches: FetchOutcomes
    parsing: ParseStatus
    rules: RuleResults
    distributions: tuple[Distribution, ...]
