"""Aggregate the stances of a claim's evidence into one verdict with a confidence and its reasons."""

from __future__ import annotations

from retrieval.types import Evidence
from verification.types import Stance, Verdict

# Defaults for models without fitted values. A stance counts as a vote only when the model is reasonably
# sure; when both sides have votes, one side wins outright only if it is clearly stronger.
VOTE_THRESHOLD = 0.5
DOMINANCE = 0.35


def decide(evidence: list[Evidence], stances: list[Stance], vote_threshold: float = VOTE_THRESHOLD,
           dominance: float = DOMINANCE) -> Verdict:
    """The shipped model's manifest carries fitted values for both thresholds (training.calibrate)."""
    votes = [(e, s) for e, s in zip(evidence, stances) if not e.after_article]
    supports = sorted((s.scores["SUPPORTS"], e.passage.id) for e, s in votes
                      if s.label == "SUPPORTS" and s.score >= vote_threshold)[::-1]
    refutes = sorted((s.scores["REFUTES"], e.passage.id) for e, s in votes
                     if s.label == "REFUTES" and s.score >= vote_threshold)[::-1]
    if not supports and not refutes:
        nei = max((s.scores["NOT_ENOUGH_INFO"] for _, s in votes), default=1.0)
        reason = "no retrieved passage supports or contradicts the claim" if votes else "nothing retrieved"
        return Verdict("no evidence", round(nei, 3), (), reason)
    best_support = supports[0][0] if supports else 0.0
    best_refute = refutes[0][0] if refutes else 0.0
    if supports and refutes and abs(best_support - best_refute) < dominance:
        return Verdict(
            "mixed", round(min(best_support, best_refute), 3),
            tuple(pid for _, pid in supports[:2] + refutes[:2]),
            f"{len(supports)} passage(s) support and {len(refutes)} contradict the claim",
        )
    if best_support >= best_refute:
        return Verdict("supported", round(best_support, 3), tuple(pid for _, pid in supports[:3]),
                       f"{len(supports)} passage(s) support the claim")
    return Verdict("conflicted", round(best_refute, 3), tuple(pid for _, pid in refutes[:3]),
                   f"{len(refutes)} passage(s) contradict the claim")
