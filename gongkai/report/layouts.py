"""The template's tables as a compact layout the drill-down script draws a report's cells into.

A layout lists the template's cell keys once (``keys``); a report's values, statuses and locators
are arrays in that order, so no key is repeated per report. Sub-tables refer to cells by index.
"""

from __future__ import annotations

from functools import cache

from pipeline import template


def template_for(sec2: str | None, sec3: str | None, fallback: str | None) -> template.Template | None:
    """The (possibly hybrid) template of a report, or None when it names none we know."""
    sec2, sec3 = sec2 or fallback, sec3 or fallback
    if sec2 not in template.TEMPLATES or sec3 not in template.TEMPLATES:
        return None
    return template.hybrid(sec2, sec3)


@cache
def layout(sec2: str, sec3: str) -> dict:
    """JSON-ready layout of ``hybrid(sec2, sec3)``:

    ``{"id", "keys": [...], "labels": [...],
       "s2": [{"article", "cols": [...], "rows": [[row_label, [index|null per col]]]}],
       "s3": {"cols": [...], "rows": [[label, group|null, sub-group|null, [index per col]]]},
       "s4": [[group, sub-group|null, [[col_label, index]]]],
       "rules": {rule: [severity, formula, [operand index]]}}``
    """
    t = template.hybrid(sec2, sec3)
    keys = list(t.keys)
    index = {k: i for i, k in enumerate(keys)}
    labels = []
    for c in t.cells:
        if c.section == 3:
            labels.append(f"{_row_label(t, c.row_key)} × {_col_label(t, c.col_key)}")
        elif c.section == 2:
            labels.append(f"{c.article or ''} {c.row_label or ''} × {c.col_label or ''}".strip())
        else:
            labels.append(f"{c.group or ''} × {c.col_label or ''}")

    s2 = []
    for article in dict.fromkeys(c.article for c in t.cells if c.section == 2):
        cells = [c for c in t.cells if c.section == 2 and c.article == article]
        cols = list(dict.fromkeys(c.col_label for c in cells))
        rows = list(dict.fromkeys(c.row_label for c in cells))
        grid = {(c.row_label, c.col_label): index[c.key] for c in cells}
        s2.append({"article": article, "cols": cols, "rows": [[r, [grid.get((r, col)) for col in cols]] for r in rows]})

    s3 = {
        "cols": [c.label for c in t.cols],
        "rows": [
            [r.label, top, sub, [index.get(f"s3_{r.row_key}__{c.col_key}") for c in t.cols]]
            for r, (top, sub) in zip(t.rows, row_groups(t.rows))
        ],
    }

    s4 = []
    for group in dict.fromkeys(c.group for c in t.cells if c.section == 4):
        top, _, sub = (group or "").partition("/")
        s4.append(
            [top, sub or None, [[c.col_label, index[c.key]] for c in t.cells if c.section == 4 and c.group == group]]
        )

    rules = {r.id: [r.severity, r.formula, [index[k] for k in r.operands if k in index]] for r in t.rules}
    return {"id": t.id, "keys": keys, "labels": labels, "s2": s2, "s3": s3, "s4": s4, "rules": rules}


def row_groups(rows) -> list[tuple[str | None, str | None]]:
    """(group, sub-group) of each section 三 row, as the printed table merges them.

    The spec gives one group per row; a group numbered （三）…（六） sits inside the last top-level
    group (三、本年度办理结果), so 不予公开 … 其他处理 are sub-groups of it, as printed.
    """
    out, top = [], None
    for r in rows:
        if r.group is None:
            top = None
            out.append((None, None))
        elif r.group.startswith(("（", "(")) and top is not None:
            out.append((top, r.group))
        else:
            top = r.group
            out.append((r.group, None))
    return out


def _row_label(t: template.Template, row_key: str | None) -> str:
    return next((r.label for r in t.rows if r.row_key == row_key), row_key or "")


def _col_label(t: template.Template, col_key: str | None) -> str:
    return next((c.label for c in t.cols if c.col_key == col_key), col_key or "")
