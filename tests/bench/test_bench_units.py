"""The benchmark's own machinery: memory read per child, failing children, ratios, profiles, page counts."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench import profile, rows
from bench.corpus import Corpus, Doc, n_pages, pdf_of_pages
from bench.spawn import LAUNCHER, run_child

ALLOC = "x = bytearray({mb} << 20); x[::4096] = b'1' * len(x[::4096])"


def _launch(tmp_path: Path, code: str) -> dict:
    import json

    out = tmp_path / "usage.json"
    subprocess.run([sys.executable, "-S", str(LAUNCHER), str(out), sys.executable, "-c", code], check=True)
    return json.loads(out.read_text())


@pytest.mark.slow
def test_launcher_reads_the_child_peak_not_the_parent(tmp_path):
    ballast = bytearray(300 << 20)  # this process holds 300 MB while it starts the children
    ballast[::4096] = b"1" * len(ballast[::4096])
    small = _launch(tmp_path, "pass")
    big = _launch(tmp_path, ALLOC.format(mb=200))
    assert small["maxrss_kb"] < 100 * 1024
    assert big["maxrss_kb"] > 200 * 1024
    assert big["maxrss_kb"] < 300 * 1024  # not the parent's 300 MB on top
    del ballast


@pytest.mark.slow
def test_failing_children_are_recorded(tmp_path):
    bad = run_child({"kind": "no-such-kind"}, tmp_path, "bad")
    assert not bad.ok and "unknown job kind" in bad.error
    missing = run_child(
        {"kind": "files", "method": "parse", "corpus": str(tmp_path / "missing"), "docs": [], "repeats": 1},
        tmp_path,
        "missing",
    )
    assert not missing.ok and "manifest.json" in missing.error  # one line, not a traceback


def test_ratio_is_the_median_of_per_document_ratios(tmp_path):
    docs = (
        Doc("a.pdf", "pdf", "5 p ruled", 5, "a" * 64, 1),
        Doc("b.pdf", "pdf", "5 p ruled", 5, "b" * 64, 1),
        Doc("c.pdf", "pdf", "5 p ruled", 5, "c" * 64, 1),
    )
    corpus = Corpus(tmp_path, docs)

    def entry(method, walls):
        samples = [
            {"doc": d, "repeat": r, "wall": w, "cpu": w, "check": {}}
            for d, ws in walls.items()
            for r, w in enumerate(ws)
        ]
        return {
            "method": method,
            "docs": list(walls),
            "runs": [
                {"ok": True, "error": None, "maxrss_kb": 2048, "output": {"samples": samples, "baseline_rss_kb": 1024}}
            ],
        }

    stage = rows.summarize(
        entry("parse", {"a.pdf": [2.0, 2.2, 9.0], "b.pdf": [3.0, 3.0, 3.0], "c.pdf": [1.0, 1.0, 1.0]}), corpus
    )
    floor = rows.summarize(
        entry("pypdfium2_text", {"a.pdf": [1.0, 1.0, 1.0], "b.pdf": [1.0, 1.0, 1.0], "c.pdf": [1.0, 1.0, 1.0]}), corpus
    )
    assert stage.per_doc == {"a.pdf": 2.2, "b.pdf": 3.0, "c.pdf": 1.0}
    assert rows.ratio(stage, floor) == pytest.approx(2.2)
    assert stage.median_page == pytest.approx(2.2 / 5)  # median of the nine samples ÷ 5 pages
    assert rows.peak(stage.peak_kb, stage.baseline_kb) == "2 MB (+1)"


def test_failed_samples_do_not_count_as_times(tmp_path):
    corpus = Corpus(tmp_path, (Doc("a.docx", "docx", "docx", None, "a" * 64, 1, {"k": 1}),))
    samples = [{"doc": "a.docx", "repeat": 0, "wall": 0.001, "cpu": 0.001, "check": {"error": "ParseError: bad"}}]
    m = rows.summarize(
        {
            "method": "parse",
            "docs": ["a.docx"],
            "runs": [{"ok": True, "error": None, "maxrss_kb": 1, "output": {"samples": samples}}],
        },
        corpus,
    )
    assert m.median is None and m.check == "1 failed"


def test_profile_areas(tmp_path):
    site = "/x/lib/python3.11/site-packages/mammoth/docx/body_xml.py"
    assert profile.area(site) == "mammoth"
    assert profile.module(site) == "mammoth.docx.body_xml"
    assert profile.area(str(profile.REPO / "pipeline" / "pdf" / "chars.py")) == "pipeline.pdf.chars"
    assert profile.area(str(profile.STDLIB / "xml" / "dom" / "minidom.py")) == "stdlib xml"
    assert profile.area("~") == "builtin"


@pytest.mark.parametrize("pages", [5, 12])
def test_generated_pdfs_have_the_pages_asked_for(pages):
    _report, pdf, got = pdf_of_pages(1001, pages, "borderless")
    assert got == pages == n_pages(pdf)


def test_pruned_styles_convert_to_the_same_html():
    import io
    import random
    import zipfile

    import mammoth

    from bench.prototype import prune_styles
    from gongkai.samples.render_docx import render_docx
    from gongkai.samples.values import generate_report

    data = render_docx(generate_report(random.Random(3), template="gov2019"))
    pruned = prune_styles(data)
    size = {
        name: len(zipfile.ZipFile(io.BytesIO(blob)).read("word/styles.xml"))
        for name, blob in (("full", data), ("pruned", pruned))
    }
    assert size["pruned"] < size["full"] / 5
    assert mammoth.convert_to_html(io.BytesIO(pruned)).value == mammoth.convert_to_html(io.BytesIO(data)).value
