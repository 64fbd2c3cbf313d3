"""Scan clean-up, digit votes, label alignment and suspect flags, on small synthetic inputs (no OCR)."""

from __future__ import annotations

import numpy as np
import pytest

from pipeline import template
from pipeline.layout import Cell, Line
from pipeline.pdf.ocr_labels import snap_labels
from pipeline.pdf.ocr_vote import SUSPECT_BELOW, vote
from pipeline.pdf.scanprep import deskew, drop_colour, level_background, skew_angle, unwarp
from pipeline.record import FAIL, MISSING, READ, CellValue
from pipeline.rules import evaluate
from pipeline.scan import CHECK, flag_cells


def _ruled_page(dpi: int = 100) -> np.ndarray:
    """A white page with a ruled 10 × 6 table (2-pixel black lines)."""
    page = np.full((int(11.7 * dpi), int(8.3 * dpi)), 255, np.uint8)
    top, left, w, h = int(2 * dpi), int(1 * dpi), int(6 * dpi), int(6 * dpi)
    for i in range(11):
        y = top + i * h // 10
        page[y : y + 2, left : left + w] = 0
    for j in range(7):
        x = left + j * w // 6
        page[top : top + h, x : x + 2] = 0
    return page


def test_red_seal_goes_black_print_under_it_stays():
    rgb = np.full((60, 60, 3), 235, np.uint8)
    rgb[:, 30:32] = 20  # a black ruling
    rgb[10:50, 10:50] = (215, 45, 50)  # a red stamp over it …
    rgb[10:50, 30:32] = (20, 5, 5)  # … the print under the stamp, multiplied
    grey = drop_colour(rgb)
    assert grey[20, 20] > 200  # the stamp is paper
    assert grey[20, 30] < 60  # the ruling is ink, under the stamp too
    blue = np.full((10, 10, 3), (40, 70, 190), np.uint8)
    assert drop_colour(blue).min() > 200


def test_paper_tone_and_uneven_light_levelled():
    page = _ruled_page().astype(np.float32)
    ramp = np.linspace(0.7, 0.95, page.shape[1], dtype=np.float32)[None, :]
    dim = (page * ramp).astype(np.uint8)  # grey paper getting darker to the left
    flat = level_background(dim)
    paper = flat[dim.shape[0] // 10, :]  # a row of paper only
    assert paper.min() > 235
    assert flat[200, 150] < 80  # a ruling stays dark


@pytest.mark.parametrize("angle", [-1.8, -0.7, 1.2, 2.0])
def test_skew_measured_from_the_rulings_and_taken_out(angle):
    import cv2

    page = _ruled_page()
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    tilted = cv2.warpAffine(page, m, (w, h), borderValue=255)
    got = skew_angle(tilted, 100)
    assert abs(got - angle) <= 0.15
    level = deskew(tilted, got)
    rows = (level < 128).sum(axis=1)
    assert rows.max() > 0.9 * 6 * 100  # a horizontal ruling is one pixel row again


def _text_page(dpi: int = 100) -> np.ndarray:
    """A white page of borderless "text": rows of short dark words, no ruling line."""
    page = np.full((int(11.7 * dpi), int(8.3 * dpi)), 255, np.uint8)
    for row in range(20):
        y = int(2 * dpi) + row * dpi // 3
        for x in range(dpi, int(7 * dpi), dpi // 4):
            page[y : y + dpi // 10, x : x + dpi // 6] = 30
    return page


@pytest.mark.parametrize("angle", [-1.4, 1.4])
def test_skew_of_a_page_without_rulings_is_not_pinned_by_the_scans_frame(angle):
    """A scan whose image edges are dark (the lid's shadow, a border) and whose text is tilted: the
    frame is level and long, and was taken for rulings, so such a page was never deskewed."""
    import cv2

    page = _text_page()
    h, w = page.shape
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    tilted = cv2.warpAffine(page, m, (w, h), borderValue=255)
    tilted[:8, :] = tilted[-8:, :] = 120  # the frame: dark bands along the top and bottom edges
    assert abs(skew_angle(tilted, 100) - angle) <= 0.15


def test_a_slight_keystone_is_undone():
    """A page photo whose table frame is 0.7 % off square (4 px over 600): its rulings would
    slant over more rows than they are thick; the frame is made a rectangle again."""
    import cv2

    page = _ruled_page()
    left, top, size = 100, 200, 600
    src = np.float32([[left, top], [left + size, top], [left + size, top + size], [left, top + size]])
    dst = src + np.float32([[0, 0], [0, 4], [0, -4], [0, 0]])  # right side shorter: a keystone
    m = cv2.getPerspectiveTransform(src, dst)
    photo = cv2.warpPerspective(page, m, page.shape[::-1], borderValue=255)

    def slant(img: np.ndarray) -> int:  # rows between the top ruling's two ends
        ends = [int(np.argmax(img[:, x] < 128)) for x in (left + 20, left + size - 20)]
        return abs(ends[0] - ends[1])

    assert slant(photo) >= 3
    assert slant(unwarp(photo, 100)) <= 1


def test_vote_keeps_agreement_and_flags_disagreement():
    assert vote([("1", 0.99), ("1", 0.9)]) == ("1", 0.99)
    text, conf = vote([("11", 0.95), ("1", 0.9), ("1", 0.8), ("1", 0.85)])  # a page box over two cells
    assert text == "1" and conf >= SUSPECT_BELOW
    text, conf = vote([("8", 0.97), ("0", 0.9), ("0", 0.7), ("8", 0.6)])
    assert conf < SUSPECT_BELOW  # two against two: kept, flagged
    text, conf = vote([("", 0.0), ("7", 0.96), ("", 0.0)])
    assert text == "7" and conf < SUSPECT_BELOW  # one reader alone saw a number
    assert vote([("", 0.0), ("", 0.0)]) == ("", 0.0)


def _s3_lines(labels: list[str]) -> list[Line]:
    loc = {"page": 2, "bbox": [0, 0, 1, 1]}
    out = []
    for i, label in enumerate(labels):
        cells = (Cell(label, col=0, locator=loc, confidence=0.9),) + tuple(
            Cell(str(i), col=k, locator=loc, confidence=0.95) for k in range(1, 8)
        )
        out.append(Line(cells, table=0, row=i, locator=loc))
    return out


def test_garbled_label_keeps_its_place_in_the_template_order():
    labels = [squash_label(r.label) for r in template.get("gov2021").rows[:8]]
    labels[0] = "一、本年新枚政存信息公幵中请数量"  # garbled 本年新收
    labels[3] = "(二)部分△开(区分处理的,只计这一情形,不计其他情形)"
    lines, notes = snap_labels(_s3_lines(labels), {2})
    assert lines[0].cells[0].text.startswith("一、本年新收")
    assert "部分公开" in lines[3].cells[0].text
    assert lines[3].cells[1].confidence == 0.95  # similar and in its place: a misread the order confirms
    assert all(c.confidence < SUSPECT_BELOW for c in lines[0].cells[1:])  # values of a relabelled row: in doubt
    assert lines[1].cells[0].text == labels[1] and lines[1].cells[1].confidence == 0.95
    assert len(notes) == 2
    untouched, notes = snap_labels(_s3_lines(labels), set())  # not an OCR'd page: left alone
    assert untouched[0].cells[0].text == labels[0] and not notes


def squash_label(text: str) -> str:
    from pipeline.normalize import squash

    return squash(text)


def _cells(values: dict[str, float | None], conf: float | None = 0.99) -> dict[str, CellValue]:
    tpl = template.get("gov2021")
    out = {}
    for key in tpl.keys:
        v = values.get(key, 0)
        out[key] = CellValue(None, MISSING, None) if v is None else CellValue(v, READ, str(v), confidence=conf)
    return out


def test_suspect_when_a_rule_fails_or_readers_disagree():
    tpl = template.get("gov2021")
    cells = _cells({"s3_granted__natural_person": 3})  # row and column sums fail
    cells["s3_denied_state_secret__total"] = CellValue(0, READ, "0", confidence=0.4)
    flagged, checks = flag_cells(tpl, cells, list(evaluate(tpl, cells)), [])
    assert flagged["s3_granted__natural_person"].ocr and "fails" in flagged["s3_granted__natural_person"].suspect
    assert "disagree" in flagged["s3_denied_state_secret__total"].suspect
    assert flagged["s2_regulation_issued"].ocr and flagged["s2_regulation_issued"].suspect is None
    assert checks[-1].rule == CHECK and checks[-1].result == FAIL
    assert flagged["s3_granted__natural_person"].to_dict()["suspect"]


def test_row_seen_twice_and_a_missing_neighbour_flag_the_row():
    tpl = template.get("gov2021")
    values = {f"s3_new_received__{c.col_key}": None for c in tpl.cols}
    values["s3_carried_over__natural_person"] = 8  # 本年新收's values, taken for 上年结转
    values["s3_carried_over__total"] = 8
    cells = _cells(values)
    flagged, _ = flag_cells(
        tpl, cells, list(evaluate(tpl, cells)), ["s3 row carried_over printed twice; the first is kept"]
    )
    assert "seen twice" in flagged["s3_carried_over__natural_person"].suspect
    flagged, _ = flag_cells(tpl, cells, list(evaluate(tpl, cells)), [])
    assert "neighbouring row new_received" in flagged["s3_carried_over__natural_person"].suspect


def test_text_layer_record_unchanged():
    tpl = template.get("gov2021")
    cells = _cells({"s3_granted__natural_person": 3}, conf=None)
    checks = list(evaluate(tpl, cells))
    flagged, out = flag_cells(tpl, cells, checks, [])
    assert flagged is cells and out is checks
    assert "ocr" not in cells["s2_regulation_issued"].to_dict()


def test_a_value_no_rule_can_check_is_flagged():
    """A misread 0 → 2 passes unseen when a value its row and column sum with is missing."""
    tpl = template.get("gov2021")
    values = {
        "s3_denied_law_prohibited__total": None,
        "s3_results_total__research_institution": None,
        "s3_denied_law_prohibited__research_institution": 2,
    }
    cells = _cells(values)
    flagged, _ = flag_cells(tpl, cells, list(evaluate(tpl, cells)), [])
    assert "no rule could check" in flagged["s3_denied_law_prohibited__research_institution"].suspect
    assert flagged["s3_granted__natural_person"].suspect is None  # its rules are all assessable


def _ocr_line(text: str, y: float, x: float = 80.0) -> Line:
    box = [x, y, x + 12 * len(text), y + 10]
    return Line((Cell(text, locator={"page": 2, "bbox": box}, confidence=0.95),), locator={"page": 2, "bbox": box})


@pytest.mark.parametrize("tilted", [True, False])
def test_a_section_2_value_nearer_the_next_rows_label_is_flagged(tilted):
    """No rule ties section 二's rows: a value taken by the label above it (a scan left tilted, the
    value a line above its label) would be loaded as read. It is flagged instead."""
    from pipeline.interpret import sec2

    header = [_ocr_line("信息内容", 360), _ocr_line("本年处理决定数量", 360, 300)]
    if tilted:  # each value printed just above its own label, read on a line of its own
        body = ["行政许可", 335, "5066", 289, "行政处罚", 281, "3", 271, "行政强制", 263]
    else:  # each value on the line after its label, as a stream of lines prints it
        body = ["行政许可", 335, "504", 333, "行政处罚", 281, "5066", 279, "行政强制", 263, "3", 261]
    lines = header + [
        _ocr_line(str(t), float(y), 80 if i % 2 == 0 else 360) for i, (t, y) in enumerate(zip(body[::2], body[1::2]))
    ]
    result = sec2.parse(lines, "gov2021")
    tpl = template.get("gov2021")
    flagged, _ = flag_cells(tpl, result.cells, list(evaluate(tpl, result.cells)), result.warnings)
    license_, penalty = flagged["s2_license_decisions"], flagged["s2_penalty_decisions"]
    if tilted:
        assert (license_.value, penalty.value) == (5066, 3)  # taken by the label above: wrong ...
        assert "nearer the next row's label" in license_.suspect  # ... and said so
        assert "nearer the next row's label" in penalty.suspect
    else:
        assert (license_.value, penalty.value) == (504, 5066)
        assert not (license_.suspect or "").startswith("its value sits nearer")
        assert not (penalty.suspect or "").startswith("its value sits nearer")
