"""Retrieval ablation on a dev set: BM25 alone, dense alone, and the hybrid (RRF), on one index.

    .venv/bin/python bench/retrieval_ablation.py ../shared/data/eval/climate_fever [more dirs...]

Same corpus, same claims, same passages (title + sentence window) for every row, so the rows compare.
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
        results[folder.name] = rows
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
