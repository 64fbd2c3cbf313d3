"""A stats collector that also writes the final stats to the run's ``stats.json``."""
from __future__ import annotations

import json
from datetime import datetime

from scrapy.statscollectors import MemoryStatsCollector


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
        run_files = getattr(spider, "run_files", None)
        if run_files is None:
            return
        data = {k: _jsonable(v) for k, v in sorted(stats.items())}
        tmp = run_files.stats_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(run_files.stats_path)
        run_files.close()
