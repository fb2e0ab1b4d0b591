"""training.suite_pairs labels only what a trust suite knows about a pair (invented story)."""

from __future__ import annotations

import pytest

from claims.types import Claim
from retrieval.types import Evidence, Passage
from training.suite_pairs import label_pairs
from verification.roles import RELATED, SUPPORT, UNRELATED
from verification.types import CheckedClaim, Flag, Stance, Verdict

pytestmark = pytest.mark.unit

CLAIM = "The Varna ferry sank on 3 May 2021 with 40 people aboard."


def _checked(verdict: str, *passages: tuple[str, Stance]) -> CheckedClaim:
    evidence = tuple(Evidence(Passage(f"p{i}", f"d{i}", text, 0, len(text)), 1.0 - i / 10, i + 1)
                     for i, (text, _) in enumerate(passages))
    return CheckedClaim(Claim("c1", "a1", CLAIM, 0, len(CLAIM)), evidence, tuple(s for _, s in passages),
                        Verdict(verdict, 0.6))


def _stance(label="SUPPORTS", support=0.8, role=RELATED, flags=(), weighed=True) -> Stance:
    return Stance(label, support, {"SUPPORTS": support}, {"SUPPORTS": support}, flags, role, weighed=weighed)


CLASH = Flag("number", "clashes", "40", "60")
SAME = "The Varna ferry sank on 3 May 2021 with 40 people aboard, the coastguard said."
OTHER = "Ana Ruiz opened a new ferry terminal in Dravia last spring."


def test_a_clash_of_the_claims_own_kind_refutes_and_the_other_passages_do_not_support():
    claim = {"claim": CLAIM, "kind": "number", "expected": ["conflicted"]}
    checked = _checked("supported", (SAME.replace("40", "60"), _stance(flags=(CLASH,))), (OTHER, _stance()),
                       (OTHER + " Again.", _stance(weighed=False, role=UNRELATED)))
    assert [label for _, _, label in label_pairs(claim, checked)] == ["REFUTES", "NOT_SUPPORTS"]
    # A clash of another kind than the claim tests is no refutation the suite knows of.
    date_claim = {**claim, "kind": "date"}
    assert [label for _, _, label in label_pairs(date_claim, checked)] == ["NOT_SUPPORTS", "NOT_SUPPORTS"]


def test_a_claim_of_another_fact_is_undecided_by_every_passage():
    claim = {"claim": CLAIM, "kind": "other_fact", "expected": ["no evidence", "not covered"]}
    checked = _checked("supported", (SAME, _stance(role=SUPPORT)), (OTHER, _stance()))
    assert {label for _, _, label in label_pairs(claim, checked)} == {"NOT_ENOUGH_INFO"}


def test_supports_are_the_passages_the_product_already_reads_as_support_or_one_clear_pick():
    claim = {"claim": CLAIM, "kind": "support", "expected": ["supported"]}
    right = _checked("supported", (SAME, _stance(role=SUPPORT)), (OTHER, _stance(support=0.1)))
    assert [(p, label) for p, _, label in label_pairs(claim, right)] == [(SAME, "SUPPORTS")]
    # A missed support: the one passage that shares the claim's words and the model's lean stands clear.
    missed = _checked("no evidence", (OTHER, _stance(support=0.2)), (SAME, _stance(support=0.3)))
    assert [(p, label) for p, _, label in label_pairs(claim, missed)] == [(SAME, "SUPPORTS")]
    # Two passages alike: which one supports the claim is not known, so neither is labelled.
    twins = _checked("no evidence", (SAME, _stance(support=0.3)), (SAME + " ", _stance(support=0.3)))
    assert label_pairs(claim, twins) == []
