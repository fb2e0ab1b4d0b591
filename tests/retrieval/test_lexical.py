"""Impact-ordered BM25 (retrieval/lexical.py) against bm25s's exact BM25 over the same postings."""

from __future__ import annotations

import random

import numpy as np
import pytest

pytestmark = pytest.mark.integration

WORDS = [
    "port", "strike", "harbour", "budget", "vote", "parliament", "minister", "ferry", "storm", "bridge",
    "election", "court", "ruling", "bank", "rate", "inflation", "wheat", "export", "grain", "drought", "river",
    "flood", "senate", "tariff", "steel", "union", "wage", "rail", "tunnel", "airport", "runway", "pilot",
    "crash", "probe", "satellite", "launch", "rocket", "orbit", "lunar", "vaccine", "trial", "hospital", "nurse"
]


def _corpus(n: int, seed: int) -> list[str]:
    """Sentences of invented newsroom words with a long tail: a few words in most passages, most in few."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(WORDS))]
    return [" ".join(rng.choices(WORDS, weights, k=rng.randint(4, 14))) for _ in range(n)]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    import bm25s

    from retrieval.index import _bm25_tokens
    from retrieval.lexical import write_impact_order

    folder = tmp_path_factory.mktemp("bm25")
    passages = _corpus(3000, seed=1)
    model = bm25s.BM25()
    model.index(_bm25_tokens(passages), show_progress=False)
    model.save(str(folder), show_progress=False)
    model = bm25s.BM25.load(str(folder), mmap=True)
    write_impact_order(model, folder)
    queries = _corpus(40, seed=2) + ["port port strike"]  # the last repeats a word, as claims do
    return model, folder, bm25s.tokenize(queries, stopwords="en", show_progress=False, return_ids=False)


def _exact(model, tokens: list[str]) -> np.ndarray:
    return model.get_scores(tokens)


def test_with_budget_for_every_posting_it_is_exact_bm25(indexed):
    from retrieval.lexical import ImpactSearch

    model, folder, queries = indexed
    search = ImpactSearch(model, folder, budget=10**9, rescore=10**6)
    found_all, certain = search.search_certain(queries, 20)
    for tokens, found in zip(queries, found_all):
        exact = _exact(model, tokens)
        # Scores are bm25s's own, best first, and the 20th is exact BM25's 20th (ties may order either way).
        assert [round(s, 4) for _, s in found] == [round(float(s), 4) for s in np.sort(exact)[::-1][:20]]
        assert all(abs(exact[row] - score) < 1e-4 for row, score in found)
    assert all(certain)


def test_under_a_small_budget_scores_stay_true_and_certainty_is_never_claimed_wrongly(indexed):
    from retrieval.lexical import ImpactSearch

    model, folder, queries = indexed
    search = ImpactSearch(model, folder, budget=2000, rescore=60)
    found, flags = search.search_certain(queries, 20)
    assert not all(flags)  # the budget bites: some lists are approximate
    for tokens, hits, certain in zip(queries, found, flags):
        exact = _exact(model, tokens)
        assert all(abs(exact[row] - score) < 1e-4 for row, score in hits)  # rescored: true BM25 scores
        assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
        if certain:
            assert hits[-1][1] >= float(np.sort(exact)[::-1][19]) - 1e-4
    # Still a good ranking: the exact best passage is found for most claims.
    top = [abs(hits[0][1] - float(_exact(model, t).max())) < 1e-4 for t, hits in zip(queries, found)]
    assert sum(top) >= 0.8 * len(top)


def test_a_filter_mask_removes_rows_before_ranking(indexed):
    from retrieval.lexical import ImpactSearch

    model, folder, queries = indexed
    allowed = np.zeros(int(model.scores["num_docs"]), dtype=bool)
    allowed[::3] = True
    search = ImpactSearch(model, folder, budget=10**9, rescore=10**6)
    for tokens, hits in zip(queries, search.search(queries, 10, allowed)):
        exact = np.where(allowed, _exact(model, tokens), 0.0)
        assert all(allowed[row] for row, _ in hits)
        assert [round(s, 4) for _, s in hits] == [round(float(s), 4) for s in np.sort(exact)[::-1][:10] if s > 0]


def test_a_claim_with_no_indexed_word_finds_nothing(indexed):
    from retrieval.lexical import ImpactSearch

    model, folder, _ = indexed
    search = ImpactSearch(model, folder)
    assert search.search([["zzzunknown"], []], 5) == [[], []]


def test_ties_at_the_floor_never_overrun_the_budget(tmp_path):
    """Equal contributions are common: a word used once in passages of one length scores the same in each. A claim
    whose postings all tie still reads only its budget, and the passages it returns carry their true scores."""
    import bm25s

    from retrieval.index import _bm25_tokens
    from retrieval.lexical import ImpactSearch, search_one, write_impact_order

    passages = [f"harbour pilot {i % 7}" for i in range(3000)] + [f"lighthouse keeper {i}" for i in range(30)]
    model = bm25s.BM25()
    model.index(_bm25_tokens(passages), show_progress=False)
    model.save(str(tmp_path), show_progress=False)
    model = bm25s.BM25.load(str(tmp_path), mmap=True)
    write_impact_order(model, tmp_path)
    search = ImpactSearch(model, tmp_path, budget=100, rescore=50)
    for claim in (["harbour"], ["lighthouse", "harbour"]):
        terms, weights = search.term_ids(claim)
        acc, term_weight = search._scratch()
        _, scores, _, read = search_one(
            terms, weights, search.indptr, search.impact_docs, search.impact_scores, *search.forward,
            np.zeros(1, dtype=np.bool_), False, search.budget, search.rescore, 10, acc, term_weight, 1.0)
        assert read <= 100
        assert not acc.any() and not term_weight.any()  # left clean for the next claim
        exact = np.sort(model.get_scores(claim))[::-1][:10]
        assert np.allclose(scores, exact, atol=1e-4)  # every tie scores alike, so any ten are the top ten
