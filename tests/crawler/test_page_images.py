"""A report printed as images in its article: a real ``scrapy crawl`` on 127.0.0.1 stores the
images with the page's provenance, and the process step hands them to the parser with the page."""

from __future__ import annotations

import hashlib
import io

import pytest

from crawler.collect import crawl_source
from crawler.records import read_jsonl
from flows.runfiles import with_page_images
from gongkai.samples import portal as sp
from pipeline.html_layout import image_srcs

from crawl_scenario import FAST

TITLE = "示例镇2023年政府信息公开工作年度报告"


def _png(n: int) -> bytes:
    from PIL import Image, ImageDraw

    im = Image.new("L", (600, 300), 255)
    ImageDraw.Draw(im).rectangle((10, 10, 590, 290 - n), outline=0, width=2)
    buf = io.BytesIO()
    im.save(buf, format="PNG")
    return buf.getvalue()


def test_page_images_are_folded_into_their_page():
    docs = [
        {"role": "page", "document_url": "https://x/a.html", "page_url": "https://x/a.html", "sha256": "p"},
        {"role": "page_image", "page_url": "https://x/a.html", "filename": "img/1.jpg", "store_path": "store/1"},
        {"role": "page_image", "page_url": "https://x/a.html", "filename": "img/2.jpg", "store_path": "store/2"},
        {"role": "attachment", "page_url": "https://x/b.html", "sha256": "f"},
    ]
    out = with_page_images(docs)
    assert [d["sha256"] for d in out] == ["p", "f"]
    assert out[0]["images"] == {"img/1.jpg": "store/1", "img/2.jpg": "store/2"}


@pytest.mark.slow
@pytest.mark.parametrize("shown", ["inline", "linked"])
def test_crawl_keeps_the_images_of_an_image_report(tmp_path, shown):
    """Pages shown as ``<img>`` or listed as links to picture files (``<a href="…png">第1页</a>``):
    either way the pictures are fetched and kept with the page, not taken as documents of their own."""
    images = {f"report_files/page{n}.png": _png(n) for n in (1, 2)}
    show = '<p><img src="{}"/></p>' if shown == "inline" else '<p><a href="{}">附件：第1页</a></p>'
    body = (
        "<p>（本报告为扫描件）</p>"
        + "".join(show.format(src) for src in images)
        + '<p><img src="/images/share_icon.png" width="16" height="16"/></p>'
    )
    site = sp.build_generic_site(tmp_path / "site", [sp.SampleArticle(TITLE, "2024-01-20", body)])
    page_path = site.pages[TITLE]
    folder = tmp_path / "site" / page_path.lstrip("/").rsplit("/", 1)[0]
    for src, blob in images.items():
        (folder / src).parent.mkdir(parents=True, exist_ok=True)
        (folder / src).write_bytes(blob)
    server = site.serve()
    base = server.start()
    try:
        sources = tmp_path / "sources.yaml"
        sources.write_text(sp.sources_yaml("generic", base), encoding="utf-8")
        run = crawl_source(sources, "generic", "run1", tmp_path / "data", timeout_s=120, extra_settings=FAST)
    finally:
        server.stop()
    docs = read_jsonl(run.documents_path)
    page = next(d for d in docs if d["role"] == "page")
    shots = [d for d in docs if d["role"] == "page_image"]
    assert sorted(d["filename"] for d in shots) == sorted(images)  # the icon is no report image
    for d in shots:
        blob = images[d["filename"]]
        assert d["sha256"] == hashlib.sha256(blob).hexdigest() and d["format"] == "png"
        assert d["page_url"] == page["document_url"] and d["fetched_at"]
        assert (tmp_path / "data" / d["store_path"]).read_bytes() == blob
    fetched = {f["url"] for f in read_jsonl(run.fetches_path) if f.get("kind") == "attachment"}
    assert {d["document_url"] for d in shots} <= fetched
    folded = with_page_images(docs)
    assert [d["role"] for d in folded] == ["page"]
    assert (
        set(folded[0]["images"])
        == set(images)
        == set(image_srcs((tmp_path / "data" / page["store_path"]).read_bytes()))
    )


def test_parse_cache_key_names_the_images_read_with_a_page():
    from flows.process import cache_key

    sha = "a" * 64
    plain = cache_key(None, {"sha256": sha})
    one = cache_key(None, {"sha256": sha, "images": {"p1.png": "/d/store/ab/cd/" + "1" * 64}})
    other = cache_key(None, {"sha256": sha, "images": {"p1.png": "/d/store/ab/cd/" + "2" * 64}})
    assert plain == cache_key(None, {"sha256": sha, "images": None}) and len({plain, one, other}) == 3


@pytest.mark.slow
def test_process_step_reads_a_page_with_its_stored_images(tmp_path):
    """``run_parse`` gets the page's images by src → store path: without them the error says they
    are missing; with them (here a blank picture, no report) they are read and not called missing."""
    from runner.parse import run_parse
    from gongkai.samples.render_image_html import render_image_html
    from gongkai.samples.values import generate_report
    from pipeline.html_images import MISSING_NOTE
    import random

    html, files = render_image_html(generate_report(random.Random(3)), kind="pages")
    page = tmp_path / "page.html"
    page.write_bytes(html)
    stored = tmp_path / "blank.png"
    stored.write_bytes(_png(0))
    without = run_parse(str(page), "page.html", "s" * 64)
    with_images = run_parse(str(page), "page.html", "s" * 64, images={src: str(stored) for src in files})
    assert without["status"] == "failed" and MISSING_NOTE in without["error"]
    assert MISSING_NOTE not in (with_images.get("error") or "") + " ".join(
        (with_images.get("record") or {}).get("warnings", [])
    )
