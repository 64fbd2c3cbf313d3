"""``gongkai report`` as a real subprocess: one line out, one clear line on error, nothing half-written."""

import os
import subprocess
import sys

import pytest

from tests.report.conftest import REPO
from warehouse.loader import load_run

pytestmark = pytest.mark.slow  # every test runs the gongkai command


def gongkai(*args):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_report_command_writes_one_file(known_warehouse, tmp_path):
    out = tmp_path / "new" / "dir" / "report.html"
    p = gongkai("report", "--warehouse", str(known_warehouse), "--out", str(out))
    assert p.returncode == 0, p.stderr
    assert p.stdout.count("\n") == 1 and p.stdout.startswith(f"wrote {out} (") and "10 reports" in p.stdout
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
    assert 'http-equiv="Content-Security-Policy"' in html and "default-src &#x27;none&#x27;" in html
    assert [f.name for f in out.parent.iterdir()] == ["report.html"]  # no temporary file left behind


def test_report_command_errors_are_one_line(known_warehouse, tmp_path):
    p = gongkai("report", "--warehouse", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r.html"))
    assert p.returncode == 1 and p.stdout == "" and p.stderr.count("\n") == 1
    assert p.stderr.startswith("gongkai report: no warehouse at")
    assert not (tmp_path / "none.duckdb").exists() and not (tmp_path / "r.html").exists()

    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    p = gongkai("report", "--warehouse", str(junk), "--out", str(tmp_path / "r.html"))
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and p.stderr.startswith("gongkai report: ")
    assert "Traceback" not in p.stderr and not (tmp_path / "r.html").exists()

    (tmp_path / "adir").mkdir()
    p = gongkai("report", "--warehouse", str(known_warehouse), "--out", str(tmp_path / "adir"))
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and p.stderr.startswith("gongkai report: cannot write")
    assert list((tmp_path / "adir").iterdir()) == [] and sorted(f.name for f in tmp_path.iterdir()) == [
        "adir",
        "junk.duckdb",
    ]


def test_report_of_an_empty_warehouse(tmp_path):
    db = tmp_path / "empty.duckdb"
    load_run(db, run_id="empty", sources=[], fetches=[], documents=[], results=[])
    p = gongkai("report", "--warehouse", str(db), "--out", str(tmp_path / "r.html"))
    assert p.returncode == 0, p.stderr
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "No parse failed." in html and "No rule failed." in html and "Every fetch succeeded." in html
    assert "0 reports" in p.stdout


def test_report_of_a_ducklake_warehouse(tmp_path):
    from tests.warehouse import wh_records as records

    target = f"ducklake:{tmp_path / 'lake.sqlite'}"
    load_run(target, **records.run())
    p = gongkai("report", "--warehouse", target, "--out", str(tmp_path / "r.html"))
    assert p.returncode == 0, p.stderr
    assert "10 reports" in p.stdout
