"""The building blocks: rulings, grid, text lines, furniture, health."""

from __future__ import annotations

from pdfminer.layout import LTCurve, LTLine, LTRect

from pipeline.pdf.chars import dedupe_fake_bold, normalise_glyph
from pipeline.pdf.grid import find_tables
from pipeline.pdf.health import assess
from pipeline.pdf.model import Char, PageContent, Segment
from pipeline.pdf.pages import drop_furniture, is_page_number
from pipeline.pdf.rulings import merge_segments, shape_segments
from pipeline.pdf.textlines import cell_text, page_lines

BLACK, WHITE = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)


def _chars(text: str, x: float, y: float, size: float = 10.0, step: float | None = None) -> list[Char]:
    step = step or size
    return [Char(ch, x + i * step, y, x + i * step + step, y + size, size) for i, ch in enumerate(text)]


def test_shapes_to_segments():
    assert shape_segments(LTLine(0.5, (10, 100), (200, 100), stroke=True, stroking_color=BLACK)) == [
        Segment("h", 100, 10, 200)
    ]
    # WPS hairline rectangle drawn filled: a vertical ruling
    thin = LTRect(0, (50, 10, 50.5, 300), fill=True, non_stroking_color=BLACK)
    assert shape_segments(thin) == [Segment("v", 50.25, 10, 300)]
    # the white cell background WPS paints under every cell is invisible: no rulings
    assert shape_segments(LTRect(0, (10, 10, 200, 40), fill=True, non_stroking_color=WHITE)) == []
    assert shape_segments(LTLine(0.5, (10, 100), (200, 100), stroke=True, stroking_color=WHITE)) == []
    # a stroked box gives its four edges
    assert len(shape_segments(LTRect(1, (10, 10, 200, 40), stroke=True, stroking_color=BLACK))) == 4
    # a glyph outline (Bézier, filled) is not a ruling; a stroked polyline gives its straight pieces
    glyph = LTCurve(
        0,
        [(0, 0), (5, 5), (10, 0)],
        fill=True,
        non_stroking_color=BLACK,
        original_path=[("m", (0, 0)), ("c", (2, 8), (8, 8), (10, 0)), ("h",)],
    )
    assert shape_segments(glyph) == []
    poly = LTCurve(
        1,
        [(0, 0), (100, 0), (100, 50)],
        stroke=True,
        stroking_color=BLACK,
        original_path=[("m", (0, 0)), ("l", (100, 0)), ("l", (100, 50))],
    )
    assert shape_segments(poly) == [Segment("h", 0, 0, 100), Segment("v", 100, 0, 50)]


def test_merge_snaps_and_joins():
    segs = [Segment("h", 100.0, 0, 50), Segment("h", 100.4, 51, 120), Segment("h", 100.2, 200, 300)]
    merged = merge_segments(segs)
    assert [(round(s.pos), s.start, s.end) for s in merged] == [(100, 0, 120), (100, 200, 300)]


def _grid_segments(xs, ys, skip=()):
    """Rulings of a full grid, minus the pieces in ``skip`` ((orient, index, between))."""
    segs = []
    for i, y in enumerate(ys):
        for j in range(len(xs) - 1):
            if ("h", i, j) not in skip:
                segs.append(Segment("h", y, xs[j], xs[j + 1]))
    for i, x in enumerate(xs):
        for j in range(len(ys) - 1):
            if ("v", i, j) not in skip:
                segs.append(Segment("v", x, ys[j + 1], ys[j]))
    return segs


def test_grid_merged_cells_and_char_assignment():
    xs, ys = [0, 100, 150, 200], [300, 280, 260, 240]  # ys top to bottom
    # row 0: cell spanning cols 1-2 (no vertical ruling at x=150 in row 0)
    # col 0: rows 1-2 merged (no horizontal ruling at y=260 in col 0)
    segs = _grid_segments(xs, ys, skip={("v", 2, 0), ("h", 2, 0)})
    chars = (
        _chars("表头", 110, 285)
        + _chars("分组", 20, 265)
        + _chars("1015", 102, 270, 8, step=4)
        + _chars("7", 102, 261, 8, step=4)
        + _chars("8", 160, 265)
        + _chars("〇", 110, 245)
        + _chars("外", 400, 400)
    )
    tables, free = find_tables(1, segs, chars)
    assert [c.text for c in free] == ["外"]
    (t,) = tables
    cells = {(c.row0, c.col0): c for c in t.cells}
    assert (cells[(0, 1)].col1, cells[(0, 1)].text) == (2, "表头")
    assert (cells[(1, 0)].row1, cells[(1, 0)].text) == (2, "分组")
    assert cells[(1, 1)].text == "10157"  # a number wrapped in its cell is joined without a separator
    assert cells[(2, 1)].text == "0"  # 〇 in a numeric cell reads as 0
    assert cells[(2, 2)].text == "" and cells[(0, 0)].text == ""


def test_text_lines_and_cell_text():
    chars = _chars("商业", 0, 100) + _chars("企业", 0, 88)
    assert cell_text(chars) == "商业企业"
    line = page_lines(1, _chars("本年新收", 0, 50) + _chars("95", 200, 50, step=5) + _chars("0", 260, 50, step=5))[0]
    assert [f.text for f in line.fragments] == ["本年新收", "95", "0"]
    assert normalise_glyph("(cid:123)") == "\ufffd" and normalise_glyph("１２") == "12"


def test_fake_bold_duplicates_dropped():
    chars = _chars("总计", 0, 0) + [
        Char("总", 0.3, 0.2, 10.3, 10.2, 10),
        Char("0", 40, 0, 45, 10, 10),
        Char("0", 45, 0, 50, 10, 10),
    ]
    assert [c.text for c in dedupe_fake_bold(chars)] == ["总", "计", "0", "0"]


def test_page_numbers_and_running_footers():
    for t in ("- 2 -", "— 2 —", "-1-", "第2页", "第 2 页 共 5 页", "2/5", "3"):
        assert is_page_number(t), t
    for t in ("2024年", "一、总体情况", "共收到申请 47 件", ""):
        assert not is_page_number(t), t
    pages = {}
    for n in (1, 2, 3):
        chars = _chars("正文内容", 70, 500) + _chars("某某市人民政府办公室", 70, 30) + _chars(f"-{n}-", 290, 10, step=5)
        pages[n] = page_lines(n, chars)
    kept = drop_furniture(pages, {1: 842, 2: 842, 3: 842})
    assert [[ln.text for ln in kept[n]] for n in (1, 2, 3)] == [["正文内容"]] * 3


def test_health():
    def page(texts, images=0):
        return PageContent(1, 595, 842, (), (), images=images, raw_texts=tuple(texts))

    assert assess(page(["字"] * 200)).ok
    assert not assess(page([], images=1)).ok and assess(page([], images=1)).reason == "no text layer"
    bad = assess(page(["(cid:12)"] * 150 + ["字"] * 50))
    assert not bad.ok and "undecodable" in bad.reason
    assert not assess(page(["\ue001"] * 100 + ["字"] * 20)).ok
    assert assess(page([])).blank
    scanned_table = PageContent(
        1, 595, 842, (), (), images=1, raw_texts=tuple("三、收到和处理政府信息公开申请情况"), image_cover=0.7
    )
    assert not assess(scanned_table).ok and "image covers 70%" in assess(scanned_table).reason


def test_slanted_watermarks_only():
    from pipeline.pdf.chars import _slanted

    assert _slanted((0.707, 0.707, -0.707, 0.707, 0, 0))  # 45° watermark
    assert not _slanted((1, 0, 0, 1, 0, 0))
    assert not _slanted((0, 1, -1, 0, 0, 0))  # 90°: vertical text is kept
    assert not _slanted((1, 0, 0.25, 1, 0, 0))  # fake italic (skew) is kept


def test_a_row_of_numbers_near_the_page_bottom_is_no_running_footer():
    pages = {
        n: page_lines(
            n,
            _chars("正文内容", 100, 500)
            + _chars("4", 300, 90)
            + _chars("0", 330, 90)
            + _chars(f"- {n} -", 280, 40, step=6),
        )
        for n in (1, 2, 3)
    }
    kept = drop_furniture(pages, {1: 842, 2: 842, 3: 842})
    assert [[ln.text for ln in kept[n]] for n in (1, 2, 3)] == [["正文内容", "4 0"]] * 3


def test_ocr_words_fitted_and_split_at_cell_gaps():
    import numpy as np

    from pipeline.pdf.ocr import split_at_gaps
    from pipeline.pdf.ocr_engines import Word

    image = np.full((100, 400), 255, dtype=np.uint8)
    for x in (20, 120, 220):  # three inked runs, 60 px apart: three narrow columns
        image[40:70, x : x + 40] = 0
    out = split_at_gaps([Word((10, 30, 270, 80), "结果结果其他", 0.9)], image)
    assert [(w.text, w.box) for w in out] == [
        ("结果", (20, 40, 60, 70)),
        ("结果", (120, 40, 160, 70)),
        ("其他", (220, 40, 260, 70)),
    ]
    spaced = split_at_gaps([Word((10, 30, 170, 80), "维持 纠正", 0.9)], image[:, :200])
    assert [w.text for w in spaced] == ["维持", "纠正"]
    # punctuation leaves gaps inside ordinary text: such runs are only fitted to their ink
    kept = split_at_gaps([Word((10, 30, 270, 80), "结果、其他", 0.9)], image)
    assert [(w.text, w.box) for w in kept] == [("结果、其他", (20, 40, 260, 70))]


def test_ocr_misread_zeros_and_commas():
    from pipeline.pdf.ocr import REREAD_BELOW, as_digits, fix_text
    from pipeline.pdf.ocr_engines import Word

    words = as_digits([Word((0, 0, 9, 9), t, 0.99) for t in ("o", "Q", "1O", "1,234", "Out", "本o")])
    assert [w.text for w in words] == ["0", "0", "10", "1,234", "Out", "本o"]
    assert [w.conf < REREAD_BELOW for w in words] == [True, True, True, False, False, False]
    assert fix_text("三√本年度办理结果") == "三、本年度办理结果" and fix_text("四丶结转") == "四、结转"
    assert fix_text("√") == "√"
