"""A sample report as a whole article page of a government portal.

``style="trs"`` copies the TRS CMS article pages of www.pingtan.gov.cn (``pingtan_80629.html``):
meta tags (SiteName, SiteDomain, SiteIDCode, ColumnName, ArticleTitle, PubDate, ContentSource, Url),
a header with links, the article title and 来源/时间 line outside the content, the report inside
``div.TRS_Editor``, tables of class ``MsoNormalTable`` with Word's mso styles, every cell's text in
``<p class="p"><span><span>…</span><span>&nbsp;</span></span></p>``, wrapped labels split into one
``<p>`` per line ("三、本 / 年度办 / 理结果", pingtan_105587), blank cells as ``&nbsp;`` (上海市人民政府
办公厅 2019). ``style="plain"`` is a bare page with simple tables (``border="1"``, one ``<p>`` per
cell), like the 上海 fragment.

``encoding`` is what the bytes are; ``declared`` is what the page says it is (default: the same).
Real pages declare gb2312 while their bytes are GB18030: ask for ``encoding="gb18030",
declared="gb2312"``; such a page carries characters outside GB2312 (喆, 堃) in its contact line and
footer, so decoding it as GB2312 fails.

Quirks (also from ``report.quirks``): ``nbsp_padding`` (values followed by runs of ``&nbsp;``,
pingtan_80576), ``split_group`` (the 三、本年度办理结果 cell printed twice, each spanning half of the
rows, as Word leaves a table split over two pages, pingtan_80576), ``title_outside`` (the title only
in the page header, not in the content, as pingtan_80629), ``no_split_cells`` (one ``<p>`` per cell).
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from .grids import Grid, GridCell, blocks
from .model import SampleReport
from .render_text import label_lines

HTML_QUIRKS = frozenset({"nbsp_padding", "split_group", "title_outside", "no_split_cells"})
STYLES = ("trs", "plain")
_BORDER = (
    "border-left:1.0000pt solid windowtext;mso-border-left-alt:0.5000pt solid windowtext;"
    "border-right:1.0000pt solid windowtext;mso-border-right-alt:0.5000pt solid windowtext;"
    "border-top:1.0000pt solid windowtext;mso-border-top-alt:0.5000pt solid windowtext;"
    "border-bottom:1.0000pt solid windowtext;mso-border-bottom-alt:0.5000pt solid windowtext;"
)
_TABLE_STYLE = (
    "border-collapse:collapse;border:none;mso-border-left-alt:0.5000pt solid windowtext;"
    "mso-border-top-alt:0.5000pt solid windowtext;mso-border-right-alt:0.5000pt solid windowtext;"
    "mso-border-bottom-alt:0.5000pt solid windowtext;mso-border-insideh:0.5000pt solid windowtext;"
    "mso-border-insidev:0.5000pt solid windowtext;mso-padding-alt:0.0000pt 0.0000pt 0.0000pt 0.0000pt ;"
)
_WIDTHS = {"sec2": (164, 143, 143, 129), "sec3": (60, 60, 176, 34, 44, 49, 47, 47, 36, 40), "sec4": (38,) * 15}
_SPAN_FONT = "font-family: 仿宋_GB2312; letter-spacing: 0pt; font-size: 14pt;"


def render_html(
    report: SampleReport,
    *,
    encoding: str = "utf-8",
    declared: str | None = None,
    style: str = "trs",
    quirks: Iterable[str] = (),
) -> bytes:
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    if encoding.lower().replace("-", "") not in ("utf8", "gb18030"):
        raise ValueError(f"encoding must be utf-8 or gb18030, not {encoding!r}")
    declared = declared or encoding
    q = frozenset(quirks) | report.quirks
    gb = encoding.lower() == "gb18030"
    body = _content(report, q, style, gb)
    page = _trs_page(report, body, declared, gb) if style == "trs" else _plain_page(report, body, declared)
    return page.encode("gb18030" if gb else "utf-8")


def render_html_body(report: SampleReport, *, style: str = "trs", quirks: Iterable[str] = ()) -> str:
    """The report as the HTML that goes inside an article page's content container."""
    if style not in STYLES:
        raise ValueError(f"style must be one of {STYLES}, not {style!r}")
    return _content(report, frozenset(quirks) | report.quirks, style, False)


def article_page(report: SampleReport, body: str) -> bytes:
    """A TRS article page (UTF-8) around ``body``, the HTML of its content container."""
    return _trs_page(report, body, "utf-8", False).encode("utf-8")


def paragraph(text: str, center: bool = False) -> str:
    """One paragraph as TRS pages print it."""
    return _para(text, "trs", center)


def _meta_charset(declared: str) -> str:
    if declared.lower().replace("-", "") == "utf8":
        return '<meta charset="utf-8" name="viewport" content="width=device-width, initial-scale=1.0" />'
    return f'<meta http-equiv="Content-Type" content="text/html; charset={declared}" />'


def _para(text: str, style: str, center: bool = False) -> str:
    if style == "plain":
        return f"<p{' style=' + chr(39) + 'text-align: center;' + chr(39) if center else ''}>{escape(text)}</p>"
    if center:
        return (
            f'<p style="text-align: center;"><span style="font-size: 22px;"><strong>{escape(text)}</strong></span></p>'
        )
    return f'<p><span style="font-size: 16px;"><span style="white-space:pre">\t</span>{escape(text)}</span></p>'


def _content(report: SampleReport, q: frozenset[str], style: str, gb: bool) -> str:
    parts = []
    for kind, item in blocks(report):
        if kind == "title":
            if "title_outside" not in q:
                parts.append(_para(item, style, center=True))
        elif kind == "table":
            parts.append(_table(item, q, style))
        else:
            parts.append(_para(item, style))
            if kind == "para" and item == report.sections.preamble.split("\n")[-1] and style == "trs":
                parts.append(_para(_contact(report, gb), style))
    return "".join(parts)


def _contact(report: SampleReport, gb: bool) -> str:
    street = "喆园路" if gb else "人民路"
    place = report.region.county or report.region.city or ""
    return f"对本报告如有疑问，请与{report.org_name}办公室联系（地址：{place}{street}1号）。"


def _cells_of(grid: Grid, q: frozenset[str]) -> list[GridCell]:
    cells = list(grid.cells)
    if "split_group" in q and grid.name == "sec3":
        top = next((c for c in cells if c.role == "group" and c.col == 0), None)
        later = [c for c in cells if c.role == "group" and c.col == 1]
        if top and len(later) >= 2:
            cut = later[1].row  # where （四）无法提供 starts
            first = GridCell(top.text, top.row, 0, cut - top.row, 1, top.kind, None, top.role)
            second = GridCell(top.text, cut, 0, top.row + top.rowspan - cut, 1, top.kind, None, top.role)
            cells = [c for c in cells if c is not top] + [first, second]
    return cells


def _table(grid: Grid, q: frozenset[str], style: str) -> str:
    by_row: dict[int, list[GridCell]] = {}
    for c in _cells_of(grid, q):
        by_row.setdefault(c.row, []).append(c)
    widths = _WIDTHS[grid.name]
    if style == "plain":
        out = ['<table align="center" border="1" cellspacing="1"><tbody>']
    else:
        out = [f'<table class="MsoNormalTable" border="1" cellspacing="0" style="{_TABLE_STYLE}"><tbody>']
    for r in range(grid.n_rows):
        attrs = ' class="firstRow"' if r == 0 and style == "trs" else ""
        out.append(f'<tr style="height:28.9500pt;"{attrs}>' if style == "trs" else "<tr>")
        for c in sorted(by_row.get(r, ()), key=lambda c: c.col):
            out.append(_td(grid, c, q, style, sum(widths[c.col : c.col + c.colspan])))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _td(grid: Grid, c: GridCell, q: frozenset[str], style: str, width: int) -> str:
    span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (f' colspan="{c.colspan}"' if c.colspan > 1 else "")
    if c.kind == "value":
        lines = [c.text]
    elif "no_split_cells" in q or style == "plain":
        lines = [c.text]
    else:
        lines = label_lines(grid, c, True)
    if style == "plain":
        inner = "".join(f"<p>{escape(t) if t else '&nbsp;'}</p>" for t in lines)
        return f"<td{span}>{inner}</td>"
    ps = []
    for t in lines:
        if c.kind == "value":
            pad = "&nbsp;" * (1 + (c.row + c.col) % 7) if "nbsp_padding" in q else ""
            text = escape(t) if t else "&nbsp;"
            ps.append(
                f'<p class="p" style="margin: 0pt; text-align: center; line-height: 20pt;">'
                f'<span style="{_SPAN_FONT}">{text}</span><span style="{_SPAN_FONT}">{pad}</span></p>'
            )
        else:
            ps.append(
                f'<p class="p" style="margin: 0pt; text-align: center; line-height: 20pt;">'
                f'<span style="{_SPAN_FONT}"><span style="font-family:仿宋_GB2312">{escape(t)}</span>'
                f'<span style="font-family:仿宋_GB2312">&nbsp;</span></span><span style="{_SPAN_FONT}"></span></p>'
            )
    pt = round(width * 0.75, 4)
    return (
        f'<td width="{width}" valign="center"{span} style="width:{pt:.4f}pt;padding:0.0000pt 0.0000pt '
        f'0.0000pt 0.0000pt ;{_BORDER}">{"".join(ps)}</td>'
    )


def _trs_page(report: SampleReport, body: str, declared: str, gb: bool) -> str:
    site = report.site
    title = escape(report.title)
    column = escape(site.get("ColumnName", "政府信息公开年报"))
    site_name = escape(site.get("SiteName", ""))
    domain = escape(site.get("SiteDomain", "www.example.gov.cn"))
    doc_id = int(site.get("SiteIDCode", "1")[-5:] or 1)
    y = report.publish_date[:4]
    ym = report.publish_date[:7].replace("-", "")
    url = f"https://{domain}/zwgk/zfxxgk/zfxxgknb/{ym}/t{report.publish_date.replace('-', '')}_{doc_id}.htm"
    footer_addr = "地址：喆园路1号" if gb else "地址：人民路1号"
    metas = "\n".join(
        f'<meta name="{k}" content="{escape(v)}"/>'
        for k, v in (
            ("SiteName", site.get("SiteName", "")),
            ("SiteDomain", site.get("SiteDomain", "")),
            ("SiteIDCode", site.get("SiteIDCode", "")),
            ("ColumnName", site.get("ColumnName", "")),
            ("ColumnType", site.get("ColumnName", "")),
            ("ArticleTitle", report.title),
            ("PubDate", f"{report.publish_date} 15:07"),
            ("ContentSource", ""),
            ("KeyWords", ""),
            ("Author", site.get("Author", "")),
            ("Description", ""),
            ("Url", url),
            ("DocId", str(doc_id)),
        )
    )
    return f"""<!DOCTYPE html>
<html>
  <head>
    {_meta_charset(declared)}
    <meta http-equiv="X-UA-Compatible" content="IE=Edge" />
{metas}
    <title>{title}_{column}_{site_name}</title>
    <link rel="stylesheet" type="text/css" href="/images/trt_ui_v2.css">
  </head>
  <body>
    <div class="warp info_public_bg">
      <div class="header menu_hov"><div class="row">
        <div class="logo"><a href="/"><img src="/images/site_logo.png" /></a></div>
        <div class="header_link_01"><a href="https://www.gov.cn/" target="_blank" title="国务院">国务院</a>
          <a href="/" title="首页">首页</a> <a href="/zwgk/" title="政务公开">政务公开</a></div>
      </div></div>
      <div class="main"><div class="content">
        <div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfxxgk/">政府信息公开</a> &gt; <a href="/zwgk/zfxxgk/zfxxgknb/">{column}</a></div>
        <div class="article_component">
          <div class="article_title text_align_center">
            {title}
          </div>
          <div class="article_extend">
            <span class="article_source">来源：{escape(site.get("Author", ""))}</span>
            <span class="article_time">时间：{report.publish_date} 15:07</span>
          </div>
          <div class="tabs_content tabs_bd"><div class="word_con"><div class="article_area">
            <div class="article_content article_content_01 font_family_cn">
              <div class="TRS_Editor">{body}</div>
            </div>
          </div></div></div>
          <div class="article_btn_group"><button title="关闭">关闭</button></div>
        </div>
      </div></div>
      <div class="footer">
        <p>主办单位：{site_name}办公室　{footer_addr}</p>
        <p>网站标识码：{escape(site.get("SiteIDCode", ""))}　版权所有 © {y} {site_name}</p>
      </div>
    </div>
  </body>
</html>
"""


def _plain_page(report: SampleReport, body: str, declared: str) -> str:
    return (
        f"<!DOCTYPE html>\n<html><head>{_meta_charset(declared)}<title>{escape(report.title)}</title>"
        f'</head><body><div class="TRS_Editor">{body}</div></body></html>\n'
    )
