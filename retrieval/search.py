"""Hybrid search: BM25 and dense rankings fused by reciprocal rank (RRF, k=60).

Filters (date, outlet) are masks applied inside both engines before ranking, so a strict filter
never leaves the analyst with a short, post-filtered list. Later-dated evidence is fetched only when
asked for, and then flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from retrieval.store import EncoderMismatch, RowFilter, VectorStore
from retrieval.types import Evidence

RRF_K = 60
# Each engine's vote in the fusion: weight / (RRF_K + rank).
DENSE_WEIGHT = 1.0
LEXICAL_WEIGHT = 1.0
CANDIDATES = 50
DUPLICATE_COSINE = 0.985
DUPLICATE_JACCARD = 0.85  # share of distinct words: syndicated copies differ by a word or punctuation
_WORD = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def near_duplicates(a: str, b: str, cosine: float) -> bool:
    if cosine >= DUPLICATE_COSINE:
        return True
    words_a, words_b = _words(a), _words(b)
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= DUPLICATE_JACCARD


@dataclass(frozen=True)
class SearchFilters:
    before: date | None = None  # the article's date: evidence after it is excluded
    include_later: bool = False  # fetch later evidence too, flagged ``after_article``
    allow_outlets: frozenset[str] = frozenset()
    deny_outlets: frozenset[str] = frozenset()


MODES = ("hybrid", "dense", "bm25")


class Searcher:
    """Hybrid search over any ``VectorStore``: the embedded files or Milvus give the same fused ranking."""

    def __init__(self, index: VectorStore, encoder, mode: str = "hybrid") -> None:
        if mode not in MODES:
            raise ValueError(f"search mode {mode!r}: use one of {', '.join(MODES)}")
        self.mode = mode
        if index.encoder_fingerprint != encoder.fingerprint:
            raise EncoderMismatch(
                "the index was built with another encoder "
                f"({index.encoder_fingerprint}); rebuild it with `claimdesk index`"
            )
        self.index = index
        self.encoder = encoder

    def search(self, queries: list[str], top_k: int = 5,
               filters: SearchFilters = SearchFilters()) -> list[list[Evidence]]:
        """Evidence per query, best first. All queries go through each engine in one batch."""
        if not queries or len(self.index) == 0:
            return [[] for _ in queries]
        where = RowFilter(None if filters.include_later else filters.before, filters.allow_outlets,
                          filters.deny_outlets)
        vectors = self.encoder.encode(queries)
        candidates = min(CANDIDATES, len(self.index))
        no_hits = [[] for _ in queries]
        dense = self.index.dense(vectors, candidates, where) if self.mode != "bm25" else no_hits
        lexical = self.index.lexical(queries, candidates, where) if self.mode != "dense" else no_hits
        # One fetch per engine call for everything the fusion will look at: passages and, for rows only BM25
        # found, their vectors (for the cosine shown to the analyst and the near-duplicate test).
        rows = sorted({r for hits in dense for r, _ in hits} | {r for hits in lexical for r in hits})
        passages, stored = self.index.fetch(rows)
        return [self._fuse(vectors[q], dense[q], lexical[q], passages, stored, top_k, filters)
                for q in range(len(queries))]

    @staticmethod
    def _fuse(query_vector, dense_hits, lexical_rows, passages, stored, top_k, filters) -> list[Evidence]:
        fused: dict[int, float] = {}
        dense_rank: dict[int, int] = {}
        lexical_rank: dict[int, int] = {}
        cosine: dict[int, float] = {}
        for rank, (row, score) in enumerate(dense_hits, start=1):
            fused[row] = fused.get(row, 0.0) + DENSE_WEIGHT / (RRF_K + rank)
            dense_rank[row] = rank
            cosine[row] = score
        for rank, row in enumerate(lexical_rows, start=1):
            fused[row] = fused.get(row, 0.0) + LEXICAL_WEIGHT / (RRF_K + rank)
            lexical_rank[row] = rank
        ordered = sorted(fused, key=lambda r: -fused[r])
        kept: list[int] = []
        collapsed: dict[int, list[str]] = {}
        for row in ordered:
            if row not in cosine:
                cosine[row] = float(np.dot(stored[row], query_vector))
            text = passages[row].text
            twin = next((k for k in kept if near_duplicates(passages[k].text, text,
                                                            float(np.dot(stored[k], stored[row])))), None)
            if twin is not None:
                # Syndicated copies: keep the best-ranked one and list the rest under it.
                collapsed.setdefault(twin, []).append(passages[row].id)
                continue
            kept.append(row)
            if len(kept) >= top_k:
                break
        out = []
        for rank, row in enumerate(kept, start=1):
            passage = passages[row]
            later = bool(filters.before and passage.date and passage.date > filters.before)
            out.append(Evidence(
                passage=passage, score=round(fused[row], 6), rank=rank, dense_score=round(cosine[row], 4),
                lexical_rank=lexical_rank.get(row), dense_rank=dense_rank.get(row), after_article=later,
                duplicates=tuple(collapsed.get(row, ())),
            ))
        return out
