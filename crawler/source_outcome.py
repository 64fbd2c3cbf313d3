"""The one outcome a source's crawl ends with, for a person to act on (issue 19):

| outcome | when | what to do |
|---|---|---|
| ``ok`` | reports listed, every fetch on the way answered | nothing |
| ``partial`` | reports listed, but some list pages, articles or files failed, were challenged, or the crawl was cut short (timeout, caps, crash, pages it cannot reach) | retry later; see the reason |
| ``empty`` | the portal answered, yet no report was listed: a wrong start URL, an unknown family, a column moved | fix the registry entry (``gongkai discover``) |
| ``blocked`` | nothing usable: WAF / JS challenges (or refusals by policy) | a person must look; a retry will not help |
| ``down`` | nothing usable: errors, timeouts, refused connections, or no answer at all | retry later |

Fetches of ``robots.txt``, fetches skipped by policy (off-site, robots.txt) and withdrawn pages
(``gone``) are not failures of the source; a failed list fetch the crawler replaced by another
listing (``falls back to`` in its reason) is not either."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Mapping

SOURCE_OUTCOMES = ("ok", "partial", "empty", "blocked", "down")
USABLE = ("ok", "not_modified")
_CUT_SHORT_STATS = {
    "gongkai/list_pages_unreachable": "list pages the site serves only to scripts",
    "gongkai/list_pages_capped": "list pages over GONGKAI_MAX_LIST_PAGES",
    "gongkai/attachments_capped": "attachments over the per-article cap",
    "gongkai/list_payload_unreadable": "unreadable list payloads",
}


@dataclass(frozen=True)
class SourceOutcome:
    outcome: str
    reason: str
    n_documents: int = 0

    def line(self, source_id: str) -> str:
        return f"{source_id}: {self.outcome} ({self.n_documents} documents) — {self.reason}"


def _counts(fetches: Iterable[Mapping]) -> tuple[Counter, Counter]:
    """Outcomes of every fetch that speaks for the source, and of those that failed, by kind."""
    every, failed = Counter(), Counter()
    for f in fetches:
        if f.get("kind") == "robots" or f.get("outcome") in ("skipped", "gone"):
            continue
        if f.get("outcome") not in USABLE and "falls back to" in (f.get("reason") or ""):
            continue
        every[f.get("outcome")] += 1
        if f.get("outcome") not in USABLE:
            failed[f"{f.get('kind')} {f.get('outcome')}"] += 1
    return every, failed


def _detail(c: Counter) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(c.items()))


def judge_source(
    fetches: Iterable[Mapping],
    n_documents: int,
    stats: Mapping | None = None,
    *,
    returncode: int = 0,
    timed_out: bool = False,
) -> SourceOutcome:
    stats = stats or {}
    every, failed = _counts(fetches)
    usable = sum(every[o] for o in USABLE)
    if not n_documents:
        if not usable and every["blocked"] and not every["error"]:
            return SourceOutcome("blocked", f"every page was a challenge ({_detail(every)})")
        if not usable:
            why = _detail(every) or "no request answered"
            if returncode and not timed_out:
                why += f"; the crawler exited with status {returncode}"
            return SourceOutcome("down", f"nothing usable: {why}")
        if every["blocked"]:
            return SourceOutcome("blocked", f"no report listed; challenged: {_detail(failed)}")
        family = next((v for k, v in sorted(stats.items()) if k.startswith("gongkai/family/")), "none")
        return SourceOutcome(
            "empty",
            f"{usable} pages answered (family {family}) but no report was listed: "
            "check the start URL (gongkai discover URL)",
        )
    short = [f"{stats[k]} {what}" for k, what in _CUT_SHORT_STATS.items() if stats.get(k)]
    if timed_out:
        short.insert(0, "stopped at the hard timeout")
    elif returncode:
        short.insert(0, f"the crawler exited with status {returncode}")
    if failed or short:
        return SourceOutcome(
            "partial", "; ".join(([f"failed: {_detail(failed)}"] if failed else []) + short), n_documents
        )
    return SourceOutcome("ok", f"{usable} fetches answered", n_documents)
