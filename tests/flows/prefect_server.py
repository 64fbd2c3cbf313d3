"""A real Prefect server (and process worker) on 127.0.0.1 for the flow tests, each in its own tmp
PREFECT_HOME with a SQLite database, plus the few REST calls the tests make."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[2]
PREFECT = str(Path(sys.executable).with_name("prefect"))
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
RETRY_CODES = {429, 502, 503}
RETRIES = 5


def prefect_env(home: Path, api_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{home / 'prefect.db'}",
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            # no cron runs of the real registry while testing: the schedules are checked, not fired
            "PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED": "false",
            "PREFECT_WORKER_QUERY_SECONDS": "1",
            "PREFECT_LOGGING_LEVEL": "INFO",
            # SQLite under a server, a worker and flow runs on 2 cores: wait longer for the write lock,
            # and say in server.log when a request still met it (the client retries those 503s)
            "PREFECT_SERVER_DATABASE_TIMEOUT": "30",
            "PREFECT_SERVER_LOG_RETRYABLE_ERRORS": "true",
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("PREFECT_API_KEY", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    else:
        env.pop("PREFECT_API_URL", None)
    return env


@dataclass
class Background:
    """A process started by a test, stopped by its own process group id."""

    proc: subprocess.Popen
    log: Path

    def tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        stop_group(self.proc)


def stop_group(proc: subprocess.Popen, timeout: float = 20) -> None:
    """A server started in its own process group, stopped: SIGTERM to the group, SIGKILL after ``timeout``."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def start(cmd: list[str], env: dict, log: Path, cwd: Path = REPO) -> Background:
    fh = open(log, "ab")  # noqa: SIM115 - the server's log, open for its life, closed when it stops
    proc = subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
    )
    fh.close()
    return Background(proc, log)


@dataclass
class Server:
    url: str
    home: Path
    process: Background
    env: dict = field(default_factory=dict)  # for clients: the server's API, its PREFECT_HOME

    @property
    def api(self) -> str:
        return f"{self.url}/api"

    def _call(self, method: str, path: str, body: dict | None = None) -> httpx.Response:
        """One REST call, retried like Prefect's own client does: the server answers 503 when
        SQLite is busy (a worker and a flow run writing at the same moment) and 429/502 under load."""
        for attempt in range(RETRIES + 1):
            r = httpx.request(method, f"{self.api}{path}", json=body, timeout=30)
            if r.status_code not in RETRY_CODES or attempt == RETRIES:
                r.raise_for_status()
                return r
            time.sleep(min(2**attempt, 10))
        raise AssertionError("unreachable")

    def get(self, path: str):
        return self._call("GET", path).json()

    def post(self, path: str, body: dict | None = None):
        r = self._call("POST", path, body or {})
        return r.json() if r.content else None

    def cli(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PREFECT, "--no-prompt", *args], env=self.env, cwd=REPO, capture_output=True, text=True, timeout=timeout
        )

    def deployment(self, flow_name: str, name: str) -> dict:
        return self.get(f"/deployments/name/{flow_name}/{name}")

    def run_deployment(self, deployment_id: str, parameters: dict) -> str:
        return self.post(f"/deployments/{deployment_id}/create_flow_run", {"parameters": parameters})["id"]

    def flow_run(self, run_id: str) -> dict:
        return self.get(f"/flow_runs/{run_id}")

    def wait_terminal(self, run_id: str, *, min_run_count: int = 1, timeout: float = 240) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            fr = self.flow_run(run_id)
            if fr["state"]["type"] in TERMINAL and fr["run_count"] >= min_run_count:
                return fr
            if time.monotonic() > deadline:
                raise AssertionError(f"flow run {run_id} still {fr['state']['type']} after {timeout:.0f} s")
            time.sleep(0.5)

    def task_runs(self, flow_run_id: str) -> list[dict]:
        return self.post("/task_runs/filter", {"flow_runs": {"id": {"any_": [flow_run_id]}}, "limit": 200})


def start_server(home: Path, port: int, timeout: float = 120) -> Server:
    home.mkdir(parents=True, exist_ok=True)
    url = f"http://127.0.0.1:{port}"
    env = prefect_env(home)
    env["PREFECT_UI_API_URL"] = f"{url}/api"  # the UI's own default is port 4200
    bg = start([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env, home / "server.log")
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if bg.proc.poll() is not None or time.monotonic() > deadline:
            bg.stop()
            raise RuntimeError(f"prefect server did not start:\n{bg.tail()}")
        time.sleep(0.25)
    return Server(url, home, bg, prefect_env(home, f"{url}/api"))
