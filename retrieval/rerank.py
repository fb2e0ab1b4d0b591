"""The evidence reranker: a cross-encoder trained to put the passage that decides a claim first.

The search (dense + BM25) finds candidates by similarity; the reranker reads claim and passage together and
scores whether the passage is *evidence* for the claim, for or against. ``RerankWeights`` is the one rerank
policy, used by the product, the reranker's trainer and the benches alike: the search's top ``depth`` passages
are reordered by a·reranker logit + b·stance relevance (1 − P(NEI)) + w / search rank, with a, b, w fitted on
the calibrate fold and kept in this model's manifest (``training.reranker``; figures in
``retrieval/reranker/MODEL_CARD.md``).

It runs one pair per onnxruntime run, one single-threaded run per core, as the stance model does: with int8
weights and dynamic activation scales, a batched pair's score would depend on its companions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.pair_model import OnnxPairModel

RERANKER_DIR = Path(__file__).parent / "reranker"


@dataclass(frozen=True)
class RerankWeights:
    """a·reranker logit + b·stance relevance + w / search rank: the score passages are reordered by."""

    reranker: float = 1.0
    stance_relevance: float = 0.0
    rank: float = 0.0

    @classmethod
    def of(cls, fitted: dict) -> RerankWeights:
        """From a manifest's ``combine`` (which also carries the depth and the figure it was fitted to)."""
        return cls(float(fitted["reranker"]), float(fitted["stance_relevance"]), float(fitted["rank"]))

    @classmethod
    def stance_only(cls, weight: float) -> RerankWeights:
        """Without the trained reranker: 1 / search rank + weight · relevance."""
        return cls(0.0, weight, 1.0)

    @property
    def uses_stance(self) -> bool:
        return bool(self.stance_relevance)

    def score(self, logit: float | None, relevance: float | None, rank: int) -> float:
        # A term whose weight is 0 is skipped, so its input may be None (not computed at all).
        key = 0.0
        if self.reranker:
            key += self.reranker * logit
        if self.stance_relevance:
            key += self.stance_relevance * relevance
        return key + self.rank / rank

    def order(self, ranks: Sequence[int], logits: Sequence[float] | None = None,
              relevance: Sequence[float | None] | None = None) -> list[int]:
        """Indices of the passages, best first; ties keep the search order."""
        keys = [self.score(None if logits is None else logits[i], None if relevance is None else relevance[i],
                           ranks[i]) for i in range(len(ranks))]
        return sorted(range(len(ranks)), key=lambda i: -keys[i])


def resolve_depth(configured: int, requested: int | bool | None = None, folder: str | Path = RERANKER_DIR) -> int:
    """How many search results one check reranks. ``requested``: None takes the configured depth; an int is
    the caller's (``--rerank-depth``); True is the dashboard's "Rerank evidence" switch, which uses the configured
    depth, else the depth the shipped weights were fitted at; False is off."""
    if requested is True:
        return configured or fitted_depth(folder)
    depth = configured if requested is None else int(requested)
    if depth < 0:
        raise RerankerError(f"rerank depth {depth}: use 0 (off) or a positive number of passages")
    return depth


def fitted_depth(folder: str | Path = RERANKER_DIR, default: int = 30) -> int:
    """How many search results the shipped weights were fitted to rerank (the manifest's ``depth``): what the
    dashboard's "Rerank evidence" switch uses when Settings leave reranking off. Read without loading the model;
    a missing or damaged manifest is reported when the model loads, so here it only falls back."""
    import json

    try:
        depth = int(json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))["depth"])
    except (OSError, ValueError, KeyError, TypeError):
        return default
    return depth if depth > 0 else default


class RerankerError(RuntimeError):
    """The reranker cannot be used; the message says what to do."""


class OnnxReranker(OnnxPairModel):
    def __init__(self, folder: str | Path = RERANKER_DIR, threads: int = 0) -> None:
        super().__init__(folder, "reranker", RerankerError, "reinstall, or set CLAIMDESK_RERANK_DEPTH=0", threads)
        # Weights of the product's rerank score, fitted on the calibrate fold (training.reranker).
        fitted = self.manifest.get("combine")
        self.weights = RerankWeights.of(fitted) if fitted else RerankWeights()

    def scores(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Relevance logits for (passage text, claim) pairs; higher means more likely the deciding evidence."""
        return self.logits(pairs, 1)[:, 0].astype(np.float32)
