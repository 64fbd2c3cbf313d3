"""A crawl killed with -9 is started again, not resumed from its JOBDIR: Scrapy saves its request
queue only when it closes, while its seen-requests file reaches the disk as it goes (every 4 KB, some
170 requests), so a resumed crawl drops every request that was queued but not fetched, the start
page included. Shown here with a real `scrapy crawl` of 200 articles killed half-way."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time

import pytest

from crawler.collect import REPO_ROOT, crawl_command, crawl_source
from crawler.records import read_jsonl
from flows.collect import prepare_jobdir
from gongkai.samples import portal as sp

pytestmark = pytest.mark.slow

SETTINGS = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 4,
}
N = 200


def _titles(path) -> set[str]:
    return {d["title"] for d in read_jsonl(path)}


def test_a_killed_crawl_starts_again_and_misses_nothing(tmp_path):
    rows = "".join(f"<tr><td>第{i}项</td><td>{i}</td></tr>" for i in range(4))
    arts = [
        sp.SampleArticle(
            f"示例市第{i}区2023年政府信息公开工作年度报告",
            f"2024-01-{i % 28 + 1:02d}",
            # parts every report names: the page holds its report (not a landing page)
            f"<p>一、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p><table>{rows}</table>",
        )
        for i in range(N)
    ]
    site = sp.build_trs_site(tmp_path / "site", arts, per_page=50)
    data = tmp_path / "data"
    sdir = data / "runs" / "r1" / "big"
    sdir.mkdir(parents=True)
    with site.serve() as base:
        sources = tmp_path / "s.yaml"
        sources.write_text(sp.sources_yaml("big", base), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(REPO_ROOT), SCRAPY_SETTINGS_MODULE="crawler.settings")
        cmd = crawl_command(sources, "big", "r1", data, extra_settings=SETTINGS)
        with open(sdir / "crawl.log", "ab") as log:
            proc = subprocess.Popen(
                cmd, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        seen = sdir / "jobdir" / "requests.seen"
        deadline = time.monotonic() + 120
        # kill -9 once the seen-requests file has reached the disk, before the crawl ends
        while not (seen.exists() and seen.stat().st_size > 0):
            assert proc.poll() is None and time.monotonic() < deadline, "the crawl ended before the kill point"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        assert not (sdir / "stats.json").exists()
        first = _titles(sdir / "documents.jsonl")
        assert len(first) < N

        # what resuming that JOBDIR would do (a copy of the data directory): the start page and
        # everything queued are dropped as already seen
        copy = tmp_path / "copy"
        shutil.copytree(data, copy)
        resumed = crawl_source(sources, "big", "r1", copy, timeout_s=120, extra_settings=SETTINGS)
        assert resumed.returncode == 0, resumed.stderr_tail
        assert _titles(resumed.documents_path) == first  # nothing new: the rest is lost

        # what the flow does: the JOBDIR of a killed crawl is removed, the crawl starts again
        assert prepare_jobdir(sdir) == "restart" and not (sdir / "jobdir").exists()
        again = crawl_source(sources, "big", "r1", data, timeout_s=120, extra_settings=SETTINGS)
    assert again.returncode == 0, again.stderr_tail
    assert len(_titles(again.documents_path)) == N
