"""Retrieval ablation on a dev set: BM25 alone, dense alone, and the hybrid (RRF), on one index; then the
hybrid on each engine: the exact embedded index, its HNSW graph (used above 200k passages) and Milvus Lite.

    .venv/bin/python bench/retrieval_ablation.py ../shared/data/eval/climate_fever [more dirs...]

Same corpus, same claims, same passages (title + sentence window) for every row, so the rows compare.
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


def main(folders: list[str]) -> int:
    from claimdesk.offline import enforce_offline

    enforce_offline()
    from retrieval.corpus import load_corpus
    from retrieval.encoder import load_encoder
    from retrieval.evaluate import ranked_documents, retrieval_report
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import MODES, Searcher, SearchFilters

    work = Path(tempfile.mkdtemp(prefix="claimdesk-ablation-"))
    encoder = load_encoder(work / "models")
    results = {}
    for folder in map(Path, folders):
        documents, _ = load_corpus(folder / "corpus.jsonl")
        started = time.perf_counter()
        build_index(documents, work / folder.name, encoder)
        index_seconds = time.perf_counter() - started
        index = PassageIndex.open(work / folder.name)
        claims = [json.loads(line) for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
        gold = {c["id"]: set(c.get("evidence_ids") or []) for c in claims}
        rows = {"passages": len(index), "index_s": round(index_seconds, 1)}
        for mode in MODES:
            found = Searcher(index, encoder, mode).search([c["claim"] for c in claims], 10, SearchFilters())
            rankings = {c["id"]: ranked_documents(e) for c, e in zip(claims, found)}
            rows[mode] = retrieval_report(rankings, gold)
        rows["engines"] = compare_engines(index, documents, encoder, claims, gold, work / folder.name)
        results[folder.name] = rows
    print(json.dumps(results, indent=1))
    return 0


def compare_engines(exact, documents, encoder, claims, gold, work: Path) -> dict:
    from retrieval.evaluate import ranked_documents, retrieval_report
    from retrieval.index import PassageIndex, build_index
    from retrieval.milvus import MilvusStore, publish
    from retrieval.search import Searcher, SearchFilters
    from retrieval.store import RowFilter

    build_index(documents, work.with_name(work.name + "-hnsw"), encoder, exact_up_to=0)
    url = f"milvus-lite://{work.with_name(work.name + '-milvus.db')}"
    publish(exact, url)
    engines = {"exact": exact, "hnsw": PassageIndex.open(work.with_name(work.name + "-hnsw")),
               "milvus-lite": MilvusStore.open(url)}
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
