"""Export the trained stance model for CPU inference: ONNX, then int8 weights if quality holds.

    python -m training.export --checkpoint runs/stance --out verification/model

Writes ``stance.onnx``, ``tokenizer.json`` and ``manifest.json`` (file hash, labels, max length,
calibration, the dev folds the model trained on, and the fp32-vs-int8 comparison: chosen on the calibrate
fold and recorded on the held-out one, or, for a model trained on all of dev, chosen on SNLI test pairs that
no stage saw).
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path

from training.stance import LABELS


def export_onnx(checkpoint: Path, target: Path, max_length: int) -> None:
    import torch
    from transformers import AutoModelForSequenceClassification

    model = AutoModelForSequenceClassification.from_pretrained(checkpoint).eval()
    model.config.return_dict = False
    sample = {
        "input_ids": torch.ones((2, 16), dtype=torch.long),
        "attention_mask": torch.ones((2, 16), dtype=torch.long),
        "token_type_ids": torch.zeros((2, 16), dtype=torch.long),
    }
    dynamic = {name: {0: "batch", 1: "sequence"} for name in sample}
    dynamic["logits"] = {0: "batch"}
    torch.onnx.export(
        model, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]), str(target),
        input_names=list(sample), output_names=["logits"], dynamic_axes=dynamic, opset_version=17,
        dynamo=False,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checkpoint", type=Path, default=Path("runs/stance"))
    parser.add_argument("--out", type=Path, default=Path("verification/model"))
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--max-f1-loss", type=float, default=0.01)
    parser.add_argument("--snli-test-pairs", type=int, default=2000,
                        help="unseen pairs for the int8 choice when the model trained on all of dev")
    args = parser.parse_args(argv)

    from retrieval.offline import enforce_offline

    enforce_offline()
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from common.model_files import sha256_of
    from evaluation.stance import stance_report_for_model
    from training.stance import dev_pairs_by_set
    from verification.stance import OnnxStanceModel

    work = Path(tempfile.mkdtemp(prefix="stance-export-"))
    fp32 = work / "stance-fp32.onnx"
    int8 = work / "stance-int8.onnx"
    export_onnx(args.checkpoint, fp32, args.max_length)
    # Per-channel scales: per-tensor int8 cost 0.010-0.015 macro-F1 on the held-out fold, per-channel none.
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)

    # int8 or fp32 is a choice, so it is made on pairs the model never trained on: the calibrate fold, with the
    # held-out fold scored for the record. A model trained on all of dev has neither; SNLI's test split is
    # unseen by every stage, so the choice falls to it.
    trained_folds = domain_folds(args.checkpoint)
    if "calibrate" in trained_folds:
        folds = {"calibrate": {"snli_test": snli_test_pairs(args.data, args.snli_test_pairs)}}
    else:
        folds = {fold: dev_pairs_by_set(args.data / "eval", fold) for fold in ("calibrate", "heldout")}
    comparison: dict = {fold: {} for fold in folds}
    for name, path in (("fp32", fp32), ("int8", int8)):
        folder = work / name
        folder.mkdir()
        shutil.copy(path, folder / "stance.onnx")
        shutil.copy(args.checkpoint / "tokenizer.json", folder / "tokenizer.json")
        _write_manifest(folder, args.max_length, {}, {})
        model = OnnxStanceModel(folder)
        for fold, sets in folds.items():
            comparison[fold][name] = {set_name: stance_report_for_model(model, pairs)["macro_f1"]
                                      for set_name, pairs in sets.items()}
    calibrate = comparison["calibrate"]
    loss = max(calibrate["fp32"][s] - calibrate["int8"][s] for s in calibrate["fp32"])
    chosen = int8 if loss <= args.max_f1_loss else fp32
    print(json.dumps({"macro_f1_raw_model": comparison, "chosen": chosen.name}, indent=1))

    args.out.mkdir(parents=True, exist_ok=True)
    shutil.copy(chosen, args.out / "stance.onnx")
    shutil.copy(args.checkpoint / "tokenizer.json", args.out / "tokenizer.json")
    previous = {}
    if (args.out / "manifest.json").exists():
        old = json.loads((args.out / "manifest.json").read_text(encoding="utf-8"))
        previous = old.get("calibration", {})
        if previous:
            # The thresholds are kept until training.calibrate refits them, and say which model they were
            # fitted for, so a manifest never passes them off as this model's own.
            previous.setdefault("fitted_for_stance_model_sha256", old.get("sha256"))
    extra = {"domain_folds": sorted(trained_folds),
             "trained_claim_digests": trained_claim_digests(args.data / "eval", trained_folds),
             "fp32_vs_int8_macro_f1_calibrate": calibrate, "quantized": chosen == int8}
    if "heldout" in comparison:
        extra["fp32_vs_int8_macro_f1"] = comparison["heldout"]
    else:
        extra["int8_chosen_on"] = f"{len(folds['calibrate']['snli_test'])} SNLI test pairs (no stage trains on them)"
    _write_manifest(args.out, args.max_length, previous, extra)
    shutil.rmtree(work, ignore_errors=True)
    print(f"wrote {args.out / 'stance.onnx'} ({(args.out / 'stance.onnx').stat().st_size / 1e6:.1f} MB, "
          f"sha256 {sha256_of(args.out / 'stance.onnx')[:12]}…)")
    return 0


def domain_folds(checkpoint: Path) -> set[str]:
    """The dev folds the checkpoint's domain stage trained on, from its training log (a k-fold part is not
    exported; logs from before --domain-folds existed trained on the train fold)."""
    log_path = checkpoint / "train_log.json"
    args = json.loads(log_path.read_text(encoding="utf-8")).get("args", {}) if log_path.exists() else {}
    if args.get("kfold") not in (None, "None"):
        raise SystemExit(f"{checkpoint} is a k-fold part, a measurement: export the model trained on all of dev")
    return {f.strip() for f in args.get("domain_folds", "train").split(",") if f.strip()}


def trained_claim_digests(eval_dir: Path, folds: set[str]) -> list[str]:
    """Digests of the dev claims whose pairs the domain stage trained on (devset.claim_digest), sorted."""
    from evaluation.devset import claim_digest
    from training.stance import dev_sets

    return sorted({claim_digest(r["claim"]) for dev in dev_sets(eval_dir).values() for r in dev.pairs_in(*folds)})


def snli_test_pairs(data: Path, limit: int) -> list[tuple[str, str, int]]:
    import gzip

    from training.stance import LABEL_ID

    with gzip.open(data / "train" / "snli_test.jsonl.gz", "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(limit), handle)]
    return [(r["p"], r["h"], LABEL_ID[r["l"]]) for r in rows if r["l"] in LABEL_ID]


def _write_manifest(folder: Path, max_length: int, calibration: dict, extra: dict) -> None:
    from common.model_files import sha256_of

    manifest = {
        "file": "stance.onnx",
        "sha256": sha256_of(folder / "stance.onnx"),
        "labels": list(LABELS),
        "max_length": max_length,
        "inputs": "premise = evidence passage, hypothesis = claim",
        "calibration": calibration,
        **extra,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
