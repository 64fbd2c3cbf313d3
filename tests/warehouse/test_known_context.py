"""What earlier loads registered is read on the load's own connection, or the load stops with the
reason: never silently nothing (it used to swallow every error and resolve agencies without it)."""

from __future__ import annotations

import duckdb
import pytest

import warehouse.loader as loader
from warehouse.connect import WarehouseError, connect
from warehouse.loader import known_context, load_run
from warehouse.migrate import ensure_schema
from warehouse.target import parse_target


def test_a_new_warehouse_gives_nothing(tmp_path):
    conn = connect(parse_target(tmp_path / "new.duckdb"))
    try:
        ensure_schema(conn)
        assert known_context(conn, {"a" * 64}) == ({}, {})
    finally:
        conn.close()


def test_a_corrupt_warehouse_stops_the_load(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a duckdb file at all" * 1000)
    with pytest.raises(WarehouseError, match="cannot open warehouse"):
        load_run(bad, run_id="r", sources=[], fetches=[], documents=[], results=[])


def test_a_held_warehouse_stops_the_load(tmp_path, monkeypatch):
    path = tmp_path / "held.duckdb"
    duckdb.connect(str(path)).close()

    def held(target, read_only=False):  # what connect says once its lock timeout has passed
        raise WarehouseError(f"warehouse {path} is held by another process (one writer at a time)")

    monkeypatch.setattr(loader, "connect", held)
    with pytest.raises(WarehouseError, match="held by another process"):
        load_run(path, run_id="r", sources=[], fetches=[], documents=[], results=[])
