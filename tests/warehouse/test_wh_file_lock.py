"""A DuckDB file has one writer at a time: a second one waits for the lock, or says why it cannot."""

import subprocess
import sys

import pytest

import wh_records as records
from warehouse.connect import WarehouseError, connect
from warehouse.loader import load_run

pytestmark = pytest.mark.slow  # writers in processes of their own

HOLD = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); "
    "time.sleep(float(sys.argv[2])); c.close()"
)


def _holder(path, seconds):
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def test_second_writer_waits_for_the_lock(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = _holder(db, 1.5)
    try:
        summary = load_run(db, **records.run())
    finally:
        holder.wait(timeout=60)
    assert summary.reports == 10


def test_lock_timeout_is_one_clear_line(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = _holder(db, 60)
    try:
        with pytest.raises(WarehouseError) as err:
            connect(db, lock_timeout=0.3)
    finally:
        holder.kill()
        holder.wait(timeout=60)
    assert "held by another process" in str(err.value) and "\n" not in str(err.value)
