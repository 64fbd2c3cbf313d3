"""Synthetic report PDFs for the PDF tests, drawn with reportlab.

``gov_report`` draws a gov2021-style annual report (title, running text, the section 二 / 三 / 四
tables with their merged cells) in one of three table styles: ``lines`` (Word: LTLine borders),
``rects`` (WPS: hairline filled rectangles over white cell backgrounds) or ``borderless``. Options
break section 三 across two pages (with or without a repeated header), narrow the value columns
so that long numbers wrap inside their cells, and draw headings twice (fake bold). It returns
the PDF bytes and the printed text of every value cell by cell key.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas as rl_canvas

from pipeline import template

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

LEFT, RIGHT, TOP, BOTTOM = 70.0, 525.0, 780.0, 70.0


def _width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


def wrap(text: str, width: float, size: float) -> list[str]:
    lines, cur = [], ""
    for ch in text:
        if cur and _width(cur + ch, size) > width:
            lines.append(cur)
            cur = ch
        else:
            cur += ch
    if cur:
        lines.append(cur)
    return lines or [""]


@dataclass
class TCell:
    r: int
    c: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    align: str = "center"


@dataclass
class TSpec:
    widths: list[float]
    cells: list[TCell]
    header_rows: int = 0
    size: float = 9.0
    pad: float = 2.0

    @property
    def nrows(self) -> int:
        return max(c.r + c.rowspan for c in self.cells)


@dataclass
class Doc:
    style: str = "lines"  # lines | rects | borderless
    fake_bold: bool = False
    page_numbers: str = "- {n} -"
    watermark: str = ""
    rotate: int = 0  # /Rotate of every page: the text then runs sideways on screen
    buf: io.BytesIO = field(default_factory=io.BytesIO)

    def __post_init__(self):
        self.c = rl_canvas.Canvas(self.buf, pagesize=A4)
        self.page = 1
        self.y = TOP

    # -- pages and text ------------------------------------------------------------------
    def new_page(self) -> None:
        if self.rotate:
            self.c.setPageRotation(self.rotate)
        if self.watermark:
            self.c.saveState()
            self.c.setFillColorRGB(0.85, 0.85, 0.85)
            self.c.setFont(FONT, 60)
            self.c.translate(300, 420)
            self.c.rotate(40)
            self.c.drawCentredString(0, 0, self.watermark)
            self.c.restoreState()
        if self.page_numbers:
            text = self.page_numbers.format(n=self.page)
            self.c.setFont(FONT, 10.5)
            self.c.drawCentredString((LEFT + RIGHT) / 2, 40, text)
        self.c.showPage()
        self.page += 1
        self.y = TOP

    def _draw(self, x: float, y: float, text: str, size: float, bold: bool = False) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, y, text)
        if bold and self.fake_bold:
            self.c.drawString(x + 0.3, y + 0.15, text)

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM:
            self.new_page()

    def heading(self, text: str, size: float = 14, center: bool = False) -> None:
        self.need(size * 1.8)
        self.y -= size * 1.6
        x = (LEFT + RIGHT - _width(text, size)) / 2 if center else LEFT + 24
        self._draw(x, self.y, text, size, bold=True)

    def paragraph(self, text: str, size: float = 12) -> None:
        for i, line in enumerate(wrap(text, RIGHT - LEFT - (24 if True else 0), size)):
            self.need(size * 1.7)
            self.y -= size * 1.6
            self._draw(LEFT + (24 if i == 0 else 0), self.y, line, size)

    def finish(self) -> bytes:
        self.new_page()
        self.c.save()
        return self.buf.getvalue()

    # -- tables ------------------------------------------------------------------------
    def table(self, spec: TSpec, *, break_before: int | None = None, repeat_header: bool = False) -> None:
        xs = [LEFT]
        for w in spec.widths:
            xs.append(xs[-1] + w)
        lead = spec.size * 1.25
        lines = {
            id(cell): wrap(cell.text, xs[cell.c + cell.colspan] - xs[cell.c] - 2 * spec.pad, spec.size)
            for cell in spec.cells
        }
        heights = [spec.size * 1.9] * spec.nrows
        for cell in spec.cells:
            if cell.rowspan == 1:
                heights[cell.r] = max(heights[cell.r], len(lines[id(cell)]) * lead + 2 * spec.pad + 2)
        for cell in spec.cells:
            if cell.rowspan > 1:
                need = len(lines[id(cell)]) * lead + 2 * spec.pad + 2
                have = sum(heights[cell.r : cell.r + cell.rowspan])
                if have < need:
                    heights[cell.r + cell.rowspan - 1] += need - have
        # place rows on pages: (row, page, top, bottom, repeated)
        placed: list[tuple[int, int, float, float, bool]] = []
        page, y = self.page, self.y - 8
        for r in range(spec.nrows):
            if (r == break_before) or y - heights[r] < BOTTOM:
                page += 1
                y = TOP
                if repeat_header:
                    for h in range(spec.header_rows):
                        placed.append((h, page, y, y - heights[h], True))
                        y -= heights[h]
            placed.append((r, page, y, y - heights[r], False))
            y -= heights[r]
        pages = sorted({p for _, p, *_ in placed})
        for pg in pages:
            if pg != self.page:
                self.new_page()
            here = [p for p in placed if p[1] == pg]
            for repeated in (False, True):
                rows = {p[0]: p for p in here if p[4] == repeated}
                if rows:
                    self._draw_part(spec, xs, lines, rows, lead)
        self.y = placed[-1][3] - 6

    def _draw_part(self, spec: TSpec, xs, lines, rows, lead) -> None:
        c = self.c
        for cell in spec.cells:
            span = [rows[r] for r in range(cell.r, cell.r + cell.rowspan) if r in rows]
            if not span:
                continue
            x0, x1 = xs[cell.c], xs[cell.c + cell.colspan]
            top, bottom = max(p[2] for p in span), min(p[3] for p in span)
            if self.style == "rects":
                c.setFillColorRGB(1, 1, 1)
                c.rect(x0 + 0.3, bottom + 0.3, x1 - x0 - 0.6, top - bottom - 0.6, stroke=0, fill=1)
                c.setFillColorRGB(0, 0, 0)
                t = 0.5
                for rx, ry, rw, rh in (
                    (x0, top - t / 2, x1 - x0, t),
                    (x0, bottom - t / 2, x1 - x0, t),
                    (x0 - t / 2, bottom, t, top - bottom),
                    (x1 - t / 2, bottom, t, top - bottom),
                ):
                    c.rect(rx, ry, rw, rh, stroke=0, fill=1)
            elif self.style == "lines":
                c.setLineWidth(0.5)
                c.line(x0, top, x1, top)
                c.line(x0, bottom, x1, bottom)
                c.line(x0, bottom, x0, top)
                c.line(x1, bottom, x1, top)
            if cell.r not in rows:
                continue  # the rest of a merged cell cut by the page break: no text
            text_lines = lines[id(cell)]
            block = len(text_lines) * lead
            mid = (top + bottom) / 2
            y = mid + block / 2 - spec.size * 0.95
            for ln in text_lines:
                if cell.align == "left":
                    x = x0 + spec.pad
                else:
                    x = (x0 + x1 - _width(ln, spec.size)) / 2
                self._draw(x, y, ln, spec.size, bold=False)
                y -= lead


# ---------------------------------------------------------------------------------------------
# the report

ORG = "测试市示范区人民政府"
S2_ROWS = [
    (
        "第二十条第（一）项",
        ["本年制发件数", "本年废止件数", "现行有效件数"],
        [
            ("规章", ["s2_regulation_issued", "s2_regulation_repealed", "s2_regulation_in_force"]),
            ("行政规范性文件", ["s2_normative_doc_issued", "s2_normative_doc_repealed", "s2_normative_doc_in_force"]),
        ],
    ),
    ("第二十条第（五）项", ["本年处理决定数量"], [("行政许可", ["s2_license_decisions"])]),
    (
        "第二十条第（六）项",
        ["本年处理决定数量"],
        [("行政处罚", ["s2_penalty_decisions"]), ("行政强制", ["s2_coercion_decisions"])],
    ),
    ("第二十条第（八）项", ["本年收费金额（单位：万元）"], [("行政事业性收费", ["s2_fee_amount_wan_yuan"])]),
]
S4_GROUPS = ["review", "lit_direct", "lit_after_review"]
S4_COLS = ["upheld", "corrected", "other", "pending", "total"]
S4_LABELS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def report_values(seed: int = 7, big: bool = False) -> dict[str, str]:
    """Consistent values for every gov2021 cell, as printed text."""
    rnd = random.Random(seed)
    tpl = template.get("gov2021")
    cols = [c.col_key for c in tpl.cols]
    parts = cols[:-1]
    result_rows = [r.row_key for r in tpl.rows[2:23]]
    v: dict[str, int] = {}
    hi = 30000 if big else 60
    for row in result_rows:
        for col in parts:
            v[f"s3_{row}__{col}"] = rnd.choice([0, 0, rnd.randint(1, 9), rnd.randint(10, hi)])
    for col in parts:
        v[f"s3_results_total__{col}"] = sum(v[f"s3_{r}__{col}"] for r in result_rows)
        v[f"s3_carried_forward__{col}"] = rnd.randint(0, 12)
        v[f"s3_carried_over__{col}"] = rnd.randint(
            0, min(9, v[f"s3_results_total__{col}"] + v[f"s3_carried_forward__{col}"])
        )
        v[f"s3_new_received__{col}"] = (
            v[f"s3_results_total__{col}"] + v[f"s3_carried_forward__{col}"] - v[f"s3_carried_over__{col}"]
        )
    for r in tpl.rows:
        v[f"s3_{r.row_key}__total"] = sum(v[f"s3_{r.row_key}__{c}"] for c in parts)
    for g in S4_GROUPS:
        for col in S4_COLS[:-1]:
            v[f"s4_{g}_{col}"] = rnd.randint(0, 12)
        v[f"s4_{g}_total"] = sum(v[f"s4_{g}_{c}"] for c in S4_COLS[:-1])
    out = {k: str(x) for k, x in v.items()}
    for key in (
        "s2_regulation_issued",
        "s2_regulation_repealed",
        "s2_regulation_in_force",
        "s2_normative_doc_issued",
        "s2_normative_doc_repealed",
        "s2_normative_doc_in_force",
        "s2_license_decisions",
        "s2_penalty_decisions",
        "s2_coercion_decisions",
    ):
        out[key] = str(rnd.choice([0, rnd.randint(1, 99), rnd.randint(100, 99999 if big else 9999)]))
    out["s2_fee_amount_wan_yuan"] = f"{rnd.randint(0, 999)}.{rnd.randint(10, 99)}"
    return out


def s2_spec(values: dict[str, str]) -> TSpec:
    cells, r = [], 0
    for caption, heads, rows in S2_ROWS:
        cells.append(TCell(r, 0, caption, colspan=4))
        r += 1
        cells.append(TCell(r, 0, "信息内容"))
        if len(heads) == 3:
            cells.extend(TCell(r, 1 + i, h) for i, h in enumerate(heads))
        else:
            cells.append(TCell(r, 1, heads[0], colspan=3))
        r += 1
        for label, keys in rows:
            cells.append(TCell(r, 0, label))
            if len(keys) == 3:
                cells.extend(TCell(r, 1 + i, values[k]) for i, k in enumerate(keys))
            else:
                cells.append(TCell(r, 1, values[keys[0]], colspan=3))
            r += 1
    return TSpec([155, 100, 100, 100], cells, header_rows=0, size=10)


def s3_spec(values: dict[str, str], value_width: float = 33.0) -> TSpec:
    tpl = template.get("gov2021")
    cols = [c.col_key for c in tpl.cols]
    label_w = 455 - 7 * value_width
    widths = [26, 62, label_w - 88] + [value_width] * 7
    cells = [
        TCell(0, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", rowspan=3, colspan=3),
        TCell(0, 3, "申请人情况", colspan=7),
        TCell(1, 3, "自然人", rowspan=2),
        TCell(1, 4, "法人或其他组织", colspan=5),
        TCell(1, 9, "总计", rowspan=2),
    ]
    cells.extend(
        TCell(2, 4 + i, t) for i, t in enumerate(["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    )
    groups = {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    r = 3
    seen_groups = set()
    for i, row in enumerate(tpl.rows):
        if row.group is None:
            cells.append(TCell(r, 0, row.label, colspan=3, align="left"))
        else:
            if row.group == "三、本年度办理结果" and "三" not in seen_groups:
                cells.append(TCell(r, 0, "三、本年度办理结果", rowspan=22))
                seen_groups.add("三")
            if row.group in groups:
                if row.group not in seen_groups:
                    cells.append(TCell(r, 1, row.group, rowspan=groups[row.group]))
                    seen_groups.add(row.group)
                cells.append(TCell(r, 2, row.label, align="left"))
            else:
                cells.append(TCell(r, 1, row.label, colspan=2, align="left"))
        for j, col in enumerate(cols):
            cells.append(TCell(r, 3 + j, values[f"s3_{row.row_key}__{col}"]))
        r += 1
    return TSpec(widths, cells, header_rows=3, size=9)


def s4_spec(values: dict[str, str]) -> TSpec:
    cells = [TCell(0, 0, "行政复议", colspan=5), TCell(0, 5, "行政诉讼", colspan=10)]
    cells.extend(TCell(1, i, S4_LABELS[i], rowspan=2) for i in range(5))
    cells += [TCell(1, 5, "未经复议直接起诉", colspan=5), TCell(1, 10, "复议后起诉", colspan=5)]
    cells.extend(TCell(2, 5 + i, S4_LABELS[i % 5]) for i in range(10))
    for gi, g in enumerate(S4_GROUPS):
        for ci, col in enumerate(S4_COLS):
            cells.append(TCell(3, gi * 5 + ci, values[f"s4_{g}_{col}"]))
    return TSpec([30.0] * 15, cells, header_rows=3, size=9)


def gov_report(
    *,
    style: str = "lines",
    values: dict[str, str] | None = None,
    split_at: int | None = None,
    repeat_header: bool = False,
    value_width: float = 33.0,
    fake_bold: bool = False,
    page_numbers: str = "- {n} -",
    watermark: str = "",
    rotate: int = 0,
    seed: int = 7,
) -> tuple[bytes, dict[str, str]]:
    """A whole report as PDF bytes, and the printed text of its value cells by cell key.

    ``split_at``: the section 三 row (0 = its first header row) that starts a new page.
    """
    values = values or report_values(seed)
    doc = Doc(style=style, fake_bold=fake_bold, page_numbers=page_numbers, watermark=watermark, rotate=rotate)
    doc.heading(ORG, size=18, center=True)
    doc.heading("2024年政府信息公开工作年度报告", size=18, center=True)
    doc.paragraph(
        "本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据统计期限自2024年1月1日起至2024年12月31日止。"
    )
    doc.heading("一、总体情况")
    doc.paragraph("（一）主动公开情况。本年度主动公开政府信息1656条，其中政府网站公开1240条，政务微信公开416条。")
    doc.paragraph("（二）依申请公开情况。全年共收到政府信息公开申请，均已在法定期限内予以答复。")
    doc.heading("二、主动公开政府信息情况")
    doc.table(s2_spec(values))
    doc.heading("三、收到和处理政府信息公开申请情况")
    doc.table(s3_spec(values, value_width), break_before=split_at, repeat_header=repeat_header)
    doc.heading("四、政府信息公开行政复议、行政诉讼情况")
    doc.table(s4_spec(values))
    doc.heading("五、存在的主要问题及改进情况")
    doc.paragraph("个别部门对复杂申请的研判能力不足，答复文书规范性有待提升。下一步将加强业务培训。")
    doc.heading("六、其他需要报告的事项")
    doc.paragraph("本年度未收取信息处理费。")
    return doc.finish(), values


def ruled_table_pdf(values: dict[str, str] | None = None, seed: int = 3) -> tuple[bytes, dict[str, str]]:
    """One page: a heading and the section 三 table, ruled (for the OCR tests)."""
    values = values or report_values(seed)
    doc = Doc(style="lines")
    doc.heading("三、收到和处理政府信息公开申请情况")
    doc.table(s3_spec(values))
    return doc.finish(), values
