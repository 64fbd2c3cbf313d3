"""Open a warehouse: extensions from their PyPI packages, the DuckLake attach, waiting for the file lock."""

from __future__ import annotations

import importlib
import time
from pathlib import Path

import duckdb

from warehouse import objectstore
from warehouse.target import LAKE_ALIAS, Target, parse_target

# extension name -> the PyPI package that ships its binary (DuckDB cannot download extensions here)
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "fts": "duckdb_extension_fts",
    "sqlite_scanner": "duckdb_extension_sqlite_scanner",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",  # S3 data paths (warehouse/objectstore.py)
}


class WarehouseError(Exception):
    """A warehouse problem users can act on; ``str(err)`` is the one line they see."""


def extension_file(name: str) -> Path:
    package = EXTENSION_PACKAGES[name]
    try:
        module = importlib.import_module(package)
    except ImportError as err:
        raise WarehouseError(f"DuckDB extension {name} needs the PyPI package {package.replace('_', '-')}") from err
    if module.__file__ is None:  # a namespace package: no files of its own
        raise WarehouseError(f"DuckDB extension {name}: the package {package} has no files")
    base = Path(module.__file__).parent / "extensions"
    exact = base / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if exact.exists():
        return exact
    found = sorted(base.glob(f"*/{name}.duckdb_extension"))
    if not found:
        raise WarehouseError(f"no {name}.duckdb_extension inside {package}")
    return found[-1]


def load_extension(conn: duckdb.DuckDBPyConnection, name: str) -> None:
    """``INSTALL '<file in the package>'; LOAD name`` (install once per DuckDB extension directory)."""
    row = conn.execute("SELECT loaded, installed FROM duckdb_extensions() WHERE extension_name = ?", [name]).fetchone()
    if row and row[0]:
        return
    if not (row and row[1]):
        conn.execute(f"INSTALL '{extension_file(name)}'")
    conn.execute(f"LOAD {name}")


def _is_lock_error(err: Exception) -> bool:
    text = str(err)
    return "lock" in text.lower() and ("Conflicting" in text or "Could not set lock" in text)


def _open_file(path: Path, read_only: bool, lock_timeout: float) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + lock_timeout
    delay = 0.05
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as err:
            if not _is_lock_error(err):
                raise WarehouseError(f"cannot open warehouse {path}: {str(err).splitlines()[0]}") from err
            if time.monotonic() >= deadline:
                raise WarehouseError(
                    f"warehouse {path} is held by another process (one writer at a time; "
                    "use a ducklake: warehouse for several)"
                ) from err
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def connect(
    target: Target | str | Path, *, read_only: bool = False, lock_timeout: float = 120.0
) -> duckdb.DuckDBPyConnection:
    """A connection whose default catalog is the warehouse (``USE lake`` in DuckLake mode)."""
    if not isinstance(target, Target):
        target = parse_target(target)
    if read_only and not target.exists():
        raise WarehouseError(f"no warehouse at {target.describe()} (build one with gongkai run or gongkai demo)")
    if not target.is_lake:
        if target.path is None:
            raise WarehouseError(f"warehouse {target.describe()} names no file")
        if target.path.parent and not read_only:
            target.path.parent.mkdir(parents=True, exist_ok=True)
        return _open_file(target.path, read_only, lock_timeout)
    catalog = target.catalog
    if catalog is None:
        raise WarehouseError(f"warehouse {target.describe()} names no DuckLake catalog")
    conn = duckdb.connect()
    load_extension(conn, "ducklake")
    load_extension(conn, "postgres_scanner" if catalog.startswith("postgres:") else "sqlite_scanner")
    if target.remote_data:
        try:
            objectstore.configure(conn)
        except objectstore.ObjectStoreError as err:
            conn.close()
            raise WarehouseError(str(err)) from None
    if target.path is not None and not read_only:
        target.path.parent.mkdir(parents=True, exist_ok=True)
    options = ["READ_ONLY"] if read_only else []
    if target.data_path is not None and not read_only:
        if isinstance(target.data_path, Path):
            target.data_path.mkdir(parents=True, exist_ok=True)
        options.append(f"DATA_PATH '{_sql_str(str(target.data_path))}/'")
    opts = f" ({', '.join(options)})" if options else ""
    try:
        conn.execute(f"ATTACH 'ducklake:{_sql_str(catalog)}' AS {LAKE_ALIAS}{opts}")
    except duckdb.Error as err:
        conn.close()
        raise WarehouseError(f"cannot attach {target.describe()}: {str(err).splitlines()[0]}") from err
    conn.execute(f"USE {LAKE_ALIAS}")
    return conn


def _sql_str(text: str) -> str:
    return text.replace("'", "''")
