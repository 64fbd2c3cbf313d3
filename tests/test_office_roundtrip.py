"""Reports as Word users publish them: our generated DOCX saved as DOC and exported to PDF by
LibreOffice (one batch each), parsed back to exactly the generated cells."""

import random
from functools import lru_cache

import pytest

from gongkai.samples.render_docx import render_docx
from gongkai.samples.values import generate_report
from pipeline.api import parse_bytes
from pipeline.office import convert_batch
from tests.conftest import require_tool
from tests.test_roundtrip_property import check_record

CASES = [("gov2021", 0.0), ("gov2019", 0.1), ("hybrid", 0.0), ("gov2021", 0.3)]
REPORTS = [generate_report(random.Random(100 + i), template=t, blanks=b) for i, (t, b) in enumerate(CASES)]


@lru_cache(maxsize=None)
def exported(target: str) -> tuple[bytes, ...]:
    converted = convert_batch([render_docx(r) for r in REPORTS], src_ext="docx", target=target)
    assert all(converted), "LibreOffice produced nothing for some documents"
    return tuple(converted)


@pytest.mark.slow
@pytest.mark.parametrize(
    "target,name,fmt", [("doc", "report.doc", "doc"), ("doc", "附件.wps", "wps"), ("pdf", "report.pdf", "pdf")]
)
def test_libreoffice_exports_parse_exactly(target, name, fmt):
    """A Kingsoft .wps is a Word 97 container: the same bytes, told apart by the file name only."""
    require_tool("soffice")
    for rep, data in zip(REPORTS, exported(target)):
        record = parse_bytes(data, name)
        assert record.document.format == fmt
        check_record(record, rep, f"LibreOffice {target} as {name} {rep.template}")
