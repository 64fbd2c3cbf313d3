"""The nationwide registry (sources/registry.yaml): loaded by the real loader, cited, placed in the
division table; the registry rules of the loader; ``gongkai sources --coverage``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crawler.sources import CMS_FAMILIES, SourcesError, load_sources, parse_sources
from gongkai.cli import main as cli_main
from gongkai.sources_cmd import coverage
from pipeline.regions import divisions

REGISTRY = Path(__file__).resolve().parents[2] / "sources" / "registry.yaml"
# a cited_from names where the URL was read: an address, a repository file, or the project's spec
_CITATION = re.compile(r"https?://\S+|template_spec\.md|output_contract\.md")


def test_registry_holds_300_cited_entries_in_all_31_provinces():
    sf = load_sources(REGISTRY)
    assert sf.registry is True and sf.allow_private_addresses is False
    assert len(sf.sources) >= 300
    table = divisions()
    provinces = {table[s.region].province for s in sf.sources}
    assert len(provinces) == 31, sorted(provinces)
    for s in sf.sources:
        assert s.region in table and s.cms in CMS_FAMILIES, s.id
        assert s.cited_from and _CITATION.search(s.cited_from), s.id
        assert s.verified is False, f"{s.id}: no run has reached it from here"
    starts = [u for s in sf.sources for u in s.start_urls]
    assert len(starts) == len(set(starts)), "a start URL is listed twice"


def test_registry_cited_urls_are_quoted_from_their_material():
    """An entry whose start URL is not its cited page's directory or home says why (inferred/home
    page/the crawler's own path), so a reader can tell a quoted URL from a derived one."""
    raw = yaml.safe_load(REGISTRY.read_text("utf-8"))
    for e in raw["sources"]:
        url, cite = e["start_urls"][0], " ".join(e["cited_from"].split())
        host = re.sub(r"^https?://", "", url).split("/")[0]
        assert host in cite, f"{e['id']}: the citation does not name the host {host}"


def _entry(**kw):
    e = {
        "id": "x",
        "name": "某县人民政府",
        "region": "350128",
        "start_urls": ["https://www.x.gov.cn/"],
        "allowed_domains": ["www.x.gov.cn"],
        "cited_from": "https://example.org/list.py#L3",
        "verified": False,
    }
    e.update(kw)
    return {k: v for k, v in e.items() if v is not None}


@pytest.mark.parametrize(
    "change,message",
    [
        ({"cited_from": None}, "needs cited_from"),
        ({"verified": None}, "needs verified"),
        ({"region": None}, "needs region"),
        ({"cited_from": "  "}, "cited_from must say"),
        ({"verified": "no"}, "verified must be true or false"),
        ({"region": "999999"}, "not in the division table"),
        ({"region": "35"}, "6-digit"),
        ({"cms": "wordpress"}, "cms must be one of"),
    ],
)
def test_registry_entry_rules(change, message):
    with pytest.raises(SourcesError, match=message):
        parse_sources({"registry": True, "sources": [_entry(**change)]})


def test_plain_sources_file_needs_no_citation_but_checks_what_it_gives():
    sf = parse_sources({"sources": [_entry(cited_from=None, verified=None, region=None)]})
    assert sf.registry is False and sf.sources[0].verified is None and sf.sources[0].region is None
    with pytest.raises(SourcesError, match="not in the division table"):
        parse_sources({"sources": [_entry(region="350199")]})
    with pytest.raises(SourcesError, match="registry must be true or false"):
        parse_sources({"registry": "yes", "sources": [_entry()]})


def test_directory_of_files_loads_as_one(tmp_path):
    (tmp_path / "a.yaml").write_text(yaml.safe_dump({"registry": True, "sources": [_entry(id="a")]}), "utf-8")
    (tmp_path / "b.yaml").write_text(yaml.safe_dump({"registry": True, "sources": [_entry(id="b")]}), "utf-8")
    (tmp_path / "notes.txt").write_text("not a sources file", "utf-8")
    sf = load_sources(tmp_path)
    assert [s.id for s in sf.sources] == ["a", "b"] and sf.registry
    (tmp_path / "c.yml").write_text(
        yaml.safe_dump({"allow_private_addresses": True, "sources": [_entry(id="a")]}), "utf-8"
    )
    with pytest.raises(SourcesError, match="duplicate source id 'a'"):
        load_sources(tmp_path)
    (tmp_path / "empty").mkdir()
    with pytest.raises(SourcesError, match="no .yaml sources files"):
        load_sources(tmp_path / "empty")


def _coverage_file(tmp_path) -> Path:
    entries = [
        _entry(id="pingtan", region="350128"),  # a county of 福建
        _entry(id="pingtan-2", region="350128"),  # the same county again
        _entry(id="sanming", region="350400"),  # a prefecture of 福建
        _entry(id="fujian", region="350000"),  # the province: no division
        _entry(id="shaanxi", region="610000"),
    ]
    p = tmp_path / "reg.yaml"
    p.write_text(yaml.safe_dump({"registry": True, "sources": entries}, allow_unicode=True), "utf-8")
    return p


def test_coverage_counts_divisions_with_an_entry(tmp_path):
    rows = {r.name: r for r in coverage(load_sources(_coverage_file(tmp_path)))}
    table = divisions()
    fj = rows["福建省"]
    assert fj.entries == 4
    assert (fj.prefectures_covered, fj.counties_covered) == (1, 1)
    assert fj.prefectures == sum(1 for d in table.values() if d.province == "福建省" and d.level == "prefecture")
    assert fj.divisions - fj.covered == len(fj.uncovered)
    assert "350128" not in {d.adcode for d in fj.uncovered} and "350102" in {d.adcode for d in fj.uncovered}
    sx = rows["陕西省"]
    assert sx.entries == 1 and sx.covered == 0  # a provincial department covers no prefecture or county
    assert rows["北京市"].prefectures == 0 and rows["北京市"].counties == 16


def test_sources_coverage_command(tmp_path, capsys):
    path = _coverage_file(tmp_path)
    assert cli_main(["sources", "--sources", str(path), "--coverage"]) == 0
    out = capsys.readouterr().out
    lines = {ln.split("\t")[0]: ln.split("\t") for ln in out.splitlines() if "\t" in ln}
    fj = lines["福建省"]
    assert fj[1] == "4" and fj[2].startswith("1/") and fj[3].startswith("1/")
    table = divisions()
    n = sum(1 for d in table.values() if d.level != "province")
    assert lines["total"][4] == f"2/{n}"
    assert f"uncovered: {n - 2} of {n} divisions" in out and "香港" not in out
    assert cli_main(["sources", "--sources", str(path), "--coverage", "--uncovered"]) == 0
    listed = [ln.split("\t")[0] for ln in capsys.readouterr().out.splitlines() if re.match(r"\d{6}\t", ln)]
    assert len(listed) == n - 2 and "350128" not in listed and "350102" in listed


def test_sources_command_summary_and_bad_file(tmp_path, capsys):
    assert cli_main(["sources", "--sources", str(REGISTRY)]) == 0
    out = capsys.readouterr().out
    assert re.search(r": \d{3,} sources \(registry", out) and "unverified" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({"registry": True, "sources": [_entry(cited_from=None)]}), "utf-8")
    assert cli_main(["sources", "--sources", str(bad), "--coverage"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gongkai sources: ") and "needs cited_from" in err and "\n" not in err
