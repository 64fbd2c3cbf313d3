"""The bundled sample portal: a TRS-style site whose annual-report column holds reports made by
our own generator (HTML tables in the page, PDF and DOCX attachments), plus one notice that is not
a report. Used by ``gongkai demo``, the end-to-end tests and the benchmarks."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from pathlib import Path

from .model import SampleReport
from .portal import SampleArticle, SampleSite, build_trs_site
from .render_docx import render_docx
from .render_html import render_html_body
from .render_pdf import render_pdf
from .values import generate_report

# (years, how the report is published): four agencies drawn by the generator (real divisions,
# made-up figures); the first year's agency name is kept for the later years
PLAN = (
    ((2021, 2022, 2023), "html"),
    ((2022, 2023), "pdf"),
    ((2022, 2023), "docx"),
    ((2020,), "html"),
)


@dataclass(frozen=True)
class DemoReport:
    report: SampleReport
    form: str  # html | pdf | docx
    article_title: str


def demo_reports(seed: int = 20240131) -> list[DemoReport]:
    """The reports of the sample portal (deterministic for a seed)."""
    rng = random.Random(seed)
    out = []
    for years, form in PLAN:
        org = region = None
        for year in years:
            template = "gov2019" if year <= 2020 else "gov2021"
            rep = generate_report(
                random.Random(rng.randrange(2**31)),
                template=template,
                year=year,
                org=org,
                region=region,
                blanks=0.0,
                size=rng.choice(("small", "medium")),
            )
            org, region = rep.org_name, rep.region.adcode
            out.append(DemoReport(rep, form, rep.title))
    # one report contradicts itself, as 洪泽区 2023 does: a 行政复议 case printed but not in its 总计
    last_pdf = [i for i, d in enumerate(out) if d.form == "pdf"][-1]
    rep = out[last_pdf].report
    cells = dict(rep.cells, s4_review_upheld=(rep.cells["s4_review_upheld"] or 0) + 1)
    out[last_pdf] = dataclasses.replace(out[last_pdf], report=dataclasses.replace(rep, cells=cells))
    return out


CONTRADICTION = ("T4_SUM__review",)  # the rule the contradicting sample report fails


def _article(d: DemoReport) -> SampleArticle:
    rep = d.report
    date = rep.publish_date or f"{rep.report_year + 1}-01-20"
    if d.form == "html":
        return SampleArticle(d.article_title, date, body_html=render_html_body(rep), source=rep.org_name)
    intro = f"<p>{rep.org_name}{rep.report_year}年政府信息公开工作年度报告全文见附件。</p>"
    if d.form == "pdf":
        files = ((f"{rep.report_year}年政府信息公开工作年度报告.pdf", render_pdf(rep)),)
    else:
        files = ((f"{rep.report_year}年政府信息公开工作年度报告.docx", render_docx(rep)),)
    return SampleArticle(d.article_title, date, body_html=intro, attachments=files, source=rep.org_name)


NOTICE = SampleArticle(
    "关于做好2024年政务公开工作的通知",
    "2024-03-01",
    body_html="<p>各单位：现将2024年政务公开工作有关事项通知如下。</p>",
)


def build_demo_site(root: str | Path, seed: int = 20240131, per_page: int = 5) -> tuple[SampleSite, list[DemoReport]]:
    reports = demo_reports(seed)
    articles = sorted((_article(d) for d in reports), key=lambda a: a.pub_date, reverse=True)
    articles.insert(2, NOTICE)
    site = build_trs_site(root, articles, site_name="示例门户（样例数据）", site_code="3399000001", per_page=per_page)
    return site, reports
