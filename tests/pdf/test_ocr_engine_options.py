"""The RapidOCR wrapper's onnxruntime sessions: worker threads that sleep when idle."""

from __future__ import annotations

import pytest

from pipeline.pdf.ocr_engines import available_engines

pytestmark = [
    pytest.mark.slow,  # starts the OCR engine
    pytest.mark.skipif("rapidocr" not in available_engines(), reason="RapidOCR not installed"),
]


def test_sessions_do_not_spin_and_the_library_is_left_as_it_was():
    from rapidocr_onnxruntime.utils import infer_engine

    from pipeline.pdf.ocr_engines import RapidEngine

    before = infer_engine.OrtInferSession.__dict__["_init_sess_opts"]
    engine = RapidEngine()
    for session in (engine._ocr.text_det.infer.session, engine._ocr.text_rec.session.session):
        opts = session.get_session_options()
        assert opts.get_session_config_entry("session.intra_op.allow_spinning") == "0"
        assert opts.intra_op_num_threads in (1, 2)
    # the library's own builder is back: another RapidOCR in this process gets its defaults
    assert infer_engine.OrtInferSession.__dict__["_init_sess_opts"] is before
    fresh = infer_engine.OrtInferSession._init_sess_opts({})
    with pytest.raises(RuntimeError):  # onnxruntime: "does not have configuration with key"
        fresh.get_session_config_entry("session.intra_op.allow_spinning")
