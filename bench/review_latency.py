"""Keyboard review latency in a real browser: from a key press to the next claim drawn, and to the decision confirmed.

    .venv/bin/python bench/review_latency.py [--repo DIR] [--presses 10] [--runs 3]

Starts `streamlit run app.py` from --repo (default this checkout; pass a worktree of another commit to measure
it in the same session) on the demo, drives Debian's chromium with Playwright, names a reviewer, and presses
`s` (mark Supported, go to the next claim) --presses times, then `u` back. Each press is timed twice:
- shown: until the page says "Claim N+1 of" (the next claim drawn: what the analyst waits for);
- confirmed: until the progress counts the decision ("K of M reviewed", drawn from the review store) and
  Streamlit's running indicator has gone. The next press waits for this, so presses never overlap.
Reports the median and p95 of both over every press of every run, and how much of each press (to confirmed) the
browser's main thread was busy (Chrome's TaskDuration, read over the DevTools protocol before and after the press):
what the page costs the browser, as against the server. Works on commits before the review deck too (there the
next claim is drawn by the rerun that saves). The machine's load moves these times: compare two commits measured
one after the other.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-default-apps"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(repo: Path, data_dir: Path, port: int, review_url: str = "") -> subprocess.Popen:
    """`streamlit run app.py` from ``repo`` on 127.0.0.1:``port``, once it answers (default store: SQLite)."""
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir),
           "CLAIMDESK_REVIEW_URL": review_url or f"sqlite:///{data_dir}/r.db"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(repo / "app.py"), "--server.port",
                               str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                              cwd=repo, env={**env, "PYTHONPATH": str(repo)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    deadline = time.time() + 90
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through an http_proxy
    while time.time() < deadline:
        try:
            with direct.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("streamlit did not start")


def idle(page) -> None:
    page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=60_000)


def press_and_time(page, key: str, expect: str, reviewed: str = "", cdp=None) -> tuple[float, float, float]:
    """Seconds from the key press to the next claim drawn, to the decision counted (``reviewed``) and the page
    idle, and of the latter, the seconds the browser's main thread was busy (Chrome's TaskDuration metric: script,
    style, layout and paint)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    busy = _busy(cdp)
    started = time.perf_counter()
    page.keyboard.press(key)
    page.get_by_text(expect).first.wait_for(timeout=60_000)
    shown = time.perf_counter() - started
    if reviewed:
        page.get_by_text(re.compile(rf"^{reviewed} \d+ reviewed")).first.wait_for(timeout=60_000)
    idle(page)
    return shown, time.perf_counter() - started, _busy(cdp) - busy


def _ready(page) -> None:
    """The keys are taken: the review deck is drawn, or (before it) the key listener is in the page."""
    page.locator("#claimdesk-keys, .cd-deck[data-ready]").first.wait_for(state="attached", timeout=60_000)


def _summary(times: list[float]) -> dict:
    ordered = sorted(times)
    return {"median_s": round(statistics.median(times), 3),
            "p95_s": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 3),
            "max_s": round(ordered[-1], 3), "each_s": [round(t, 2) for t in times]}


def _busy(cdp) -> float:
    if cdp is None:
        return 0.0
    return next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")


def main() -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=REPO)
    parser.add_argument("--presses", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="claimdesk-latency-"))
    subprocess.run([sys.executable, "-m", "claimdesk.cli", "index", str(args.repo / "corpus" / "demo")], check=True,
                   capture_output=True, cwd=args.repo,
                   env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(args.repo)})
    port = free_port()
    server = serve(args.repo, data_dir, port)
    times: list[float] = []
    shown: list[float] = []
    browser_busy: list[float] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for run in range(args.runs):
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                cdp = page.context.new_cdp_session(page)
                cdp.send("Performance.enable")
                page.goto(f"http://127.0.0.1:{port}")
                page.get_by_text("Evidence from prior reporting").wait_for(timeout=180_000)
                reviewer = page.get_by_label("Reviewer", exact=True)
                if reviewer.input_value() != f"bench{run}":
                    reviewer.fill(f"bench{run}")
                    reviewer.press("Enter")
                _ready(page)
                page.get_by_text("Claim 1 of").first.wait_for(timeout=60_000)
                page.get_by_text(re.compile(r"^0 of \d+ reviewed")).first.wait_for(timeout=60_000)
                idle(page)
                page.wait_for_timeout(1000)
                for number in range(2, args.presses + 2):
                    drawn, took, busy = press_and_time(page, "s", f"Claim {number} of", f"{number - 1} of", cdp)
                    shown.append(drawn)
                    times.append(took)
                    browser_busy.append(busy)
                for number in range(args.presses, 0, -1):  # undo them all, so the next run starts alike
                    press_and_time(page, "u", f"Claim {number} of", f"{number - 1} of")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print(json.dumps({"repo": str(args.repo), "presses": len(times), "cores": os.cpu_count(),
                      "shown": _summary(shown), "confirmed": _summary(times),
                      "browser_busy_median_s": round(statistics.median(browser_busy), 3),
                      "browser_busy_share_median": round(statistics.median(b / t for b, t in zip(browser_busy, times)),
                                                         2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
