"""Rebuild a trainable PyTorch checkpoint from a shipped int8 stance model, so training can go on from it.

    python -m training.warm_start --model verification/model --out runs/stance-warm

Why: the shipped model's general-NLI stage took a GPU; on a 2-core CPU it would take hours. Its ONNX file holds
every weight, quantised to int8 with a scale and zero point per output channel (per tensor for embeddings), so
dequantising them gives back the network it was trained as, within int8 rounding. A run that starts here with
``training.stance --init`` spends its CPU time on new data instead of on relearning NLI. The rebuilt model's
probabilities are compared with the ONNX model's on the calibrate fold before it is written.
"""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

# ONNX node name of a quantised matrix product -> the Hugging Face parameter it multiplies by.
_NODE = re.compile(r"^/(?P<path>.+)/(?:MatMul|Gemm_MatMul)_quant$")


def _array(initializer):
    from onnx import numpy_helper

    return numpy_helper.to_array(initializer)


def dequantised_state(onnx_path: Path) -> dict:
    """Every parameter of the BERT classifier in ``onnx_path`` as float32 tensors, keyed by Hugging Face name."""
    import numpy as np
    import onnx
    import torch

    graph = onnx.load(str(onnx_path)).graph
    inits = {i.name: i for i in graph.initializer}
    state: dict = {}
    for name, init in inits.items():
        if init.data_type == onnx.TensorProto.FLOAT and not name.endswith("_scale") and not name.startswith("onnx::"):
            state[name] = torch.from_numpy(_array(init).astype(np.float32).copy())

    def dequantise(base: str) -> np.ndarray:
        q = _array(inits[base + "_quantized"]).astype(np.float32)
        zero = _array(inits[base + "_zero_point"]).astype(np.float32)
        return (q - zero) * _array(inits[base + "_scale"]).astype(np.float32)

    for name in list(inits):
        if name.startswith("bert.embeddings.") and name.endswith(".weight_quantized"):
            key = name[: -len("_quantized")]
            state[key] = torch.from_numpy(dequantise(key))
    for node in graph.node:
        if node.op_type != "MatMulInteger":
            continue
        match = _NODE.match(node.name)
        if match is None:
            raise ValueError(f"{onnx_path}: unexpected quantised node {node.name!r}")
        # ONNX multiplies x @ W with W as [in, out]; torch's Linear keeps [out, in].
        weight = dequantise(node.input[1][: -len("_quantized")]).T
        state[match["path"].replace("/", ".") + ".weight"] = torch.from_numpy(np.ascontiguousarray(weight))
    return state


def rebuild(model_dir: Path, out: Path, base: Path) -> dict:
    """Write ``out`` as a Hugging Face checkpoint of the model in ``model_dir``; return how well it matches."""
    import torch
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    from training.stance import LABEL_ID, LABELS

    manifest = json.loads((model_dir / "manifest.json").read_text(encoding="utf-8"))
    if tuple(manifest["labels"]) != LABELS:
        raise SystemExit(f"{model_dir}: labels {manifest['labels']} are not {list(LABELS)}")
    # Built from the base's config alone: every weight comes from the ONNX file, so the base's own weights need not
    # be there (a lent GPU machine takes the shipped model and the base's config, not both models).
    config = AutoConfig.from_pretrained(base, num_labels=3, id2label=dict(enumerate(LABELS)), label2id=LABEL_ID)
    model = AutoModelForSequenceClassification.from_config(config, dtype=torch.float32)
    state = dequantised_state(model_dir / "stance.onnx")
    expected = {k for k in model.state_dict() if not k.endswith("position_ids")}
    missing = expected - set(state)
    if missing:
        raise SystemExit(f"{model_dir}/stance.onnx lacks {len(missing)} weights, e.g. {sorted(missing)[:3]}")
    model.load_state_dict({k: state[k] for k in expected}, strict=False)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    AutoTokenizer.from_pretrained(base).save_pretrained(out)
    return {"from": str(model_dir / "stance.onnx"), "sha256": manifest.get("sha256"), "weights": len(expected)}


def agreement(model_dir: Path, checkpoint: Path, pairs: list[tuple[str, str, int]], max_length: int) -> dict:
    """How often the rebuilt checkpoint and the ONNX model pick the same label, and their largest gap."""
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from training.stance import predict_proba
    from verification.stance import OnnxStanceModel

    tokenizer = AutoTokenizer.from_pretrained(checkpoint)
    model = AutoModelForSequenceClassification.from_pretrained(checkpoint)
    torch_probs = predict_proba(model, tokenizer, pairs, max_length, torch.device("cpu"))
    onnx_probs = OnnxStanceModel(model_dir).predict([(p, h) for p, h, _ in pairs]).tolist()
    same = sum(max(range(3), key=a.__getitem__) == max(range(3), key=b.__getitem__)
               for a, b in zip(torch_probs, onnx_probs))
    gap = max(abs(x - y) for a, b in zip(torch_probs, onnx_probs) for x, y in zip(a, b))
    return {"pairs": len(pairs), "same_label": round(same / max(len(pairs), 1), 4), "largest_gap": round(gap, 4)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("verification/model"))
    parser.add_argument("--out", type=Path, default=Path("runs/stance-warm"))
    parser.add_argument("--base", type=Path, default=None, help="base encoder folder (default: the packaged one)")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--check-pairs", type=int, default=300, help="calibrate-fold pairs compared after rebuilding")
    args = parser.parse_args(argv)

    from retrieval.offline import enforce_offline

    enforce_offline()
    if args.base is None:
        from retrieval.encoder import base_model_path

        args.base = base_model_path()
    import shutil
    import tempfile

    from training.stance import dev_pairs_by_set

    pairs = [p for ps in dev_pairs_by_set(args.data / "eval", "calibrate").values() for p in ps][: args.check_pairs]
    if not pairs:
        raise SystemExit(f"{args.data / 'eval'}: no calibrate-fold pairs to compare the rebuilt model on")
    # Built aside and moved into place only once it judges like the shipped model, so --init never finds a bad one.
    work = Path(tempfile.mkdtemp(prefix="warm-start-"))
    try:
        info = rebuild(args.model, work / "model", args.base)
        info["agreement"] = agreement(args.model, work / "model", pairs, 128)
        print(json.dumps(info))
        if info["agreement"]["same_label"] < 0.95:
            raise SystemExit(f"the rebuilt model agrees with {args.model} on only "
                             f"{info['agreement']['same_label']:.0%} of labels: the rebuild is wrong")
        (work / "model" / "warm_start.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
        shutil.rmtree(args.out, ignore_errors=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(work / "model"), args.out)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
