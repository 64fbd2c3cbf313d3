"""A sample report as data.

:class:`SampleReport` holds what a generated report says (metadata, every cell value, the narrative
figures, the section texts) and how it is printed (label style, quirks); ``grids.py`` lays its
tables out as printed grids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from pipeline import template as templates

TEMPLATE_IDS = ("gov2021", "gov2019", "hybrid")
Value = int | float | None


@dataclass(frozen=True, slots=True)
class Region:
    adcode: str
    province: str
    city: str | None
    county: str | None

    def to_dict(self) -> dict:
        return {"province": self.province, "city": self.city, "county": self.county, "adcode": self.adcode}


@dataclass(frozen=True, slots=True)
class Narrative:
    """Figures stated in sentences of section 一 (None = the report states no such figure)."""

    n_active_disclosed_total: int | None
    n_applications_narr: int | None
    n_active_by_channel: tuple[tuple[str, int], ...] = ()
    n_license_items_narr: int | None = None
    n_responses_to_public: int | None = None
    fee_info_processing_yuan: int | None = None  # stated in section 六

    def figures(self) -> dict[str, int]:
        """The figures a parser is expected to find (§8 keys)."""
        out = {}
        if self.n_active_disclosed_total is not None:
            out["n_active_disclosed_total"] = self.n_active_disclosed_total
        if self.n_applications_narr is not None:
            out["n_applications_narr"] = self.n_applications_narr
        return out


@dataclass(frozen=True, slots=True)
class Sections:
    """Paragraph texts of sections 一, 五 and 六 (without their headings), plus the preamble.

    ``sec1_overview`` holds paragraphs; sub-headings such as ``（一）主动公开情况`` are paragraphs of
    their own. Paragraphs are separated by ``\\n``.
    """

    preamble: str
    sec1_overview: str
    sec5_problems: str
    sec6_other: str


@dataclass(frozen=True, slots=True)
class LabelStyle:
    """How labels are printed. Every choice is one seen in a real report (see docs/samples.md)."""

    brackets: str = "full"  # full （三） | half (三) | half_space "(三) " (seed 003)
    number_space: bool = False  # "1. 申请人" instead of "1.申请人" (seeds 002, 003)
    truncate: int | None = None  # sub-row labels cut to ~N characters (seed 002: 6 after "N. ")
    short_headers: bool = False  # 商业 / 科研 / 社会 / 法律服 (seed 002)
    decision_header: str = "本年处理决定数量"  # or 本年度处理决定数量 (seed 002)
    fee_header: str = "本年收费金额（单位：万元）"  # or 本年增收费金额（单位：万元） (seed 002)
    new_received_label: str = "一、本年新收政府信息公开申请数量"  # or …申请数 (seed 002)
    carried_over_label: str = "二、上年结转政府信息公开申请数量"
    halfwidth_article: bool = False  # 第二十条第(一)项 (seed 003)


@dataclass(frozen=True, slots=True)
class SampleReport:
    org_name: str
    title: str  # the whole title on one line
    report_year: int
    template: str  # gov2021 | gov2019 | hybrid (2021 section 二, 2019 section 三)
    region: Region
    cells: Mapping[str, Value]  # every cell key of the template; None = printed blank
    narrative: Narrative
    sections: Sections
    title_lines: tuple[str, ...] = ()  # how the title is printed (one or two lines)
    label_style: LabelStyle = field(default_factory=LabelStyle)
    quirks: frozenset[str] = frozenset()
    units: Mapping[str, str] = field(default_factory=dict)  # unit printed after a value (元 / 万元)
    publish_date: str = ""  # YYYY-MM-DD
    site: Mapping[str, str] = field(default_factory=dict)  # SiteName, SiteDomain, SiteIDCode, ColumnName

    def __post_init__(self):
        if self.template not in TEMPLATE_IDS:
            raise ValueError(f"unknown template {self.template!r}")
        keys = set(self.definition.keys)
        if set(self.cells) != keys:
            missing, extra = sorted(keys - set(self.cells)), sorted(set(self.cells) - keys)
            raise ValueError(f"cells do not match template {self.template}: missing {missing[:3]}, extra {extra[:3]}")
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))
        object.__setattr__(self, "units", MappingProxyType(dict(self.units)))
        object.__setattr__(self, "site", MappingProxyType(dict(self.site)))
        object.__setattr__(self, "quirks", frozenset(self.quirks))
        if not self.title_lines:
            object.__setattr__(self, "title_lines", (self.title,))

    @property
    def sec2_variant(self) -> str:
        return "gov2019" if self.template == "gov2019" else "gov2021"

    @property
    def sec3_variant(self) -> str:
        return "gov2021" if self.template == "gov2021" else "gov2019"

    @property
    def record_template(self) -> str:
        """The template a parser reports: a hybrid is a gov2021 report with a 2019 section 三."""
        return self.sec2_variant

    @property
    def definition(self) -> templates.Template:
        return template_of(self.template)

    def has(self, quirk: str) -> bool:
        return quirk in self.quirks

    def printed(self, key: str) -> str:
        """The text printed in the cell of ``key`` ("" when blank)."""
        return format_value(self.cells[key], self.units.get(key, ""))


def template_of(template_id: str) -> templates.Template:
    if template_id == "hybrid":
        return templates.hybrid("gov2021", "gov2019")
    return templates.get(template_id)


def format_value(value: Value, unit: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = repr(value) if not value.is_integer() else str(int(value))
    else:
        text = str(value)
    return text + unit
