"""Headless Debian Chromium driven by Playwright (Playwright's own browser download needs internet)."""

from __future__ import annotations

import contextlib
import os
import shutil

CHROMIUM = os.environ.get("GONGKAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# without the background-networking flags Chromium's own connections are refused by a closed network
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def launch():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
