"""BM25 on real sentences: bm25s's exhaustive scoring against the pruned top-k (retrieval/bm25.py), same index, same
claims, timed in the same run.

    .venv/bin/python bench/bm25_pruning.py ../shared/data/train [--queries 1000] [--rounds 3]

The passages are the unique sentences of the shared training files and the queries held-out VitaminC claims, as in
bench/graph_recall.py. Reported: seconds for all claims (median of the rounds) for each method, their ratio, and
how many of the exhaustive top 50 the pruned search returns (ties at the cut may swap).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

K = 50


def main(argv: list[str] | None = None) -> int:
    import bm25s
    from graph_recall import sentences

    from retrieval.bm25 import PrunedBM25
    from retrieval.index import _bm25_tokens, _query_tokens

    parser = argparse.ArgumentParser()
    parser.add_argument("train", type=Path)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args(argv)

    passages, queries = sentences(args.train, args.queries, seed=7)
    with tempfile.TemporaryDirectory() as folder:
        built = bm25s.BM25()
        built.index(_bm25_tokens(passages), show_progress=False)
        built.save(folder, show_progress=False)
        bm25 = bm25s.BM25.load(folder, mmap=True)  # as the product opens it
        pruned = PrunedBM25(bm25)
        tokens = _query_tokens(queries)
        ids = [[bm25.vocab_dict[t] for t in q if t in bm25.vocab_dict] for q in tokens]

        def exhaustive() -> list[set[int]]:
            out = []
            for q in ids:
                scores = bm25.get_scores_from_ids(q) if q else np.zeros(1)
                top = np.argpartition(-scores, min(K, len(scores)) - 1)[:K]
                out.append({int(r) for r in top if scores[r] > 0})
            return out

        pruned.retrieve(tokens[:50], K)  # column bounds read once, as in a warm server
        timings: dict[str, list[float]] = {"exhaustive": [], "pruned": []}
        runs = {"exhaustive": exhaustive, "pruned": lambda: pruned.retrieve(tokens, K)}
        results = {}
        for round_ in range(args.rounds):
            # Alternate which goes first, so neither always finds the other's pages in the cache.
            for name in (("exhaustive", "pruned") if round_ % 2 == 0 else ("pruned", "exhaustive")):
                began = time.perf_counter()
                results[name] = runs[name]()
                timings[name].append(time.perf_counter() - began)
        reference, found = results["exhaustive"], results["pruned"]
        agreement = statistics.mean(len({r for r, _ in f} & e) / len(e) for f, e in zip(found, reference) if e)
    seconds = {name: round(statistics.median(values), 3) for name, values in timings.items()}
    print(json.dumps({"passages": len(passages), "claims": len(queries), "seconds": seconds,
                      "speed_up": round(seconds["exhaustive"] / seconds["pruned"], 2),
                      "top50_shared": round(agreement, 4)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
