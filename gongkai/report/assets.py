"""The report's inline script and stylesheet, kept as package data (``report.js``, ``report.css``).

The script decodes the embedded payload, lists reports and draws one report's tables. Every string
from the warehouse reaches the page through ``textContent`` or an attribute set with
``setAttribute``; links are made only for http(s) URLs.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files


@cache
def asset(name: str) -> str:
    """The text of ``gongkai/report/<name>`` (installed with the package)."""
    return files("gongkai.report").joinpath(name).read_text("utf-8")


def script() -> str:
    return asset("report.js")


def style() -> str:
    return asset("report.css")
