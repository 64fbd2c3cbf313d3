"""How each source ended, per run, in the warehouse: ``core.source_runs`` and the ``source_runs`` view."""

from __future__ import annotations

import duckdb

from warehouse.loader import load_run


def _sources(outcomes: dict[str, tuple[str, str, int]]) -> list[dict]:
    return [
        {
            "id": sid,
            "name": f"{sid} 门户",
            "cms": "auto",
            "start_urls": [f"http://{sid}.example/"],
            "run": {"outcome": o, "reason": r, "n_documents": n},
        }
        for sid, (o, r, n) in outcomes.items()
    ]


def test_each_run_keeps_each_sources_outcome(tmp_path):
    wh = tmp_path / "w.duckdb"
    load_run(
        wh,
        run_id="r1",
        sources=_sources(
            {"a": ("ok", "12 fetches answered", 3), "b": ("empty", "no report was listed\nsecond line", 0)}
        ),
        fetches=[],
        documents=[],
        results=[],
    )
    load_run(
        wh,
        run_id="r2",
        sources=_sources(
            {"a": ("partial", "failed: article error 1", 2), "b": ("blocked", "every page was a challenge", 0)}
        ),
        fetches=[],
        documents=[],
        results=[],
    )
    con = duckdb.connect(str(wh), read_only=True)
    try:
        rows = con.execute(
            "SELECT run_id, source_id, name, outcome, reason, n_documents, is_latest "
            "FROM source_runs ORDER BY run_id, source_id"
        ).fetchall()
        config = con.execute("SELECT config FROM core.sources WHERE source_id = 'a'").fetchone()[0]
    finally:
        con.close()
    assert rows == [
        ("r1", "a", "a 门户", "ok", "12 fetches answered", 3, False),
        ("r1", "b", "b 门户", "empty", "no report was listed", 0, False),
        ("r2", "a", "a 门户", "partial", "failed: article error 1", 2, True),
        ("r2", "b", "b 门户", "blocked", "every page was a challenge", 0, True),
    ]
    assert '"run"' not in config  # the registry entry stays the registry entry
