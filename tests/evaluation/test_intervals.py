"""Bootstrap intervals of the eval report: the vectorised resampling agrees with the plain metric, claim by claim."""

from __future__ import annotations

import random

import numpy as np
import pytest

from evaluation import intervals
from evaluation.metrics import classification_report
from verification.types import STANCES

pytestmark = pytest.mark.unit


def _reference(claim_of, gold, predicted):
    """Each resample rebuilt item by item and scored by evaluation.metrics, with the same draws."""
    claims = sorted(set(claim_of))
    items = {c: [(g, p) for c2, g, p in zip(claim_of, gold, predicted) if c2 == c] for c in claims}
    accuracy, macro = [], []
    for draw in intervals.resample_claims(len(claims)):
        chosen = [item for i in draw for item in items[claims[i]]]
        report = classification_report([g for g, _ in chosen], [p for _, p in chosen], STANCES)
        accuracy.append(report["accuracy"])
        macro.append(report["macro_f1"])
    return {name: [round(float(x), 4) for x in np.percentile(values, [2.5, 97.5])]
            for name, values in (("accuracy", accuracy), ("macro_f1", macro))}


def test_resampled_claims_bring_all_their_pairs_and_score_as_the_plain_metric_does():
    rng = random.Random(3)
    claim_of, gold, predicted = [], [], []
    for claim in range(40):
        for _ in range(rng.randint(1, 4)):  # a claim's pairs stay together in every resample
            claim_of.append(f"c{claim}")
            gold.append(rng.choice(STANCES))
            predicted.append(gold[-1] if rng.random() < 0.6 else rng.choice(STANCES))
    got = intervals.classification_intervals(claim_of, gold, predicted, STANCES)
    want = _reference(claim_of, gold, predicted)
    # evaluation.metrics rounds each resample's figure to 4 places before the percentile; we do not.
    for name in ("accuracy", "macro_f1"):
        assert got[name] == pytest.approx(want[name], abs=2e-4)
    point = classification_report(gold, predicted, STANCES)["macro_f1"]
    assert got["macro_f1"][0] < point < got["macro_f1"][1]


def test_perfect_predictions_have_no_spread_and_more_claims_narrow_the_interval():
    labels = list(STANCES) * 20
    assert intervals.classification_intervals([f"c{i}" for i in range(60)], labels, labels, STANCES) == {
        "accuracy": [1.0, 1.0], "macro_f1": [1.0, 1.0]}
    # A resample that happens to hold no claim of a class scores that class 0, as evaluation.metrics does.
    assert intervals.classification_intervals(["a", "b", "c"], STANCES, STANCES, STANCES)["macro_f1"][0] < 1
    small = intervals.mean_intervals({"hit@5": [1.0, 0.0] * 25})["hit@5"]
    large = intervals.mean_intervals({"hit@5": [1.0, 0.0] * 250})["hit@5"]
    assert small[0] < large[0] <= 0.5 <= large[1] < small[1]
    # Nothing to resample: no interval rather than a made-up one.
    assert intervals.mean_intervals({"hit@5": []}) == {}
    assert intervals.classification_intervals([], [], [], STANCES) == {}
