"""OCR engine errors end up in the document's warnings instead of being dropped."""

from __future__ import annotations

import pytest

from pipeline.pdf import ocr_engines


@pytest.fixture
def fresh_engines():
    ocr_engines.get_engine.cache_clear()
    ocr_engines.digit_readers.cache_clear()
    saved = list(ocr_engines._STARTUP)
    ocr_engines._STARTUP.clear()
    ocr_engines.take_problems()
    yield
    ocr_engines._STARTUP[:] = saved
    ocr_engines.get_engine.cache_clear()
    ocr_engines.digit_readers.cache_clear()


def test_an_engine_that_does_not_start_is_reported(fresh_engines, monkeypatch):
    def broken():
        raise RuntimeError("model file missing")

    monkeypatch.setattr(ocr_engines, "available_engines", lambda: ["rapidocr"])
    monkeypatch.setattr(ocr_engines, "RapidEngine", broken)
    assert ocr_engines.get_engine() is None
    problems = ocr_engines.take_problems()
    assert problems == ["OCR: starting rapidocr failed (RuntimeError: model file missing)"]
    assert ocr_engines.take_problems() == problems  # it concerns every document of this process


def test_reader_errors_are_reported_once_per_document(fresh_engines):
    for _ in range(3):
        ocr_engines.note_problem("tesseract reading 4 value cell(s)", OSError("tesseract died"))
    assert ocr_engines.take_problems() == ["OCR: tesseract reading 4 value cell(s) failed (OSError: tesseract died)"]
    assert ocr_engines.take_problems() == []  # taken: the next document starts clean
