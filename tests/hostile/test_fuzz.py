"""Bounded fuzzing of the text and HTML parsers: random bytes and mutated real documents give a
Record or a ParseError, never another exception, and never hang.

The seeds (``shared/corpus/seeds``) and real pages (``shared/corpus/real``) are read at test time;
generated reports from ``gongkai.samples`` are used too, so the test runs without the corpus.
``GONGKAI_FUZZ_EXAMPLES`` raises the number of examples for a longer run.
"""

from __future__ import annotations

import hashlib
import os
import random
import time
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.api import parse_bytes
from pipeline.html_layout import html_to_layout
from pipeline.interpret import interpret
from pipeline.limits import Limits
from pipeline.record import ParseError, Record
from pipeline.text_layout import text_to_layout
from tests.hostile.conftest import shared_corpus

CEILING_S = 30  # per example; only a hang crosses it
EXAMPLES = int(os.environ.get("GONGKAI_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LIMITS = Limits(guard="off")

TEXT_TOKENS = [
    b"\t",
    b"\n",
    b"\r",
    b"\r\n",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"-",
    b"--",
    b"\xe2\x80\x94",
    "合计".encode(),
    "总计".encode(),
    "三、收到和处理政府信息公开申请情况".encode(),
    "本年新收".encode(),
    "（一）".encode(),
    "其中：".encode(),
    "１２３".encode(),
    b"999999999999999999999999",
    b"1e308",
    b"NaN",
    b"-0",
    b"0.5",
    "二〇二三年".encode(),
    "2023年度".encode(),
    "万".encode(),
    b"%",
    b"\xa0",
]
HTML_TOKENS = [
    b"<table>",
    b"</table>",
    b"<tr>",
    b"</tr>",
    b"<td>",
    b"</td>",
    b'<td rowspan="99999">',
    b'<td colspan="-5">',
    b'<td colspan="x">',
    b"<th>",
    b"<thead>",
    b"<!--",
    b"-->",
    b"<script>",
    b"<![CDATA[",
    b"&#0;",
    b"&#x110000;",
    b"&nbsp;",
    b"<meta charset=utf-16>",
    b"<meta charset='gb2312'>",
    b"<div style='display:none'>",
    b"<br>",
    b"<p>",
    b"</div>",
    b"<table><tr><td><table>",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE html>",
    b"\x00",
    b"<",
    b">",
]


def _generated(kind: str) -> list[bytes]:
    from gongkai.samples.render_html import render_html
    from gongkai.samples.render_text import render_text
    from gongkai.samples.values import generate_report

    reports = [generate_report(random.Random(seed)) for seed in (1, 2)]
    if kind == "txt":
        return [render_text(r).encode("utf-8") for r in reports]
    return [render_html(r) for r in reports]


@lru_cache(maxsize=None)
def pool(kind: str) -> tuple[bytes, ...]:
    docs = _generated(kind)
    corpus = shared_corpus()
    if corpus is not None:
        pattern = ("seeds", "*.txt") if kind == "txt" else ("real", "*.html")
        docs += [p.read_bytes() for p in sorted((corpus / pattern[0]).glob(pattern[1]))]
    return tuple(docs)


@st.composite
def mutated(draw, kind: str) -> bytes:
    data = bytearray(draw(st.sampled_from(pool(kind))))
    tokens = TEXT_TOKENS + (HTML_TOKENS if kind == "html" else [])
    for op in draw(
        st.lists(
            st.sampled_from(["flip", "delete", "repeat", "insert", "token", "cut", "move"]), min_size=1, max_size=10
        )
    ):
        n = len(data)
        at = draw(st.integers(0, max(0, n - 1)))
        size = draw(st.integers(1, 200))
        if op == "flip" and n:
            data[at] ^= draw(st.integers(1, 255))
        elif op == "delete":
            del data[at : at + size]
        elif op == "repeat":
            data[at:at] = data[at : at + size] * draw(st.integers(1, 20))
        elif op == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif op == "token":
            data[at:at] = draw(st.sampled_from(tokens))
        elif op == "cut":
            del data[at:]
        elif op == "move" and n:
            piece = data[at : at + size]
            del data[at : at + size]
            to = draw(st.integers(0, len(data)))
            data[to:to] = piece
    return bytes(data)


def _converted(converter, data: bytes) -> Record:
    layout = converter(data)
    return interpret(layout, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def outcome(func, *args):
    """A Record or a ParseError; any other exception fails the test, and so does a hang."""
    started = time.monotonic()
    try:
        result = func(*args)
        assert isinstance(result, Record)
    except ParseError as err:
        assert str(err) and "\n" not in str(err) and err.kind
        result = err
    assert time.monotonic() - started < CEILING_S
    return result


def _text(data: bytes) -> None:
    outcome(_converted, lambda d: text_to_layout(d, LIMITS), data)
    outcome(parse_bytes, data, "report.txt", LIMITS)


def _html(data: bytes) -> None:
    outcome(_converted, lambda d: html_to_layout(d, limits=LIMITS), data)
    outcome(parse_bytes, data, "report.html", LIMITS)


@FUZZ
@given(st.binary(max_size=20_000))
def test_text_parser_on_random_bytes(data):
    _text(data)


@FUZZ
@given(mutated("txt"))
def test_text_parser_on_mutated_reports(data):
    _text(data)


@FUZZ
@given(st.binary(max_size=20_000) | st.lists(st.sampled_from(HTML_TOKENS + TEXT_TOKENS), max_size=300).map(b"".join))
def test_html_parser_on_random_bytes(data):
    _html(data)


@FUZZ
@given(mutated("html"))
def test_html_parser_on_mutated_pages(data):
    _html(data)


def test_pools_hold_real_documents_when_the_corpus_is_there():
    if shared_corpus() is None:
        pytest.skip("../shared/corpus is not beside this checkout")
    assert len(pool("txt")) > 2 and len(pool("html")) > 2
