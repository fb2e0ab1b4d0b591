"""Deterministic split of the shared dev sets, so training never sees the pairs we report on.

A pair belongs to the fold of its *claim*: the same claim never sits in two folds, which keeps
near-duplicate evidence of one claim from leaking between training and measurement.
"""

from __future__ import annotations

import hashlib

TRAIN, CALIBRATE, HELDOUT = "train", "calibrate", "heldout"


def fold_of(claim_id: str) -> str:
    """50% train, 20% calibrate (thresholds), 30% held out (reported only)."""
    bucket = int(hashlib.sha1(claim_id.encode("utf-8")).hexdigest(), 16) % 10
    if bucket < 5:
        return TRAIN
    if bucket < 7:
        return CALIBRATE
    return HELDOUT
