"""Claims and attributions of one article, warm, with and without the attribution tagger, in one process.

    .venv/bin/python bench/claims_speed.py [--article PATH] [--runs 15]

Baseline in the same run: the rules alone (``ClaimExtractor(tagger=None)``) on the same article, so the ratio
says what the tagger adds whatever the machine. Also timed once: loading the tagger (what it adds to a cold
check). Medians over --runs after one warm-up run.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", type=Path, default=REPO.parent / "shared" / "seeds" / "000_c8b6d13b762dce65.txt")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    from retrieval.offline import enforce_offline

    enforce_offline()
    from claims.ingest import read_article
    from claims.segment import ClaimExtractor, load_nlp
    from claims.tagger import AttributionTagger

    article = read_article(args.article)
    nlp = load_nlp()
    started = time.perf_counter()
    tagger = AttributionTagger()
    load_seconds = time.perf_counter() - started
    figures = {}
    for name, extractor in (("rules", ClaimExtractor(nlp, tagger=None)), ("rules+tagger", ClaimExtractor(nlp, tagger))):
        extractor.extract(article)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            claims = extractor.extract(article)
            times.append(time.perf_counter() - started)
        figures[name] = {"median_s": round(statistics.median(times), 3), "max_s": round(max(times), 3),
                         "claims": len(claims), "attributed": sum(1 for c in claims if c.attribution.is_attributed)}
    started = time.perf_counter()
    for _ in range(args.runs):
        tagger.spans(article.text)
    tagger_alone = (time.perf_counter() - started) / args.runs
    report = {"article": args.article.name, "characters": len(article.text), "runs": args.runs, **figures,
              "tagger_alone_mean_s": round(tagger_alone, 3), "tagger_load_s": round(load_seconds, 2),
              "ratio": round(figures["rules+tagger"]["median_s"] / figures["rules"]["median_s"], 2)}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
