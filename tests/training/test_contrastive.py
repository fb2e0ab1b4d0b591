"""Contrastive stance pairs change exactly one detail the passage states, so the passage contradicts the new
claim; a claim with no such detail gives no pair."""

from __future__ import annotations

import random

import pytest

from training.contrastive import contrastive_pairs, perturb

PREMISE = "The Bank of England raised rates by 0.5 points to 1.75% on August 4, 2022, its sixth rise in a row."


@pytest.mark.unit
@pytest.mark.parametrize("kind, claim, changed", [
    ("date", "The Bank of England raised rates to 1.75% on August 4, 2022.", "2022"),
    ("number", "The Bank of England raised rates to 1.75% on August 4, 2022.", "1.75"),
    ("negation", "The Bank of England was raising rates in August 2022.", "was not"),
])
def test_each_kind_changes_one_detail_the_passage_states(kind, claim, changed):
    new = perturb(claim, PREMISE, kind, random.Random(1), {})
    assert new and new != claim
    assert (changed in new) == (kind == "negation")
    # Only that detail: the words on either side of it are the claim's own.
    assert new.split()[:3] == claim.split()[:3]


@pytest.mark.unit
def test_a_detail_the_passage_does_not_state_is_not_changed():
    # The claim's figure (2%) is not in the passage: changing it would not make the passage contradict the claim.
    assert perturb("The Bank raised rates to 2% in 2019.", PREMISE, "number", random.Random(1), {}) is None
    # A bound is not a value: "more than 1.5%" is not contradicted by another figure in turn.
    assert perturb("Rates rose to more than 1.75% in 2022.", PREMISE, "number", random.Random(1), {}) is None
    # A claim that already denies is not negated twice.
    assert perturb("The Bank did not raise rates.", PREMISE, "negation", random.Random(1), {}) is None


@pytest.mark.integration
def test_pairs_are_refutations_of_supported_claims_only():
    pairs = [(PREMISE, "The Bank of England raised rates to 1.75% on August 4, 2022.", 0),
             (PREMISE, "The Bank of England cut rates.", 1),
             ("Sergey Lavrov visited Pyongyang in 2009.", "Sergey Lavrov visited Pyongyang in 2009.", 0)]
    made, counts = contrastive_pairs(pairs, 10, random.Random(3))
    assert made and all(label == 1 for _, _, label in made)
    assert all(premise == PREMISE or "Lavrov" in premise for premise, _, _ in made)
    assert sum(counts.values()) == len(made) <= 2
