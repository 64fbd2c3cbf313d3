"""A sample report as a crawler saves a report page as text (the 三明市 files of issue 18).

- a ``key：value`` header above the body (标题：, 发布时间：, 发布机构：, 来源：, 原始链接：, …, 正文：);
- CRLF line ends;
- the opening paragraph enumerates the six parts, each part's name on a line of its own between
  lines holding "、" (how an HTML-to-text tool prints names that were links or spans);
- headings printed whole ("二、主动公开政府信息情况") or as "二、" and the name on the next line;
- every table cell on its own line — labels and values alike, no blank lines between rows, no
  tabs; a blank cell prints the report's blank mark "-" (a vanished cell would leave the row's
  positions unknowable, which no reader could get right);
- with ``break_numbers``, a share of the numbers of the tables printed in two pieces on consecutive
  lines ("1" then "62" for 162), or with ``max_pieces`` > 2 in up to that many ("1", "6", "2").
  The keys of the broken cells are returned so a test knows which rows a careful reader may have
  to leave missing.
"""

from __future__ import annotations

import random

from .grids import SECTION_HEADINGS, Grid, blocks
from .model import SampleReport
from .render_text import label_lines

_PARTS = tuple(h[2:] for h in SECTION_HEADINGS)


def render_saved_page(
    report: SampleReport, seed: int = 0, break_numbers: float = 0.0, max_pieces: int = 2
) -> tuple[str, frozenset[str]]:
    rng = random.Random(seed)
    title = "".join(t.strip() for t in report.title_lines)
    out = [
        f"标题：{title}",
        "发布时间：",
        "文号：",
        "发布机构：",
        "索引号：",
        "来源：政府信息公开办",
        "栏目：政府信息公开年报",
        f"原始链接：https://www.example.gov.cn/zfxxgk/ndbg/t{seed % 10**8:08d}.htm",
        "",
        "正文：",
    ]
    broken: set[str] = set()
    first_para = True
    for kind, item in blocks(report):
        if kind == "title":
            continue  # the page's title is the header's 标题
        if kind == "para" and first_para:
            out += _enumeration()
            first_para = False
            out.append(str(item))
        elif kind == "heading":
            text = str(item)
            out += [text[:2], text[2:]] if rng.random() < 0.5 else [text]
        elif kind in ("para", "subheading"):
            out.append(str(item))
        elif isinstance(item, Grid):
            out += _table(item, rng, break_numbers, broken, max_pieces)
    return "\r\n".join(out) + "\r\n", frozenset(broken)


def _enumeration() -> list[str]:
    """本报告由总体情况⏎、⏎主动公开政府信息情况⏎、⏎…其他需要报告的事项六部分组成。"""
    lines = ["本报告由" + _PARTS[0]]
    for part in _PARTS[1:-1]:
        lines += ["、", part]
    return lines + ["、", _PARTS[-1] + "六部分组成。"]


def _table(grid: Grid, rng: random.Random, break_numbers: float, broken: set[str], max_pieces: int) -> list[str]:
    lines: list[str] = []
    for _, cells in grid.rows():
        for cell in cells:
            if cell.kind != "value":
                lines += label_lines(grid, cell, False)
                continue
            text = cell.text or "-"
            if cell.key and len(text) >= 2 and text.isdigit() and rng.random() < break_numbers:
                lines += _pieces(text, rng, max_pieces)
                broken.add(cell.key)
            else:
                lines.append(text)
    return lines


def _pieces(text: str, rng: random.Random, max_pieces: int) -> list[str]:
    if max_pieces <= 2:
        cut = rng.randrange(1, len(text))
        return [text[:cut], text[cut:]]
    n = rng.randint(2, min(max_pieces, len(text)))
    cuts = [0, *sorted(rng.sample(range(1, len(text)), n - 1)), len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:])]
