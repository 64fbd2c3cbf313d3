"""A sample report's three statistics tables as printed grids, and the report in reading order.

:func:`report_tables` lays the tables of a :class:`~gongkai.samples.model.SampleReport` out as
grids of cells with rowspan/colspan exactly like real reports (the TRS pages of www.pingtan.gov.cn,
the Word tables of seed 004, the WPS export of 洪泽区); every renderer draws these grids (through
:func:`blocks`), so all formats of one report agree on every label and value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from pipeline import template as templates

from .model import LabelStyle, SampleReport


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    kind: str = "label"  # label | header | value | caption
    key: str | None = None  # the cell key of a value cell
    role: str = ""  # what the label is: group, sub, row, col, article, note (for wrapping widths)


@dataclass(frozen=True, slots=True)
class Grid:
    """One printed table: cells placed on a grid of ``n_rows`` × ``n_cols``."""

    name: str  # sec2 | sec3 | sec4
    n_rows: int
    n_cols: int
    cells: tuple[GridCell, ...]
    header_rows: int = 0  # rows repeated when a table continues on a new page

    def rows(self) -> Iterator[tuple[int, tuple[GridCell, ...]]]:
        by_row: dict[int, list[GridCell]] = {}
        for c in self.cells:
            by_row.setdefault(c.row, []).append(c)
        for r in range(self.n_rows):
            yield r, tuple(sorted(by_row.get(r, ()), key=lambda c: c.col))

    def owner_map(self) -> dict[tuple[int, int], GridCell]:
        """Grid position → the cell covering it."""
        out = {}
        for c in self.cells:
            for r in range(c.row, c.row + c.rowspan):
                for k in range(c.col, c.col + c.colspan):
                    out[(r, k)] = c
        return out


class _GridBuilder:
    def __init__(self, name: str, n_cols: int):
        self.name, self.n_cols = name, n_cols
        self.cells: list[GridCell] = []
        self.row = 0

    def add(self, text, col, rowspan=1, colspan=1, kind="label", key=None, role=""):
        self.cells.append(GridCell(text, self.row, col, rowspan, colspan, kind, key, role))

    def next_row(self):
        self.row += 1

    def build(self, header_rows=0) -> Grid:
        return Grid(self.name, self.row, self.n_cols, tuple(self.cells), header_rows)


_NUMERALS = "一二三四五六七八九"


def bracket(style: LabelStyle, n: int) -> str:
    numeral = _NUMERALS[n - 1]
    if style.brackets == "half":
        return f"({numeral})"
    if style.brackets == "half_space":
        return f"({numeral}) "
    return f"（{numeral}）"


def _strip_bracket(label: str) -> str:
    return label.split("）", 1)[1] if label.startswith("（") else label


def _numbered(style: LabelStyle, label: str, keywords: tuple[str, ...]) -> str:
    """A numbered sub-row label ("1.属于国家秘密") in the report's style, truncated if it says so."""
    number, _, text = label.partition(".")
    if style.truncate:
        text = _truncate(text, style.truncate, keywords)
    return f"{number}.{' ' if style.number_space else ''}{text}"


def _truncate(text: str, width: int, keywords: tuple[str, ...]) -> str:
    """Cut ``text`` to ``width`` characters, or to the shortest prefix still holding a keyword."""
    for n in range(width, len(text) + 1):
        if any(k in text[:n] for k in keywords) or n == len(text):
            return text[:n]
    return text


def _row_label(style: LabelStyle, row: templates.RowDef) -> str:
    label = row.label
    if row.row_key == "new_received":
        return style.new_received_label
    if row.row_key == "carried_over":
        return style.carried_over_label
    if label.startswith("（"):  # （一）予以公开, （二）部分公开…, （六）其他处理, （七）总计
        n = _NUMERALS.index(label[1]) + 1
        text = _strip_bracket(label)
        if style.truncate and row.row_key == "partially_granted":
            text = _truncate(text, style.truncate, row.keywords)
        return bracket(style, n) + text
    if label[:1].isdigit():
        return _numbered(style, label, row.keywords)
    return label


_GROUPS = {"（三）不予公开": 3, "（四）无法提供": 4, "（五）不予处理": 5, "（六）其他处理": 6}
SEC3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
COL_LABELS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
SHORT_COL_LABELS = ("自然人", "商业", "科研", "社会", "法律服", "其他", "总计")


def sec3_grid(report: SampleReport) -> Grid:
    """Section 三 as printed: 3 label columns + 7 value columns (pingtan_80629, seed 004 DOCX)."""
    style, d = report.label_style, report.definition
    cols = [c.col_key for c in d.cols]
    col_labels = SHORT_COL_LABELS if style.short_headers else COL_LABELS
    note = SEC3_NOTE if style.brackets == "full" else SEC3_NOTE.replace("（", "(").replace("）", ")")
    g = _GridBuilder("sec3", 10)
    g.add(note, 0, rowspan=3, colspan=3, kind="header", role="note")
    g.add("申请人情况", 3, colspan=7, kind="header", role="colgroup")
    g.next_row()
    g.add(col_labels[0], 3, rowspan=2, kind="header", role="col")
    g.add("法人或其他组织", 4, colspan=5, kind="header", role="colgroup")
    g.add(col_labels[6], 9, rowspan=2, kind="header", role="col")
    g.next_row()
    for i in range(1, 6):
        g.add(col_labels[i], 3 + i, kind="header", role="col")
    g.next_row()
    rows = d.rows
    results = [r for r in rows if r.group is not None]  # every row inside 三、本年度办理结果
    first_result = True
    group_started: set[str] = set()
    for row in rows:
        label = _row_label(style, row)
        if row.group is None:
            g.add(label, 0, colspan=3, role="row")
        else:
            if first_result:
                g.add("三、本年度办理结果", 0, rowspan=len(results), role="group")
                first_result = False
            if row.group in _GROUPS:
                if row.group not in group_started:
                    size = sum(1 for r in rows if r.group == row.group)
                    n = _GROUPS[row.group]
                    g.add(bracket(style, n) + _strip_bracket(row.group), 1, rowspan=size, role="group")
                    group_started.add(row.group)
                g.add(label, 2, role="sub")
            else:
                g.add(label, 1, colspan=2, role="row")
        for i, col in enumerate(cols):
            key = f"s3_{row.row_key}__{col}"
            g.add(report.printed(key), 3 + i, kind="value", key=key)
        g.next_row()
    return g.build(header_rows=3)


S4_GROUPS = (("review", "行政复议"), ("lit_direct", "未经复议直接起诉"), ("lit_after_review", "复议后起诉"))
S4_COLS = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)


def sec4_grid(report: SampleReport) -> Grid:
    """Section 四: 行政复议 (5) | 行政诉讼 → 未经复议直接起诉 (5) | 复议后起诉 (5), one data row."""
    g = _GridBuilder("sec4", 15)
    g.add("行政复议", 0, colspan=5, kind="header", role="colgroup")
    g.add("行政诉讼", 5, colspan=10, kind="header", role="colgroup")
    g.next_row()
    for i, (_, label) in enumerate(S4_COLS):
        g.add(label, i, rowspan=2, kind="header", role="col")
    g.add("未经复议直接起诉", 5, colspan=5, kind="header", role="colgroup")
    g.add("复议后起诉", 10, colspan=5, kind="header", role="colgroup")
    g.next_row()
    for base in (5, 10):
        for i, (_, label) in enumerate(S4_COLS):
            g.add(label, base + i, kind="header", role="col")
    g.next_row()
    for gi, (group, _) in enumerate(S4_GROUPS):
        for i, (col, _) in enumerate(S4_COLS):
            key = f"s4_{group}_{col}"
            g.add(report.printed(key), gi * 5 + i, kind="value", key=key)
    g.next_row()
    return g.build(header_rows=3)


def _article(style: LabelStyle, n: int) -> str:
    numeral = _NUMERALS[n - 1]
    return f"第二十条第({numeral})项" if style.halfwidth_article else f"第二十条第（{numeral}）项"


def sec2_grid(report: SampleReport) -> Grid:
    """Section 二: four (2021) or five (2019) sub-tables stacked in one 4-column table."""
    style = report.label_style
    g = _GridBuilder("sec2", 4)

    def caption(n):
        g.add(_article(style, n), 0, colspan=4, kind="caption", role="article")
        g.next_row()

    def header(labels):
        g.add("信息内容", 0, kind="header", role="col")
        span = 3 // len(labels) if len(labels) in (1, 3) else None
        if span:
            for i, label in enumerate(labels):
                g.add(label, 1 + i * span, colspan=span, kind="header", role="col")
        else:  # two value columns: the second spans two grid columns (pingtan_80576)
            g.add(labels[0], 1, kind="header", role="col")
            g.add(labels[1], 2, colspan=2, kind="header", role="col")
        g.next_row()

    def data(label, keys):
        g.add(label, 0, role="row")
        n = len(keys)
        if n == 3:
            spans = [(1, 1), (2, 1), (3, 1)]
        elif n == 1:
            spans = [(1, 3)]
        else:
            spans = [(1, 1), (2, 2)]
        for key, (col, span) in zip(keys, spans):
            g.add(report.printed(key), col, colspan=span, kind="value", key=key)
        g.next_row()

    if report.sec2_variant == "gov2021":
        caption(1)
        header(("本年制发件数", "本年废止件数", "现行有效件数"))
        data("规章", ("s2_regulation_issued", "s2_regulation_repealed", "s2_regulation_in_force"))
        data("行政规范性文件", ("s2_normative_doc_issued", "s2_normative_doc_repealed", "s2_normative_doc_in_force"))
        caption(5)
        header((style.decision_header,))
        data("行政许可", ("s2_license_decisions",))
        caption(6)
        header((style.decision_header,))
        data("行政处罚", ("s2_penalty_decisions",))
        data("行政强制", ("s2_coercion_decisions",))
        caption(8)
        header((style.fee_header,))
        data("行政事业性收费", ("s2_fee_amount_wan_yuan",))
    else:
        three = ("上一年项目数量", "本年增/减", "处理决定数量")
        caption(1)
        header(("本年新制作数量", "本年新公开数量", "对外公开总数量"))
        data("规章", ("s2_regulation_new_made", "s2_regulation_new_published", "s2_regulation_total_published"))
        data(
            "规范性文件",
            ("s2_normative_doc_new_made", "s2_normative_doc_new_published", "s2_normative_doc_total_published"),
        )
        caption(5)
        header(three)
        data("行政许可", ("s2_license_prev_year_items", "s2_license_change", "s2_license_decisions"))
        data(
            "其他对外管理服务事项",
            (
                "s2_other_mgmt_service_prev_year_items",
                "s2_other_mgmt_service_change",
                "s2_other_mgmt_service_decisions",
            ),
        )
        caption(6)
        header(three)
        data("行政处罚", ("s2_penalty_prev_year_items", "s2_penalty_change", "s2_penalty_decisions"))
        data("行政强制", ("s2_coercion_prev_year_items", "s2_coercion_change", "s2_coercion_decisions"))
        caption(8)
        header(("上一年项目数量", "本年增/减"))
        data("行政事业性收费", ("s2_fee_prev_year_items", "s2_fee_change"))
        caption(9)
        header(("采购项目数量", "采购总金额"))
        data("政府集中采购", ("s2_procurement_items", "s2_procurement_amount"))
    return g.build(header_rows=0)


def report_tables(report: SampleReport) -> tuple[Grid, Grid, Grid]:
    """The three tables of a report (sections 二, 三, 四) as printed grids."""
    return sec2_grid(report), sec3_grid(report), sec4_grid(report)


SECTION_HEADINGS = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)


def blocks(report: SampleReport) -> Iterator[tuple[str, object]]:
    """The report in reading order: ("title", line), ("para", text), ("heading", text),
    ("subheading", text), ("table", Grid). Renderers walk this."""
    for line in report.title_lines:
        yield "title", line
    for p in report.sections.preamble.split("\n"):
        if p:
            yield "para", p
    sec2, sec3, sec4 = report_tables(report)
    body = {0: report.sections.sec1_overview, 4: report.sections.sec5_problems, 5: report.sections.sec6_other}
    tables = {1: sec2, 2: sec3, 3: sec4}
    for i, heading in enumerate(SECTION_HEADINGS):
        yield "heading", heading
        if i in tables:
            yield "table", tables[i]
            continue
        for p in body[i].split("\n"):
            if not p:
                continue
            yield ("subheading" if _is_subheading(p) else "para"), p


def _is_subheading(p: str) -> bool:
    return len(p) <= 24 and p[:1] in "（(" and not p.endswith("。")
