"""Fixture portals for the flow tests: TRS-style sites whose reports are made by gongkai's own
generator, as HTML tables and DOCX attachments (no PDF: the flows must not depend on it)."""

from __future__ import annotations

import json
import random
import socket
from dataclasses import dataclass
from pathlib import Path

from gongkai.samples.portal import SampleArticle, SampleSite, build_trs_site
from gongkai.samples.render_docx import render_docx
from gongkai.samples.render_html import render_html_body
from gongkai.samples.values import generate_report

FAST_CRAWL = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
}
BROKEN_DOCX = b"PK\x03\x04" + b"\x00" * 60  # a zip header and nothing else: the parser refuses it


@dataclass(frozen=True)
class Portal:
    source_id: str
    site: SampleSite
    reports: tuple  # (org_name, report_year, s3_new_received__total) of each report published
    broken: int  # documents that cannot be parsed


def build_portal(
    root: Path, source_id: str, org: str, plan: tuple[tuple[int, str], ...], seed: int, broken: bool = False
) -> Portal:
    """A portal publishing one report per (year, "html"|"docx") of ``plan`` (plus, with ``broken``, an
    article whose DOCX attachment is damaged)."""
    rng = random.Random(seed)
    articles, reports = [], []
    for year, form in plan:
        rep = generate_report(
            random.Random(rng.randrange(2**31)), template="gov2021", year=year, org=org, blanks=0.0, size="small"
        )
        date = f"{year + 1}-01-2{len(articles)}"
        if form == "html":
            articles.append(SampleArticle(rep.title, date, body_html=render_html_body(rep), source=org))
        else:
            articles.append(
                SampleArticle(
                    rep.title,
                    date,
                    source=org,
                    body_html=f"<p>{org}{year}年政府信息公开工作年度报告全文见附件。</p>",
                    attachments=((f"{year}年年度报告.docx", render_docx(rep)),),
                )
            )
        reports.append((rep.org_name, rep.report_year, rep.cells["s3_new_received__total"]))
    if broken:
        articles.append(
            SampleArticle(
                f"{org}2020年政府信息公开工作年度报告",
                "2021-01-15",
                source=org,
                body_html="<p>全文见附件。</p>",
                attachments=(("2020年年度报告.docx", BROKEN_DOCX),),
            )
        )
    articles.sort(key=lambda a: a.pub_date, reverse=True)
    site = build_trs_site(root, articles, site_name=f"{org}人民政府", per_page=3)
    return Portal(source_id, site, tuple(reports), int(broken))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sources_file(path: Path, entries: list[tuple[str, str, int]]) -> Path:
    """A loopback sources file: (source id, name, port) per portal."""
    doc = {
        "allow_private_addresses": True,
        "sources": [
            {
                "id": sid,
                "name": name,
                "start_urls": [f"http://127.0.0.1:{port}/"],
                "allowed_domains": [f"127.0.0.1:{port}"],
                "cms": "trs",
            }
            for sid, name, port in entries
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
