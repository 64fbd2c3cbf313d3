"""The cells of a record become rows column by column; every contract rule still names its cell."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from warehouse.rows import InvalidRecord, report_rows

GOOD = {
    "a": {"status": "read", "value": 3, "raw": "3", "locator": {"page": 1}, "rule": None},
    "b": {"status": "missing", "value": None, "raw": None},
    "c": {"status": "imputed", "value": 2.5, "rule": "sum", "confidence": 0.9, "ocr": True, "suspect": "seal"},
}


def _rows(cells):
    result = {
        "sha256": "f" * 64,
        "parser_version": "v1",
        "record": {"document": {}, "report": {"report_year": 2023}, "cells": cells, "checks": []},
    }
    return report_rows(result, run_id="r", loaded_at=datetime.now(timezone.utc), document=None, source=None)


def test_cells_come_out_as_columns_with_every_field():
    rows = {r["cell_key"]: r for r in _rows(GOOD)["cells"].rows()}
    assert rows["a"] == {
        "report_id": "f" * 64 + ":v1",
        "cell_key": "a",
        "value": 3.0,
        "status": "read",
        "raw": "3",
        "locator": '{"page":1}',
        "rule": None,
        "confidence": None,
        "ocr": False,
        "suspect": None,
    }
    assert rows["b"]["value"] is None and rows["b"]["status"] == "missing"
    assert (rows["c"]["confidence"], rows["c"]["ocr"], rows["c"]["suspect"]) == (0.9, True, "seal")


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("not a cell", "cells.x is not an object"),
        ({"status": "guessed", "value": 1}, "cells.x.status is 'guessed'"),
        ({"status": "read", "value": "7"}, "cells.x.value is '7', not a number"),
        ({"status": "read", "value": True}, "cells.x.value is True, not a number"),
        ({"status": "read", "value": float("nan")}, "cells.x.value is nan"),
        ({"status": "missing", "value": 0}, "cells.x is missing but has a value"),
        ({"status": "read", "value": None}, "cells.x is read without a value"),
        ({"status": "read", "value": 1, "confidence": float("inf")}, "cells.x.confidence is inf"),
    ],
)
def test_a_cell_that_breaks_the_contract_is_named(bad, message):
    with pytest.raises(InvalidRecord) as err:
        _rows({**GOOD, "x": bad})
    assert str(err.value) == message
