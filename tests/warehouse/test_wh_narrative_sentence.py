"""The narrative view carries the sentence each figure was read from (issue 18, migration 006):
a real report parsed by the pipeline, loaded into a real DuckDB file, read back through the view."""

import pytest

from pipeline.api import parse_path
from warehouse.connect import connect
from warehouse.loader import load_run


def test_narrative_view_shows_the_sentence_of_each_figure(tmp_path):
    from tests.conftest import CORPUS

    path = CORPUS / "real" / "sanming_2021.txt"
    if not path.exists():
        pytest.skip("sanming_2021.txt not in this corpus")
    record = parse_path(path).to_dict()
    result = {
        "sha256": record["document"]["sha256"],
        "parser_version": record["parser_version"],
        "status": "ok",
        "error": None,
        "error_kind": None,
        "record": record,
    }
    db = tmp_path / "warehouse.duckdb"
    summary = load_run(db, run_id="run-narrative", sources=[], fetches=[], documents=[], results=[result])
    assert summary.reports == 1 and not summary.problems
    conn = connect(db, read_only=True)
    try:
        rows = {
            key: (value, sentence)
            for key, value, sentence in conn.execute("SELECT figure_key, value, sentence FROM narrative").fetchall()
        }
    finally:
        conn.close()
    value, sentence = rows["n_license_items_narr"]
    assert value == 554782 and "分别为554782项、244523项" in sentence
    assert rows["n_penalty_items_narr"][0] == 244523
