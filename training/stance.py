"""Train Claimdesk's stance cross-encoder (premise = evidence, hypothesis = claim).

Reproducible: fixed seeds, fixed data files, every hyper-parameter on the command line and written
to ``train_log.json`` beside the weights. Run with ``make train-stance`` on CPU, or the same command on a
GPU machine (``--device auto`` picks CUDA when there is one). Export for CPU inference afterwards with
``python -m training.export``.

Recipe (why each step):
1. General NLI on VitaminC (contrastive evidence whose numbers and dates change, close to news
   fact-checking) plus SNLI (broad entailment signal). ``--curriculum`` runs SNLI first and VitaminC
   after, so the last general signal the model sees is the contrastive one.
2. Domain fine-tune on the *train* fold of the shared dev pairs (see evaluation.devset), with VitaminC replay
   so the model does not forget number/date contrasts, and class weights (or focal loss) because
   REFUTES is rare. The epoch kept is the one with the best macro-F1 on the *calibrate* fold.
Metrics are reported on the held-out fold only; nothing is chosen by looking at it.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import time
from pathlib import Path

from training.loop import Budget, fit

LABELS = ("SUPPORTS", "REFUTES", "NOT_ENOUGH_INFO")
LABEL_ID = {name: i for i, name in enumerate(LABELS)}
DEV_SETS = ("climate_fever", "check_covid")


def read_train_file(path: Path, limit: int | None, rng: random.Random) -> list[tuple[str, str, int]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rng.shuffle(rows)
    if limit is not None:
        rows = rows[:limit]
    return [(row["p"], row["h"], LABEL_ID[row["l"]]) for row in rows if row["l"] in LABEL_ID]


# What each train_extra label allows, as a set of the three stances. A partial label constrains only what it
# says: NOT_SUPPORTS (a binary source) is refuted *or* not enough information, and WiCE's PARTIAL claim is not
# supported by the passage as a whole. FNC-1 pairs a headline with a whole article that the 128-token window
# cuts short, so there an agreeing or disagreeing article may not yet have said so in the part the model reads.
EXTRA_LABEL_SETS = {
    "partial": {
        "SUPPORTS": (0,), "REFUTES": (1,), "NOT_ENOUGH_INFO": (2,), "NOT_SUPPORTS": (1, 2), "PARTIAL": (1, 2),
        "DISCUSS": (2,), "UNRELATED": (2,),
    },
    # The same data forced onto one label each, to measure whether the partial loss is worth having.
    "map": {
        "SUPPORTS": (0,), "REFUTES": (1,), "NOT_ENOUGH_INFO": (2,), "NOT_SUPPORTS": (2,), "PARTIAL": (2,),
        "DISCUSS": (2,), "UNRELATED": (2,),
    },
}
FNC_WINDOW_SETS = {"SUPPORTS": (0, 2), "REFUTES": (1, 2)}


def read_extra(folder: Path, labels: str, per_source: int, rng: random.Random) -> tuple[list, dict]:
    """``train_extra`` pairs as (evidence, claim, allowed stances), at most ``per_source`` from each file, and the
    count taken from each. A file's labels are sampled evenly, so FNC-1's 18,000 UNRELATED pairs do not drown its
    2,600 that take a side."""
    allowed = EXTRA_LABEL_SETS[labels]
    pairs, counts = [], {}
    files = sorted(folder.glob("*.jsonl.gz"))
    if not files:
        raise SystemExit(f"{folder}: no *.jsonl.gz stance pairs (see ../shared/data/README.md)")
    for path in files:
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        by_label: dict[str, list[dict]] = {}
        for row in rows:
            if row.get("l") in allowed and row.get("p") and row.get("h"):
                by_label.setdefault(row["l"], []).append(row)
        for group in by_label.values():
            rng.shuffle(group)
        # Round-robin over labels until the cap: each label gets an equal share, a small one all it has.
        taken: list[dict] = []
        queues = [list(g) for _, g in sorted(by_label.items())]
        while queues and len(taken) < per_source:
            for queue in list(queues):
                if not queue:
                    queues.remove(queue)
                elif len(taken) < per_source:
                    taken.append(queue.pop())
        source = path.name.split(".")[0]
        for row in taken:
            label_set = allowed[row["l"]]
            if source == "fnc1" and labels == "partial":
                label_set = FNC_WINDOW_SETS.get(row["l"], label_set)
            pairs.append((row["p"], row["h"], tuple(k in label_set for k in range(3))))
        counts[source] = {label: sum(1 for r in taken if r["l"] == label) for label in sorted(by_label)}
    rng.shuffle(pairs)
    return pairs, counts


def set_loss(logits, allowed):
    """-log P(allowed stances): cross-entropy when one stance is allowed, a partial-label loss when several are."""
    import torch

    log_p = torch.log_softmax(logits.float(), -1)
    return -torch.logsumexp(log_p.masked_fill(~allowed, float("-inf")), -1).mean()


def dev_sets(eval_dir: Path) -> dict:
    """The dev sets the domain stage trains and is scored on (evaluation.devset), by name."""
    from evaluation.devset import DevSet

    return {name: DevSet.read(eval_dir / name) for name in DEV_SETS}


def dev_rows(eval_dir: Path) -> dict[str, list[dict]]:
    """Every gold pair of each dev set."""
    return {name: list(dev.pairs_in()) for name, dev in dev_sets(eval_dir).items()}


def as_pairs(rows: list[dict]) -> list[tuple[str, str, int]]:
    return [(r["evidence"], r["claim"], LABEL_ID[r["label"]]) for r in rows]


def dev_splits(eval_dir: Path):
    """Each dev set's folds (evaluation.devset), keyed like dev_rows."""
    return {name: dev.split for name, dev in dev_sets(eval_dir).items()}


def dev_pairs_by_set(eval_dir: Path, fold: str) -> dict[str, list[tuple[str, str, int]]]:
    return {name: as_pairs(dev.pairs_in(fold)) for name, dev in dev_sets(eval_dir).items()}


class DomainPlan:
    """Which dev claims the domain stage trains on, which it is scored on after each epoch, and which
    epoch it keeps.

    - Default: the *train* fold; scored on calibrate and held-out; keeps the best epoch on calibrate.
    - ``--domain-folds train,calibrate,heldout``: more of dev in training. A fold that is trained on is
      never scored (its figures would flatter the model), and with calibrate trained on there is nothing
      honest to choose an epoch on, so ``--keep-epoch`` must say which one (chosen by ``training.kfold``).
    - ``--kfold K --fold I``: trains on every dev claim outside k-fold part I and scores part I after each
      epoch, writing those out-of-fold probabilities to ``oof.jsonl``; ``training.kfold`` joins the parts.
    """

    def __init__(self, eval_dir: Path, args):
        from evaluation.devset import CALIBRATE, HELDOUT

        if args.keep_epoch is not None and not 1 <= args.keep_epoch <= args.stage2_epochs:
            raise SystemExit(f"--keep-epoch must be between 1 and --stage2-epochs ({args.stage2_epochs})")
        sets = dev_sets(eval_dir)
        # Rows carry their set's name, so that one predicate can ask each set's split about its own claims.
        rows = {name: [{**r, "set": name} for r in dev.pairs_in()] for name, dev in sets.items()}
        self.splits = splits = {name: dev.split for name, dev in sets.items()}
        if args.kfold is not None:
            if args.kfold < 2 or not 0 <= args.fold < args.kfold:
                raise SystemExit("--kfold needs at least 2 parts, and --fold must be one of them (0 to K-1)")
            def trains(r):
                return splits[r["set"]].part(r["claim_id"], args.kfold) != args.fold
            self.scored = {"oof": {name: [r for r in rs if not trains(r)] for name, rs in rows.items()}}
        else:
            folds = {f.strip() for f in args.domain_folds.split(",") if f.strip()}
            unknown = folds - {"train", CALIBRATE, HELDOUT}
            if unknown or not folds:
                raise SystemExit(f"--domain-folds takes train, calibrate and heldout, not {sorted(unknown)}")
            if CALIBRATE in folds and args.keep_epoch is None:
                raise SystemExit("training on the calibrate fold leaves no fold to choose an epoch on: "
                                 "give --keep-epoch (training.kfold chooses it)")
            def trains(r):
                return splits[r["set"]].fold(r["claim_id"]) in folds
            self.scored = {f: {name: [r for r in rs if splits[name].fold(r["claim_id"]) == f]
                               for name, rs in rows.items()}
                           for f in (CALIBRATE, HELDOUT) if f not in folds}
        self.train_rows = [r for rs in rows.values() for r in rs if trains(r)]
        self.train_by_set = {name: [r for r in rs if trains(r)] for name, rs in rows.items()}
        self.sibling_rows: dict[str, list[dict]] = {}
        per_claim = args.sibling_nei
        if per_claim < 0:
            raise SystemExit("--sibling-nei takes a count of pairs per training claim, 0 or more")
        for name in args.sibling_nei_sets.split(","):
            if per_claim and name.strip():
                if name.strip() not in rows:
                    raise SystemExit(f"--sibling-nei-sets takes {', '.join(DEV_SETS)}, not {name.strip()!r}")
                self.sibling_rows[name.strip()] = sibling_nei_rows(
                    eval_dir / name.strip(), self.train_by_set[name.strip()], per_claim, args.seed)
        self.keep_epoch = args.keep_epoch
        # Only the default plan chooses an epoch by itself; a k-fold part runs all of its epochs.
        self.choose_on = CALIBRATE if self.keep_epoch is None and not args.kfold else None
        self.sets = {fold: {name: as_pairs(rs) for name, rs in by_set.items()} for fold, by_set in self.scored.items()}

    def training_pairs(self, balance_sets: bool) -> list[tuple[str, str, int]]:
        """The domain pairs, each dev set repeated (whole copies, so no pair counts more than another of its
        set) until it is about as large as the largest: Climate-FEVER has four times Check-COVID's pairs, and
        without this the later epochs drift towards its label mix (63% NEI against 25%)."""
        by_set = {name: rs + self.sibling_rows.get(name, []) for name, rs in self.train_by_set.items()}
        if not balance_sets:
            return [pair for rs in by_set.values() for pair in as_pairs(rs)]
        largest = max(len(rs) for rs in by_set.values())
        return [pair for rs in by_set.values() if rs
                for pair in as_pairs(rs) * max(1, round(largest / len(rs)))]


def sibling_nei_rows(set_dir: Path, train_rows: list[dict], per_claim: int, seed: int) -> list[dict]:
    """NOT_ENOUGH_INFO pairs made from the other sentences of a training claim's evidence documents.

    Why: Check-COVID's own NOT_ENOUGH_INFO pairs are exactly this, a claim against another sentence of the
    abstract that decides it, and they are its weakest class (123 pairs in the train fold). The product meets the same
    case whenever retrieval returns the right paper's wrong sentence. A sibling that any pair, evidence list or
    related list of the claim's text names is left out, so no labelled passage is relabelled; one that decides
    the claim without being annotated stays a risk, which is why this is measured and not assumed."""
    from evaluation.devset import DevSet, claim_digest, dev_file_rows

    dev = DevSet.read(set_dir)
    corpus = dev_file_rows(set_dir, "corpus.jsonl")
    title_of = {row["id"]: row.get("title") or "" for row in corpus}
    by_title: dict[str, list[str]] = {}
    for row in corpus:
        by_title.setdefault(title_of[row["id"]], []).append(row["id"])
    text_of = {row["id"]: row["text"] for row in corpus}
    # Everything any id of a claim's text is labelled against, in every file: those passages keep their labels.
    named: dict[str, set[str]] = {}
    for row in dev.pairs_in():
        named.setdefault(claim_digest(row["claim"]), set()).add(row["evidence_id"])
    for row in dev.claims:
        named.setdefault(claim_digest(row["claim"]), set()).update(
            row.get("evidence_ids", []) + row.get("related_ids", []))
    rng = random.Random(f"sibling-nei:{seed}")
    out, done = [], set()
    for row in sorted(train_rows, key=lambda r: r["id"]):
        key = claim_digest(row["claim"])
        if key in done:
            continue
        done.add(key)
        titles = sorted({title_of[i] for i in named.get(key, ()) if title_of.get(i)})
        siblings = sorted({i for t in titles for i in by_title[t]} - named.get(key, set()))
        for i in rng.sample(siblings, min(per_claim, len(siblings))):
            out.append({"id": f"sibling:{row['claim_id']}:{i}", "claim_id": row["claim_id"], "claim": row["claim"],
                        "evidence_id": i, "evidence": text_of[i], "label": "NOT_ENOUGH_INFO"})
    return out


def batches(pairs, batch_size: int, rng: random.Random):
    """Length-bucketed batches: similar lengths together cut padding, which is most of CPU time."""
    order = sorted(range(len(pairs)), key=lambda i: len(pairs[i][0]) + len(pairs[i][1]) + rng.random() * 40)
    chunks = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng.shuffle(chunks)
    for chunk in chunks:
        yield [pairs[i] for i in chunk]


def predict_proba(model, tokenizer, pairs, max_length: int, device) -> list[list[float]]:
    import torch

    model.eval()
    out: list[list[float]] = []
    with torch.inference_mode():
        for start in range(0, len(pairs), 128):
            chunk = pairs[start : start + 128]
            enc = tokenizer(
                [p for p, _, _ in chunk], [h for _, h, _ in chunk],
                truncation=True, max_length=max_length, padding=True, return_tensors="pt",
            ).to(device)
            out.extend(torch.softmax(model(**enc).logits.float(), -1).cpu().tolist())
    model.train()
    return out


def read_score_pairs(path: Path) -> list[tuple[str, str, int]]:
    """[passage, claim] rows (JSONL, gzipped or not) as pairs for ``predict_proba``."""
    opener = gzip.open if path.suffix == ".gz" else open
    pairs = []
    with opener(path, "rt", encoding="utf-8") as read:
        for number, line in enumerate(read, start=1):
            if not line.strip():
                continue
            try:
                passage, claim = json.loads(line)
            except ValueError:
                raise SystemExit(f"{path}: line {number} is not a [passage, claim] pair") from None
            pairs.append((passage, claim, 0))
    return pairs


def stage_slug(stage: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", stage.lower()).strip("-")


def save_stage(folder: Path, stage: str, model, tokenizer, scored, args, device) -> None:
    """The probabilities of the recorded product pairs after ``stage`` and, if asked, its weights: what lets
    the stage be chosen on the product's claim verdicts after the run, on a machine with no GPU."""
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    if scored:
        probs = predict_proba(model, tokenizer, scored, args.max_length, device)
        np.save(folder / f"{stage_slug(stage)}.npy", np.asarray(probs, dtype=np.float16))
    if args.stage_weights:
        from training.compact import save_compact

        save_compact(model, folder / f"{stage_slug(stage)}.safetensors")


def report(pairs, probs) -> dict:
    from evaluation.metrics import classification_report

    gold = [LABELS[y] for _, _, y in pairs]
    predicted = [LABELS[max(range(3), key=row.__getitem__)] for row in probs]
    return classification_report(gold, predicted, LABELS)


def evaluate(model, tokenizer, sets: dict, max_length: int, device) -> dict:
    return {name: report(pairs, predict_proba(model, tokenizer, pairs, max_length, device))
            for name, pairs in sets.items()}


def mean_macro_f1(metrics: dict) -> float:
    return sum(m["macro_f1"] for m in metrics.values()) / len(metrics)


class FocalLoss:
    """Cross-entropy scaled by (1 - p_true)^gamma: easy NOT_ENOUGH_INFO pairs stop dominating the loss."""

    def __init__(self, weight, gamma: float):
        self.weight, self.gamma = weight, gamma

    def __call__(self, logits, labels):
        import torch

        log_p = torch.log_softmax(logits.float(), -1).gather(1, labels[:, None]).squeeze(1)
        loss = -((1 - log_p.exp()) ** self.gamma) * log_p
        if self.weight is not None:
            loss = loss * self.weight[labels]
        return loss.mean()


class VoteLoss:
    """Class-weighted cross-entropy against a target distribution instead of one label.

    Why: half of Climate-FEVER's pairs carry annotators who disagreed, and a tie is labelled NOT_ENOUGH_INFO
    whatever the two votes were (731 pairs, 204 of them one SUPPORTS and one REFUTES vote). With
    ``--vote-targets W`` a pair's target is (1 - W) x its label + W x its vote shares, so the model is still
    taught the dataset's convention but is not pushed as hard towards it where the annotators split."""

    def __init__(self, weight):
        self.weight = weight

    def __call__(self, logits, labels, targets):
        import torch

        loss = -(targets * torch.log_softmax(logits.float(), -1)).sum(-1)
        if self.weight is not None:
            loss = loss * self.weight[labels]
        return loss.mean()


def vote_targets(rows: list[dict], weight: float) -> dict[tuple[str, str, int], list[float]]:
    """The soft target of every pair that has annotator votes, keyed like its training pair."""
    out = {}
    for row in rows:
        votes = [v for v in row.get("votes") or [] if v in LABEL_ID]
        if not votes:
            continue
        label = LABEL_ID[row["label"]]
        share = [votes.count(name) / len(votes) for name in LABELS]
        out[(row["evidence"], row["claim"], label)] = [
            (1 - weight) * (k == label) + weight * share[k] for k in range(3)]
    return out


def make_loss(kind: str, weights, gamma: float = 2.0):
    import torch

    if kind == "focal":
        return FocalLoss(weights, gamma)
    ce = torch.nn.CrossEntropyLoss(weight=weights)
    return lambda logits, labels: ce(logits.float(), labels)


def train_epochs(model, tokenizer, pairs, epochs, lr, batch_size, args, rng, loss_fn, device,
                 budget: Budget | None = None, after_epoch=None, targets: dict | None = None):
    """Cross-entropy (or ``loss_fn``) over labelled pairs through the shared loop; ``targets`` are vote shares
    for the pairs that have them."""
    import torch

    def epoch_batches(epoch: int):
        print(f" epoch {epoch}/{epochs}: {len(pairs)} pairs", flush=True)
        return batches(pairs, batch_size, rng)

    autocast = _autocast(device)

    def loss_of(batch):
        enc = tokenizer(
            [p for p, _, _ in batch], [h for _, h, _ in batch],
            truncation=True, max_length=args.max_length, padding=True, return_tensors="pt",
        ).to(device)
        labels = torch.tensor([y for _, _, y in batch], device=device)
        with autocast:
            logits = model(**enc).logits
        if targets is None:
            return loss_fn(logits, labels)
        # Pairs without votes keep their one label as a one-hot target.
        soft = torch.tensor([targets.get(pair) or [float(pair[2] == k) for k in range(3)] for pair in batch],
                            device=device)
        return loss_fn(logits, labels, soft)

    fit(model, epoch_batches, loss_of, epochs=epochs, lr=lr, total_steps=epochs * ((len(pairs) + batch_size - 1)
        // batch_size), warmup=0.06, budget=budget, log_every=500,
        after_epoch=None if after_epoch is None else lambda epoch, _loss: after_epoch(epoch))


def train_label_sets(model, tokenizer, pairs, epochs, lr, batch_size, args, rng, device) -> None:
    """Train on (evidence, claim, allowed stances) pairs with ``set_loss``; full labels are one-stance sets."""
    import torch

    def epoch_batches(epoch: int):
        print(f" extra epoch {epoch}/{epochs}: {len(pairs)} pairs", flush=True)
        return batches(pairs, batch_size, rng)

    autocast = _autocast(device)

    def loss_of(batch):
        enc = tokenizer([p for p, _, _ in batch], [h for _, h, _ in batch],
                        truncation=True, max_length=args.max_length, padding=True, return_tensors="pt").to(device)
        allowed = torch.tensor([mask for _, _, mask in batch], dtype=torch.bool, device=device)
        with autocast:
            logits = model(**enc).logits
        return set_loss(logits, allowed)

    fit(model, epoch_batches, loss_of, epochs=epochs, lr=lr,
        total_steps=epochs * ((len(pairs) + batch_size - 1) // batch_size), warmup=0.06, log_every=100)


def _autocast(device):
    """bf16 autocast on CUDA, and on CPUs that multiply bf16 in hardware (AMX here: 1.2x per training step at
    the pair lengths of stage 1). Elsewhere fp32: emulated bf16 is slower than fp32."""
    import torch

    if device.type == "cuda":
        return torch.autocast("cuda", dtype=torch.bfloat16)
    from retrieval.encoder import native_bf16

    return torch.autocast("cpu", dtype=torch.bfloat16, enabled=native_bf16())


def _copy_state(model) -> dict:
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


def _write_jsonl(path: Path, rows: list[dict]) -> None:
    tmp = path.with_suffix(".tmp")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    tmp.replace(path)


def weights_digest(model) -> str:
    """A short hash of a model's weights: which general-NLI checkpoint a domain stage really started from,
    whatever has since happened to the folder it was loaded from."""
    import hashlib

    digest = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode("utf-8"))
        digest.update(tensor.detach().to("cpu").contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]


def class_weights(pairs, args):
    """REFUTES weight from the command line, or inverse-frequency weights of the domain fold."""
    if args.class_weights == "balanced":
        counts = [sum(1 for _, _, y in pairs if y == k) for k in range(3)]
        return [len(pairs) / (3 * max(c, 1)) for c in counts]
    return [1.0, args.refutes_weight, 1.0]


def parse_args(argv: list[str] | None):
    # The defaults are the shipped recipe: the 2026-11-27 GPU sweep's winner on the calibrate fold
    # ("high-lr-balanced" in training/sweep.py; every recipe's figures are in the model card).
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--base", type=Path, default=None,
                        help="base encoder folder (default: the packaged all-MiniLM-L6-v2)")
    parser.add_argument("--out", type=Path, default=Path("runs/stance"))
    parser.add_argument("--device", default="auto", help="auto, cpu or cuda")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=32, help="domain stage batch")
    parser.add_argument("--stage1-batch-size", type=int, default=64)
    parser.add_argument("--vitaminc", type=int, default=55_197, help="VitaminC pairs in stage 1")
    parser.add_argument("--snli", type=int, default=99_890, help="SNLI pairs in stage 1")
    parser.add_argument("--curriculum", action="store_true",
                        help="stage 1 runs SNLI first, then VitaminC, instead of one shuffled mix")
    parser.add_argument("--stage1-epochs", type=int, default=2)
    parser.add_argument("--stage1-lr", type=float, default=1e-4)
    parser.add_argument("--stage1-seconds", type=float, default=None, help="wall-clock cap on stage 1")
    parser.add_argument("--stage1-max-steps", type=int, default=None, help="step cap on stage 1")
    parser.add_argument("--stage2-epochs", type=int, default=6)
    parser.add_argument("--stage2-lr", type=float, default=4e-5)
    parser.add_argument("--replay", type=int, default=4_000, help="VitaminC pairs replayed in stage 2")
    parser.add_argument("--class-weights", choices=("refutes", "balanced"), default="balanced")
    parser.add_argument("--refutes-weight", type=float, default=2.0)
    parser.add_argument("--loss", choices=("ce", "focal"), default="ce")
    parser.add_argument("--focal-gamma", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--stage1-out", type=Path, default=None,
                        help="also save the general-NLI checkpoint here, so stage-2 recipes can start from it")
    parser.add_argument("--init", type=Path, default=None,
                        help="start from a saved general-NLI checkpoint (--stage1-out) and skip stage 1")
    parser.add_argument("--domain-folds", default="train",
                        help="dev folds (evaluation.devset) the domain stage trains on: train, calibrate, heldout")
    parser.add_argument("--keep-epoch", type=int, default=None,
                        help="keep this domain epoch instead of the calibrate fold's best (and stop after it)")
    parser.add_argument("--balance-sets", action="store_true",
                        help="repeat each dev set's pairs until the sets are about equally large")
    parser.add_argument("--sibling-nei", type=int, default=0,
                        help="NOT_ENOUGH_INFO pairs per training claim from its evidence documents' other sentences")
    parser.add_argument("--sibling-nei-sets", default="check_covid",
                        help="comma-separated dev sets that get --sibling-nei pairs")
    parser.add_argument("--contrastive", type=int, default=0,
                        help="REFUTES pairs made from the domain stage's SUPPORTS pairs by changing one detail "
                             "(training/contrastive.py)")
    parser.add_argument("--vote-targets", type=float, default=0.0,
                        help="mix weight of annotator vote shares in the domain stage's targets (0: labels only)")
    parser.add_argument("--kfold", type=int, default=None,
                        help="k-fold part of a cross-validation over all dev claims (with --fold)")
    parser.add_argument("--fold", type=int, default=0, help="which k-fold part to hold out")
    parser.add_argument("--extra", type=Path, default=None,
                        help="folder of more stance pairs (../shared/data/train_extra): trained on after the general "
                             "stage and before the domain stage")
    parser.add_argument("--extra-labels", choices=tuple(EXTRA_LABEL_SETS), default="partial",
                        help="partial: a partial label constrains only what it says; map: one stance per label")
    parser.add_argument("--extra-per-source", type=int, default=4_000, help="most pairs taken from each extra file")
    parser.add_argument("--extra-epochs", type=int, default=1)
    parser.add_argument("--extra-lr", type=float, default=3e-5)
    parser.add_argument("--extra-out", type=Path, default=None,
                        help="also save the model after the extra stage here, to start later runs from (--init)")
    parser.add_argument("--extra-replay", type=int, default=3_000,
                        help="VitaminC pairs mixed into the extra stage, so number and date contrasts stay")
    parser.add_argument("--freeze-word-embeddings", action="store_true",
                        help="leave the word embeddings as loaded, so a stage's weights are small (training.compact)")
    parser.add_argument("--score-pairs", type=Path, default=None,
                        help="JSONL of [passage, claim] pairs (the product's own, recorded) scored after every stage")
    parser.add_argument("--stage-out", type=Path, default=None,
                        help="write the --score-pairs probabilities (fp16 .npy) of every stage here, and with "
                             "--stage-weights each stage's weights too (training.compact)")
    parser.add_argument("--stage-weights", action="store_true")
    parser.add_argument("--save-dtype", choices=("fp32", "fp16"), default="fp32",
                        help="fp16 halves the checkpoint, for carrying it back from a remote GPU machine")
    return parser.parse_args(argv)


def seed_everything(seed: int, threads: int) -> random.Random:
    """Seed Python, numpy and torch, fix torch's CPU threads, and return the run's own random stream.
    Shared by the three training scripts (stance, reranker, retriever) so each run is repeatable."""
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    return random.Random(seed)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.init is not None and args.stage1_out is not None:
        raise SystemExit("--init skips the general stage, so there is nothing for --stage1-out to save")
    # Checked before the general stage, which can take an hour, not when the domain stage needs the value.
    if args.vote_targets and (args.loss != "ce" or not 0 < args.vote_targets <= 1):
        raise SystemExit("--vote-targets takes a weight in (0, 1], with --loss ce")
    if args.stage_weights and not (args.stage_out and args.freeze_word_embeddings):
        raise SystemExit("--stage-weights needs --stage-out and --freeze-word-embeddings")
    if args.extra is not None and not any(args.extra.glob("*.jsonl.gz")):
        raise SystemExit(f"--extra {args.extra}: no *.jsonl.gz stance pairs (see ../shared/data/README.md)")

    from retrieval.offline import enforce_offline

    enforce_offline()
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    rng = seed_everything(args.seed, args.threads)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                          ("cpu" if args.device == "auto" else args.device))
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True

    if args.base is None:
        from retrieval.encoder import base_model_path

        args.base = base_model_path()
    tokenizer = AutoTokenizer.from_pretrained(args.base)
    # fp32 master weights whatever the file holds: the carried base may be fp16, to fit a remote machine's upload limit.
    model = AutoModelForSequenceClassification.from_pretrained(
        args.init or args.base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id=LABEL_ID,
        dtype=torch.float32,
    ).float().to(device)
    model.train()
    if args.freeze_word_embeddings:
        model.bert.embeddings.word_embeddings.weight.requires_grad_(False)
    scored = read_score_pairs(args.score_pairs) if args.score_pairs else []

    train_dir, eval_dir = args.data / "train", args.data / "eval"
    plan = DomainPlan(eval_dir, args)
    vitaminc = read_train_file(train_dir / "vitaminc_real_synthetic.jsonl.gz", None, rng)
    snli = read_train_file(train_dir / "snli_train_100k.jsonl.gz", args.snli, rng)
    log: dict = {"args": {k: str(v) for k, v in vars(args).items()}, "device": str(device), "stages": []}
    started = time.time()
    oof: list[dict] = []

    def record(stage: str, epoch: int | None = None, **extra) -> dict:
        entry: dict = {"stage": stage}
        for fold, by_set in plan.sets.items():
            entry[fold] = {}
            for name, pairs in by_set.items():
                probs = predict_proba(model, tokenizer, pairs, args.max_length, device)
                entry[fold][name] = report(pairs, probs)
                if fold == "oof" and epoch is not None:
                    # The claim's fold goes with it: the k-fold report splits its figures by fold.
                    oof.extend({"epoch": epoch, "set": name, "pair_id": r["id"], "claim_id": r["claim_id"],
                                "fold": plan.splits[name].fold(r["claim_id"]),
                                "label": r["label"], "probs": [round(x, 5) for x in row]}
                               for r, row in zip(plan.scored[fold][name], probs))
        if args.stage_out is not None:
            save_stage(args.stage_out, stage, model, tokenizer, scored, args, device)
        entry.update(elapsed_s=round(time.time() - started), **extra)
        log["stages"].append(entry)
        print(stage, json.dumps({f: {k: v["macro_f1"] for k, v in entry[f].items()} for f in plan.sets}),
              flush=True)
        return entry

    budget = Budget(args.stage1_seconds, args.stage1_max_steps)
    ce = make_loss("ce", None)  # general NLI: plain cross-entropy, no class weights
    vit = vitaminc[: args.vitaminc]
    if args.curriculum:
        parts = [("snli", snli), ("vitaminc", vit)]
    else:
        parts = [("mixed", vit + snli)]
    if args.init is not None:
        # Stage 2 only, from a general-NLI checkpoint saved by an earlier run (its own train_log.json says how
        # it was made). Stage 1 is 95% of the training time; the recipe choices that mattered are in stage 2.
        log["init"] = str(args.init)
        log["start_digest"] = weights_digest(model)
        record("nli (loaded)")
    else:
        for name, pairs in parts:
            print(f"stage 1 ({name}): {len(pairs)} pairs", flush=True)
            train_epochs(model, tokenizer, pairs, args.stage1_epochs, args.stage1_lr, args.stage1_batch_size,
                         args, rng, ce, device, budget)
        record("nli", steps=budget.steps, stopped_by_budget=budget.stopped_early)
        if args.stage1_out is not None:
            log["stage1_digest"] = weights_digest(model)
            args.stage1_out.mkdir(parents=True, exist_ok=True)
            model.save_pretrained(args.stage1_out)
            tokenizer.save_pretrained(args.stage1_out)
            (args.stage1_out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")

    best = {"score": -1.0, "epoch": 0, "stage": None, "state": None}
    if args.extra is not None:
        extra, counts = read_extra(args.extra, args.extra_labels, args.extra_per_source, rng)
        extra += [(p, h, tuple(k == y for k in range(3)))
                  for p, h, y in rng.sample(vitaminc, min(args.extra_replay, len(vitaminc)))]
        log["extra_pairs"] = counts
        print(f"extra stage ({args.extra_labels} labels): {len(extra)} pairs {json.dumps(counts)}", flush=True)
        train_label_sets(model, tokenizer, extra, args.extra_epochs, args.extra_lr, args.batch_size, args, rng,
                         device)
        entry = record("extra")
        # The model after this stage is a candidate too: the domain stage may not improve on it.
        if plan.choose_on is not None:
            best.update(score=mean_macro_f1(entry[plan.choose_on]), stage="extra", state=_copy_state(model))
        if args.extra_out is not None:
            args.extra_out.mkdir(parents=True, exist_ok=True)
            model.save_pretrained(args.extra_out)
            tokenizer.save_pretrained(args.extra_out)
            (args.extra_out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    if args.stage2_epochs == 0 and best["state"] is None:
        best.update(stage=log["stages"][-1]["stage"], state=_copy_state(model))

    dev_train = plan.training_pairs(args.balance_sets)
    replay = rng.sample(vitaminc, min(args.replay, len(vitaminc)))
    if args.contrastive:
        from training.contrastive import contrastive_pairs

        made, made_counts = contrastive_pairs(dev_train + replay, args.contrastive, rng)
        log["contrastive_pairs"] = made_counts
        print(f"contrastive: {len(made)} pairs {json.dumps(made_counts)}", flush=True)
        dev_train = dev_train + made
    weights = class_weights(dev_train, args)
    targets = None
    if args.vote_targets:
        targets = vote_targets(plan.train_rows, args.vote_targets)
        loss_fn = VoteLoss(torch.tensor(weights, device=device))
        log["vote_target_pairs"] = len(targets)
    else:
        loss_fn = make_loss(args.loss, torch.tensor(weights, device=device), args.focal_gamma)
    print(f"stage 2: {len(dev_train)} dev pairs + {len(replay)} replay, weights {weights}", flush=True)

    def after_epoch(epoch: int) -> bool:
        """Score the epoch, keep its weights if they are the ones to ship; True stops training."""
        entry = record(f"domain epoch {epoch}", epoch=epoch)
        if plan.choose_on is not None:
            score = mean_macro_f1(entry[plan.choose_on])
            if score > best["score"]:
                best.update(score=score, epoch=epoch, stage=f"domain epoch {epoch}", state=_copy_state(model))
        elif epoch == plan.keep_epoch or (plan.keep_epoch is None and epoch == args.stage2_epochs):
            best.update(epoch=epoch, stage=f"domain epoch {epoch}", state=_copy_state(model))
        return epoch == plan.keep_epoch

    # The schedule is always laid out for --stage2-epochs, also when --keep-epoch stops it early, so that a
    # run on all of dev repeats exactly the k-fold parts' first epochs.
    train_epochs(model, tokenizer, dev_train + replay, args.stage2_epochs, args.stage2_lr, args.batch_size,
                 args, rng, loss_fn, device, after_epoch=after_epoch, targets=targets)
    model.load_state_dict(best["state"])
    log["domain_claims"] = len({r["claim_id"] for r in plan.train_rows})
    log["domain_pairs"] = len(plan.train_rows)
    log["sibling_nei_pairs"] = {name: len(rs) for name, rs in plan.sibling_rows.items()}
    log["chosen_epoch"] = best["epoch"]
    if plan.choose_on is not None:
        log["chosen_calibrate_mean_macro_f1"] = round(best["score"], 4)
    log["chosen_stage"] = best["stage"]
    final = next(s for s in log["stages"] if s["stage"] == best["stage"])
    log["final"] = {fold: final[fold] for fold in plan.sets}

    if args.kfold:
        # A k-fold part is a measurement, not a model: its out-of-fold probabilities are what it is for.
        args.out.mkdir(parents=True, exist_ok=True)
        _write_jsonl(args.out / "oof.jsonl", oof)
        log["elapsed_s"] = round(time.time() - started)
        (args.out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
        print(f"k-fold part {args.fold} of {args.kfold} done in {time.time() - started:.0f}s")
        return 0

    args.out.mkdir(parents=True, exist_ok=True)
    if args.save_dtype == "fp16":
        model = model.half()
    model.cpu().save_pretrained(args.out)
    tokenizer.save_pretrained(args.out)
    log["elapsed_s"] = round(time.time() - started)
    (args.out / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    print(f"saved to {args.out} in {time.time() - started:.0f}s; kept {best['stage']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
