"""BM25 top-k over a bm25s index without scoring every posting: the MaxScore method of dynamic pruning.

bm25s builds the index (tokens, stop words, the Lucene BM25 formula) and stores each (term, passage) score
precomputed in a sparse matrix, a column per term. Its own ``retrieve`` adds up every column of every query word
into a score array over the whole corpus. At a million passages a common word's column holds most of the corpus, so
one article's twenty claims spent about 0.2 s there (bench/RESULTS.md, "A million passages").

MaxScore (Turtle and Flood, 1995) gives the same top k while reading only the short columns. A term's best score in
any passage bounds what it can add. Terms are taken strongest bound first and their passages scored in full; as soon
as the bounds of the terms left add up to less than the k-th best score so far, no passage outside those already
scored can reach the top k. The remaining (common) terms are then only looked up for the candidates that can still
make it, by binary search in their doc-sorted columns. The result equals bm25s's own ranking (ties aside);
``tests/retrieval/test_bm25.py`` checks that against ``bm25s.BM25.retrieve`` on random corpora and filters.

Tantivy (block-max WAND in Rust) would do the same job; it was not taken because its BM25 (k1 = 1.2, its own
tokenizer) would change every ranking the dev sets were tuned and measured on, and the index format with it.
"""

from __future__ import annotations

import threading

import numpy as np


class PrunedBM25:
    """Exact BM25 top-k over an opened ``bm25s.BM25`` (memory-mapped or not). Safe to share between threads."""

    def __init__(self, bm25) -> None:
        self.bm25 = bm25
        scores = bm25.scores
        self.data, self.indices, self.indptr = scores["data"], scores["indices"], scores["indptr"]
        self.num_docs = int(scores["num_docs"])
        # Lucene's BM25 scores a missing word 0; the variants that give it a score (BM25L, BM25+) cannot be pruned
        # this way, so they keep bm25s's exhaustive scoring.
        self.exact_only = bm25.nonoccurrence_array is not None
        self._bound: dict[int, float] = {}  # term id -> its best score in any passage, read on first use
        self._local = threading.local()

    def retrieve(self, tokenized_queries: list[list[str]], k: int,
                 allowed: np.ndarray | None = None) -> list[list[tuple[int, float]]]:
        """Per query (a list of tokens), up to ``k`` (row, score) pairs with a positive score, best first, among
        the rows ``allowed`` marks (all when None)."""
        vocab = self.bm25.vocab_dict
        if self.exact_only:
            return self._exhaustive(tokenized_queries, k, allowed)
        return [self._top_k([vocab[t] for t in tokens if t in vocab], k, allowed) for tokens in tokenized_queries]

    def _exhaustive(self, tokenized_queries, k, allowed):
        out = []
        for tokens in tokenized_queries:
            if not tokens:
                out.append([])
                continue
            scores = self.bm25.get_scores(tokens, weight_mask=None if allowed is None else allowed.astype(np.float32))
            top = np.argsort(-scores, kind="stable")[:k]
            out.append([(int(r), float(scores[r])) for r in top if scores[r] > 0])
        return out

    def _buffers(self) -> tuple[np.ndarray, np.ndarray]:
        # One score accumulator and one seen-mark per thread, kept zeroed between queries: clearing only the
        # touched rows costs far less than a fresh million-row array per claim.
        local = self._local
        if getattr(local, "scores", None) is None or len(local.scores) != self.num_docs:
            local.scores = np.zeros(self.num_docs, dtype=np.float32)
            local.seen = np.zeros(self.num_docs, dtype=bool)
        return local.scores, local.seen

    def _column(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        start, end = int(self.indptr[term]), int(self.indptr[term + 1])
        return self.indices[start:end], self.data[start:end]

    def bound(self, term: int) -> float:
        found = self._bound.get(term)
        if found is None:
            rows, values = self._column(term)
            if len(rows) > 1 and not bool(np.all(rows[1:] > rows[:-1])):
                raise ValueError("bm25 column not sorted by row")  # never from bm25s; guards the binary search
            found = float(values.max()) if len(values) else 0.0
            self._bound[term] = found
        return found

    def _top_k(self, term_ids: list[int], k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if not term_ids or k <= 0:
            return []
        terms, repeats = np.unique(np.asarray(term_ids, dtype=np.int64), return_counts=True)
        # A word the query repeats counts once per repeat, as in bm25s's sum over query tokens.
        bounds = np.array([self.bound(int(t)) for t in terms]) * repeats
        order = np.argsort(-bounds, kind="stable")
        terms, repeats, bounds = terms[order], repeats[order].astype(np.float32), bounds[order]
        left = np.concatenate([np.cumsum(bounds[::-1])[::-1], [0.0]])  # left[i]: the bounds of terms i.. summed
        scores, seen = self._buffers()
        chunks: list[np.ndarray] = []
        try:
            candidates = np.empty(0, dtype=np.int64)
            threshold = -np.inf
            i = 0
            while i < len(terms):
                rows, values = self._column(int(terms[i]))
                scores[rows] += values * repeats[i]
                fresh = rows[~seen[rows]]
                seen[fresh] = True
                chunks.append(fresh)
                i += 1
                candidates = np.concatenate(chunks) if len(chunks) > 1 else chunks[0]
                chunks = [candidates]
                if i < len(terms):
                    threshold = self._kth(scores, candidates, allowed, k)
                    if left[i] < threshold:
                        break  # nothing outside the candidates can reach the top k
            if allowed is not None:
                candidates = candidates[allowed[candidates]]
            # The common terms left: only for candidates that can still reach the top k, by binary search.
            for j in range(i, len(terms)):
                if threshold > -np.inf:
                    candidates = candidates[scores[candidates] + left[j] >= threshold]
                if not len(candidates):
                    break
                rows, values = self._column(int(terms[j]))
                candidates.sort()
                at = np.searchsorted(rows, candidates)
                inside = at < len(rows)
                hit = np.zeros(len(candidates), dtype=bool)
                hit[inside] = rows[at[inside]] == candidates[inside]
                scores[candidates[hit]] += values[at[hit]] * repeats[j]
            found = scores[candidates]
            positive = found > 0
            candidates, found = candidates[positive], found[positive]
            if len(candidates) > k:
                keep = np.argpartition(-found, k - 1)[:k]
                candidates, found = candidates[keep], found[keep]
            best = np.lexsort((candidates, -found))
            return [(int(candidates[b]), float(found[b])) for b in best]
        finally:
            touched = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int64)
            scores[touched] = 0.0
            seen[touched] = False

    @staticmethod
    def _kth(scores: np.ndarray, candidates: np.ndarray, allowed: np.ndarray | None, k: int) -> float:
        """The k-th best score among allowed candidates so far: a floor under the final k-th best score, since
        scores only grow as terms are added."""
        if allowed is not None:
            candidates = candidates[allowed[candidates]]
        if len(candidates) < k:
            return -np.inf
        values = scores[candidates]
        return float(np.partition(values, len(values) - k)[len(values) - k])
