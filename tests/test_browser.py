"""The dashboard in a real browser: Debian's chromium driven by Playwright against `streamlit run` on 127.0.0.1."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from review.export import read_csv
from tests.conftest import IN_CI

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
# Without these, chromium tries Google's services at start-up; this machine has no network.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _require_chromium() -> None:
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail("/usr/bin/chromium is missing; .ci/run installs it with apt-get")
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")


def _serve(data_dir, extra_env: dict):
    """Run `streamlit run app.py` on a free 127.0.0.1 port until the generator is closed."""
    port = _free_port()
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), **extra_env}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("streamlit did not start within 60 s")
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture(scope="module")
def dashboard(data_dir, pipeline, tmp_path_factory):
    _require_chromium()
    assert len(pipeline.index) > 0  # the demo index exists before the server starts
    reviews = tmp_path_factory.mktemp("browser") / "reviews.db"
    yield from _serve(data_dir, {"CLAIMDESK_REVIEW_URL": f"sqlite:///{reviews}"})


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _reviewed(page) -> tuple[int, int]:
    text = page.get_by_text(re.compile(r"\d+ of \d+ reviewed")).first.inner_text()
    done, total = re.search(r"(\d+) of (\d+) reviewed", text).groups()
    return int(done), int(total)


def _wait_reviewed(page, expected: int) -> None:
    page.get_by_text(re.compile(rf"^{expected} of \d+ reviewed")).first.wait_for(timeout=60_000)


def _wait_idle(page) -> None:
    """Until Streamlit's "Running..." indicator is gone: a rerun replaces the files behind download links."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)


def _press(page, key: str) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)


def test_keyboard_review_undo_download_and_reload(dashboard, browser, tmp_path):
    page = browser.new_page(accept_downloads=True, viewport={"width": 1400, "height": 1600})
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.wait_for_function("() => !!document.getElementById('claimdesk-keys')", timeout=60_000)
    assert _reviewed(page)[0] == 0

    _press(page, "s")
    _wait_reviewed(page, 1)
    page.get_by_text("Claim 2 of").wait_for(timeout=30_000)
    _press(page, "c")
    _wait_reviewed(page, 2)
    _press(page, "i")
    _wait_reviewed(page, 3)
    _press(page, "u")  # undo the third decision
    _wait_reviewed(page, 2)
    page.get_by_text("Claim 3 of").wait_for(timeout=30_000)
    _wait_idle(page)

    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download review CSV").click()
    saved = tmp_path / "review.csv"
    download.value.save_as(saved)
    rows = read_csv(saved.read_text(encoding="utf-8"))
    assert [r["analyst_verdict"] for r in rows[:3]] == ["Supported", "Conflicted", "Unreviewed"]
    assert len(rows) == _reviewed(page)[1]

    page.reload()
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    _wait_reviewed(page, 2)
    page.close()


def test_hostile_markup_shows_as_text_and_never_runs(dashboard, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(dashboard)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Paste text").click()
    hostile = ('The minister said <script>alert("script ran")</script> that 40 people '
               '<img src=x onerror="alert(\'img ran\')"> were evacuated from the port on Monday, officials said.')
    page.get_by_label("Article text").fill(hostile)
    page.get_by_label("Article text").press("Control+Enter")
    page.get_by_role("button", name="Check article").click()
    page.get_by_text("Claim 1 of").wait_for(timeout=120_000)
    page.wait_for_timeout(1500)
    body = page.inner_text("body")
    assert '<script>alert("script ran")</script>' in body
    assert "onerror" in body
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    page.close()


@pytest.fixture(scope="module")
def proxied_dashboard(data_dir, pipeline, tmp_path_factory):
    """The dashboard configured for a team behind an authenticating proxy that sets X-Claimdesk-User."""
    _require_chromium()
    reviews = tmp_path_factory.mktemp("proxied") / "reviews.db"
    served = _serve(data_dir, {"CLAIMDESK_REVIEW_URL": f"sqlite:///{reviews}",
                               "CLAIMDESK_REVIEWER_HEADER": "X-Claimdesk-User"})
    yield next(served), reviews
    served.close()


def test_reviewer_identity_comes_from_the_proxy_header(proxied_dashboard, browser):
    from review.store import open_store

    url, reviews = proxied_dashboard
    anonymous = browser.new_page()
    anonymous.goto(url)
    anonymous.get_by_text("No reviewer identity").wait_for(timeout=120_000)
    assert anonymous.get_by_text("Evidence from prior reporting").count() == 0
    anonymous.close()

    context = browser.new_context(extra_http_headers={"X-Claimdesk-User": "ana@newsroom"})
    page = context.new_page()
    page.goto(url)
    page.get_by_text("Evidence from prior reporting").wait_for(timeout=120_000)
    page.get_by_text("Signed in as").wait_for(timeout=30_000)
    assert page.get_by_label("Reviewer").count() == 0  # no free-text identity to type over
    page.wait_for_function("() => !!document.getElementById('claimdesk-keys')", timeout=60_000)
    _press(page, "s")
    _wait_reviewed(page, 1)
    context.close()
    store = open_store(f"sqlite:///{reviews}")
    article_id = store.articles()[0]["id"]
    assert [r.reviewer for r in store.reviews(article_id).values()] == ["ana@newsroom"]
