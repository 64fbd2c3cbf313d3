"""``gongkai sources``: what a sources file (or the registry) holds, and ``--coverage``: which
prefecture- and county-level divisions of the adcode table have an entry, per province."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field

from crawler.sources import SourcesError, SourcesFile, load_sources

DEFAULT_REGISTRY = "sources/registry.yaml"


@dataclass
class ProvinceCoverage:
    code: str
    name: str
    entries: int = 0  # entries whose region is the province or any division inside it
    prefectures: int = 0
    prefectures_covered: int = 0
    counties: int = 0
    counties_covered: int = 0
    uncovered: list = field(default_factory=list)  # Division objects without an entry

    @property
    def divisions(self) -> int:
        return self.prefectures + self.counties

    @property
    def covered(self) -> int:
        return self.prefectures_covered + self.counties_covered


def coverage(sf: SourcesFile) -> list[ProvinceCoverage]:
    """Per province (code order): entries, and prefecture/county divisions with an entry whose
    ``region`` is exactly that division (a province-level department covers no prefecture)."""
    from pipeline.regions import divisions

    table = divisions()
    regions = Counter(s.region for s in sf.sources if s.region)
    out: dict[str, ProvinceCoverage] = {}
    for code, d in sorted(table.items()):
        if d.level == "province":
            out[code] = ProvinceCoverage(code, d.name)
    for code, n in regions.items():
        prov = table[code[:2] + "0000"] if code[:2] + "0000" in table else None
        if prov is not None:
            out[prov.adcode].entries += n
    for code, d in sorted(table.items()):
        if d.level == "province":
            continue
        pc = out[code[:2] + "0000"]
        hit = code in regions
        if d.level == "prefecture":
            pc.prefectures += 1
            pc.prefectures_covered += hit
        else:
            pc.counties += 1
            pc.counties_covered += hit
        if not hit:
            pc.uncovered.append(d)
    return list(out.values())


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "-"


def _row(r: ProvinceCoverage) -> str:
    # tab-separated: CJK names make padded columns lie, and tabs sort/cut well
    return (
        f"{r.name}\t{r.entries}\t{r.prefectures_covered}/{r.prefectures}\t{r.counties_covered}/{r.counties}\t"
        f"{r.covered}/{r.divisions}\t{_pct(r.covered, r.divisions)}\n"
    )


def print_coverage(sf: SourcesFile, rows: list[ProvinceCoverage], list_uncovered: bool, out=None) -> None:
    w = (out or sys.stdout).write
    w(f"{sf.path}: {len(sf.sources)} sources; prefecture- and county-level divisions with an entry\n")
    w("province\tentries\tprefectures\tcounties\tcovered\t%\n")
    for r in rows:
        if r.divisions or r.entries:  # 香港/澳门: no divisions in the table
            w(_row(r))
    tot = ProvinceCoverage(
        "",
        "total",
        sum(r.entries for r in rows),
        sum(r.prefectures for r in rows),
        sum(r.prefectures_covered for r in rows),
        sum(r.counties for r in rows),
        sum(r.counties_covered for r in rows),
    )
    w(_row(tot))
    unplaced = sum(1 for s in sf.sources if not s.region)
    if unplaced:
        w(f"{unplaced} sources have no region and count for no division\n")
    w(
        f"uncovered: {tot.divisions - tot.covered} of {tot.divisions} divisions"
        + (":\n" if list_uncovered else " (--uncovered lists them)\n")
    )
    if list_uncovered:
        for r in rows:
            for d in r.uncovered:
                w(f"{d.adcode}\t{d.province}\t{d.city or ''}\t{d.name}\t{d.level}\n")


def print_summary(sf: SourcesFile, out=None) -> None:
    out = out or sys.stdout
    verified = Counter({True: "verified", False: "unverified", None: "not marked"}[s.verified] for s in sf.sources)
    families = Counter(s.cms for s in sf.sources)
    out.write(
        f"{sf.path}: {len(sf.sources)} sources" + (" (registry: every entry cited)" if sf.registry else "") + "\n"
    )
    out.write("  " + ", ".join(f"{n} {k}" for k, n in verified.most_common()) + "\n")
    out.write("  cms: " + ", ".join(f"{k} {n}" for k, n in families.most_common()) + "\n")


def main(args) -> int:
    try:
        sf = load_sources(args.sources)
    except SourcesError as exc:
        print(f"gongkai sources: {exc}", file=sys.stderr)
        return 2
    if args.coverage or args.uncovered:
        print_coverage(sf, coverage(sf), args.uncovered)
    else:
        print_summary(sf)
    return 0
