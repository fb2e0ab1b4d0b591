"""A newsroom team on one dashboard server: N analysts at once, each checking an article and reviewing its claims
from the keyboard, against one PostgreSQL review store.

    .venv/bin/python bench/team_load.py [--analysts 1,5,10,20] [--presses 8] [--think 0] [--arrival 0]

Why real browsers (Debian's chromium through Playwright's async API, one browser context per analyst) and not
Streamlit's websocket protocol: the figure that matters is what an analyst waits for, and that includes the
browser applying the page delta. The cost is that the browsers run on the same 2 cores as the server, so the
figures are pessimistic for a real team, whose browsers run on their own laptops.

For each N a fresh server and database are started and the models loaded (one page load, not timed). Then N
analysts arrive, spread evenly over --arrival seconds (0: all at once). Each pastes its own copy of the demo
article (a line naming the desk copy makes each a different article, so nobody's decisions collide with anybody
else's), checks it, and presses --presses decision keys (s, c, i in turn), each timed from the key to the next
claim drawn, and to the decision confirmed (counted in the progress, which is drawn from the store) and Streamlit
idle; the next key waits for that. Before each key the analyst reads the claim for --think seconds (0: the next key
as soon as the decision is confirmed, which no analyst does). Reported per N:

- decision p50 / p95 (s): key press to next claim shown;
- confirmed p50 / p95 (s): key press to the decision counted from the store and the page idle;
- check p50 / max (s): "Check article" to the first claim shown;
- server RSS after the run, and its growth per analyst over the RSS with models loaded (the models are loaded
  once per server process: the growth per analyst must be far below the ~300 MB the models take);
- errors: timeouts, and any error box on a page; lost: decisions the analyst made that the store does not hold.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.review_latency import CHROMIUM_ARGS, free_port, serve  # noqa: E402

KEYS = [("s", "Supported"), ("c", "Conflicted"), ("i", "Inconclusive")]


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children (Streamlit runs in one process)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def idle(page) -> None:
    await page.locator("[data-testid='stStatusWidget']").wait_for(state="detached", timeout=180_000)


async def analyst(browser, url: str, number: int, article: str, article_id: str, presses: int, out: dict,
                  think: float = 0.0, arrive: float = 0.0) -> None:
    await asyncio.sleep(arrive)
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    await context.add_cookies([{"name": "claimdesk_reviewer", "value": f"analyst{number}", "url": url}])
    page = await context.new_page()
    phase = "opening the page"
    try:
        await page.goto(url)
        await page.get_by_text("Evidence from prior reporting").wait_for(timeout=300_000)
        await idle(page)
        await page.get_by_text("Paste text").click()
        await page.get_by_label("Article text").fill(article)
        await page.get_by_label("Article text").press("Control+Enter")
        await idle(page)
        started = time.perf_counter()
        phase = "checking"
        await page.get_by_role("button", name="Check article").click()
        await page.get_by_text(f"article id {article_id}").first.wait_for(timeout=300_000)  # the page header
        await page.get_by_text("Claim 1 of").first.wait_for(timeout=300_000)
        await idle(page)
        out["checks"].append(time.perf_counter() - started)
        # The keys are taken once the review deck shows this article (before the deck: once the key listener is in
        # the page); pressed earlier, a key decides the claim still on screen, of the article before.
        await page.locator(f"#claimdesk-keys, .cd-deck[data-article='{article_id}']").first.wait_for(
            state="attached", timeout=120_000)
        for n in range(presses):
            key, status = KEYS[n % len(KEYS)]
            await asyncio.sleep(think)
            await page.evaluate("document.activeElement && document.activeElement.blur()")
            started = time.perf_counter()
            phase = f"decision {n + 1}: waiting for claim {n + 2}"
            await page.keyboard.press(key)
            await page.get_by_text(re.compile(rf"^Claim {n + 2} of")).first.wait_for(timeout=180_000)
            out["decisions"].append(time.perf_counter() - started)
            phase = f"decision {n + 1}: waiting for it to be confirmed"
            await page.get_by_text(re.compile(rf"^{n + 1} of \d+ reviewed")).first.wait_for(timeout=180_000)
            await idle(page)
            out["confirmed"].append(time.perf_counter() - started)
            out["made"].append((f"analyst{number}", n, status))
        for errors in ("[data-testid='stAlertContentError']", ".cd-error"):
            if await page.locator(errors).count():
                out["errors"].append(f"analyst{number}: " + await page.locator(errors).first.inner_text())
    except Exception as exc:  # a timeout is an error of the run, counted, not a crash of the bench
        seen = ""
        with contextlib.suppress(Exception):  # what the deck said at the time, for the error's sample
            parts = await page.locator(".cd-count, .cd-saving, .cd-error").all_inner_texts()
            header = await page.get_by_text(re.compile(r"article id ")).first.inner_text(timeout=2000)
            progress = await page.get_by_text(re.compile(r"\d+ of \d+ reviewed")).first.inner_text(timeout=2000)
            seen = " | ".join([t.strip() for t in parts] + [progress, header[-60:], page.url[-80:]])
        out["errors"].append(f"analyst{number}, {phase}: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                             + (f" (the page: {seen[:400]})" if seen else ""))
    finally:
        await context.close()


async def run_team(url: str, analysts: int, presses: int, text: str, think: float, arrival: float) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"checks": [], "decisions": [], "confirmed": [], "made": [], "errors": []}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        from claims.ingest import article_from_text

        articles = [f"Updated 10:02 GMT, April 10, 2018\n\n{text}\n\nDesk copy {n}." for n in range(analysts)]
        ids = [article_from_text(a, origin="pasted").id for a in articles]
        await asyncio.gather(*(analyst(browser, url, n, articles[n], ids[n], presses, out, think,
                                       arrival * n / analysts) for n in range(analysts)))
        await browser.close()
    return out


async def warm(url: str) -> None:
    """One page load: the server loads its models and checks the demo once, before anything is timed."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = await browser.new_page()
        await page.goto(url)
        await page.get_by_text("Evidence from prior reporting").wait_for(timeout=300_000)
        await browser.close()


def lost_decisions(review_url: str, made: list) -> int:
    """Decisions an analyst saw confirmed (counted in the progress) that the store does not hold."""
    from review.store import open_store

    store = open_store(review_url)
    held = {}
    for article in store.articles():
        ordered = sorted(store.reviews(article["id"]).values(), key=lambda r: r.reviewed_at)
        for review in ordered:
            held.setdefault(review.reviewer, []).append(review.status)
    lost = 0
    for who in {w for w, _, _ in made}:
        wanted = sorted((n, status) for w, n, status in made if w == who)
        lost += max(0, len(wanted) - len(held.get(who, [])))
    store.close()
    return lost


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analysts", default="1,5,10,20")
    parser.add_argument("--presses", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.0, help="seconds an analyst reads a claim before deciding")
    parser.add_argument("--arrival", type=float, default=0.0, help="analysts arrive spread over this many seconds")
    args = parser.parse_args()
    from claimdesk.settings import DEMO_ARTICLE
    from claims.ingest import read_article
    from tests.postgres import fresh_database, running_postgres

    text = read_article(DEMO_ARTICLE).text
    data_dir = Path(tempfile.mkdtemp(prefix="claimdesk-team-"))
    subprocess.run([sys.executable, "-m", "claimdesk.cli", "index", str(REPO / "corpus" / "demo")], check=True,
                   capture_output=True, cwd=REPO, env={**os.environ, "CLAIMDESK_DATA_DIR": str(data_dir)})
    results = []
    with running_postgres() as postgres:
        for analysts in [int(n) for n in args.analysts.split(",")]:
            review_url = fresh_database(postgres)
            port = free_port()
            server = serve(REPO, data_dir, port, review_url)
            url = f"http://127.0.0.1:{port}"
            try:
                asyncio.run(warm(url))
                loaded = rss_mb(server.pid)
                started = time.perf_counter()
                out = asyncio.run(run_team(url, analysts, args.presses, text, args.think, args.arrival))
                wall = time.perf_counter() - started
                after = rss_mb(server.pid)
            finally:
                server.terminate()
                server.wait(timeout=30)
            row = {"analysts": analysts, "decisions": len(out["decisions"]),
                   "decision_p50_s": round(statistics.median(out["decisions"]), 3) if out["decisions"] else None,
                   "decision_p95_s": round(percentile(out["decisions"], 0.95), 3) if out["decisions"] else None,
                   "confirmed_p50_s": round(statistics.median(out["confirmed"]), 3) if out["confirmed"] else None,
                   "confirmed_p95_s": round(percentile(out["confirmed"], 0.95), 3) if out["confirmed"] else None,
                   "check_p50_s": round(statistics.median(out["checks"]), 2) if out["checks"] else None,
                   "check_max_s": round(max(out["checks"]), 2) if out["checks"] else None,
                   "server_rss_models_loaded_mb": round(loaded), "server_rss_after_mb": round(after),
                   "rss_growth_per_analyst_mb": round((after - loaded) / analysts, 1),
                   "decisions_s": [round(t, 2) for t in out["decisions"]], "errors": len(out["errors"]),
                   "error_samples": out["errors"][:3],
                   "lost_decisions": lost_decisions(review_url, out["made"]), "wall_s": round(wall, 1)}
            print(json.dumps(row), flush=True)
            results.append(row)
    print(json.dumps({"cores": os.cpu_count(), "presses_per_analyst": args.presses, "think_s": args.think,
                      "arrival_s": args.arrival, "runs": results}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
