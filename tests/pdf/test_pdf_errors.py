"""Bad input: one clear ParseError with a kind, never a traceback or garbage."""

from __future__ import annotations

import io

import pytest
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from pipeline.pdf import pdf_to_layout
from pipeline.record import ParseError


def _pdf(pages: int = 1, text: bool = True, encrypt=None) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for i in range(pages):
        if text:
            c.drawString(100, 700, f"Annual report page {i + 1}, with enough text on it")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    "data, kwargs, kind",
    [
        (b"", {}, "empty"),
        (b"<html>not a pdf</html>", {}, "corrupt"),
        (_pdf()[:300], {}, "corrupt"),
        (_pdf(encrypt=pdfencrypt.StandardEncryption("secret", ownerPassword="owner")), {}, "encrypted"),
        (_pdf(pages=3), {"max_pages": 2}, "too_large"),
        (_pdf(text=False), {}, "empty"),
        (_pdf(), {"timeout_s": 1e-9}, "timeout"),
    ],
)
def test_bad_input_kinds(data, kwargs, kind):
    with pytest.raises(ParseError) as err:
        pdf_to_layout(data, **kwargs)
    assert err.value.kind == kind
    message = str(err.value)
    assert message and "\n" not in message and "Traceback" not in message


def test_owner_password_only_still_parses():
    data = _pdf(encrypt=pdfencrypt.StandardEncryption("", ownerPassword="owner"))
    layout = pdf_to_layout(data)
    assert layout.lines[0].text == "Annual report page 1, with enough text on it"


def test_bad_ocr_mode():
    with pytest.raises(ValueError):
        pdf_to_layout(_pdf(), ocr="sometimes")


def test_one_unreadable_page_is_skipped_not_fatal(monkeypatch):
    from pdfminer.pdfinterp import PDFPageInterpreter

    real = PDFPageInterpreter.process_page
    calls = []

    def flaky(self, page):
        calls.append(page)
        if len(calls) == 2:
            raise ValueError("broken content stream")
        return real(self, page)

    monkeypatch.setattr(PDFPageInterpreter, "process_page", flaky)
    layout = pdf_to_layout(_pdf(pages=3))
    assert [ln.text for ln in layout.lines] == [
        "Annual report page 1, with enough text on it",
        "Annual report page 3, with enough text on it",
    ]
    assert layout.warnings == ("page 2: unreadable (ValueError: broken content stream), skipped",)

    calls.clear()
    monkeypatch.setattr(PDFPageInterpreter, "process_page", lambda self, page: (_ for _ in ()).throw(ValueError("x")))
    with pytest.raises(ParseError) as err:
        pdf_to_layout(_pdf(pages=2))
    assert err.value.kind == "corrupt"
