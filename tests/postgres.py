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


@contextmanager
def running_postgres() -> Iterator[str]:
    """Yields ``postgresql://claimdesk@127.0.0.1:PORT``; the server and its files are gone afterwards."""
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
    run = {"check": True, "capture_output": True, "timeout": 120}
    pg_ctl = [*as_postgres, str(bin_dir / "pg_ctl"), "-D", str(root / "data")]
    try:
        subprocess.run([*as_postgres, str(bin_dir / "initdb"), "-D", str(root / "data"), "-A", "trust", "-U",
                        "claimdesk", "-E", "UTF8", "--no-sync"], **run)
        options = f"-p {port} -c listen_addresses=127.0.0.1 -k {root} -c fsync=off -c full_page_writes=off"
        subprocess.run([*pg_ctl, "-o", options, "-l", str(root / "server.log"), "-w", "start"], **run)
        yield f"postgresql://claimdesk@127.0.0.1:{port}"
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
