"""95% bootstrap intervals for `claimdesk eval`'s figures, resampling *claims*.

A held-out dev fold has 60 to 150 claims, so one claim moves hit@5 by 0.007 to 0.017, and two models that
differ by two claims are not told apart. The report gives each headline figure an interval so that nobody ships
(or rejects) a model on a difference the data cannot resolve.

The unit is the claim, not the pair: a claim's pairs share its wording and usually its label, so resampling pairs
would treat them as independent and give intervals that are too narrow. Percentile intervals, a fixed seed, so
a report is reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

RESAMPLES = 1000
SEED = 0
METHOD = f"percentile bootstrap over claims, {RESAMPLES} resamples, seed {SEED}"


def resample_claims(claims: int) -> np.ndarray:
    return np.random.default_rng(SEED).integers(0, claims, size=(RESAMPLES, claims))


def _interval(values: np.ndarray) -> list[float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return [round(float(low), 4), round(float(high), 4)]


def mean_intervals(per_claim: dict[str, Sequence[float]]) -> dict[str, list[float]]:
    """Intervals of means over claims; each named figure gives one value per claim, in the same claim order."""
    lengths = {len(values) for values in per_claim.values()}
    if len(lengths) != 1 or 0 in lengths:
        return {}
    draws = resample_claims(lengths.pop())
    return {name: _interval(np.asarray(values, dtype=float)[draws].mean(axis=1))
            for name, values in per_claim.items()}


def classification_intervals(claim_of: Sequence[str], gold: Sequence[str], predicted: Sequence[str],
                             labels: Sequence[str]) -> dict[str, list[float]]:
    """Accuracy and macro-F1 (as evaluation.metrics defines them) over resampled claims, each drawn claim
    bringing all of its items (a verdict: one; gold pairs: all of the claim's)."""
    if not gold:
        return {}
    claims = sorted(set(claim_of))
    samples = classification_samples(claims, claim_of, gold, predicted, labels, resample_claims(len(claims)))
    return {name: _interval(values) for name, values in samples.items()}


def classification_samples(claims: Sequence[str], claim_of: Sequence[str], gold: Sequence[str],
                           predicted: Sequence[str], labels: Sequence[str], draws: np.ndarray) -> dict[str, np.ndarray]:
    """Accuracy and macro-F1 of each resample; ``draws`` index into ``claims``. Shared draws make two systems'
    samples paired (eval-compare)."""
    position = {c: i for i, c in enumerate(claims)}
    index = {label: i for i, label in enumerate(labels)}
    # One confusion matrix per claim, so a resample's matrix is a sum over its drawn claims.
    confusion = np.zeros((len(claims), len(labels), len(labels)))
    for claim, g, p in zip(claim_of, gold, predicted):
        confusion[position[claim], index[g], index[p]] += 1
    totals = confusion[draws].sum(axis=1)  # (resamples, gold, predicted)
    tp = np.diagonal(totals, axis1=1, axis2=2)
    predicted_count, gold_count = totals.sum(axis=1), totals.sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(predicted_count > 0, tp / predicted_count, 0.0)
        recall = np.where(gold_count > 0, tp / gold_count, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
        accuracy = np.where(totals.sum(axis=(1, 2)) > 0, tp.sum(axis=1) / totals.sum(axis=(1, 2)), 0.0)
    return {"accuracy": accuracy, "macro_f1": f1.mean(axis=1)}


def paired_difference(baseline: np.ndarray, candidate: np.ndarray, point: tuple[float, float]) -> dict:
    """The candidate minus the baseline, with the interval of that difference over the same resamples. "resolved"
    says whether the interval excludes 0: whether these claims can tell the two apart at all."""
    low, high = _interval(candidate - baseline)
    return {"baseline": round(point[0], 4), "candidate": round(point[1], 4),
            "difference": round(point[1] - point[0], 4), "ci95": [low, high], "resolved": low > 0 or high < 0}
