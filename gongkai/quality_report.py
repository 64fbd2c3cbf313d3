"""``gongkai report --warehouse PATH --out report.html``: one self-contained HTML quality report.

Coverage by province, level and year; fetch outcomes per source; parse status and rule failures;
distributions of applications received and of the share fully disclosed; and a drill-down per
report (its cells as the template's tables, failing rules highlighted, locators, links). The file
loads nothing at view time (inline CSS, SVG and script; a Content-Security-Policy forbids the rest).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from gongkai.report.collect import collect
from gongkai.report.drilldown import collect_payload
from gongkai.report.page import render


@dataclass(frozen=True, slots=True)
class ReportSummary:
    out: Path
    reports: int
    bytes: int  # size of the HTML file
    payload_bytes: int  # drill-down JSON before compression
    seconds: float

    def line(self) -> str:
        return (
            f"wrote {self.out} ({self.bytes / 1e6:.2f} MB, {self.reports} reports, "
            f"drill-down data {self.payload_bytes / 1e6:.2f} MB uncompressed) in {self.seconds:.1f}s"
        )


def build_html(conn: duckdb.DuckDBPyConnection, warehouse: str) -> tuple[str, int, int]:
    """(HTML, number of reports, drill-down JSON size) for an open warehouse connection."""
    data = collect(conn, warehouse)
    payload = collect_payload(conn)
    html, raw = render(data, payload)
    return html, len(payload["reports"]), raw


def write_report(warehouse: str | Path, out: str | Path) -> ReportSummary:
    """Read ``warehouse`` (read-only) and write the report to ``out`` atomically."""
    from warehouse.connect import connect

    started = time.monotonic()
    conn = connect(warehouse, read_only=True, lock_timeout=10.0)
    try:
        html, n, raw = build_html(conn, str(warehouse))
    finally:
        conn.close()
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    data = html.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return ReportSummary(out, n, len(data), raw, time.monotonic() - started)


def main(args) -> int:
    """The ``gongkai report`` command: one line on success, one line on stderr on failure."""
    from warehouse.connect import WarehouseError

    try:
        summary = write_report(args.warehouse, args.out)
    except (WarehouseError, ValueError) as err:
        print(f"gongkai report: {err}", file=sys.stderr)
        return 1
    except duckdb.Error as err:
        first = (str(err).strip().splitlines() or [type(err).__name__])[0]
        print(f"gongkai report: {args.warehouse} is not a readable warehouse ({first})", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"gongkai report: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0
