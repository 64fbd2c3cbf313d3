"""DuckLake mode: the same schema and answers, several writer processes at once, readers during loads."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import wh_records as records
from warehouse import research, search
from warehouse.connect import connect
from warehouse.loader import load_run
from warehouse.target import parse_target

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def test_target_strings(tmp_path):
    t = parse_target(f"ducklake:{tmp_path}/lake.sqlite")
    assert t.is_lake and t.catalog == f"sqlite:{tmp_path}/lake.sqlite" and t.data_path == tmp_path / "lake.files"
    t = parse_target("ducklake:postgres:dbname=gongkai host=db")
    assert t.is_lake and t.catalog == "postgres:dbname=gongkai host=db" and t.path is None
    assert parse_target("data/warehouse.duckdb").kind == "duckdb"
    with pytest.raises(ValueError):
        parse_target("ducklake:")


def test_lake_answers_like_a_file(tmp_path, known_run, ro):
    lake = f"ducklake:{tmp_path}/lake.sqlite"
    load_run(lake, **known_run)
    load_run(lake, **known_run)  # idempotent here too
    conn = connect(lake, read_only=True)
    try:
        for q in research.all_queries():
            assert research.run(conn, q.name) == research.run(ro, q.name), q.name
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 10
        hits = search.search(conn, "信息处理费", lake=True)
        assert [h.org_name for h in hits] == [h.org_name for h in search.search(ro, "信息处理费")]
    finally:
        conn.close()
    assert list((tmp_path / "lake.files").rglob("*.parquet")), "DuckLake keeps its data as Parquet files"


@pytest.mark.slow
def test_two_writers_at_once_and_a_reader(tmp_path):
    lake = f"ducklake:{tmp_path}/lake.sqlite"
    load_run(lake, run_id="seed", sources=records.SOURCES, fetches=[], documents=[], results=[])
    worker = [sys.executable, str(HERE / "wh_load_worker.py"), lake]
    writers = [
        subprocess.Popen(
            worker + [f"run-{tag}", f"{tag}-"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()
        )
        for tag in ("a", "b")
    ]
    reader = subprocess.Popen(
        [sys.executable, str(HERE / "wh_read_worker.py"), lake, "15"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(),
    )
    outs = [p.communicate(timeout=300) for p in writers]
    read_out, read_err = reader.communicate(timeout=300)
    for p, (out, err) in zip(writers, outs):
        assert p.returncode == 0, err
        assert json.loads(out.splitlines()[-1])["reports"] == 10
    assert reader.returncode == 0, read_err
    seen = json.loads(read_out.splitlines()[-1])
    assert len(seen) == 15 and all(n in (0, 10, 20) for n in seen)  # whole runs only, never half of one
    conn = connect(lake, read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM reports").fetchone()[0] == 20
        assert conn.execute("SELECT count(DISTINCT run_id) FROM core.runs").fetchone()[0] == 3
        assert conn.execute("SELECT count(*) FROM agencies").fetchone()[0] == 5
        assert (
            conn.execute(
                "SELECT count(*) FROM (SELECT agency_id FROM core.agencies GROUP BY 1 HAVING count(*) > 1)"
            ).fetchone()[0]
            == 0
        )
        assert conn.execute("SELECT count(*) FROM reports WHERE is_primary").fetchone()[0] == 9
        assert conn.execute("SELECT count(*) FROM provenance WHERE page_url IS NULL").fetchone()[0] == 0
    finally:
        conn.close()
