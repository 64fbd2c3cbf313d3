"""A throwaway Postgres server for the local cluster and the tests: ``initdb`` + ``pg_ctl`` of Debian's
``postgresql`` package (scripts/install-system-deps.sh), run as a non-root user, listening on a free
port of 127.0.0.1 only, trust authentication (loopback, one machine), its socket inside its data
directory. One database per user of it: ``prefect`` (the Prefect server) and ``lake`` (the DuckLake
catalog). ``python -m flows.pgserver start|stop|url DIR`` is what scripts/cluster.sh calls.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "gongkai"
DATABASES = ("prefect", "lake")
STATE = "gongkai-pg.json"  # port and owner of a running server, beside its data directory


class PostgresError(RuntimeError):
    """Postgres cannot be started here; ``str(err)`` says why in one line."""


def bindir() -> Path:
    """Where initdb/pg_ctl are: ``$GONGKAI_PG_BIN``, else the newest /usr/lib/postgresql/<v>/bin."""
    env = os.environ.get("GONGKAI_PG_BIN")
    found = [env] if env else sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
    for d in reversed(found):
        if (Path(d) / "initdb").exists():
            return Path(d)
    if shutil.which("initdb"):
        return Path(shutil.which("initdb")).parent
    raise PostgresError("no initdb: install Debian's postgresql (scripts/install-system-deps.sh)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class Postgres:
    datadir: Path
    port: int
    user: str  # the OS user the server runs as

    def dsn(self, db: str) -> str:
        """libpq key/value string (DuckDB's postgres extension, DuckLake)."""
        return f"dbname={db} user={SUPERUSER} host=127.0.0.1 port={self.port}"

    def url(self, db: str, driver: str = "postgresql+asyncpg") -> str:
        """SQLAlchemy URL (``PREFECT_API_DATABASE_CONNECTION_URL``)."""
        return f"{driver}://{SUPERUSER}@127.0.0.1:{self.port}/{db}"

    def lake(self, db: str = "lake") -> str:
        """The ``--warehouse`` of a DuckLake whose catalog is this server's ``lake`` database."""
        return f"ducklake:postgres:{self.dsn(db)}"


def _run_as(user: str, cmd: list[str], **kw) -> subprocess.CompletedProcess:
    """Run a Postgres binary as ``user`` (Postgres refuses to run as root)."""
    if os.geteuid() == 0:
        kw["user"], kw["group"] = user, pwd.getpwnam(user).pw_gid
        kw["extra_groups"] = []
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def _os_user() -> str:
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid()).pw_name
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise PostgresError("running as root and there is no postgres user to run the server as")


def _where(datadir: Path, user: str | None = None) -> Path:
    """The real data directory: ``datadir`` itself, or — when we are root and the server's user cannot
    reach ``datadir`` (e.g. under pytest's 0700 tmp directory) — a directory of its own under /tmp,
    recorded in ``<datadir>.location`` and removed by ``stop``."""
    pointer = datadir.parent / f"{datadir.name}.location"
    if pointer.exists():
        return Path(pointer.read_text().strip())
    if user is None or os.geteuid() != 0:
        return datadir
    owner = pwd.getpwnam(user)
    datadir.mkdir(parents=True, exist_ok=True)
    os.chown(datadir, owner.pw_uid, owner.pw_gid)
    if _run_as(user, ["test", "-w", str(datadir)]).returncode == 0:
        return datadir
    datadir.rmdir()
    real = Path(tempfile.mkdtemp(prefix="gongkai-pg-"))
    os.chown(real, owner.pw_uid, owner.pw_gid)
    pointer.write_text(str(real / "data"))
    return real / "data"


def start(datadir: str | os.PathLike, port: int | None = None, timeout: float = 60) -> Postgres:
    """Start (initdb on first use) a server over ``datadir``; returns it. Idempotent: a server already
    running there is returned as it is."""
    datadir = Path(datadir).resolve()
    running = status(datadir)
    if running is not None:
        return running
    user, binaries = _os_user(), bindir()
    owner = pwd.getpwnam(user)
    datadir.parent.mkdir(parents=True, exist_ok=True)
    datadir = _where(datadir, user)
    if not (datadir / "PG_VERSION").exists():
        datadir.mkdir(exist_ok=True)
        os.chown(datadir, owner.pw_uid, owner.pw_gid)
        os.chmod(datadir, 0o700)
        out = _run_as(
            user,
            [
                str(binaries / "initdb"),
                "-D",
                str(datadir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
        )
        if out.returncode:
            raise PostgresError(f"initdb failed: {(out.stderr or out.stdout).strip().splitlines()[-1:]}")
    port = port or free_port()
    # loopback only, socket in the data directory (no /var/run/postgresql needed), small and quick
    opts = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={datadir} "
        "-c max_connections=200 -c shared_buffers=64MB -c fsync=off -c synchronous_commit=off"
    )
    out = _run_as(
        user,
        [
            str(binaries / "pg_ctl"),
            "-D",
            str(datadir),
            "-l",
            str(datadir / "server.log"),
            "-o",
            opts,
            "-w",
            "-t",
            str(int(timeout)),
            "start",
        ],
    )
    if out.returncode:
        raise PostgresError(
            f"pg_ctl start failed: {(out.stderr or out.stdout).strip()[-300:]} (see {datadir / 'server.log'})"
        )
    pg = Postgres(datadir, port, user)
    _create_databases(pg)
    (datadir.parent / f"{datadir.name}.{STATE}").write_text(json.dumps({"port": port, "user": user}))
    return pg


def _create_databases(pg: Postgres) -> None:
    psql = str(bindir() / "psql")
    have = _run_as(
        pg.user,
        [
            psql,
            "-h",
            "127.0.0.1",
            "-p",
            str(pg.port),
            "-U",
            SUPERUSER,
            "-d",
            "postgres",
            "-Atc",
            "SELECT datname FROM pg_database",
        ],
    ).stdout.split()
    for db in DATABASES:
        if db not in have:
            out = _run_as(
                pg.user, [str(bindir() / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U", SUPERUSER, db]
            )
            if out.returncode:
                raise PostgresError(f"createdb {db} failed: {out.stderr.strip()[-300:]}")


def status(datadir: str | os.PathLike) -> Postgres | None:
    """The server running over ``datadir``, or None."""
    datadir = _where(Path(datadir).resolve())
    state = datadir.parent / f"{datadir.name}.{STATE}"
    if not state.exists() or not (datadir / "postmaster.pid").exists():
        return None
    info = json.loads(state.read_text())
    out = _run_as(info["user"], [str(bindir() / "pg_ctl"), "-D", str(datadir), "status"])
    return Postgres(datadir, int(info["port"]), info["user"]) if out.returncode == 0 else None


def stop(datadir: str | os.PathLike, timeout: float = 60) -> bool:
    """Stop the server over ``datadir`` (fast shutdown); False when none was running."""
    pg = status(datadir)
    if pg is None:
        return False
    _run_as(
        pg.user, [str(bindir() / "pg_ctl"), "-D", str(pg.datadir), "-m", "fast", "-w", "-t", str(int(timeout)), "stop"]
    )
    datadir = Path(datadir).resolve()
    pointer = datadir.parent / f"{datadir.name}.location"
    if pointer.exists():  # a throwaway server's data outside the caller's directory: gone with it
        shutil.rmtree(pg.datadir.parent, ignore_errors=True)
        pointer.unlink()
    return True


def wait_ready(pg: Postgres, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", pg.port)) == 0:
                return
        if time.monotonic() > deadline:
            raise PostgresError(f"Postgres on port {pg.port} does not answer")
        time.sleep(0.2)


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("start", "stop", "url", "lake", "dsn"):
        print("usage: python -m flows.pgserver start|stop|url|lake|dsn DATADIR", file=sys.stderr)
        return 2
    cmd, datadir = argv
    try:
        if cmd == "start":
            pg = start(datadir)
            print(pg.port)
        elif cmd == "stop":
            print("stopped" if stop(datadir) else "not running")
        else:
            pg = status(datadir)
            if pg is None:
                print(f"no Postgres running over {datadir}", file=sys.stderr)
                return 1
            print({"url": pg.url("prefect"), "lake": pg.lake(), "dsn": pg.dsn("lake")}[cmd])
    except PostgresError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
