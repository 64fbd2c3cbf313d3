"""Run a unit of work in one transaction, retrying when another writer got there first (DuckLake)."""

from __future__ import annotations

import random
import time
from typing import Callable, TypeVar

import duckdb

T = TypeVar("T")
_RETRYABLE = (
    "database is locked",
    "Failed to commit DuckLake transaction",
    "Transaction conflict",
    "conflict",
    "Conflict",
)


def retryable(err: Exception) -> bool:
    return isinstance(err, (duckdb.TransactionException, duckdb.IOException)) or any(s in str(err) for s in _RETRYABLE)


def in_transaction(
    conn: duckdb.DuckDBPyConnection,
    work: Callable[[duckdb.DuckDBPyConnection], T],
    *,
    attempts: int = 60,
    max_delay: float = 2.0,
) -> tuple[T, int]:
    """``work(conn)`` between BEGIN and COMMIT; returns (result, retries). All or nothing."""
    delay = 0.05
    for attempt in range(attempts):
        conn.execute("BEGIN TRANSACTION")
        try:
            result = work(conn)
            conn.execute("COMMIT")
            return result, attempt
        except Exception as err:
            try:
                conn.execute("ROLLBACK")
            except duckdb.Error:
                pass
            if attempt + 1 >= attempts or not retryable(err):
                raise
            time.sleep(delay * (0.5 + random.random()))
            delay = min(delay * 2, max_delay)
    raise AssertionError("unreachable")
