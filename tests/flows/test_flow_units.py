"""The flows' own logic without a Prefect server: JOBDIR handling, how a crawl attempt is judged,
which failures are retried, the in-flow scheduler, run files, cache keys, the schedules."""

from __future__ import annotations

import asyncio
import json
import queue
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import yaml

from crawler.collect import CrawlResult
from crawler.source_outcome import SourceOutcome
from flows import collect, limits, load, process, runfiles
from runner.lanes import CrawlLane
from runner.parse import ParseKilled
from pipeline.record import PARSER_VERSION

REPO = Path(__file__).resolve().parents[2]


# ---- JOBDIR and crawl attempts


def _finished_crawl(sdir: Path, reason: str | None) -> None:
    (sdir / "jobdir").mkdir(parents=True)
    (sdir / "jobdir" / "requests.seen").write_text("fingerprints")
    if reason is not None:
        (sdir / "stats.json").write_text(json.dumps({"finish_reason": reason}))


def test_a_finished_crawl_leaves_no_jobdir_for_the_next_attempt(tmp_path):
    _finished_crawl(tmp_path, "finished")
    assert collect.prepare_jobdir(tmp_path) == "fresh"
    assert not (tmp_path / "jobdir").exists() and not (tmp_path / "stats.json").exists()


# SIGTERM at the hard timeout; a crawl killed with -9 (no stats) is started again instead, see
# tests/crash/test_jobdir_after_kill.py
@pytest.mark.parametrize("reason", ["shutdown"])
def test_a_stopped_crawl_is_resumed_from_its_jobdir(tmp_path, reason):
    _finished_crawl(tmp_path, reason)
    assert collect.prepare_jobdir(tmp_path) == "resume"
    assert (tmp_path / "jobdir" / "requests.seen").exists()
    assert not (tmp_path / "stats.json").exists()  # a crash of the next attempt is told apart from this one


def test_first_attempt_has_no_jobdir(tmp_path):
    assert collect.prepare_jobdir(tmp_path) == "new"


def test_records_from_reads_only_this_attempts_fetches(tmp_path):
    path = tmp_path / "fetches.jsonl"
    path.write_text(json.dumps({"url": "a", "outcome": "error"}) + "\n")
    offset = path.stat().st_size
    with path.open("a") as fh:
        fh.write(json.dumps({"url": "b", "outcome": "ok"}) + "\n" + '{"url": "c", "outc')  # a torn last line
    assert [r["url"] for r in collect.records_from(path, offset)] == ["b"]
    assert collect.records_from(tmp_path / "none.jsonl", 0) == []


def _result(**kw) -> CrawlResult:
    base = dict(source_id="s", returncode=0, fetches_path="f.jsonl", documents_path="d.jsonl")
    return CrawlResult(**{**base, **kw})


@pytest.mark.parametrize(
    "result, attempt, error, transient",
    [
        (_result(), Counter(ok=3, error=1), None, None),
        (_result(), Counter(not_modified=2), None, None),
        (_result(), Counter(error=1), collect.SourceUnreachable, True),
        (_result(), Counter(), collect.SourceUnreachable, True),
        (_result(), Counter(blocked=2, skipped=1), collect.SourceBlocked, False),
        (_result(), Counter(blocked=1, error=1), collect.SourceUnreachable, True),
        (_result(timed_out=True, returncode=-15), Counter(ok=40), collect.CrawlTimedOut, True),
        (_result(returncode=2, stderr_tail="gongkai crawl: bad\n"), Counter(), collect.CrawlFailed, False),
        (
            _result(source_outcome=SourceOutcome("empty", "no report was listed")),
            Counter(ok=4),
            collect.SourceEmpty,
            False,
        ),
        (
            _result(source_outcome=SourceOutcome("partial", "failed: article error 1", 3)),
            Counter(ok=4, error=1),
            None,
            None,
        ),
    ],
)
def test_judging_a_crawl_attempt(result, attempt, error, transient):
    if error is None:
        assert collect.judge("s", result, attempt, 60) is None
        return
    with pytest.raises(error) as info:
        collect.judge("s", result, attempt, 60)
    assert info.value.transient is transient
    assert str(info.value).startswith("s: ")


class _State:
    def __init__(self, exc: BaseException | None):
        self.exc = exc

    def result(self):
        if self.exc is not None:
            raise self.exc
        return {}


def test_only_transient_failures_are_retried():
    from warehouse.connect import WarehouseError

    assert collect._transient(None, None, _State(collect.SourceUnreachable("x")))
    assert collect._transient(None, None, _State(collect.CrawlTimedOut("x")))
    assert not collect._transient(None, None, _State(collect.SourceBlocked("x")))
    assert not collect._transient(None, None, _State(collect.CrawlFailed("x")))
    assert not collect._transient(None, None, _State(collect.SourceEmpty("x")))
    assert not collect._transient(None, None, _State(ValueError("bad sources file")))
    assert process._transient(None, None, _State(ParseKilled("x")))
    assert not process._transient(None, None, _State(process.DocumentFailed({"sha256": "a" * 64, "error": "e"})))
    assert load._transient(None, None, _State(WarehouseError("warehouse w is held by another process (one writer")))
    assert not load._transient(None, None, _State(WarehouseError("cannot open warehouse w: corrupt")))


def test_a_document_failure_survives_pickling_with_its_result():
    import pickle

    result = {"sha256": "c" * 64, "status": "failed", "error": "empty file", "error_kind": "empty"}
    again = pickle.loads(pickle.dumps(process.DocumentFailed(result)))
    assert again.result == result and str(again) == "cccccccccccc: empty file"


def test_backoff_grows_fourfold():
    assert collect.backoff(60, 3) == [60, 240, 960]
    assert collect.backoff(60, 0) == []


def test_cache_keys_are_content_and_run_scoped():
    sha = "ab" * 32
    assert process.cache_key(None, {"sha256": sha, "path": "/x", "name": "n"}) == f"parse-{sha}-{PARSER_VERSION}"
    assert collect._crawl_key(None, {"run_id": "run-1", "source_id": "s"}) == "crawl-run-1-s"


# ---- hosts and the in-flow scheduler


def test_host_of_keeps_only_a_non_default_port():
    assert limits.host_of("https://WWW.Pingtan.gov.cn/zwgk/") == "www.pingtan.gov.cn"
    assert limits.host_of("http://www.pingtan.gov.cn:80/") == "www.pingtan.gov.cn"
    assert limits.host_of("http://127.0.0.1:8123/") == "127.0.0.1:8123"


def _src(sid: str, url: str):
    return SimpleNamespace(id=sid, start_urls=(url,), years=None)


def test_by_host_interleaves_hosts():
    sources = [_src("a1", "http://a/"), _src("a2", "http://a/x"), _src("b1", "http://b/"), _src("a3", "http://a/y")]
    ordered, hosts = collect.by_host(sources)
    assert [s.id for s in ordered] == ["a1", "b1", "a2", "a3"]
    assert hosts == {"a1": "a", "a2": "a", "b1": "b", "a3": "a"}


class _Future:
    """Enough of a Prefect future for the lanes."""

    def __init__(self, value=None, exc=None, state_name="Completed"):
        self.value, self.exc, self.callbacks = value, exc, []
        self.state = SimpleNamespace(name=state_name)

    def add_done_callback(self, fn):
        self.callbacks.append(fn)

    def wait(self):
        pass

    def result(self):
        if self.exc is not None:
            raise self.exc
        return self.value

    def finish(self):
        for fn in self.callbacks:
            fn(self)


class _Task:
    def __init__(self, make):
        self.make, self.calls, self.futures = make, [], []

    def submit(self, *args, **kwargs):
        self.calls.append(args)
        fut = self.make(*args)
        self.futures.append(fut)
        return fut


def test_crawl_lane_runs_one_crawl_per_host_and_at_most_max_crawls():
    sources = [_src("a1", "http://a/"), _src("a2", "http://a/2"), _src("b1", "http://b/"), _src("c1", "http://c/")]
    hosts = {s.id: limits.host_of(s.start_urls[0]) for s in sources}
    done_sources = []
    task = _Task(
        lambda sid: _Future({"source_id": sid}) if sid != "b1" else _Future(exc=collect.SourceUnreachable("b1: down"))
    )
    lane = CrawlLane(task, sources, hosts, lambda s: (s.id,), max_crawls=2, on_done=done_sources.append)
    done = queue.Queue()
    lane.top_up(done)
    assert [c[0] for c in task.calls] == ["a1", "b1"]  # a2 waits for host a, c1 for a free crawl
    task.futures[0].finish()
    lane.finish(*done.get()[1:])
    lane.top_up(done)
    assert [c[0] for c in task.calls] == ["a1", "b1", "a2"]
    for fut in task.futures[1:]:
        fut.finish()
    while not done.empty():
        lane.finish(*done.get()[1:])
    lane.top_up(done)
    task.futures[-1].finish()
    lane.finish(*done.get()[1:])
    assert not lane.busy
    assert set(lane.ok) == {"a1", "a2", "c1"} and lane.failed == {"b1": "b1: down"}
    assert [s.id for s in done_sources] == ["a1", "b1", "a2", "c1"]  # a failed crawl's documents are read too


def test_crawl_lane_starts_crawls_a_batch_at_a_time():
    """With batches of 2 (two sources a scrapy process), one freed slot waits for a second one."""
    sources = [_src(f"s{i}", f"http://h{i}/") for i in range(6)]
    hosts = {s.id: limits.host_of(s.start_urls[0]) for s in sources}
    task = _Task(lambda sid: _Future({"source_id": sid}))
    lane = CrawlLane(task, sources, hosts, lambda s: (s.id,), max_crawls=4, batch=2)
    done = queue.Queue()
    lane.top_up(done)
    assert [c[0] for c in task.calls] == ["s0", "s1", "s2", "s3"]
    task.futures[0].finish()
    lane.finish(*done.get()[1:])
    lane.top_up(done)
    assert len(task.calls) == 4  # one slot free: no process for a single source
    task.futures[1].finish()
    lane.finish(*done.get()[1:])
    lane.top_up(done)
    assert [c[0] for c in task.calls][4:] == ["s4", "s5"]
    for fut in task.futures[2:]:
        fut.finish()
    while not done.empty():
        lane.finish(*done.get()[1:])
    assert not lane.busy and set(lane.ok) == {s.id for s in sources}


def test_the_crawl_line_ends_with_the_last_crawl_not_with_the_run():
    sources = [_src(f"s{i}", f"http://h{i}/") for i in range(2)]
    hosts = {s.id: limits.host_of(s.start_urls[0]) for s in sources}
    task = _Task(lambda sid: _Future({"source_id": sid}))
    lane = CrawlLane(task, sources, hosts, lambda s: (s.id,), max_crawls=2)
    done = queue.Queue()
    lane.top_up(done)
    task.futures[0].finish()
    lane.finish(*done.get()[1:])
    assert lane.progress.closed is False
    task.futures[1].finish()
    lane.finish(*done.get()[1:])
    assert lane.progress.closed is True  # while the parses of its documents may go on


def test_parse_lane_parses_each_sha_once_and_bounds_what_is_in_flight(tmp_path):
    ok = {
        "sha256": "1" * 64,
        "parser_version": PARSER_VERSION,
        "status": "ok",
        "error": None,
        "error_kind": None,
        "record": {},
    }

    def make(sha, path, name):
        if sha.startswith("2"):
            return _Future(
                exc=process.DocumentFailed(
                    {
                        **ok,
                        "sha256": sha,
                        "status": "failed",
                        "error": "bad",
                        "error_kind": "unsupported",
                        "record": None,
                    }
                )
            )
        return _Future({**ok, "sha256": sha}, state_name="Cached" if sha.startswith("3") else "Completed")

    task = _Task(make)
    lane = process.parse_lane(task, tmp_path, "run-1", 60, in_flight=2)
    docs = [{"sha256": c * 64, "store_path": f"store/{c}"} for c in "1232"] + [{"sha256": None, "store_path": "x"}]
    lane.add(docs)
    lane.add(docs)
    done = queue.Queue()
    lane.top_up(done)
    assert len(task.calls) == 2
    while lane.busy:
        for fut in list(task.futures):
            if fut.callbacks:
                fut.finish()
                fut.callbacks = []
        while not done.empty():
            lane.finish(*done.get()[1:])
        lane.top_up(done)
    assert [c[0][0] for c in task.calls] == ["1", "2", "3"]
    assert lane.summary() == {"documents": 3, "parsed_ok": 2, "parse_failed": 1, "parsed_now": 2, "cached": 1}
    saved = runfiles.read_json(process.parsed_path(tmp_path, "2" * 64))
    assert saved["status"] == "failed" and saved["error"] == "bad"


def test_a_parse_replaces_an_earlier_failure_and_a_cached_result_fills_a_gap(tmp_path):
    sha = "9" * 64
    path = process.parsed_path(tmp_path, sha)
    failure = {"sha256": sha, "parser_version": PARSER_VERSION, "status": "failed", "error": "e", "record": None}
    process.save_result(tmp_path, failure)
    good = {**failure, "status": "ok", "error": None, "record": {"x": 1}}
    process.save_result(tmp_path, good)
    assert runfiles.read_json(path)["status"] == "ok"
    process.save_result(tmp_path, {**good, "record": {"x": 2}}, cached=True)  # already on disk: left alone
    assert runfiles.read_json(path)["record"] == {"x": 1}
    path.unlink()
    process.save_result(tmp_path, good, cached=True)
    assert runfiles.read_json(path)["record"] == {"x": 1}


# ---- run files


def test_wanted_years():
    assert runfiles.wanted_years(None, None) == set()
    assert runfiles.wanted_years((2022, 2023), None) == {2022, 2023}
    assert runfiles.wanted_years(None, [2023]) == {2023}
    assert runfiles.wanted_years((2022, 2023), [2023, 2024]) == {2023}


def test_documents_of_drops_other_years_and_container_pages(tmp_path):
    sdir = runfiles.source_dir(tmp_path, "r", "s")
    sdir.mkdir(parents=True)
    docs = [
        {
            "sha256": "p1",
            "store_path": "x",
            "role": "page",
            "has_table": False,
            "document_url": "u1",
            "page_url": "u1",
            "year_hint": 2023,
        },
        {
            "sha256": "a1",
            "store_path": "x",
            "role": "attachment",
            "document_url": "u1.docx",
            "page_url": "u1",
            "year_hint": 2023,
        },
        {
            "sha256": "p2",
            "store_path": "x",
            "role": "page",
            "has_table": True,
            "document_url": "u2",
            "page_url": "u2",
            "year_hint": 2021,
        },
        {
            "sha256": "p3",
            "store_path": "x",
            "role": "page",
            "has_table": True,
            "document_url": "u3",
            "page_url": "u3",
            "year_hint": None,
        },
    ]
    (sdir / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs) + "{torn")
    assert [d["sha256"] for d in runfiles.documents_of(tmp_path, "r", "s")] == ["a1", "p2", "p3"]
    assert [d["sha256"] for d in runfiles.documents_of(tmp_path, "r", "s", {2023})] == ["a1", "p3"]


def test_manifest_round_trip_and_a_missing_run(tmp_path):
    runfiles.write_manifest(tmp_path, "r", "/x/sources.yaml", [{"id": "s", "years": [2023]}], [2023])
    assert runfiles.read_manifest(tmp_path, "r")["sources"] == [{"id": "s", "years": [2023]}]
    with pytest.raises(FileNotFoundError, match="no run nope"):
        runfiles.read_manifest(tmp_path, "nope")
    assert runfiles.read_json(tmp_path / "missing.json") is None


# ---- prefect.yaml


def _prefect_yaml() -> dict:
    return yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))


def test_every_deployment_entrypoint_is_a_flow_of_the_package():
    import importlib

    from prefect import Flow

    for dep in _prefect_yaml()["deployments"]:
        module, name = dep["entrypoint"].split(":")
        obj = getattr(importlib.import_module(module), name)
        assert isinstance(obj, Flow), dep["name"]
        assert set(dep.get("parameters") or {}) <= set(obj.parameters.properties), dep["name"]
        assert dep["work_pool"]["name"] == "gongkai"


def test_nationwide_runs_daily_in_the_season_and_weekly_otherwise():
    from prefect.server.schemas.schedules import CronSchedule

    nat = next(d for d in _prefect_yaml()["deployments"] if d["name"] == "nationwide")
    shanghai = ZoneInfo("Asia/Shanghai")
    start, end = datetime(2027, 1, 1, tzinfo=shanghai), datetime(2027, 12, 31, 23, 59, tzinfo=shanghai)
    fired = set()
    for s in nat["schedules"]:
        assert s["timezone"] == "Asia/Shanghai" and s["active"]
        dates = asyncio.run(CronSchedule(cron=s["cron"], timezone=s["timezone"]).get_dates(start=start, end=end))
        fired |= {d.astimezone(shanghai).replace(tzinfo=None) for d in dates}
    assert {(d.hour, d.minute) for d in fired} == {(2, 0)}  # 02:00 Beijing time
    days = {d.date() for d in fired}
    season = {date(2027, 1, 1) + timedelta(n) for n in range(90)}  # 1 January – 31 March 2027
    assert season <= days
    rest = days - season
    assert rest and all(d.weekday() == 0 and d.month >= 4 for d in rest)
    mondays = {d for d in (date(2027, 4, 1) + timedelta(n) for n in range(275)) if d.weekday() == 0}
    assert rest == mondays


def test_the_failure_message_names_the_first_sources_and_counts_the_rest():
    failed = {f"s{i}": f"s{i}: portal unreachable (error 1)" for i in range(12)}
    msg = str(collect.SourcesFailed.of(failed, 40))
    assert msg.startswith("12 of 40 sources could not be collected: s0: portal unreachable (error 1); s1:")
    assert "s9:" in msg and "s10:" not in msg and msg.endswith("… and 2 more (see the run's artifact)")
    assert str(collect.SourcesFailed.of({"a": "a: x"}, 2)) == "1 of 2 sources could not be collected: a: x"


def test_the_registry_the_nationwide_flow_fans_out_over():
    from crawler.sources import load_sources
    from flows.nationwide import REGISTRY, nationwide

    assert nationwide.parameters.properties["registry"]["default"] == REGISTRY
    sf = load_sources(REPO / REGISTRY)
    ordered, hosts = collect.by_host(list(sf.sources))
    assert len(ordered) == len(sf.sources) >= 5 and set(hosts.values()) <= {
        h.lower() for s in sf.sources for h in s.allowed_domains
    }
    assert nationwide.retries == 1 and nationwide.retry_delay_seconds == 3600


def test_cluster_workers_take_an_object_store_lake_path_from_the_environment(monkeypatch, tmp_path):
    from flows import cluster

    monkeypatch.setenv("GONGKAI_LAKE_DATA", "s3://gongkai/lake")
    assert cluster.lake_data(tmp_path) == "s3://gongkai/lake"
    monkeypatch.setenv("GONGKAI_LAKE_DATA", "/somewhere/else")  # a local path: the cluster's own shared/
    assert cluster.lake_data(tmp_path) == str(tmp_path / "shared" / "lake")


# ---- the load task's parameters


class _Untouchable(dict):
    """A parse result Prefect must not walk (its walk of a 10,000-report run took minutes)."""

    def items(self):
        raise AssertionError("Prefect walked the load task's rows")

    def values(self):
        raise AssertionError("Prefect walked the load task's rows")

    def __iter__(self):
        raise AssertionError("Prefect walked the load task's rows")


def test_the_load_task_rows_are_not_walked_by_prefect():
    from prefect.utilities.engine import collect_task_run_inputs_sync
    from prefect.utilities.engine import resolve_inputs_sync

    rows = [_Untouchable(sha256="a")]
    quoted = load.rows_of_run(rows, rows, rows, rows)
    for q in quoted:
        assert collect_task_run_inputs_sync(q) == set()
    resolved = resolve_inputs_sync({f"p{i}": q for i, q in enumerate(quoted)})
    assert all(v is rows for v in resolved.values())  # the task gets the lists themselves
    with pytest.raises(AssertionError, match="walked"):  # and the check can fail: unquoted, they are walked
        collect_task_run_inputs_sync(rows)
