"""Crawl speed: our spider against a sample portal on 127.0.0.1 with politeness off, and
``scrapy bench`` (Scrapy's own local server and link-following spider) as the floor."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# politeness off, with Scrapy's default concurrency (the one `scrapy bench` runs with)
POLITENESS_OFF = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "LOG_LEVEL": "INFO",
}


def _large_site(root: Path, articles: int):
    """A TRS portal with ``articles`` report articles (HTML in the page; every fifth a PDF attachment)."""
    from gongkai.samples.portal import SampleArticle, build_trs_site
    from gongkai.samples.render_html import render_html_body
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report

    items = []
    for i in range(articles):
        rep = generate_report(random.Random(5000 + i), template="gov2021", year=2021 + i % 3)
        title = f"{rep.title}（{i + 1}）"
        date = f"{rep.report_year + 1}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        if i % 5 == 4:
            files = ((f"{rep.report_year}年报告{i}.pdf", render_pdf(rep)),)
            body = f"<p>{rep.org_name}{rep.report_year}年政府信息公开工作年度报告全文见附件。</p>"
            items.append(SampleArticle(title, date, body_html=body, attachments=files, source=rep.org_name))
        else:
            items.append(SampleArticle(title, date, body_html=render_html_body(rep), source=rep.org_name))
    items.sort(key=lambda a: a.pub_date, reverse=True)
    return build_trs_site(root, items, site_name="示例市人民政府", site_code="3399000002", per_page=20)


def crawl(job: dict) -> dict:
    """Build the site, serve it, crawl it ``repeats`` times into fresh data directories."""
    from crawler.collect import crawl_source
    from gongkai.samples.demo_site import build_demo_site
    from gongkai.samples.portal import sources_yaml

    work = Path(job["workdir"])
    site_root = work / f"portal-{job['site']}"
    if job["site"] == "demo":
        site, _ = build_demo_site(site_root)
    else:
        site = _large_site(site_root, job["articles"])
    runs = []
    with site.serve() as base_url:
        sources = work / f"sources-{job['site']}.yaml"
        sources.write_text(sources_yaml("bench", base_url), "utf-8")
        for r in range(job["repeats"]):
            data = work / f"crawl-{job['site']}-{r}"
            t0 = time.perf_counter()
            res = crawl_source(
                str(sources),
                "bench",
                f"bench{r}",
                str(data),
                timeout_s=job.get("timeout_s", 300),
                jobdir=False,
                extra_settings=POLITENESS_OFF,
            )
            wall = time.perf_counter() - t0
            st = res.stats
            runs.append(
                {
                    "responses": st.get("downloader/response_count", 0),
                    "elapsed": st.get("elapsed_time_seconds"),
                    "wall": wall,
                    "returncode": res.returncode,
                    "documents": res.n_documents,
                    "outcomes": res.outcomes,
                    "bytes": st.get("downloader/response_bytes", 0),
                    "memusage_max": st.get("memusage/peak_rss", st.get("memusage/max")),
                }
            )
    return {"runs": runs}


_STAT = re.compile(
    r"'(response_received_count|elapsed_time_seconds|downloader/response_bytes|memusage/max)'"
    r":\s*([\d.]+)"
)


def scrapy_bench(job: dict) -> dict:
    """``scrapy bench`` outside any project (its own defaults), ``repeats`` times."""
    runs = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCRAPY_")}
    for _ in range(job["repeats"]):
        with tempfile.TemporaryDirectory(prefix="gongkai-scrapy-bench-") as tmp:
            t0 = time.perf_counter()
            proc = subprocess.run(
                [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={job['seconds']}"],
                cwd=tmp,
                env=env,
                capture_output=True,
                text=True,
                timeout=job["seconds"] + 120,
            )
            wall = time.perf_counter() - t0
        stats = {k: float(v) for k, v in _STAT.findall(proc.stderr)}
        if proc.returncode != 0 or "response_received_count" not in stats:
            tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RuntimeError(f"scrapy bench failed (exit {proc.returncode}): {tail[:200]}")
        runs.append(
            {
                "responses": int(stats["response_received_count"]),
                "elapsed": stats["elapsed_time_seconds"],
                "wall": wall,
                "bytes": stats.get("downloader/response_bytes"),
                "memusage_max": stats.get("memusage/max"),
            }
        )
    return {"runs": runs}
