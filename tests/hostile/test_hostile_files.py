"""Every hostile file of issue 8: one clear line (CLI) or a ParseError kind (pipeline), in bounded
time and memory, and nothing written anywhere but the temp dirs the test hands out."""

from __future__ import annotations

import io
import json
import os
import random
import subprocess
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

import pytest

from pipeline.api import parse_bytes
from runner.parse import parse_supervised
from pipeline.limits import Limits
from pipeline.record import ParseError
from tests.conftest import gongkai_exe, require_tool
from tests.hostile import builders as b

CEILING_S = 60  # a generous ceiling against hangs, not a speed test
# the slow page is under the time limit only when the page content cap does not refuse it first
SLOW_PAGE_ENV = {"GONGKAI_MAX_PAGE_CONTENT_MB": "64"}


@lru_cache(maxsize=None)
def report_pdf() -> bytes:
    from gongkai.samples.render_pdf import render_pdf
    from gongkai.samples.values import generate_report

    return render_pdf(generate_report(random.Random(3)))


@lru_cache(maxsize=None)
def report_docx() -> bytes:
    from gongkai.samples.render_docx import render_docx
    from gongkai.samples.values import generate_report

    return render_docx(generate_report(random.Random(3)))


def password_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(100, 700, "2023年度政府信息公开工作年度报告")
    c.save()
    return buf.getvalue()


def ole_garbage() -> bytes:
    """An OLE container header and a WordDocument stream name, the rest noise: a broken .doc."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40 + "WordDocument".encode("utf-16-le") + b.random_bytes(30_000)
    )


def rowspan_bomb_html() -> bytes:
    rows = "".join('<tr><td rowspan="400" colspan="64">x</td><td>1</td></tr>' for _ in range(300))
    return f"<html><body><p>报告</p><table>{rows}</table></body></html>".encode()


@dataclass(frozen=True)
class Case:
    name: str  # file name given to the parser
    build: Callable[[], bytes]
    kind: str
    says: str  # part of the one line
    env: dict = field(default_factory=dict)
    needs: str | None = None  # a Debian tool


CASES = {
    "empty": Case("empty.pdf", lambda: b"", "empty", "empty file"),
    "blank": Case("blank.txt", lambda: b" \r\n\t \n" * 1000, "empty", "empty"),
    "random-bytes": Case("random.pdf", b.random_bytes, "unsupported", "the bytes are not PDF"),
    "truncated-pdf": Case("cut.pdf", lambda: report_pdf()[: len(report_pdf()) // 2], "corrupt", "corrupt PDF"),
    "truncated-pdf-head": Case("cut.pdf", lambda: report_pdf()[:1500], "corrupt", "corrupt PDF"),
    "flate-bomb-pdf": Case("bomb.pdf", b.flate_bomb_pdf, "too_large", "PDF streams inflate to more than 128 MB"),
    "small-flate-bomb-pdf": Case(
        "bomb.pdf", lambda: b.flate_bomb_pdf(256 * b.MiB), "too_large", "PDF streams inflate to more than 128 MB"
    ),
    "flate-bomb-page-pdf": Case(
        "slow.pdf", b.slow_page_pdf, "too_large", "29 MB of drawing instructions, over the limit of 2 MB"
    ),
    "slow-page-pdf": Case(
        "slow.pdf",
        b.slow_page_pdf,
        "timeout",
        "over the time limit of 3 s for 1 page(s), 1 of which may need OCR",
        env={"GONGKAI_BASE_SECONDS": "1", "GONGKAI_OCR_SECONDS_PER_PAGE": "2", **SLOW_PAGE_ENV},
    ),
    "encrypted-pdf": Case("secret.pdf", password_pdf, "encrypted", "password is required"),
    "encrypted-claim-standard": Case(
        "claim.pdf", lambda: b.encrypted_claim_pdf("standard"), "encrypted", "encrypted PDF"
    ),
    "encrypted-claim-unknown": Case(
        "claim.pdf", lambda: b.encrypted_claim_pdf("unknown"), "encrypted", "encrypted PDF"
    ),
    "encrypted-claim-dangling": Case(
        "claim.pdf", lambda: b.encrypted_claim_pdf("dangling"), "encrypted", "encrypted PDF"
    ),
    "5000-pages-pdf": Case("long.pdf", lambda: b.pages_pdf(5000), "too_large", "more than 300 pages"),
    "zip-bomb-docx": Case("bomb.docx", b.zip_bomb_docx, "too_large", "more than 256 MB; refusing (zip bomb?)"),
    "overlapping-zip-bomb-docx": Case("bomb.docx", b.overlapping_zip_bomb_docx, "too_large", "zip bomb"),
    "lying-zip-bomb-docx": Case("bomb.docx", b.lying_zip_bomb_docx, "corrupt", "Bad CRC-32"),
    "many-parts-docx": Case("many.docx", b.many_parts_docx, "too_large", "12,002 parts, more than the limit of 5,000"),
    "lying-part-count-docx": Case("many.docx", b.lying_count_docx, "too_large", "-byte part directory"),
    "entity-expansion-docx": Case("laughs.docx", lambda: b.docx_with_document(b.BILLION_LAUGHS), "unsafe", "DTD"),
    "external-entity-docx": Case("xxe.docx", lambda: b.docx_with_document(b.EXTERNAL_ENTITY), "unsafe", "DTD"),
    "late-dtd-docx": Case(
        "late.docx", lambda: b.docx_with_document(b.late_doctype(b.EXTERNAL_ENTITY)), "unsafe", "DTD"
    ),
    "utf16-dtd-docx": Case(
        "u16.docx",
        lambda: b.docx_with_document(
            b.EXTERNAL_ENTITY.replace(b'"1.0"?>', b'"1.0" encoding="UTF-16"?>').decode().encode("utf-16")
        ),
        "unsafe",
        "DTD",
    ),
    "dtd-in-rels-docx": Case(
        "rels.docx", lambda: b.docx_with_part("word/_rels/document.xml.rels", b.EXTERNAL_ENTITY), "unsafe", "DTD"
    ),
    "traversal-docx": Case(
        "trav.docx", lambda: b.docx_with_part("../../x", b"evil"), "unsafe", "unsafe name '../../x'"
    ),
    "absolute-name-docx": Case("abs.docx", lambda: b.docx_with_part("/etc/cron.d/x", b"evil"), "unsafe", "unsafe name"),
    "deeply-nested-html": Case("deep.html", lambda: b.nested_html(100_000), "too_large", "deeper than 255 levels"),
    "nested-over-limit-html": Case("deep.html", lambda: b.nested_html(200), "too_large", "deeper than 128 levels"),
    "nested-tables-html": Case("deep.html", lambda: b.nested_html(300, "table"), "too_large", "deeper than 255"),
    "50mb-table-html": Case("big.html", b.big_table_html, "too_large", "table cells, more than the limit of 100,000"),
    "rowspan-bomb-html": Case("span.html", rowspan_bomb_html, "too_large", "grid cells"),
    "many-lines-txt": Case("long.txt", lambda: "报告\n".encode() * 300_000, "too_large", "300,000 lines"),
    "not-a-report-html": Case("notice.html", lambda: b.NOT_A_REPORT, "not_report", "not a government information"),
    "zip-named-pdf": Case("report.pdf", lambda: b.docx({"a.txt": b"hello"}), "unsupported", "not a Word document"),
    "broken-doc": Case("broken.doc", ole_garbage, "corrupt", "LibreOffice could not read", needs="soffice"),
}


def _limits(env: dict) -> Limits:
    return Limits.from_env({**os.environ, **env})


@pytest.mark.slow
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_pipeline_gives_a_parse_error_with_its_kind(case_id):
    case = CASES[case_id]
    if case.needs:
        require_tool(case.needs)
    data = case.build()
    started = time.monotonic()
    with pytest.raises(ParseError) as err:
        parse_supervised(data, case.name, _limits(case.env))
    assert time.monotonic() - started < CEILING_S
    assert err.value.kind == case.kind, str(err.value)
    message = str(err.value)
    assert case.says in message and "\n" not in message and len(message) < 300, message


@pytest.mark.parametrize("case_id", sorted(set(CASES) - {"slow-page-pdf", "broken-doc"}))
def test_structural_limits_hold_without_the_child(case_id):
    """The pure entry point refuses the same files by itself (flate bombs included: inflating is
    capped): only the slow page needs the child's time watch (the PDF reader checks its deadline
    between pages); the broken DOC is the same code path and costs a LibreOffice start."""
    case = CASES[case_id]
    with pytest.raises(ParseError) as err:
        parse_bytes(case.build(), case.name, _limits({**case.env, "GONGKAI_GUARD": "off"}))
    assert err.value.kind == case.kind


def _sandbox(tmp_path: Path) -> tuple[Path, dict]:
    for d in ("work", "tmp", "home"):
        (tmp_path / d).mkdir()
    env = dict(
        os.environ,
        TMPDIR=str(tmp_path / "tmp"),
        HOME=str(tmp_path / "home"),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    return tmp_path / "work", env


def _assert_nothing_left(tmp_path: Path, *inputs: str) -> None:
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == sorted(inputs)
    assert list((tmp_path / "tmp").iterdir()) == [], "temp files left behind"
    assert list((tmp_path / "home").iterdir()) == [], "something wrote into HOME"


def run_parse(work: Path, env: dict, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    proc = subprocess.run(
        [*gongkai_exe(), "parse", *args], cwd=work, env=env, capture_output=True, text=True, timeout=CEILING_S * 2
    )
    return proc, time.monotonic() - started


@pytest.mark.slow
@pytest.mark.parametrize("case_id", sorted(CASES))
def test_cli_answers_in_one_line(tmp_path, case_id):
    case = CASES[case_id]
    if case.needs:
        require_tool(case.needs)
    work, env = _sandbox(tmp_path)
    (work / case.name).write_bytes(case.build())
    proc, took = run_parse(work, {**env, **case.env}, case.name)
    assert took < CEILING_S
    assert proc.returncode == 1
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith(f"gongkai parse: {case.name}: ") and case.says in lines[0], lines[0]
    assert "Traceback" not in proc.stderr
    _assert_nothing_left(tmp_path, case.name)


@pytest.mark.slow
def test_cli_timeout_flag_bounds_each_document(tmp_path):
    work, env = _sandbox(tmp_path)
    (work / "slow.pdf").write_bytes(b.slow_page_pdf())
    proc, took = run_parse(work, {**env, **SLOW_PAGE_ENV}, "slow.pdf", "--timeout", "2")
    assert took < CEILING_S and proc.returncode == 1 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("gongkai parse: slow.pdf: stopped after ") and "over the time limit of 2 s" in line
    _assert_nothing_left(tmp_path, "slow.pdf")


@pytest.mark.parametrize(
    "args, env, says",
    [
        (["--timeout", "0"], {}, "limit max_seconds must be positive"),
        ([], {"GONGKAI_MAX_MEMORY_MB": "lots"}, "GONGKAI_MAX_MEMORY_MB must be a whole number, not 'lots'"),
    ],
)
@pytest.mark.slow
def test_cli_bad_limits_are_one_line(tmp_path, args, env, says):
    work, base_env = _sandbox(tmp_path)
    (work / "r.txt").write_bytes("报告".encode())
    proc, _ = run_parse(work, {**base_env, **env}, "r.txt", *args)
    assert proc.returncode == 2 and proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("gongkai parse: ") and says in line, line


@pytest.mark.slow
def test_cli_jsonl_records_the_kind(tmp_path):
    work, env = _sandbox(tmp_path)
    for name, data in (("deep.html", b.nested_html(1000)), ("trav.docx", b.docx_with_part("../../x", b"e"))):
        (work / name).write_bytes(data)
    proc, _ = run_parse(work, env, "deep.html", "trav.docx", "--jsonl")
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [(r["file"], r["error_kind"]) for r in rows] == [("deep.html", "too_large"), ("trav.docx", "unsafe")]
    assert proc.returncode == 1


@pytest.mark.parametrize(
    "name, build, fmt",
    [
        ("report.docx", report_pdf, "pdf"),
        ("report.pdf", report_docx, "docx"),
    ],
    ids=["pdf-named-docx", "docx-named-pdf"],
)
@pytest.mark.slow
def test_misnamed_files_are_sniffed_and_parsed(tmp_path, name, build, fmt):
    work, env = _sandbox(tmp_path)
    (work / name).write_bytes(build())
    proc, took = run_parse(work, env, name)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    record = json.loads(proc.stdout)
    assert record["document"]["format"] == fmt
    assert any(
        f"named '{name}' but the bytes are {fmt.upper()}; read as {fmt.upper()}" in w for w in record["warnings"]
    )
    same = parse_bytes(build(), f"report.{fmt}").to_dict()
    assert record["report"] == same["report"] and record["cells"] == same["cells"]  # only the warning differs
    _assert_nothing_left(tmp_path, name)


@pytest.mark.slow
def test_doc_through_libreoffice_leaves_nothing_behind(tmp_path):
    require_tool("soffice")
    from gongkai.samples.render_office import render_office

    work, env = _sandbox(tmp_path)
    (work / "report.doc").write_bytes(render_office(report_docx(), "doc"))
    proc, _ = run_parse(work, env, "report.doc")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["document"]["format"] == "doc"
    _assert_nothing_left(tmp_path, "report.doc")


_WRITES: list = []
_AUDITING = False


def _audit(event: str, args: tuple) -> None:
    if _AUDITING and event == "open":
        path, mode, flags = (list(args) + [None, None])[:3]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing:
            _WRITES.append((path, mode, flags))


@pytest.fixture
def no_writes():
    """Every file opened for writing while the test body runs (a Python audit hook sees all opens)."""
    global _AUDITING
    if not getattr(_audit, "installed", False):
        import sys

        sys.addaudithook(_audit)
        _audit.installed = True
    _WRITES.clear()
    _AUDITING = True
    yield _WRITES
    _AUDITING = False


@pytest.mark.parametrize(
    "name, build",
    [
        ("report.docx", report_docx),
        ("report.pdf", report_pdf),
        ("bomb.docx", b.zip_bomb_docx),
        ("trav.docx", lambda: b.docx_with_part("../../x", b"evil")),
        ("page.html", lambda: b.NOT_A_REPORT),
    ],
    ids=["docx", "pdf", "zip-bomb", "traversal", "html"],
)
def test_parsing_opens_no_file_for_writing(no_writes, name, build):
    """The DOCX path reads the package in memory and never extracts a part; no format writes."""
    data = build()
    try:
        parse_bytes(data, name, Limits(guard="off"))
    except ParseError:
        pass
    assert no_writes == []
