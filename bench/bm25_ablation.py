"""BM25 variants under the product's hybrid search: an English stemmer, and BM25's k1 / b.

    .venv/bin/pip install PyStemmer   # only this bench needs it; the product does not stem
    .venv/bin/python bench/bm25_ablation.py ../shared/data/eval

Each variant rebuilds both dev indexes with the product's ``build_index`` and searches with its ``Searcher``; only
the BM25 tokeniser and parameters are swapped, in this process. BM25 alone learns nothing from the dev sets, so
its figures over *all* claims are fair. The hybrid's dense half is the retrieval fine-tune, which trained on the
train fold: its fair figures are the calibrate and held-out folds ("unseen").
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DEV_SETS = ("climate_fever", "check_covid")
# name: (stem?, k1, b, method); the first is the product's setting.
VARIANTS = {
    "product (no stemmer, k1 1.5, b 0.75)": (False, 1.5, 0.75, "lucene"),
    "stemmer": (True, 1.5, 0.75, "lucene"),
    "stemmer, k1 1.2": (True, 1.2, 0.75, "lucene"),
    "stemmer, k1 0.9, b 0.4": (True, 0.9, 0.4, "lucene"),
    "no stemmer, k1 0.9, b 0.4": (False, 0.9, 0.4, "lucene"),
    "stemmer, BM25+": (True, 1.5, 0.75, "bm25+"),
}


def main(eval_dir: Path) -> int:
    from claimdesk.offline import enforce_offline

    enforce_offline()
    try:
        import Stemmer
    except ImportError:
        print("this bench needs PyStemmer: .venv/bin/pip install PyStemmer", file=sys.stderr)
        return 2
    import bm25s

    import retrieval.index as index_module
    from retrieval.corpus import load_corpus
    from retrieval.encoder import load_encoder
    from retrieval.evaluate import ranked_documents, retrieval_report
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import Searcher
    from verification.devsplit import CALIBRATE, HELDOUT, DevSplit

    work = Path(tempfile.mkdtemp(prefix="claimdesk-bm25-"))
    encoder = load_encoder(work / "models")
    stemmer = Stemmer.Stemmer("english")
    product_bm25, product_tokens = bm25s.BM25, index_module._bm25_tokens
    results: dict = {}
    for label, (stem, k1, b, method) in VARIANTS.items():
        class Variant(product_bm25):
            # Defaults bind this variant's values; BM25.load passes the saved ones, which are the same.
            def __init__(self, *args, k1=k1, b=b, method=method, **kwargs):
                super().__init__(k1=k1, b=b, method=method)

        bm25s.BM25 = Variant
        index_module._bm25_tokens = lambda texts, stem=stem: bm25s.tokenize(
            texts, stopwords="en", stemmer=stemmer if stem else None, show_progress=False)
        try:
            for name in DEV_SETS:
                folder = eval_dir / name
                lines = (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines()
                claims = [json.loads(line) for line in lines]
                claims = [c for c in claims if c.get("evidence_ids")]
                corpus, _ = load_corpus(folder / "corpus.jsonl")
                build_index(corpus, work / f"{name}-{len(results)}", encoder)
                index = PassageIndex.open(work / f"{name}-{len(results)}")
                split = DevSplit.of_dir(folder)
                gold = {c["id"]: set(c["evidence_ids"]) for c in claims}
                unseen = {c: ids for c, ids in gold.items() if split.fold(c) in (CALIBRATE, HELDOUT)}
                row = {}
                for mode in ("bm25", "hybrid"):
                    found = Searcher(index, encoder, mode).search([c["claim"] for c in claims], 10)
                    rankings = {c["id"]: ranked_documents(e) for c, e in zip(claims, found)}
                    row[mode] = {"all": retrieval_report(rankings, gold)["hit@5"],
                                 "unseen": retrieval_report(rankings, unseen)["hit@5"],
                                 **{fold: retrieval_report(rankings, {c: ids for c, ids in gold.items()
                                                                      if split.fold(c) == fold})["hit@5"]
                                    for fold in (CALIBRATE, HELDOUT)}}
                results.setdefault(label, {})[name] = row
        finally:
            bm25s.BM25, index_module._bm25_tokens = product_bm25, product_tokens
        print(label, json.dumps(results[label]), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data" / "eval"))
