"""What ``--warehouse`` names: a DuckDB file, or a DuckLake catalog (SQLite, Postgres or DuckDB file)."""

from __future__ import annotations

import os
from dataclasses import dataclass
import re
from pathlib import Path

LAKE_PREFIX = "ducklake:"
LAKE_ALIAS = "lake"
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def is_remote(location: str) -> bool:
    """A URL (``s3://bucket/prefix``), not a local path."""
    return bool(_URL.match(location))


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "duckdb" | "ducklake"
    path: Path | None  # the DuckDB file, or the local catalog file of a DuckLake
    catalog: str | None = None  # DuckLake catalog string: "sqlite:PATH", "postgres:...", "PATH.ducklake"
    data_path: Path | str | None = None  # where a DuckLake keeps its Parquet files (a str: a URL, s3://…)

    @property
    def is_lake(self) -> bool:
        return self.kind == "ducklake"

    @property
    def remote_data(self) -> bool:
        """The data files live in an object store (``GONGKAI_LAKE_DATA=s3://…``)."""
        return isinstance(self.data_path, str)

    def exists(self) -> bool:
        """Whether there is a warehouse to read (a Postgres catalog is assumed to exist)."""
        return self.path.exists() if self.path is not None else True

    def describe(self) -> str:
        return f"ducklake:{self.catalog}" if self.is_lake else str(self.path)


def parse_target(spec: str | os.PathLike[str]) -> Target:
    """``data/warehouse.duckdb`` | ``ducklake:lake.sqlite`` | ``ducklake:postgres:dbname=gk host=db``.

    A SQLite or DuckDB-file catalog keeps its data files beside it in ``<stem>.files/``; a Postgres
    catalog takes them from ``$GONGKAI_LAKE_DATA`` (default ``data/lake/``; ``s3://bucket/prefix``
    puts them in S3, warehouse/objectstore.py).
    """
    text = os.fspath(spec)
    if not text.startswith(LAKE_PREFIX):
        return Target("duckdb", Path(text))
    rest = text[len(LAKE_PREFIX) :]
    if not rest:
        raise ValueError("empty DuckLake catalog: use ducklake:PATH.sqlite or ducklake:postgres:...")
    if rest.startswith("postgres:"):
        where = os.environ.get("GONGKAI_LAKE_DATA", "data/lake")
        data: Path | str = where.rstrip("/") if is_remote(where) else Path(where)
        return Target("ducklake", None, rest, data)
    if rest.startswith("sqlite:"):
        rest = rest[len("sqlite:") :]
    path = Path(rest)
    files = path.with_name(path.stem + ".files")
    if path.suffix in (".ducklake", ".duckdb"):
        return Target("ducklake", path, str(path), files)
    return Target("ducklake", path, f"sqlite:{path}", files)
