"""Review-store latency on SQLite and on a real PostgreSQL server started on 127.0.0.1.

    .venv/bin/python bench/review_store.py [--saves 500] [--page 500]

- save: one versioned save (compare-and-set plus audit rows), median over --saves sequential saves;
- page: reading the reviews of an article with --page claims (what the dashboard does on every rerun),
  median over 20 reads;
- blind: one blind decision (per-claim lock, count, insert, audit; the second one also reveals and settles),
  and reading one reviewer's blind view of the --page claims.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def measure(url: str, saves: int, page: int) -> dict:
    from review.store import open_store
    from review.types import Review

    store = open_store(url)
    timings = []
    version = 0
    for i in range(saves):
        start = time.perf_counter()
        saved = store.save(Review("art", "c0", status="Supported" if i % 2 else "Conflicted", note=f"n{i}",
                                  reviewer="bench", version=version))
        timings.append(time.perf_counter() - start)
        version = saved.version
    for i in range(page):
        store.save(Review("page", f"c{i}", status="Supported", reviewer="bench"))
    reads = []
    for _ in range(20):
        start = time.perf_counter()
        assert len(store.reviews("page")) == page
        reads.append(time.perf_counter() - start)
    blind = []
    for i in range(page):
        for who in ("ana", "ben"):
            start = time.perf_counter()
            store.submit_blind(Review("blind", f"c{i}", status="Supported" if i % 3 else "Conflicted", reviewer=who))
            blind.append(time.perf_counter() - start)
    views = []
    for _ in range(20):
        start = time.perf_counter()
        assert len(store.blind_views("blind", "ana")) == page
        views.append(time.perf_counter() - start)
    store.close()
    return {"save_ms_median": round(1000 * statistics.median(timings), 2),
            "save_ms_p95": round(1000 * sorted(timings)[int(0.95 * len(timings))], 2),
            f"page_of_{page}_ms_median": round(1000 * statistics.median(reads), 2),
            "blind_decision_ms_median": round(1000 * statistics.median(blind), 2),
            f"blind_view_of_{page}_ms_median": round(1000 * statistics.median(views), 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--page", type=int, default=500)
    args = parser.parse_args()
    from tests.postgres import fresh_database, running_postgres

    results = {"sqlite": measure(f"sqlite:///{tempfile.mkdtemp()}/reviews.db", args.saves, args.page)}
    with running_postgres() as server:
        results["postgresql"] = measure(fresh_database(server), args.saves, args.page)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
