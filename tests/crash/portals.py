"""Two fixture portals for the crash tests, made by the project's generator (HTML tables and DOCX
attachments, one damaged DOCX), whose pages and files answer after a delay so that a crawl lasts
long enough to be killed in the middle."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from gongkai.samples import server as srv
from gongkai.samples.portal import SampleSite
from tests.flows.portals import Portal, build_portal, free_port, sources_file

SLOW_S = 0.3  # per article page and attachment


def slowed(site: SampleSite, port: int, delay_s: float = SLOW_S) -> srv.PortalServer:
    """The site served with every article page and attachment ``delay_s`` late."""
    routes = dict(site.routes)
    for path in [*site.pages.values(), *site.files.values()]:
        routes[path] = srv.slow(lambda req, root=site.root: srv.static_file(root, req), delay_s)
    return srv.PortalServer(site.root, routes, port=port)


@dataclass(frozen=True)
class Portals:
    portals: tuple[Portal, ...]
    servers: tuple[srv.PortalServer, ...]
    sources: Path

    @property
    def reports(self) -> list[tuple[str, str, int]]:
        """(source id, org name, year) of every report published."""
        return sorted((p.source_id, org, year) for p in self.portals for org, year, _ in p.reports)

    @property
    def documents(self) -> int:
        return sum(len(p.reports) + p.broken for p in self.portals)


def build(root: Path) -> Portals:
    jia = build_portal(root / "jia", "jia", "甲市卫生健康局", ((2022, "html"), (2023, "docx")), 31, broken=True)
    yi = build_portal(root / "yi", "yi", "乙县人民政府办公室", ((2022, "docx"), (2023, "html")), 32)
    ports = (free_port(), free_port())
    sources = sources_file(
        root / "sources.yaml", [("jia", "甲市卫生健康局", ports[0]), ("yi", "乙县人民政府办公室", ports[1])]
    )
    servers = (slowed(jia.site, ports[0]), slowed(yi.site, ports[1]))
    return Portals((jia, yi), servers, sources)
