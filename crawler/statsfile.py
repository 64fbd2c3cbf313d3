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


class JsonFileStatsCollector(MemoryStatsCollector):
    def _persist_stats(self, stats):
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
