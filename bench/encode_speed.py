"""Corpus encoding throughput against sentence-transformers on torch, in the same run, and what each faster
variant does to retrieval quality (hit@5, hybrid) on the dev sets.

    .venv/bin/python bench/encode_speed.py ../shared/data/eval/climate_fever ../shared/data/eval/check_covid

Variants: the served ONNX fp32 export at batch 64 and 16 (the encoder sorts texts by length, so smaller
batches pad less), int8 dynamic quantisation of it (every MatMul, or all but the two output projections of
each layer), and the torch model under bf16 autocast, which embeds the corpus while the claims stay fp32
(the product's ``CLAIMDESK_INDEX_PRECISION=auto`` on a CPU with native bf16). Speed is measured on the first
dev set's passages (title + window, as indexed).
"""

from __future__ import annotations

import json
import shutil
import statistics
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


def hit_at_5(folder: Path, encoder, query_encoder=None) -> float:
    """hit@5 of the hybrid search when ``encoder`` embeds the corpus and ``query_encoder`` (default: the same)
    the claims."""
    from claimdesk.pipeline import corpus_searcher
    from evaluation.devset import DevSet
    from evaluation.retrieval import retrieval_report, search_rankings
    from retrieval.search import Searcher

    dev = DevSet.read(folder)
    work = Path(tempfile.mkdtemp(prefix="claimdesk-encode-"))
    # "fp32": embed with exactly this encoder
    index = corpus_searcher(dev.documents(), work, encoder, precision="fp32").index
    rankings = search_rankings(Searcher(index, query_encoder or encoder, "hybrid"), list(dev.claims))
    shutil.rmtree(work, ignore_errors=True)
    return retrieval_report(rankings, dev.gold())["hit@5"]


def main(folders: list[str]) -> int:
    from retrieval.offline import enforce_offline

    enforce_offline()
    import onnx
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import SentenceTransformer

    from retrieval.corpus import load_corpus
    from retrieval.encoder import OnnxEncoder, encoder_weights, prepare_onnx
    from retrieval.index import passage_text
    from retrieval.passages import passages_of

    folders = [Path(f) for f in folders]
    documents, _ = load_corpus(folders[0] / "corpus.jsonl")
    texts = [passage_text(p) for d in documents for p in passages_of(d)][:1500]
    work = Path(tempfile.mkdtemp(prefix="claimdesk-encode-models-"))
    weights = encoder_weights(work / "cache")  # the product's encoder: MiniLM with the retrieval fine-tune
    served = prepare_onnx(work / "cache", weights)
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
    model = SentenceTransformer(str(weights.path), device="cpu")
    torch_rate, reference = rate(lambda t: model.encode(t, batch_size=64, normalize_embeddings=True), texts)
    results = {"passages": len(texts), "torch sentence-transformers, batch 64": {"passages_per_s": round(torch_rate)}}
    fp32_hits = None
    for name, (folder, batch) in variants.items():
        encoder = OnnxEncoder(folder, weights, batch_size=batch)
        speed, vectors = rate(encoder.encode, texts)
        cosine = np.sum(reference * vectors, axis=1)
        hits = {f.name: hit_at_5(f, encoder) for f in folders}
        fp32_hits = fp32_hits or hits
        results[name] = {"passages_per_s": round(speed), "x_torch": round(speed / torch_rate, 2),
                         "cosine_mean": round(float(cosine.mean()), 5), "cosine_min": round(float(cosine.min()), 4),
                         "hit@5": hits, "hit@5_change": {k: round(hits[k] - fp32_hits[k], 4) for k in hits}}
        print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    from retrieval.encoder import Bf16TorchEncoder, native_bf16

    name = "torch bf16 autocast, batch 64 (corpus; claims fp32)"
    bf16 = Bf16TorchEncoder(batch_size=64, weights=weights)
    _, vectors = rate(bf16.encode, texts)
    cosine = np.sum(reference * vectors, axis=1)
    # Rounds alternate the two torch runs, so drift in the machine's speed hits both alike: median ratio.
    speeds, ratios = [], []
    for _ in range(3):
        started = time.perf_counter()
        model.encode(texts, batch_size=64, normalize_embeddings=True)
        fp32_seconds = time.perf_counter() - started
        started = time.perf_counter()
        bf16.encode(texts)
        bf16_seconds = time.perf_counter() - started
        speeds.append(len(texts) / bf16_seconds)
        ratios.append(fp32_seconds / bf16_seconds)
    speed, ratio = statistics.median(speeds), statistics.median(ratios)
    claims_fp32 = OnnxEncoder(served, weights, batch_size=16)
    hits = {f.name: hit_at_5(f, bf16, claims_fp32) for f in folders}
    results[name] = {"passages_per_s": round(speed), "x_torch": round(ratio, 2), "x_torch_rounds":
                     [round(r, 2) for r in ratios], "cosine_mean": round(float(cosine.mean()), 5),
                     "cosine_min": round(float(cosine.min()), 5),
                     "hit@5": hits, "hit@5_change": {k: round(hits[k] - fp32_hits[k], 4) for k in hits},
                     "native_bf16": native_bf16()}
    print(name, json.dumps(results[name]), file=sys.stderr, flush=True)
    print(json.dumps(results, indent=1))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
