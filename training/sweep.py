"""Run several stance-training recipes side by side on one GPU and keep the best on the calibrate fold.

    python -m training.sweep --data DATA --base BASE --export DIR [--only NAME ...]

A GPU machine may be lent for minutes, not hours, so each recipe is one ``training.stance`` process, all
running at once (the 6-layer model leaves the card mostly idle, so they overlap well), each with the same
wall-clock cap on general-NLI training. The recipes are data: ``training/recipes/stance-sweep.toml``. The winner
is chosen on the *calibrate* fold; held-out figures are only reported. ``--export`` receives the winner as fp16
safetensors in chunks of at most 15 MiB (a remote machine may return only files of at most 16 MiB), its config
and log, and ``summary.json`` for all recipes.
Rebuild the checkpoint with ``python -m training.sweep --join DIR --to runs/stance``.

``--shared-stage1`` trains the general stage once (the shipped recipe, saved with --stage1-out) and starts the
shared recipes' domain stages from it (--init) as soon as it is on disk; their greedy soup
(``training/soup.py``) is exported instead of the best run if it kept more than that run.
``--kfold NAME ...`` also cross-validates those shared recipes from the same general stage
(``training/kfold.py``, 5 parts each by default, run beside the others), and ``summary.json`` gets their out-of-fold
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

RECIPE_FILE = Path(__file__).parent / "recipes" / "stance-sweep.toml"


def load_recipes(path: Path = RECIPE_FILE) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(full recipes, shared-stage-1 recipes) from the recipe file: name -> ``training.stance`` flags."""
    import tomllib

    with open(path, "rb") as handle:
        table = tomllib.load(handle)
    return tuple({name: list(entry["flags"]) for name, entry in table.get(section, {}).items()}
                 for section in ("full", "shared"))


RECIPES, SHARED_RECIPES = load_recipes()
CHUNK = 15 * 1024 * 1024
KFOLD_PARTS = 5
KFOLD_PREFIX = "kfold-"


def kfold_figures(args, parts: dict) -> dict:
    """Each cross-validated recipe's out-of-fold figures, per epoch, with its epoch chosen as training.kfold
    chooses it; a recipe with a failed part says so instead."""
    from training import kfold

    out: dict = {}
    for name in args.kfold:
        folders = []
        for part in range(args.kfold_parts):
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
    from training.soup import greedy_soup

    (model, tokenizer), log = greedy_soup([args.out / n for n in names], args.data)
    summary["soup"] = {"kept": [Path(p).name for p in log["soup"]], "trials": log["trials"],
                       "calibrate_mean_macro_f1": log["chosen_calibrate_mean_macro_f1"],
                       "heldout_macro_f1": {k: v["macro_f1"] for k, v in log["final"]["heldout"].items()}}
    if len(log["soup"]) < 2:  # the greedy rule keeps a second run only if the soup matches the best one
        return best
    model.half().save_pretrained(args.out / "soup")  # fp16, like the runs: half the bytes to carry back
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
    """Reassemble an exported winner into a checkpoint that training.export reads (fp32)."""
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
                        help="train the general stage once, then the shared recipes' domain stages from it, and soup")
    parser.add_argument("--kfold-parts", type=int, default=KFOLD_PARTS, metavar="K",
                        help="parts of each --kfold cross-validation (default %(default)s)")
    parser.add_argument("--kfold", nargs="*", default=[], metavar="NAME",
                        help="with --shared-stage1: also cross-validate these shared recipes, 5 parts each")
    parser.add_argument("--recipes", type=Path, default=RECIPE_FILE,
                        help="recipe file (default %(default)s); {data} in a flag stands for --data")
    parser.add_argument("--reference", nargs="*", default=[], metavar="NAME",
                        help="recipes run only to compare with (a control): never exported as the winner")
    parser.add_argument("--extra", nargs=argparse.REMAINDER, default=[], help="flags added to every recipe")
    args = parser.parse_args(argv)

    if args.join is not None:
        join(args.join, args.to, args.base)
        print(f"checkpoint rebuilt in {args.to}")
        return 0

    full, shared = (RECIPES, SHARED_RECIPES) if args.recipes == RECIPE_FILE else load_recipes(args.recipes)
    recipes = {name: [flag.replace("{data}", str(args.data)) for flag in flags]
               for name, flags in (shared if args.shared_stage1 else full).items()}
    names = args.only or list(recipes)
    if args.kfold and args.kfold_parts < 2:
        parser.error("--kfold-parts needs at least 2 parts")
    if args.kfold and not args.shared_stage1:
        parser.error("--kfold starts its parts from the shared general stage: add --shared-stage1")
    unknown = [n for n in [*names, *args.kfold, *args.reference] if n not in recipes]
    if unknown:
        parser.error(f"unknown recipe {', '.join(unknown)}: choose from {', '.join(recipes)}")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.time()
    processes = {}

    def launch(name: str, flags: list[str]) -> None:
        command = [sys.executable, "-m", "training.stance", "--data", str(args.data),
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
            time.sleep(1)
        if (stage1 / "train_log.json").exists():
            for name in rest:
                launch(name, ["--init", str(stage1), *recipes[name]])
            for name in args.kfold:
                for part in range(args.kfold_parts):
                    launch(f"{KFOLD_PREFIX}{name}-part{part}", ["--init", str(stage1), "--kfold", str(args.kfold_parts),
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
        time.sleep(1)

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
    done = {n: r for n, r in summary["results"].items() if "failed" not in r and n not in args.reference}
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
