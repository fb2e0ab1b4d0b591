"""How much of exact BM25's answer does best-first BM25 find, on real text?

    .venv/bin/python bench/lexical_recall.py ../shared/data --budget 20000 30000 60000 --rescore 400 --rare-share 1 0 \
        --scale --dev ../shared/data/eval/climate_fever ../shared/data/eval/check_covid

Above ``retrieval.index.LEXICAL_EXACT_UP_TO`` passages the index reads each claim's best postings under a budget
instead of every posting (``retrieval/lexical.py``). The million-passage bench (``bench/scale.py``) times that on
synthetic text, whose claims are strings of common words; this bench measures what it finds on real text. The
passages are the product's two-sentence windows of the FNC-1 news bodies and every unique sentence of the other
shared training files (read for measurement only; nothing is kept). The queries are news headlines (FNC-1's, left
out of the corpus) and held-out VitaminC claims. Each query's top 50 (``retrieval.search.CANDIDATES``) is compared
with exact BM25 (bm25s) over the same index.

The corpus is smaller than a million passages, so a budget here reads a larger share of each posting list than at a
million. ``--scale`` also runs every budget shrunk by corpus size / 1M: the same share of the postings as the budget
reads at a million passages, which is the harder and the fairer test. ``--dev`` adds each dev set's corpus to the
passages and reports its claims' BM25 hit@5, exact and best-first: the dev sets hidden in a corpus large enough for
best-first search to be the one the product uses.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def corpus_and_queries(data: Path, headlines: int, claims: int, seed: int) -> tuple[list[str], list[str]]:
    from retrieval.passages import passages_of
    from retrieval.types import Document

    rng = random.Random(seed)
    bodies, heads, sentences, vitaminc = set(), set(), set(), set()
    for path in sorted((data / "train").glob("*.jsonl.gz")) + sorted((data / "train_extra").glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if path.name.startswith("fnc1"):
                    bodies.add(row["p"])
                    heads.add(row["h"])
                else:
                    sentences.update((row["p"], row["h"]))
                    if path.name.startswith("vitaminc"):
                        vitaminc.add(row["h"])
    heads, vitaminc = sorted(heads), sorted(vitaminc)
    rng.shuffle(heads)
    rng.shuffle(vitaminc)
    queries = heads[:headlines] + vitaminc[:claims]
    held = set(queries)
    passages = [p.text for i, body in enumerate(sorted(bodies)) for p in passages_of(Document(id=f"b{i}", text=body))]
    passages += sorted(sentences - held - set(heads))
    return passages, queries


def _recall(found: list[tuple[int, float]], exact_scores: np.ndarray, n: int) -> float:
    """Share of exact BM25's top n that the search found, ties counted as found: passages with equal scores are
    interchangeable (a search's order among them is arbitrary), so a hit scoring at least the exact n-th score is one
    of the exact top n. The impact-ordered search returns true BM25 scores, so the comparison is score against
    score."""
    wanted = [s for s in exact_scores[:n] if s > 0]
    if not wanted:
        return 1.0
    floor = wanted[-1] * (1 - 1e-5)
    return min(len(wanted), sum(1 for _, score in found[:n] if score >= floor)) / len(wanted)


def dev_hits(devs, bm25, folder: Path, doc_of_row: list[str | None], budgets, rescore: int, k: int) -> dict:
    """BM25 alone, each dev claim against its set's corpus hidden among all the other passages: hit@5 over the
    claims with gold evidence (all, and the held-out fold), exact and best-first at each budget."""
    import bm25s

    from evaluation.devset import HELDOUT
    from evaluation.retrieval import retrieval_report
    from retrieval.index import _bm25_tokens
    from retrieval.lexical import ImpactSearch

    def ranked(hits) -> list[str]:
        seen: list[str] = []
        for row, _ in hits:
            doc = doc_of_row[row] or f"other-{row}"
            if doc not in seen:
                seen.append(doc)
        return seen[:10]

    out = {}
    for dev in devs:
        claims = list(dev.claims)
        texts = [c["claim"] for c in claims]
        rows, scores = bm25.retrieve(_bm25_tokens(texts), k=k, show_progress=False, n_threads=1)
        engines = {"exact": [[(int(r), float(s)) for r, s in zip(rr, ss) if s > 0] for rr, ss in zip(rows, scores)]}
        tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False, return_ids=False)
        for nominal, budget in budgets:
            name = f"best-first, budget {budget}" + (f" (= {nominal} at 1M)" if budget != nominal else "")
            engines[name] = ImpactSearch(bm25, folder, budget=budget, rescore=rescore).search(tokens, k)
        out[dev.name] = {}
        for name, found in engines.items():
            rankings = {c["id"]: ranked(hits) for c, hits in zip(claims, found)}
            out[dev.name][name] = {"all": retrieval_report(rankings, dev.gold())["hit@5"],
                                   "held_out": retrieval_report(rankings, dev.gold(HELDOUT))["hit@5"]}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path, help="the shared data folder (../shared/data)")
    parser.add_argument("--budget", type=int, nargs="+", default=[10_000, 30_000, 60_000])
    parser.add_argument("--rescore", type=int, nargs="+", default=[400])
    parser.add_argument("--rare-share", type=float, nargs="+", default=[1.0],
                        help="share of the budget that may go to reading a claim's rarest terms whole")
    parser.add_argument("--headlines", type=int, default=500)
    parser.add_argument("--claims", type=int, default=500)
    parser.add_argument("--scale", action="store_true", help="also run each budget shrunk by corpus size / 1M")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--dev", type=Path, nargs="*", default=[],
                        help="dev sets (../shared/data/eval/*) whose corpora join the passages: their claims' BM25 "
                             "hit@5 is reported for exact and best-first search")
    args = parser.parse_args(argv)

    import bm25s

    from retrieval.index import _bm25_tokens
    from retrieval.lexical import ImpactSearch, write_impact_order
    from retrieval.search import CANDIDATES

    started = time.time()
    passages, queries = corpus_and_queries(args.data, args.headlines, args.claims, args.seed)
    doc_of_row: list[str | None] = [None] * len(passages)  # the dev documents' ids; None for the other passages
    devs = []
    if args.dev:
        from evaluation.devset import DevSet
        from retrieval.index import passage_text
        from retrieval.passages import passages_of

        for folder in args.dev:
            dev = DevSet.read(folder)
            for document in dev.documents():
                for passage in passages_of(document):
                    passages.append(passage_text(passage))
                    doc_of_row.append(passage.doc_id)
            devs.append(dev)
    work = Path(tempfile.mkdtemp(prefix="claimdesk-lexical-recall-"))
    bm25 = bm25s.BM25()
    bm25.index(_bm25_tokens(passages), show_progress=False)
    bm25.save(str(work), show_progress=False)
    bm25 = bm25s.BM25.load(str(work), mmap=True)
    write_impact_order(bm25, work)
    tokens = bm25s.tokenize(queries, stopwords="en", show_progress=False, return_ids=False)
    k = CANDIDATES
    exact_s = []
    exact_scores = []
    for start in range(0, len(queries), 20):
        began = time.time()
        _, scores = bm25.retrieve(_bm25_tokens(queries[start : start + 20]), k=k, show_progress=False, n_threads=1)
        exact_s.append(time.time() - began)
        exact_scores.extend(scores)
    kinds = {"headlines": slice(0, args.headlines), "claims": slice(args.headlines, len(queries))}
    result = {"passages": len(passages), "queries": {"headlines": args.headlines, "claims": args.claims},
              "exact_per_20_p50_s": round(statistics.median(exact_s), 4), "runs": []}
    scale = len(passages) / 1_000_000
    budgets = [(b, b) for b in args.budget] + ([(b, max(1, round(b * scale))) for b in args.budget] if args.scale
                                               else [])
    for nominal, budget in budgets:
        for rescore, share in [(r, s) for r in args.rescore for s in args.rare_share]:
            search = ImpactSearch(bm25, work, budget=budget, rescore=rescore, rare_share=share)
            search.search(tokens[:2], k)  # compile
            found, certain, seconds = [], [], []
            for start in range(0, len(queries), 20):
                began = time.time()
                hits, flags = search.search_certain(tokens[start : start + 20], k)
                seconds.append(time.time() - began)
                found.extend(hits)
                certain.extend(flags)
            run = {"budget": budget, "budget_at_1m": nominal if budget != nominal else None, "rescore": rescore,
                   "rare_share": share, "per_20_p50_s": round(statistics.median(seconds), 4)}
            for kind, part in kinds.items():
                at = {n: float(np.mean([_recall(got, truth, n) for got, truth in zip(found[part], exact_scores[part])]))
                      for n in (50, 10)}
                run[kind] = {"recall@50": round(at[50], 3), "recall@10": round(at[10], 3),
                             "top_hit_same": round(float(np.mean([_recall(got, truth, 1) == 1.0
                                                                  for got, truth in zip(found[part],
                                                                                        exact_scores[part])])), 3),
                             "provably_exact": round(float(np.mean(certain[part])), 3)}
            result["runs"].append(run)
            print(json.dumps(run), file=sys.stderr, flush=True)
    if devs:
        result["dev_bm25_hit@5"] = dev_hits(devs, bm25, work, doc_of_row, budgets, args.rescore[0], k)
    result["seconds"] = round(time.time() - started, 1)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
