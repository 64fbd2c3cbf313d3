"""The sample portal server other tests and the demo reuse: static files with validators, routes."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from gongkai.samples import server as srv

pytestmark = pytest.mark.slow  # every test serves a sample portal


def _get(url, headers=None, data=None):
    req = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_static_files_answer_conditional_gets(tmp_path):
    (tmp_path / "col").mkdir()
    (tmp_path / "col" / "index.html").write_text("<html>列表</html>", encoding="utf-8")
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4 x")
    with srv.PortalServer(tmp_path) as base:
        status, headers, body = _get(base + "/col/")
        assert status == 200 and body == "<html>列表</html>".encode() and headers["Content-Type"] == "text/html"
        status, headers, body = _get(base + "/a.pdf")
        assert status == 200 and headers["Content-Type"] == "application/pdf"
        etag, lastmod = headers["ETag"], headers["Last-Modified"]
        assert _get(base + "/a.pdf", {"If-None-Match": etag})[0] == 304
        assert _get(base + "/a.pdf", {"If-Modified-Since": lastmod})[0] == 304
        assert _get(base + "/a.pdf", {"If-None-Match": '"other"'})[0] == 200
        assert _get(base + "/missing.html")[0] == 404
        assert _get(base + "/../etc/passwd")[0] in (403, 404)


def test_routes_and_request_log(tmp_path):
    server = srv.PortalServer(
        None,
        {
            "POST /proxy.jsp": lambda req: srv.Reply(
                200, (req.args["startrecord"] + ":" + req.form["columnid"]).encode()
            ),
            "/gate": srv.cookie_gate(srv.text("ok")),
            "/r": srv.redirect("/gate", 301),
            "/api": srv.json_api(lambda req: {"page": int(req.args.get("page", 1))}),
            "/big": srv.huge(2 * 1024**3, announce_length=True),
        },
        robots_txt="User-agent: *\nDisallow: /private/\n",
    )
    with server as base:
        assert _get(base + "/proxy.jsp?startrecord=4", data=b"columnid=123")[2] == b"4:123"
        status, headers, _ = _get(base + "/gate")
        assert status == 412 and headers["Set-Cookie"].startswith("waf_ok=1")
        assert _get(base + "/gate", {"Cookie": "waf_ok=1"})[2] == b"ok"
        assert _get(base + "/api?page=3")[2] == b'{"page": 3}'
        assert b"Disallow: /private/" in _get(base + "/robots.txt")[2]
        with urllib.request.urlopen(base + "/big", timeout=10) as r:
            assert r.headers["Content-Length"] == str(2 * 1024**3)
            assert r.read(16).startswith(b"%PDF-1.4")
        assert [r.method for r in server.requests][:2] == ["POST", "GET"]
        assert server.requests[0].headers["content-length"] == "12"


@pytest.mark.parametrize("kind,code", [("ruishu", 412), ("jsl", 521), ("edgeone", 412)])
def test_challenges_are_recognised_by_the_crawler(kind, code):
    from crawler.outcomes import challenge

    with srv.PortalServer(None, {"/c": srv.challenge(kind)}) as base:
        status, headers, body = _get(base + "/c")
    assert status == code
    out = challenge(status, {k.lower(): v for k, v in headers.items()}, body)
    assert out is not None and out.outcome == "blocked" and not out.retry_once
