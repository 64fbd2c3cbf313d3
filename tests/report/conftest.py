"""The known warehouse of tests/warehouse (its hand-written run, loaded by the real loader) and a browser."""

import pathlib

import pytest

from gongkai.quality_report import write_report
from tests.warehouse import wh_records as records
from warehouse.connect import connect
from warehouse.loader import load_run

REPO = pathlib.Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"


def report_id(name: str) -> str:
    """The report id of a document of the known run (``H23``, ``Z22``, …)."""
    return f"{records.sha(name)}:{records.PARSER}"


@pytest.fixture(scope="session")
def known_warehouse(tmp_path_factory) -> pathlib.Path:
    path = tmp_path_factory.mktemp("report-wh") / "warehouse.duckdb"
    load_run(path, **records.run())
    return path


@pytest.fixture()
def known_conn(known_warehouse):
    conn = connect(known_warehouse, read_only=True)
    yield conn
    conn.close()


@pytest.fixture(scope="session")
def known_report(known_warehouse, tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("report-html") / "report.html"
    write_report(known_warehouse, out)
    return out


@pytest.fixture(scope="session")
def browser():
    from tests.report.browser import CHROMIUM, launch
    from tests.conftest import require_tool

    require_tool(CHROMIUM)
    with launch() as b:
        yield b


@pytest.fixture()
def page(browser):
    """A fresh page that records every request, console error and dialog."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    p.requests, p.errors, p.dialogs = [], [], []
    p.on("request", lambda r: p.requests.append(r.url))
    p.on("pageerror", lambda e: p.errors.append(str(e)))
    p.on("console", lambda m: p.errors.append(m.text) if m.type == "error" else None)

    def dialog(d):
        p.dialogs.append(d.message)
        d.dismiss()

    p.on("dialog", dialog)
    yield p
    context.close()


def open_report(page, html: pathlib.Path, fragment: str = ""):
    page.goto(html.resolve().as_uri() + fragment)
    page.wait_for_selector("body[data-ready=yes]", timeout=30_000)
    return page
