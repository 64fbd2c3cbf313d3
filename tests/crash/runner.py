"""`gongkai run` as a real subprocess in a process group of its own (an ephemeral Prefect API, as on an
operator's laptop), killed with SIGKILL when a condition holds; and the warehouse queries the crash
and fault tests compare."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb

from tests.conftest import REPO, gongkai_exe

FAST_CRAWL = {
    "DOWNLOAD_DELAY": 0,
    "DOWNLOAD_DELAY_JITTER": 0,
    "AUTOTHROTTLE_START_DELAY": 0,
    "AUTOTHROTTLE_MAX_DELAY": 0.2,
}


@dataclass(frozen=True)
class Pipeline:
    """One `gongkai run` command over a sources file, a data directory and a warehouse file."""

    sources: Path
    data: Path
    warehouse: Path
    prefect_home: Path
    run_id: str = "crash"
    settings: dict = field(default_factory=lambda: dict(FAST_CRAWL))

    def command(self) -> list[str]:
        cmd = [
            *gongkai_exe(),
            "run",
            "--sources",
            str(self.sources),
            "--warehouse",
            str(self.warehouse),
            "--data",
            str(self.data),
            "--run-id",
            self.run_id,
        ]
        for k, v in self.settings.items():
            cmd += ["--crawl-setting", f"{k}={v}"]
        return cmd

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "GONGKAI_TEST_PAUSE"))}
        env.update(
            {
                "PYTHONPATH": str(REPO),
                "PREFECT_HOME": str(self.prefect_home),
                "PYTHONUNBUFFERED": "1",
                "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
                "DO_NOT_TRACK": "1",
            }
        )
        env.update(extra)
        return env

    def log(self, name: str) -> Path:
        return self.data.parent / f"{self.data.name}-{name}.log"

    def start(self, log: Path, **env: str) -> subprocess.Popen:
        """Start the command in a session (and process group) of its own, its output to ``log``."""
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "ab") as fh:
            return subprocess.Popen(
                self.command(),
                cwd=REPO,
                env=self.env(**env),
                stdin=subprocess.DEVNULL,
                stdout=fh,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def run(self, name: str = "run", timeout: float = 240, **env: str) -> tuple[int, str]:
        """Run to the end (killed whole if it outlives ``timeout``): exit status and output."""
        log = self.log(name)
        proc = self.start(log, **env)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(proc)
            raise AssertionError(f"gongkai run did not finish in {timeout:.0f} s:\n{_tail(log)}") from None
        kill_group(proc)  # nothing of the group may outlive it (a parse worker, the temporary server)
        return proc.returncode, log.read_text("utf-8", "replace")

    def kill_when(self, condition: Callable[[], bool], name: str = "killed", timeout: float = 180, **env: str) -> str:
        """Start the command, SIGKILL its whole process group as soon as ``condition()`` holds; the
        output it wrote until then. Fails when the run ends (or ``timeout`` passes) first."""
        log = self.log(name)
        proc = self.start(log, **env)
        deadline = time.monotonic() + timeout
        try:
            while not condition():
                if proc.poll() is not None:
                    raise AssertionError(
                        f"the run ended (status {proc.returncode}) before the kill point:\n{_tail(log)}"
                    )
                if time.monotonic() > deadline:
                    raise AssertionError(f"the kill point was not reached in {timeout:.0f} s:\n{_tail(log)}")
                time.sleep(0.05)
        finally:
            kill_group(proc)
        assert proc.returncode == -signal.SIGKILL, proc.returncode
        return log.read_text("utf-8", "replace")


def _tail(log: Path, n: int = 3000) -> str:
    return log.read_text("utf-8", "replace")[-n:] if log.exists() else ""


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the process group the test started (the CLI, its temporary Prefect server, the crawl
    subprocesses and the parse workers), and wait until no process of the group is left."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def lines(path: Path) -> int:
    """Complete lines of a JSONL file (0 when it does not exist)."""
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def query(warehouse: Path, sql: str, params=()) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


# Tables that an uninterrupted run and a killed-then-rerun one must hold alike, each as (rows, a
# digest of the columns that do not depend on when or how often the run was made). Not compared:
# fetches and core.documents (one row per response / sighting of a run: a killed attempt adds its
# own), runs and loaded_at columns (times).
CONTENT = {
    "reports": "SELECT report_id, source_id, org_name, report_year, template, document_sha256, document_url, "
    "page_url, parser_version, agency_id, n_cells, n_read, n_checks_failed, is_primary FROM reports",
    "cells": "SELECT report_id, cell_key, value, status, raw, locator, rule, confidence FROM cells",
    "checks": "SELECT report_id, rule, severity, result, detail FROM checks",
    "narrative": "SELECT report_id, figure_key, value, raw, approx FROM narrative",
    "sections": "SELECT report_id, section_key, text FROM sections",
    "documents": "SELECT sha256, source_id, format, document_url, page_url, title, year_hint, role, filename, "
    "parse_status, parser_version, error_kind, error, report_id FROM documents",
    "parse_failures": "SELECT sha256, error_kind, error, source_id, document_url FROM parse_failures",
    "agencies": "SELECT agency_id, name, adcode, n_reports FROM agencies",
    "provenance": "SELECT report_id, cell_key, value, source_id, document_url, page_url, document_http_status, "
    "page_http_status FROM provenance",
}


def content(warehouse: Path) -> dict[str, tuple[int, int]]:
    """(rows, order-independent digest) of each table in CONTENT."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            name: tuple(con.execute(f"SELECT count(*), coalesce(sum(hash(t)), 0) FROM ({sql}) t").fetchone())
            for name, sql in CONTENT.items()
        }
    finally:
        con.close()


# Each must be 0: a report's cells, checks and provenance land together or not at all.
PARTIAL = {
    "reports without cells": "SELECT count(*) FROM core.reports r WHERE NOT EXISTS "
    "(SELECT 1 FROM core.cells c WHERE c.report_id = r.report_id)",
    "reports without checks": "SELECT count(*) FROM core.reports r WHERE NOT EXISTS "
    "(SELECT 1 FROM core.checks c WHERE c.report_id = r.report_id)",
    "reports without an ok parse result": "SELECT count(*) FROM core.reports r WHERE NOT EXISTS (SELECT 1 FROM "
    "core.parse_results p WHERE p.result_id = r.report_id AND p.status = 'ok')",
    "ok parse results without a report": "SELECT count(*) FROM core.parse_results p WHERE p.status = 'ok' AND NOT "
    "EXISTS (SELECT 1 FROM core.reports r WHERE r.report_id = p.result_id)",
    "cells without a report": "SELECT count(*) FROM core.cells c WHERE NOT EXISTS "
    "(SELECT 1 FROM core.reports r WHERE r.report_id = c.report_id)",
    "checks without a report": "SELECT count(*) FROM core.checks c WHERE NOT EXISTS "
    "(SELECT 1 FROM core.reports r WHERE r.report_id = c.report_id)",
    "sections without a report": "SELECT count(*) FROM core.sections s WHERE NOT EXISTS "
    "(SELECT 1 FROM core.reports r WHERE r.report_id = s.report_id)",
    "cells without provenance": "SELECT count(*) FROM provenance WHERE document_url IS NULL OR page_url IS NULL "
    "OR document_fetch_id IS NULL OR page_fetch_id IS NULL",
    "reports without a document sighting": "SELECT count(*) FROM core.reports r WHERE NOT EXISTS "
    "(SELECT 1 FROM core.documents d WHERE d.sha256 = r.document_sha256)",
}


def partial(warehouse: Path) -> dict[str, int]:
    """The PARTIAL counts that are not 0."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        counts = {name: con.execute(sql).fetchone()[0] for name, sql in PARTIAL.items()}
    finally:
        con.close()
    return {k: v for k, v in counts.items() if v}


def read_every_table(warehouse: Path) -> dict[str, int]:
    """Open the file for writing (replays or drops its WAL), read every column of every core table,
    CHECKPOINT, and return the row counts: a corrupted file fails here."""
    con = duckdb.connect(str(warehouse))
    try:
        tables = [
            t
            for (t,) in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'core' ORDER BY 1"
            ).fetchall()
        ]
        counts = {t: con.execute(f"SELECT count(*), sum(hash(t)) FROM core.{t} t").fetchone()[0] for t in tables}
        con.execute("CHECKPOINT")
        return counts
    finally:
        con.close()


def summary_line(output: str) -> str:
    """The CLI's last line (``run …: N documents, …``)."""
    found = [line for line in output.splitlines() if line.startswith("run ") and " documents, " in line]
    assert found, output[-3000:]
    return found[-1]


def ledger(data: Path) -> list[dict]:
    path = data / "parsed" / "parses.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
