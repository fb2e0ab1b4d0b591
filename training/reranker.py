"""Train the evidence reranker: a cross-encoder that scores how well a passage decides a claim.

    python -m training.reranker --out runs/reranker [--init runs/stance] [--ship retrieval/reranker]

The model it ships runs in retrieval (``retrieval/rerank.py``); the training lives here, after both stages,
because it starts from the stance checkpoint and fits the rerank score together with the stance model.

Why: the hybrid search finds the gold passage in its top 30 for most claims but often ranks it below 5
(bench/RESULTS.md). A cross-encoder reads claim and passage together, so it can put the deciding passage
above ones that merely share words or topic.

Data: the *train* fold of the Climate-FEVER and Check-COVID dev claims (evaluation/devset.py). For each
claim with gold evidence, the hybrid search's top ``--depth`` passages from its dev corpus are candidates:
gold passages are positives, the rest are hard negatives (same topic, retrieved, but not the evidence).
Gold passages the search missed are added as positives. The epoch, the rerank depth and the weight of the
search's own rank are chosen on the *calibrate* fold; figures are reported on the *held-out* fold only.

Reproducible: fixed seed, fixed data, every hyper-parameter on the command line and in ``train_log.json``.
``--init runs/stance`` starts from the stance model's checkpoint (``make train-stance``), which already reads
claim–evidence pairs; ``--init base`` starts from the packaged MiniLM.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from retrieval.rerank import RerankWeights

DEV_SETS = ("climate_fever", "check_covid")
DEPTHS = (10, 20, 30)
RANK_WEIGHTS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)


def candidates(data: Path, depth: int, encoder_model: str = "tuned") -> dict[str, list[dict]]:
    """Per dev set: one row per claim with gold evidence, holding its fold and its top-``depth`` passages
    from the hybrid search with ``encoder_model`` ("tuned", the product's encoder, or "base")."""
    from claimdesk.pipeline import corpus_searcher
    from evaluation.devset import DevSet
    from retrieval.encoder import load_encoder
    from retrieval.index import passage_text
    from retrieval.passages import passages_of
    from retrieval.search import SearchFilters

    out: dict[str, list[dict]] = {}
    work = Path(tempfile.mkdtemp(prefix="claimdesk-reranker-"))
    encoder = load_encoder(work / "models", model=encoder_model)
    for name in DEV_SETS:
        dev = DevSet.read(data / "eval" / name)
        claims = [c for c in dev.claims if c.get("evidence_ids")]
        corpus = dev.documents()
        found = corpus_searcher(corpus, work / name, encoder).search([c["claim"] for c in claims], depth,
                                                                    SearchFilters())
        documents = {d.id: d for d in corpus}
        split = dev.split
        rows = []
        for claim, evidence in zip(claims, found):
            gold = set(claim["evidence_ids"])
            items = [candidate(e, gold) for e in evidence]
            missing = gold - {i for item in items for i in item["ids"]}
            extra = [{"text": passage_text(p), "passage": p.text, "ids": [doc_id], "gold": True, "rank": None}
                     for doc_id in sorted(missing) if doc_id in documents for p in passages_of(documents[doc_id])[:1]]
            rows.append({"id": claim["id"], "claim": claim["claim"], "fold": split.fold(claim["id"]),
                         "gold": sorted(gold), "retrieved": items, "missing_gold": extra})
        out[name] = rows
    return out


def candidate(evidence, gold: set[str]) -> dict:
    """One retrieved passage as a training and fitting row. "text" is what the reranker reads (title first, as
    indexed); "passage" is what the stance model reads in the product (the passage alone)."""
    from retrieval.index import passage_text

    ids = {evidence.passage.doc_id, *(d.split("#")[0] for d in evidence.duplicates)}
    return {"text": passage_text(evidence.passage), "passage": evidence.passage.text, "ids": sorted(ids),
            "gold": bool(ids & gold), "rank": evidence.rank}


def listwise_groups(sets: dict[str, list[dict]], size: int, rng) -> list[list[tuple[str, str, float]]]:
    """One group per gold passage of every training claim: the gold first, then ``size - 1`` of the claim's
    retrieved non-gold passages drawn at random. The reranker's job is an order within one claim's candidates,
    so the listwise loss compares a gold only with passages retrieved for the same claim; the pointwise loss
    instead asks for one threshold that holds across claims. Claims with too few negatives are left out."""
    groups = []
    for rows in sets.values():
        for row in rows:
            negatives = [item["text"] for item in row["retrieved"] if not item["gold"]]
            if len(negatives) < size - 1:
                continue
            for item in row["retrieved"] + row["missing_gold"]:
                if item["gold"]:
                    picked = rng.sample(negatives, size - 1)
                    groups.append([(item["text"], row["claim"], 1.0)] + [(n, row["claim"], 0.0) for n in picked])
    rng.shuffle(groups)
    return groups


def hit_at_5(rows: list[dict], depth: int, weights: RerankWeights | None = None,
             logits: list[list[float]] | None = None, relevance: list[list[float]] | None = None) -> float:
    """hit@5 after reordering each claim's top ``depth`` passages by the product's rerank policy (``weights``;
    None keeps the search order)."""
    hits = 0
    for index, row in enumerate(rows):
        items = row["retrieved"][:depth]
        if weights is None:
            order = list(range(len(items)))
        else:
            order = weights.order([item["rank"] for item in items], None if logits is None else logits[index],
                                  None if relevance is None else relevance[index])
        seen: list[str] = []
        for i in order:
            for doc_id in items[i]["ids"]:
                if doc_id not in seen:
                    seen.append(doc_id)
        hits += bool(set(seen[:5]) & set(row["gold"]))
    return hits / len(rows) if rows else 0.0


def stance_relevance(stance, rows: list[dict]) -> list[list[float]]:
    """1 − P(NEI) per retrieved passage, with the stance model reading what it reads in the product: the passage
    without its title (claimdesk.pipeline judges ``passage.text``). Fitted on titled text, the weights would
    suit inputs the product never gives it."""
    from verification.types import STANCES

    pairs = [(item["passage"], row["claim"]) for row in rows for item in row["retrieved"]]
    return per_claim(rows, (1.0 - stance.predict(pairs)[:, STANCES.index("NOT_ENOUGH_INFO")]).tolist())


def per_claim(rows: list[dict], flat: list[float]) -> list[list[float]]:
    """Split scores of all rows' retrieved passages, in order, back into one list per claim."""
    out, cursor = [], 0
    for row in rows:
        out.append(flat[cursor : cursor + len(row["retrieved"])])
        cursor += len(row["retrieved"])
    return out


def score_rows(model, tokenizer, rows, max_length: int) -> list[list[float]]:
    import torch

    model.eval()
    pairs = [(item["text"], row["claim"]) for row in rows for item in row["retrieved"]]
    logits: list[float] = []
    with torch.inference_mode():
        for start in range(0, len(pairs), 64):
            chunk = pairs[start : start + 64]
            enc = tokenizer([p for p, _ in chunk], [c for _, c in chunk], truncation=True,
                            max_length=max_length, padding=True, return_tensors="pt")
            logits.extend(model(**enc).logits[:, 0].tolist())
    model.train()
    return per_claim(rows, logits)


def best_setting(sets: dict[str, list[dict]], scores: dict[str, list[list[float]]]) -> tuple[int, float, float]:
    """(depth, rank weight, mean hit@5) that do best on these rows, over both dev sets."""
    best = (0, 0.0, -1.0)
    for depth in DEPTHS:
        for weight in RANK_WEIGHTS:
            value = sum(hit_at_5(sets[n], depth, RerankWeights(rank=weight), scores[n]) for n in sets) / len(sets)
            if value > best[2] + 1e-9:
                best = (depth, weight, value)
    return best


COMBINE_GRID = {"reranker": (0.0, 0.5, 1.0), "stance_relevance": (0.0, 1.0, 2.0, 4.0, 8.0),
                "rank": (0.0, 1.0, 2.0, 4.0, 8.0), "depth": DEPTHS}


def fit_combination(sets: dict[str, list[dict]], learned: dict, relevance: dict) -> dict:
    """Weights of the product's rerank score, a·reranker logit + b·stance relevance (1 − P(NEI)) + w / search
    rank, over the top ``depth``: the grid point with the best mean hit@5 on these (calibrate-fold) rows."""
    import itertools

    best: dict = {"hit@5": -1.0}
    for a, b, w, depth in itertools.product(*COMBINE_GRID.values()):
        if a == 0 and b == 0:
            continue
        weights = RerankWeights(a, b, w)
        value = sum(hit_at_5(rows, depth, weights, learned[n], relevance[n]) for n, rows in sets.items()) / len(sets)
        if value > best["hit@5"] + 1e-9:
            best = {"reranker": a, "stance_relevance": b, "rank": w, "depth": depth, "hit@5": round(value, 4)}
    return best


def export_onnx(checkpoint: Path, target: Path) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, dtype=torch.float32).eval()
    model.config.return_dict = False
    sample = torch.ones((1, 16), dtype=torch.long)
    names = ["input_ids", "attention_mask", "token_type_ids"]
    dynamic = {name: {0: "batch", 1: "sequence"} for name in names} | {"logits": {0: "batch"}}
    torch.onnx.export(model, (sample, sample, torch.zeros_like(sample)), str(target), input_names=names,
                      output_names=["logits"], dynamic_axes=dynamic, opset_version=17, dynamo=False)


def ship(checkpoint: Path, target: Path, fold: dict, chosen: dict, max_length: int, max_loss: float) -> dict:
    """Export to ONNX, quantise to int8 (per channel) if calibrate-fold hit@5 drops by at most ``max_loss``,
    and write the model, its tokenizer and a manifest (hash, depth, rank weight, figures) to ``target``.
    The held-out figures are recorded for the model card and play no part in the choice."""
    import shutil

    from onnxruntime.quantization import QuantType, quantize_dynamic

    from common.model_files import sha256_of
    from evaluation import devset
    from retrieval.rerank import OnnxReranker

    work = Path(tempfile.mkdtemp(prefix="claimdesk-reranker-export-"))
    export_onnx(checkpoint, work / "fp32.onnx")
    quantize_dynamic(str(work / "fp32.onnx"), str(work / "int8.onnx"), weight_type=QuantType.QInt8,
                     per_channel=True)
    depth, weight = chosen["depth"], chosen["rank_weight"]
    figures = {}
    for name in ("fp32", "int8"):
        folder = work / name
        folder.mkdir()
        shutil.copy(work / f"{name}.onnx", folder / "reranker.onnx")
        shutil.copy(checkpoint / "tokenizer.json", folder / "tokenizer.json")
        _write_manifest(folder, {"max_length": max_length})
        model = OnnxReranker(folder)
        for fold_name in ("calibrate", "heldout"):
            for set_name, rows in fold[fold_name].items():
                pairs = [(item["text"], row["claim"]) for row in rows for item in row["retrieved"]]
                scores = per_claim(rows, model.scores(pairs).tolist())
                figures.setdefault(fold_name, {}).setdefault(name, {})[set_name] = round(
                    hit_at_5(rows, depth, RerankWeights(rank=weight), scores), 4)
    calibrate = figures["calibrate"]
    loss = max(calibrate["fp32"][n] - calibrate["int8"][n] for n in calibrate["fp32"])
    chosen_file = "int8" if loss <= max_loss + 1e-9 else "fp32"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(work / f"{chosen_file}.onnx", target / "reranker.onnx")
    shutil.copy(checkpoint / "tokenizer.json", target / "tokenizer.json")
    manifest = _write_manifest(target, {"max_length": max_length})

    # The product reranks with both cross-encoders: the stance model's relevance is computed for every
    # candidate anyway. Their weights are fitted here, on the calibrate fold, with the shipped stance model.
    from verification.stance import OnnxStanceModel

    reranker, stance = OnnxReranker(target), OnnxStanceModel()
    learned, relevance = {}, {}
    for set_name, rows in fold["calibrate"].items():
        pairs = [(item["text"], row["claim"]) for row in rows for item in row["retrieved"]]
        learned[set_name] = per_claim(rows, reranker.scores(pairs).tolist())
        relevance[set_name] = stance_relevance(stance, rows)
    combine = fit_combination(fold["calibrate"], learned, relevance)
    manifest = _write_manifest(target, {
        "max_length": max_length, "depth": combine["depth"], "combine": combine,
        "stance_model_sha256": stance.manifest["sha256"], "quantized": chosen_file == "int8",
        "reranker_alone": {"depth": depth, "rank_weight": weight,
                           "hit@5_fp32_vs_int8": {"calibrate": figures["calibrate"], "heldout": figures["heldout"]}},
        "chosen_epoch": chosen["epoch"],
        # Which dev split the calibrate and held-out folds above came from (evaluation/devset.py).
        "dev_split_version": devset.VERSION,
    })
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps({"hit@5": figures, "shipped": chosen_file, "combine": combine,
                      "sha256": sha256_of(target / "reranker.onnx")[:12]}), flush=True)
    return manifest


def _write_manifest(folder: Path, extra: dict) -> dict:
    from common.model_files import sha256_of

    manifest = {"file": "reranker.onnx", "sha256": sha256_of(folder / "reranker.onnx"),
                "inputs": "first = passage (title. text), second = claim", "output": "relevance logit", **extra}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--init", default="runs/stance", help="a checkpoint folder, or 'base' for the packaged MiniLM")
    parser.add_argument("--out", type=Path, default=Path("runs/reranker"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--depth", type=int, default=max(DEPTHS), help="candidates per claim, for training")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=3e-5)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--loss", choices=("pointwise", "listwise"), default="pointwise",
                        help="pointwise: weighted BCE per pair; listwise: softmax over a gold and its negatives")
    parser.add_argument("--group-size", type=int, default=8, help="listwise: a gold and group-size - 1 negatives")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--ship", type=Path, default=None,
                        help="also export the chosen epoch for CPU inference here (e.g. retrieval/reranker)")
    parser.add_argument("--max-int8-loss", type=float, default=0.01, help="calibrate-fold hit@5 int8 may lose")
    parser.add_argument("--ship-only", action="store_true", help="skip training: ship the model already in --out")
    args = parser.parse_args(argv)
    if args.loss == "listwise" and not 2 <= args.group_size <= args.depth:
        raise SystemExit(f"--group-size must be between 2 and --depth ({args.depth}): a gold and its negatives")
    if args.ship_only:
        from retrieval.offline import enforce_offline

        enforce_offline()
        chosen = json.loads((args.out / "train_log.json").read_text(encoding="utf-8"))["chosen"]
        data = candidates(args.data, args.depth)
        fold = {f: {n: [r for r in rows if r["fold"] == f] for n, rows in data.items()}
                for f in ("calibrate", "heldout")}
        ship(args.out, args.ship or Path("retrieval/reranker"), fold, chosen, args.max_length, args.max_int8_loss)
        return 0

    from retrieval.offline import enforce_offline

    enforce_offline()
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from training.loop import fit
    from training.stance import seed_everything

    rng = seed_everything(args.seed, args.threads)
    started = time.time()

    if args.init == "base":
        from retrieval.encoder import base_model_path

        init = base_model_path()
    else:
        init = Path(args.init)
        if not (init / "config.json").exists():
            raise SystemExit(f"{init}: no checkpoint; run `make train-stance` first, or pass --init base")
    tokenizer = AutoTokenizer.from_pretrained(init)
    # One relevance logit. From the stance checkpoint the 3-way head is replaced; the encoder is kept.
    model = AutoModelForSequenceClassification.from_pretrained(
        init, num_labels=1, ignore_mismatched_sizes=True, dtype=torch.float32).float()
    model.train()

    data = candidates(args.data, args.depth)
    fold = {f: {n: [r for r in rows if r["fold"] == f] for n, rows in data.items()}
            for f in ("train", "calibrate", "heldout")}
    pairs = [(item["text"], row["claim"], float(item["gold"]))
             for rows in fold["train"].values() for row in rows
             for item in row["retrieved"] + row["missing_gold"]]
    positives = sum(1 for *_, y in pairs if y)
    print(f"training pairs: {len(pairs)} ({positives} gold) from "
          f"{sum(len(r) for r in fold['train'].values())} claims", flush=True)

    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "pairs": len(pairs), "positives": positives,
                 "search_only": {f: {n: round(hit_at_5(rows, 5), 4) for n, rows in sets.items()}
                                 for f, sets in fold.items()},
                 "epochs": []}
    print("search only, hit@5:", json.dumps(log["search_only"]), flush=True)

    # Gold passages are about 1 in 10: weight them up so the loss does not settle for "never evidence".
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor((len(pairs) - positives) / max(positives, 1)))
    if args.loss == "listwise":
        groups_per_batch = max(1, args.batch_size // args.group_size)
        # A draw only to count the steps (its groups are not trained on). Counting without it would change the
        # random stream, and a recorded run would no longer repeat.
        per_epoch = len(listwise_groups(fold["train"], args.group_size, rng))
        steps = args.epochs * ((per_epoch + groups_per_batch - 1) // groups_per_batch)
    else:
        steps = args.epochs * ((len(pairs) + args.batch_size - 1) // args.batch_size)
    best: dict = {"score": -1.0}

    def epoch_batches(epoch: int):
        if args.loss == "listwise":
            # Fresh negatives every epoch; a batch holds whole groups, each scored against its own members only.
            groups = listwise_groups(fold["train"], args.group_size, rng)
            return [[pair for group in groups[i : i + groups_per_batch] for pair in group]
                    for i in range(0, len(groups), groups_per_batch)]
        rng.shuffle(pairs)
        return [pairs[i : i + args.batch_size] for i in range(0, len(pairs), args.batch_size)]

    def loss_of(batch):
        enc = tokenizer([p for p, _, _ in batch], [c for _, c, _ in batch], truncation=True,
                        max_length=args.max_length, padding=True, return_tensors="pt")
        logits = model(**enc).logits[:, 0]
        if args.loss == "listwise":
            # Each group is [gold, negative, ...]: cross-entropy of picking the gold among them.
            return torch.nn.functional.cross_entropy(
                logits.view(-1, args.group_size), torch.zeros(len(batch) // args.group_size, dtype=torch.long))
        return loss_fn(logits, torch.tensor([y for *_, y in batch]))

    def after_epoch(epoch: int, _loss: float) -> None:
        calibrate_scores = {n: score_rows(model, tokenizer, rows, args.max_length)
                            for n, rows in fold["calibrate"].items()}
        depth, weight, value = best_setting(fold["calibrate"], calibrate_scores)
        heldout_scores = {n: score_rows(model, tokenizer, rows, args.max_length)
                          for n, rows in fold["heldout"].items()}
        weights = RerankWeights(rank=weight)
        entry = {"epoch": epoch, "depth": depth, "rank_weight": weight,
                 "calibrate": {n: round(hit_at_5(rows, depth, weights, calibrate_scores[n]), 4)
                               for n, rows in fold["calibrate"].items()},
                 "heldout": {n: round(hit_at_5(rows, depth, weights, heldout_scores[n]), 4)
                             for n, rows in fold["heldout"].items()},
                 "elapsed_s": round(time.time() - started)}
        log["epochs"].append(entry)
        print(json.dumps(entry), flush=True)
        if value > best["score"]:
            best.update({"score": value, "entry": entry,
                         "state": {k: v.detach().clone() for k, v in model.state_dict().items()}})

    fit(model, epoch_batches, loss_of, epochs=args.epochs, lr=args.lr, total_steps=steps, warmup=0.06,
        after_epoch=after_epoch)

    model.load_state_dict(best["state"])
    log["chosen"] = best["entry"]
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    (args.out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    print(f"saved to {args.out} in {time.time() - started:.0f}s; kept epoch {best['entry']['epoch']}")
    if args.ship is not None:
        ship(args.out, args.ship, fold, best["entry"], args.max_length, args.max_int8_loss)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
