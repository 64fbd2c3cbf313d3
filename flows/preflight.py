"""Checks made before a run's first request (issue 19): the warehouse target can be opened for
writing (a DuckLake catalog attaches with our DATA_PATH; an s3:// one is listed and written), the
sources file loads, the data directory is writable. A failure is one line (``PreflightError``); nothing has been fetched yet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class PreflightError(RuntimeError):
    """A configuration that cannot work; the message is one line."""


def check_data_dir(data_dir: str | os.PathLike) -> None:
    path = Path(data_dir)
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".preflight-"):
            pass
    except OSError as err:
        raise PreflightError(f"data directory {path} is not writable: {err.strerror or err}") from None


def check_sources(sources_file: str | Path, source_ids: list[str] | None = None) -> None:
    from crawler.sources import SourcesError, load_sources

    try:
        sf = load_sources(sources_file)
        for sid in source_ids or ():
            sf.get(sid)
    except SourcesError as err:
        raise PreflightError(str(err).splitlines()[0]) from None
    except OSError as err:
        raise PreflightError(f"cannot read sources file {sources_file}: {err.strerror or err}") from None


def check_warehouse(warehouse: str | os.PathLike) -> None:
    """Open the target as the loader will (DuckLake: ATTACH with our DATA_PATH, which a catalog made
    with another one refuses). A warehouse held by another writer passes: the loader waits for it."""
    from warehouse.connect import WarehouseError, connect
    from warehouse.target import parse_target

    try:
        target = parse_target(warehouse)
    except ValueError as err:
        raise PreflightError(f"warehouse {os.fspath(warehouse)}: {err}") from None
    if target.remote_data:
        _check_object_store(target)
        return
    if not target.is_lake and target.path is not None and not target.path.exists():
        _check_new_file(target.path)  # the load makes it: a check must not leave one behind
        return
    try:
        conn = connect(target, lock_timeout=2.0)
    except WarehouseError as err:
        if "held by another process" in str(err):
            return
        raise PreflightError(str(err).splitlines()[0]) from None
    except (ValueError, OSError) as err:
        raise PreflightError(f"warehouse {os.fspath(warehouse)}: {str(err).splitlines()[0]}") from None
    try:
        conn.execute("SELECT 1").fetchone()
    finally:
        conn.close()


def _check_object_store(target) -> None:
    """An s3:// data path: the AWS variables first (no request without them), then the catalog
    attaches with that DATA_PATH, and the data path can be listed and written."""
    from warehouse import objectstore
    from warehouse.connect import WarehouseError, connect

    try:
        objectstore.bucket_of(str(target.data_path))
        objectstore.secret_options()
        conn = connect(target, lock_timeout=2.0)
    except (objectstore.ObjectStoreError, WarehouseError) as err:
        raise PreflightError(str(err).splitlines()[0]) from None
    try:
        objectstore.probe(conn, str(target.data_path))
    except objectstore.ObjectStoreError as err:
        raise PreflightError(str(err)) from None
    finally:
        conn.close()


def _check_new_file(path: Path) -> None:
    """A warehouse file still to be made: its directory must exist or be creatable, and be writable."""
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise PreflightError(f"warehouse {path}: cannot create it ({parent} is not a writable directory)")


def preflight(*, sources_file=None, warehouse=None, data_dir=None, source_ids: list[str] | None = None) -> None:
    """Every check that applies; the first failure raises ``PreflightError``."""
    if data_dir is not None:
        check_data_dir(data_dir)
    if sources_file is not None:
        check_sources(sources_file, source_ids)
    if warehouse is not None:
        check_warehouse(warehouse)
