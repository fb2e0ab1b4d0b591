"""``VectorStore``: the one seam between search and the engine that holds passages, their vectors and their
words. Two engines implement it:

- ``PassageIndex`` (retrieval/index.py): the embedded default, files in a folder: an exact (flat) inner-product
  scan over a memory-mapped NumPy matrix, or an HNSW graph above 200k passages, plus BM25 (bm25s);
- ``MilvusStore`` (retrieval/milvus.py): Milvus, either embedded (Milvus Lite, a ``.db`` file) or a server or
  cluster at a URL, with the same client code; BM25 runs inside Milvus too.

Filters (the article's date, outlet allow/deny lists) travel as a ``RowFilter`` and are applied by the engine
before it ranks, never by trimming a short list afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol

import numpy as np

from retrieval.types import Passage


class EncoderMismatch(RuntimeError):
    """The index's vectors came from another encoder than the one loaded: its rankings would be meaningless."""


@dataclass(frozen=True)
class RowFilter:
    """Which passages may be returned. Undated passages pass the date test: nobody knows they are later."""

    before: date | None = None
    allow: frozenset[str] = frozenset()  # outlets, compared case-insensitively
    deny: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return self.before is None and not self.allow and not self.deny

    def mask(self, days: np.ndarray, outlet_codes: np.ndarray, outlets: Sequence[str]) -> np.ndarray | None:
        """Boolean mask over rows, given each row's date ordinal (0 = undated) and outlet code, an index into
        ``outlets`` (casefolded names). Comparing small integer codes keeps this fast at millions of rows."""
        if self.is_empty:
            return None
        keep = np.ones(len(days), dtype=bool)
        if self.before is not None:
            keep &= (days == 0) | (days <= self.before.toordinal())
        if self.allow:
            wanted = {s.casefold() for s in self.allow}
            keep &= np.isin(outlet_codes, [i for i, name in enumerate(outlets) if name in wanted])
        if self.deny:
            unwanted = {s.casefold() for s in self.deny}
            keep &= ~np.isin(outlet_codes, [i for i, name in enumerate(outlets) if name in unwanted])
        return keep

    def expression(self) -> str:
        """The same filter as a Milvus boolean expression over the ``day`` and ``source_key`` fields."""
        terms = []
        if self.before is not None:
            terms.append(f"(day == 0 or day <= {self.before.toordinal()})")
        if self.allow:
            terms.append(f"source_key in {json.dumps(sorted(s.casefold() for s in self.allow))}")
        if self.deny:
            terms.append(f"source_key not in {json.dumps(sorted(s.casefold() for s in self.deny))}")
        return " and ".join(terms)


class VectorStore(Protocol):
    """Rows are passage positions in corpus order, the same in every engine."""

    @property
    def encoder_fingerprint(self) -> str: ...

    def __len__(self) -> int: ...

    def dense(self, vectors: np.ndarray, k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        """Per query vector, up to ``k`` (row, cosine) pairs, best first, among rows that pass ``where``."""

    def lexical(self, queries: list[str], k: int, where: RowFilter) -> list[list[tuple[int, float]]]:
        """Per query, up to ``k`` (row, BM25 score) pairs with a positive score, best first, among rows that pass
        ``where``."""

    def fetch(self, rows: Sequence[int]) -> tuple[dict[int, Passage], dict[int, np.ndarray]]:
        """The passages and stored vectors of ``rows``, in one round trip."""


class FlatVectorStore:
    """Exact inner-product search over unit vectors; filters are applied before ranking, not after."""

    FILE = "vectors.npy"

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    def save(self, folder: Path) -> None:
        np.save(folder / self.FILE, self.vectors)

    @classmethod
    def load(cls, folder: Path) -> FlatVectorStore:
        return cls(np.load(folder / cls.FILE, mmap_mode="r"))

    def rows(self, rows: list[int]) -> np.ndarray:
        """Stored vectors of ``rows``, in one gather."""
        return np.asarray(self.vectors[rows])

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None):
        scores = queries @ np.asarray(self.vectors).T
        if allowed is not None:
            scores = np.where(allowed[None, :], scores, -np.inf)
        k = min(k, scores.shape[1])
        if k == 0:
            empty = np.zeros((queries.shape[0], 0))
            return empty.astype(np.int64), empty
        top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(scores, top, axis=1).argsort(axis=1)[:, ::-1]
        rows = np.take_along_axis(top, order, axis=1)
        return rows, np.take_along_axis(scores, rows, axis=1)


class HnswVectorStore:
    """Approximate inner-product search for large corpora: a faiss HNSW graph over the same unit vectors.

    Exact search reads every vector for every batch of claims: at a million passages that alone takes about
    0.5 s on two cores (bench/RESULTS.md), over the whole latency budget. The graph touches a few thousand
    vectors instead. Filters go in as a bitmap of allowed rows that the graph walk respects, so a strict filter
    still yields a full list. ``vectors.npy`` stays the source of truth (fetching, incremental rebuilds).
    """

    FILE = "vectors.hnsw"
    LINKS = 16  # M: graph degree; memory is about 2 x M x 4 bytes a passage on the base layer
    EF_CONSTRUCTION = 80
    # Candidates kept while searching: recall against cost. The dense engine asks for 50 hits; on 171,776 real
    # sentence embeddings, 128 found 97.2% of the exact top 50 and 256 found 98.3% (bench/graph_recall.py), for
    # 5-10% more time per article at a million passages (bench/RESULTS.md).
    EF_SEARCH = 256

    def __init__(self, vectors: np.ndarray, graph) -> None:
        self.vectors = vectors
        self.graph = graph

    def __len__(self) -> int:
        return int(self.vectors.shape[0])

    @classmethod
    def build(cls, vectors: np.ndarray) -> HnswVectorStore:
        import faiss

        graph = faiss.IndexHNSWFlat(vectors.shape[1], cls.LINKS, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = cls.EF_CONSTRUCTION
        graph.add(np.ascontiguousarray(vectors, dtype=np.float32))
        return cls(vectors, graph)

    def save(self, folder: Path) -> None:
        import faiss

        np.save(folder / FlatVectorStore.FILE, self.vectors)
        faiss.write_index(self.graph, str(folder / self.FILE))

    @classmethod
    def load(cls, folder: Path) -> HnswVectorStore:
        import faiss

        return cls(np.load(folder / FlatVectorStore.FILE, mmap_mode="r"), faiss.read_index(str(folder / cls.FILE)))

    def rows(self, rows: list[int]) -> np.ndarray:
        """Stored vectors of ``rows``, from the graph's own copy in memory: the memory-mapped ``vectors.npy`` would
        fault in a page per row from a 1.5 GB file at a million passages (14-20 ms for 200 rows against 0.3 ms)."""
        return self.graph.reconstruct_batch(np.asarray(rows, dtype=np.int64))

    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None = None):
        import faiss

        selector = None
        if allowed is not None:
            bits = np.packbits(allowed, bitorder="little")
            selector = faiss.IDSelectorBitmap(len(allowed), faiss.swig_ptr(bits))
        params = faiss.SearchParametersHNSW(sel=selector, efSearch=max(self.EF_SEARCH, k))
        scores, rows = self.graph.search(np.ascontiguousarray(queries, dtype=np.float32), k, params=params)
        scores = np.where(rows >= 0, scores, -np.inf)  # fewer than k allowed rows: padded with -1
        return rows, scores
