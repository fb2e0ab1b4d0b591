"""Back up and restore the review store: the analysts' decisions, the audit log, the stored checks.

SQLite uses its online backup API, so a backup taken while analysts are saving is a consistent snapshot, not a
copy of a file in the middle of a write. PostgreSQL uses ``pg_dump`` (custom format) and ``pg_restore`` in one
transaction. A backup is written to a temporary file and renamed, so a failed backup never leaves half a file
under the name given. A restore refuses a store that already holds reviews unless told to replace them.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from review.store import ReviewStoreError, open_store

TABLES = ("reviews", "audit", "articles", "checks")


def _sqlite_path(url: str) -> Path | None:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def _where(url: str) -> str:
    """The store's location without a password, for messages."""
    return str(_sqlite_path(url)) if _sqlite_path(url) else url.split("@")[-1]


def counts(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        return {table: int(store.engine.execute(f"SELECT count(*) FROM {table}").fetchone()[0]) for table in TABLES}
    finally:
        store.close()


def _tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, or the newest under Debian's /usr/lib/postgresql."""
    found = shutil.which(name) or next(iter(sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                                                   reverse=True)), None)
    if not found:
        raise ReviewStoreError(f"{name} not found; install PostgreSQL's client programs (apt-get install "
                               "postgresql-client) to back up or restore a PostgreSQL review store")
    return str(found)


def _run(command: list[str], what: str, url: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["failed"])[-1].replace(url, _where(url))
        raise ReviewStoreError(f"{what} of the review store at {_where(url)} failed: {detail}")


def backup(url: str, target: str | Path) -> dict:
    """Write a backup of the store at ``url`` to ``target``; returns what it holds."""
    target = Path(target)
    if not target.parent.is_dir():
        raise ReviewStoreError(f"{target.parent}: no such folder for the backup")
    held = counts(url)  # also checks that the store opens
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        source = _sqlite_path(url)
        if source is not None:
            if source.resolve() == target.resolve():
                raise ReviewStoreError(f"{target}: that is the review store itself; back it up to another file")
            with sqlite3.connect(str(source)) as live, sqlite3.connect(temporary) as copy:
                live.backup(copy)
            live.close()
            copy.close()
        elif _is_postgres(url):
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", temporary, "--dbname", url],
                 "pg_dump", url)
        else:
            raise ReviewStoreError(f"review store URL {_where(url)!r}: only sqlite:/// and postgresql:// stores can "
                                   "be backed up")
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return {"engine": "sqlite" if _sqlite_path(url) else "postgresql", "file": str(target),
            "bytes": target.stat().st_size, **held}


def restore(url: str, source: str | Path, replace: bool = False) -> dict:
    """Restore the backup ``source`` into the store at ``url``; an empty store, unless ``replace``."""
    source = Path(source)
    if not source.is_file():
        raise ReviewStoreError(f"{source}: no such backup file")
    held = counts(url)
    if (held["reviews"] or held["articles"]) and not replace:
        raise ReviewStoreError(f"the review store at {_where(url)} already holds {held['reviews']} reviews and "
                               f"{held['articles']} articles; pass --replace to overwrite them with the backup")
    target = _sqlite_path(url)
    if target is not None:
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
                names = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if not {"reviews", "audit"} <= names:
                    raise ReviewStoreError(f"{source}: not a Claimdesk review-store backup (no reviews table)")
                with sqlite3.connect(str(target), timeout=30) as live:
                    backup_db.backup(live)
                live.close()
            backup_db.close()
        except sqlite3.DatabaseError as exc:
            raise ReviewStoreError(f"{source}: not a SQLite backup ({exc})") from None
    elif _is_postgres(url):
        with open(source, "rb") as handle:
            if handle.read(5) != b"PGDMP":
                raise ReviewStoreError(f"{source}: not a pg_dump custom-format backup")
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", url, str(source)], "pg_restore", url)
    else:
        raise ReviewStoreError(f"review store URL {_where(url)!r}: only sqlite:/// and postgresql:// stores can be "
                               "restored")
    return {"engine": "sqlite" if target is not None else "postgresql", "file": str(source), **counts(url)}
