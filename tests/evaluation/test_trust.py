"""The trust suite (tests/trust/): contrastive claims over stories unlike the demo, each with its own small corpus.
No claim may be called supported where its corpus contradicts it or does not decide it."""

from __future__ import annotations

import json

import pytest

from evaluation.devset import DevSetError
from evaluation.trust import read_story, run_trust, score
from tests.conftest import REPO

SUITE = REPO / "tests" / "trust"
KINDS = {"support", "date", "number", "ordinal", "actor", "negation", "plan", "other_fact", "not_covered"}


@pytest.mark.unit
def test_the_suite_covers_every_kind_in_every_story():
    stories = sorted(p for p in SUITE.iterdir() if p.is_dir())
    claims = [c for story in stories for c in read_story(story)]
    assert len(stories) >= 5 and len(claims) >= 60
    assert {c["kind"] for c in claims} == KINDS
    for story in stories:
        kinds = {c["kind"] for c in read_story(story)}
        assert {"support", "date", "number", "negation", "actor", "not_covered"} <= kinds, story.name
        # Every corpus record is dated, so the date guard can keep reporting published after a claim out of it.
        assert all(json.loads(line)["date"] for line in (story / "corpus.jsonl").read_text().splitlines())


@pytest.mark.unit
def test_the_score_counts_false_supports_per_kind():
    rows = [
        {"story": "a", "claim_id": "1", "kind": "date", "verdict": "supported", "correct": False,
         "false_support": True},
        {"story": "a", "claim_id": "2", "kind": "date", "verdict": "conflicted", "correct": True,
         "false_support": False},
        {"story": "b", "claim_id": "3", "kind": "support", "verdict": "supported", "correct": True,
         "false_support": False},
    ]
    report = score(rows)
    assert report["accuracy"] == round(2 / 3, 4) and report["false_supports"] == 1 and report["stories"] == 2
    assert report["per_kind"]["date"] == {"claims": 2, "accuracy": 0.5, "false_supports": 1,
                                          "verdicts": {"conflicted": 1, "supported": 1}}
    assert report["false_support_claims"] == ["1"]


@pytest.mark.unit
def test_a_malformed_story_is_a_one_line_error(tmp_path):
    (tmp_path / "claims.jsonl").write_text('{"id": "x", "claim": "c", "date": "2022-13-01", "kind": "date", '
                                           '"expected": ["conflicted"]}\n')
    with pytest.raises(DevSetError, match="date '2022-13-01'"):
        read_story(tmp_path)
    (tmp_path / "claims.jsonl").write_text('{"id": "x", "claim": "c", "date": "2022-01-01", "kind": "date"}\n')
    with pytest.raises(DevSetError, match="expected must be a list"):
        read_story(tmp_path)


@pytest.mark.slow
def test_no_false_supports_and_most_verdicts_right(settings):
    report, rows = run_trust(settings, SUITE)
    assert report["false_supports"] == 0, report["false_support_claims"]
    # 0.851 on 2026-12-02 (bench/RESULTS.md, "Verdict trust"). The suite holds nineteen stories written blind, whose
    # first runs scored 0.54-0.68; the floor guards against regressions of the rules, with one story's room.
    assert report["accuracy"] >= 0.84, report["per_kind"]
    assert len(rows) == report["claims"] >= 60


@pytest.mark.integration
def test_the_demo_shows_the_conflicts_its_corpus_plants(demo_result):
    """corpus/README.md: the article carries one wrong detail (Ri's Sweden trip "in February"; it was March) and
    one claim no item covers (fishing quotas), and some items disagree on a detail on purpose."""
    verdicts = {item.claim.text: item.verdict for item in demo_result.claims}
    ri = next(v for text, v in verdicts.items() if "Sweden in February" in text)
    assert ri.label == "conflicted" and "February" in ri.reason and "March" in ri.reason
    fishing = next(v for text, v in verdicts.items() if "fishing quotas" in text)
    assert fishing.label == "not covered"
    # The items that disagree on the summit's date show as sources that disagree.
    summit = next(v for text, v in verdicts.items() if "on April 27" in text)
    assert summit.label == "mixed" and "disagree" in summit.reason
