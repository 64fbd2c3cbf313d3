"""What a gkmlpt page says about its site: the SID, the app prefix (a site may live under a path,
``/zqhjj/gkmlpt/…``), and the category tree (``window._CONFIG = {…, TREE: [...]}`` or
``window._CONFIG.TREE = [...]``; nodes ``{id, name, parent, children?}``, nested or flat)."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit, urlunsplit

from ..discovery import is_column_text

_CONFIG_RE = re.compile(r"window\._CONFIG\s*=\s*\{(.*?)\}\s*;?\s*(?:</script>|window\.|$)", re.S)
_SID_RE = re.compile(r"""['"]?SID['"]?\s*:\s*['"]?([\w-]+)""")
_TREE_AT = re.compile(r"""(?:window\._CONFIG\.TREE\s*=|(?<![\w$])['"]?TREE['"]?\s*:)\s*""")
_TREE_API_RE = re.compile(r"""['"]?(?:TREE_API|TREE_URL|CLASSIFY_API)['"]?\s*:\s*['"]([^'"]+)['"]""")
# guessed when the page names none; a 404 or a non-JSON answer falls back to the all-articles listing
DEFAULT_TREE_API = "/gkmlpt/api/tree"


def site_id(text: str) -> str | None:
    m = _CONFIG_RE.search(text)
    body = m.group(1) if m else ""
    sid = _SID_RE.search(body) or (_SID_RE.search(text) if "_CONFIG" in text else None)
    return sid.group(1) if sid else None


def app_prefix(url: str) -> str:
    """``https://h/zqhjj/gkmlpt/index`` → ``https://h/zqhjj``; a URL without ``/gkmlpt/`` → ``https://h``."""
    p = urlsplit(url)
    path = p.path.split("/gkmlpt/", 1)[0] if "/gkmlpt/" in p.path or p.path.endswith("/gkmlpt") else ""
    if p.path.endswith("/gkmlpt"):
        path = p.path[: -len("/gkmlpt")]
    return urlunsplit((p.scheme, p.netloc, path.rstrip("/"), "", ""))


def tree_api(text: str) -> str:
    m = _TREE_API_RE.search(text)
    return m.group(1) if m else DEFAULT_TREE_API


def config_tree(text: str):
    """The category tree the page embeds, or None."""
    for m in _TREE_AT.finditer(text):
        try:
            tree, _end = json.JSONDecoder().raw_decode(text, m.end())
        except json.JSONDecodeError:
            continue
        if isinstance(tree, (list, dict)):
            return tree
    return None


def _nodes(tree, depth: int = 0):
    """Every node of a tree given as a list, a dict of lists, or nested ``children``."""
    if depth > 12:
        return
    if isinstance(tree, list):
        for item in tree:
            yield from _nodes(item, depth + 1)
    elif isinstance(tree, dict):
        if "name" in tree and "id" in tree:
            yield tree
        for key in ("children", "child", "sub", "nodes", "list", "data", "TREE", "tree", "classify"):
            if isinstance(tree.get(key), (list, dict)):
                yield from _nodes(tree[key], depth + 1)


def report_categories(tree) -> list[str]:
    """Ids of the categories named like the annual-report column, and of their sub-categories
    (a 2023年度 under 政府信息公开年报)."""
    nodes = list(_nodes(tree))
    hits = [str(n["id"]) for n in nodes if is_column_text(str(n.get("name") or ""))]
    out = list(hits)
    frontier = set(hits)
    while frontier:  # flat trees give parents by id
        kids = [str(n["id"]) for n in nodes if str(n.get("parent", n.get("pid", ""))) in frontier]
        frontier = {k for k in kids if k not in out}
        out.extend(sorted(frontier))
    for n in nodes:  # nested trees give children inline
        if str(n["id"]) in hits:
            out.extend(str(c["id"]) for c in _nodes(n.get("children") or []))
    return list(dict.fromkeys(out))
