"""Hybrid search: BM25 and dense results fused by a convex combination of their scores, each engine's list
min-max scaled to 0-1 per query.

Why not reciprocal-rank fusion (RRF): RRF keeps only ranks, so a passage that one engine scores far above the
rest counts no more than a narrow winner. Compared on out-of-fold rankings of all dev claims (docs/CHANGELOG.md,
2026-11-28), the convex fusion found the evidence in
the top 5 for more claims: +0.016 on Climate-FEVER (unresolved) and +0.034 on Check-COVID (95% interval
+0.008 to +0.064). The dense share (0.5) was chosen on the calibrate fold's claims only.

Filters (date, outlet) are masks applied inside both engines before ranking, so a strict filter
never leaves the analyst with a short, post-filtered list. Later-dated evidence is fetched only when
asked for, and then flagged.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from retrieval.store import EncoderMismatch, RowFilter, VectorStore
from retrieval.types import Copy, Evidence, Passage

# The dense engine's share of the fused score; BM25 gets the rest.
DENSE_SHARE = 0.5
CANDIDATES = 50
DUPLICATE_COSINE = 0.985
DUPLICATE_JACCARD = 0.85  # share of distinct words: syndicated copies differ by a word or punctuation
_WORD = re.compile(r"\w+")


def _words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


def near_duplicates(a: str | frozenset[str], b: str | frozenset[str], cosine: float) -> bool:
    """Syndicated copies: near-identical vectors, or the same words. A text or its ``_words`` already taken."""
    if cosine >= DUPLICATE_COSINE:
        return True
    words_a = a if isinstance(a, frozenset) else _words(a)
    words_b = b if isinstance(b, frozenset) else _words(b)
    union = words_a | words_b
    return bool(union) and len(words_a & words_b) / len(union) >= DUPLICATE_JACCARD


def scaled(hits: list[tuple[int, float]]) -> dict[int, float]:
    """One engine's scores for one query, min-max scaled: its best hit 1, its last 0. Cosines and BM25 scores live
    on different scales (and BM25's grows with the query's length), so each list is put on 0-1 before they mix.
    A list of one, or of equal scores, gets 1 throughout. A score that is not a number (an engine's glitch) drops
    its hit rather than scrambling the order of the rest. Plain Python: a list is 50 hits, where numpy's set-up
    costs more than the arithmetic."""
    hits = [(row, float(score)) for row, score in hits if math.isfinite(score)]
    if not hits:
        return {}
    low = min(score for _, score in hits)
    spread = max(score for _, score in hits) - low
    if spread <= 0:
        return {row: 1.0 for row, _ in hits}
    return {row: (score - low) / spread for row, score in hits}


def fuse(dense: float, lexical: float) -> float:
    """The fused score of a passage from its scaled scores; an engine that did not return it gives 0."""
    return DENSE_SHARE * dense + (1.0 - DENSE_SHARE) * lexical


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
        orders = [_fused_order(dense[q], lexical[q]) for q in range(len(queries))]
        # Only what the analyst will see is read: a claim's first top_k x 2 fused rows (room for the syndicated
        # copies that collapse), for all claims in one fetch; a claim whose copies used that up gets the next
        # rows in another. Reading every candidate instead (up to 100 a claim) costs a Milvus round trip of 100
        # passages with their vectors per claim, and 0-15% of the search at a million embedded passages
        # (bench/RESULTS.md, "A million passages").
        passages: dict[int, Passage] = {}
        stored: dict[int, np.ndarray] = {}

        def read(rows) -> None:
            missing = sorted({r for r in rows if r not in passages})
            if missing:
                found, vectors = self.index.fetch(missing)
                passages.update(found)
                stored.update(vectors)

        read(row for order in orders for row, _ in order[: 2 * top_k])
        found = [self._collect(vectors[q], dense[q], lexical[q], orders[q], passages, stored, read, top_k, filters)
                 for q in range(len(queries))]
        carried = getattr(self.index, "manifest", {}).get("syndicated") or {}
        if carried:
            found = [[replace(e, copies=tuple(_copy(c) for c in carried.get(e.passage.doc_id, ()))) for e in hits]
                     for hits in found]
        return found

    @staticmethod
    def _collect(query_vector, dense_hits, lexical_hits, order, passages, stored, read, top_k,
                 filters) -> list[Evidence]:
        """The claim's top_k evidence from its fused order, syndicated copies collapsed into the best one."""
        dense_rank = {row: rank for rank, (row, _) in enumerate(dense_hits, start=1)}
        lexical_rank = {row: rank for rank, (row, _) in enumerate(lexical_hits, start=1)}
        cosine = {row: score for row, score in dense_hits}
        kept: list[int] = []
        kept_words: dict[int, frozenset[str]] = {}
        collapsed: dict[int, list[str]] = {}
        for position, (row, _) in enumerate(order):
            if row not in passages:
                read(r for r, _ in order[position : position + 2 * top_k])
            if row not in cosine:
                cosine[row] = float(np.dot(stored[row], query_vector))
            words = _words(passages[row].text)
            twin = next((k for k in kept if near_duplicates(kept_words[k], words,
                                                            float(np.dot(stored[k], stored[row])))), None)
            if twin is not None:
                # Syndicated copies: keep the best-ranked one and list the rest under it.
                collapsed.setdefault(twin, []).append(passages[row].id)
                continue
            kept.append(row)
            kept_words[row] = words
            if len(kept) >= top_k:
                break
        fused = dict(order)
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


def _fused_order(dense_hits: list[tuple[int, float]], lexical_hits: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Every row either engine found, with its fused score, best first. Dense hits come first before sorting, so
    a tie keeps the dense order (sorted() is stable)."""
    dense_scaled, lexical_scaled = scaled(dense_hits), scaled(lexical_hits)
    rows = dict.fromkeys([r for r, _ in dense_hits] + [r for r, _ in lexical_hits])
    fused = [(row, fuse(dense_scaled.get(row, 0.0), lexical_scaled.get(row, 0.0))) for row in rows]
    return sorted(fused, key=lambda item: -item[1])


def _copy(record: dict) -> Copy:
    return Copy(record["id"], record.get("source", ""), record.get("title", ""),
                date.fromisoformat(record["date"]) if record.get("date") else None, record.get("url", ""))
