"""Contrastive stance pairs change exactly one detail the passage states, so the passage contradicts the new
claim; a claim with no such detail gives no pair."""

from __future__ import annotations

import random

import pytest

from training.contrastive import contradict, contrastive_pairs, perturb, swap_antonym, swap_role, undeny
from training.news_pairs import shorten

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


@pytest.mark.unit
@pytest.mark.parametrize("sentence, expected", [
    ("Woods made the cut at Bethpage.", "Woods missed the cut at Bethpage."),
    ("Shares Rose 3% after the vote.", "Shares Fell 3% after the vote."),
    ("The jury acquitted him of fraud.", "The jury convicted him of fraud."),
])
def test_an_antonym_swap_turns_one_word_into_its_opposite(sentence, expected):
    assert swap_antonym(sentence, random.Random(1)) == expected


@pytest.mark.unit
def test_no_antonym_inside_a_longer_word():
    # "made" inside "homemade", "lost" inside "lobster": whole words only.
    assert swap_antonym("The homemade lobster dish.", random.Random(1)) is None


@pytest.mark.unit
@pytest.mark.parametrize("sentence, expected", [
    ("The funds did enter the system but were not recorded.", "The funds did enter the system but were recorded."),
    ("The sprout hasn't survived the night.", "The sprout has survived the night."),
    ("He won't run again.", "He will run again."),
    ("She has never lost a final.", "She has lost a final."),
])
def test_taking_a_denial_out(sentence, expected):
    assert undeny(sentence, random.Random(1)) == expected


@pytest.mark.unit
def test_a_sentence_that_denies_nothing_is_not_undenied():
    # "did not enter" needs the verb inflected to undo; it is left alone rather than made ungrammatical.
    assert undeny("The money did not enter the country.", random.Random(1)) is None
    assert undeny("The money entered the country.", random.Random(1)) is None


@pytest.mark.unit
@pytest.mark.parametrize("sentence, expected", [
    ("The jury found him guilty of all four charges, the court said.",
     "The jury found him guilty of all four charges."),
    ("Police said on Monday that the bridge over the river had collapsed.",
     "The bridge over the river had collapsed."),
    ("On Monday, the central bank raised its main rate by half a point.",
     "The central bank raised its main rate by half a point."),
])
def test_shortening_takes_out_a_part_the_claim_does_not_rest_on(sentence, expected):
    assert shorten(sentence, random.Random(1)) == expected


@pytest.mark.unit
def test_said_with_a_time_is_not_taken_for_a_clause():
    sentence = "Gruber said in November that Apple is working on a new phone."
    assert shorten(sentence, random.Random(1)) == sentence


@pytest.mark.integration
def test_a_role_swap_gives_the_deed_to_someone_the_passage_names():
    premise = ("Team boss Grant Dalton said the syndicate hoped to challenge again. "
               "Skipper Dean Barker, who helmed the boat, said the defeat would hurt.")
    new = swap_role("Dean Barker helmed the boat throughout the match.", premise, random.Random(1))
    assert new == "Grant Dalton helmed the boat throughout the match."
    # Nobody else named: nothing to swap to.
    assert swap_role("Dean Barker helmed the boat.", "Dean Barker helmed the boat.", random.Random(1)) is None


@pytest.mark.integration
def test_a_role_swap_is_labelled_only_not_supported():
    premise = "Grant Dalton runs the team. Dean Barker helmed the boat throughout the match."
    made = [contradict("Dean Barker helmed the boat throughout the match.", premise, turn, random.Random(turn), {})
            for turn in range(8)]
    labels = {kind: label for _, label, kind in filter(None, made)}
    assert labels.get("role") == "NOT_SUPPORTS"
    assert set(labels.values()) <= {"REFUTES", "NOT_SUPPORTS"}


@pytest.mark.integration
def test_minimal_pairs_keep_the_supported_claim_beside_its_contradiction():
    from training.contrastive import minimal_pairs

    pairs = [(PREMISE, "The Bank of England raised rates to 1.75% in 2022.", 0),
             (PREMISE, "The Bank of England cut rates.", 1)]
    rows, counts = minimal_pairs(pairs, 5, random.Random(2))
    assert [r["l"] for r in rows][0] == "SUPPORTS" and rows[0]["h"] == pairs[0][1]
    assert rows[1]["l"] in ("REFUTES", "NOT_SUPPORTS") and rows[1]["h"] != pairs[0][1]
    # The refuted claim is never a source: only the one supported claim gave a pair.
    assert len(rows) == 2 and sum(counts.values()) == 1
