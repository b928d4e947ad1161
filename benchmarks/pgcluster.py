"""A private, throwaway PostgreSQL cluster on a loopback port, for benchmarks that kill
its processes (a shared server must never see a ``kill -9``: its postmaster would restart
every other engineer's connections too).

    with PrivateCluster() as cluster:
        url = cluster.url          # postgres://bench@127.0.0.1:PORT/bench
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from secession.exceptions import SecessionError


def _bin(name: str) -> str:
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not found:
        raise SecessionError(
            f"PostgreSQL's {name} is not installed (scripts/setup.sh --system installs it)"
        )
    return str(found[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateCluster:
    """initdb + pg_ctl in a temporary folder, run as the ``postgres`` user when root."""

    def __init__(self, max_connections: int = 200) -> None:
        self.max_connections = max_connections
        self.port = _free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="secession-pg-"))
        self.data = self.folder / "data"
        self.url = f"postgres://bench@127.0.0.1:{self.port}/bench"

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        command = list(args)
        if os.geteuid() == 0:  # initdb refuses root: run as the postgres user
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    def start(self) -> PrivateCluster:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        done = self._run(
            _bin("initdb"), "-D", str(self.data), "-U", "bench", "--auth=trust",
            "--no-sync", "-E", "UTF8",
        )
        if done.returncode != 0:
            raise SecessionError(f"initdb failed: {done.stderr.strip()[-400:]}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            f"-c max_connections={self.max_connections} -c shared_buffers=512MB "
            "-c synchronous_commit=on -c fsync=on -c restart_after_crash=on "
            "-c max_wal_size=4GB -c checkpoint_timeout=30min"
        )
        done = self._run(
            _bin("pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.folder / "server.log"), "-w", "start",
        )
        if done.returncode != 0:
            raise SecessionError(f"pg_ctl start failed: {done.stderr.strip()[-400:]}")
        import psycopg

        with psycopg.connect(
            f"postgresql://bench@127.0.0.1:{self.port}/postgres", autocommit=True
        ) as conn:
            conn.execute("CREATE DATABASE bench")
        return self

    def wait_ready(self, timeout: float = 60) -> None:
        """Wait until the cluster accepts connections again (after a crash restart)."""
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as c:
                    c.execute("SELECT 1")
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop(self) -> None:
        self._run(_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PrivateCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
