"""The evidence reranker: a cross-encoder trained to put the passage that decides a claim first.

The search (dense + BM25) finds candidates by similarity; the reranker reads claim and passage together and
scores whether the passage is *evidence* for the claim, for or against. The pipeline reorders the search's
top ``rerank_depth`` passages by a·reranker logit + b·stance relevance (1 − P(NEI)) + w / search rank, with
a, b, w fitted on the calibrate fold and kept in this model's manifest (``verification.train_reranker``;
figures in ``retrieval/reranker/MODEL_CARD.md``).

It runs one pair per onnxruntime run, one single-threaded run per core, as the stance model does: with int8
weights and dynamic activation scales, a batched pair's score would depend on its companions.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from retrieval.pair_model import OnnxPairModel, sha256_of

RERANKER_DIR = Path(__file__).parent / "reranker"
_sha256 = sha256_of  # the name the training tool uses


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
        # Weights of the product's rerank score, fitted on the calibrate fold (verification.train_reranker).
        self.combine = dict(self.manifest.get("combine") or {"reranker": 1.0, "stance_relevance": 0.0, "rank": 0.0})

    def scores(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Relevance logits for (passage text, claim) pairs; higher means more likely the deciding evidence."""
        return self.logits(pairs, 1)[:, 0].astype(np.float32)
