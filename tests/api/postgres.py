"""A throwaway PostgreSQL cluster for the tests, started from the server binaries on this machine."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Cluster:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def admin_conninfo(self) -> str:
        return f"host={self.host} port={self.port} user={self.user} dbname=postgres"


def find_bin_dir() -> Path | None:
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").is_file() and (Path(candidate) / "pg_ctl").is_file():
            return Path(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user() -> list[str]:
    # initdb and postgres refuse to run as root; run them as the postgres system user then.
    if os.geteuid() != 0:
        return []
    runuser = shutil.which("runuser")
    if runuser is None:
        raise RuntimeError("running as root and no runuser to start PostgreSQL as the postgres user")
    return [runuser, "-u", "postgres", "--"]


@contextmanager
def running_cluster(bin_dir: Path) -> Iterator[Cluster]:
    prefix = _as_server_user()
    workdir = Path(tempfile.mkdtemp(prefix="zicht-pg-"))
    data, sockets = workdir / "data", workdir / "sock"
    sockets.mkdir()
    if prefix:
        shutil.chown(workdir, "postgres")
        shutil.chown(sockets, "postgres")
        os.chmod(workdir, 0o755)
    port = _free_port()
    user = "zicht_test"
    env = {**os.environ, "LC_ALL": "C"}
    subprocess.run(
        prefix
        + [str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", user, "-E", "UTF8", "--no-sync"],
        check=True,
        capture_output=True,
        env=env,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    subprocess.run(
        prefix
        + [
            str(bin_dir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(workdir / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
        env=env,
    )
    try:
        yield Cluster("127.0.0.1", port, user)
    finally:
        subprocess.run(
            prefix + [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            capture_output=True,
            env=env,
            check=False,
        )
        shutil.rmtree(workdir, ignore_errors=True)
