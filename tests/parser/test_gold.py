"""The visible gold set, scored by the shared scorer through the real command line."""

import subprocess
import sys

import pytest

from tests.conftest import SHARED, gongkai_exe

pytestmark = pytest.mark.slow  # the scorer runs gongkai parse on every corpus document, the scan through OCR

NON_PDF = ("seeds/", ".html", ".docx", ".doc")


@pytest.fixture(scope="module")
def score_lines(corpus):
    cmd = [
        sys.executable,
        str(SHARED / "tools" / "score.py"),
        str(corpus / "gold"),
        str(corpus),
        "--",
        *gongkai_exe(),
        "parse",
        "{}",
        "--json",
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900).stdout
    return out.splitlines()


def test_every_text_html_and_word_gold_document_is_exact(score_lines):
    docs = [l for l in score_lines if l.startswith(("ok ", "MISS", "FAILED"))]
    assert docs, score_lines
    non_pdf = [l for l in docs if any(m in l for m in NON_PDF) and ".pdf" not in l]
    assert len(non_pdf) >= 9
    bad = [l for l in non_pdf if not l.startswith("ok ")]
    assert not bad, "\n".join(score_lines)


def test_nothing_is_fabricated(score_lines):
    total = score_lines[-1]
    assert "fabricated 0" in total, total
