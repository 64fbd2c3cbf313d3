"""`gongkai sql` and `gongkai export` as real subprocesses."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

import duckdb

from warehouse.table_format import format_table, width
from warehouse.views import PUBLIC_VIEWS

REPO = Path(__file__).resolve().parents[2]


def gongkai(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


@pytest.mark.slow
def test_sql_prints_a_table(warehouse_file):
    p = gongkai(
        "sql",
        "SELECT org_name, report_year, n_read FROM reports WHERE is_primary "
        "AND province = '浙江省' ORDER BY report_year",
        "--warehouse",
        str(warehouse_file),
    )
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].split(" | ")[0].strip() == "org_name"
    assert "宁波市镇海区卫生健康局 |        2021 |    200" in lines[2]
    assert lines[-1] == "(2 rows)"
    assert len({width(l) for l in lines[:4]}) == 1  # columns line up with Chinese text


@pytest.mark.slow
def test_sql_runs_a_named_query(warehouse_file):
    p = gongkai("sql", "@self_contradictions", "--warehouse", str(warehouse_file))
    assert p.returncode == 0 and "T4_SUM__review" in p.stdout


@pytest.mark.slow
def test_sql_errors_are_one_line(warehouse_file, tmp_path):
    p = gongkai("sql", "SELEC nonsense", "--warehouse", str(warehouse_file))
    assert p.returncode == 1 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("gongkai sql: Parser Error")
    p = gongkai("sql", "SELECT 1", "--warehouse", str(tmp_path / "none.duckdb"))
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "no warehouse at" in p.stderr
    assert not (tmp_path / "none.duckdb").exists()
    p = gongkai("sql", "@no_such_query", "--warehouse", str(warehouse_file))
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "no research query named" in p.stderr
    p = gongkai("sql", "DELETE FROM core.cells", "--warehouse", str(warehouse_file))
    assert p.returncode == 1 and "read-only" in p.stderr.lower()


@pytest.mark.slow
def test_export_parquet_and_csv(warehouse_file, tmp_path):
    for fmt in ("parquet", "csv"):
        out = tmp_path / fmt
        p = gongkai("export", "--format", fmt, "--out", str(out), "--warehouse", str(warehouse_file))
        assert p.returncode == 0, p.stderr
        assert sorted(f.name for f in out.iterdir()) == sorted(f"{v}.{fmt}" for v in PUBLIC_VIEWS)
        assert sum(1 for l in p.stdout.splitlines() if l.startswith("exported ")) == len(PUBLIC_VIEWS) + 1
    conn = duckdb.connect()
    assert conn.execute(f"SELECT count(*) FROM '{tmp_path}/parquet/cells.parquet'").fetchone()[0] == 1970
    with (tmp_path / "csv" / "reports.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10 and {"report_id", "document_url", "page_url", "fetched_at"} <= set(rows[0])


@pytest.mark.slow
def test_export_missing_warehouse(tmp_path):
    p = gongkai("export", "--out", str(tmp_path / "o"), "--warehouse", str(tmp_path / "none.duckdb"))
    assert p.returncode == 1 and p.stderr.count("\n") == 1


def test_format_table_alignment():
    text = format_table(["名称", "n", "x"], [("镇海区", 1, None), ("ab", 22.5, "中")])
    lines = text.splitlines()

    def bars(line):  # display columns of the separators
        return [width(line[:i]) for i, ch in enumerate(line) if ch in "|+"]

    assert bars(lines[0]) == bars(lines[1]) == bars(lines[2]) == bars(lines[3]) == [7, 14]
    assert lines[2].startswith("镇海区 |    1 |")
    assert lines[3].startswith("ab     | 22.5 | 中")


@pytest.mark.slow
def test_search_command(warehouse_file):
    p = gongkai("search", "平台建设", "--warehouse", str(warehouse_file))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0].startswith("org_name")
    assert any("宁波市镇海区卫生健康局" in l and "sec5_problems" in l for l in lines[2:])
    assert lines[-1] == "(1 row)"
    p = gongkai("search", "平台建设", "--warehouse", str(warehouse_file.parent / "nope.duckdb"))
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1
