"""DOC / WPS through LibreOffice: one batch, own profile, Word 97 containers."""

import random

import pytest

from gongkai.samples import render_office as office
from gongkai.samples.render_docx import render_docx
from gongkai.samples.values import generate_report
from pipeline.sniff import OLE_MAGIC, sniff

from sample_checks import require


@pytest.fixture
def soffice():
    require(office.soffice_path() is not None, "LibreOffice (soffice)")


@pytest.mark.slow
def test_batch_converts_in_order(soffice):
    reports = [generate_report(random.Random(s), size="medium") for s in (1, 2)]
    docs = office.render_office_batch([render_docx(r) for r in reports], "doc")
    assert len(docs) == 2
    for data, r in zip(docs, reports):
        assert data.startswith(OLE_MAGIC)
        assert sniff(data, "report.doc") == "doc" and sniff(data, "report.wps") == "wps"
        assert r.org_name.encode("utf-16-le") in data  # Word 97 keeps CJK text as UTF-16
        assert "三、本年度办理结果".encode("utf-16-le") in data
    assert reports[0].org_name.encode("utf-16-le") not in docs[1] or reports[0].org_name == reports[1].org_name


@pytest.mark.slow
def test_wps_is_the_doc_container(soffice):
    data = office.render_office(render_docx(generate_report(random.Random(3))), "wps")
    assert data.startswith(OLE_MAGIC) and sniff(data, "x.wps") == "wps"


def test_errors_are_clear(monkeypatch):
    with pytest.raises(ValueError):
        office.render_office_batch([b"x"], "odt")
    assert office.render_office_batch([], "doc") == []
    monkeypatch.setattr(office, "soffice_path", lambda: None)
    with pytest.raises(office.OfficeError, match="not installed"):
        office.render_office(render_docx(generate_report(random.Random(3))), "doc")


@pytest.mark.slow
def test_timeout_is_reported(soffice):
    with pytest.raises(office.OfficeError, match="timed out"):
        office.render_office(render_docx(generate_report(random.Random(3))), "doc", timeout=0.01)


def test_input_must_be_docx():
    with pytest.raises(ValueError, match="not a DOCX"):
        office.render_office(b"not a docx at all", "doc")
    with pytest.raises(ValueError, match="item 1"):
        office.render_office_batch([render_docx(generate_report(random.Random(3))), b"PK\x03\x04junk"], "doc")
