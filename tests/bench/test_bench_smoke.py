"""``python -m bench --quick`` runs every stage on a tiny generated corpus and writes its report.

No timing is asserted: only that every row was measured, has its ratio, and that what was timed
was a parse that worked.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bench")
    md, raw = tmp / "bench.md", tmp / "raw.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(md), "--json", str(raw), "--work", str(tmp / "work")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc, md, raw


@pytest.mark.slow
def test_quick_run_measures_every_stage(quick_run):
    proc, md, raw = quick_run
    assert proc.returncode == 0, proc.stderr[-2000:]
    text = md.read_text("utf-8")
    results = text.split("## Results", 1)[1].split("## Targets", 1)[0]
    lines = [line for line in results.splitlines() if line.startswith("| ") and "---" not in line][1:]
    stages = {line.split(" | ")[0].lstrip("| ") for line in lines}
    assert stages >= {
        "PDF parse",
        "PDF parse (long)",
        "DOCX parse",
        "HTML parse",
        "DOC parse, one by one",
        "OCR (ocr='force')",
        "end to end (flows.process)",
        "warehouse load_run",
        "crawl, politeness off",
    }
    for line in lines:  # every row has its ratio against a floor
        ratio = line.split(" | ")[10]
        assert ratio.endswith("×") and float(ratio[:-1]) > 0, line
    assert "quick mode" in text and "**Machine**" in text and "load average" in text
    assert text.count("| 5-page text PDF") == 1 and "| DOCX parses in under 100 ms" in text
    assert proc.stdout.count("×") >= len(lines)  # the table is printed too


@pytest.mark.slow
def test_quick_run_timed_real_parses(quick_run):
    proc, _md, raw = quick_run
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(raw.read_text("utf-8"))
    for key, entry in data["files"].items():
        for run in entry["runs"]:
            assert run["ok"], (key, run["error"])
            assert 0 < run["maxrss_kb"] < 4 << 20, key  # KiB: a real child peak, below 4 GB
            for s in run["output"]["samples"]:
                assert "error" not in s["check"], (key, s)
                if entry["method"] in ("parse", "office_batch"):
                    c = s["check"]
                    assert c["cells_expected"] > 150 and c["cells_right"] >= 0.9 * c["cells_expected"], (key, c)
    e2e = {k: v for k, v in data["e2e"].items() if isinstance(v, dict)}
    assert set(e2e) == {"serial", "pool1", "pool2"}
    assert all(d["status"] == "ok" for run in e2e.values() for d in run["output"]["docs"])
    pool2 = e2e["pool2"]["output"]
    pids = [d["pid"] for d in pool2["docs"]]
    assert pool2["workers"] == 2 and None not in pids and len(set(pids)) == len(pids)  # one child per document
    crawl = data["crawl"]
    assert crawl["demo"]["output"]["runs"][0]["documents"] > 0
    assert crawl["scrapy_bench"]["output"]["runs"][0]["responses"] > 0


@pytest.mark.slow
def test_render_rewrites_the_same_page(quick_run, tmp_path):
    proc, md, raw = quick_run
    assert proc.returncode == 0, proc.stderr[-2000:]
    again = tmp_path / "again.md"
    rerun = subprocess.run(
        [sys.executable, "-m", "bench", "--render", str(raw), "--out", str(again)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert again.read_text("utf-8") == md.read_text("utf-8")


@pytest.mark.slow
def test_unknown_stage_is_one_line():
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--only", "pdf,nope"], cwd=REPO, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown stage(s) nope" in proc.stderr
