"""``VectorStore``: the one seam for vector backends. The embedded default is an exact (flat) index
in a memory-mapped NumPy file, exact on the corpora a laptop holds and with no server to run."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np


class VectorStore(Protocol):
    def search(self, queries: np.ndarray, k: int, allowed: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` rows per query among rows where ``allowed`` is true: (row indices, cosine scores)."""

    def __len__(self) -> int: ...


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
