"""`claimdesk check URL`: the page fetched from a local HTTP server on 127.0.0.1 gives the same claims as the saved
page; a server error, a refused connection and a non-page answer are one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
REPO = Path(__file__).resolve().parents[2]

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Port reopens after storm</title>
<meta property="article:published_time" content="2024-02-03T08:00:00Z"></head><body>
<h1>Port reopens after storm</h1>
<p>The port of Karsby reopened on Saturday after a storm closed it for three days, the harbour authority said.</p>
<p>Ships queued outside the harbour overnight, and the first ferry left at 6 am, officials said.</p>
</body></html>"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    (root / "port.html").write_text(PAGE, encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", root
    server.shutdown()


def _check(args, data_dir):
    return subprocess.run([sys.executable, "-m", "claimdesk.cli", "check", *args, "--no-store"], capture_output=True,
                          text=True, cwd=REPO, timeout=300, env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)})


def test_a_fetched_page_gives_the_claims_of_the_saved_page(site, data_dir, tmp_path, pipeline):
    url, root = site
    assert len(pipeline.index) > 0  # the demo index is built
    fetched, saved = tmp_path / "fetched.json", tmp_path / "saved.json"
    done = _check([f"{url}/port.html", "--out", str(fetched)], data_dir)
    assert done.returncode == 0, done.stderr
    assert _check([str(root / "port.html"), "--out", str(saved)], data_dir).returncode == 0
    a, b = json.loads(fetched.read_text()), json.loads(saved.read_text())
    assert [c["text"] for c in a["claims"]] == [c["text"] for c in b["claims"]] and a["claims"]
    assert a["article"]["published"] == "2024-02-03"
    assert a["article"]["url"] == f"{url}/port.html"


@pytest.mark.parametrize("path, message", [("/missing.html", "answered 404"), ("/logo.png", "sent image/png")])
def test_a_bad_answer_is_one_line(site, data_dir, tmp_path, path, message):
    url, _ = site
    done = _check([f"{url}{path}", "--out", str(tmp_path / "x.json")], data_dir)
    assert done.returncode == 2 and message in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "x.json").exists()


def test_a_refused_connection_is_one_line(data_dir, tmp_path):
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    done = _check([f"http://127.0.0.1:{port}/a.html"], data_dir)
    assert done.returncode == 2 and "cannot fetch" in done.stderr and done.stderr.count("\n") == 1
