"""A local cluster as on several machines (docs/scale-out.md): a throwaway Postgres, a Prefect server
on it, N process workers of the ``gongkai`` pool, each in its own working directory under the
cluster directory, sharing only Postgres (Prefect's database, the DuckLake catalog) and the shared
storage directory (content store, crawl and parse caches, DuckLake data files).

``python -m flows.cluster up [--workers N] | run SOURCES_FILE | down`` (scripts/cluster.sh).

    <root>/pg/              Postgres data directory (databases prefect and lake)
    <root>/server/          the Prefect server's PREFECT_HOME and server.log
    <root>/shared/          the flows' data_dir on every worker; shared/lake/ the DuckLake's files
    <root>/worker-<n>/      a worker's working directory, PREFECT_HOME and worker.log
    <root>/cluster.json     what ``up`` started (ports, process ids), for ``run`` and ``down``
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from flows import pgserver
from warehouse.target import is_remote

REPO = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).with_name("prefect"))
DEFAULT_ROOT = REPO / "data" / "cluster"
STATE = "cluster.json"


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    for key in ("PREFECT_API_URL", "PREFECT_API_KEY", "PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_PROFILES_PATH"):
        env.pop(key, None)
    env.update(
        {
            "PREFECT_HOME": str(home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_LOGGING_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
        }
    )
    env.update(extra)
    return env


def _spawn(cmd: list[str], env: dict, cwd: Path, log: Path) -> int:
    """A process in its own session (``down`` stops it, and whatever it started, by its group)."""
    cwd.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as fh:
        proc = subprocess.Popen(
            cmd, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
        )
    return proc.pid


def _wait_http(url: str, pid: int, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if not _alive(pid) or time.monotonic() > deadline:
            tail = "\n".join(log.read_text("utf-8", "replace").splitlines()[-20:]) if log.exists() else ""
            raise RuntimeError(f"{url} did not answer (see {log}):\n{tail}")
        time.sleep(0.5)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child of ours that exited and was not reaped yet is a zombie, not alive
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _temp_dir(home: Path, n: int) -> Path:
    """The worker's own temp directory, with a short path: the parse supervisor's forkserver
    (runner.supervisor) listens on a Unix socket under it, and such a path may not exceed 107 bytes
    (a deep directory gave every parse "AF_UNIX path too long")."""
    tmp = home / "tmp"
    if len(str(tmp)) > 60:
        return Path(tempfile.mkdtemp(prefix=f"gk-worker-{n}-"))
    tmp.mkdir(parents=True, exist_ok=True)
    return tmp


def lake_data(root: Path) -> str:
    """Where the DuckLake's files go: ``$GONGKAI_LAKE_DATA`` when it names an object store (``s3://…``,
    with the AWS variables, docs/scale-out.md), else ``shared/lake``."""
    given = os.environ.get("GONGKAI_LAKE_DATA", "")
    return given if is_remote(given) else str(root / "shared" / "lake")


def worker_env(root: Path, api: str, n: int, extra: dict | None = None) -> dict[str, str]:
    """A worker's environment: its own PREFECT_HOME and temp directory, the shared storage for results
    and the lake, flow-run heartbeats (the zombie automation marks a killed worker's runs Crashed)."""
    home = root / f"worker-{n}"
    shared = root / "shared"
    return _env(
        home / "home",
        PREFECT_API_URL=api,
        TMPDIR=str(_temp_dir(home, n)),
        PREFECT_WORKER_QUERY_SECONDS="2",
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY="30",
        PREFECT_RESULTS_PERSIST_BY_DEFAULT="true",
        PREFECT_LOCAL_STORAGE_PATH=str(shared / "prefect-results"),
        GONGKAI_LAKE_DATA=lake_data(root),
        GONGKAI_PARSE_WORKERS=os.environ.get("GONGKAI_PARSE_WORKERS", "1"),
        GONGKAI_WORKER=f"worker-{n}",
        **(extra or {}),
    )


def start_worker(root: Path, api: str, n: int, limit: int = 2, extra: dict | None = None) -> int:
    home = root / f"worker-{n}"
    return _spawn(
        [PREFECT, "worker", "start", "--pool", "gongkai", "--name", f"worker-{n}", "--limit", str(limit)],
        worker_env(root, api, n, extra),
        home,
        home / "worker.log",
    )


def up(
    root: Path = DEFAULT_ROOT, workers: int = 2, limit: int = 2, worker_extra: dict | None = None, timeout: float = 180
) -> dict:
    """Start Postgres, the Prefect server on it, the pool, the zombie automation and the workers."""
    root = root.resolve()
    if (root / STATE).exists():
        raise RuntimeError(f"a cluster is up in {root} (scripts/cluster.sh down first)")
    (root / "shared" / "lake").mkdir(parents=True, exist_ok=True)
    pg = pgserver.start(root / "pg")
    port = pgserver.free_port()
    url = f"http://127.0.0.1:{port}"
    server_home = root / "server"
    server_home.mkdir(parents=True, exist_ok=True)
    # the schedules of prefect.yaml are for production: a local cluster runs what it is asked to
    env = _env(
        server_home,
        PREFECT_API_DATABASE_CONNECTION_URL=pg.url("prefect"),
        PREFECT_UI_API_URL=f"{url}/api",
        PREFECT_SERVER_SERVICES_SCHEDULER_ENABLED="false",
    )
    server = _spawn(
        [PREFECT, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env,
        server_home,
        server_home / "server.log",
    )
    state = {
        "root": str(root),
        "pg": str(pg.datadir),
        "api": f"{url}/api",
        "ui": url,
        "server_pid": server,
        "warehouse": pg.lake(),
        "lake_data": lake_data(root),
        "data_dir": str(root / "shared"),
        "workers": {},
    }
    (root / STATE).write_text(json.dumps(state, indent=1))
    _wait_http(f"{url}/api/health", server, server_home / "server.log", timeout)
    _prepare(state["api"], server_home)
    for n in range(1, workers + 1):
        state["workers"][f"worker-{n}"] = start_worker(root, state["api"], n, limit, (worker_extra or {}).get(n))
    (root / STATE).write_text(json.dumps(state, indent=1))
    return state


def add_worker(root: Path, n: int, limit: int = 2, extra: dict | None = None) -> int:
    """Start one more worker on a cluster that is up (as a machine joining); ``down`` stops it too."""
    state = read_state(root)
    pid = start_worker(root.resolve(), state["api"], n, limit, extra)
    state["workers"][f"worker-{n}"] = pid
    (root.resolve() / STATE).write_text(json.dumps(state, indent=1))
    return pid


def _prepare(api: str, home: Path) -> None:
    """The work pool and the automation that marks a flow run Crashed when its heartbeats stop (a
    worker or machine died)."""
    out = subprocess.run(
        [PREFECT, "--no-prompt", "work-pool", "create", "gongkai", "--type", "process", "--overwrite"],
        env=_env(home, PREFECT_API_URL=api),
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode:
        raise RuntimeError(f"work-pool create failed: {out.stderr[-500:]}")
    code = "from flows import zombies; zombies.ensure()"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=_env(home, PREFECT_API_URL=api),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if out.returncode:
        raise RuntimeError(f"could not create the zombie automation: {out.stderr[-800:]}")


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (from /proc; flow runs may start sessions of their own)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(pid: int, sig: int = signal.SIGTERM) -> None:
    """Signal ``pid`` and every process below it (a worker and the flow runs it started)."""
    for p in [pid, *_descendants(pid)]:
        try:
            os.kill(p, sig)
        except ProcessLookupError:
            pass


def _stop(pid: int, timeout: float = 20) -> None:
    kill_tree(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if _alive(pid):
        kill_tree(pid, signal.SIGKILL)


def down(root: Path = DEFAULT_ROOT) -> list[str]:
    """Stop what ``up`` started (workers, server, Postgres); returns what was stopped."""
    root = root.resolve()
    path = root / STATE
    stopped = []
    if path.exists():
        state = json.loads(path.read_text())
        for name, pid in state["workers"].items():
            _stop(pid)
            stopped.append(name)
        _stop(state["server_pid"])
        stopped.append("prefect server")
        path.unlink()
    if pgserver.stop(root / "pg"):
        stopped.append("postgres")
    return stopped


def read_state(root: Path = DEFAULT_ROOT) -> dict:
    path = root.resolve() / STATE
    if not path.exists():
        raise RuntimeError(f"no cluster is up in {root} (scripts/cluster.sh up first)")
    return json.loads(path.read_text())


def run(
    sources_file: str,
    root: Path = DEFAULT_ROOT,
    hosts_per_shard: int = 1,
    params: dict | None = None,
    deploy: bool = True,
) -> tuple[str, str]:
    """Deploy, run ``nationwide`` over the sources file on the cluster, wait; (flow run id, final state)."""
    state = read_state(root)
    env = _env(root.resolve() / "server", PREFECT_API_URL=state["api"])
    if deploy:
        out = subprocess.run(
            [PREFECT, "--no-prompt", "deploy", "--all"], env=env, cwd=REPO, capture_output=True, text=True, timeout=600
        )
        if out.returncode:
            raise RuntimeError(f"prefect deploy failed: {(out.stdout + out.stderr)[-1500:]}")
    parameters = {
        "registry": str(Path(sources_file).resolve()),
        "warehouse": state["warehouse"],
        "data_dir": state["data_dir"],
        "hosts_per_shard": hosts_per_shard,
        **(params or {}),
    }
    code = (
        "import json, sys; from prefect.deployments import run_deployment; "
        "fr = run_deployment('nationwide/nationwide', parameters=json.loads(sys.argv[1]), timeout=None, "
        "poll_interval=2); print(fr.id, fr.state.type.value)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, json.dumps(parameters)], env=env, cwd=REPO, capture_output=True, text=True
    )
    if out.returncode:
        raise RuntimeError(f"the nationwide run could not be started: {out.stderr[-1500:]}")
    flow_run_id, final = out.stdout.split()[-2:]
    return flow_run_id, final


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="scripts/cluster.sh", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("up", "run", "down"))
    p.add_argument("sources_file", nargs="?")
    p.add_argument("--root", default=os.environ.get("GONGKAI_CLUSTER_DIR", str(DEFAULT_ROOT)))
    p.add_argument("--workers", type=int, default=int(os.environ.get("GONGKAI_CLUSTER_WORKERS", "2")))
    p.add_argument("--hosts-per-shard", type=int, default=1)
    args = p.parse_args(argv)
    root = Path(args.root)
    try:
        if args.command == "up":
            state = up(root, args.workers)
            print(
                f"cluster up in {root}: Prefect UI {state['ui']}, {args.workers} workers, "
                f"Postgres {state['warehouse'].split('postgres:', 1)[1]}"
            )
        elif args.command == "down":
            print("stopped: " + (", ".join(down(root)) or "nothing was running"))
        else:
            if not args.sources_file:
                p.error("run needs a SOURCES_FILE")
            state = read_state(root)
            flow_run_id, final = run(args.sources_file, root, args.hosts_per_shard)
            print(f"nationwide flow run {flow_run_id}: {final} ({state['ui']}/runs/flow-run/{flow_run_id})")
            print(f"data files: GONGKAI_LAKE_DATA={state['lake_data']}")
            print(state["warehouse"])
            return 0 if final == "COMPLETED" else 1
    except (RuntimeError, pgserver.PostgresError) as err:
        print(f"scripts/cluster.sh {args.command}: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
