"""Where a check's time goes: each stage of `Pipeline.check` timed in one process, in ms an article.

    .venv/bin/python bench/check_stages.py [--articles DIR] [--limit 40] [--runs 3] [--repo CHECKOUT]

The articles are real news text read at run time from the PolNeAR development articles in ../shared/data (never
copied into the repository), checked against the demo corpus as of 2016-11-01, as `bench/batch_check.py` does.
The first article warms the models and is not counted. ``--repo`` times another checkout's code (a worktree of an
older commit) with this one's environment, for a before-and-after in the same session. Stages that run beside
others on a thread (the attribution tagger, since it tags while spaCy parses) overlap the stage that holds them.
Reported: the median over --runs of each stage, and articles a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(totals: Counter, owner, name: str, label: str) -> None:
    wrapped = getattr(owner, name)

    def run(*args, **kwargs):
        start = time.perf_counter()
        try:
            return wrapped(*args, **kwargs)
        finally:
            totals[label] += time.perf_counter() - start

    setattr(owner, name, run)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=REPO.parent / "shared/data/eval/polnear_dev/text")
    parser.add_argument("--limit", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose code is timed")
    args = parser.parse_args()
    sys.path.insert(0, str(args.repo.resolve()))
    os.environ.setdefault("CLAIMDESK_DATA_DIR", tempfile.mkdtemp(prefix="claimdesk-stages-"))
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from claims.ingest import read_article

    sources = sorted(args.articles.glob("*.txt"))[: args.limit]
    if len(sources) < 2:
        raise SystemExit(f"{args.articles}: fewer than 2 .txt articles")
    pipeline = Pipeline(Settings.load())
    pipeline.build_index()
    articles = [read_article(path, published=date(2016, 11, 1)) for path in sources]
    pipeline.check(articles[0])
    totals: Counter = Counter()
    timed(totals, pipeline.extractor, "extract", "find claims (spaCy's parse and the tagger)")
    timed(totals, pipeline.extractor, "tag", "attribution tagger")
    timed(totals, pipeline, "evidence_for", "search")
    timed(totals, pipeline, "quote_checks", "quote checks")
    timed(totals, pipeline.judge, "judge", "stance (model, checks, roles)")
    timed(totals, pipeline.judge.model, "predict", "stance model")
    import verification.stance as stance

    timed(totals, stance, "compare", "checks")
    runs = []
    for _ in range(args.runs):
        totals.clear()
        start = time.perf_counter()
        for article in articles[1:]:
            pipeline.check(article)
        wall = time.perf_counter() - start
        counted = len(articles) - 1
        runs.append({"check": 1000 * wall / counted, **{k: 1000 * v / counted for k, v in totals.items()}})
    stages = {key: round(statistics.median(run[key] for run in runs), 1) for key in runs[0]}
    import claimdesk.pipeline

    code = str(Path(claimdesk.pipeline.__file__).parents[1])
    print(json.dumps({"code": code, "articles": len(articles) - 1, "runs": args.runs, "ms_an_article": stages,
                      "articles_per_minute": round(60_000 / stages["check"], 1)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
