"""Average the weights of stance models fine-tuned from one general-NLI checkpoint (a "model soup").

    python -m training.soup --out runs/stance-soup runs/stance-a runs/stance-b runs/stance-c

Why: the domain stage learns from 1,553 pairs, and the same recipe on three seeds spans 0.47–0.50 macro-F1 on
Climate-FEVER and 0.39–0.53 on Check-COVID (MODEL_CARD.md). Fine-tunes that start from the same weights stay in
one basin, so their average is a model too (Wortsman et al., ICML 2022, "Model soups"). It smooths the seed
noise out at no cost at run time: the product still runs one model.

Greedy recipe: the ingredients are ranked by the mean macro-F1 on the *calibrate* fold that their training logs
hold; starting from the best, each next one stays in the soup only if the averaged model does at least as well
on that fold. The held-out
fold is scored for the record only. The result is a checkpoint like ``training.stance``'s, for
``training.export``.
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

from training.stance import dev_pairs_by_set, evaluate, mean_macro_f1


class SoupError(ValueError):
    pass


def starting_point(folder: Path) -> str | None:
    """The digest of the general-NLI weights a stance run's domain stage started from, as its log records it:
    ``start_digest`` for a run loaded with --init, ``stage1_digest`` for one that saved its own with
    --stage1-out. None when the log does not say."""
    log_path = folder / "train_log.json"
    if not log_path.exists():
        return None
    log = json.loads(log_path.read_text(encoding="utf-8"))
    return log.get("start_digest") if log.get("init") else log.get("stage1_digest")


def _logged_score(folder: Path) -> float:
    """The run's own calibrate-fold mean macro-F1, as ``training.stance`` logged it for its kept epoch."""
    log = json.loads((folder / "train_log.json").read_text(encoding="utf-8"))
    if "chosen_calibrate_mean_macro_f1" not in log:
        raise SoupError(f"{folder}: the training log has no calibrate score (did the run finish?)")
    return float(log["chosen_calibrate_mean_macro_f1"])


def average(states: list[dict]) -> dict:
    import torch

    keys = states[0].keys()
    if any(s.keys() != keys for s in states):
        raise SoupError("the ingredients have different tensors: they are not the same architecture")
    out = {}
    for key in keys:
        first = states[0][key]
        if not torch.is_floating_point(first):
            out[key] = first.clone()  # integer buffers (position ids) are the same in every ingredient
            continue
        out[key] = sum(s[key].float() for s in states) / len(states)
    return out


def greedy_soup(ingredients: list[Path], data: Path, max_length: int = 128) -> tuple[object, dict]:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    starts = {f: starting_point(f) for f in ingredients}
    unknown = [str(f) for f, start in starts.items() if start is None]
    if unknown:
        raise SoupError(f"{', '.join(unknown)}: the training log does not say which general-NLI checkpoint it "
                        "started from (train with --stage1-out or --init)")
    origins = set(starts.values())
    if len(origins) > 1:
        raise SoupError(f"the ingredients start from different checkpoints ({', '.join(sorted(origins))}): "
                        "averaging them is meaningless")
    # Each run's log already holds its calibrate score, so the runs are ranked by it; only the soups are scored
    # here, plus the best run again as the baseline they must match (it was saved in fp16 after its scoring).
    scored = sorted(((_logged_score(f), f) for f in ingredients), key=lambda item: -item[0])
    eval_dir = data / "eval"
    calibrate, heldout = dev_pairs_by_set(eval_dir, "calibrate"), dev_pairs_by_set(eval_dir, "heldout")
    device = torch.device("cpu")
    tokenizer = AutoTokenizer.from_pretrained(ingredients[0])
    states = {f: AutoModelForSequenceClassification.from_pretrained(f, dtype=torch.float32).float().state_dict()
              for f in ingredients}
    model = AutoModelForSequenceClassification.from_pretrained(ingredients[0], dtype=torch.float32).float()
    chosen = [scored[0][1]]
    model.load_state_dict(states[chosen[0]])
    best = evaluate(model, tokenizer, calibrate, max_length, device)
    trials = []
    for _, folder in scored[1:]:
        model.load_state_dict(average([states[f] for f in chosen + [folder]]))
        figures = evaluate(model, tokenizer, calibrate, max_length, device)
        kept = mean_macro_f1(figures) >= mean_macro_f1(best) - 1e-9
        trials.append({"added": str(folder), "calibrate_mean": round(mean_macro_f1(figures), 4), "kept": kept})
        print(f"+ {folder}: calibrate {mean_macro_f1(figures):.4f} ({'kept' if kept else 'dropped'})", flush=True)
        if kept:
            chosen.append(folder)
            best = figures
    model.load_state_dict(average([states[f] for f in chosen]))
    log = {
        "soup": [str(f) for f in chosen],
        "ingredients": [{"path": str(f), "logged_calibrate_mean": round(s, 4)} for s, f in scored],
        "trials": trials,
        "init": origins.pop(),
        "final": {"calibrate": best, "heldout": evaluate(model, tokenizer, heldout, max_length, device)},
    }
    log["chosen_calibrate_mean_macro_f1"] = round(mean_macro_f1(log["final"]["calibrate"]), 4)
    return (model, tokenizer), log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ingredients", type=Path, nargs="+", help="stance checkpoints (training.stance --out)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)

    from retrieval.offline import enforce_offline

    enforce_offline()
    import torch

    torch.set_num_threads(args.threads)
    missing = [str(f) for f in args.ingredients if not (f / "config.json").exists()]
    if missing:
        parser.error(f"not a stance checkpoint: {', '.join(missing)}")
    try:
        (model, tokenizer), log = greedy_soup(args.ingredients, args.data)
    except SoupError as exc:
        parser.error(str(exc))
    work = args.out.with_name(args.out.name + ".tmp")
    shutil.rmtree(work, ignore_errors=True)
    model.save_pretrained(work)
    tokenizer.save_pretrained(work)
    (work / "train_log.json").write_text(json.dumps(log, indent=2), encoding="utf-8")
    shutil.rmtree(args.out, ignore_errors=True)
    work.rename(args.out)
    print(json.dumps({"soup": log["soup"], "calibrate_mean": log["chosen_calibrate_mean_macro_f1"],
                      "heldout": {k: v["macro_f1"] for k, v in log["final"]["heldout"].items()}}), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
