"""Files written whole or not at all, with the mode the user's umask gives: an export, a batch result or a
generated corpus is never seen half-written, and a colleague on a shared drive can open it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _user_mode() -> int:
    """The mode a plain ``open()`` would give a new file under this process's umask (0o644 under 022), so a
    colleague on a shared drive can read an export. The umask is read without changing it where Linux says it."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | Path, content: str) -> None:
    """Write beside the target, fsync, then rename over it: readers see the old file or the new one. The file
    gets the user's umask, not the private mode of a temporary file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
            out.flush()
            os.fchmod(out.fileno(), _user_mode())
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:  # a full disk, a quota, a folder made read-only: the old file is still whole
        Path(tmp).unlink(missing_ok=True)
        kept = "the file there is unchanged" if path.exists() else "nothing was written"
        raise OSError(exc.errno, f"{exc.strerror or exc}; {kept}", str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_report(report: dict, predictions: list[dict], out: str | Path | None = None,
                 predictions_path: str | Path | None = None) -> str:
    """An evaluation's report as indented JSON to ``out`` and its prediction rows as JSONL to ``predictions_path``,
    each written whole; the report's text is returned for printing."""
    import json

    text = json.dumps(report, indent=1) + "\n"
    if out:
        write_atomic(out, text)
    if predictions_path:
        write_atomic(predictions_path, "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in predictions))
    return text
