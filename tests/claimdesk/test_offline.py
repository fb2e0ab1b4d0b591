"""No code path reaches the network: a full check runs with every socket blocked from the first import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.integration

BLOCKER = """
import socket, sys

class NoNetwork(OSError):
    pass

def refuse(*args, **kwargs):
    raise NoNetwork(f"network access attempted: {args[1:] or args}")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.socket.sendto = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from claimdesk.cli import main

sys.exit(main(sys.argv[1:]))
"""


def test_full_check_with_sockets_blocked(tmp_path, data_dir, pipeline):
    assert len(pipeline.index) > 0  # the demo index exists, so this run is a pure check
    runner = tmp_path / "offline_runner.py"
    runner.write_text(BLOCKER, encoding="utf-8")
    out = tmp_path / "result.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env["CLAIMDESK_DATA_DIR"] = str(data_dir)
    done = subprocess.run(
        [sys.executable, str(runner), "check", str(REPO / "corpus" / "demo_article.md"), "--out", str(out)],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "network access attempted" not in done.stderr
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["claims"] and any(c["evidence"] for c in result["claims"])
