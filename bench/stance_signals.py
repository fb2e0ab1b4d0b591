"""Do the relevance signals the product already computes add to the stance model's probabilities?

    .venv/bin/python bench/stance_signals.py [--data ../shared/data] [--halvings 20]

For every gold pair of the *calibrate* fold (both dev sets) it reads three signals:
- the shipped stance model's log-probabilities (what decides a stance today);
- the cosine between claim and passage under the retrieval encoder (free: the search computes both vectors);
- the trained evidence reranker's logit (an extra model pass per pair).

A passage that does not decide a claim (NOT_ENOUGH_INFO) is often one that is merely on its topic, so a
relevance signal could sharpen the one call the stance model makes worst. The test: a multinomial logistic
regression on the signals, fitted on a random half of the calibrate claims of both sets and scored on the other
half, against the shipped model's own argmax, over many halvings. Arm A (log-probabilities alone) is the
recalibration control, so a gain of B or C over A is the signal's own. It also gives each signal's AUC for
telling NOT_ENOUGH_INFO pairs from deciding ones.

The held-out fold is never read: this is where a choice would be made, so figures from it would not be
held out any more.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SETS = ("climate_fever", "check_covid")
ARMS = {"A: log-probabilities (recalibration)": ("logp",),
        "B: + retrieval cosine": ("logp", "cosine"),
        "C: + retrieval cosine + reranker logit": ("logp", "cosine", "reranker")}


def signals(data: Path) -> dict[str, list[dict]]:
    """The calibrate fold's gold pairs of each set, with every signal."""
    import numpy as np

    from retrieval.encoder import load_encoder
    from retrieval.index import passage_text
    from retrieval.rerank import OnnxReranker
    from retrieval.types import Passage
    from verification.devsplit import CALIBRATE, DevSplit, dev_file_rows
    from verification.stance import OnnxStanceModel

    stance, reranker = OnnxStanceModel(), OnnxReranker()
    encoder = load_encoder(REPO / ".claimdesk" / "cache")
    out = {}
    for name in SETS:
        folder = data / "eval" / name
        split = DevSplit.of_dir(folder)
        titles = {r["id"]: r.get("title") or "" for r in dev_file_rows(folder, "corpus.jsonl")}
        rows = [p for p in dev_file_rows(folder, "pairs.jsonl") if split.fold(p["claim_id"]) == CALIBRATE]
        # The stance model reads the passage alone (as the product does); the reranker and the search read it
        # with its title first (as indexed).
        titled = [passage_text(Passage(id="", doc_id="", text=p["evidence"], start=0, end=0,
                                       title=titles.get(p.get("evidence_id"), ""))) for p in rows]
        logp = np.log(np.clip(stance.predict([(p["evidence"], p["claim"]) for p in rows]), 1e-9, 1.0))
        logits = reranker.scores(list(zip(titled, [p["claim"] for p in rows])))
        cosine = (encoder.encode([p["claim"] for p in rows]) * encoder.encode(titled)).sum(axis=1)
        out[name] = [{"claim_id": p["claim_id"], "label": p["label"], "logp": lp.tolist(), "cosine": float(c),
                      "reranker": float(r)} for p, lp, c, r in zip(rows, logp, cosine, logits)]
    return out


def features(rows: list[dict], names: tuple[str, ...]):
    import numpy as np

    columns = [np.array([r["logp"] for r in rows])]
    columns += [np.array([[r[n]] for r in rows]) for n in names if n != "logp"]
    return np.hstack(columns)


def halving_gains(sets: dict[str, list[dict]], halvings: int) -> dict:
    """Per arm and set: the mean macro-F1 gain over the model's argmax on the scored halves, and how many of the
    halvings gained."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from verification.metrics import classification_report
    from verification.types import STANCES

    gains: dict[str, dict[str, list[float]]] = {arm: {n: [] for n in sets} for arm in ARMS}
    for seed in range(halvings):
        rng = np.random.default_rng(seed)
        fit, score = {}, {}
        for name, rows in sets.items():
            # Halves of claims, not pairs: a claim's pairs share its wording, and would leak across the halves.
            claims = sorted({r["claim_id"] for r in rows})
            rng.shuffle(claims)
            first = set(claims[: len(claims) // 2])
            fit[name] = [r for r in rows if r["claim_id"] in first]
            score[name] = [r for r in rows if r["claim_id"] not in first]
        labels = np.concatenate([[STANCES.index(r["label"]) for r in fit[n]] for n in sets])
        # Each set weighs the same in the fit (Check-COVID's calibrate fold has a sixth of Climate-FEVER's pairs),
        # and each class inversely to its frequency, as the stance model was trained.
        weight = np.concatenate([np.full(len(fit[n]), 1.0 / len(fit[n])) for n in sets])
        counts = np.bincount(labels, minlength=len(STANCES)).astype(float)
        weight = weight * (len(labels) / (len(STANCES) * np.maximum(counts, 1.0)))[labels]
        for arm, names in ARMS.items():
            model = LogisticRegression(C=1.0, max_iter=2000)
            model.fit(np.vstack([features(fit[n], names) for n in sets]), labels, sample_weight=weight / weight.mean())
            for name in sets:
                gold = [r["label"] for r in score[name]]
                shipped = [STANCES[int(np.argmax(r["logp"]))] for r in score[name]]
                stacked = [STANCES[i] for i in model.predict(features(score[name], names))]
                gains[arm][name].append(classification_report(gold, stacked, STANCES)["macro_f1"]
                                        - classification_report(gold, shipped, STANCES)["macro_f1"])
    return {arm: {name: {"mean_gain": round(float(np.mean(v)), 4), "halvings_gained": int(sum(g > 0 for g in v)),
                         "halvings": len(v)} for name, v in per_set.items()} for arm, per_set in gains.items()}


def nei_auc(sets: dict[str, list[dict]]) -> dict:
    """How well each signal alone tells NOT_ENOUGH_INFO pairs from deciding ones (AUC, 0.5 is chance)."""
    from sklearn.metrics import roc_auc_score

    from verification.types import STANCES

    nei_column = STANCES.index("NOT_ENOUGH_INFO")
    out = {}
    for name, rows in sets.items():
        nei = [r["label"] == "NOT_ENOUGH_INFO" for r in rows]
        out[name] = {"pairs": len(rows), "nei_pairs": sum(nei),
                     "stance P(NEI)": round(roc_auc_score(nei, [r["logp"][nei_column] for r in rows]), 3),
                     "low retrieval cosine": round(roc_auc_score(nei, [-r["cosine"] for r in rows]), 3),
                     "low reranker logit": round(roc_auc_score(nei, [-r["reranker"] for r in rows]), 3)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--halvings", type=int, default=20)
    args = parser.parse_args()
    from claimdesk.offline import enforce_offline

    enforce_offline()
    sets = signals(args.data)
    print(json.dumps({"fold": "calibrate", "nei_auc": nei_auc(sets), "stacked_minus_shipped_macro_f1":
                      halving_gains(sets, args.halvings)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
