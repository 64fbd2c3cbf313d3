"""Several sources crawled by ONE scrapy process (``scrapy crawlmany``): each source's run files are
those a single-source ``scrapy crawl`` writes; and the batcher that groups per-source crawl calls."""

from __future__ import annotations

import json
import threading
from contextlib import ExitStack

import pytest

from crawler import batch as cb
from crawler.batch import CrawlBatcher, crawl_batch, sources_per_crawl
from crawler.collect import crawl_source
from crawler.records import read_jsonl
from gongkai.samples import portal as sp
from gongkai.samples.server import PortalServer

from crawl_scenario import FAST, table

HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
VOLATILE = {"fetched_at", "elapsed_s", "discovered_at", "first_seen", "last_seen"}


def _site(root, n: int):
    org = f"示例{n}县"
    arts = [
        sp.SampleArticle(f"{org}{y}年政府信息公开工作年度报告", f"{y + 1}-01-1{i}", table(y))
        for i, y in enumerate((2021, 2022, 2023))
    ]
    return sp.build_trs_site(root / f"s{n}", arts, site_name=f"{org}人民政府", per_page=2)


def _stable(records: list[dict]) -> list[dict]:
    rows = [{k: v for k, v in r.items() if k not in VOLATILE} for r in records]
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False))


@pytest.mark.slow
def test_three_portals_on_three_hosts_in_one_process_write_what_single_crawls_write(tmp_path):
    sites = [_site(tmp_path, n) for n in range(3)]
    with ExitStack() as stack:
        urls = [
            stack.enter_context(PortalServer(s.root, dict(s.routes), host=h, robots_txt="User-agent: *\nAllow: /\n"))
            for s, h in zip(sites, HOSTS)
        ]
        sources = tmp_path / "sources.json"
        sources.write_text(
            json.dumps(
                {
                    "allow_private_addresses": True,
                    "sources": [
                        {
                            "id": f"p{i}",
                            "name": f"portal {i}",
                            "start_urls": [u + "/"],
                            "allowed_domains": [u.split("//")[1]],
                            "cms": "trs",
                        }
                        for i, u in enumerate(urls)
                    ],
                }
            ),
            "utf-8",
        )
        ids = ["p0", "p1", "p2"]
        many = crawl_batch(sources, ids, "r1", tmp_path / "many", timeout_s=120, extra_settings=FAST)
        single = {
            sid: crawl_source(sources, sid, "r1", tmp_path / "single", timeout_s=120, extra_settings=FAST)
            for sid in ids
        }
    logs = list((tmp_path / "many" / "runs" / "r1").glob("crawl-*.log"))
    assert len(logs) == 1  # one process for the three sources
    assert logs[0].read_text("utf-8").count("Spider opened") == 3
    for sid in ids:
        got, want = many[sid], single[sid]
        assert got.ok and want.ok, got.stderr_tail
        assert got.n_documents == want.n_documents == 3
        assert _stable(read_jsonl(got.documents_path)) == _stable(read_jsonl(want.documents_path))
        assert _stable(read_jsonl(got.fetches_path)) == _stable(read_jsonl(want.fetches_path))
        assert got.outcomes == want.outcomes and got.source_outcome == want.source_outcome
        assert got.stats["finish_reason"] == "finished" and got.stats["gongkai/source_id"] == sid
        assert got.stats.get("item_scraped_count") == want.stats.get("item_scraped_count")
        run_dir = tmp_path / "many" / "runs" / "r1" / sid
        assert (run_dir / "jobdir").is_dir()  # its own JOBDIR, as a single crawl has
        own_log = (run_dir / "crawl.log").read_text("utf-8")  # its own log lines only
        assert own_log.count("Spider opened") == 1 and "'finish_reason': 'finished'" in own_log
        assert not any(h in own_log for h in HOSTS if h != HOSTS[ids.index(sid)])
        assert sorted(p.name for p in run_dir.iterdir()) == sorted(
            p.name for p in (tmp_path / "single" / "runs" / "r1" / sid).iterdir()
        )


def test_batcher_groups_concurrent_calls_by_size_and_returns_each_its_own(monkeypatch):
    calls: list[list[str]] = []

    def fake_batch(sources_file, ids, run_id, data_dir, **kw):
        calls.append(list(ids))
        return {sid: f"result of {sid}" for sid in ids}

    monkeypatch.setattr(cb, "crawl_batch", fake_batch)
    b = CrawlBatcher(3, window_s=0.5)
    got: dict[str, str] = {}
    threads = [threading.Thread(target=lambda s=s: got.__setitem__(s, b.crawl("f", s, "r1", "d"))) for s in "abcde"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(len(c) for c in calls) == [2, 3]  # a full batch at once, the rest after the window
    assert sorted(sum(calls, [])) == list("abcde")
    assert got == {s: f"result of {s}" for s in "abcde"}
    b.crawl("f", "x", "r2", "d")  # another run: another batch
    assert calls[-1] == ["x"]


def test_batcher_hands_a_failed_batch_to_every_caller_and_size_one_crawls_alone(monkeypatch):
    def broken(*a, **kw):
        raise RuntimeError("no process")

    monkeypatch.setattr(cb, "crawl_batch", broken)
    with pytest.raises(RuntimeError, match="no process"):
        CrawlBatcher(5, window_s=0.05).crawl("f", "a", "r1", "d")
    monkeypatch.setattr(cb, "crawl_source", lambda *a, **kw: "alone")
    assert CrawlBatcher(1).crawl("f", "a", "r1", "d") == "alone"


def test_sources_per_crawl_from_the_environment(monkeypatch):
    monkeypatch.delenv("GONGKAI_SOURCES_PER_CRAWL", raising=False)
    assert sources_per_crawl() == 25
    monkeypatch.setenv("GONGKAI_SOURCES_PER_CRAWL", "3")
    assert sources_per_crawl() == 3
    monkeypatch.setenv("GONGKAI_SOURCES_PER_CRAWL", "many")
    with pytest.raises(ValueError, match="GONGKAI_SOURCES_PER_CRAWL"):
        sources_per_crawl()


def test_a_source_done_early_is_returned_while_the_rest_of_its_batch_still_runs(monkeypatch):
    slow_may_end = threading.Event()

    def fake_batch(sources_file, ids, run_id, data_dir, on_result=None, **kw):
        on_result("quick", "quick done")
        assert slow_may_end.wait(10)
        return {"quick": "quick done", "slow": "slow done"}

    monkeypatch.setattr(cb, "crawl_batch", fake_batch)
    b = CrawlBatcher(2, window_s=5)
    got: dict[str, str] = {}
    slow = threading.Thread(target=lambda: got.__setitem__("slow", b.crawl("f", "slow", "r1", "d")))
    slow.start()
    assert b.crawl("f", "quick", "r1", "d") == "quick done"  # the batch of two is full: it starts at once
    assert "slow" not in got
    slow_may_end.set()
    slow.join(10)
    assert got == {"slow": "slow done"}
