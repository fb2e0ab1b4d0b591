"""Run several stance-training recipes side by side on one GPU and keep the best on the calibrate fold.

    python -m verification.sweep --data DATA --base BASE --export DIR [--only NAME ...]

A GPU lease here is 15 minutes, so each recipe is one ``verification.train`` process, all running at
once (the 6-layer model leaves the card mostly idle, so they overlap well), each with the same
wall-clock cap on general-NLI training. The winner is chosen on the *calibrate* fold; held-out figures
are only reported. ``--export`` receives the winner as fp16 safetensors in chunks of at most 15 MiB
(the lease returns files of at most 16 MiB), its config and log, and ``summary.json`` for all recipes.
Rebuild the checkpoint with ``python -m verification.sweep --join DIR --to runs/stance``.

``--shared-stage1`` trains the general stage once (the shipped recipe, saved with --stage1-out) and starts the
SHARED_RECIPES domain stages from it (--init) as soon as it is on disk; their greedy soup
(``verification/soup.py``) is exported instead of the best run if it kept more than that run.
``--kfold NAME ...`` also cross-validates those shared recipes from the same general stage
(``verification/kfold.py``, 5 parts each, run beside the others), and ``summary.json`` gets their out-of-fold
figures: a choice between recipes on about 2,100 pairs instead of the calibrate fold's 574.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

FULL_SNLI = ["--snli", "99890"]
COMMON = ["--stage1-batch-size", "64", "--stage1-lr", "5e-5", "--stage2-epochs", "6"]

# Each recipe answers one question from the stance issue; all share seed, data and stage-1 time cap.
RECIPES: dict[str, list[str]] = {
    "mix": [*COMMON, *FULL_SNLI, "--stage1-epochs", "2"],
    "mix-balanced": [*COMMON, *FULL_SNLI, "--stage1-epochs", "2", "--class-weights", "balanced"],
    "mix-focal": [*COMMON, *FULL_SNLI, "--stage1-epochs", "2", "--class-weights", "balanced",
                  "--loss", "focal"],
    "curriculum": [*COMMON, "--snli", "50000", "--stage1-epochs", "1", "--curriculum"],
    "vitaminc-only": [*COMMON, "--snli", "0", "--stage1-epochs", "3"],
    "mix-high-lr": [*COMMON, *FULL_SNLI, "--stage1-epochs", "2", "--stage1-lr", "1e-4",
                    "--stage2-lr", "4e-5"],
}
# Second round, around the first round's winner: is its lead more than seed noise, and do its
# neighbours (class balance, focal loss, a higher rate, more replay) add to it?
HIGH_LR = [*COMMON, *FULL_SNLI, "--stage1-epochs", "2", "--stage1-lr", "1e-4", "--stage2-lr", "4e-5"]
RECIPES |= {
    "high-lr-seed14": [*HIGH_LR, "--seed", "14"],
    "high-lr-seed15": [*HIGH_LR, "--seed", "15"],
    "high-lr-balanced": [*HIGH_LR, "--class-weights", "balanced"],
    "high-lr-focal": [*HIGH_LR, "--class-weights", "balanced", "--loss", "focal"],
    "higher-lr": [*COMMON, *FULL_SNLI, "--stage1-epochs", "2", "--stage1-lr", "2e-4", "--stage2-lr", "5e-5"],
    "high-lr-replay8k": [*HIGH_LR, "--replay", "8000"],
}
# Third round, prepared in the fifth session for the next lease: one general stage shared by every recipe
# (--shared-stage1). Stage 1 is 95% of a recipe's time; trained once, it can run its full two epochs, and the
# lease then fits many domain-stage variants and their soup (verification/soup.py). Each entry is stage-2 flags
# on top of the shipped recipe.
SHARED_RECIPES: dict[str, list[str]] = {
    "shared-seed13": [],
    "shared-seed14": ["--seed", "14"],
    "shared-seed15": ["--seed", "15"],
    "shared-seed16": ["--seed", "16"],
    "shared-focal": ["--loss", "focal"],
    "shared-lr2e-5": ["--stage2-lr", "2e-5"],
    "shared-lr6e-5": ["--stage2-lr", "6e-5"],
    "shared-replay8k": ["--replay", "8000"],
    # Sixth session, on the CPU: repeating Check-COVID's pairs to Climate-FEVER's size lifted NEI on both sets.
    "shared-balanced": ["--balance-sets"],
    # Eleventh session, on the CPU: NEI pairs from the evidence documents lifted Check-COVID (+0.03) and cost
    # Climate-FEVER 0.01 from the CPU general stage; worth one measurement from the full one.
    "shared-balanced-siblings": ["--balance-sets", "--sibling-nei", "1", "--sibling-nei-sets",
                                 "climate_fever,check_covid"],
}
CHUNK = 15 * 1024 * 1024
KFOLD_PARTS = 5
KFOLD_PREFIX = "kfold-"


def kfold_figures(args, parts: dict) -> dict:
    """Each cross-validated recipe's out-of-fold figures, per epoch, with its epoch chosen as verification.kfold
    chooses it; a recipe with a failed part says so instead."""
    from verification import kfold

    out: dict = {}
    for name in args.kfold:
        folders = []
        for part in range(KFOLD_PARTS):
            key = f"{KFOLD_PREFIX}{name}-part{part}"
            if key in parts:  # not launched when the general stage did not finish
                process, log = parts[key]
                process.wait()
                log.close()
            folders.append(args.out / key)
        if not all((f / "oof.jsonl").exists() for f in folders):
            out[name] = {"failed": [f.name for f in folders if not (f / "oof.jsonl").exists()]}
            continue
        figures = kfold.score(kfold.read_oof(folders))
        epoch, value = kfold.choose_epoch(figures)
        out[name] = {"chosen_epoch": epoch, "choosing_mean_macro_f1": round(value, 4),
                     "macro_f1": kfold.macro_table(figures)}
        print(f"k-fold {name}: epoch {epoch}, choosing-fold mean {value:.4f}", flush=True)
    return out


def summarise(log: dict) -> dict:
    def macro(fold):
        return {name: m["macro_f1"] for name, m in fold.items()}

    final = log["final"]
    return {
        "calibrate_mean_macro_f1": log["chosen_calibrate_mean_macro_f1"],
        "chosen_epoch": log["chosen_epoch"],
        "heldout_macro_f1": macro(final["heldout"]),
        "heldout_per_class_f1": {name: {c: v["f1"] for c, v in m["per_class"].items()}
                                 for name, m in final["heldout"].items()},
        "stages": [{"stage": s["stage"], "calibrate": macro(s["calibrate"]), "heldout": macro(s["heldout"]),
                    **{k: s[k] for k in ("steps", "stopped_by_budget", "elapsed_s") if k in s}}
                   for s in log["stages"]],
    }


def soup_if_better(args, names: list[str], best: str, summary: dict) -> str:
    """The greedy soup of the finished shared-stage runs, if it holds more than the best run alone."""
    from verification.soup import greedy_soup

    (model, tokenizer), log = greedy_soup([args.out / n for n in names], args.data)
    summary["soup"] = {"kept": [Path(p).name for p in log["soup"]], "trials": log["trials"],
                       "calibrate_mean_macro_f1": log["chosen_calibrate_mean_macro_f1"],
                       "heldout_macro_f1": {k: v["macro_f1"] for k, v in log["final"]["heldout"].items()}}
    if len(log["soup"]) < 2:  # the greedy rule keeps a second run only if the soup matches the best one
        return best
    model.half().save_pretrained(args.out / "soup")  # fp16, like the runs: the lease returns what it carries
    tokenizer.save_pretrained(args.out / "soup")
    (args.out / "soup" / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    return "soup"


def export(run_dir: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    weights = (run_dir / "model.safetensors").read_bytes()
    for index, start in enumerate(range(0, len(weights), CHUNK)):
        (target / f"model.safetensors.part{index}").write_bytes(weights[start : start + CHUNK])
    for name in ("config.json", "train_log.json"):
        shutil.copy(run_dir / name, target / name)


def join(source: Path, checkpoint: Path, base: Path | None) -> None:
    """Reassemble an exported winner into a checkpoint that verification.export reads (fp32)."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    checkpoint.mkdir(parents=True, exist_ok=True)
    parts = sorted(source.glob("model.safetensors.part*"), key=lambda p: int(p.name.rsplit("part", 1)[1]))
    with open(checkpoint / "model.safetensors", "wb") as out:
        for part in parts:
            out.write(part.read_bytes())
    for name in ("config.json", "train_log.json"):
        shutil.copy(source / name, checkpoint / name)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint, dtype=torch.float32).float()
    model.save_pretrained(checkpoint)
    if base is None:
        from retrieval.encoder import base_model_path

        base = base_model_path()
    AutoTokenizer.from_pretrained(base).save_pretrained(checkpoint)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--base", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("runs/sweep"))
    parser.add_argument("--export", type=Path, default=None)
    parser.add_argument("--only", nargs="*", default=None, help="recipe names (default: all)")
    parser.add_argument("--stage1-seconds", type=float, default=270)
    parser.add_argument("--deadline", type=float, default=480, help="kill recipes still running after this")
    parser.add_argument("--join", type=Path, default=None, help="rebuild a checkpoint from an export")
    parser.add_argument("--to", type=Path, default=Path("runs/stance"))
    parser.add_argument("--shared-stage1", action="store_true",
                        help="train the general stage once, then the SHARED_RECIPES domain stages from it, and soup")
    parser.add_argument("--kfold", nargs="*", default=[], metavar="NAME",
                        help="with --shared-stage1: also cross-validate these shared recipes, 5 parts each")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="flags added to every recipe")
    args = parser.parse_args(argv)

    if args.join is not None:
        join(args.join, args.to, args.base)
        print(f"checkpoint rebuilt in {args.to}")
        return 0

    recipes = SHARED_RECIPES if args.shared_stage1 else RECIPES
    names = args.only or list(recipes)
    if args.kfold and not args.shared_stage1:
        parser.error("--kfold starts its parts from the shared general stage: add --shared-stage1")
    unknown = [n for n in [*names, *args.kfold] if n not in recipes]
    if unknown:
        parser.error(f"unknown recipe {', '.join(unknown)}: choose from {', '.join(recipes)}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    processes = {}

    def launch(name: str, flags: list[str]) -> None:
        command = [sys.executable, "-m", "verification.train", "--data", str(args.data),
                   "--out", str(args.out / name), "--save-dtype", "fp16", *flags, *args.extra]
        if args.base is not None:
            command += ["--base", str(args.base)]
        log = open(args.out / f"{name}.log", "w", encoding="utf-8")  # noqa: SIM115 - closed after the run
        processes[name] = (subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                            env={**os.environ, "PYTHONUNBUFFERED": "1"}), log)

    if args.shared_stage1:
        # The first recipe trains (and saves) the general stage; the others start from it once it is on disk.
        stage1 = args.out / "stage1"
        shutil.rmtree(stage1, ignore_errors=True)
        first, *rest = names
        launch(first, ["--stage1-seconds", str(args.stage1_seconds), "--stage1-out", str(stage1),
                       *recipes[first]])
        while not (stage1 / "train_log.json").exists():
            if processes[first][0].poll() is not None or time.time() - started > args.deadline:
                break
            time.sleep(2)
        if (stage1 / "train_log.json").exists():
            for name in rest:
                launch(name, ["--init", str(stage1), *recipes[name]])
            for name in args.kfold:
                for part in range(KFOLD_PARTS):
                    launch(f"{KFOLD_PREFIX}{name}-part{part}", ["--init", str(stage1), "--kfold", str(KFOLD_PARTS),
                                                                 "--fold", str(part), *recipes[name]])
        else:
            print("the general stage did not finish: no shared recipes were started", flush=True)
    else:
        for name in names:
            launch(name, ["--stage1-seconds", str(args.stage1_seconds), *recipes[name]])
    while any(p.poll() is None for p, _ in processes.values()):
        if time.time() - started > args.deadline:
            for name, (p, _) in processes.items():
                if p.poll() is None:
                    print(f"{name}: killed at the deadline", flush=True)
                    p.kill()
            break
        time.sleep(5)

    parts = {name: processes.pop(name) for name in list(processes) if name.startswith(KFOLD_PREFIX)}
    summary = {"recipes": {name: recipes[name] for name in processes}, "results": {}}
    if args.kfold:
        summary["kfold"] = kfold_figures(args, parts)
    for name, (p, log) in processes.items():
        p.wait()
        log.close()
        train_log = args.out / name / "train_log.json"
        if p.returncode == 0 and train_log.exists():
            summary["results"][name] = summarise(json.loads(train_log.read_text(encoding="utf-8")))
        else:
            tail = (args.out / f"{name}.log").read_text(encoding="utf-8").splitlines()[-5:]
            summary["results"][name] = {"failed": p.returncode, "log_tail": tail}
        print(name, json.dumps(summary["results"][name].get("heldout_macro_f1", "failed")), flush=True)
    done = {n: r for n, r in summary["results"].items() if "failed" not in r}
    if done:
        winner = max(done, key=lambda n: done[n]["calibrate_mean_macro_f1"])
        if args.shared_stage1 and len(done) > 1:
            winner = soup_if_better(args, sorted(done), winner, summary)
        summary["winner"] = winner
        print(f"winner on the calibrate fold: {winner}", flush=True)
        if args.export is not None:
            export(args.out / winner, args.export)
    if args.export is not None:
        args.export.mkdir(parents=True, exist_ok=True)
        (args.export / "summary.json").write_text(json.dumps(summary, indent=1), encoding="utf-8")
    return 0 if done else 1


if __name__ == "__main__":
    raise SystemExit(main())
