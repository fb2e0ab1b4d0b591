"""Batch checking: articles a minute through `claimdesk check FOLDER --out DIR`, beside one process per article.

    .venv/bin/python bench/batch_check.py [--articles DIR] [--limit 40] [--runs 3]

The articles are real news text read at run time from the PolNeAR development articles in ../shared/data (never
copied into the repository), checked against the demo corpus with the date given on the command line. Both ways
run in fresh processes on an index built beforehand:
- batch: one `claimdesk check FOLDER --out DIR` over all of them (models load once);
- baseline: `claimdesk check ARTICLE` once per article, for the first few (each process loads the models);
- warm: the batch's rate once its models are loaded, from the same command over the first article alone, which
  pays the start-up and one article: (N - 1) articles over the difference of the two medians.
Reported: the medians over --runs, as articles a minute, and the ratio of batch to baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "claimdesk.cli"]


def run(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    done = subprocess.run(CLI + args, env=env, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"claimdesk {' '.join(args)} failed: {done.stderr[-500:]}")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared/data/eval/polnear_dev/text")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--baseline-articles", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    sources = sorted(args.articles.glob("*.txt"))[: args.limit]
    if not sources:
        raise SystemExit(f"{args.articles}: no .txt articles")
    work = Path(tempfile.mkdtemp(prefix="claimdesk-batch-"))
    inbox = work / "inbox"
    inbox.mkdir()
    for source in sources:
        shutil.copy(source, inbox / source.name)
    env = {**os.environ, "CLAIMDESK_DATA_DIR": str(work / "data")}
    run(["index", str(REPO / "corpus" / "demo")], env)
    common = ["--date", "2016-11-01", "--no-store"]
    first = work / "first"
    first.mkdir()
    shutil.copy(sources[0], first / sources[0].name)
    batch, single, alone = [], [], []
    for attempt in range(args.runs):
        alone.append(run(["check", str(first), "--out", str(work / f"first-{attempt}"), *common], env))
        out = work / f"out-{attempt}"
        batch.append(run(["check", str(inbox), "--out", str(out), *common], env))
        written = len(list(out.glob("*.json")))
        if written != len(sources):
            raise SystemExit(f"the batch wrote {written} results for {len(sources)} articles")
        started = time.perf_counter()
        for source in sources[: args.baseline_articles]:
            run(["check", str(inbox / source.name), "--out", str(work / "single.json"), *common], env)
        single.append((time.perf_counter() - started) / args.baseline_articles)
    batch_rate = 60 * len(sources) / statistics.median(batch)
    single_rate = 60 / statistics.median(single)
    warm_rate = 60 * (len(sources) - 1) / max(statistics.median(batch) - statistics.median(alone), 1e-9)
    print(json.dumps({
        "articles": len(sources), "runs": args.runs, "cores": os.cpu_count(),
        "batch_seconds_median": round(statistics.median(batch), 1),
        "batch_articles_per_minute": round(batch_rate, 1),
        "one_article_batch_seconds_median": round(statistics.median(alone), 1),
        "warm_articles_per_minute": round(warm_rate, 1),
        "one_process_per_article_articles_per_minute": round(single_rate, 1),
        "ratio": round(batch_rate / single_rate, 1),
    }, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
