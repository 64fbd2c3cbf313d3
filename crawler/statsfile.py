"""A stats collector that also writes the final stats to the run's ``stats.json``."""

from __future__ import annotations

import json
from datetime import datetime

from scrapy.statscollectors import MemoryStatsCollector

from .records import run_dir


def _jsonable(value):
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ") if value.tzinfo else value.isoformat() + "Z"
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def peak_rss_bytes() -> int | None:
    """This process's own peak resident memory (``VmHWM``), or None off Linux.

    Scrapy's ``memusage/max`` is ``ru_maxrss``, which Linux carries across ``execve``: a crawl
    started from a 600 MB parent (a test run after OCR, a Prefect worker) reports the parent's
    peak, not its own. ``VmHWM`` belongs to the address space the crawl built after exec.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


class JsonFileStatsCollector(MemoryStatsCollector):
    def _persist_stats(self, stats):
        peak = peak_rss_bytes()
        if peak is not None:
            stats["memusage/peak_rss"] = peak
        super()._persist_stats(stats)
        spider = self._crawler.spider
        if getattr(spider, "run_id", None) is None:
            return
        path = run_dir(spider.data_dir, spider.run_id, spider.source_id) / "stats.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {k: _jsonable(v) for k, v in sorted(stats.items())}
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
