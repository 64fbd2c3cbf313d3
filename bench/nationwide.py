"""A simulated nationwide run: generated portals on many loopback hosts (127.0.<a>.<b>), every response
delayed by ``--latency`` seconds as a slow government server, crawled with the project's own
politeness settings, parsed and loaded by the ``gongkai-run`` pipeline in this process (an ephemeral
Prefect API). The portals are served by one separate process (:mod:`bench.slowhosts`). Reports the wall time, how many hosts were being crawled at once (from the fetch
records: a host is in flight from its first to its last fetch), and documents per hour.

``python -m bench.nationwide --portals 20 [--reports 10] [--latency 1.0] [--max-crawls N] [--work DIR] [--json FILE]``
(``GONGKAI_SOURCES_PER_CRAWL=1 … --max-crawls 4``: one scrapy process per source, 4 at once, as before batching)
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.slowhosts import SlowHosts
from gongkai.samples.server import PortalServer


def build(root: Path, portals: int, reports: int) -> list:
    """``portals`` TRS sites of ``reports`` HTML reports each (the generator's own reports)."""
    from gongkai.samples.portal import SampleArticle, build_trs_site
    from gongkai.samples.render_html import render_html_body
    from gongkai.samples.values import generate_report

    sites = []
    for p in range(portals):
        rng = random.Random(9000 + p)
        org = f"模拟{p:04d}县人民政府"
        arts = []
        for i in range(reports):
            rep = generate_report(
                random.Random(rng.randrange(2**31)), template="gov2021", year=2015 + i % 10, org=org, size="small"
            )
            arts.append(
                SampleArticle(
                    rep.title,
                    f"{rep.report_year + 1}-01-{10 + i % 18:02d}",
                    body_html=render_html_body(rep),
                    source=org,
                )
            )
        arts.sort(key=lambda a: a.pub_date, reverse=True)
        sites.append(build_trs_site(root / f"p{p:04d}", arts, site_name=org, per_page=10))
    return sites


def host(i: int) -> str:
    return f"127.0.{1 + i // 250}.{1 + i % 250}"


def in_flight(data: Path, run_id: str) -> tuple[int, float]:
    """(most hosts crawled at once, mean hosts at once over the crawl) from the fetch records."""
    from datetime import datetime

    spans = []
    for path in (data / "runs" / run_id).glob("*/fetches.jsonl"):
        times = [
            datetime.fromisoformat(json.loads(line)["fetched_at"].replace("Z", "+00:00")).timestamp()
            for line in path.read_text("utf-8").splitlines()
            if line.strip()
        ]
        if times:
            spans.append((min(times), max(times)))
    if not spans:
        return 0, 0.0
    events = sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans])
    most = now = 0
    for _, step in events:
        now += step
        most = max(most, now)
    total = max(b for _, b in spans) - min(a for a, _ in spans)
    return most, (sum(b - a for a, b in spans) / total if total else 0.0)


def _stamp(text: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def phases(data: Path, run_id: str, started: float, ended: float) -> dict:
    """When the crawl and the parses ended, from the run's own records (fetch times, the parse
    ledger; whole seconds), and the rest of the run after the last parse (the load)."""
    fetched = [
        _stamp(json.loads(line)["fetched_at"])
        for path in (data / "runs" / run_id).glob("*/fetches.jsonl")
        for line in path.read_text("utf-8").splitlines()
        if line.strip()
    ]
    ledger = data / "parsed" / "parses.jsonl"
    parsed = [_stamp(json.loads(line)["at"]) for line in ledger.read_text("utf-8").splitlines() if line.strip()]
    crawl_end = max(fetched, default=started)
    parse_end = max(parsed, default=crawl_end)
    return {
        "crawl_s": round(crawl_end - started),
        "parse_done_s": round(parse_end - started),
        "after_last_parse_s": round(ended - parse_end),
    }


def run(portals: int, reports: int, latency: float, work: Path, max_crawls: int | None = None) -> dict:
    from flows.prefect_env import configure

    data = work / "data"
    configure(data)
    sites = build(work / "sites", portals, reports)
    with SlowHosts([(host(i), PortalServer(s.root, dict(s.routes))) for i, s in enumerate(sites)], latency) as urls:
        sources = work / "sources.json"
        sources.write_text(
            json.dumps(
                {
                    "allow_private_addresses": True,
                    "sources": [
                        {
                            "id": f"p{i:04d}",
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
        from crawler.batch import sources_per_crawl
        from flows.run import run_sources

        t0, started = time.monotonic(), time.time()
        summary = run_sources(
            str(sources),
            warehouse=str(work / "warehouse.duckdb"),
            data_dir=str(data),
            run_id="sim",
            crawl_retries=0,
            **({"max_crawls": max_crawls} if max_crawls else {}),
        )
        wall = time.monotonic() - t0
    most, mean = in_flight(data, "sim")
    times = phases(data, "sim", started, started + wall)
    return {
        "portals": portals,
        "reports_per_portal": reports,
        "latency_s": latency,
        "max_crawls": max_crawls or "default",
        "sources_per_crawl": sources_per_crawl(),
        "wall_s": round(wall, 1),
        "hosts_in_flight_max": most,
        "hosts_in_flight_mean": round(mean, 2),
        "documents": summary["documents"],
        "parsed_ok": summary["parsed_ok"],
        "reports": summary["reports"],
        "documents_per_hour": round(summary["documents"] / wall * 3600),
        **times,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.nationwide", description=__doc__.split("\n\n")[0])
    p.add_argument("--portals", type=int, default=20)
    p.add_argument("--reports", type=int, default=10)
    p.add_argument("--latency", type=float, default=1.0)
    p.add_argument("--max-crawls", type=int, help="sources crawled at once (default: the flow's)")
    p.add_argument("--work")
    p.add_argument("--json", help="append the result as one JSON line to this file")
    args = p.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="gongkai-sim-"))
    try:
        result = run(args.portals, args.reports, args.latency, work, args.max_crawls)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False))
    if args.json:
        with open(args.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
