"""Cross-validate the stance model's domain stage over all of dev, and choose its epoch on out-of-fold pairs.

    python -m training.kfold --out runs/stance-kfold --k 5 [--final runs/stance-alldev] \
        -- --init runs/stance-stage1 --stage2-epochs 4

Why: the default split trains the domain stage on half of dev and chooses its epoch on a 98-claim calibrate
fold, which picks noise (MODEL_CARD.md). Here each of K parts trains on the other K-1 parts (80% of dev with
K = 5) and scores its own part after every epoch. Joined, the parts give every dev pair a prediction from a
model that never saw its claim, so an epoch is chosen on all of the train and calibrate folds' pairs at once,
and the held-out fold is still only reported. The model to ship is then trained on all of dev with the chosen
epoch (``--domain-folds train,calibrate,heldout --keep-epoch E``): it has no dev left to be measured on, so its
figures are these out-of-fold ones. ``--final DIR`` trains it right after the parts.

Arguments after ``--`` go to every ``training.stance`` part unchanged. A part whose ``oof.jsonl`` exists is
not trained again, so an interrupted run resumes.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from evaluation.devset import CALIBRATE, HELDOUT
from evaluation.metrics import classification_report
from training.stance import LABELS


def run_parts(out: Path, k: int, train_args: list[str]) -> list[Path]:
    parts = []
    for fold in range(k):
        part = out / f"part{fold}"
        parts.append(part)
        if (part / "oof.jsonl").exists():
            print(f"part {fold}: already trained", flush=True)
            continue
        command = [sys.executable, "-m", "training.stance", "--kfold", str(k), "--fold", str(fold),
                   "--out", str(part), *train_args]
        print(" ".join(command), flush=True)
        subprocess.run(command, check=True)
    return parts


def read_oof(parts: list[Path]) -> list[dict]:
    rows = []
    for part in parts:
        path = part / "oof.jsonl"
        if not path.exists():
            raise SystemExit(f"{part} has no oof.jsonl: train it first (run without --report-only)")
        rows.extend(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    return rows


def score(rows: list[dict]) -> dict:
    """Per epoch, subset and dev set: reports on the choosing folds (train and calibrate), on the calibrate fold
    alone, on the held-out fold, and on all of dev."""
    by_key: dict[tuple[int, str, str], list[dict]] = defaultdict(list)
    for row in rows:
        if "fold" not in row:
            raise SystemExit("these out-of-fold rows predate the split by claim text (evaluation.devset): "
                             "train the parts again")
        fold = row["fold"]
        # "calibrate" is part of "choosing", kept apart to compare with a model trained on the train fold alone.
        subsets = ["heldout"] if fold == HELDOUT else ["choosing", *(["calibrate"] if fold == CALIBRATE else [])]
        for subset in (*subsets, "all"):
            by_key[(row["epoch"], row["set"], subset)].append(row)
    out: dict = {}
    for (epoch, name, subset), group in sorted(by_key.items()):
        gold = [r["label"] for r in group]
        predicted = [LABELS[max(range(3), key=r["probs"].__getitem__)] for r in group]
        out.setdefault(str(epoch), {}).setdefault(subset, {})[name] = classification_report(gold, predicted, LABELS)
    return out


def macro_table(figures: dict) -> dict:
    """Only the macro-F1 of each epoch, subset and dev set, out of ``score``'s full reports."""
    return {e: {s: {n: m["macro_f1"] for n, m in sets.items()} for s, sets in subsets.items()}
            for e, subsets in figures.items()}


def choose_epoch(figures: dict) -> tuple[int, float]:
    """The epoch with the best mean macro-F1 over the dev sets, on the choosing folds only; ties go to the
    earlier epoch (less to train, less drift from the general stage)."""
    best = (0, -1.0)
    for epoch, subsets in sorted(figures.items(), key=lambda item: int(item[0])):
        value = sum(m["macro_f1"] for m in subsets["choosing"].values()) / len(subsets["choosing"])
        if value > best[1] + 1e-9:
            best = (int(epoch), value)
    return best


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    train_args: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, train_args = argv[:cut], argv[cut + 1:]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("runs/stance-kfold"))
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--report-only", action="store_true", help="join the parts already trained")
    parser.add_argument("--final", type=Path, default=None,
                        help="then train the model to ship on all of dev, with the chosen epoch, into this folder")
    args = parser.parse_args(argv)
    if args.k < 2:
        raise SystemExit("--k must be at least 2")
    if any(flag in train_args for flag in ("--kfold", "--fold", "--out", "--domain-folds", "--keep-epoch")):
        raise SystemExit("the k-fold driver sets --kfold, --fold, --out and the domain folds itself")
    args.out.mkdir(parents=True, exist_ok=True)
    parts = [args.out / f"part{i}" for i in range(args.k)] if args.report_only else run_parts(
        args.out, args.k, train_args)
    figures = score(read_oof(parts))
    epoch, value = choose_epoch(figures)
    report = {
        "k": args.k, "train_args": train_args, "chosen_epoch": epoch,
        "chosen_on": "mean macro-F1 over the dev sets, out-of-fold pairs of the train and calibrate folds",
        "choosing_mean_macro_f1": round(value, 4),
        "macro_f1": macro_table(figures),
        "chosen": figures[str(epoch)],
        "ship_with": ["python", "-m", "training.stance", *train_args,
                      "--domain-folds", "train,calibrate,heldout", "--keep-epoch", str(epoch)],
    }
    tmp = args.out / "kfold_report.json.tmp"
    tmp.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    tmp.replace(args.out / "kfold_report.json")
    print(json.dumps(report["macro_f1"], indent=1))
    print(f"chosen epoch {epoch} (choosing folds, mean macro-F1 {value:.4f}); ship with: "
          + " ".join(report["ship_with"]))
    if args.final is not None:
        subprocess.run([sys.executable, *report["ship_with"][1:], "--out", str(args.final)], check=True)
        log_path = args.final / "train_log.json"
        log = json.loads(log_path.read_text(encoding="utf-8"))
        log["kfold_report"] = str(args.out / "kfold_report.json")
        tmp = log_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(log, indent=2), encoding="utf-8")
        tmp.replace(log_path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
