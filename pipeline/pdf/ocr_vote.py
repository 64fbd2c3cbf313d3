"""Reading value-cell crops as numbers, with a second opinion wherever the first is not sure.

Every value cell of an OCR'd table is read from its own crop, digits only. The readings that
take part: the page pass (what the page-level detector boxed there, if anything), RapidOCR's
recogniser on the crop, and — only for cells where those two disagree, are unsure or one is
missing — the crop at ×1.5 with a narrower margin through the same recogniser (another resolution) and tesseract
``eng`` with a digit whitelist (the other engine). A text two readers agree on and no reader
contradicts is kept with the best confidence of its readers. Where they still disagree, the text
with most votes (ties: the most confident) is kept, but its confidence is capped under
``SUSPECT_BELOW``, which the record turns into a ``suspect`` cell: a value is never both
doubtful and silent.
"""

from __future__ import annotations

import subprocess
from typing import Any

from .ocr_engines import RapidEngine, TesseractEngine, digit_readers, note_problem
from .textlines import is_numeric

SUSPECT_BELOW = 0.5  # a value cell read with less confidence than this is flagged in the record
SURE = 0.8  # page pass and crop read agreeing at least this confidently need no second opinion

_CONFUSABLE = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "〇": "0",
        "○": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "Z": "2",
        "S": "5",
        "B": "8",
        "g": "9",
        "q": "9",
        "，": ".",
        ",": ".",
    }
)


def digits(text: str) -> str:
    t = "".join(text.split()).translate(_CONFUSABLE)
    return t if is_numeric(t) else ""


def _enlarge(piece: Any) -> Any:
    """The same ink at another resolution and margin: ×1.5, a margin of a quarter of its height."""
    import cv2
    import numpy as np

    ys, xs = np.nonzero(piece < 180)
    if len(ys):
        piece = piece[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
        piece = np.pad(piece, max(2, round(0.25 * piece.shape[0])), constant_values=255)
    return cv2.resize(piece, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC)


def _run(reader: Any, pieces: list[Any]) -> list[tuple[str, float]]:
    if not pieces:
        return []
    try:
        got = reader.read_lines(pieces)
    except (RuntimeError, ValueError, OSError, subprocess.SubprocessError) as err:
        # a reader that fails (a broken install) gives no opinion; the document's warnings say why
        note_problem(f"{getattr(reader, 'name', type(reader).__name__)} reading {len(pieces)} value cell(s)", err)
        return [("", 0.0) for _ in pieces]
    return [(digits(t), c) for t, c in got]


def vote(readings: list[tuple[str, float]]) -> tuple[str, float]:
    """The agreed text of a cell from its (text, confidence) readings ("" = read nothing)."""
    said = [(t, c) for t, c in readings if t]
    if not said:
        return "", 0.0
    votes: dict[str, list[float]] = {}
    for t, c in said:
        votes.setdefault(t, []).append(c)
    best = max(votes, key=lambda t: (len(votes[t]), max(votes[t])))
    conf = max(votes[best])
    others = [t for t in votes if t != best]
    if others:
        if len(votes[best]) >= 2 and len(votes[best]) > 2 * max(len(votes[t]) for t in others):
            conf = min(conf, min(votes[best]))  # a clear majority: kept, at its weaker reading
        else:
            conf = min(conf, SUSPECT_BELOW - 0.05)  # readers disagree: kept, flagged
    elif len(votes[best]) == 1 and len(readings) >= 3:
        conf = min(conf, SUSPECT_BELOW - 0.05)  # one reader saw a number where the others saw none
    return best, conf


def read_cells(pieces: list[Any], page_reads: list[tuple[str, float | None]] | None = None) -> list[tuple[str, float]]:
    """Per crop: (digits, confidence) as agreed by the readers ("" when nothing was read)."""
    readers = digit_readers()
    rapid = next((r for r in readers if isinstance(r, RapidEngine)), None)
    tess = next((r for r in readers if isinstance(r, TesseractEngine)), None)
    page_reads = page_reads or [("", None)] * len(pieces)
    readings: list[list[tuple[str, float]]] = []
    for text, conf in page_reads:
        d = digits(text) if text else ""
        readings.append([(d, conf if conf is not None else 1.0)] if d else [])
    first = _run(rapid or tess, pieces) if (rapid or tess) else [("", 0.0)] * len(pieces)
    for r, got in zip(readings, first):
        r.append(got)
    doubtful = [
        i for i, r in enumerate(readings) if len({t for t, _ in r}) != 1 or len(r) < 2 or min(c for _, c in r) < SURE
    ]
    if doubtful:
        more = [pieces[i] for i in doubtful]
        second = [_run(rapid, [_enlarge(p) for p in more]) if rapid else [], _run(tess, more) if tess and rapid else []]
        for got in second:  # type: ignore[assignment]
            for i, g in zip(doubtful, got):
                readings[i].append(g)  # type: ignore[arg-type]
    return [vote(r) for r in readings]
