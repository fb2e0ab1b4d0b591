"""Stance evaluation on gold claim–evidence pairs, returning plain dicts of named metrics."""

from __future__ import annotations

from evaluation.metrics import classification_report
from verification.types import STANCES


def stance_report_for_model(model, pairs: list[tuple[str, str, int]]) -> dict:
    """Raw model quality on (evidence, claim, label-index) triples, before calibration and checks."""
    probs = model.predict([(p, h) for p, h, _ in pairs])
    predicted = [STANCES[i] for i in probs.argmax(axis=1)]
    return classification_report([STANCES[y] for _, _, y in pairs], predicted, STANCES)


def stance_report(judge, rows: list[dict]) -> tuple[dict, list[dict]]:
    """Quality of the full stance decision (model + checks + calibration) on pairs.jsonl rows."""
    stances = judge.judge([(row["claim"], row["evidence"]) for row in rows])
    report = classification_report([row["label"] for row in rows], [s.label for s in stances], STANCES)
    predictions = [
        {"type": "stance", "pair_id": row["id"], "label": s.label, "scores": s.scores,
         "flags": [f.describe() for f in s.flags if f.relation == "clashes"]}
        for row, s in zip(rows, stances)
    ]
    return report, predictions
