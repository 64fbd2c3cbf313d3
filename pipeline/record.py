"""The report record every parse yields (``../shared/spec/output_contract.md``), as frozen models."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping

from .version import parser_version

# derived from the parser's code, spec data and converter libraries (pipeline/version.py)
PARSER_VERSION = parser_version()

READ, IMPUTED, MISSING = "read", "imputed", "missing"
PASS, FAIL, NOT_ASSESSABLE = "pass", "fail", "not_assessable"
CELL_STATUSES = (READ, IMPUTED, MISSING)  # a cell's status, the only place they are defined
CHECK_RESULTS = (PASS, FAIL, NOT_ASSESSABLE)  # a rule's result


@dataclass(frozen=True, slots=True)
class CellValue:
    value: float | int | None
    status: str  # read | imputed | missing
    raw: str | None
    locator: Mapping[str, Any] | None = None
    rule: str | None = None  # the rule an imputed value follows from
    confidence: float | None = None  # OCR confidence, when the value was recognised from an image
    ocr: bool = False  # the value was recognised from an image (a scan), not read from text
    suspect: str | None = None  # why an OCR'd value may be wrong (kept as read, never silent)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"value": self.value, "status": self.status, "raw": self.raw}
        if self.locator is not None:
            d["locator"] = dict(self.locator)
        if self.rule is not None:
            d["rule"] = self.rule
        if self.confidence is not None:
            d["confidence"] = round(self.confidence, 4)
        if self.ocr:
            d["ocr"] = True
        if self.suspect is not None:
            d["suspect"] = self.suspect
        return d


@dataclass(frozen=True, slots=True)
class Check:
    rule: str
    severity: str
    result: str  # pass | fail | not_assessable
    detail: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"rule": self.rule, "severity": self.severity, "result": self.result}
        if self.detail:
            d["detail"] = self.detail
        return d


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure stated in a sentence (section 一, 六, or a pre-2019 report)."""

    value: float | int | None
    raw: str
    approx: bool = False
    sentence: str | None = None  # the whole sentence the figure was read from (whitespace removed)

    def to_dict(self) -> dict[str, Any]:
        d = {"value": self.value, "raw": self.raw, "approx": self.approx}
        if self.sentence is not None:
            d["sentence"] = self.sentence
        return d


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    sha256: str
    format: str
    converter: str
    pages: int | None = None
    size: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {"sha256": self.sha256, "format": self.format, "converter": self.converter, "pages": self.pages}
        if self.size is not None:
            d["size"] = self.size
        return d


@dataclass(frozen=True, slots=True)
class ReportInfo:
    title: str | None
    org_name: str | None
    report_year: int | None
    template: str  # gov2021 | gov2019 | pre2019
    sec2_variant: str | None
    sec3_variant: str | None
    region: Mapping[str, Any] | None = None
    stat_period: str | None = None
    # the document's address as the saved page's header gives it (原始链接：…)
    document_url: str | None = None
    # where title, org_name, report_year and document_url were read: "header:标题", "header:发布机构",
    # "title" (the title line), "title_hint" (the page's title tag), "body", "stat_period", …
    meta_from: Mapping[str, Any] | None = None
    # the header fields of a saved page (标题, 发布时间, 发布机构, 来源, 原始链接, …) as printed
    page_header: Mapping[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        for key in ("region", "meta_from", "page_header"):
            if getattr(self, key) is not None:
                d[key] = dict(getattr(self, key))
        return d


@dataclass(frozen=True, slots=True)
class Record:
    document: DocumentInfo
    report: ReportInfo
    cells: Mapping[str, CellValue]
    checks: tuple[Check, ...]
    narrative: Mapping[str, Figure] = field(default_factory=dict)
    sections: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    parser_version: str = PARSER_VERSION

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "report": self.report.to_dict(),
            "cells": {k: v.to_dict() for k, v in self.cells.items()},
            "checks": [c.to_dict() for c in self.checks],
            "narrative": {k: v.to_dict() for k, v in self.narrative.items()},
            "sections": dict(self.sections),
            "warnings": list(self.warnings),
            "parser_version": self.parser_version,
        }

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)


class ParseError(Exception):
    """A document that cannot be turned into a record. ``str(err)`` is the one line users see."""

    def __init__(self, message: str, kind: str = "error"):
        super().__init__(message)
        self.kind = kind  # empty | corrupt | encrypted | too_large | unsupported | not_report | no_text | timeout
