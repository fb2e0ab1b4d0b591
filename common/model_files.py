"""A shipped model's files, checked before use: ``manifest.json`` names the model file and its sha256, so a missing
or damaged file is caught at load with one line that says what to restore, never as a crash inside onnxruntime.
Every packaged model (the stance model, the reranker, the attribution tagger) is opened through here."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def checked_model(folder: str | Path, what: str, error: type[Exception], remedy: str) -> tuple[dict, Path]:
    """(the manifest, the model file) of ``folder``, after checking the file against the manifest's sha256; else
    ``error`` naming ``what`` and the ``remedy``."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise error(f"{folder}: {what} manifest missing; {remedy}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    model_path = folder / manifest["file"]
    if not model_path.exists():
        raise error(f"{model_path}: {what} file missing; {remedy}")
    actual = sha256_of(model_path)
    if actual != manifest["sha256"]:
        raise error(f"{model_path}: {what} is corrupt (sha256 {actual[:12]}…, expected "
                    f"{manifest['sha256'][:12]}…); restore it with `git checkout {model_path}`")
    return manifest, model_path
