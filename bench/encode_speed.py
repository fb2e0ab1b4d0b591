"""Corpus encoding throughput against sentence-transformers on torch, in the same run, and what each faster
variant does to retrieval quality (hit@5, hybrid) on the dev sets.

    .venv/bin/python bench/encode_speed.py ../shared/data/eval/climate_fever ../shared/data/eval/check_covid

Variants: the served ONNX fp32 export at batch 64 and 16 (the encoder sorts texts by length, so smaller
batches pad less), and int8 dynamic quantisation of it, either every MatMul or all but the two output
projections of each layer. Speed is measured on the first dev set's passages (title + window, as indexed).
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def rate(encode, texts: list[str]) -> tuple[float, np.ndarray]:
    encode(texts[:64])  # warm-up
    best, vectors = float("inf"), None
    for _ in range(2):
        started = time.perf_counter()
        vectors = encode(texts)
        best = min(best, time.perf_counter() - started)
    return len(texts) / best, vectors


def hit_at_5(folder: Path, encoder) -> float:
    from retrieval.corpus import load_corpus
    from retrieval.evaluate import ranked_documents, retrieval_report
    from retrieval.index import PassageIndex, build_index
    from retrieval.search import Searcher, SearchFilters

    documents, _ = load_corpus(folder / "corpus.jsonl")
    work = Path(tempfile.mkdtemp(prefix="claimdesk-encode-"))
    build_index(documents, work, encoder)
    claims = [json.loads(line) for line in (folder / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = {c["id"]: set(c.get("evidence_ids") or []) for c in claims}
    found = Searcher(PassageIndex.open(work), encoder, "hybrid").search([c["claim"] for c in claims], 10,
                                                                        SearchFilters())
    shutil.rmtree(work, ignore_errors=True)
    return retrieval_report({c["id"]: ranked_documents(e) for c, e in zip(claims, found)}, gold)["hit@5"]


def main(folders: list[str]) -> int:
    from claimdesk.offline import enforce_offline

    enforce_offline()
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    from retrieval.corpus import load_corpus
    from retrieval.encoder import OnnxEncoder, base_model_path, prepare_onnx
    from retrieval.index import passage_text
    from retrieval.passages import passages_of

    folders = [Path(f) for f in folders]
    documents, _ = load_corpus(folders[0] / "corpus.jsonl")
    texts = [passage_text(p) for d in documents for p in passages_of(d)][:1500]
    work = Path(tempfile.mkdtemp(prefix="claimdesk-encode-models-"))
    served = prepare_onnx(work / "cache")
    graph = onnx.load(str(served / "encoder.onnx"))
    matmuls = [n.name for n in graph.graph.node if n.op_type == "MatMul"]
    variants = {"onnx fp32, batch 64": (served, 64), "onnx fp32, batch 16": (served, 16)}
    for name, exclude in {"onnx int8 (all MatMuls), batch 16": [],
                          "onnx int8 (output projections fp32), batch 16":
                              [n for n in matmuls if n.endswith("output/dense/MatMul")]}.items():
        folder = work / name.replace(" ", "_").replace(",", "").replace("(", "").replace(")", "")
        folder.mkdir()
        shutil.copy(served / "tokenizer.json", folder / "tokenizer.json")
        quantize_dynamic(str(served / "encoder.onnx"), str(folder / "encoder.onnx"), weight_type=QuantType.QInt8,
                         per_channel=True, nodes_to_exclude=exclude)
        variants[name] = (folder, 16)

    torch.set_num_threads(2)
    model = SentenceTransformer(str(base_model_path()), device="cpu")
    torch_rate, reference = rate(lambda t: model.encode(t, batch_size=64, normalize_embeddings=True), texts)
    results = {"passages": len(texts), "torch sentence-transformers, batch 64": {"passages_per_s": round(torch_rate)}}
    fp32_hits = None
    for name, (folder, batch) in variants.items():
        encoder = OnnxEncoder(folder, f"bench-{name}", batch_size=batch)
        speed, vectors = rate(encoder.encode, texts)
        cosine = np.sum(reference * vectors, axis=1)
        hits = {f.name: hit_at_5(f, encoder) for f in folders}
        fp32_hits = fp32_hits or hits
        results[name] = {"passages_per_s": round(speed), "x_torch": round(speed / torch_rate, 2),
                         "cosine_mean": round(float(cosine.mean()), 5), "cosine_min": round(float(cosine.min()), 4),
                         "hit@5": hits, "hit@5_change": {k: round(hits[k] - fp32_hits[k], 4) for k in hits}}
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
