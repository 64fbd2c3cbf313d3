"""`prefect deploy --all` against a real local server, a process worker, a deployment run over two
fixture portals with one of them down (the run fails), the portal brought up, the same flow run
retried with `prefect flow-run retry`: only the failed portal is crawled, nothing is parsed twice,
the warehouse holds both portals' reports exactly once."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from flows import runfiles
from tests.flows.portals import FAST_CRAWL, build_portal, free_port, sources_file
from tests.flows.prefect_server import PREFECT, start

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"

DEPLOYMENTS = {
    "nationwide": "nationwide",
    "run": "gongkai-run",
    "collect": "collect",
    "process": "process",
    "load": "load",
}


@pytest.fixture(scope="module")
def deployed(prefect_server):
    made = prefect_server.cli("work-pool", "create", "gongkai", "--type", "process")
    assert made.returncode == 0, made.stdout + made.stderr
    out = prefect_server.cli("deploy", "--all", timeout=240)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    return {name: prefect_server.deployment(flow, name) for name, flow in DEPLOYMENTS.items()}


@pytest.fixture(scope="module")
def worker(prefect_server, deployed, tmp_path_factory):
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    bg = start([PREFECT, "worker", "start", "--pool", "gongkai", "--name", "test-worker"], prefect_server.env, log)
    deadline = time.monotonic() + 60
    while not prefect_server.post("/work_pools/gongkai/workers/filter"):
        assert bg.proc.poll() is None and time.monotonic() < deadline, f"worker did not start:\n{bg.tail()}"
        time.sleep(0.5)
    yield bg
    bg.stop()


def test_deploy_all_creates_the_deployments(prefect_server, deployed):
    pool = prefect_server.get("/work_pools/gongkai")
    assert pool["type"] == "process"
    for name, dep in deployed.items():
        assert dep["work_pool_name"] == "gongkai", name
        step = dep["pull_steps"][0]["prefect.deployments.steps.set_working_directory"]
        assert step["directory"] == str(REPO), name
    nat = deployed["nationwide"]
    assert nat["entrypoint"] == "flows.nationwide:nationwide"
    assert nat["parameters"] == {
        "registry": "sources/registry.yaml",
        "years": None,
        "warehouse": "data/warehouse.duckdb",
        "data_dir": "data",
    }
    crons = sorted((s["schedule"]["cron"], s["schedule"]["timezone"], s["active"]) for s in nat["schedules"])
    assert crons == [("0 2 * 1-3 *", "Asia/Shanghai", True), ("0 2 * 4-12 1", "Asia/Shanghai", True)]
    assert nat["global_concurrency_limit"]["limit"] == 1
    assert deployed["run"]["parameters"]["sources_file"] == "sources/registry.yaml"
    assert not deployed["run"]["schedules"]
    # the parameter schema is the flow's: a run can set years, warehouse, data directory
    props = deployed["run"]["parameter_openapi_schema"]["properties"]
    assert {"sources_file", "years", "warehouse", "data_dir", "crawl_settings"} <= set(props)


def _ledger(data) -> list[dict]:
    path = data / "parsed" / "parses.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()] if path.exists() else []


def _reports(warehouse) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute("""SELECT r.source_id, r.org_name, r.report_year, c.value
                              FROM reports r JOIN cells c USING (report_id)
                              WHERE c.cell_key = 's3_new_received__total' ORDER BY ALL""").fetchall()
    finally:
        con.close()


def _fetch_outcomes(warehouse, source_id: str) -> Counter:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return Counter(
            dict(
                con.execute(
                    "SELECT outcome, count(*) FROM fetches WHERE source_id = ? GROUP BY ALL", [source_id]
                ).fetchall()
            )
        )
    finally:
        con.close()


def _states(task_runs: list[dict], name: str) -> list[str]:
    """State names of the task runs called ``name``, attempt by attempt."""
    runs = sorted((t for t in task_runs if t["name"] == name), key=lambda t: t["flow_run_run_count"])
    return [t["state"]["name"] for t in runs]


def test_retry_of_a_failed_run_redoes_only_the_failed_portal(prefect_server, deployed, worker, tmp_path):
    jia = build_portal(tmp_path / "jia", "jia", "甲市卫生健康局", ((2022, "docx"), (2023, "html")), 11)
    yi = build_portal(tmp_path / "yi", "yi", "乙县人民政府办公室", ((2023, "docx"),), 12)
    port_jia, port_yi = free_port(), free_port()
    sources = sources_file(
        tmp_path / "sources.yaml", [("jia", "甲市卫生健康局", port_jia), ("yi", "乙县人民政府办公室", port_yi)]
    )
    data, warehouse = tmp_path / "data", tmp_path / "warehouse.duckdb"
    params = {
        "sources_file": str(sources),
        "warehouse": str(warehouse),
        "data_dir": str(data),
        "crawl_settings": FAST_CRAWL,
        "crawl_timeout_s": 120,
        "crawl_retries": 0,
    }

    jia_server = jia.site.serve(port=port_jia)
    jia_server.start()
    try:
        flow_run_id = prefect_server.run_deployment(deployed["run"]["id"], params)
        first = prefect_server.wait_terminal(flow_run_id)
        assert first["state"]["type"] == "FAILED", first["state"]
        assert "1 of 2 sources could not be collected: yi: portal unreachable" in first["state"]["message"]
        run_id = f"run-{flow_run_id[:8]}"
        # what the healthy portal gave is in the warehouse already; the down portal's failures are recorded
        assert [r[:3] for r in _reports(warehouse)] == sorted(("jia", o, y) for o, y, _ in jia.reports)
        assert _fetch_outcomes(warehouse, "yi")["error"] >= 1  # the start page: connection refused
        jia_docs = {d["sha256"] for d in runfiles.documents_of(data, run_id, "jia")}
        assert len(jia_docs) == len(jia.reports)
        first_parses = Counter(e["sha256"] for e in _ledger(data))
        assert all(first_parses[sha] == 1 for sha in jia_docs)
        requests_before = len(jia_server.requests)

        with yi.site.serve(port=port_yi):
            retried = prefect_server.cli("flow-run", "retry", flow_run_id)
            assert retried.returncode == 0, retried.stdout + retried.stderr
            second = prefect_server.wait_terminal(flow_run_id, min_run_count=2)
        assert second["state"]["type"] == "COMPLETED", second["state"]
        assert second["id"] == flow_run_id and second["run_count"] == 2
        assert len(jia_server.requests) == requests_before  # the healthy portal was not crawled again
    finally:
        jia_server.stop()

    # nothing of the healthy portal was parsed a second time: one parse each in the ledger ...
    parses = Counter(e["sha256"] for e in _ledger(data))
    assert {sha: parses[sha] for sha in jia_docs} == {sha: 1 for sha in jia_docs}
    yi_docs = {d["sha256"] for d in runfiles.documents_of(data, run_id, "yi")}
    assert len(yi_docs) == len(yi.reports) and {sha: parses[sha] for sha in yi_docs} == {sha: 1 for sha in yi_docs}
    # ... and in Prefect's own record: the second attempt took the crawl and the parses from the cache
    task_runs = prefect_server.task_runs(flow_run_id)
    assert _states(task_runs, "crawl-jia") == ["Completed", "Cached"]
    for sha in jia_docs:
        assert _states(task_runs, f"parse-{sha[:12]}") == ["Completed", "Cached"], sha
    assert _states(task_runs, "crawl-yi")[-1] == "Completed"

    # the warehouse holds both portals' reports exactly once, with the generated values
    rows = _reports(warehouse)
    assert rows == sorted(
        [("jia", o, y, float(v)) for o, y, v in jia.reports] + [("yi", o, y, float(v)) for o, y, v in yi.reports]
    )
    outcomes = _fetch_outcomes(warehouse, "yi")
    assert outcomes["ok"] > 0 and outcomes["error"] >= 1  # the failed attempt stays visible beside the good one


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def test_retry_clicked_in_the_prefect_ui(prefect_server, deployed, worker, tmp_path):
    """The operator's way: the failed run's page in the Prefect UI, Retry, confirm; headless Chromium."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    bing = build_portal(tmp_path / "bing", "bing", "丙区司法局", ((2023, "html"),), 13)
    port = free_port()
    sources = sources_file(tmp_path / "sources.yaml", [("bing", "丙区司法局", port)])
    data, warehouse = tmp_path / "data", tmp_path / "warehouse.duckdb"
    flow_run_id = prefect_server.run_deployment(
        deployed["run"]["id"],
        {
            "sources_file": str(sources),
            "warehouse": str(warehouse),
            "data_dir": str(data),
            "crawl_settings": FAST_CRAWL,
            "crawl_timeout_s": 120,
            "crawl_retries": 0,
        },
    )
    assert prefect_server.wait_terminal(flow_run_id)["state"]["type"] == "FAILED"

    ARTIFACTS.mkdir(exist_ok=True)
    with bing.site.serve(port=port), sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(f"{prefect_server.url}/runs/flow-run/{flow_run_id}")
            page.get_by_role("button", name="Retry").first.click()
            page.get_by_role("dialog").get_by_role("button", name="Retry").click()
            done = prefect_server.wait_terminal(flow_run_id, min_run_count=2)
            page.reload()
            page.get_by_text("Completed").first.wait_for(timeout=30_000)
            page.screenshot(path=str(ARTIFACTS / "prefect-ui-retry.png"), full_page=True)
        finally:
            browser.close()
    assert done["state"]["type"] == "COMPLETED", done["state"]
    assert [r[:3] for r in _reports(warehouse)] == [("bing", o, y) for o, y, _ in bing.reports]


def test_a_portal_held_by_another_run_is_not_crawled_until_it_is_released(prefect_server, deployed, worker, tmp_path):
    """The ``host:<host>`` limit: while another run holds the portal's slot, a new run's crawl waits."""
    ding = build_portal(tmp_path / "ding", "ding", "丁县财政局", ((2023, "html"),), 14)
    port = free_port()
    limit = f"host:127.0.0.1:{port}"
    prefect_server.post("/v2/concurrency_limits/", {"name": limit, "limit": 1})
    lease = prefect_server.post(
        "/v2/concurrency_limits/increment-with-lease",
        {"names": [limit], "slots": 1, "mode": "concurrency", "lease_duration": 300},
    )
    sources = sources_file(tmp_path / "sources.yaml", [("ding", "丁县财政局", port)])
    portal = ding.site.serve(port=port)
    portal.start()
    try:
        flow_run_id = prefect_server.run_deployment(
            deployed["collect"]["id"],
            {
                "sources_file": str(sources),
                "data_dir": str(tmp_path / "data"),
                "crawl_settings": FAST_CRAWL,
                "crawl_timeout_s": 120,
                "crawl_retries": 0,
            },
        )
        deadline = time.monotonic() + 120
        while not any(
            t["name"] == "crawl-ding" and t["state"]["type"] == "RUNNING" for t in prefect_server.task_runs(flow_run_id)
        ):
            assert time.monotonic() < deadline, prefect_server.flow_run(flow_run_id)["state"]
            time.sleep(0.5)
        time.sleep(3)  # the crawl task is running, and waiting for the slot
        assert portal.requests == []
        assert prefect_server.flow_run(flow_run_id)["state"]["type"] == "RUNNING"
        prefect_server.post("/v2/concurrency_limits/decrement-with-lease", {"lease_id": lease["lease_id"]})
        done = prefect_server.wait_terminal(flow_run_id)
        assert done["state"]["type"] == "COMPLETED", done["state"]
        assert portal.requests  # crawled once the slot was free
    finally:
        portal.stop()
