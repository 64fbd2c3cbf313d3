"""Generated files stay in step with pipeline/spec/cells_rules.json."""

from pipeline import template
from warehouse import generated, glossary


def test_generated_files_are_up_to_date():
    assert generated.stale() == [], "run: python -m warehouse.generated"


def test_dictionary_lists_every_key_with_label_meaning_and_unit():
    text = generated.DICTIONARY.read_text(encoding="utf-8")
    for t in template.all_templates():
        for c in t.cells:
            line = next(l for l in text.splitlines() if l.startswith(f"| `{c.key}` |"))
            assert glossary.meaning(c.key) in line and glossary.unit(c.key, c.type) in line
    assert "| `s2_fee_amount_wan_yuan` | 第二十条第（八）项 › 行政事业性收费 × 本年收费金额（单位：万元） | 2 |" in text
    assert (
        "| `s3_granted__total` | 三、本年度办理结果 › （一）予以公开 × 总计 | 3 | handled: disclosed in full — all applicants |"
        in text
    )


def test_wide_view_has_a_column_per_key(ro):
    have = {r[0] for r in ro.execute("DESCRIBE report_wide").fetchall()}
    keys = {c.key for t in template.all_templates() for c in t.cells}
    assert keys <= have and len(keys) == len(generated.wide_keys())
