"""Index and search a million passages on this machine: build throughput, peak memory, disk size, reopen time and
the latency of searching all of one article's claims in one batch.

    .venv/bin/python bench/scale.py --passages 1000000 [--engine embedded|milvus-lite] [--claims 20]

The corpus is synthetic: documents of two to four sentences drawn from a 6,000-word vocabulary with Zipf
frequencies, 300 outlets and ten years of dates, so BM25 sees a realistic long tail. Encoding a million passages
with MiniLM on two cores would take the better part of an hour and is measured on its own (``--encode-sample``,
with the real encoder); the index is built from deterministic synthetic unit vectors so that every other cost is
measured at full size. Each phase runs in a fresh process, so each peak RSS is that phase's own.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DIMENSION = 384


class SyntheticEncoder:
    """Deterministic unit vectors from a hash of the text: the same text always gives the same vector."""

    dimension = DIMENSION
    fingerprint = "synthetic-bench@1"

    def encode(self, texts, progress=False):
        out = np.empty((len(texts), DIMENSION), dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            out[i] = np.random.default_rng(seed).standard_normal(DIMENSION)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        return out


def documents(passages: int, seed: int = 7):
    """About ``passages`` two-sentence windows: documents of 2-4 sentences give 1-3 windows each."""
    from retrieval.types import Document

    rng = np.random.default_rng(seed)
    vocabulary = [f"w{i}" for i in range(6000)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)
    weights /= weights.sum()
    start = date(2015, 1, 1)
    made = 0
    doc = 0
    while made < passages:
        sentences = int(rng.integers(2, 5))
        words = rng.choice(len(vocabulary), size=(sentences, 14), p=weights)
        numbers = rng.integers(1, 5000, size=sentences)
        text = " ".join(f"{vocabulary[s[0]].capitalize()} {' '.join(vocabulary[w] for w in s[1:])} {n}."
                        for s, n in zip(words, numbers))
        yield Document(id=f"d{doc}", text=text, title=f"Report {doc}", source=f"Outlet {doc % 300}",
                       date=start + timedelta(days=int(rng.integers(0, 3650))))
        made += sentences - 1
        doc += 1


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_build(args) -> dict:
    from retrieval.index import build_index

    started = time.time()
    docs = list(documents(args.passages))
    generated = time.time() - started
    last = [0.0]

    def progress(done, total):
        if time.time() - last[0] > 10 or done == total:
            last[0] = time.time()
            print(f"  embedded {done:,}/{total:,} passages", file=sys.stderr, flush=True)

    report = build_index(docs, args.index, SyntheticEncoder(), progress=progress)
    out = {"documents": report.documents, "passages": report.passages, "generate_s": round(generated, 1),
           "build_s": report.seconds, "build_passages_per_s": round(report.passages / report.seconds),
           "peak_rss_mb": round(peak_mb())}
    if args.engine == "milvus-lite":
        from retrieval.index import PassageIndex
        from retrieval.milvus import publish

        started = time.time()
        publish(PassageIndex.open(args.index), args.url,
                progress=lambda done, total: print(f"  published {done:,}/{total:,}", file=sys.stderr, flush=True)
                if done % 100_000 < 2000 or done == total else None)
        out["publish_s"] = round(time.time() - started, 1)
        out["publish_passages_per_s"] = round(report.passages / (time.time() - started))
        out["peak_rss_mb"] = round(peak_mb())
    return out


def phase_query(args) -> dict:
    from retrieval.search import Searcher, SearchFilters
    from retrieval.store import RowFilter

    started = time.time()
    if args.engine == "milvus-lite":
        from retrieval.milvus import MilvusStore

        index = MilvusStore.open(args.url)
    else:
        from retrieval.index import PassageIndex

        index = PassageIndex.open(args.index)
    reopen = time.time() - started
    searcher = Searcher(index, SyntheticEncoder())
    rng = np.random.default_rng(1)
    docs = list(documents(5000, seed=3))  # unseen sentences in the same language: realistic claim queries
    # The first search loads what opening left on disk (and numba's compiled BM25 above 200k passages): timed on
    # its own, so the rounds below time a warm server.
    began = time.time()
    searcher.search([docs[0].text.split(". ")[0]], top_k=5)
    first_search = time.time() - began
    timings: dict[str, list[float]] = {"no filter": [], "date + outlet filter": []}
    filters = {"no filter": SearchFilters(),
               "date + outlet filter": SearchFilters(before=date(2021, 6, 1),
                                                     deny_outlets=frozenset({"Outlet 1", "Outlet 2"}))}
    # The peer: a plain dense-only search of the same claims in the same run, straight through the vector
    # engine (faiss HNSW above 200k passages), encoding included, nothing fetched and no BM25. The hybrid search
    # is reported as a ratio to it, run by run, so machine noise cancels.
    peer: list[float] = []
    lexical: list[float] = []
    lexical_exact: list[float] = []
    overlap: list[float] = []
    certain: list[bool] = []
    ratios: list[float] = []
    impact = getattr(index, "impact", None)
    for _ in range(args.runs):
        claims = [docs[int(i)].text.split(". ")[0] for i in rng.integers(0, len(docs), size=args.claims)]
        if args.engine == "embedded":
            began = time.time()
            index.store.search(searcher.encoder.encode(claims), 50, None)
            peer.append(time.time() - began)
            began = time.time()
            found = index.lexical(claims, 50, RowFilter())  # BM25 alone: how much of the hybrid is the lexical engine
            lexical.append(time.time() - began)
            if impact is not None:
                # Exact BM25 (bm25s) over the same postings: its time, and how much of its top 50 best-first BM25
                # found (ties counted as found: equal scores are interchangeable).
                index.impact = None
                began = time.time()
                exact = index.lexical(claims, 50, RowFilter())
                lexical_exact.append(time.time() - began)
                index.impact = impact
                for got, truth in zip(found, exact):
                    floor = truth[-1][1] * (1 - 1e-5) if truth else 0.0
                    overlap.append(min(len(truth), sum(1 for _, score in got if score >= floor)) / max(1, len(truth)))
                import bm25s

                certain.extend(impact.search_certain(bm25s.tokenize(claims, stopwords="en", show_progress=False,
                                                                    return_ids=False), 50)[1])
        for name, chosen in filters.items():
            began = time.time()
            results = searcher.search(claims, top_k=5, filters=chosen)
            timings[name].append(time.time() - began)
            assert all(len(r) == 5 for r in results)
        if peer:
            ratios.append(timings["no filter"][-1] / peer[-1])
    out = {"reopen_s": round(reopen, 2), "first_search_s": round(first_search, 2), "claims_per_batch": args.claims,
           "runs": args.runs}
    if args.engine == "embedded" and index.manifest.get("vector_index") == "hnsw":
        from retrieval.store import HnswVectorStore

        out["ef_search"] = HnswVectorStore.EF_SEARCH
    if peer:
        timings["dense-only peer"] = peer
        timings["bm25 alone"] = lexical
        if lexical_exact:
            timings["bm25 alone, exact"] = lexical_exact
            out["lexical_index"] = "best-first"
            out["best_first_recall_at_50_of_exact"] = round(statistics.mean(overlap), 3)
            out["best_first_provably_exact"] = round(statistics.mean(certain), 3)
        out["hybrid_to_peer_ratio_p50"] = round(statistics.median(ratios), 2)
    for name, values in timings.items():
        values = sorted(values)
        out[name] = {"p50_s": round(statistics.median(values), 3),
                     "p95_s": round(values[min(len(values) - 1, int(0.95 * len(values)))], 3)}
    out["peak_rss_mb"] = round(peak_mb())
    return out


def phase_encode(args) -> dict:
    """The real encoder on a sample of the synthetic passages, against sentence-transformers on torch."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from retrieval.index import passage_text
    from retrieval.passages import passages_of

    texts = [passage_text(p) for d in documents(args.encode_sample, seed=11) for p in passages_of(d)]
    texts = texts[: args.encode_sample]
    encoder = Pipeline(Settings.load()).encoder
    encoder.encode(texts[:64])
    started = time.time()
    encoder.encode(texts)
    seconds = time.time() - started
    return {"sample": len(texts), "onnx_passages_per_s": round(len(texts) / seconds),
            "hours_for_1M_at_this_rate": round(1_000_000 / (len(texts) / seconds) / 3600, 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--passages", type=int, default=1_000_000)
    parser.add_argument("--engine", choices=["embedded", "milvus-lite"], default="embedded")
    parser.add_argument("--claims", type=int, default=20)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--encode-sample", type=int, default=0)
    parser.add_argument("--phase", choices=["build", "query", "encode"])
    parser.add_argument("--index")
    parser.add_argument("--url")
    parser.add_argument("--keep", help="keep the index in this folder instead of a temporary one")
    parser.add_argument("--ef-search", type=int, default=None,
                        help="candidates the HNSW graph keeps while searching (default: the product's)")
    args = parser.parse_args()
    if args.ef_search is not None:
        from retrieval.store import HnswVectorStore

        HnswVectorStore.EF_SEARCH = args.ef_search
    if args.phase:  # a child process: one phase, JSON on stdout
        print(json.dumps({"build": phase_build, "query": phase_query, "encode": phase_encode}[args.phase](args)))
        return 0

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="claimdesk-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    index, url = folder / "index", f"milvus-lite://{folder / 'passages.db'}"
    common = [sys.executable, __file__, "--passages", str(args.passages), "--engine", args.engine, "--index",
              str(index), "--url", url, "--claims", str(args.claims), "--runs", str(args.runs),
              "--encode-sample", str(args.encode_sample)]
    if args.ef_search is not None:
        common += ["--ef-search", str(args.ef_search)]
    results = {"engine": args.engine, "passages_requested": args.passages}
    phases = ["build", "query"] + (["encode"] if args.encode_sample else [])
    for phase in phases:
        print(f"{phase}…", file=sys.stderr, flush=True)
        done = subprocess.run(common + ["--phase", phase], stdout=subprocess.PIPE, text=True, check=True)
        results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
    generation = index / (index / "CURRENT").read_text().strip()
    results["disk_mb"] = {"embedded_index": round(sum(f.stat().st_size for f in generation.rglob("*")
                                                         if f.is_file()) / 2**20)}
    if args.engine == "milvus-lite":
        lite = folder / "passages.db"
        results["disk_mb"]["milvus_lite"] = round(sum(f.stat().st_size for f in lite.rglob("*") if f.is_file())
                                                  / 2**20) if lite.is_dir() else round(lite.stat().st_size / 2**20)
    print(json.dumps(results, indent=1))
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
