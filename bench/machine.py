"""A description of the machine and software a benchmark ran on."""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
from importlib.metadata import PackageNotFoundError, version

PACKAGES = (
    "pdfminer.six",
    "pypdfium2",
    "mammoth",
    "lxml",
    "rapidocr-onnxruntime",
    "onnxruntime",
    "scrapy",
    "duckdb",
    "pyarrow",
    "prefect",
)


def _first(path: str, key: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip() if ":" in line else line.split("=", 1)[1].strip().strip('"')
    except OSError:
        return None
    return None


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (0.0, 0.0, 0.0)


def soffice_version() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        return "not installed"
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout.split()
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return " ".join(out[:2]) if out else "unknown"


def describe() -> dict:
    mem = _first("/proc/meminfo", "MemTotal")
    mem_gb = round(int(mem.split()[0]) / 1024 / 1024, 1) if mem else None
    versions = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = version(pkg)
        except PackageNotFoundError:
            versions[pkg] = "not installed"
    return {
        "cpu": _first("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "kernel": platform.release(),
        "os": _first("/etc/os-release", "PRETTY_NAME") or platform.platform(),
        "python": platform.python_version(),
        "libreoffice": soffice_version(),
        "packages": versions,
    }
