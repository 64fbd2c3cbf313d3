"""The parser version follows the code: an edit under pipeline/ changes it, an unchanged tree keeps it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import random

from gongkai.samples.render_text import render_text
from gongkai.samples.values import generate_report
from pipeline import version
from pipeline.record import PARSER_VERSION

REPO = Path(__file__).resolve().parents[2]
LIBS = {"pdfminer.six": "1", "mammoth": "2"}


def _copy(tmp_path: Path) -> Path:
    dst = tmp_path / "pipeline"
    shutil.copytree(REPO / "pipeline", dst, ignore=shutil.ignore_patterns("__pycache__"))
    return dst


def test_unchanged_tree_keeps_its_version(tmp_path):
    tree = _copy(tmp_path)
    assert version.digest(tree, LIBS) == version.digest(tree, LIBS)
    assert version.digest(tree) == PARSER_VERSION == version.digest(REPO / "pipeline")


def test_an_edit_a_new_file_or_a_spec_change_changes_it(tmp_path):
    tree = _copy(tmp_path)
    before = version.digest(tree, LIBS)
    rules = tree / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# a comment is an edit too\n", encoding="utf-8")
    after_edit = version.digest(tree, LIBS)
    assert after_edit != before
    spec = sorted((tree / "spec").glob("*.json"))[0]
    spec.write_bytes(spec.read_bytes() + b"\n")
    after_spec = version.digest(tree, LIBS)
    assert after_spec != after_edit
    (tree / "interpret" / "new_module.py").write_text("X = 1\n", encoding="utf-8")
    assert version.digest(tree, LIBS) != after_spec


def test_a_converter_upgrade_changes_it(tmp_path):
    tree = _copy(tmp_path)
    assert version.digest(tree, LIBS) != version.digest(tree, dict(LIBS, mammoth="3"))


def test_crlf_checkout_is_the_same_code(tmp_path):
    tree = _copy(tmp_path)
    before = version.digest(tree, LIBS)
    rules = tree / "rules.py"
    rules.write_bytes(rules.read_bytes().replace(b"\n", b"\r\n"))
    assert version.digest(tree, LIBS) == before


def _parse_version(pythonpath: Path, doc: Path) -> str:
    env = dict(os.environ, PYTHONPATH=f"{pythonpath}{os.pathsep}{REPO}")
    out = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "parse", str(doc), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        cwd=pythonpath,
    )
    return json.loads(out.stdout)["parser_version"]


@pytest.mark.slow  # runs the gongkai command
def test_gongkai_parse_reports_the_edited_trees_version(tmp_path):
    doc = tmp_path / "report.txt"
    doc.write_text(render_text(generate_report(random.Random(3))), encoding="utf-8")
    edited = tmp_path / "edited"
    edited.mkdir()
    _copy(edited)
    assert _parse_version(edited, doc) == PARSER_VERSION  # a copy is the same code
    helpers = edited / "pipeline" / "normalize.py"
    helpers.write_text(helpers.read_text(encoding="utf-8") + "\n# upgraded\n", encoding="utf-8")
    upgraded = _parse_version(edited, doc)
    assert upgraded != PARSER_VERSION and upgraded == version.digest(edited / "pipeline")
