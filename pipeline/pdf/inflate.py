"""A cap on the bytes pdfminer inflates from FlateDecode streams, so that a flate bomb fails in
milliseconds instead of filling memory (or minutes of parsing) until a supervisor kills it.

pdfminer.six has no setting for this: ``PDFStream.decode`` calls ``zlib.decompress`` on the whole
stream, and on an error ``decompress_corrupted``, which feeds the stream one byte at a time into a
``zlib.decompressobj`` (quadratic in the output). So :func:`install` replaces the ``zlib`` name
*inside* ``pdfminer.pdftypes`` (no other module is touched) with :class:`_CappedZlib`, which gives
exactly pdfminer's results (strict first, then what the corrupted-data fallback would give) within
the budget of the :func:`inflate_budget` block, and raises ``ParseError("too_large")`` beyond it.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..record import ParseError

DEFAULT_BUDGET = 256 << 20  # outside any inflate_budget block (e.g. a tool using pdfminer directly)
_TAIL = 8  # bytes fed one by one at the end, to place an error as pdfminer's byte-wise fallback does
_STEP = 1 << 20  # inflated bytes per decompress call, so that the budget is checked as it grows
_state = threading.local()


def _remaining() -> int:
    return getattr(_state, "left", DEFAULT_BUDGET)


def _spend(n: int) -> None:
    left = _remaining() - n
    if left < 0:
        limit = getattr(_state, "limit", DEFAULT_BUDGET)
        raise ParseError(
            f"PDF streams inflate to more than {limit >> 20} MB; refusing (a decompression bomb?)", "too_large"
        )
    _state.left = left


@contextmanager
def inflate_budget(limit_bytes: int) -> Iterator[None]:
    """At most ``limit_bytes`` inflated in this thread inside the block (all streams together)."""
    saved = getattr(_state, "left", None), getattr(_state, "limit", None)
    _state.left = _state.limit = limit_bytes
    install()
    try:
        yield
    finally:
        _state.left, _state.limit = saved
        if saved[0] is None:
            del _state.left, _state.limit


def inflate(data: bytes) -> bytes:
    """pdfminer's FlateDecode result for ``data`` (see the module doc), counted against the budget.

    A clean stream gives what ``zlib.decompress`` gives. A damaged one gives what pdfminer's fallback
    gives: the bytes inflated before the damage when it is in the last 3 bytes (the checksum) or
    the stream is cut short, else nothing."""
    d = zlib.decompressobj()
    out = bytearray()
    body, tail = data[:-_TAIL], data[-_TAIL:]
    try:
        _feed(d, body, out)
    except zlib.error:
        return b""
    for i, byte in enumerate(tail):
        try:
            _feed(d, bytes((byte,)), out)
        except zlib.error:
            return b"" if len(body) + i < len(data) - 3 else bytes(out)
        if d.eof:
            break
    return bytes(out)


def _feed(d: Any, chunk: bytes, out: bytearray) -> None:  # d: a zlib decompress object
    while chunk and not d.eof:
        piece = d.decompress(chunk, _STEP)
        _spend(len(piece))
        out += piece
        chunk = d.unconsumed_tail


class _CappedZlib:
    """What ``pdfminer.pdftypes`` uses of the zlib module, with :func:`inflate` as ``decompress``."""

    error = zlib.error
    decompressobj = staticmethod(zlib.decompressobj)  # only reached through decompress_corrupted

    @staticmethod
    def decompress(data: bytes, *args: int) -> bytes:
        return inflate(data)


def install() -> None:
    """Make pdfminer inflate through :func:`inflate` (idempotent)."""
    import pdfminer.pdftypes

    if not isinstance(pdfminer.pdftypes.zlib, _CappedZlib):
        pdfminer.pdftypes.zlib = _CappedZlib()  # type: ignore[assignment]
