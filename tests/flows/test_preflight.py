"""`gongkai run` and `gongkai demo` stop before their first request, with one line on stderr, when the
warehouse target, the sources file or the data directory cannot work."""

from __future__ import annotations

import os
import subprocess

import pytest

from flows.preflight import PreflightError, check_warehouse
from gongkai.samples import portal as sp
from gongkai.samples import server as srv
from tests.conftest import gongkai_exe

pytestmark = pytest.mark.slow


def _run(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    return subprocess.run([*gongkai_exe(), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def portal(tmp_path):
    server = srv.PortalServer(routes={"/": srv.text("<html><body>首页</body></html>")})
    base = server.start()
    sources = tmp_path / "sources.yaml"
    sources.write_text(sp.sources_yaml("p", base), encoding="utf-8")
    yield server, sources
    server.stop()


def _one_line_and_no_request(proc, server, expect: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and expect in lines[0], proc.stderr
    assert server.requests == []


def test_bad_warehouse_target(tmp_path, portal):
    server, sources = portal
    bad = tmp_path / "w.duckdb"
    bad.write_bytes(b"this is not a DuckDB file, but it has its name" * 100)
    proc = _run(tmp_path, "run", "--sources", str(sources), "--warehouse", str(bad), "--data", str(tmp_path / "d"))
    _one_line_and_no_request(proc, server, "gongkai run: cannot open warehouse")
    proc = _run(tmp_path, "demo", "--warehouse", str(bad), "--data", str(tmp_path / "d2"))
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "gongkai demo: cannot open warehouse" in proc.stderr


def test_unreadable_sources_file(tmp_path, portal):
    server, _ = portal
    unreadable = tmp_path / "sources-dir.yaml"
    unreadable.mkdir()  # a directory where the file should be (root reads any file, whatever its mode)
    proc = _run(
        tmp_path,
        "run",
        "--sources",
        str(unreadable),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
        "--data",
        str(tmp_path / "d"),
    )
    _one_line_and_no_request(proc, server, "cannot read sources file")


def test_unwritable_data_dir(tmp_path, portal):
    server, sources = portal
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    proc = _run(
        tmp_path,
        "run",
        "--sources",
        str(sources),
        "--warehouse",
        str(tmp_path / "w.duckdb"),
        "--data",
        str(blocker / "data"),
    )
    _one_line_and_no_request(proc, server, "is not writable")


def test_a_lake_catalog_that_cannot_be_attached(tmp_path):
    catalog = tmp_path / "lake.sqlite"
    catalog.write_bytes(b"garbage, not SQLite" * 50)
    with pytest.raises(PreflightError) as info:
        check_warehouse(f"ducklake:{catalog}")
    assert "cannot attach" in str(info.value) and "\n" not in str(info.value)


def test_a_lake_whose_data_path_differs_from_the_catalogs(tmp_path):
    """The failure of issue 19 (a ducklake:postgres catalog made with another DATA_PATH), shown on a
    SQLite catalog: DuckLake refuses the ATTACH, and the preflight says so in one line."""
    import duckdb

    from warehouse.connect import load_extension

    con = duckdb.connect()
    load_extension(con, "ducklake")
    load_extension(con, "sqlite_scanner")
    con.execute(f"ATTACH 'ducklake:sqlite:{tmp_path / 'lake.sqlite'}' AS l (DATA_PATH '{tmp_path / 'elsewhere'}/')")
    con.execute("CREATE TABLE l.t (a INTEGER)")
    con.close()
    with pytest.raises(PreflightError) as info:
        check_warehouse(f"ducklake:{tmp_path / 'lake.sqlite'}")
    assert "does not match existing data path" in str(info.value) and "\n" not in str(info.value)


def test_a_new_warehouse_file_is_checked_without_being_made(tmp_path):
    new = tmp_path / "sub" / "w.duckdb"
    check_warehouse(new)  # its directory can be made: fine, and nothing is left behind
    assert not new.exists() and not new.parent.exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(PreflightError, match="cannot create it"):
        check_warehouse(blocker / "w.duckdb")
