"""Telling whoever runs a parse how big its work is (pages, pages that may need OCR), e.g. so that a
supervisor extends the time budget. A context variable, so that a converter deep in the call (the OCR
of the images of an HTML page, of an OFD or an image file) can tell without a listener passed through
every function between; nothing listens unless :func:`listening` is in force."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

WorkListener = Callable[[int, int], None]


def _ignore(pages: int, ocr_pages: int) -> None:
    """No one is listening for the size of the work."""


_LISTENER: ContextVar[WorkListener] = ContextVar("gongkai_work_listener", default=_ignore)


def announce(pages: int, ocr_pages: int = 0) -> None:
    _LISTENER.get()(pages, ocr_pages)


@contextmanager
def listening(listener: WorkListener) -> Iterator[None]:
    token = _LISTENER.set(listener)
    try:
        yield
    finally:
        _LISTENER.reset(token)
