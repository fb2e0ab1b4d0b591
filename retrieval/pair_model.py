"""An exported sentence-pair model (a cross-encoder) on onnxruntime, shared by the evidence reranker and the
stance model: the file's hash is checked at load, and pairs run one per onnxruntime run.

Why one pair per run: dynamic int8 quantisation scales activations per input tensor, so in a batch a pair's
output moved with its companions (stance probabilities by up to 0.09, 4 of 200 labels flipped). One pair per
run makes every output a function of its own pair only, and with one single-threaded run per core it is also
faster on CPU (332 stance pairs/s on 2 cores, against 204 for batches of 8).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from common.model_files import checked_model


class OnnxPairModel:
    """``folder`` holds ``manifest.json`` (file, sha256, max_length), the ONNX file and ``tokenizer.json``.
    A missing or corrupt file raises ``error`` with a one-line message that names ``what`` and ``remedy``."""

    def __init__(self, folder: str | Path, what: str, error: type[Exception], remedy: str, threads: int = 0) -> None:
        folder = Path(folder)
        self.manifest, model_path = checked_model(folder, what, error, remedy)
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.workers = threads or os.cpu_count() or 1
        self.session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=int(self.manifest.get("max_length", 128)))
        self.tokenizer.no_padding()
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix=what.replace(" ", "-"))

    def _run_one(self, encoding) -> np.ndarray:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.input_names})[0][0]

    def logits(self, pairs: list[tuple[str, str]], outputs: int) -> np.ndarray:
        """Shape (len(pairs), outputs): the model's raw outputs, one run per pair."""
        if not pairs:
            return np.zeros((0, outputs), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(pairs))
        return np.stack(list(self._pool.map(self._run_one, encodings)))
