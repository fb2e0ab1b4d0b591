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

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

RERANKER_DIR = Path(__file__).parent / "reranker"


class RerankerError(RuntimeError):
    """The reranker cannot be used; the message says what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxReranker:
    def __init__(self, folder: str | Path = RERANKER_DIR, threads: int = 0) -> None:
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            raise RerankerError(f"{folder}: reranker manifest missing; reinstall, or set CLAIMDESK_RERANK_DEPTH=0")
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        model_path = folder / self.manifest["file"]
        if not model_path.exists():
            raise RerankerError(f"{model_path}: reranker file missing; reinstall, or set CLAIMDESK_RERANK_DEPTH=0")
        actual = _sha256(model_path)
        if actual != self.manifest["sha256"]:
            raise RerankerError(
                f"{model_path}: reranker is corrupt (sha256 {actual[:12]}…, expected "
                f"{self.manifest['sha256'][:12]}…); restore it with `git checkout {model_path}`")
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(self.manifest.get("max_length", 128)))
        self.tokenizer.no_padding()
        # Weights of the product's rerank score, fitted on the calibrate fold (verification.train_reranker).
        self.combine = dict(self.manifest.get("combine") or {"reranker": 1.0, "stance_relevance": 0.0, "rank": 0.0})
        self._pool = ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1, thread_name_prefix="rerank")

    def _run_one(self, encoding) -> float:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        return float(self.session.run(None, {k: v for k, v in feed.items() if k in self.input_names})[0][0][0])

    def scores(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Relevance logits for (passage text, claim) pairs; higher means more likely the deciding evidence."""
        if not pairs:
            return np.zeros(0, dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(pairs))
        return np.array(list(self._pool.map(self._run_one, encodings)), dtype=np.float32)
