"""The capped inflate pdfminer reads through: pdfminer's own results within the budget, a
``too_large`` ParseError beyond it."""

from __future__ import annotations

import zlib

import pytest

from pipeline.pdf.inflate import inflate, inflate_budget
from pipeline.record import ParseError

TEXT = b"BT /F1 12 Tf 72 720 Td (a line of text) Tj ET\n" * 2000


def pdfminer_inflate(data: bytes) -> bytes:
    """What pdfminer.six's PDFStream.decode does for FlateDecode (strict, then its fallback)."""
    from pdfminer.pdftypes import decompress_corrupted

    try:
        return zlib.decompress(data)
    except zlib.error:
        try:
            return decompress_corrupted(data)
        except zlib.error:
            return b""


def damaged(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


CLEAN = zlib.compress(TEXT)
STREAMS = {
    "clean": CLEAN,
    "trailing-bytes": CLEAN + b"\r\n",
    "truncated": CLEAN[: len(CLEAN) // 2],
    "bad-checksum": damaged(CLEAN, len(CLEAN) - 1),
    "checksum-byte-4-from-end": damaged(CLEAN, len(CLEAN) - 4),
    "damaged-middle": damaged(CLEAN, len(CLEAN) // 2),
    "not-zlib": b"plain text, no zlib header",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(STREAMS))
def test_same_bytes_as_pdfminer(name):
    with inflate_budget(1 << 20):
        assert inflate(STREAMS[name]) == pdfminer_inflate(STREAMS[name])


def test_the_budget_covers_all_streams_of_the_block():
    with inflate_budget(len(TEXT) * 2 + 10):
        inflate(CLEAN)
        inflate(CLEAN)
        with pytest.raises(ParseError) as err:
            inflate(CLEAN)
    assert err.value.kind == "too_large" and "decompression bomb" in str(err.value)
    with inflate_budget(len(TEXT)):  # a new block, a new budget
        assert inflate(CLEAN) == TEXT


def test_a_bomb_stops_at_the_budget_not_at_its_size():
    bomb = zlib.compress(b"\0" * (64 << 20), 9)
    with inflate_budget(1 << 20), pytest.raises(ParseError) as err:
        inflate(bomb)
    assert "more than 1 MB" in str(err.value)
