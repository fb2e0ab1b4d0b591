"""Start a throwaway PostgreSQL server from Debian's packages on 127.0.0.1 (tests and benchmarks)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class PostgresMissing(RuntimeError):
    pass


class PostgresServer:
    """A throwaway server that a fault test can restart or crash under its clients."""

    def __init__(self, pg_ctl: list[str], options: str, log: Path, port: int) -> None:
        self.pg_ctl, self.options, self.log = pg_ctl, options, log
        self.url = f"postgresql://claimdesk@127.0.0.1:{port}"

    def restart(self, mode: str = "fast") -> None:
        """``fast`` disconnects the clients and shuts down cleanly; ``immediate`` is a crash (recovery at start)."""
        self.stop(mode)
        self.start()

    def stop(self, mode: str = "fast") -> None:
        subprocess.run([*self.pg_ctl, "-m", mode, "stop"], check=True, capture_output=True, timeout=60)

    def start(self) -> None:
        subprocess.run([*self.pg_ctl, "-o", self.options, "-l", str(self.log), "-w", "start"], check=True,
                       capture_output=True, timeout=120)


@contextmanager
def running_postgres() -> Iterator[str]:
    """Yields ``postgresql://claimdesk@127.0.0.1:PORT``; the server and its files are gone afterwards."""
    with postgres_server() as server:
        yield server.url


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    initdb = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not initdb:
        raise PostgresMissing("PostgreSQL is not installed (apt-get install postgresql)")
    bin_dir = initdb[-1].parent
    # initdb refuses to run as root; the server runs as the postgres user in a folder it owns.
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    root = Path(tempfile.mkdtemp(prefix="claimdesk-pg-"))
    root.chmod(0o755)
    if as_postgres:
        shutil.chown(root, "postgres", "postgres")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(root / "data")]
    try:
        subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(root / "data"), "-A", "trust", "-U",
                        "claimdesk", "-E", "UTF8", "--no-sync"], check=True, capture_output=True, timeout=120)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
        server = PostgresServer(pg_ctl, options, root / "server.log", port)
        server.start()
        yield server
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server: str) -> str:
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"
