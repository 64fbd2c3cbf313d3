"""What earlier loads registered is read, or the load stops with the reason: never silently nothing."""
from __future__ import annotations

import duckdb
import pytest

from warehouse.connect import WarehouseError
from warehouse.loader import known_context
from warehouse.target import parse_target


def test_no_warehouse_and_no_schema_give_nothing(tmp_path):
    assert known_context(parse_target(tmp_path / "none.duckdb"), {"a" * 64}) == ({}, {})
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    assert known_context(parse_target(empty), {"a" * 64}) == ({}, {})


def test_a_corrupt_warehouse_stops_the_load(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a duckdb file at all" * 1000)
    with pytest.raises(WarehouseError, match="cannot open warehouse"):
        known_context(parse_target(bad), {"a" * 64})


def test_a_held_warehouse_stops_the_load_after_the_lock_timeout(tmp_path, monkeypatch):
    import warehouse.loader as loader
    from warehouse import connect as connect_mod

    path = tmp_path / "held.duckdb"
    duckdb.connect(str(path)).close()

    def held(target, read_only=False):  # what connect says once its lock timeout has passed
        raise WarehouseError(f"warehouse {path} is held by another process (one writer at a time)")

    monkeypatch.setattr(loader, "connect", held)
    with pytest.raises(WarehouseError, match="held by another process"):
        known_context(parse_target(path), set())
    assert connect_mod.connect is not held
