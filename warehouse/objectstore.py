"""A DuckLake whose data files live in S3 (or any S3-compatible store): DuckDB's httpfs extension
from its PyPI package, and a session secret built from the standard AWS variables.

``GONGKAI_LAKE_DATA=s3://bucket/prefix`` names where the Parquet files go; the credentials and the
endpoint are the ones every AWS tool reads:

- ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY`` (required), ``AWS_SESSION_TOKEN`` (optional);
- ``AWS_REGION`` or ``AWS_DEFAULT_REGION`` (default ``us-east-1``);
- ``AWS_ENDPOINT_URL_S3`` or ``AWS_ENDPOINT_URL`` for a store other than AWS (``http://host:port``:
  plain HTTP, path-style URLs, as MinIO, SeaweedFS and Ceph want them).

The secret is made per connection (``CREATE OR REPLACE SECRET``, in memory): nothing is written to
DuckDB's secret directory. DuckDB's ``credential_chain`` provider would read the same variables, but
it needs the ``aws`` extension, which no PyPI package ships.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import duckdb

SECRET = "gongkai_s3"


class ObjectStoreError(ValueError):
    """An object-store setting that cannot work; ``str(err)`` is one line."""


def bucket_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme.lower() != "s3" or not parts.netloc:
        raise ObjectStoreError(f"lake data path {url}: only s3://bucket/prefix is supported")
    return parts.netloc


def secret_options(env: Mapping[str, str] | None = None) -> dict[str, str | bool]:
    """The S3 secret's options from the AWS variables; raises ObjectStoreError when they cannot work."""
    env = os.environ if env is None else env
    key, secret = env.get("AWS_ACCESS_KEY_ID"), env.get("AWS_SECRET_ACCESS_KEY")
    if not key or not secret:
        raise ObjectStoreError("an s3:// lake data path needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    opts: dict[str, str | bool] = {
        "KEY_ID": key,
        "SECRET": secret,
        "REGION": env.get("AWS_REGION") or env.get("AWS_DEFAULT_REGION") or "us-east-1",
    }
    if env.get("AWS_SESSION_TOKEN"):
        opts["SESSION_TOKEN"] = env["AWS_SESSION_TOKEN"]
    endpoint = env.get("AWS_ENDPOINT_URL_S3") or env.get("AWS_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ObjectStoreError(f"AWS_ENDPOINT_URL {endpoint!r} is not http(s)://host[:port]")
        opts.update({"ENDPOINT": parts.netloc, "USE_SSL": parts.scheme == "https", "URL_STYLE": "path"})
    return opts


def _literal(value: str | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + value.replace("'", "''") + "'"


def configure(conn: duckdb.DuckDBPyConnection, env: Mapping[str, str] | None = None) -> None:
    """Load httpfs and make this connection's S3 secret."""
    from warehouse.connect import load_extension

    opts = secret_options(env)
    load_extension(conn, "httpfs")
    body = ", ".join(f"{k} {_literal(v)}" for k, v in opts.items())
    conn.execute(f"CREATE OR REPLACE SECRET {SECRET} (TYPE s3, {body})")


def probe(conn: duckdb.DuckDBPyConnection, url: str) -> None:
    """List the data path and write one small object there (``gongkai-preflight.csv``, the same name
    every time): the credentials, the endpoint and the bucket work for what a load does."""
    bucket_of(url)
    base = url.rstrip("/")
    try:
        conn.execute("SELECT count(*) FROM glob(?)", [f"{base}/*"]).fetchone()
        conn.execute(f"COPY (SELECT 1 AS ok) TO {_literal(base + '/gongkai-preflight.csv')} (HEADER)")
    except duckdb.Error as err:
        raise ObjectStoreError(f"lake data path {url}: {_first_line(err)}") from None


def _first_line(err: Exception) -> str:
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    return lines[0] if lines else type(err).__name__
