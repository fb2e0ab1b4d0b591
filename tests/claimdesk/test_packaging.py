"""The wheel is the product: built from the checkout, it holds the models, the dashboard and the demo corpus, and
installed on its own it checks an article and serves the dashboard, outside any checkout. Training code and the
tests stay out of it. And the runtime pins in pyproject.toml are requirements.txt's."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                           "-w", str(out), str(REPO)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    (built,) = out.glob("claimdesk-*.whl")
    return built


def test_the_wheel_holds_the_models_the_dashboard_and_the_demo(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("verification/model/stance.onnx", "verification/model/tokenizer.json",
                   "verification/model/manifest.json", "retrieval/reranker/reranker.onnx",
                   "claims/model/tagger.onnx", "claims/model/manifest.json", "claims/model/checkworthy.json",
                   "retrieval/retriever/overlay.safetensors", "retrieval/retriever/manifest.json",
                   "ui/app.py", "ui/views/review.py", "ui/deck/deck.js", "ui/deck/deck.css",
                   "claimdesk/corpus/demo_article.md",
                   "claimdesk/corpus/demo/reporting.jsonl", "claimdesk/corpus/demo/background.csv",
                   "evaluation/devset.py", "claimdesk/cli.py"):
        assert needed in names, needed
    assert not {n for n in names if n.startswith(("training/", "tests/", "bench/"))}


def test_the_installed_wheel_checks_and_serves_outside_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target),
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    home = tmp_path / "home"
    home.mkdir()
    # The installed copy comes first on the path; the checkout is nowhere on it, and the working folder is empty.
    env = {"PYTHONPATH": str(target), "HOME": str(home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
           "CI": "true"}
    where = subprocess.run([sys.executable, "-c", "import claimdesk, ui; print(claimdesk.__file__, ui.__file__)"],
                           capture_output=True, text=True, env=env, cwd=home)
    assert where.stdout.split() and all(p.startswith(str(target)) for p in where.stdout.split()), where.stdout
    out = home / "demo.json"
    done = subprocess.run([sys.executable, "-m", "claimdesk.cli", "check", "--out", str(out)], capture_output=True,
                          text=True, env=env, cwd=home, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    checked = json.loads(out.read_text())
    assert checked["article"]["title"].startswith("Lavrov to visit Pyongyang") and checked["claims"]
    assert any(c["evidence"] for c in checked["claims"])
    # Indexes and the review store go to the user's data folder, never into site-packages.
    assert (home / ".local" / "share" / "claimdesk" / "reviews.db").exists()
    assert not (target / ".claimdesk").exists()

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "claimdesk.cli", "demo", "--port", str(port)], env=env,
                              cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline, health = time.time() + 60, ""
        while time.time() < deadline and health != "ok":
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read().decode()
            except OSError:
                time.sleep(0.5)
        assert health == "ok"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=20)


@pytest.mark.unit
def test_the_runtime_pins_are_the_requirements_pins():
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    pinned = [line.strip() for line in (REPO / "requirements.txt").read_text().splitlines()
              if re.match(r"^[A-Za-z]", line)]
    tools = {"pytest", "playwright", "ruff", "hypothesis"}
    assert sorted(declared) == sorted(p for p in pinned if p.split("=")[0] not in tools)
