"""Stance throughput on CPU: the shipped ONNX model against the same checkpoint in plain PyTorch.

    .venv/bin/python bench/stance_speed.py [--checkpoint runs/stance] [--pairs 512] [--runs 3]

Both score the same held-out dev pairs (premise = evidence, hypothesis = claim) with the same tokenizer
and thread count: PyTorch in length-sorted batches of 8, ONNX one pair per run on one thread per core.
We report median pairs/s and the macro-F1 of each, so a speed gain that costs quality shows in the same
table. Needs the training output (``make train-stance``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TORCH_BATCH = 8  # PyTorch's best batch size here (length-sorted): its baseline gets its own best setting
sys.path.insert(0, str(REPO))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", type=Path, default=REPO / "runs" / "stance")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--pairs", type=int, default=512)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    if not (args.checkpoint / "config.json").exists():
        raise SystemExit(f"{args.checkpoint}: no PyTorch checkpoint; run `make train-stance` first")

    from retrieval.offline import enforce_offline

    enforce_offline()
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from evaluation.metrics import classification_report
    from training.stance import LABELS, dev_pairs_by_set
    from verification.stance import OnnxStanceModel

    torch.set_num_threads(args.threads)
    heldout = dev_pairs_by_set(args.data / "eval", "heldout")
    pairs = [p for rows in heldout.values() for p in rows][: args.pairs]
    texts = [(p, h) for p, h, _ in pairs]
    gold = [LABELS[y] for _, _, y in pairs]

    onnx_model = OnnxStanceModel(threads=args.threads)
    tokenizer = AutoTokenizer.from_pretrained(args.checkpoint)
    torch_model = AutoModelForSequenceClassification.from_pretrained(args.checkpoint).eval()
    max_length = int(onnx_model.manifest.get("max_length", 128))

    def torch_predict(batch_pairs):
        order = sorted(range(len(batch_pairs)), key=lambda i: len(batch_pairs[i][0]) + len(batch_pairs[i][1]))
        out = np.zeros((len(batch_pairs), 3), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(order), TORCH_BATCH):
                chunk = order[start : start + TORCH_BATCH]
                enc = tokenizer([batch_pairs[i][0] for i in chunk], [batch_pairs[i][1] for i in chunk],
                                truncation=True, max_length=max_length, padding=True, return_tensors="pt")
                out[chunk] = torch.softmax(torch_model(**enc).logits, dim=-1).numpy()
        return out

    results = {}
    for name, predict in (("pytorch", torch_predict), ("onnx", onnx_model.predict)):
        predict(texts[:32])  # warm-up
        rates = []
        for _ in range(args.runs):
            start = time.perf_counter()
            probs = predict(texts)
            rates.append(len(texts) / (time.perf_counter() - start))
        predicted = [LABELS[i] for i in probs.argmax(axis=1)]
        results[name] = {
            "pairs_per_s_median": round(statistics.median(rates), 1),
            "macro_f1": classification_report(gold, predicted, LABELS)["macro_f1"],
        }
    results["speedup"] = round(results["onnx"]["pairs_per_s_median"] / results["pytorch"]["pairs_per_s_median"], 2)
    results["macro_f1_delta"] = round(results["onnx"]["macro_f1"] - results["pytorch"]["macro_f1"], 4)
    results["quantized"] = bool(onnx_model.manifest.get("quantized"))
    results["pairs"] = len(texts)
    results["threads"] = args.threads
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
