"""The parser version: a digest of the code and data that turn bytes into a record.

It keys the parse cache (``DATA/parsed/<sha256>.<version>.json``, Prefect's ``parse-<sha256>-<version>``)
and is half of every report id, so it must change whenever a parse could come out differently: any
file of the ``pipeline`` package (its Python sources and the spec data under ``pipeline/spec/``) and the
versions of the libraries that read the bytes. A hand-kept version number does not follow the code (it
stayed at 0.1.0 through dozens of parser changes, and upgrades served stale records), so none is kept.

Not covered: the LibreOffice and tesseract binaries (asking them costs a subprocess per process); the
record's ``document.converter`` names the LibreOffice build of every DOC/WPS parse.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

# libraries whose upgrade can change what a document reads as (absent ones count as "absent")
CONVERTERS = (
    "pdfminer.six",
    "pypdfium2",
    "mammoth",
    "lxml",
    "rapidocr",
    "rapidocr-onnxruntime",
    "onnxruntime",
    "opencv-python",
    "opencv-python-headless",
    "pillow",
    "numpy",
    "img2table",
)
_SUFFIXES = {".py", ".json", ".csv", ".yaml", ".txt"}
PACKAGE = Path(__file__).resolve().parent


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in _SUFFIXES and "__pycache__" not in p.parts)


def _library(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def digest(root: Path = PACKAGE, libraries: dict[str, str] | None = None) -> str:
    """16 hex digits of sha256 over every source/data file under ``root`` (path and bytes) and the
    converter libraries' versions."""
    h = hashlib.sha256()
    for path in _files(root):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        # line ends normalised: a checkout with CRLF is the same code
        h.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    libs = libraries if libraries is not None else {name: _library(name) for name in CONVERTERS}
    for name in sorted(libs):
        h.update(f"{name}=={libs[name]}\n".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The version of the parser this process runs (computed once: ~70 small files)."""
    return digest()
