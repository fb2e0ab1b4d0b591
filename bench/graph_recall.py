"""How much of the exact scan's answer does the HNSW graph find, on real sentence embeddings?

    .venv/bin/python bench/graph_recall.py ../shared/data/train --queries 1000 --ef 128 256 512

The 1M-passage bench (``bench/scale.py``) uses random vectors, which have no clusters: it times the search but
cannot measure the graph's recall. This bench indexes the unique sentences of the shared training files (about
170k; read for measurement only, nothing is kept) through the product's ``build_index`` with the graph forced on,
then searches held-out VitaminC claims through the product's dense engine at each efSearch, and compares each
claim's hits with the exact scan over the same vectors. The dense engine asks for 50 hits per claim
(``retrieval.search.CANDIDATES``), so recall@50 is the figure that decides ``HnswVectorStore.EF_SEARCH``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

FILES = ("vitaminc_real_synthetic.jsonl.gz", "snli_train_100k.jsonl.gz")


def sentences(train: Path, queries: int, seed: int) -> tuple[list[str], list[str]]:
    """(passages, queries): every unique premise and hypothesis, less the VitaminC claims drawn as queries."""
    rows: dict[str, list[dict]] = {}
    for name in FILES:
        with gzip.open(train / name, "rt", encoding="utf-8") as handle:
            rows[name] = [json.loads(line) for line in handle]
    claims = sorted({r["h"] for r in rows[FILES[0]]})
    random.Random(seed).shuffle(claims)
    held_out = claims[:queries]
    passages = sorted({t for rs in rows.values() for r in rs for t in (r["p"], r["h"])} - set(held_out))
    return passages, held_out


def overlap(found: list[list[int]], exact: np.ndarray, k: int) -> float:
    return float(np.mean([len(set(rows[:k]) & set(truth[:k].tolist())) / k for rows, truth in zip(found, exact)]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("train", type=Path, help="the shared training folder (../shared/data/train)")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--ef", type=int, nargs="+", default=[128, 256, 512])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)

    from retrieval.offline import enforce_offline

    enforce_offline()
    from retrieval.encoder import load_encoder
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import CANDIDATES
    from retrieval.store import FlatVectorStore, HnswVectorStore, RowFilter
    from retrieval.types import Document

    passages, queries = sentences(args.train, args.queries, args.seed)
    work = Path(tempfile.mkdtemp(prefix="claimdesk-graph-recall-"))
    encoder = load_encoder(work / "models")
    started = time.time()
    report = build_index([Document(id=f"s{i}", text=t) for i, t in enumerate(passages)], work / "index", encoder,
                         exact_up_to=0)
    index = PassageIndex.open(work / "index")
    vectors = np.asarray(encoder.encode(queries), dtype=np.float32)
    exact, _ = FlatVectorStore(np.asarray(index.store.vectors)).search(vectors, CANDIDATES)
    result = {"passages": report.passages, "queries": len(queries), "build_s": round(time.time() - started, 1),
              "shipped_ef_search": HnswVectorStore.EF_SEARCH, "by_ef_search": {}}
    shipped = HnswVectorStore.EF_SEARCH
    try:
        for ef in args.ef:
            HnswVectorStore.EF_SEARCH = ef
            began = time.perf_counter()
            found = [[row for row, _ in hits] for hits in index.dense(vectors, CANDIDATES, RowFilter())]
            result["by_ef_search"][ef] = {
                f"recall@{CANDIDATES}": round(overlap(found, exact, CANDIDATES), 4),
                "recall@10": round(overlap(found, exact, 10), 4),
                "top_hit_first": round(float(np.mean([f[0] == e[0] for f, e in zip(found, exact)])), 4),
                "search_s": round(time.perf_counter() - began, 2),
            }
            print(ef, result["by_ef_search"][ef], file=sys.stderr, flush=True)
    finally:
        HnswVectorStore.EF_SEARCH = shipped
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
