"""The trained attribution tagger: source, cue and content spans over a whole article, learned from PolNeAR.

A MiniLM token classifier with three independent begin/inside/outside layers, one per span type, so a token can
be in the content of one attribution and the source of another nested inside it (PolNeAR annotates both). The
article is read in overlapping windows of word pieces; where windows overlap, a piece takes the window in which
it sits farthest from an edge, because a piece near a cut has lost half its context.

The same windows and decoding serve training (``training.attribution_tagger``) and the product, so a figure
measured in training is the figure the product gets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from claims.types import Span
from common.model_files import checked_model

LAYERS = ("source", "cue", "content")
OUTSIDE, BEGIN, INSIDE = 0, 1, 2
TAGGER_DIR = Path(__file__).resolve().parent / "model"
WINDOW = 256  # word pieces per window, [CLS] and [SEP] included
STRIDE = 192  # a new window every STRIDE pieces: 64 pieces of overlap


class TaggerError(RuntimeError):
    """The shipped tagger is missing or corrupt."""


@dataclass(frozen=True)
class Window:
    """One model input: the article's word pieces ``first`` to ``first + len(ids) - 2`` between [CLS] and [SEP]."""

    first: int
    ids: list[int]


def windows(piece_ids: list[int], cls_id: int, sep_id: int) -> list[Window]:
    inner = WINDOW - 2
    out, first = [], 0
    while True:
        out.append(Window(first, [cls_id, *piece_ids[first:first + inner], sep_id]))
        if first + inner >= len(piece_ids):
            return out
        first += STRIDE


def best_window_logits(n_pieces: int, pieces_logits: list[tuple[Window, np.ndarray]]) -> np.ndarray:
    """One row of logits per article word piece: from the window where that piece is farthest from an edge.
    ``pieces_logits`` pairs each window with its logits (special tokens included)."""
    width = pieces_logits[0][1].shape[-1] if pieces_logits else 3 * len(LAYERS)
    best = np.zeros((n_pieces, width), dtype=np.float32)
    margin = np.full(n_pieces, -1, dtype=np.int64)
    for window, logits in pieces_logits:
        count = len(window.ids) - 2
        positions = np.arange(count)
        edge = np.minimum(positions, count - 1 - positions)
        index = window.first + positions
        better = edge > margin[index]
        best[index[better]] = logits[1:1 + count][better]
        margin[index[better]] = edge[better]
    return best


def decode(logits: np.ndarray, offsets: list[tuple[int, int]], text: str) -> dict[str, list[Span]]:
    """Spans of each layer from per-piece logits (shape pieces × 9): a span starts at BEGIN, or at INSIDE after
    OUTSIDE, and runs while INSIDE follows. Offsets are the pieces' characters in ``text``."""
    out: dict[str, list[Span]] = {}
    for layer_index, layer in enumerate(LAYERS):
        labels = logits[:, 3 * layer_index:3 * layer_index + 3].argmax(axis=1) if len(logits) else []
        spans: list[Span] = []
        start = end = None
        for label, (s, e) in zip(labels, offsets):
            if label == BEGIN or (label == INSIDE and start is None):
                if start is not None:
                    spans.append((start, end))
                start, end = s, e
            elif label == INSIDE:
                end = e
            elif start is not None:
                spans.append((start, end))
                start = None
        if start is not None:
            spans.append((start, end))
        out[layer] = [_trim(text, s, e) for s, e in spans if text[s:e].strip()]
    return out


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return (start, end)


class AttributionTagger:
    """The exported tagger on onnxruntime. ``folder`` holds ``manifest.json`` (file, sha256), the ONNX file and
    ``tokenizer.json``; a missing or corrupt file raises ``TaggerError`` with a one-line message."""

    def __init__(self, folder: str | Path = TAGGER_DIR) -> None:
        folder = Path(folder)
        self.manifest, model_path = checked_model(folder, "attribution tagger", TaggerError,
                                                  "restore claims/model from git")
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        # One thread: the tagger runs beside spaCy's parse of the same article, which holds the other core
        # (ClaimExtractor._parse_and_tag).
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.sha256 = self.manifest["sha256"]  # checked against the file by checked_model

    def logits(self, window: Window) -> np.ndarray:
        ids = np.array([window.ids], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        return self.session.run(None, {k: v for k, v in feed.items() if k in self.input_names})[0][0]

    def spans(self, text: str) -> dict[str, list[Span]]:
        """Source, cue and content spans in ``text``, as character offsets."""
        encoding = self.tokenizer.encode(text, add_special_tokens=False)
        if not encoding.ids:
            return {layer: [] for layer in LAYERS}
        cls_id, sep_id = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        parts = [(w, self.logits(w)) for w in windows(encoding.ids, cls_id, sep_id)]
        return decode(best_window_logits(len(encoding.ids), parts), encoding.offsets, text)
