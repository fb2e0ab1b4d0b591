"""Retrieval ablation on a dev set: BM25 alone, dense alone, and the hybrid (fused as in the product), with MiniLM
(packaged: "base") and with the retrieval fine-tune ("tuned", the default); then the hybrid on each engine: the exact
embedded index, its HNSW graph (used above 200k passages), the graph with best-first BM25 (both used above 200k
passages; the BM25 budget shrunk to the corpus's size) and Milvus Lite. With several dev sets, ``merged``
searches each set's held-out claims against all the dev corpora in one index.

    .venv/bin/python bench/retrieval_ablation.py ../shared/data/eval/climate_fever [more dirs...]

Same corpus, same claims, same passages (title + sentence window) for every row, so the rows compare. Each
report is given over all claims with evidence and over the *held-out* fold (evaluation/devset.py): the
fine-tune learned from the train fold's claims, so only its held-out figures are fair to it.
``engines.*.top10_overlap`` is the share of each claim's exact top-10 passages that the engine also returns.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main(folders: list[str | Path]) -> int:
    from retrieval.offline import enforce_offline

    enforce_offline()
    from claimdesk.pipeline import corpus_searcher
    from evaluation.devset import HELDOUT, DevSet
    from evaluation.retrieval import search_report
    from retrieval.encoder import load_encoder
    from retrieval.search import MODES, Searcher

    work = Path(tempfile.mkdtemp(prefix="claimdesk-ablation-"))
    encoders = {name: load_encoder(work / "models", model=name) for name in ("base", "tuned")}
    results = {}
    folders = [Path(f) for f in folders]
    for folder in folders:
        dev = DevSet.read(folder)
        documents = dev.documents()
        rows: dict = {}
        for name, encoder in encoders.items():
            started = time.perf_counter()
            index = corpus_searcher(documents, work / f"{folder.name}-{name}", encoder).index
            rows[f"index_s_{name}"] = round(time.perf_counter() - started, 1)
            rows["passages"] = len(index)
            for mode in MODES:
                if mode == "bm25" and "bm25" in rows:
                    continue  # BM25 does not use the encoder: one row serves both
                rows[mode if mode == "bm25" else f"{mode}_{name}"] = search_report(dev, Searcher(index, encoder, mode))
        tuned = corpus_searcher(documents, work / f"{folder.name}-tuned", encoders["tuned"]).index
        rows["engines"] = compare_engines(tuned, documents, encoders["tuned"], list(dev.claims), dev.gold(HELDOUT),
                                          work / f"{folder.name}-tuned")
        results[folder.name] = rows
    if len(folders) > 1:
        results["merged"] = merged_corpora(folders, encoders, work)
    print(json.dumps(results, indent=1))
    return 0


def merged_corpora(folders: list[Path], encoders: dict, work: Path) -> dict:
    """Held-out claims of each dev set searched against all dev corpora in one index: a larger corpus, closer to
    the size the retrieval goals are set at (about twice a dev corpus). The extra passages come from the other
    domain, so they are easier distractors than more passages of the same kind would be."""
    from claimdesk.pipeline import corpus_searcher
    from evaluation.devset import HELDOUT, DevSet
    from evaluation.retrieval import retrieval_report, search_rankings

    devs = [DevSet.read(folder) for folder in folders]
    documents = [d for dev in devs for d in dev.documents()]
    out: dict = {}
    for name, encoder in encoders.items():
        searcher = corpus_searcher(documents, work / f"merged-{name}", encoder)
        out["passages"] = len(searcher.index)
        for dev in devs:
            rankings = search_rankings(searcher, list(dev.claims))
            out.setdefault(f"hybrid_{name}", {})[dev.name] = retrieval_report(rankings, dev.gold(HELDOUT))
    return out


def compare_engines(exact, documents, encoder, claims, gold, work: Path) -> dict:
    from evaluation.retrieval import ranked_documents, retrieval_report
    from retrieval.index import PassageIndex, build_index
    from retrieval.lexical import BUDGET
    from retrieval.milvus import MilvusStore, publish
    from retrieval.search import Searcher, SearchFilters
    from retrieval.store import RowFilter

    build_index(documents, work.with_name(work.name + "-hnsw"), encoder, exact_up_to=0)
    # The archive-size index: the graph, and BM25 best-first under a budget shrunk to this corpus's size (the
    # share of the postings the budget reads at a million passages), so a dev corpus of a few thousand passages
    # tests the approximation as hard as an archive does.
    build_index(documents, work.with_name(work.name + "-archive"), encoder, exact_up_to=0, lexical_exact_up_to=0)
    archive = PassageIndex.open(work.with_name(work.name + "-archive"))
    archive.impact.budget = max(1, round(BUDGET * len(archive) / 1_000_000))
    url = f"milvus-lite://{work.with_name(work.name + '-milvus.db')}"
    publish(exact, url)
    engines = {"exact": exact, "hnsw": PassageIndex.open(work.with_name(work.name + "-hnsw")),
               "archive (graph + best-first BM25)": archive, "milvus-lite": MilvusStore.open(url)}
    queries = [c["claim"] for c in claims]
    vectors = encoder.encode(queries)
    reference = [[r for r, _ in hits[:10]] for hits in exact.dense(vectors, 10, RowFilter())]
    out = {}
    for name, engine in engines.items():
        started = time.perf_counter()
        found = Searcher(engine, encoder, "hybrid").search(queries, 10, SearchFilters())
        seconds = time.perf_counter() - started
        report = retrieval_report({c["id"]: ranked_documents(e) for c, e in zip(claims, found)}, gold)
        dense = [[r for r, _ in hits[:10]] for hits in engine.dense(vectors, 10, RowFilter())]
        overlap = sum(len(set(a) & set(b)) for a, b in zip(reference, dense)) / max(1, sum(map(len, reference)))
        out[name] = {"hit@5": report["hit@5"], "hit@10": report["hit@10"], "top10_overlap": round(overlap, 4),
                     "search_s": round(seconds, 2)}
    return out


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
