"""Fit the stance combination (class biases, weight of check findings) on the calibration fold.

    python -m training.calibrate --model verification/model

The fold is disjoint from both the training fold and the held-out fold we report on (evaluation.devset).
The fit maximises the mean macro-F1 over the two dev sets with a coarse grid over a handful of
parameters: the weights of the consistency checks, then the verdict's two thresholds.
"""

from __future__ import annotations

import argparse
import itertools
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from evaluation.metrics import classification_report
from verification.checks import compare
from verification.stance import Calibration, OnnxStanceModel, combine
from verification.types import STANCES


def load_fold(eval_dir: Path, fold: str) -> dict[str, list[dict]]:
    from evaluation.devset import DevSet

    return {name: DevSet.read(eval_dir / name).pairs_in(fold) for name in ("climate_fever", "check_covid")}


def fit(model, sets: dict[str, list[dict]]) -> tuple[Calibration, float, float]:
    prepared = {}
    for name, rows in sets.items():
        probs = model.predict([(r["evidence"], r["claim"]) for r in rows])
        flags = [compare(r["claim"], r["evidence"]) for r in rows]
        prepared[name] = (probs, flags, [r["label"] for r in rows])

    def per_set(calibration: Calibration) -> list[float]:
        f1s = []
        for probs, flags, gold in prepared.values():
            predicted = [STANCES[int(combine(p, f, calibration).argmax())] for p, f in zip(probs, flags)]
            f1s.append(classification_report(gold, predicted, STANCES)["macro_f1"])
        return f1s

    reference = per_set(Calibration())

    def score(calibration: Calibration) -> float:
        """Max-min across dev sets: a setting must help every domain, not the average of them."""
        gains = [after - before for after, before in zip(per_set(calibration), reference)]
        return float(np.mean(reference)) + min(gains)

    # Only the weights of the check findings are fitted. Class biases would encode the label mix of the
    # calibration fold (NEI is 60% of Climate-FEVER pairs, 24% of Check-COVID) rather than anything the model
    # gets wrong (verification/model/MODEL_CARD.md).
    baseline = score(Calibration())
    best, best_score = Calibration(), baseline
    for clash, agree, missing in itertools.product((0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0), (0.0, 0.25, 0.5, 1.0),
                                                   (0.0, 0.5, 1.0, 2.0)):
        candidate = Calibration((0.0, 0.0, 0.0), clash, agree, missing)
        value = score(candidate)
        if value > best_score + 0.002:  # a tie keeps the simpler (smaller) setting
            best, best_score = candidate, value
    return best, baseline, best_score


def scale(probs: np.ndarray, temperature) -> np.ndarray:
    """``probs`` with each row's log-probabilities divided by the temperature of its top stance."""
    logits = np.log(np.clip(probs, 1e-6, 1.0)) / np.asarray(temperature)[probs.argmax(axis=1)][:, None]
    logits -= logits.max(axis=1, keepdims=True)
    return np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)


def fit_temperature(predict, calibrate: dict[str, list[dict]], heldout: dict[str, list[dict]]) -> tuple[tuple, dict]:
    """The temperatures that make the top stance's probability most honest, chosen on the calibrate fold, and the
    confidence against accuracy before and after, on both folds. ``predict(rows)`` gives the stance probabilities
    the analyst would be shown without a temperature (the model's, or the model's combined with fitted checks).

    Four kinds, none of which changes which stance is on top: none (1, 1, 1); one temperature for all, fitted by log
    loss; one per stance on top, each fitted by log loss on the pairs where that stance is on top (a model can be
    overconfident in one stance and underconfident in another); and an isotonic map of the top stance's
    probability to how often it is right, which changes only the confidence shown (``Calibration.confidence_map``):
    a model whose confidence says little beyond a few levels is told honestly, where a temperature only stretches
    or squeezes it. The kind is chosen by cross-fitting inside the
    calibrate fold (fit on half its claims, measure ECE on the other half, both ways) so a kind with more parameters
    is not favoured for fitting the pairs it is scored on, and each dev set counts alike: a transform that suits
    Climate-FEVER's mostly-NEI pairs and misleads on Check-COVID's is not calibration an analyst can rely on. The
    chosen kind is then fitted on the whole calibrate fold."""
    import zlib

    from evaluation.calibration import reliability

    def probs_of(rows):
        return np.asarray(predict(rows)), [STANCES.index(r["label"]) for r in rows]

    fold_probs = {fold: {name: probs_of(rows) for name, rows in sets.items()}
                  for fold, sets in (("calibrate", calibrate), ("heldout", heldout))}
    grid = np.arange(0.3, 5.001, 0.05)

    def fitted(kind: str, parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[tuple, tuple | None]:
        """(temperatures, confidence map or None)."""
        if kind == "none" or not parts:
            return (1.0, 1.0, 1.0), None
        probs = np.concatenate([p for p, _ in parts])
        gold = np.concatenate([y for _, y in parts])
        if kind == "isotonic":
            from sklearn.isotonic import IsotonicRegression

            # Never below a third: a top stance out of three is at least as likely as the others.
            fit = IsotonicRegression(y_min=1 / 3, y_max=1.0, out_of_bounds="clip").fit(
                probs.max(axis=1), (probs.argmax(axis=1) == gold).astype(float))
            return (1.0, 1.0, 1.0), (tuple(round(float(x), 4) for x in fit.X_thresholds_),
                                     tuple(round(float(y), 4) for y in fit.y_thresholds_))

        def log_loss(t, rows):
            scaled = scale(probs[rows], (t, t, t))
            return float(-np.log(np.clip(scaled[np.arange(int(rows.sum())), gold[rows]], 1e-9, 1)).mean())

        if kind == "one":
            t = round(float(min(grid, key=lambda t: log_loss(t, np.ones(len(gold), dtype=bool)))), 2)
            return (t, t, t), None
        per_stance = []
        for stance in range(3):
            top = probs.argmax(axis=1) == stance
            per_stance.append(round(float(min(grid, key=lambda t, top=top: log_loss(t, top))), 2)
                              if top.any() else 1.0)
        return tuple(per_stance), None

    def curve(p, y, transform):
        t, mapped = transform
        scaled = scale(p, t)
        shown = scaled.max(axis=1) if mapped is None else np.interp(scaled.max(axis=1), *mapped)
        result = reliability(shown.tolist(), (scaled.argmax(axis=1) == np.array(y)).tolist())
        result["by_stance"] = {
            STANCES[k]: {"pairs": int(on_top.sum()), "confidence": round(float(shown[on_top].mean()), 4),
                         "accuracy": round(float((np.array(y)[on_top] == k).mean()), 4)}
            for k in range(3) if (on_top := scaled.argmax(axis=1) == k).any()}
        return result

    # Halves of the calibrate fold by claim, so no claim's pairs are on both sides.
    halves: list[dict[str, tuple[np.ndarray, np.ndarray]]] = [{}, {}]
    for name, rows in calibrate.items():
        probs, gold = fold_probs["calibrate"][name]
        side = np.array([zlib.crc32(str(r.get("claim_id", r["claim"])).encode()) % 2 for r in rows])
        for half in (0, 1):
            halves[half][name] = (probs[side == half], np.array(gold)[side == half])

    tried = {}
    for kind in ("none", "one", "per stance", "isotonic"):
        scores = []
        for fit_on, score_on in ((0, 1), (1, 0)):
            t = fitted(kind, list(halves[fit_on].values()))
            scores.append(np.mean([curve(p, y, t)["ece"] for p, y in halves[score_on].values() if len(y)]))
        tried[kind] = {"cross_fitted_mean_set_ece": round(float(np.mean(scores)), 4)}
    # A tie keeps the simpler kind (dicts keep their order: none, one, per stance, isotonic).
    chosen = min(tried, key=lambda kind: tried[kind]["cross_fitted_mean_set_ece"])
    transform = fitted(chosen, [(p, np.array(y)) for p, y in fold_probs["calibrate"].values()])
    temperature, mapped = transform
    report: dict = {"candidates": tried, "chosen": chosen,
                    "confidence_map": None if mapped is None else {"x": list(mapped[0]), "y": list(mapped[1])}}
    for fold, by_set in fold_probs.items():
        pooled = (np.concatenate([p for p, _ in by_set.values()]), [y for _, ys in by_set.values() for y in ys])
        for name, (p, y) in {**by_set, "pooled": pooled}.items():
            report.setdefault(fold, {})[name] = {"before": curve(p, y, ((1.0, 1.0, 1.0), None)),
                                                 "after": curve(p, y, transform)}
    return temperature, report


def write_reliability_plot(report: dict, temperature: tuple, target: Path) -> None:
    """The held-out reliability diagram of the shipped probabilities: each dev set and both together."""
    from evaluation.calibration import reliability_svg

    names = {"climate_fever": "Climate-FEVER", "check_covid": "Check-COVID", "pooled": "both"}
    kept = ("no temperature" if report["chosen"] == "none" else
            "isotonic confidence map" if report["chosen"] == "isotonic"
            else "temperature " + " / ".join(f"{t:g}" for t in temperature))
    target.write_text(reliability_svg({names.get(name, name): curves["after"]
                                       for name, curves in report["heldout"].items()},
                                      f"Top-stance confidence, held-out fold ({kept})"), encoding="utf-8")


def _role_at(claim: str, evidence: str, stance, threshold: float) -> str:
    """The passage's role at another vote threshold, drawn as the judge draws it: the doer clash the judge added (for a
    passage that counted as support at its own threshold) is set aside, and found again only where the passage would
    count as support at this one."""
    from verification.doers import other_doer
    from verification.stance import judged_role

    added = other_doer(claim, evidence) if any(f.kind == "actor" and f.relation == "clashes"
                                               for f in stance.flags) else None
    flags = tuple(f for f in stance.flags if f != added)
    return judged_role(claim, evidence, flags, stance.label, stance.scores[stance.label], threshold)[0]


def fit_verdict(judge, eval_dir: Path, work: Path, top_k: int = 5) -> tuple[float, float, float, float]:
    """Fit the verdict's vote threshold and dominance margin end to end: calibration-fold claims, evidence
    retrieved from each dev corpus (not gold), stances from ``judge``. Returns (threshold, dominance,
    macro-F1 before, after)."""
    from claimdesk.pipeline import Pipeline
    from claimdesk.settings import Settings
    from evaluation.devset import CALIBRATE, DevSet
    from evaluation.end_to_end import VERDICT_TO_LABEL
    from retrieval.search import SearchFilters
    from verification.verdict import decide

    sets = []
    for name in ("climate_fever", "check_covid"):
        dev = DevSet.read(eval_dir / name)
        claims = dev.claims_in(CALIBRATE)
        pipeline = Pipeline(Settings.load(environ={}, data_dir=work, corpus_dir=dev.corpus_path))
        pipeline.build_index()
        found = pipeline.searcher.search([c["claim"] for c in claims], top_k, SearchFilters())
        stances = iter(judge.judge([(c["claim"], e.passage.text) for c, ev in zip(claims, found) for e in ev],
                                   titles=[e.passage.title for ev in found for e in ev]))
        per_claim = [(c["claim"], ev, [next(stances) for _ in ev]) for c, ev in zip(claims, found)]
        sets.append(([c["label"] for c in claims], per_claim))

    def score(threshold: float, dominance: float) -> float:
        # The vote threshold decides which stances count as support or contradiction, and so each passage's role:
        # the roles are drawn again for every threshold tried.
        f1s = []
        for gold, per_claim in sets:
            predicted = [VERDICT_TO_LABEL[decide(ev, [replace(s, role=_role_at(claim, e.passage.text, s, threshold))
                                                      for e, s in zip(ev, st)], threshold, dominance,
                                                     claim=claim).label]
                         for claim, ev, st in per_claim]
            f1s.append(classification_report(gold, predicted, STANCES)["macro_f1"])
        return float(np.mean(f1s))

    default = replace(Calibration())
    before = score(default.vote_threshold, default.dominance)
    best = (default.vote_threshold, default.dominance, before)
    for threshold in np.arange(0.35, 0.91, 0.05):
        for dominance in np.arange(0.0, 0.61, 0.05):
            value = score(float(threshold), float(dominance))
            if value > best[2]:
                best = (round(float(threshold), 2), round(float(dominance), 2), value)
    return best[0], best[1], before, best[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("verification/model"))
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--stance-checks", action="store_true",
                        help="also fit weights for the check findings in the stance (off: see MODEL_CARD.md)")
    parser.add_argument("--keep-thresholds", action="store_true",
                        help="fit the temperature only; keep the manifest's verdict thresholds")
    args = parser.parse_args(argv)
    import tempfile

    from common.model_files import sha256_of
    from evaluation import devset
    from verification.stance import StanceJudge

    model = OnnxStanceModel(args.model)
    if "calibrate" in model.manifest.get("domain_folds", ["train"]):
        # Fitted on claims the model trained on, the thresholds would suit its confidence on those claims, not
        # on an analyst's. The manifest keeps the thresholds it holds (MODEL_CARD.md says where they came from).
        print(f"{args.model} trained on the calibrate fold, so nothing is fitted there; the manifest's "
              "thresholds stay as they are")
        return 0
    if args.stance_checks:
        calibration, before, after = fit(model, load_fold(args.data / "eval", "calibrate"))
    else:
        calibration, before, after = Calibration(), float("nan"), float("nan")
    fitted_checks = calibration

    def shown_probabilities(rows: list[dict]) -> np.ndarray:
        """What the analyst is shown before any temperature: the model's probabilities, with fitted checks."""
        probs = model.predict([(r["evidence"], r["claim"]) for r in rows])
        if not args.stance_checks:
            return probs
        return np.array([combine(p, compare(r["claim"], r["evidence"]), fitted_checks) for p, r in zip(probs, rows)])

    temperature, ece = fit_temperature(shown_probabilities, load_fold(args.data / "eval", "calibrate"),
                                       load_fold(args.data / "eval", "heldout"))
    mapped = ece["confidence_map"]
    calibration = replace(calibration, temperature=temperature,
                          confidence_map=((tuple(mapped["x"]), tuple(mapped["y"])) if mapped else ((), ())))
    write_reliability_plot(ece, temperature, args.model / "reliability.svg")
    manifest_path = args.model / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if args.keep_thresholds:
        kept = manifest.get("calibration", {})
        calibration = replace(calibration, vote_threshold=float(kept.get("vote_threshold", calibration.vote_threshold)),
                              dominance=float(kept.get("dominance", calibration.dominance)))
        threshold, dominance = calibration.vote_threshold, calibration.dominance
        verdict_fit = kept.get("calibrate_fold_verdict_macro_f1")
    else:
        work = Path(tempfile.mkdtemp(prefix="claimdesk-calibrate-"))
        threshold, dominance, verdict_before, verdict_after = fit_verdict(
            StanceJudge(model, calibration), args.data / "eval", work)
        verdict_fit = {"before": round(verdict_before, 4), "after": round(verdict_after, 4)}
    manifest["calibration"] = {
        "bias": list(calibration.bias), "clash_weight": calibration.clash_weight,
        "agree_weight": calibration.agree_weight, "missing_weight": calibration.missing_weight,
        "fitted_on": "calibrate fold of climate_fever + check_covid dev pairs and claims",
        "dev_split_version": devset.VERSION,
        "fitted_for_stance_model_sha256": sha256_of(args.model / manifest["file"]),
        "stance_checks": bool(args.stance_checks),
        "calibrate_fold_macro_f1": (
            {"before": round(before, 4), "after": round(after, 4)} if args.stance_checks else None),
        "temperature": list(temperature),  # per stance on top, in the order of "labels"
        # The confidence shown for the top stance, from its probability (breakpoints; null: shown as it is).
        "confidence_map": mapped,
        # Top-stance ECE per fold and set, raw and calibrated, and each stance's confidence against its accuracy
        # when on top (the held-out fold is only reported, never fitted on).
        "ece": {fold: {name: {"raw": v["before"]["ece"], "calibrated": v["after"]["ece"], "pairs": v["after"]["n"],
                              "by_stance": {"raw": v["before"]["by_stance"], "calibrated": v["after"]["by_stance"]}}
                       for name, v in ece[fold].items()} for fold in ("calibrate", "heldout")},
        "temperature_candidates": ece["candidates"], "temperature_chosen": ece["chosen"],
        "vote_threshold": threshold, "dominance": dominance,
        "calibrate_fold_verdict_macro_f1": verdict_fit,
    }
    manifest["sha256"] = sha256_of(args.model / manifest["file"])
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(manifest["calibration"], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
