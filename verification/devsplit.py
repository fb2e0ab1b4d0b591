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


def kfold_of(claim_id: str, k: int) -> int:
    """The claim's part in a k-fold cross-validation over all of dev. Its own hash (salted), so the parts cut
    across the three folds above instead of copying their boundaries."""
    return int(hashlib.sha1(f"kfold:{claim_id}".encode()).hexdigest(), 16) % k


def claim_digest(claim: str) -> str:
    """A short digest of a claim's text: a model's manifest lists the claims it trained on this way, so a later
    measurement can count them out without the repository holding the dev text."""
    return hashlib.sha1(" ".join(claim.split()).casefold().encode()).hexdigest()[:12]
