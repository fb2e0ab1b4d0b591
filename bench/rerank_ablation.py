"""Evidence reranking on the dev folds: the search alone, the stance model's relevance, the trained reranker.

    .venv/bin/python bench/rerank_ablation.py [--data ../shared/data]

Candidates are the hybrid search's top 30 per claim from each dev corpus (training.reranker).
hit@5 is reported on the *calibrate* fold (where the reranker's depth and rank weight were chosen) and on the
*held-out* fold (never used for a choice). Speed: reranker pairs per second, one pair per run per core, the
way the product runs it, and the time it adds to a 20-claim article.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args()

    from retrieval.offline import enforce_offline

    enforce_offline()
    from retrieval.rerank import OnnxReranker, RerankWeights
    from training.reranker import candidates, hit_at_5, per_claim, stance_relevance
    from verification.stance import OnnxStanceModel

    data = candidates(args.data, 30)
    folds = {f: {n: [r for r in rows if r["fold"] == f] for n, rows in data.items()} for f in ("calibrate", "heldout")}
    reranker, stance = OnnxReranker(), OnnxStanceModel()
    alone = reranker.manifest["reranker_alone"]
    depth, weight = int(alone["depth"]), float(alone["rank_weight"])
    combine = reranker.manifest["combine"]

    results: dict = {"reranker alone": {"depth": depth, "rank_weight": weight}, "combined": combine}
    timing = {"pairs": 0, "seconds": 0.0}
    for fold, sets in folds.items():
        for name, rows in sets.items():
            pairs = [(item["text"], row["claim"]) for row in rows for item in row["retrieved"]]
            started = time.perf_counter()
            learned = per_claim(rows, reranker.scores(pairs).tolist())
            timing["pairs"] += len(pairs)
            timing["seconds"] += time.perf_counter() - started
            relevance = stance_relevance(stance, rows)
            results.setdefault(fold, {})[name] = {
                "claims": len(rows),
                "search only": round(hit_at_5(rows, 5), 4),
                # The product's stance reranking (CLAIMDESK_RERANKER=stance, weight 2.0), over the top 20.
                "stance relevance, depth 20": round(hit_at_5(rows, 20, RerankWeights.stance_only(2.0),
                                                             relevance=relevance), 4),
                f"trained reranker, depth {depth}": round(hit_at_5(rows, depth, RerankWeights(rank=weight),
                                                                   learned), 4),
                f"combined score (shipped weights), depth {combine['depth']}": round(hit_at_5(
                    rows, combine["depth"], reranker.weights, learned, relevance), 4),
            }
    rate = timing["pairs"] / timing["seconds"]
    results["reranker_pairs_per_s"] = round(rate, 1)
    # The reranker scores every candidate. The stance model judges the depth - top_k extra passages only when
    # the fitted score uses its relevance; otherwise the pipeline judges just the passages it keeps.
    extra_stance = combine["depth"] - 5 if combine["stance_relevance"] else 0
    results["seconds_added_per_20_claim_article"] = round(20 * combine["depth"] / rate + 20 * extra_stance / rate, 2)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
