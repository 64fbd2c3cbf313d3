"""Fixture portals on several loopback addresses (127.0.0.x: different hosts to the crawler, so one
crawl per host holds per address) and the sources file naming them."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path

from tests.flows.portals import Portal, build_portal

ORGS = ("甲县", "乙县", "丙县", "丁县", "戊县", "己县")


def build(root: Path, n: int) -> list[Portal]:
    """``n`` portals, two reports each (an HTML page and a DOCX attachment)."""
    return [
        build_portal(
            root / f"p{i}",
            f"p{i}",
            ORGS[i % len(ORGS)] + ("" if i < len(ORGS) else str(i)),
            ((2022, "html"), (2023, "docx")),
            seed=100 + i,
        )
        for i in range(n)
    ]


def serve(stack: ExitStack, portals: list[Portal], first: int = 2) -> list[str]:
    """Serve portal i on 127.0.0.<first + i>; returns their base URLs."""
    return [stack.enter_context(p.site.serve(host=f"127.0.0.{first + i}")) for i, p in enumerate(portals)]


def sources_file(path: Path, portals: list[Portal], urls: list[str]) -> Path:
    doc = {
        "allow_private_addresses": True,
        "sources": [
            {
                "id": p.source_id,
                "name": f"{p.source_id} portal",
                "start_urls": [url + "/"],
                "allowed_domains": [url.split("//", 1)[1]],
                "cms": "trs",
            }
            for p, url in zip(portals, urls)
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path
