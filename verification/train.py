"""Train Claimdesk's stance cross-encoder (premise = evidence, hypothesis = claim).

Reproducible: fixed seeds, fixed data files, every hyper-parameter on the command line and written
to ``train_log.json`` beside the weights. Run with ``make train-stance`` (CPU) or on a GPU box with
the same command. Export for CPU inference afterwards with ``python -m verification.export``.

Recipe (why each step):
1. General NLI on VitaminC (contrastive evidence whose numbers and dates change, close to news
   fact-checking) plus a SNLI subset (broad entailment signal).
2. Domain fine-tune on the *train* fold of the shared dev pairs (see devsplit), with VitaminC replay
   so the model does not forget number/date contrasts, and class weights because REFUTES is rare.
Metrics are reported on the held-out fold only.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")
LABEL_ID = {name: i for i, name in enumerate(LABELS)}


def read_train_file(path: Path, limit: int | None, rng: random.Random) -> list[tuple[str, str, int]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rng.shuffle(rows)
    if limit is not None:
        rows = rows[:limit]
    return [(row["p"], row["h"], LABEL_ID[row["l"]]) for row in rows if row["l"] in LABEL_ID]


def read_dev_pairs(eval_dir: Path, fold: str) -> list[tuple[str, str, int]]:
    from verification.devsplit import fold_of

    pairs = []
    for name in ("climate_fever", "check_covid"):
        with open(eval_dir / name / "pairs.jsonl", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if fold_of(row["claim_id"]) == fold:
                    pairs.append((row["evidence"], row["claim"], LABEL_ID[row["label"]]))
    return pairs


def dev_pairs_by_set(eval_dir: Path, fold: str) -> dict[str, list[tuple[str, str, int]]]:
    from verification.devsplit import fold_of

    out: dict[str, list[tuple[str, str, int]]] = {}
    for name in ("climate_fever", "check_covid"):
        with open(eval_dir / name / "pairs.jsonl", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        out[name] = [
            (r["evidence"], r["claim"], LABEL_ID[r["label"]]) for r in rows if fold_of(r["claim_id"]) == fold
        ]
    return out


def batches(pairs, batch_size: int, rng: random.Random):
    """Length-bucketed batches: similar lengths together cut padding, which is most of CPU time."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]) + rng.random() * 40)
    chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(chunks)
    for chunk in chunks:
        yield [pairs[i] for i in chunk]


def evaluate(model, tokenizer, pairs, max_length: int) -> dict:
    import torch

    from verification.metrics import classification_report

    model.eval()
    predictions = []
    with torch.inference_mode():
        for start in range(0, len(pairs), 64):
            chunk = pairs[start : start + 64]
            enc = tokenizer(
                [p for p, _, _ in chunk], [h for _, h, _ in chunk],
                truncation=True, max_length=max_length, padding=True, return_tensors="pt",
            )
            predictions.extend(model(**enc).logits.argmax(-1).tolist())
    model.train()
    gold = [LABELS[y] for _, _, y in pairs]
    return classification_report(gold, [LABELS[p] for p in predictions], LABELS)


def run_epoch(model, tokenizer, optimizer, scheduler, pairs, args, rng, weights, log_every=200):
    import torch

    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    step, seen, started = 0, 0, time.time()
    for batch in batches(pairs, args.batch_size, rng):
        enc = tokenizer(
            [p for p, _, _ in batch], [h for _, h, _ in batch],
            truncation=True, max_length=args.max_length, padding=True, return_tensors="pt",
        )
        labels = torch.tensor([y for _, _, y in batch])
        loss = loss_fn(model(**enc).logits, labels)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        seen += len(batch)
        if step % log_every == 0:
            rate = seen / (time.time() - started)
            print(f"  step {step} loss {loss.item():.3f} {rate:.0f} pairs/s", flush=True)


def train_stage(model, tokenizer, pairs, epochs, lr, args, rng, weights):
    import torch
    from transformers import get_linear_schedule_with_warmup

    total_steps = epochs * ((len(pairs) + args.batch_size - 1) // args.batch_size)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total_steps), total_steps)
    for epoch in range(epochs):
        print(f" epoch {epoch + 1}/{epochs}: {len(pairs)} pairs", flush=True)
        run_epoch(model, tokenizer, optimizer, scheduler, pairs, args, rng, weights)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("runs/stance"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--vitaminc", type=int, default=55_197, help="VitaminC pairs in stage 1")
    parser.add_argument("--snli", type=int, default=20_000, help="SNLI pairs in stage 1")
    parser.add_argument("--stage1-epochs", type=int, default=1)
    parser.add_argument("--stage1-lr", type=float, default=4e-5)
    parser.add_argument("--stage2-epochs", type=int, default=3)
    parser.add_argument("--stage2-lr", type=float, default=2e-5)
    parser.add_argument("--replay", type=int, default=4_000, help="VitaminC pairs replayed in stage 2")
    parser.add_argument("--refutes-weight", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from claimdesk.offline import enforce_offline

    enforce_offline()
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from retrieval.encoder import base_model_path

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)

    base = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id=LABEL_ID
    )
    model.train()

    train_dir, eval_dir = args.data / "train", args.data / "eval"
    vitaminc = read_train_file(train_dir / "vitaminc_real_synthetic.jsonl.gz", None, rng)
    snli = read_train_file(train_dir / "snli_train_100k.jsonl.gz", args.snli, rng)
    heldout = dev_pairs_by_set(eval_dir, "heldout")
    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "stages": []}
    started = time.time()

    stage1 = vitaminc[: args.vitaminc] + snli
    print(f"stage 1: {len(stage1)} pairs (VitaminC {min(args.vitaminc, len(vitaminc))}, SNLI {len(snli)})")
    train_stage(model, tokenizer, stage1, args.stage1_epochs, args.stage1_lr, args, rng, None)
    metrics = {name: evaluate(model, tokenizer, pairs, args.max_length) for name, pairs in heldout.items()}
    log["stages"].append({"stage": "nli", "heldout": metrics, "elapsed_s": round(time.time() - started)})
    print(json.dumps({k: v["macro_f1"] for k, v in metrics.items()}), flush=True)

    dev_train = read_dev_pairs(eval_dir, "train")
    replay = rng.sample(vitaminc, min(args.replay, len(vitaminc)))
    weights = torch.tensor([1.0, args.refutes_weight, 1.0])
    print(f"stage 2: {len(dev_train)} dev-train pairs + {len(replay)} replay")
    train_stage(model, tokenizer, dev_train + replay, args.stage2_epochs, args.stage2_lr, args, rng, weights)
    metrics = {name: evaluate(model, tokenizer, pairs, args.max_length) for name, pairs in heldout.items()}
    log["stages"].append({"stage": "domain", "heldout": metrics, "elapsed_s": round(time.time() - started)})
    print(json.dumps({k: v["macro_f1"] for k, v in metrics.items()}), flush=True)

    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    (args.out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    print(f"saved to {args.out} in {time.time() - started:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
