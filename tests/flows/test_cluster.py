"""The local cluster (flows/cluster.py, scripts/cluster.sh) with 2 workers: Postgres, a Prefect server
on it, DuckLake with its catalog on Postgres, shared storage. ``nationwide`` over fixture portals on
four loopback addresses (four hosts, four shards): both workers run shards; worker 2 is killed -9
while its shard loads (paused inside the load's transaction); Prefect's zombie automation marks that
run Crashed and the nationwide run schedules it again on the worker that is left; the warehouse ends
with every report once, the same as a single-machine run, and no portal page was fetched twice, no
document parsed twice."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import pytest

from flows import cluster
from tests.flows import hosts
from tests.flows.portals import FAST_CRAWL

pytestmark = pytest.mark.slow

CELLS = """SELECT r.org_name, r.report_year, c.cell_key, c.value, c.status
           FROM core.reports r JOIN core.cells c USING (report_id) ORDER BY ALL"""


def _rows(warehouse: str, sql: str, lake_data: Path | None = None) -> list[tuple]:
    """Read the warehouse in a child process (DuckLake's data path comes from the environment)."""
    code = (
        "import json, sys; from warehouse.connect import connect; c = connect(sys.argv[1], read_only=True); "
        "print(json.dumps([list(r) for r in c.execute(sys.argv[2]).fetchall()], ensure_ascii=False))"
    )
    env = {**cluster._env(Path("/tmp")), **({"GONGKAI_LAKE_DATA": str(lake_data)} if lake_data else {})}
    out = subprocess.run(
        [sys.executable, "-c", code, warehouse, sql],
        env=env,
        cwd=cluster.REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return [tuple(r) for r in json.loads(out.stdout)]


def _submitted(root: Path, worker: str) -> set[str]:
    log = (root / worker / "worker.log").read_text("utf-8", "replace")
    return set(re.findall(r"submitting flow run '([0-9a-f-]+)'", log))


def _ledger(data: Path) -> Counter:
    path = data / "parsed" / "parses.jsonl"
    return Counter(json.loads(line)["sha256"] for line in path.read_text("utf-8").splitlines() if line.strip())


def _single_machine(api: str, sources: Path, tmp: Path) -> None:
    """The same sources as one flow run in one process (nationwide called outside a deployment)."""
    params = {
        "registry": str(sources),
        "warehouse": str(tmp / "single.duckdb"),
        "data_dir": str(tmp / "single"),
        "crawl_settings": FAST_CRAWL,
        "crawl_retries": 0,
        "run_id": "single",
    }
    env = cluster._env(tmp / "single-home", PREFECT_API_URL=api, GONGKAI_PARSE_WORKERS="1")
    out = subprocess.run(
        [sys.executable, "-m", "tests.flows.drive", json.dumps([["flows.nationwide:nationwide", params]])],
        env=env,
        cwd=cluster.REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0 and json.loads(out.stdout.splitlines()[-1])["ok"], (
        out.stdout[-2000:] + out.stderr[-2000:]
    )


def test_two_workers_share_a_nationwide_run_and_survive_losing_one(tmp_path):
    root, pause = tmp_path / "cluster", tmp_path / "pause"
    portals = hosts.build(tmp_path / "portals", 4)
    with ExitStack() as stack:
        servers = [p.site.serve(host=f"127.0.0.{2 + i}") for i, p in enumerate(portals)]
        urls = [stack.enter_context(s) for s in servers]
        sources = hosts.sources_file(tmp_path / "sources.json", portals, urls)
        # the single-machine run crawls the same portals served a second time (its requests apart)
        alone = hosts.sources_file(tmp_path / "alone.json", portals, hosts.serve(stack, portals))
        pause.mkdir()
        state = cluster.up(root, workers=1)
        stack.callback(cluster.down, root)
        outcome: dict = {}
        runner = threading.Thread(
            target=lambda: outcome.update(
                result=cluster.run(str(sources), root, hosts_per_shard=1, params={"crawl_settings": FAST_CRAWL})
            ),
            daemon=True,
        )
        runner.start()
        deadline = time.monotonic() + 300
        while not _submitted(root, "worker-1"):  # the nationwide run itself is on worker 1 ...
            assert runner.is_alive() and time.monotonic() < deadline, f"nothing ran: {outcome}"
            time.sleep(1)
        # ... then worker 2 joins; it stops inside the load's transaction of every shard it takes
        state["workers"]["worker-2"] = cluster.add_worker(
            root, 2, extra={"GONGKAI_TEST_PAUSE": "load", "GONGKAI_TEST_PAUSE_DIR": str(pause)}
        )
        while not list(pause.glob("load.paused.*")):
            assert runner.is_alive() and time.monotonic() < deadline, f"worker 2 never loaded: {outcome}"
            time.sleep(1)
        time.sleep(2)  # its other shard may reach the load too
        cluster.kill_tree(state["workers"]["worker-2"], 9)
        # while Prefect notices (no heartbeat for 75 s), the same sources on one machine, for comparison
        _single_machine(state["api"], alone, tmp_path)
        runner.join(timeout=400)
        assert not runner.is_alive(), "nationwide did not finish after worker 2 was killed"
        flow_run_id, final = outcome["result"]
        assert final == "COMPLETED", (root / "worker-1" / "worker.log").read_text()[-3000:]
        requests = Counter((s.base_url, r.path) for s in servers for r in s.requests)
        shards = _flow_runs(state["api"], "nationwide-shard")
        lake = Path(state["lake_data"])
        reports = _rows(state["warehouse"], "SELECT count(*), count(DISTINCT report_id) FROM core.reports", lake)
        cells = _rows(state["warehouse"], CELLS, lake)

    # both workers ran shards; those of worker 2 ran again (on worker 1) after it was killed
    ids = {r["id"] for r in shards}
    assert len(ids) == 4 and all(r["state"]["type"] == "COMPLETED" for r in shards)
    assert _submitted(root, "worker-1") & ids and _submitted(root, "worker-2") & ids
    again = {r["id"] for r in shards if r["run_count"] > 1}
    assert again and again <= _submitted(root, "worker-2") & _submitted(root, "worker-1")
    # every report once, the same cells as one machine gives
    assert reports == [(8, 8)]
    assert cells == _rows(str(tmp_path / "single.duckdb"), CELLS) and len(cells) > 8 * 50
    # nothing fetched twice (the crawls of the killed worker's shards came from the shared cache) ...
    assert requests and max(requests.values()) == 1, [k for k, n in requests.items() if n > 1]
    # ... nor parsed twice
    parsed = _ledger(Path(state["data_dir"]))
    assert len(parsed) == 8 and set(parsed.values()) == {1}


def _flow_runs(api: str, flow_name: str) -> list[dict]:
    import httpx

    body = {"flows": {"name": {"any_": [flow_name]}}, "limit": 100}
    r = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=30)
    r.raise_for_status()
    return r.json()
