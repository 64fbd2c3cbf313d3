"""OCR engines that work offline: RapidOCR (the ``rapidocr-onnxruntime`` 1.4 wheel ships its
Chinese models) or tesseract with ``chi_sim`` (Debian), run with ``OMP_THREAD_LIMIT=1``."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_STARTUP: list[str] = []  # engines that failed to start in this process (cached with them)
_RECENT = threading.local()  # reader errors of this thread since the last take_problems()


def _problem(what: str, err: BaseException) -> str:
    return f"OCR: {what} failed ({type(err).__name__}: {' '.join(str(err).split())[:160]})"


def note_problem(what: str, err: BaseException) -> None:
    """Keep an OCR error for the warnings of the document being read (see :func:`take_problems`)."""
    if not hasattr(_RECENT, "notes"):
        _RECENT.notes = []
    _RECENT.notes.append(_problem(what, err))


def take_problems() -> list[str]:
    """The OCR errors a document's warnings must show: engines that did not start, and reader
    errors in this thread since the last call (which forgets them)."""
    recent = getattr(_RECENT, "notes", [])
    _RECENT.notes = []
    return [*_STARTUP, *dict.fromkeys(recent)]


@dataclass(frozen=True, slots=True)
class Word:
    """A recognised text run: pixel box (x0, top, x1, bottom), text, confidence 0..1."""

    box: tuple[float, float, float, float]
    text: str
    conf: float


class Engine:
    name = "ocr"
    version = ""
    erase_rulings = False  # recognise on the image with its table lines removed

    def recognise(self, image: Any) -> list[Word]:  # pragma: no cover - interface
        raise NotImplementedError

    def read_lines(self, images: list[Any]) -> list[tuple[str, float]]:
        """Read short crops (no detection), one text and confidence per crop ("" when unread)."""
        raise NotImplementedError

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}".strip()


# The page pass detects text on the 300-dpi page scaled to 1280 px on its long side (RapidOCR
# crops the boxes for recognition from that scaled page too; the value cells are read again from
# the full-resolution page, see ocr_vote). Measured on a scanned table page
# (bench/ocr_cost.py, docs/pdf.md): 2000 px found 69 numbers, 1600 px 63, 1280 px 79, with peak
# memory 708 / 632 / 512 MB — text at 300 dpi is far larger than the detector needs, and every
# value cell of a ruled table is read again from its own crop anyway.
DET_SIDE = 1280
# The recogniser pads every input to at least 48×320 and runs 6 at a time; most boxes of a table
# page are short (numbers, cell labels): 48×160 in batches of 16 reads the same texts at about
# half the CPU (the 94 value cells of a scanned section 三 page: 5.5 s → 3.0 s, every text the
# same; 48×96 lost confidence, 0.99 → 0.96 on average).
REC_SHAPE, REC_BATCH = (3, 48, 160), 16


@contextmanager
def _quiet_threads() -> Iterator[None]:
    """While RapidOCR builds its onnxruntime sessions: worker threads that sleep when idle.

    onnxruntime's intra-op workers spin for work between operators by default. On a machine
    whose cores are shared with other jobs, a spinning worker burns CPU that nobody uses: on a
    scanned table page (bench/ocr_cost.py, docs/benchmarks.md) the same texts cost 40 s of CPU
    with spinning and 24 s without, at load 20. RapidOCR 1.4 builds its ``SessionOptions``
    itself (``OrtInferSession._init_sess_opts``) and offers no option for this, so its builder is
    wrapped for the construction only and restored afterwards.
    """
    from rapidocr_onnxruntime.utils import infer_engine

    cls = infer_engine.OrtInferSession
    build = cls.__dict__["_init_sess_opts"]

    def options(config: dict[str, Any]) -> Any:
        opts = build.__func__(config)
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        opts.add_session_config_entry("session.inter_op.allow_spinning", "0")
        return opts

    cls._init_sess_opts = staticmethod(options)
    try:
        yield
    finally:
        cls._init_sess_opts = build


class RapidEngine(Engine):
    name = "rapidocr-onnxruntime"

    def __init__(self) -> None:
        from importlib.metadata import version

        from rapidocr_onnxruntime import RapidOCR

        self.version = version("rapidocr-onnxruntime")
        threads = max(1, min(2, os.cpu_count() or 1))
        with _quiet_threads():
            self._ocr = RapidOCR(
                intra_op_num_threads=threads,
                inter_op_num_threads=1,
                max_side_len=DET_SIDE,
                rec_img_shape=list(REC_SHAPE),
                rec_batch_num=REC_BATCH,
                print_verbose=False,
            )

    def recognise(self, image: Any) -> list[Word]:
        import numpy as np

        rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
        res, _ = self._ocr(rgb, use_cls=False, text_score=0.3)
        return [Word(_quad_box(item[0]), item[1], float(item[2])) for item in res or [] if item[1].strip()]

    def read_lines(self, images: list[Any]) -> list[tuple[str, float]]:
        import numpy as np

        if not images:
            return []
        rgb = [np.stack([im] * 3, axis=-1) if im.ndim == 2 else im for im in images]
        res, _ = self._ocr.text_rec(rgb)
        return [(t, float(c)) for t, c, *_ in res]


class TesseractEngine(Engine):
    name = "tesseract"
    erase_rulings = True

    def __init__(self, path: str):
        self.path = path
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        first = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "tesseract"
        self.version = first.split()[-1] if first else ""
        self._env = dict(os.environ, OMP_THREAD_LIMIT="1")

    def _tsv(self, image: Any, args: list[str]) -> list[Word]:
        from PIL import Image

        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "page.png")
            Image.fromarray(image).save(path)
            out = subprocess.run(
                [self.path, path, "stdout", *args, "tsv"], capture_output=True, text=True, env=self._env, timeout=300
            )
        words = []
        for row in out.stdout.splitlines()[1:]:
            f = row.split("\t")
            if len(f) < 12 or f[0] != "5" or not f[11].strip():
                continue
            x, y, w, h, conf = int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10])
            words.append(Word((x, y, x + w, y + h), f[11].strip(), max(conf, 0.0) / 100.0))
        return words

    def recognise(self, image: Any) -> list[Word]:
        return self._tsv(image, ["-l", "chi_sim", "--psm", "11"])

    def read_lines(self, images: list[Any]) -> list[tuple[str, float]]:
        """Digits only, all crops in one run: stacked one per text line with wide gaps."""
        import numpy as np

        if not images:
            return []
        gap = 40
        width = max(im.shape[1] for im in images) + 2 * gap
        tops, y = [], gap
        for im in images:
            tops.append(y)
            y += im.shape[0] + gap
        sheet = np.full((y, width), 255, dtype=np.uint8)
        for im, top in zip(images, tops):
            sheet[top : top + im.shape[0], gap : gap + im.shape[1]] = im
        words = self._tsv(sheet, ["-l", "eng", "--psm", "6", "-c", "tessedit_char_whitelist=0123456789."])
        out: list[list[Word]] = [[] for _ in images]
        for w in words:
            cy = (w.box[1] + w.box[3]) / 2
            for i, (im, top) in enumerate(zip(images, tops)):
                if top - gap / 2 <= cy < top + im.shape[0] + gap / 2:
                    out[i].append(w)
                    break
        return [
            ("".join(w.text for w in sorted(ws, key=lambda w: w.box[0])), min(w.conf for w in ws)) if ws else ("", 0.0)
            for ws in out
        ]


def _quad_box(q: Any) -> tuple[float, float, float, float]:
    xs = [p[0] for p in q]
    ys = [p[1] for p in q]
    return (min(xs), min(ys), max(xs), max(ys))


def _tesseract_path() -> str | None:
    path = shutil.which("tesseract")
    if not path:
        return None
    try:
        out = subprocess.run([path, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if "chi_sim" in (out.stdout + out.stderr).split() else None


def available_engines() -> list[str]:
    """OCR engines usable on this machine, best first."""
    names = []
    try:
        rapid = importlib.util.find_spec("rapidocr_onnxruntime") is not None
    except (ImportError, ValueError):  # blocked or broken install
        rapid = False
    if rapid:
        names.append("rapidocr")
    if _tesseract_path():
        names.append("tesseract")
    return names


@lru_cache(maxsize=1)
def get_engine() -> Engine | None:
    """The best OCR engine that starts, or None when none is installed."""
    for name in available_engines():
        try:
            if name == "rapidocr":
                return RapidEngine()
            path = _tesseract_path()
            if path:
                return TesseractEngine(path)
        except Exception as err:  # noqa: BLE001 - a broken install: noted for every document's warnings, try the next engine
            _STARTUP.append(_problem(f"starting {name}", err))
            continue
    return None


@lru_cache(maxsize=1)
def digit_readers() -> tuple[Engine, ...]:
    readers: list[Engine] = []
    path = _tesseract_path()
    if path:
        try:
            readers.append(TesseractEngine(path))
        except Exception as err:  # noqa: BLE001 - a broken install: noted for every document's warnings
            _STARTUP.append(_problem("starting tesseract as a digit reader", err))
    engine = get_engine()
    if isinstance(engine, RapidEngine):
        readers.append(engine)
    return tuple(readers)
