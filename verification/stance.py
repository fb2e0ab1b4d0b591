"""The stance of a passage towards a claim: the trained cross-encoder, corrected by the consistency checks.

``StanceModel`` is the seam: anything that maps (evidence, claim) pairs to probabilities over
SUPPORTS / REFUTES / NOT_ENOUGH_INFO. The shipped one is our own cross-encoder, exported to ONNX int8
(see verification/model/MODEL_CARD.md). Its file hash is checked at load: a missing or corrupt model
is a clear error, never a silent fallback.

The combination is a small log-linear layer whose parameters are fitted on the calibration fold of
the dev sets (``verification.calibrate``), not picked by hand.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from verification.checks import compare
from verification.types import STANCES, Flag, Stance

MODEL_DIR = Path(__file__).parent / "model"


class StanceModelError(RuntimeError):
    """The stance model cannot be used; the message says what to do."""


class StanceModel(Protocol):
    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        """Probabilities, shape (len(pairs), 3), columns in ``STANCES`` order. Pairs are (evidence, claim)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class OnnxStanceModel:
    """The exported cross-encoder on onnxruntime; no torch import at run time.

    Pairs run one at a time, never batched: dynamic int8 quantisation scales activations per input
    tensor, so in a batch a pair's probabilities moved by up to 0.09 with its companions (4 of 200
    labels flipped). One pair per run makes every score a function of its own pair only, and with one
    single-threaded run per core it is also faster (332 pairs/s on 2 cores, against 204 for batches of 8).
    """

    def __init__(self, folder: str | Path = MODEL_DIR, threads: int = 0) -> None:
        folder = Path(folder)
        manifest_path = folder / "manifest.json"
        if not manifest_path.exists():
            raise StanceModelError(f"{folder}: stance model manifest missing; reinstall or run `make train-stance`")
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        model_path = folder / self.manifest["file"]
        if not model_path.exists():
            raise StanceModelError(f"{model_path}: stance model file missing; reinstall or run `make train-stance`")
        actual = _sha256(model_path)
        if actual != self.manifest["sha256"]:
            raise StanceModelError(
                f"{model_path}: stance model is corrupt (sha256 {actual[:12]}…, expected "
                f"{self.manifest['sha256'][:12]}…); restore it with `git checkout {model_path}`"
            )
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
        self.calibration = self.manifest.get("calibration", {})
        self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="stance")

    def _run_one(self, encoding) -> np.ndarray:
        feed = {
            "input_ids": np.array([encoding.ids], dtype=np.int64),
            "attention_mask": np.array([encoding.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([encoding.type_ids], dtype=np.int64),
        }
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.input_names})[0][0]

    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, 3), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(pairs))
        logits = np.stack(list(self._pool.map(self._run_one, encodings)))
        return _softmax(logits).astype(np.float32)


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class Calibration:
    """log p' = log p + bias + clash_weight·[clashes → REFUTES] + missing_weight·[names absent → NEI]."""

    bias: tuple[float, float, float] = (0.0, 0.0, 0.0)
    clash_weight: float = 0.0
    agree_weight: float = 0.0
    missing_weight: float = 0.0
    vote_threshold: float = 0.5  # verdict: least stance probability that counts as a vote
    dominance: float = 0.35  # verdict: margin by which one side must lead to win over "mixed"

    @classmethod
    def from_dict(cls, values: dict) -> Calibration:
        return cls(
            bias=tuple(values.get("bias", (0.0, 0.0, 0.0))),
            clash_weight=float(values.get("clash_weight", 0.0)),
            agree_weight=float(values.get("agree_weight", 0.0)),
            missing_weight=float(values.get("missing_weight", 0.0)),
            vote_threshold=float(values.get("vote_threshold", 0.5)),
            dominance=float(values.get("dominance", 0.35)),
        )


def check_features(flags: tuple[Flag, ...]) -> tuple[int, int, float]:
    """(date/number clashes, date/number agreements, share of claim names absent from the evidence)."""
    clashes = sum(1 for f in flags if f.relation == "clashes")
    agreements = sum(1 for f in flags if f.relation == "agrees" and f.kind in {"date", "number"})
    named = [f for f in flags if f.kind == "entity"]
    missing = sum(1 for f in named if f.relation == "missing") / len(named) if named else 0.0
    return clashes, agreements, missing


def combine(probs: np.ndarray, flags: tuple[Flag, ...], calibration: Calibration) -> np.ndarray:
    clashes, agreements, missing = check_features(flags)
    logits = np.log(np.clip(probs, 1e-6, 1.0)) + np.array(calibration.bias)
    logits[1] += calibration.clash_weight * min(clashes, 2)
    logits[0] += calibration.agree_weight * min(agreements, 2)
    logits[2] += calibration.missing_weight * missing
    return _softmax(logits[None, :])[0]


class StanceJudge:
    """Stance for claim × evidence pairs: model probabilities plus checks, as ``Stance`` objects."""

    def __init__(self, model: StanceModel, calibration: Calibration | None = None) -> None:
        self.model = model
        if calibration is None:
            calibration = Calibration.from_dict(getattr(model, "calibration", {}) or {})
        self.calibration = calibration

    def verdict(self, evidence, stances):
        from verification.verdict import decide

        return decide(list(evidence), list(stances), self.calibration.vote_threshold, self.calibration.dominance)

    def judge(self, pairs: list[tuple[str, str]]) -> list[Stance]:
        """``pairs`` are (claim, evidence passage)."""
        probs = self.model.predict([(evidence, claim) for claim, evidence in pairs])
        stances = []
        for (claim, evidence), row in zip(pairs, probs):
            flags = compare(claim, evidence)
            final = combine(row, flags, self.calibration)
            best = int(final.argmax())
            stances.append(Stance(
                label=STANCES[best],
                score=round(float(final[best]), 4),
                scores={name: round(float(p), 4) for name, p in zip(STANCES, final)},
                model_scores={name: round(float(p), 4) for name, p in zip(STANCES, row)},
                flags=flags,
            ))
        return stances
