"""The same report read from text in every layout the seeds show must give the same cells.

Real HTML pages are rendered back to text the way extraction tools print tables (tab-separated rows,
one cell per line with tab indents and blank lines between rows, space-separated rows) and parsed
again. Where blanks make positions unknowable (space-separated rows drop blank cells), those cells
must be missing, never guessed.
"""

import pytest

from pipeline.api import parse_bytes, to_layout

PAGES = [
    "pingtan_80576.html",
    "pingtan_80629.html",
    "pingtan_87885.html",
    "pingtan_97791.html",
    "pingtan_105587.html",
    "shanghai_gov_office_2019.html",
]


def render(layout, mode: str) -> bytes:
    out = []
    for line in layout.lines:
        cells = [c.text.replace("\n", "") for c in line.cells if not c.continued]
        if line.table is None:
            out.append(cells[0] if cells else "")
        elif mode == "tab":
            out.append("\t".join(cells))
        elif mode == "space":
            out.append(" ".join(c for c in cells if c.strip()))
        elif mode == "perline":
            out.extend("\t" + c for c in cells)
            out.append("")
    return "\n".join(out).encode("utf-8")


@pytest.mark.parametrize("mode", ["tab", "perline", "space"])
@pytest.mark.parametrize("name", PAGES)
def test_text_renderings_agree_with_the_html(corpus, name, mode):
    path = corpus / "real" / name
    if not path.exists():
        pytest.skip(f"{name} not in this corpus")
    data = path.read_bytes()
    base = parse_bytes(data, name)
    text = parse_bytes(render(to_layout(data, name), mode), "report.txt")
    assert (text.report.report_year, text.report.template, text.report.sec3_variant) == (
        base.report.report_year,
        base.report.template,
        base.report.sec3_variant,
    )
    assert set(text.cells) == set(base.cells)
    for key, cell in base.cells.items():
        got = text.cells[key]
        if cell.value is None:
            assert got.value is None, key  # a blank cell never gains a value
        elif got.value is None:
            # only where the rendering lost the blank cells that fix positions
            assert mode == "space" and got.status == "missing", key
        else:
            assert got.value == cell.value, key
