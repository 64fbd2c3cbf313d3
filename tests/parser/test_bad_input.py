"""Bad input exits non-zero with one clear line on stderr and no traceback."""

import io
import os
import subprocess
import zipfile

import pytest

from tests.conftest import gongkai_exe

pytestmark = pytest.mark.slow  # every test runs the gongkai command


def _docx_with(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buf.getvalue()


CASES = {
    "empty.txt": (b"", "empty"),
    "random.bin": (os.urandom(4096), "unsupported file type"),
    "corrupt.docx": (b"PK\x03\x04" + os.urandom(2000), "corrupt"),
    "nodoc.docx": (_docx_with({"[Content_Types].xml": b"<Types/>", "word/other.xml": b"<x/>"}), "not a Word document"),
    "traversal.docx": (_docx_with({"word/document.xml": b"<w:document/>", "../../x": b"evil"}), "unsafe name"),
    "xxe.docx": (
        _docx_with(
            {
                "word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
            }
        ),
        "DTD",
    ),
    "notice.html": (
        "<html><head><title>关于做好2023年政务公开工作的通知</title></head><body><p>各单位：现将有关事项通知如下。</p></body></html>".encode(),
        "not a government",
    ),
    "prose.txt": ("今天天气很好。\n我们去公园散步。\n".encode(), "not a government"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_gives_one_line(tmp_path, name):
    data, expect = CASES[name]
    path = tmp_path / name
    path.write_bytes(data)
    proc = subprocess.run([*gongkai_exe(), "parse", str(path), "--json"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert expect in lines[0], lines[0]
    # nothing is written beside the input
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_missing_file(tmp_path):
    proc = subprocess.run([*gongkai_exe(), "parse", str(tmp_path / "nope.pdf")], capture_output=True, text=True)
    assert proc.returncode != 0 and "no such file" in proc.stderr


def test_many_files_in_order_as_jsonl(corpus, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    seeds = sorted((corpus / "seeds").glob("*.txt"))[:2]
    paths = [str(seeds[0]), str(bad), str(seeds[1])]
    proc = subprocess.run([*gongkai_exe(), "parse", *paths, "--jsonl"], capture_output=True, text=True, timeout=120)
    import json

    rows = [json.loads(l) for l in proc.stdout.splitlines()]
    assert [r["file"] for r in rows] == paths
    assert "error" in rows[1] and rows[0]["report"]["report_year"] == 2022
    assert proc.returncode == 1
