"""The pruned BM25 top-k returns what bm25s's exhaustive scoring returns: the same passages with the same scores,
best first, with and without a filter, for short and long queries, repeated words and words the index never saw,
on corpora whose common words sit in most passages (the case the pruning exists for)."""

from __future__ import annotations

import bm25s
import numpy as np
import pytest

from retrieval.bm25 import PrunedBM25

pytestmark = pytest.mark.unit


def _corpus(rng: np.random.Generator, passages: int, vocabulary: int) -> list[str]:
    weights = 1.0 / np.arange(1, vocabulary + 1)  # Zipf: the first words are in nearly every passage
    weights /= weights.sum()
    return [" ".join(f"w{w}" for w in rng.choice(vocabulary, size=int(rng.integers(3, 30)), p=weights))
            for _ in range(passages)]


def _index(texts: list[str]) -> bm25s.BM25:
    bm25 = bm25s.BM25()
    bm25.index(bm25s.tokenize(texts, stopwords="en", show_progress=False), show_progress=False)
    return bm25


def _reference(bm25: bm25s.BM25, query: list[str], k: int, allowed) -> list[tuple[int, float]]:
    """bm25s's own top k: every posting of every query word scored."""
    known = [t for t in query if t in bm25.vocab_dict]
    if not known:
        return []
    scores = bm25.get_scores(known, weight_mask=None if allowed is None else allowed.astype(np.float32))
    top = np.argsort(-scores, kind="stable")[:k]
    return [(int(r), float(scores[r])) for r in top if scores[r] > 0]


def _same_ranking(got: list[tuple[int, float]], expected: list[tuple[int, float]]) -> None:
    assert len(got) == len(expected)
    assert np.allclose([s for _, s in got], [s for _, s in expected], rtol=1e-5, atol=1e-6)
    assert all(a[1] >= b[1] for a, b in zip(got, got[1:])), "best first"
    # Rows may swap only within a tie, so compare the rows of each distinct score, and the last score's rows as a
    # subset (the tie may continue past k).
    cut = expected[-1][1] if expected else None
    clear = lambda hits: {r for r, s in hits if not np.isclose(s, cut, rtol=1e-5, atol=1e-6)}  # noqa: E731
    assert clear(got) == clear(expected)


@pytest.mark.parametrize("seed", range(6))
def test_pruned_top_k_equals_exhaustive_scoring(seed):
    rng = np.random.default_rng(seed)
    texts = _corpus(rng, passages=3000, vocabulary=400)
    bm25 = _index(texts)
    engine = PrunedBM25(bm25)
    queries = [[f"w{w}" for w in rng.integers(0, 400, size=int(rng.integers(1, 16)))] for _ in range(25)]
    queries += [["w0", "w0", "w1", "w350"], ["never-seen", "w2"], ["never-seen"], [], ["w0"]]
    filters = [None, rng.random(len(texts)) < 0.5, rng.random(len(texts)) < 0.02, np.zeros(len(texts), bool)]
    for k in (1, 5, 50):
        for allowed in filters:
            got = engine.retrieve(queries, k, allowed)
            for query, hits in zip(queries, got):
                _same_ranking(hits, _reference(bm25, query, k, allowed))
                if allowed is not None:
                    assert all(allowed[r] for r, _ in hits)


def test_scratch_buffers_are_left_clean_between_queries():
    # The accumulator is reused: a query must not inherit another's partial scores.
    rng = np.random.default_rng(9)
    texts = _corpus(rng, passages=500, vocabulary=60)
    bm25 = _index(texts)
    engine = PrunedBM25(bm25)
    first = engine.retrieve([["w1", "w5", "w7"]], 10)
    engine.retrieve([["w0", "w2", "w3", "w4"]], 3)
    assert engine.retrieve([["w1", "w5", "w7"]], 10) == first
    scores, seen = engine._buffers()
    assert not scores.any() and not seen.any()
