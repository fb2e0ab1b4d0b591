"""BM25 at archive size: each claim reads its terms' best postings under a budget, and the passages found are then
scored exactly.

Exact BM25 (bm25s) adds up every posting of every claim term. A claim's common words occur in a large share of a
million passages, so one claim touches millions of postings, and one article's claims cost about ten times the
dense search they are fused with (bench/RESULTS.md, "A million passages"). Above
``retrieval.index.LEXICAL_EXACT_UP_TO`` passages the index also keeps each term's postings sorted by contribution,
best first, and each passage's own postings. A claim then reads, within ``BUDGET`` postings in all:

1. its rarest terms whole, while they fit: a passage that names the claim's rarest words is a candidate whatever
   else it says (on real headlines this is worth 9 points of recall@10 over reading by contribution alone);
2. the best postings of its other terms, down to one contribution floor shared by all of them (score-at-a-time
   ranking under a budget, as in Lin and Trotman's anytime ranking).

The ``RESCORE`` best passages of that partial sum are scored exactly from their own postings, so the scores fused
with the dense engine's are true BM25 scores, and a list whose k-th score beats all that the unread postings could
add is known to be exact BM25's. What it finds against exact BM25 on real text is measured by
``bench/lexical_recall.py``; its speed at a million passages by ``bench/scale.py``.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numba
import numpy as np

# Postings a claim may read, over all its terms: the most that kept one article's hybrid search within 2x of a
# dense-only search at a million passages (bench/scale.py). What it finds: bench/lexical_recall.py.
BUDGET = 20_000
# Passages of the partial ranking that are scored exactly, per claim: a few times the 50 candidates search asks for.
RESCORE = 400
# Threads an article's claims are split between (the machine's cores, at most 4: a 20-claim article has little
# more to split).
WORKERS = max(1, min(4, os.cpu_count() or 1))
IMPACT_FILES = ("impact_docs.npy", "impact_scores.npy", "forward_indptr.npy", "forward_terms.npy", "forward_scores.npy")


@numba.njit(cache=True, nogil=True)
def impact_order(data, indices, indptr):
    # Each term's postings (doc-ordered in bm25s's matrix) re-sorted by contribution, best first; stable, so equal
    # contributions stay in passage order.
    docs = np.empty_like(indices)
    scores = np.empty_like(data)
    for t in range(len(indptr) - 1):
        start, end = indptr[t], indptr[t + 1]
        if end > start:
            order = np.argsort(-data[start:end], kind="mergesort")
            docs[start:end] = indices[start:end][order]
            scores[start:end] = data[start:end][order]
    return docs, scores


@numba.njit(cache=True, nogil=True)
def _taken(scores, start, end, floor):
    # Postings of one term whose contribution is >= floor (the list is sorted descending).
    low, high = start, end
    while low < high:
        mid = (low + high) // 2
        if scores[mid] >= floor:
            low = mid + 1
        else:
            high = mid
    return low - start


@numba.njit(cache=True, nogil=True)
def search_one(terms, weights, indptr, imp_docs, imp_scores, fwd_indptr, fwd_terms, fwd_scores, allowed, use_mask,
               budget, rescore, k, acc, term_weight, rare_share):
    n_terms = len(terms)
    taken = np.zeros(n_terms, dtype=np.int64)
    df = np.empty(n_terms, dtype=np.int64)
    for i in range(n_terms):
        df[i] = indptr[terms[i] + 1] - indptr[terms[i]]
    # The rarest terms are read whole, rarest first, while each fits in rare_share of what is left of the budget:
    # a passage that names a claim's rarest words is a candidate whatever its length.
    left = budget
    whole = np.zeros(n_terms, dtype=np.bool_)
    for i in np.argsort(df, kind="mergesort"):
        if df[i] > left * rare_share:
            break
        whole[i] = True
        taken[i] = df[i]
        left -= df[i]
    # The rest of the budget goes to the best postings of the other terms: the contribution floor is the lowest
    # at which they stay within it (bisection).
    top = 0.0
    rest = 0
    for i in range(n_terms):
        if not whole[i]:
            rest += df[i]
            start = indptr[terms[i]]
            if imp_scores[start] * weights[i] > top:
                top = imp_scores[start] * weights[i]
    floor = 0.0
    at_high = np.zeros(n_terms, dtype=np.int64)
    if rest > left:
        # Each term's count at the two ends of the bracket: a count at a floor between them lies between them, so
        # every step searches a shrinking stretch of each list (at a million passages a common term's list is long
        # and a fresh binary search per step costs a cache miss per probe).
        at_low = df.copy()  # postings >= 0: all
        for i in range(n_terms):
            if not whole[i]:
                start = indptr[terms[i]]
                at_high[i] = _taken(imp_scores, start, start + df[i], top / weights[i])
        low, high = 0.0, top
        for _ in range(20):  # the floor to within a millionth of the best contribution
            mid = (low + high) / 2
            count = 0
            for i in range(n_terms):
                if not whole[i]:
                    start = indptr[terms[i]]
                    taken[i] = at_high[i] + _taken(imp_scores, start + at_high[i], start + at_low[i],
                                                   mid / weights[i])
                    count += taken[i]
            if count > left:
                low = mid
                for i in range(n_terms):
                    if not whole[i]:
                        at_low[i] = taken[i]
            else:
                high = mid
                for i in range(n_terms):
                    if not whole[i]:
                        at_high[i] = taken[i]
        floor = high
    over = -left
    for i in range(n_terms):
        if not whole[i]:
            taken[i] = at_high[i] if floor > 0 else df[i]
            over += taken[i]
    # Equal contributions are common (a word used once in passages of one length scores the same in all of them):
    # where ties at the floor would overrun the budget, only as many of them are read as it has room for.
    if floor > 0 and over > 0:
        for i in range(n_terms):
            if not whole[i] and over > 0:
                start = indptr[terms[i]]
                above = _taken(imp_scores, start, start + df[i], np.nextafter(floor / weights[i], np.inf))
                cut = min(taken[i] - above, over)
                taken[i] -= cut
                over -= cut
    unread = 0.0  # the most the postings left unread can add to any passage
    total = 0
    for i in range(n_terms):
        start = indptr[terms[i]]
        if taken[i] < df[i]:
            unread += imp_scores[start + taken[i]] * weights[i]
        total += taken[i]
    # Two passes, so that the scattered adds of the first do not wait on one another: add every read posting into
    # ``acc``, noting its passage; then collect each passage's sum once, clearing ``acc`` for the next claim.
    seen = np.empty(total, dtype=np.int32)
    read = 0
    for i in range(n_terms):
        start = indptr[terms[i]]
        w = weights[i]
        for j in range(start, start + taken[i]):
            doc = imp_docs[j]
            if use_mask and not allowed[doc]:
                continue
            acc[doc] += imp_scores[j] * w
            seen[read] = doc
            read += 1
    touched = np.empty(read, dtype=np.int32)
    partial = np.empty(read, dtype=np.float32)
    n = 0
    for j in range(read):
        doc = seen[j]
        value = acc[doc]
        if value != 0.0:
            touched[n] = doc
            partial[n] = value
            n += 1
            acc[doc] = 0.0
    partial = partial[:n]
    keep = n
    cut = 0.0
    if n > rescore:
        cut = np.partition(partial, n - rescore)[n - rescore]
        # Everything above the cut first, then ties at the cut while room is left. ``touched`` is compacted
        # in place, so the ties are gathered before it is overwritten.
        ties = np.empty(n, dtype=np.int32)
        n_ties = 0
        keep = 0
        for j in range(n):
            if partial[j] > cut:
                touched[keep] = touched[j]
                keep += 1
            elif partial[j] == cut:
                ties[n_ties] = touched[j]
                n_ties += 1
        for j in range(min(n_ties, rescore - keep)):
            touched[keep] = ties[j]
            keep += 1
    # Exact scores of the survivors from the forward postings (each passage's terms): a passage has a few dozen,
    # where a common term's doc-ordered list would have to be searched among a million.
    exact = np.zeros(keep, dtype=np.float32)
    for i in range(n_terms):
        term_weight[terms[i]] = weights[i]
    for j in range(keep):
        doc = touched[j]
        score = 0.0
        for p in range(fwd_indptr[doc], fwd_indptr[doc + 1]):
            score += fwd_scores[p] * term_weight[fwd_terms[p]]
        exact[j] = score
    for i in range(n_terms):
        term_weight[terms[i]] = 0.0
    candidates = touched[:keep]
    order = np.argsort(-exact, kind="mergesort")[:k]
    rows = candidates[order].copy()
    scores = exact[order]
    # Exact when every posting was read and every passage found rescored, or when the k-th score beats every
    # passage not rescored: those not read at all (at most ``unread``) and those cut before rescoring (at most
    # ``cut + unread``).
    bound = unread + (cut if n > rescore else 0.0)
    certain = (unread == 0.0 and n <= rescore or len(scores) == k and scores[-1] >= bound)
    return rows, scores, certain, total


def write_impact_order(bm25, folder: Path) -> None:
    """Save beside the bm25s index each term's postings sorted by contribution, best first, and each passage's own
    postings (the same matrix by rows), which rescoring reads."""
    from scipy.sparse import csc_matrix

    scores = bm25.scores
    data, indices, indptr = (np.asarray(scores["data"]), np.asarray(scores["indices"]), np.asarray(scores["indptr"]))
    docs, values = impact_order(data, indices, indptr)
    np.save(folder / IMPACT_FILES[0], docs)
    np.save(folder / IMPACT_FILES[1], values)
    del docs, values
    forward = csc_matrix((data, indices, indptr), shape=(int(scores["num_docs"]), len(indptr) - 1)).tocsr()
    np.save(folder / IMPACT_FILES[2], forward.indptr.astype(np.int64))
    np.save(folder / IMPACT_FILES[3], forward.indices.astype(np.int32))
    np.save(folder / IMPACT_FILES[4], forward.data.astype(np.float32))
    del forward
    # Compile the search now, with the argument types searching will use, so numba caches it on disk: compiled
    # at the first search instead, it would cost that search some 20 s on two cores (a cached load: under 1 s).
    first = next((token for token, term in bm25.vocab_dict.items() if token and term < len(indptr) - 1), None)
    if first is not None:
        ImpactSearch(bm25, folder).search([[first]], 1, np.ones(int(scores["num_docs"]), dtype=bool))


class ImpactSearch:
    """Best-first BM25 over one index's postings: ``search`` returns rows and true BM25 scores, best first."""

    def __init__(self, bm25, folder: Path, budget: int = BUDGET, rescore: int = RESCORE,
                 rare_share: float = 1.0) -> None:
        scores = bm25.scores
        self.indptr = np.array(scores["indptr"], dtype=np.int64)  # a copy in memory, typed alike at build and search
        self.num_docs = int(scores["num_docs"])
        self.vocab = bm25.vocab_dict
        self.impact_docs = np.load(folder / IMPACT_FILES[0], mmap_mode="r")
        self.impact_scores = np.load(folder / IMPACT_FILES[1], mmap_mode="r")
        self.forward = tuple(np.load(folder / name, mmap_mode="r") for name in IMPACT_FILES[2:])
        self.vocabulary_size = len(self.indptr) - 1
        self.budget, self.rescore, self.rare_share = budget, rescore, rare_share

    def _scratch(self) -> tuple[np.ndarray, np.ndarray]:
        """This thread's accumulator (a float per passage) and term weights (a float per term). The kernel leaves
        both all zero after each claim, so they are kept per thread and reused: allocating 4 MB per batch at a
        million passages costs a page fault per 4 KB touched."""
        held = getattr(_local, "scratch", None)
        if held is None or len(held[0]) != self.num_docs or len(held[1]) != self.vocabulary_size:
            held = (np.zeros(self.num_docs, dtype=np.float32), np.zeros(self.vocabulary_size, dtype=np.float32))
            _local.scratch = held
        return held

    def term_ids(self, tokens: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The claim's terms in the index's vocabulary, each once, weighted by how often the claim uses it (exact
        BM25 in bm25s counts a repeated query word once per use). bm25s may list an empty token past the postings'
        terms; it has no postings and is left out."""
        counts: dict[int, int] = {}
        for token in tokens:
            term = self.vocab.get(token)
            if term is not None and term < self.vocabulary_size:
                counts[term] = counts.get(term, 0) + 1
        return (np.fromiter(counts.keys(), dtype=np.int64, count=len(counts)),
                np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))

    def search(self, tokenized: list[list[str]], k: int, allowed: np.ndarray | None = None
               ) -> list[list[tuple[int, float]]]:
        """Each claim's top ``k`` rows with their BM25 scores, best first; ``allowed`` masks rows out before
        ranking."""
        return self.search_certain(tokenized, k, allowed)[0]

    def search_certain(self, tokenized: list[list[str]], k: int, allowed: np.ndarray | None = None
                       ) -> tuple[list[list[tuple[int, float]]], list[bool]]:
        """``search``, and for each claim whether its list is provably exact BM25's (benches report the share).
        An article's claims are split between ``WORKERS`` threads: the kernel releases the GIL, and each thread has
        its own scratch arrays, so concurrent searches (one per analyst) never share one either."""
        claims = [self.term_ids(tokens) for tokens in tokenized]
        mask = np.ascontiguousarray(allowed, dtype=np.bool_) if allowed is not None else np.zeros(1, dtype=np.bool_)
        out: list[list[tuple[int, float]]] = [[] for _ in claims]
        certain = [True] * len(claims)

        def run(share: range) -> None:
            acc, term_weight = self._scratch()
            for c in share:
                terms, weights = claims[c]
                if len(terms):
                    rows, scores, exact, _ = search_one(terms, weights, self.indptr, self.impact_docs,
                                                     self.impact_scores, *self.forward, mask, allowed is not None,
                                                     self.budget, self.rescore, k, acc, term_weight,
                                                     self.rare_share)
                    out[c] = [(r, s) for r, s in zip(rows.tolist(), scores.tolist()) if s > 0]
                    certain[c] = bool(exact)

        workers = min(WORKERS, len(claims))
        if workers > 1:
            list(_pool().map(run, [range(w, len(claims), workers) for w in range(workers)]))
        else:
            run(range(len(claims)))
        return out, certain


_threads = None
_local = threading.local()


def _pool():
    global _threads
    if _threads is None:
        from concurrent.futures import ThreadPoolExecutor

        _threads = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="claimdesk-bm25")
    return _threads
