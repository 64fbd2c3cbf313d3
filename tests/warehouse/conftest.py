import pathlib

import pytest

import wh_records as records
from warehouse.connect import connect
from warehouse.loader import load_run

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def known_run() -> dict:
    return records.run()


@pytest.fixture(scope="session")
def warehouse_file(tmp_path_factory, known_run) -> pathlib.Path:
    """A DuckDB warehouse holding the hand-written run (loaded once for the session; read it only)."""
    path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
    load_run(path, **known_run)
    return path


@pytest.fixture()
def ro(warehouse_file):
    conn = connect(warehouse_file, read_only=True)
    yield conn
    conn.close()
