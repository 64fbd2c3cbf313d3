"""Runs against the test Prefect server without a worker: `gongkai run`, then next week's run
(the nationwide flow) that parses nothing twice and tries the failed document again, then the
`process` and `load` flows on their own; and which crawl failures are retried."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import Counter

import duckdb
import pytest

from flows import runfiles
from gongkai.samples import server as srv
from pipeline import version
from pipeline.record import PARSER_VERSION
from tests.conftest import gongkai_exe
from tests.flows.portals import FAST_CRAWL, build_portal, free_port, sources_file
from tests.flows.prefect_server import REPO

pytestmark = pytest.mark.slow


def _drive(server, *steps: tuple[str, dict], timeout: float = 300, env: dict | None = None, cwd=REPO) -> list[dict]:
    """Run flows in order in one subprocess (``-m`` puts ``cwd`` first on its path); their outcomes."""
    out = subprocess.run(
        [sys.executable, "-m", "tests.flows.drive", json.dumps(steps)],
        env=env or server.env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    outcomes = [json.loads(line) for line in out.stdout.splitlines() if line.startswith('{"ok"')]
    assert len(outcomes) == len(steps), f"{out.stdout[-2000:]}\n{out.stderr[-3000:]}"
    return outcomes


def _ledger(data) -> Counter:
    path = data / "parsed" / "parses.jsonl"
    return Counter(json.loads(line)["sha256"] for line in path.read_text("utf-8").splitlines())


def _query(warehouse, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


REPORTS = "SELECT source_id, org_name, report_year FROM reports ORDER BY ALL"


def test_next_run_parses_nothing_twice_and_retries_the_failed_document(prefect_server, tmp_path):
    jia = build_portal(tmp_path / "jia", "jia", "甲市卫生健康局", ((2022, "html"), (2023, "docx")), 21, broken=True)
    yi = build_portal(tmp_path / "yi", "yi", "乙县人民政府办公室", ((2023, "html"),), 22)
    pj, py = free_port(), free_port()
    sources = sources_file(tmp_path / "sources.yaml", [("jia", "甲市卫生健康局", pj), ("yi", "乙县人民政府办公室", py)])
    data, warehouse = tmp_path / "data", tmp_path / "warehouse.duckdb"
    with jia.site.serve(port=pj), yi.site.serve(port=py):
        cmd = [
            *gongkai_exe(),
            "run",
            "--sources",
            str(sources),
            "--warehouse",
            str(warehouse),
            "--data",
            str(data),
            "--run-id",
            "week-1",
            *[a for k, v in FAST_CRAWL.items() for a in ("--crawl-setting", f"{k}={v}")],
        ]
        first = subprocess.run(cmd, env=prefect_server.env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert first.returncode == 0, first.stderr[-3000:]
        assert "4 documents, 3 parsed (4 now, 0 from the cache), 1 failed" in first.stdout
        reports = _query(warehouse, REPORTS)
        assert reports == sorted([("jia", o, y) for o, y, _ in jia.reports] + [("yi", o, y) for o, y, _ in yi.reports])
        failures = _query(warehouse, "SELECT sha256, error_kind, error, source_id FROM parse_failures")
        assert len(failures) == 1 and failures[0][1:] == (
            "unsupported",
            "a zip archive that is not a Word document (no word/document.xml)",
            "jia",
        )
        broken = failures[0][0]
        cells = _query(warehouse, "SELECT count(*) FROM cells")[0][0]

        # next week: the nationwide flow over the same sources, then (as after a parser upgrade) the
        # process and load flows on their own over that run
        week2, again, loaded = _drive(
            prefect_server,
            (
                "flows.nationwide:nationwide",
                {
                    "registry": str(sources),
                    "warehouse": str(warehouse),
                    "data_dir": str(data),
                    "crawl_settings": FAST_CRAWL,
                    "crawl_retries": 0,
                    "run_id": "week-2",
                },
            ),
            ("flows.process:process", {"run_id": "week-2", "data_dir": str(data)}),
            ("flows.load:load", {"run_id": "week-2", "warehouse": str(warehouse), "data_dir": str(data)}),
        )
    assert week2["ok"], week2
    got = week2["result"]
    assert (got["documents"], got["parsed_now"], got["cached"], got["parse_failed"]) == (4, 1, 3, 1)
    assert got["crawls_cached"] == []  # a new run crawls again (conditional requests: 304s)
    # the ledger of parses actually run: the good documents once, the broken one on every run (and by process)
    parses = _ledger(data)
    assert parses[broken] == 3 and sorted(n for sha, n in parses.items() if sha != broken) == [1, 1, 1]
    assert _query(warehouse, REPORTS) == reports  # the same reports, once each
    assert _query(warehouse, "SELECT count(*) FROM parse_failures")[0][0] == 1  # still failing, still visible
    not_modified = _query(
        warehouse, "SELECT count(*) FROM fetches WHERE run_id = 'week-2' AND outcome = 'not_modified'"
    )[0][0]
    assert not_modified > 0

    assert again["ok"], again  # process alone: the cache answers, the broken document is tried again
    assert (again["result"]["parsed_now"], again["result"]["cached"]) == (1, 3)
    assert loaded["ok"], loaded  # load alone, from data/parsed: the warehouse converges
    assert (loaded["result"]["reports"], loaded["result"]["failed"]) == (3, 1)
    assert _query(warehouse, REPORTS) == reports
    assert _query(warehouse, "SELECT count(*) FROM cells")[0][0] == cells
    manifest = runfiles.read_manifest(data, "week-2")
    assert [s["id"] for s in manifest["sources"]] == ["jia", "yi"] and manifest["sources_file"] == str(sources)

    # a parser upgrade (an edited copy of pipeline/ first on the path): process parses every document
    # again, load keeps the old parses and makes the new ones primary
    upgraded = tmp_path / "upgraded"
    shutil.copytree(REPO / "pipeline", upgraded / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    rules = upgraded / "pipeline" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# upgraded\n", encoding="utf-8")
    env = dict(prefect_server.env, PYTHONPATH=os.pathsep.join([str(upgraded), prefect_server.env["PYTHONPATH"]]))
    reparsed, reloaded = _drive(
        prefect_server,
        ("flows.process:process", {"run_id": "week-2", "data_dir": str(data)}),
        ("flows.load:load", {"run_id": "week-2", "warehouse": str(warehouse), "data_dir": str(data)}),
        env=env,
        cwd=upgraded,
    )
    assert reparsed["ok"] and (reparsed["result"]["parsed_now"], reparsed["result"]["cached"]) == (4, 0), reparsed
    assert reloaded["ok"] and reloaded["result"]["reports"] == 3, reloaded
    versions = _query(
        warehouse,
        "SELECT parser_version, count(*), count(*) FILTER (WHERE is_primary), "
        "count(*) FILTER (WHERE is_latest_parse) FROM reports GROUP BY ALL ORDER BY 1",
    )
    new = version.digest(upgraded / "pipeline")
    assert sorted(versions) == sorted([(PARSER_VERSION, 3, 0, 0), (new, 3, 3, 3)])


def _task_states(server, names: list[str]) -> dict[str, list]:
    """(state type, state name, message) of the task runs with these names, from the Prefect API."""
    code = (
        "import json, sys\nfrom prefect.client.orchestration import get_client\n"
        "from prefect.client.schemas.filters import TaskRunFilter, TaskRunFilterName\n"
        "with get_client(sync_client=True) as c:\n"
        "    runs = c.read_task_runs(task_run_filter=TaskRunFilter(name=TaskRunFilterName(any_=sys.argv[1:])))\n"
        "    print(json.dumps({r.name: [r.state.type.value, r.state.name, r.state.message] for r in runs}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *names], env=server.env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_only_transient_crawl_failures_are_retried(prefect_server, tmp_path):
    down = free_port()
    nothing = "<html><body><a href='/news/1.html'>新闻</a></body></html>"
    with (
        srv.PortalServer(routes={"/": srv.challenge("ruishu"), "/robots.txt": srv.robots()}) as blocked_url,
        srv.PortalServer(routes={"/": srv.text(nothing), "/robots.txt": srv.robots()}) as empty_url,
    ):
        blocked, empty = (int(u.rsplit(":", 1)[1]) for u in (blocked_url, empty_url))
        sources = sources_file(
            tmp_path / "sources.yaml",
            [
                ("down", "停机的门户", down),
                ("waf", "瑞数防护的门户", blocked),
                ("nothing-here", "没有年报的门户", empty),
            ],
        )
        (out,) = _drive(
            prefect_server,
            (
                "flows.collect:collect",
                {
                    "sources_file": str(sources),
                    "run_id": "r1",
                    "data_dir": str(tmp_path / "data"),
                    "crawl_settings": FAST_CRAWL,
                    "crawl_retries": 1,
                    "crawl_retry_delay_s": 0.2,
                },
            ),
        )
    assert not out["ok"] and out["error"] == "SourcesFailed"
    assert "down: portal unreachable (error 1)" in out["message"]
    assert "waf: every page was a WAF challenge or refused (blocked 1)" in out["message"]
    assert "nothing-here: empty: 1 pages answered (family trs) but no report was listed" in out["message"]
    opened = {
        sid: (tmp_path / "data" / "runs" / "r1" / sid / "crawl.log").read_text("utf-8").count("Spider opened")
        for sid in ("down", "waf", "nothing-here")
    }
    assert opened == {
        "down": 2,
        "waf": 1,
        "nothing-here": 1,
    }  # a down portal: tried again; a WAF wall, an empty column: once
    # what an operator sees in the UI: the empty source's task run is Failed, naming the outcome
    states = _task_states(prefect_server, ["crawl-nothing-here"])
    assert states["crawl-nothing-here"][0] == "FAILED" and "empty:" in states["crawl-nothing-here"][2]
    recorded = {
        sid: runfiles.outcome_of(tmp_path / "data", "r1", sid)["outcome"] for sid in ("down", "waf", "nothing-here")
    }
    assert recorded == {"down": "down", "waf": "blocked", "nothing-here": "empty"}
