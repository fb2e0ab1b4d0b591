"""Fusion functions compared on out-of-fold rankings: reciprocal-rank fusion (the product's) against a convex
combination of min-max normalised scores, alpha x dense + (1 - alpha) x BM25.

    .venv/bin/python -m verification.train_retriever --kfold 5 --out runs/retriever-kfold5   # writes oof_scores.jsonl
    .venv/bin/python bench/fusion_kfold.py runs/retriever-kfold5/oof_scores.jsonl

Every claim's dense and BM25 scores come from a fine-tune that never saw it (the k-fold), so all ~600 dev claims
with evidence count, not only the calibrate and held-out folds. Alpha is chosen on the calibrate fold's claims
(grid 0.30-0.90, ties keep the smaller) and the two fusions are compared, claim by claim, on the others. Both
fusions read the same top-``CANDIDATES`` lists per engine and rank documents (a document's best passage); the
product's near-duplicate collapse is left out of both.

    .venv/bin/python bench/fusion_kfold.py OOF_SCORES.jsonl --stemmer   # needs PyStemmer

``--stemmer`` instead compares, under the product's fusion (dense share 0.5), BM25 with an English stemmer
against BM25 as the product runs it. BM25 learns nothing from dev, so its lists are recomputed for every claim
and paired with the saved out-of-fold dense lists.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ALPHAS = tuple(round(0.30 + 0.05 * i, 2) for i in range(13))


def documents(scores: dict[str, float], doc_of: dict[str, str], limit: int = 10) -> list[str]:
    ranked: list[str] = []
    for passage in sorted(scores, key=lambda p: -scores[p]):
        if doc_of[passage] not in ranked:
            ranked.append(doc_of[passage])
        if len(ranked) == limit:
            break
    return ranked


def normalised(hits: list) -> dict[str, float]:
    """The product's scaling (retrieval.search.scaled) of one engine's saved [passage, document, score] list."""
    from retrieval.search import scaled

    return scaled([(passage, score) for passage, _, score in hits])


def fusions(row: dict, candidates: int, rrf_k: int = 60) -> dict[str, list[str]]:
    dense, lexical = row["dense"][:candidates], row["bm25"][:candidates]
    doc_of = {p: d for p, d, _ in dense + lexical}
    rrf: dict[str, float] = {}
    for hits in (dense, lexical):
        for rank, (p, _, _) in enumerate(hits, start=1):
            rrf[p] = rrf.get(p, 0.0) + 1 / (rrf_k + rank)
    out = {"rrf": documents(rrf, doc_of)}
    nd, nl = normalised(dense), normalised(lexical)
    for alpha in ALPHAS:
        out[f"convex {alpha}"] = documents({p: alpha * nd.get(p, 0.0) + (1 - alpha) * nl.get(p, 0.0)
                                            for p in doc_of}, doc_of)
    return out


def main(path: Path, data: Path, candidates: int = 50) -> dict:
    from claimdesk.intervals import paired_difference, resample_claims
    from verification.devsplit import CALIBRATE, DevSplit

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    sets = sorted({r["set"] for r in rows}, reverse=True)
    hits: dict[str, dict[str, dict[str, float]]] = {}  # set -> system -> claim -> hit@5
    folds: dict[str, dict[str, str]] = {}
    for name in sets:
        claims = {json.loads(line)["id"]: json.loads(line)
                  for line in (data / name / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
        split = DevSplit.of_dir(data / name)
        for row in (r for r in rows if r["set"] == name):
            gold = set(claims[row["claim_id"]]["evidence_ids"])
            folds.setdefault(name, {})[row["claim_id"]] = split.fold(row["claim_id"])
            for system, ranked in fusions(row, candidates).items():
                hits.setdefault(name, {}).setdefault(system, {})[row["claim_id"]] = float(bool(set(ranked[:5]) & gold))

    def mean_on(name: str, system: str, chosen: bool) -> float:
        values = [v for c, v in hits[name][system].items() if (folds[name][c] == CALIBRATE) == chosen]
        return float(np.mean(values))

    # Alpha: the best mean over the sets on the calibrate fold's claims; ties keep the smaller.
    alpha = max(ALPHAS, key=lambda a: (round(np.mean([mean_on(n, f"convex {a}", True) for n in sets]), 6), -a))
    report: dict = {"candidates": candidates, "alpha_chosen_on_calibrate": alpha,
                    "calibrate": {f"convex {a}": [round(mean_on(n, f"convex {a}", True), 4) for n in sets]
                                  for a in ALPHAS},
                    "sets": sets}
    report["calibrate"]["rrf"] = [round(mean_on(n, "rrf", True), 4) for n in sets]
    for name in sets:
        others = [c for c in hits[name]["rrf"] if folds[name][c] != CALIBRATE]
        base = np.array([hits[name]["rrf"][c] for c in others])
        new = np.array([hits[name][f"convex {alpha}"][c] for c in others])
        draws = resample_claims(len(others))
        report[name] = {"claims_compared": len(others), "hit@5 convex - rrf": paired_difference(
            base[draws].mean(axis=1), new[draws].mean(axis=1), (float(base.mean()), float(new.mean())))}
    return report


def stemmer_test(path: Path, data: Path, candidates: int = 50, share: float = 0.5) -> dict:
    import bm25s
    import Stemmer

    from claimdesk.intervals import paired_difference, resample_claims
    from retrieval.corpus import load_corpus
    from retrieval.index import passage_text
    from retrieval.passages import passages_of
    from verification.devsplit import CALIBRATE, DevSplit

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    report: dict = {"dense_share": share, "candidates": candidates}
    for name in sorted({r["set"] for r in rows}, reverse=True):
        documents_, _ = load_corpus(data / name / "corpus.jsonl")
        passages = [p for d in documents_ for p in passages_of(d)]
        claims = {json.loads(line)["id"]: json.loads(line)
                  for line in (data / name / "claims.jsonl").read_text(encoding="utf-8").splitlines()}
        mine = [r for r in rows if r["set"] == name]
        queries = [claims[r["claim_id"]]["claim"] for r in mine]
        hits: dict[str, list[float]] = {}
        for label, stemmer in (("product", None), ("stemmer", Stemmer.Stemmer("english"))):
            bm25 = bm25s.BM25()
            bm25.index(bm25s.tokenize([passage_text(p) for p in passages], stopwords="en", stemmer=stemmer,
                                      show_progress=False), show_progress=False)
            found, scores = bm25.retrieve(bm25s.tokenize(queries, stopwords="en", stemmer=stemmer, show_progress=False),
                                          k=candidates, show_progress=False)
            for q, row in enumerate(mine):
                lexical = [[passages[int(i)].id, passages[int(i)].doc_id, float(s)]
                           for i, s in zip(found[q], scores[q]) if s > 0]
                dense = row["dense"][:candidates]
                doc_of = {p: d for p, d, _ in dense + lexical}
                nd, nl = normalised(dense), normalised(lexical)
                ranked = documents({p: share * nd.get(p, 0.0) + (1 - share) * nl.get(p, 0.0) for p in doc_of}, doc_of)
                gold = set(claims[row["claim_id"]]["evidence_ids"])
                hits.setdefault(label, []).append(float(bool(set(ranked[:5]) & gold)))
        split = DevSplit.of_dir(data / name)
        outside = np.array([split.fold(r["claim_id"]) != CALIBRATE for r in mine])
        base, new = np.array(hits["product"])[outside], np.array(hits["stemmer"])[outside]
        draws = resample_claims(len(base))
        report[name] = {"claims_compared": int(outside.sum()), "hit@5 stemmer - product": paired_difference(
            base[draws].mean(axis=1), new[draws].mean(axis=1), (float(base.mean()), float(new.mean())))}
    return report


if __name__ == "__main__":
    arguments = [a for a in sys.argv[1:] if a != "--stemmer"]
    if not arguments:
        raise SystemExit("usage: bench/fusion_kfold.py OOF_SCORES.jsonl [DATA_EVAL_DIR] [--stemmer]")
    eval_dir = Path(arguments[1]) if len(arguments) > 1 else REPO.parent / "shared" / "data" / "eval"
    test = stemmer_test if "--stemmer" in sys.argv else main
    print(json.dumps(test(Path(arguments[0]), eval_dir), indent=1))
