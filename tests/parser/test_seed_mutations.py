"""The seeds, disturbed the way other extractions disturb text, still give their gold cells."""

import json
import re

import pytest

from pipeline.api import parse_bytes


def truncate_sublabels(text: str, n: int = 6) -> str:
    """Cut every numbered sub-row label ("2.其他法律行政法规禁止公开") to n characters."""
    out = []
    for line in text.split("\n"):
        cells = []
        for c in line.split("\t"):
            s = c.strip()
            if re.match(r"^\d\.\s*[\u4e00-\u9fff]", s) and not re.search(r"\s\d", s) and len(s) > n:
                c = c[: c.index(s) + n]
            cells.append(c)
        out.append("\t".join(cells))
    return "\n".join(out)


def markdown_tables(text: str, rule: bool = True) -> str:
    """Tab rows as Markdown table rows (``| a | b |``), a ``|---|`` rule under the first row of each
    table when ``rule``; blank cells stay ``|  |``."""
    out, in_table = [], False
    for line in text.split("\n"):
        if "\t" not in line:
            out.append(line)
            in_table = False
            continue
        cells = line.split("\t")
        out.append("| " + " | ".join(cells) + " |")
        if rule and not in_table:
            out.append("|" + " --- |" * len(cells))
        in_table = True
    return "\n".join(out)


MUTATIONS = {
    "truncated": lambda t: truncate_sublabels(t).encode("utf-8"),
    "no_blank_lines": lambda t: "\n".join(l for l in t.split("\n") if l.strip()).encode("utf-8"),
    "fullwidth_digits": lambda t: t.translate(str.maketrans("0123456789", "０１２３４５６７８９")).encode("utf-8"),
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf8_bom": lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
    "utf16_notepad": lambda t: t.replace("\n", "\r\n").encode("utf-16"),  # Notepad's "Unicode"
    "utf16_be": lambda t: t.encode("utf-16-be").join([b"\xfe\xff", b""]),
    "padded_lines": lambda t: "\n".join(line + " \t" for line in t.split("\n")).encode("utf-8"),
    "ideographic_indent": lambda t: "\n".join(
        "\u3000\u3000" + line if line.strip() else line for line in t.split("\n")
    ).encode("utf-8"),
    "nbsp_spaces": lambda t: t.replace(" ", "\u00a0").encode("utf-8"),
    "markdown_tables": lambda t: markdown_tables(t).encode("utf-8"),
    "markdown_no_rule": lambda t: markdown_tables(t, rule=False).encode("utf-8"),
    # thousands separators in table cells (13313 → 13,313)
    "commas": lambda t: "\n".join(
        re.sub(r"(?<![\d.])(\d{1,3})(\d{3})(?![\d.])", r"\1,\2", l) if "\t" in l else l for l in t.split("\n")
    ).encode("utf-8"),
    "cr_only": lambda t: t.replace("\n", "\r").encode("utf-8"),  # classic Mac line ends
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_seed_mutations_keep_the_gold(corpus, mutation):
    golds = [json.loads(p.read_text("utf-8")) for p in sorted((corpus / "gold").glob("*.json"))]
    golds = [g for g in golds if g["file"].startswith("seeds/")]
    assert golds
    for gold in golds:
        text = (corpus / gold["file"]).read_text("utf-8")
        rec = parse_bytes(MUTATIONS[mutation](text), "seed.txt")
        wrong = {
            k: (v, rec.cells[k].value if k in rec.cells else "absent")
            for k, v in gold["cells"].items()
            if k not in rec.cells or rec.cells[k].value != v
        }
        assert not wrong, (gold["file"], list(wrong.items())[:5])
        assert rec.report.report_year == gold["report"]["report_year"]
        assert rec.report.sec3_variant == gold["report"]["sec3_variant"]
