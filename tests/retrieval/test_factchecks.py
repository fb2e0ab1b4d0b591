"""Earlier fact-checks (schema.org ClaimReview) in a corpus folder: read, matched to claims, shown first. The
records are written for the test."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from retrieval.corpus import load_corpus
from retrieval.factchecks import read_fact_checks

pytestmark = pytest.mark.integration


def review(claim: str, rating: str, checker: str, day: str, url: str, claimant: str = "") -> dict:
    return {"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": claim,
            "reviewRating": {"@type": "Rating", "alternateName": rating}, "author": {"@type": "Organization",
            "name": checker}, "datePublished": day, "url": url,
            "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": claimant}}}


REVIEWS = [
    review("The Karsby reservoir will be completely full by the end of March.", "Misleading", "Valley Check",
           "2024-01-28", "https://valleycheck.example/reservoir", "Maria Okafor"),
    review("The city's new tram line carried two million passengers in its first month.", "False",
           "Valley Check", "2023-11-02", "https://valleycheck.example/tram"),
]
PASSAGES = [
    {"id": "w1", "text": "Rainfall in the northern districts was twelve percent above average in January.",
     "source": "Lakeside Wire", "date": "2024-02-01"},
    {"id": "w2", "text": "The water board said the reservoir stood at 61 percent of capacity on 1 February.",
     "source": "Valley Post", "date": "2024-02-02"},
]


def _folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "reporting.jsonl").write_text(
        "".join(json.dumps(r) + "\n" for r in PASSAGES) + json.dumps(REVIEWS[1]) + "\n", encoding="utf-8")
    (folder / "reviews.json").write_text(json.dumps({"@graph": [REVIEWS[0]]}), encoding="utf-8")
    (folder / "broken.json").write_text(json.dumps([{"@type": "ClaimReview", "claimReviewed": "No rating."}]),
                                        encoding="utf-8")
    return folder


def test_claim_reviews_are_read_from_json_and_jsonl_and_not_taken_for_passages(tmp_path):
    folder = _folder(tmp_path)
    checks, problems = read_fact_checks(folder)
    assert sorted(c.rating for c in checks) == ["False", "Misleading"]
    misleading = next(c for c in checks if c.rating == "Misleading")
    assert (misleading.fact_checker, misleading.claimant, str(misleading.date)) == (
        "Valley Check", "Maria Okafor", "2024-01-28")
    assert [str(p) for p in problems] == [f"{folder / 'broken.json'}: ClaimReview without a rating "
                                          "('reviewRating.alternateName')"]
    documents, corpus_problems = load_corpus(folder)
    assert sorted(d.id for d in documents) == ["w1", "w2"] and corpus_problems == []


@pytest.fixture(scope="module")
def checked(pipeline, tmp_path_factory):
    from claimdesk.pipeline import Pipeline
    from claims.ingest import article_from_text

    work = tmp_path_factory.mktemp("factchecks")
    folder = _folder(work)
    story = Pipeline(replace(pipeline.settings, corpus_dir=folder, index_dir=work / "index", vector_url=""))
    for loaded in ("encoder", "judge", "reranker", "extractor"):
        story.__dict__[loaded] = getattr(pipeline, loaded)
    story.build_index()
    text = ("Reservoir to be full by March\n\nKarsby, 5 February 2024\n\n"
            "Water chief Maria Okafor said the Karsby reservoir would be entirely full by the end of March.\n\n"
            "The council approved a new budget for road repairs on Monday after a long debate.\n")
    return story.check(article_from_text(text, origin="test", html=False))


def test_a_claim_that_was_checked_before_shows_that_fact_check(checked):
    by_text = {item.claim.text: item for item in checked.claims}
    reservoir = next(item for text, item in by_text.items() if "reservoir" in text)
    budget = next(item for text, item in by_text.items() if "budget" in text)
    assert [m.check.rating for m in reservoir.fact_checks] == ["Misleading"]
    assert reservoir.fact_checks[0].similarity >= 0.72 and not reservoir.fact_checks[0].after_article
    assert budget.fact_checks == ()


def test_fact_checks_are_in_the_json_the_export_and_survive_storage(checked):
    from claimdesk.results import CheckResult
    from review.export import review_rows

    assert CheckResult.from_record(json.loads(json.dumps(checked.to_record()))) == checked
    rows = json.loads(json.dumps(checked.to_json()))["claims"]
    found = [r for r in rows if r["fact_checks"]]
    assert len(found) == 1 and found[0]["fact_checks"][0]["rating"] == "Misleading"
    assert found[0]["fact_checks"][0]["url"] == "https://valleycheck.example/reservoir"
    export = review_rows(checked.article, list(checked.claims), {})
    assert [r["factcheck_rating"] for r in export if r["factcheck_rating"]] == ["Misleading"]
    assert next(r for r in export if r["factcheck_rating"])["factcheck_by"] == "Valley Check"


def test_a_saved_fact_check_page_gives_its_claim_review_and_its_text(tmp_path):
    markup = json.dumps(review("The port will stay closed for a month.", "False", "Valley Check", "2024-02-04",
                               "https://valleycheck.example/port"))
    (tmp_path / "check.html").write_text(
        f'<html><head><title>No, the port is not closed for a month</title><script type="application/ld+json">'
        f"{markup}</script></head><body><article><h1>No, the port is not closed for a month</h1><p>The port of "
        "Karsby reopened on Saturday, three days after the storm, the harbour authority said.</p></article>"
        "</body></html>", encoding="utf-8")
    checks, problems = read_fact_checks(tmp_path)
    assert [(c.claim, c.rating, c.fact_checker) for c in checks] == [
        ("The port will stay closed for a month.", "False", "Valley Check")] and problems == []
    documents, _ = load_corpus(tmp_path)
    assert [d.id for d in documents] == ["check"] and "reopened on Saturday" in documents[0].text
