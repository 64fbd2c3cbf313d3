"""Section 二 (主动公开政府信息情况): the 第二十条 sub-tables, 10 cells (gov2021) or 22 (gov2019)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from .. import template as tpl
from ..layout import Line
from ..normalize import squash
from ..record import MISSING, CellValue
from ..scan.suspect import NEARER_NEXT
from .sec3 import _cell
from .splits import Reading, joined_note, settle, stream_readings, unplaced
from .tokens import NUM, Tok, drops_printed_blank, latest_match, segments, trim_values

MARKERS = {
    "gov2021": (
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
        "本年处理决定数量",
        "本年度处理决定数量",
        "本年收费金额",
        "本年增收费金额",
    ),
    "gov2019": (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "本年增/减",
        "本年增减",
        "政府集中采购",
        "采购总金额",
        "采购项目数量",
        "其他对外管理服务事项",
        "第二十条第(九)项",
    ),
}
# row label → the row's key stem (longest labels first so 行政规范性文件 beats 规范性文件)
ROW_LABELS = (
    ("其他对外管理服务事项", "other_mgmt_service"),
    ("行政规范性文件", "normative_doc"),
    ("规范性文件", "normative_doc"),
    ("行政事业性收费", "fee"),
    ("政府集中采购", "procurement"),
    ("行政许可", "license"),
    ("行政处罚", "penalty"),
    ("行政强制", "coercion"),
    ("规章", "regulation"),
)


def _centre(tok: Tok) -> tuple[Any, float] | None:
    loc = tok.locator or {}
    box = loc.get("bbox")
    if not box or len(box) != 4:
        return None
    return loc.get("page"), (float(box[1]) + float(box[3])) / 2


def _nearer_next_label(value: Tok, own: Sequence[Tok], following: Sequence[Tok] | None) -> bool:
    """An OCR'd value closer (vertically, on the same page) to the next row's label than to its own."""
    if value.confidence is None or not own or not following:
        return False
    v, a, b = _centre(value), _centre(own[-1]), _centre(following[0])
    if v is None or a is None or b is None or not (v[0] == a[0] == b[0]):
        return False
    return abs(v[1] - b[1]) < abs(v[1] - a[1])


@dataclass
class Sec2Result:
    variant: str | None
    cells: dict[str, CellValue]
    warnings: list[str] = field(default_factory=list)
    found_rows: int = 0


def detect(lines: Sequence[Line]) -> str | None:
    text = squash(" ".join(line.text for line in lines))
    counts = {t: sum(1 for m in ms if m in text) for t, ms in MARKERS.items()}
    if counts["gov2021"] == counts["gov2019"]:
        return None
    return max(counts, key=counts.get)  # type: ignore[arg-type]


def _row_stem(label: str) -> str | None:
    return latest_match(label, ((stem, word) for word, stem in ROW_LABELS))[0]


def _row_keys(template: tpl.Template) -> dict[str, list[str]]:
    rows: dict[str, list[str]] = {}
    for c in template.cells:
        if c.section != 2:
            continue
        for word, stem in ROW_LABELS:
            if c.row_label == word:
                rows.setdefault(stem, []).append(c.key)
                break
    return rows


def parse(lines: Sequence[Line], variant: str | None) -> Sec2Result:
    warnings: list[str] = []
    template = tpl.get(variant or "gov2021")
    keys_by_row = _row_keys(template)
    cells: dict[str, CellValue] = {}
    found = 0
    segs = segments(lines)
    for n, seg in enumerate(segs):
        stem = _row_stem(seg.label) if seg.labels else None
        if stem is None or stem not in keys_by_row:
            continue
        keys = keys_by_row[stem]
        if any(k in cells for k in keys):
            continue
        vals = trim_values(seg.values, len(keys))
        if seg.one_per_line and unplaced(seg.values, vals, len(keys)):
            # more cells than columns, one per line: a number may be broken across lines
            chosen = settle(stream_readings(seg.values, vals, len(keys)), keys, template)
            if chosen is None:
                warnings.append(
                    f"s2 row {stem} prints {len(seg.values)} cells for {len(keys)} columns and "
                    "no single reading of them; left missing"
                )
                for k in keys:
                    cells[k] = CellValue(None, MISSING, " ".join(t.raw for t in seg.values) or None)
                continue
            warnings += joined_note(f"s2 row {stem}", keys, chosen)
            vals = chosen
        row: Reading = vals
        if len(vals) != len(keys):
            nums = [t for t in vals if t.kind == NUM]
            if len(nums) == len(keys) and not (seg.one_per_line and drops_printed_blank(vals)):
                row = nums
            elif seg.one_per_line and 0 < len(vals) < len(keys):
                row = list(vals) + [None] * (len(keys) - len(vals))  # absent cells are the last ones
            else:
                warnings.append(f"s2 row {stem} prints {len(nums)} values for {len(keys)} columns; left missing")
                for k in keys:
                    cells[k] = CellValue(None, MISSING, " ".join(t.raw for t in nums) or None)
                continue
        found += 1
        # no rule ties section 二's rows: an OCR'd value taken by the label above it (a scan left
        # tilted) would be loaded as read, silently; the warning makes pipeline.scan flag it
        nxt = next((g for g in segs[n + 1 :] if g.labels), None)
        for k, t in zip(keys, row):
            cells[k] = _cell(t)
            if t is not None and _nearer_next_label(t, seg.labels, nxt.labels if nxt else None):
                warnings.append(f"{NEARER_NEXT} {k}")
            if t is not None and t.number is not None and t.number.unit:
                warnings.append(f"{k} printed with unit {t.number.unit}: {t.raw.strip()}")
    out = {k: cells.get(k) or CellValue(None, MISSING, None) for k in template.section_keys(2)}
    return Sec2Result(variant, out, warnings, found)
