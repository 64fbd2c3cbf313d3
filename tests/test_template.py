import json
import pathlib

import pytest

from pipeline import template

from tests.conftest import SHARED

SHARED_SPEC = SHARED / "spec" / "cells_rules.json"


def test_vendored_spec_matches_shared_spec():
    if not SHARED_SPEC.exists():
        pytest.skip("../shared is not beside this checkout")
    ours = json.loads(pathlib.Path(template.__file__).with_name("spec").joinpath("cells_rules.json").read_text("utf-8"))
    assert ours == json.loads(SHARED_SPEC.read_text("utf-8"))


@pytest.mark.parametrize("tid,cells,rules,rows", [("gov2021", 200, 42, 25), ("gov2019", 198, 40, 23)])
def test_templates_load(tid, cells, rules, rows):
    t = template.get(tid)
    assert len(t.cells) == cells and len(t.rules) == rules and len(t.rows) == rows
    keys = set(t.keys)
    for r in t.rules:
        assert set(r.operands) <= keys, r.id
    assert {c.col_key for c in t.cols} == {c.col_key for c in t.cells if c.section == 3}


def test_hybrid_template_has_2021_section2_and_2019_section3():
    h = template.hybrid("gov2021", "gov2019")
    keys = set(h.keys)
    assert "s2_fee_amount_wan_yuan" in keys and "s3_other_processing__total" in keys
    assert "s3_other_misc__total" not in keys and "s2_procurement_items" not in keys
    assert len(h.cells) == 10 + 161 + 15
    assert all(set(r.operands) <= keys for r in h.rules)
