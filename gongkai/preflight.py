"""Checks made before a run's first request (issue 19): the warehouse target can be opened for
writing (a DuckLake catalog attaches with our DATA_PATH), the sources file loads, the data
directory is writable. A failure is one line (``PreflightError``); nothing has been fetched yet."""
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


def check_sources(sources_file: str | os.PathLike, source_ids: list[str] | None = None) -> None:
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
        conn = connect(parse_target(warehouse), lock_timeout=2.0)
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


def preflight(*, sources_file=None, warehouse=None, data_dir=None, source_ids: list[str] | None = None) -> None:
    """Every check that applies; the first failure raises ``PreflightError``."""
    if data_dir is not None:
        check_data_dir(data_dir)
    if sources_file is not None:
        check_sources(sources_file, source_ids)
    if warehouse is not None:
        check_warehouse(warehouse)
