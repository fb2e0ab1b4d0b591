"""Fit the stance combination (class biases, weight of check findings) on the calibration fold.

    python -m verification.calibrate --model verification/model

The fold is disjoint from both the training fold and the held-out fold we report on (devsplit).
The fit maximises the mean macro-F1 over the two dev sets with a coarse grid: a handful of
parameters, so a grid is exact enough and cannot overfit the way a free optimiser could.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np

from verification.checks import compare
from verification.metrics import classification_report
from verification.stance import Calibration, OnnxStanceModel, combine
from verification.types import STANCES


def load_fold(eval_dir: Path, fold: str) -> dict[str, list[dict]]:
    from verification.devsplit import fold_of

    out = {}
    for name in ("climate_fever", "check_covid"):
        with open(eval_dir / name / "pairs.jsonl", encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle]
        out[name] = [r for r in rows if fold_of(r["claim_id"]) == fold]
    return out


def fit(model, sets: dict[str, list[dict]]) -> tuple[Calibration, float, float]:
    prepared = {}
    for name, rows in sets.items():
        probs = model.predict([(r["evidence"], r["claim"]) for r in rows])
        flags = [compare(r["claim"], r["evidence"]) for r in rows]
        prepared[name] = (probs, flags, [r["label"] for r in rows])

    def score(calibration: Calibration) -> float:
        f1s = []
        for probs, flags, gold in prepared.values():
            predicted = [STANCES[int(combine(p, f, calibration).argmax())] for p, f in zip(probs, flags)]
            f1s.append(classification_report(gold, predicted, STANCES)["macro_f1"])
        return float(np.mean(f1s))

    baseline = score(Calibration())
    grid = np.arange(-1.5, 1.51, 0.25)
    best, best_score = Calibration(), baseline
    for refutes_bias, nei_bias in itertools.product(grid, grid):
        candidate = Calibration(bias=(0.0, float(refutes_bias), float(nei_bias)))
        value = score(candidate)
        if value > best_score:
            best, best_score = candidate, value
    for clash, agree, missing in itertools.product((0.0, 0.5, 1.0, 1.5), (0.0, 0.5, 1.0), (0.0, 0.5, 1.0, 2.0)):
        candidate = Calibration(best.bias, clash, agree, missing)
        value = score(candidate)
        if value > best_score:
            best, best_score = candidate, value
    return best, baseline, best_score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("verification/model"))
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args(argv)
    from verification.stance import _sha256

    model = OnnxStanceModel(args.model)
    calibration, before, after = fit(model, load_fold(args.data / "eval", "calibrate"))
    manifest_path = args.model / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["calibration"] = {
        "bias": list(calibration.bias), "clash_weight": calibration.clash_weight,
        "agree_weight": calibration.agree_weight, "missing_weight": calibration.missing_weight,
        "fitted_on": "calibrate fold of climate_fever + check_covid dev pairs",
        "calibrate_fold_macro_f1": {"before": round(before, 4), "after": round(after, 4)},
    }
    manifest["sha256"] = _sha256(args.model / manifest["file"])
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(manifest["calibration"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
